/* pdfstruct.c - the structure tree of a tagged PDF (pdfstruct.h): what element an item
 * belongs to and the order items are painted in (both writers), and the tree direct.c
 * builds and writes with libqpdf. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output/pdfstruct.h"
#include "base/diag.h"

/* ---- shared: elements and order ------------------------------------------------------- */

const char *pm_struct_of(const pm_page *pg, size_t i, int *key)
{
    const pm_fitem *it = &pg->items[i];
    static const char *const h[] = {"H1", "H2", "H3", "H4", "H5", "H6"};
    *key = it->para;
    if (it->kind == PM_FI_IMAGE) return "Figure";
    if (it->kind != PM_FI_LINE || it->flags & PM_FL_RUNNING) return NULL;
    if (it->flags & PM_FL_CAPTION) return "Caption";
    if (it->flags & PM_FL_NOTE) return "Note";
    if (it->flags & PM_FL_MARKER) return "Lbl";
    if (it->flags & PM_FL_CELL) return "TD";
    if (it->flags & PM_FL_HEADING) {
        for (size_t k = i; k-- > 0;) /* the level of the destination before its first line */
            if (pg->items[k].kind == PM_FI_DEST && pg->items[k].level > 0) {
                *key = -(int)k;
                return h[pg->items[k].level > 6 ? 5 : pg->items[k].level - 1];
            }
        return "H1";
    }
    return "P";
}

int pm_struct_is_cell(const pm_fitem *it)
{
    return it->sn && (!strcmp(it->sn->role, "TD") || !strcmp(it->sn->role, "TH"));
}

void pm_struct_paint_order(const pm_page *pg, size_t *ord)
{
    const pm_fitem *it = pg->items;
    size_t n = pg->nitems;
    for (size_t i = 0; i < n; i++) ord[i] = i;
    for (size_t i = 0; i + 1 < n; i++)
        if (it[i].kind == PM_FI_LINE && !(it[i].flags & PM_FL_MARKER) && it[i].sn &&
            it[i + 1].kind == PM_FI_LINE && (it[i + 1].flags & PM_FL_MARKER) && it[i + 1].sn == it[i].sn) {
            ord[i] = i + 1;
            ord[i + 1] = i;
            i++;
        }
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && pm_struct_is_cell(&it[ord[j]]) && it[ord[j]].sn->up == it[ord[i]].sn->up) j++;
        for (size_t a = i + 1; a < j; a++) /* stable: insertion */
            for (size_t b = a; b > i && it[ord[b - 1]].sn->col > it[ord[b]].sn->col; b--) {
                size_t t = ord[b];
                ord[b] = ord[b - 1];
                ord[b - 1] = t;
            }
        i = j > i ? j : i + 1;
    }
    size_t *rest = pm_xmalloc((n + 1) * sizeof *rest), nr = 0, k = 0;
    for (size_t i = 0; i < n; i++) {
        const pm_fitem *x = &it[ord[i]];
        if (x->kind == PM_FI_LINE && (x->flags & PM_FL_RUNNING)) ord[k++] = ord[i];
        else rest[nr++] = ord[i];
    }
    memcpy(ord + k, rest, nr * sizeof *rest);
    free(rest);
}

/* ---- the tree direct.c builds ---------------------------------------------------------- */

enum { KID_EL, KID_MCID, KID_ANNOT };
typedef struct {
    int kind, page, n; /* n: the element, the MCID, or the annotation's index on the page */
} kid;

typedef struct {
    char *role;
    int parent;
    kid *kids;
    int nkids, capkids;
    char *alt;
    int late; /* a kid came after its /K was made (made again at the end) */
} elem;

#define SDEPTH 64
struct pm_pstruct {
    elem *el;
    int n, cap;
    int page, mcid;
    int **page_mc; /* per page: the element of each MCID */
    int *npage_mc, *cappage_mc;
    int npages, cappages;
    /* open while a page is painted: list and table elements (outermost first), the leaf */
    const pm_snode *open_sn[SDEPTH];
    int open_el[SDEPTH];
    int nopen, leaf, leaf_key;
    /* as libqpdf objects, made page by page (pm_pstruct_emit_pages): the elements
       [1, nmade) and the parent tree's entries of pages [0, pages_made) */
    qpdf_oh root, nums, *obj;
    int nmade, capobj, pages_made, next_key;
};

