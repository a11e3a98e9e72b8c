/* frame.c - building the page frame lists of frame.h. */
#include "layout/frame.h"

#include <stdlib.h>
#include <string.h>

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
    pm_arena_drop(l->arena);
    pm_arena_drop(l->aux);
    free(l);
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
