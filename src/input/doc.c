/* doc.c - the document tree's helpers (see doc.h): source lines of rich text,
 * attributes, walking the tree, and releasing a document. */
#include "input/doc.h"

#include <string.h>
#include <strings.h>

#include <stdio.h>
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

const char *pm_parallel_problem(const pm_block *div, const pm_block **at)
{
    if (at) *at = div;
    if (div->nkids != 2) return "holds two parts (two divs, one per language); this one has another count";
    for (size_t s = 0; s < div->nkids; s++) {
        pm_walk w;
        pm_walk_init(&w, &div->kids[s], 1);
        const pm_block *x;
        size_t n = 0;
        for (pm_walk_event ev; (ev = pm_walk_next(&w, &x)) != PM_WALK_END;) {
            if (ev == PM_WALK_LEAVE || (ev == PM_WALK_ENTER && x->kind == PM_BLK_DIV)) continue;
            if (at) *at = x;
            if (ev == PM_WALK_ENTER || (x->kind != PM_BLK_PARA && x->kind != PM_BLK_HEADING))
                return "sets only paragraphs and headings side by side; this one holds a list, a quote, a table, "
                       "code or a figure";
            if (++n > PM_PARALLEL_MAX) return "sets at most 512 paragraphs side by side";
        }
    }
    if (at) *at = div;
    return NULL;
}

/* ---- footnotes numbered by page ------------------------------------------------------ */

/* Whether text t refers to a footnote. */
static int refers_to_note(const pm_text *t)
{
    for (uint32_t i = 0; i < t->nspans; i++)
        if (t->spans[i].note > 0) return 1;
    return 0;
}

int pm_doc_notes_may_reorder(const pm_doc *doc)
{
    for (size_t i = 0; i < doc->nnotes; i++)
        if (refers_to_note(&doc->notes[i].text)) return 1;
    pm_walk w;
    pm_walk_init(&w, doc->blocks, doc->nblocks);
    const pm_block *b;
    for (pm_walk_event ev; (ev = pm_walk_next(&w, &b)) != PM_WALK_END;)
        if (ev == PM_WALK_LEAF && b->kind == PM_BLK_FIGURE && refers_to_note(&b->text)) return 1;
    return 0;
}

/* t with every footnote reference's number replaced by renum[old] (its digits, the spans
 * and the source-line offsets after it moved along), in the document's arena. */
static void renumber_text(pm_arena *a, pm_text *t, const int *renum, int n)
{
    if (!refers_to_note(t)) return;
    size_t cap = t->len + 16 * (size_t)t->nspans + 1, len = 0;
    char *s = pm_arena_alloc(a, cap);
    pm_span *sp = pm_arena_array(a, t->nspans ? t->nspans : 1, sizeof *sp);
    memcpy(sp, t->spans, t->nspans * sizeof *sp);
    uint32_t *ls = pm_arena_array(a, t->nline_starts ? t->nline_starts : 1, sizeof *ls);
    if (t->nline_starts) memcpy(ls, t->line_starts, t->nline_starts * sizeof *ls);
    uint32_t from = 0;
    long shift = 0;
    for (uint32_t i = 0; i < t->nspans; i++) {
        const pm_span *ref = &t->spans[i];
        if (ref->note < 1 || ref->note > n) continue;
        memcpy(s + len, t->utf8 + from, ref->start - from);
        len += ref->start - from;
        int l = snprintf(s + len, cap - len, "%d", renum[ref->note]);
        len += (size_t)l;
        long d = (long)l - (long)(ref->end - ref->start);
        from = ref->end;
        sp[i].note = renum[ref->note];
        /* what ends at or after the reference's end moves by d (the reference too) */
        for (uint32_t k = 0; k < t->nspans; k++) {
            if (t->spans[k].start >= ref->end) sp[k].start = (uint32_t)(sp[k].start + d);
            if (t->spans[k].end >= ref->end) sp[k].end = (uint32_t)(sp[k].end + d);
        }
        for (uint32_t k = 0; k < t->nline_starts; k++)
            if (t->line_starts[k] >= ref->end) ls[k] = (uint32_t)(ls[k] + d);
        shift += d;
    }
    memcpy(s + len, t->utf8 + from, t->len - from);
    len += t->len - from;
    s[len] = 0;
    t->utf8 = s;
    t->len = (uint32_t)len;
    t->spans = sp;
    t->line_starts = ls;
    (void)shift;
}