static void add_kid(pm_pstruct *s, int el, kid k)
{
    elem *e = &s->el[el];
    if (el > 0 && el < s->nmade) e->late = 1;
    if (e->nkids == e->capkids) {
        e->capkids = e->capkids * 2 + 4;
        e->kids = pm_xrealloc(e->kids, (size_t)e->capkids * sizeof *e->kids);
    }
    e->kids[e->nkids++] = k;
}

static int new_elem(pm_pstruct *s, const char *role, int parent)
{
    if (s->n == s->cap) {
        s->cap = s->cap * 2 + 64;
        s->el = pm_xrealloc(s->el, (size_t)s->cap * sizeof *s->el);
    }
    s->el[s->n] = (elem){.role = pm_xstrdup(role), .parent = parent};
    if (parent >= 0) add_kid(s, parent, (kid){KID_EL, -1, s->n});
    return s->n++;
}

pm_pstruct *pm_pstruct_new(void)
{
    pm_pstruct *s = pm_xcalloc(1, sizeof *s);
    new_elem(s, "Document", -1);
    s->leaf = -1;
    return s;
}

void pm_pstruct_free(pm_pstruct *s)
{
    if (!s) return;
    for (int i = 0; i < s->n; i++) {
        free(s->el[i].kids);
        free(s->el[i].alt);
        free(s->el[i].role);
    }
    for (int i = 0; i < s->npages; i++) free(s->page_mc[i]);
    free(s->page_mc);
    free(s->npage_mc);
    free(s->cappage_mc);
    free(s->el);
    free(s->obj);
    free(s);
}

void pm_pstruct_page(pm_pstruct *s, int page)
{
    while (s->npages <= page) {
        if (s->npages == s->cappages) {
            s->cappages = s->cappages * 2 + 16;
            s->page_mc = pm_xrealloc(s->page_mc, (size_t)s->cappages * sizeof *s->page_mc);
            s->npage_mc = pm_xrealloc(s->npage_mc, (size_t)s->cappages * sizeof *s->npage_mc);
            s->cappage_mc = pm_xrealloc(s->cappage_mc, (size_t)s->cappages * sizeof *s->cappage_mc);
        }
        s->page_mc[s->npages] = NULL;
        s->npage_mc[s->npages] = s->cappage_mc[s->npages] = 0;
        s->npages++;
    }
    s->page = page;
    s->nopen = 0;
    s->leaf = -1;
}

void pm_pstruct_page_end(pm_pstruct *s)
{
    s->nopen = 0;
    s->leaf = -1;
}

static int innermost(const pm_pstruct *s) { return s->nopen ? s->open_el[s->nopen - 1] : 0; }

/* Close the leaf and the elements from depth n in. */
static void close_to(pm_pstruct *s, int n)
{
    s->leaf = -1;
    if (s->nopen > n) s->nopen = n;
}

/* Open the elements from the outermost to sn not open yet, closing those sn is not in. */
static void open_path(pm_pstruct *s, const pm_snode *sn)
{
    const pm_snode *path[SDEPTH];
    int n = 0, k = 0;
    for (const pm_snode *p = sn; p && n < SDEPTH; p = p->up) path[n++] = p;
    while (k < s->nopen && k < n && s->open_sn[k] == path[n - 1 - k]) k++;
    if (k < s->nopen || k < n) close_to(s, k);
    for (; k < n; k++) {
        s->open_el[s->nopen] = new_elem(s, path[n - 1 - k]->role, innermost(s));
        s->open_sn[s->nopen++] = path[n - 1 - k];
    }
}

int pm_pstruct_item(pm_pstruct *s, const pm_page *pg, size_t i, const pm_fitem *it, int inked)
{
    int key = 0;
    const char *st = inked ? pm_struct_of(pg, i, &key) : NULL;
    if (it->kind == PM_FI_DEST || (it->kind == PM_FI_LINE && (it->flags & PM_FL_RUNNING))) {
        close_to(s, 0);
        return -1;
    }
    if (!st) return it->kind == PM_FI_LINE && inked && s->leaf >= 0 ? s->leaf : -1;
    const pm_snode *path = it->kind == PM_FI_LINE ? it->sn : NULL;
    if (path && (it->flags & PM_FL_MARKER) && !strcmp(path->role, "LBody")) path = path->up; /* Lbl in LI */
    if (pm_struct_is_cell(it)) {
        st = NULL; /* the cell's lines in the cell itself */
    } else if (!path && (it->flags & PM_FL_CELL)) { /* a header repeated on a page: no element */
        close_to(s, 0);
        return -1;
    }
    open_path(s, path);
    if (!st) return innermost(s);
    if (s->leaf >= 0 && !strcmp(st, s->el[s->leaf].role) && key == s->leaf_key && strcmp(st, "Figure") && strcmp(st, "Lbl"))
        return s->leaf;
    s->leaf = new_elem(s, st, innermost(s));
    s->leaf_key = key;
    if (it->kind == PM_FI_IMAGE && it->title && *it->title) s->el[s->leaf].alt = pm_xstrdup(it->title);
    return s->leaf;
}

