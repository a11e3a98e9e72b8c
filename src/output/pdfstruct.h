/* pdfstruct.h - the structure tree of a tagged PDF (headings, paragraphs, figures,
 * captions, notes, lists L/LI/Lbl/LBody, tables Table/TR/TH/TD, links): which element an
 * item of a page belongs to, and the order items are painted in so that the tree reads
 * in order. Shared by the PDF writers: pdf.c tags through cairo, direct.c builds the
 * tree itself (pm_pstruct) and writes it with libqpdf. */
#ifndef PM_PDFSTRUCT_H
#define PM_PDFSTRUCT_H

#include <stddef.h>

#include "layout/frame.h"
#include "output/qpdf_api.h"

/* The order items are painted in, for the structure's reading order: a list item's marker
 * before its first line (emit.c puts it after), a table row's lines cell by cell (emit.c
 * puts them line by line across the row), the running head and foot first (outside the
 * structure). Nothing overlaps there, so the page looks the same. ord: nitems entries. */
void pm_struct_paint_order(const pm_page *pg, size_t *ord);
/* The leaf element item i of pg belongs to ("P", "H2", "Figure", "Caption", "Note",
 * "Lbl", "TD"), or NULL for none (running heads, links, destinations, graphics); *key
 * tells apart paragraphs of the same kind. */
const char *pm_struct_of(const pm_page *pg, size_t i, int *key);
/* Whether a line item is a table cell's (its element is the TD or TH itself). */
int pm_struct_is_cell(const pm_fitem *it);

/* The tree direct.c builds: elements opened and closed as a page's items come (in paint
 * order), every piece of marked content and every link annotation a kid of one. */
typedef struct pm_pstruct pm_pstruct;
pm_pstruct *pm_pstruct_new(void);
void pm_pstruct_free(pm_pstruct *s);
/* Page number page begins (0-based, in order). */
void pm_pstruct_page(pm_pstruct *s, int page);
/* Item i of pg (it: as painted), inked: whether it puts ink on the page. Returns the
 * element its content is marked as part of, -1 for an artifact (running heads, rules,
 * fields, boxes, a line without ink) . */
int pm_pstruct_item(pm_pstruct *s, const pm_page *pg, size_t i, const pm_fitem *it, int inked);
/* Element el's structure type ("P", "H1", ...). */
const char *pm_pstruct_role(const pm_pstruct *s, int el);
/* A new marked-content id on the current page, as a kid of element el. */
int pm_pstruct_mcid(pm_pstruct *s, int el);
/* Link annotation number annot of the current page, in a Link element under el. */
void pm_pstruct_link(pm_pstruct *s, int el, int annot);
/* The page's last item came: every element closes (as cairo's tags did per page). */
void pm_pstruct_page_end(pm_pstruct *s);

/* The tree as libqpdf objects, made as the pages come (direct.c, on the drawing thread
 * when libqpdf is loaded by then): pm_pstruct_emit_pages makes the elements of the pages
 * painted so far (every element but the Document closes with its page) and each page's
 * /StructParents, pages [0, npages) made; pm_pstruct_emit_end the rest: the Document's
 * kids, each link annotation's /StructParent, the parent tree, the catalog's
 * /StructTreeRoot and /MarkInfo. pages: the page objects; annots: each page's /Annots
 * array (or a null object). An element given a kid after its objects were made (none is,
 * today) gets its /K again at the end. */
void pm_pstruct_emit_pages(pm_pstruct *s, qpdf_data q, const qpdf_oh *pages, const qpdf_oh *annots, int npages);
void pm_pstruct_emit_end(pm_pstruct *s, qpdf_data q, const qpdf_oh *pages, const qpdf_oh *annots, int npages);

#endif
