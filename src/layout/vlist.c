/* vlist.c - appending to a vertical list (see vlist.h). */
#include "layout/vlist.h"

#include <stdlib.h>
#include <string.h>

vitem *pm_vpush(vlist *l, vkind kind)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 256;
        l->v = pm_xrealloc(l->v, l->cap * sizeof *l->v);
    }
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
    free(l->v);
    l->v = NULL;
    l->n = l->cap = 0;
}