const char *pm_pstruct_role(const pm_pstruct *s, int el) { return s->el[el].role; }

int pm_pstruct_mcid(pm_pstruct *s, int el)
{
    int p = s->page;
    if (s->npage_mc[p] == s->cappage_mc[p]) {
        s->cappage_mc[p] = s->cappage_mc[p] * 2 + 16;
        s->page_mc[p] = pm_xrealloc(s->page_mc[p], (size_t)s->cappage_mc[p] * sizeof **s->page_mc);
    }
    int m = s->npage_mc[p]++;
    s->page_mc[p][m] = el;
    add_kid(s, el, (kid){KID_MCID, p, m});
    return m;
}

void pm_pstruct_link(pm_pstruct *s, int el, int annot)
{
    int link = new_elem(s, "Link", el);
    add_kid(s, link, (kid){KID_ANNOT, s->page, annot});
}

/* ---- as libqpdf objects ------------------------------------------------------------------ */

/* An element's /K: its kids as element references, MCIDs (with /Pg on the element when
 * they are all on one page, else as marked-content references) and object references. */
static qpdf_oh kids_of(const pm_pstruct *s, int i, qpdf_data q, const qpdf_oh *obj, const qpdf_oh *pages,
                       const qpdf_oh *annots, qpdf_oh el)
{
    const elem *e = &s->el[i];
    int pg = -1, one = 1;
    for (int k = 0; k < e->nkids; k++)
        if (e->kids[k].kind != KID_EL) {
            if (pg >= 0 && pg != e->kids[k].page) one = 0;
            pg = e->kids[k].page;
        }
    if (pg >= 0 && one) qpdf_oh_replace_key(q, el, "/Pg", pages[pg]);
    else if (e->late) qpdf_oh_remove_key(q, el, "/Pg"); /* (made when they were on one page) */
    qpdf_oh arr = qpdf_oh_new_array(q);
    for (int k = 0; k < e->nkids; k++) {
        const kid *c = &e->kids[k];
        if (c->kind == KID_EL) {
            qpdf_oh_append_item(q, arr, obj[c->n]);
        } else if (c->kind == KID_MCID && one) {
            pm_qpdf_append(q, arr, qpdf_oh_new_integer(q, c->n));
        } else if (c->kind == KID_MCID) {
            qpdf_oh mcr = qpdf_oh_parse(q, "<< /Type /MCR >>");
            qpdf_oh_replace_key(q, mcr, "/Pg", pages[c->page]);
            pm_qpdf_put_key(q, mcr, "/MCID", qpdf_oh_new_integer(q, c->n));
            pm_qpdf_append(q, arr, mcr);
        } else {
            qpdf_oh r = qpdf_oh_parse(q, "<< /Type /OBJR >>");
            qpdf_oh_replace_key(q, r, "/Pg", pages[c->page]);
            pm_qpdf_put_key(q, r, "/Obj", qpdf_oh_get_array_item(q, annots[c->page], c->n));
            pm_qpdf_append(q, arr, r);
        }
    }
    return arr;
}

/* Element i's dictionary, without /P and /K. */
static qpdf_oh elem_object(const pm_pstruct *s, int i, qpdf_data q)
{
    qpdf_oh d = qpdf_oh_new_dictionary(q), o = qpdf_make_indirect_object(q, d);
    qpdf_oh_release(q, d);
    pm_qpdf_put_key(q, o, "/Type", qpdf_oh_new_name(q, "/StructElem"));
    char role[80];
    snprintf(role, sizeof role, "/%s", s->el[i].role);
    pm_qpdf_put_key(q, o, "/S", qpdf_oh_new_name(q, role));
    if (s->el[i].alt) pm_qpdf_put_key(q, o, "/Alt", qpdf_oh_new_unicode_string(q, s->el[i].alt));
    return o;
}