static void renumber_blocks(pm_arena *a, pm_block *b, size_t nb, const int *renum, int n)
{
    for (size_t i = 0; i < nb; i++) {
        renumber_text(a, &b[i].text, renum, n);
        if (b[i].kind == PM_BLK_TABLE)
            for (int c = 0; c < b[i].nrows * b[i].ncols; c++) renumber_text(a, &b[i].cells[c], renum, n);
        renumber_blocks(a, b[i].kids, b[i].nkids, renum, n);
    }
}

int pm_doc_renumber_notes(pm_doc *doc, const int *order, int norder)
{
    int n = (int)doc->nnotes, changed = 0;
    if (n < 2) return 0;
    int *renum = calloc((size_t)n + 1, sizeof *renum), next = 1;
    for (int k = 0; k < norder; k++)
        if (order[k] >= 1 && order[k] <= n && !renum[order[k]]) renum[order[k]] = next++;
    for (int i = 1; i <= n; i++) /* notes never printed keep their order, after the others */
        if (!renum[i]) renum[i] = next++;
    for (int i = 1; i <= n; i++) changed |= renum[i] != i;
    if (changed) {
        renumber_blocks(doc->arena, doc->blocks, doc->nblocks, renum, n);
        pm_note *notes = calloc((size_t)n, sizeof *notes);
        for (int i = 1; i <= n; i++) {
            renumber_text(doc->arena, &doc->notes[i - 1].text, renum, n);
            notes[renum[i] - 1] = doc->notes[i - 1];
            notes[renum[i] - 1].number = renum[i];
        }
        memcpy(doc->notes, notes, (size_t)n * sizeof *notes);
        free(notes);
    }
    free(renum);
    return changed;
}

/* Mark in named[] the notes text t refers to. */
static void mark_named(const pm_text *t, char *named, int n)
{
    for (uint32_t i = 0; i < t->nspans; i++)
        if (t->spans[i].note >= 1 && t->spans[i].note <= n) named[t->spans[i].note] = 1;
}

static void mark_named_blocks(const pm_block *b, size_t nb, char *named, int n)
{
    for (size_t i = 0; i < nb; i++) {
        mark_named(&b[i].text, named, n);
        if (b[i].kind == PM_BLK_TABLE)
            for (int c = 0; c < b[i].nrows * b[i].ncols; c++) mark_named(&b[i].cells[c], named, n);
        mark_named_blocks(b[i].kids, b[i].nkids, named, n);
    }
}

int pm_doc_named_notes(const pm_doc *doc, char *named)
{
    int n = (int)doc->nnotes;
    memset(named, 0, (size_t)n + 1);
    mark_named_blocks(doc->blocks, doc->nblocks, named, n);
    for (int changed = 1; changed;) { /* (a note may name one before it) */
        changed = 0;
        for (int i = 1; i <= n; i++) {
            if (!named[i] || named[i] == 2) continue;
            named[i] = 2;
            mark_named(&doc->notes[i - 1].text, named, n);
            changed = 1;
        }
    }
    int count = 0;
    for (int i = 1; i <= n; i++) count += named[i] != 0;
    return count;
}

void pm_doc_keep_notes(pm_doc *doc, const char *keep)
{
    int n = (int)doc->nnotes, m = 0;
    int *renum = calloc((size_t)n + 1, sizeof *renum);
    for (int i = 1; i <= n; i++)
        if (keep[i]) renum[i] = ++m;
    for (int i = 1, next = m; i <= n; i++) /* (named by no text kept: any number will do) */
        if (!keep[i]) renum[i] = ++next;
    renumber_blocks(doc->arena, doc->blocks, doc->nblocks, renum, n);
    for (int i = 1; i <= n; i++) {
        if (!keep[i]) continue;
        pm_note note = doc->notes[i - 1];
        renumber_text(doc->arena, &note.text, renum, n);
        note.number = renum[i];
        doc->notes[renum[i] - 1] = note; /* (renum[i] <= i: moved down, never over one still to move) */
    }
    doc->nnotes = (size_t)m;
    free(renum);
}
