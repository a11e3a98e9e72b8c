/* fuzz_content.c - libFuzzer harness: the content parser (front matter + CommonMark,
 * pm_content_parse) on arbitrary bytes. A parsed document is walked in full, as the page
 * builder would: every block's text, spans and source lines, every note. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "input/content.h"
#include "fuzz_common.h"

#define FUZZ_MAX_INPUT (1u << 20) /* structure, not size: the 16 MiB limit is tested elsewhere */

static volatile size_t sink;

static void walk_text(const pm_text *t)
{
    if (!t->utf8) return;
    size_t n = strlen(t->utf8);
    if (n != t->len && t->len) __builtin_trap(); /* the length must match the string */
    for (uint32_t i = 0; i < t->nspans; i++) {
        const pm_span *s = &t->spans[i];
        if (s->start > s->end || s->end > t->len) __builtin_trap();
        if (i && t->spans[i - 1].start > s->start) __builtin_trap(); /* sorted by start */
        sink += (size_t)pm_text_line_at(t, s->start) + (s->url ? strlen(s->url) : 0);
    }
    for (uint32_t i = 0; i < t->nline_starts; i++)
        if (t->line_starts[i] > t->len || (i && t->line_starts[i] < t->line_starts[i - 1]))
            __builtin_trap();
    sink += (size_t)pm_text_line_at(t, t->len);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_quiet_diagnostics();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > FUZZ_MAX_INPUT) return 0;
    pm_diag_reset();
    pm_doc *doc = NULL;
    int rc = pm_content_parse("fuzz/in.md", (const char *)data, size, &doc);
    if (rc != PM_OK) {
        if (doc || pm_diag_errors() == 0) __builtin_trap(); /* a failure always says why */
        return 0;
    }
    const pm_meta *m = &doc->meta;
    if (!m->title || !m->lang) __builtin_trap();
    sink += strlen(m->title) + strlen(m->lang);
    pm_walk w;
    const pm_block *b;
    pm_walk_init(&w, doc->blocks, doc->nblocks);
    for (pm_walk_event ev; (ev = pm_walk_next(&w, &b)) != PM_WALK_END;) {
        if (ev == PM_WALK_ENTER && b->kind == PM_BLK_ITEM && !b->nkids) __builtin_trap(); /* never empty */
        if (ev != PM_WALK_LEAF && ev != PM_WALK_ENTER) continue;
        if (b->kind == PM_BLK_HEADING && (b->level < 1 || b->level > 3 || !b->id)) __builtin_trap();
        if (b->kind == PM_BLK_FIGURE && (!b->src || !b->path)) __builtin_trap();
        walk_text(&b->text);
        if (b->marker) sink += strlen(b->marker);
    }
    for (size_t i = 0; i < doc->nnotes; i++) walk_text(&doc->notes[i].text);
    pm_doc_drop(doc);
    return 0;
}