void pm_pstruct_emit_pages(pm_pstruct *s, qpdf_data q, const qpdf_oh *pages, const qpdf_oh *annots, int npages)
{
    if (s->capobj < s->n) {
        s->capobj = s->n * 2;
        s->obj = pm_xrealloc(s->obj, (size_t)s->capobj * sizeof *s->obj);
    }
    if (!s->nmade) { /* the root and the Document (its kids at the end) */
        s->root = qpdf_make_indirect_object(q, qpdf_oh_parse(q, "<< /Type /StructTreeRoot >>"));
        s->nums = qpdf_oh_new_array(q);
        s->obj[0] = elem_object(s, 0, q);
        qpdf_oh_replace_key(q, s->obj[0], "/P", s->root);
        s->nmade = 1;
    }
    int from = s->nmade;
    for (int i = from; i < s->n; i++) s->obj[i] = elem_object(s, i, q);
    for (int i = from; i < s->n; i++) {
        qpdf_oh_replace_key(q, s->obj[i], "/P", s->obj[s->el[i].parent]);
        pm_qpdf_put_key(q, s->obj[i], "/K", kids_of(s, i, q, s->obj, pages, annots, s->obj[i]));
    }
    s->nmade = s->n;
    /* the parent tree: each page's MCIDs' elements (the link annotations' Links follow,
       pm_pstruct_emit_end) */
    for (int p = s->pages_made; p < npages && p < s->npages; p++) {
        if (!s->npage_mc[p]) continue;
        qpdf_oh arr = qpdf_oh_new_array(q);
        for (int m = 0; m < s->npage_mc[p]; m++) qpdf_oh_append_item(q, arr, s->obj[s->page_mc[p][m]]);
        pm_qpdf_put_key(q, pages[p], "/StructParents", qpdf_oh_new_integer(q, s->next_key));
        pm_qpdf_append(q, s->nums, qpdf_oh_new_integer(q, s->next_key++));
        pm_qpdf_append(q, s->nums, arr);
    }
    if (npages > s->pages_made) s->pages_made = npages;
}

void pm_pstruct_emit_end(pm_pstruct *s, qpdf_data q, const qpdf_oh *pages, const qpdf_oh *annots, int npages)
{
    pm_pstruct_emit_pages(s, q, pages, annots, npages);
    qpdf_oh *obj = s->obj;
    pm_qpdf_put_key(q, obj[0], "/K", kids_of(s, 0, q, obj, pages, annots, obj[0]));
    for (int i = 1; i < s->n; i++)
        if (s->el[i].late) pm_qpdf_put_key(q, obj[i], "/K", kids_of(s, i, q, obj, pages, annots, obj[i]));
    for (int i = 0; i < s->n; i++) /* the link annotations' parents, after the pages' */
        for (int k = 0; k < s->el[i].nkids; k++) {
            const kid *c = &s->el[i].kids[k];
            if (c->kind != KID_ANNOT) continue;
            qpdf_oh an = qpdf_oh_get_array_item(q, annots[c->page], c->n);
            pm_qpdf_put_key(q, an, "/StructParent", qpdf_oh_new_integer(q, s->next_key));
            qpdf_oh_release(q, an);
            pm_qpdf_append(q, s->nums, qpdf_oh_new_integer(q, s->next_key++));
            qpdf_oh_append_item(q, s->nums, obj[i]);
        }
    qpdf_oh pt = qpdf_oh_new_dictionary(q);
    qpdf_oh_replace_key(q, pt, "/Nums", s->nums);
    qpdf_oh_replace_key(q, s->root, "/ParentTree", qpdf_make_indirect_object(q, pt));
    pm_qpdf_put_key(q, s->root, "/ParentTreeNextKey", qpdf_oh_new_integer(q, s->next_key));
    qpdf_oh_replace_key(q, s->root, "/K", obj[0]);
    qpdf_oh cat = qpdf_get_root(q);
    qpdf_oh_replace_key(q, cat, "/StructTreeRoot", s->root);
    qpdf_oh_replace_key(q, cat, "/MarkInfo", qpdf_oh_parse(q, "<< /Marked true >>"));
}
