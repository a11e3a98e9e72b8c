/* frame.c - building the page frame lists of frame.h. */
#include "layout/frame.h"

#include <stdlib.h>
#include <string.h>

/* The lines of pg's paragraph para. */
static int para_lines(const pm_page *pg, int para)
{
    int n = 0;
    for (size_t k = 0; k < pg->nitems; k++) n += pg->items[k].kind == PM_FI_LINE && pg->items[k].para == para;
    return n;
}

static void sum_of(const pm_page *pg, pm_page_sum *s)
{
    memset(s, 0, sizeof *s);
    const pm_fitem *first = NULL, *last = NULL;
    for (size_t k = 0; k < pg->nitems; k++) {
        const pm_fitem *it = &pg->items[k];
        s->figure |= it->kind == PM_FI_IMAGE;
        if (it->kind != PM_FI_LINE || (it->flags & PM_FL_RUNNING)) continue;
        if (!(it->flags & PM_FL_MARKER)) s->lines++;
        if (it->flags & PM_FL_NOTE) s->notes = 1;
        else if (it->y > s->foot_y) s->foot_y = it->y;
        if (it->flags & (PM_FL_NOTE | PM_FL_MARKER)) continue;
        if (it->y > s->text_y) s->text_y = it->y;
        if (!it->para) continue;
        if (!first) first = it;
        last = it;
    }
    if (first) {
        s->first_lineno = first->lineno;
        s->first_nlines = first->nlines;
        s->first_n = para_lines(pg, first->para);
        s->last_lineno = last->lineno;
        s->last_nlines = last->nlines;
        s->last_n = para_lines(pg, last->para);
    }
}

const pm_page_sum *pm_page_summary(const pm_page *pg, pm_page_sum *tmp)
{
    if (!pg->items) return &pg->sum; /* (released; or no items at all: a zero sum) */
    sum_of(pg, tmp);
    return tmp;
}

void pm_layout_release_items(pm_layout *l, size_t upto)
{
    for (; l->items_released < upto && l->items_released < l->npages; l->items_released++) {
        pm_page *pg = l->pages[l->items_released];
        sum_of(pg, &pg->sum);
        for (size_t k = 0; k < pg->nitems; k++)
            if (pg->items[k].image) pm_image_drop(pg->items[k].image);
        free(pg->items);
        pg->items = NULL;
        pg->nitems = pg->cap = 0;
    }
}

pm_layout *pm_layout_new(void)
{
    pm_layout *l = pm_xcalloc(1, sizeof *l);
    l->arena = pm_arena_new();
    l->epoch = -1;
    return l;
}

void pm_layout_drop(pm_layout *l)
{
    if (!l) return;
    for (size_t i = 0; i < l->npages; i++) {
        for (size_t k = 0; k < l->pages[i]->nitems; k++)
            if (l->pages[i]->items[k].image) pm_image_drop(l->pages[i]->items[k].image);
        free(l->pages[i]->items);
    }
    free(l->pages);
    pm_layout_release_lines(l, l->nchunks);
    free(l->chunks);
    pm_arena_drop(l->arena);
    pm_arena_drop(l->aux);
    free(l);
}

void pm_layout_release_lines(pm_layout *l, size_t upto)
{
    size_t held = 0;
    for (size_t k = l->released; k < l->nchunks; k++)
        if (l->chunks[k].a) held += pm_arena_used(l->chunks[k].a);
    if (held > l->lines_peak) l->lines_peak = held;
    for (; l->released < upto && l->released < l->nchunks; l->released++) {
        pm_line_chunk *c = &l->chunks[l->released];
        l->lines_released += pm_arena_used(c->a);
        pm_arena_drop(c->a);
        c->a = NULL;
    }
}

pm_page *pm_layout_add_page(pm_layout *l, double w, double h)
{
    if (l->npages == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 32;
        l->pages = pm_xrealloc(l->pages, l->cap * sizeof *l->pages);
    }
    pm_page *p = pm_arena_alloc(l->arena, sizeof *p);
    l->pages[l->npages] = p;
    p->index = (int)l->npages++;
    p->w = w;
    p->h = h;
    return p;
}

pm_fitem *pm_page_add(pm_layout *l, pm_page *p, pm_fitem_kind kind)
{
    (void)l;
    if (p->nitems == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 64;
        p->items = pm_xrealloc(p->items, p->cap * sizeof *p->items);
    }
    pm_fitem *it = &p->items[p->nitems++];
    memset(it, 0, sizeof *it);
    it->kind = kind;
    return it;
}
