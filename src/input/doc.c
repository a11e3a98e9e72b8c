/* doc.c - the document tree's helpers (see doc.h): source lines of rich text,
 * attributes, walking the tree, and releasing a document. */
#include "input/doc.h"

#include <string.h>
#include <strings.h>

#include <stdlib.h>
#include <string.h>

int pm_text_line_at(const pm_text *t, uint32_t offset)
{
    /* line_starts ascend: count those <= offset by bisection (the setter asks once per
       line set, so a linear count made long paragraphs quadratic) */
    uint32_t lo = 0, hi = t->nline_starts;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (t->line_starts[mid] <= offset) lo = mid + 1;
        else hi = mid;
    }
    return t->line + (int)lo;
}

int pm_attrs_has(const pm_attrs *a, const char *cls)
{
    for (int i = 0; i < a->nclasses; i++)
        if (!strcmp(a->classes[i], cls)) return 1;
    return 0;
}

const char *pm_attrs_get(const pm_attrs *a, const char *key)
{
    for (int i = 0; i < a->nkv; i++)
        if (!strcmp(a->keys[i], key)) return a->values[i];
    return NULL;
}

void pm_walk_init(pm_walk *w, const pm_block *blocks, size_t n)
{
    w->depth = 0;
    w->at[0].blocks = blocks;
    w->at[0].n = n;
    w->at[0].i = 0;
}

pm_walk_event pm_walk_next(pm_walk *w, const pm_block **b)
{
    for (;;) {
        if (w->at[w->depth].i < w->at[w->depth].n) {
            const pm_block *x = &w->at[w->depth].blocks[w->at[w->depth].i++];
            *b = x;
            if (!pm_block_is_container(x)) return PM_WALK_LEAF;
            if (w->depth + 1 >= (int)(sizeof w->at / sizeof *w->at)) continue; /* (the parser refuses it) */
            w->depth++;
            w->at[w->depth].blocks = x->kids;
            w->at[w->depth].n = x->nkids;
            w->at[w->depth].i = 0;
            return PM_WALK_ENTER;
        }
        if (w->depth == 0) {
            *b = NULL;
            return PM_WALK_END;
        }
        w->depth--;
        *b = &w->at[w->depth].blocks[w->at[w->depth].i - 1];
        return PM_WALK_LEAVE;
    }
}

void pm_walk_skip(pm_walk *w)
{
    if (w->depth > 0) w->depth--;
}

void pm_doc_drop(pm_doc *doc)
{
    if (!doc) return;
    pm_arena_drop(doc->arena);
    free(doc);
}

pm_dir pm_lang_dir(const char *lang)
{
    static const char *const rtl[] = {"ar", "he", "iw", "fa", "ur", "yi", "ps", "dv", "ckb", "sd", "ug", NULL};
    if (!lang) return PM_DIR_LTR;
    size_t n = strcspn(lang, "-_");
    for (int i = 0; rtl[i]; i++)
        if (strlen(rtl[i]) == n && !strncasecmp(lang, rtl[i], n)) return PM_DIR_RTL;
    return PM_DIR_LTR;
}
