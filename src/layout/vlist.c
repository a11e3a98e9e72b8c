/* vlist.c - appending to a vertical list (see vlist.h), and where its items live. */
#define _GNU_SOURCE /* mremap */
#include "layout/vlist.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

/* A list holds its items on the heap while it is small; from LIST_MAP bytes on, in a
 * mapping of its own that grows in place or moves without copying (mremap), as cairo's
 * output does (output/pdf.c). A document's list is the whole body's: the 400-page book's
 * grew to 28000 items (5.4 MB), and each doubling on the heap copied it and left the old
 * block free but resident (3 MB) under everything the page builder allocated after. */
#define LIST_MAP (1 << 20)

static int map_room(vlist *l, size_t bytes)
{
    void *p = l->mapped ? mremap(l->v, l->cap * sizeof *l->v, bytes, MREMAP_MAYMOVE)
                        : mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) return -1;
    if (!l->mapped && l->n) memcpy(p, l->v, l->n * sizeof *l->v);
    if (!l->mapped) free(l->v);
    l->v = p;
    l->mapped = 1;
    return 0;
}

void pm_vlist_reserve(vlist *l, size_t n)
{
    if (n <= l->cap) return;
    size_t cap = l->cap ? l->cap : 256, bytes;
    while (cap < n) cap *= 2;
    bytes = cap * sizeof *l->v;
    if (bytes >= LIST_MAP && map_room(l, bytes) == 0) {
        l->cap = cap;
        return;
    }
    if (l->mapped) { /* (no mapping to be had: on the heap after all) */
        vitem *h = pm_xmalloc(bytes);
        memcpy(h, l->v, l->n * sizeof *l->v);
        munmap(l->v, l->cap * sizeof *l->v);
        l->v = h;
        l->mapped = 0;
    } else {
        l->v = pm_xrealloc(l->v, bytes);
    }
    l->cap = cap;
}

vitem *pm_vpush(vlist *l, vkind kind)
{
    if (l->n == l->cap) pm_vlist_reserve(l, l->n + 1);
    vitem *it = &l->v[l->n++];
    memset(it, 0, sizeof *it);
    it->kind = kind;
    it->vp = -1;
    return it;
}

void pm_vglue(vlist *l, double h, double stretch)
{
    vitem *g = pm_vpush(l, V_GLUE);
    g->h = h;
    g->stretch = stretch;
}

void pm_vpenalty(vlist *l, int p) { pm_vpush(l, V_PENALTY)->penalty = p; }

void pm_vlist_free(vlist *l)
{
    if (l->mapped) munmap(l->v, l->cap * sizeof *l->v);
    else free(l->v);
    l->v = NULL;
    l->n = l->cap = 0;
    l->mapped = 0;
}
