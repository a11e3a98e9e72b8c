/* booklet-imp.h - private to the booklet writers: imposing a finished PDF by reference
 * (byref.c, libqpdf), shared by the booklet writer (dev_booklet.c: from the reading PDF
 * it has just written) and `pamphlet impose` (impose_pdf.c: from any PDF), and the
 * checks both make before writing (plan.c: the order, the lines, scaled pages, content
 * inside the printer margin), which --preflight makes without writing anything. */
#ifndef PM_BOOKLET_IMP_H
#define PM_BOOKLET_IMP_H

#include <stdio.h>

#include "impose/booklet.h"
#include "impose/howto.h"

/* The reading pages, 0-based. */
typedef struct pm_bk_source {
    int npages;
    void *ud;
    /* size of page i in points, as shown */
    void (*size)(void *ud, int i, double *w, double *h);
    /* box (x0, y0, x1, y1; points from the page's top-left corner, y down) around
       everything page i draws; returns 0 when it draws nothing. NULL: not known (a PDF
       made elsewhere), no printer-margin check. */
    int (*bounds)(void *ud, int i, double box[4]);
} pm_bk_source;

/* What pm_bk_plan found: the order (sum->im), the lines of every side, and the pages that
 * had to shrink or reach into the printer margin. Release with pm_bk_plan_free. */
typedef struct pm_bk_plan {
    pm_bk_summary sum;
    double page_w, page_h;   /* the largest page */
    pm_mark_line *lines;     /* marks first, then cut lines (pm_sheet_lines) */
    int nlines, nmarks;
    int *sides, nsides;      /* the sides to write (o->sides), indexes into sum.im.sides */
    unsigned char *scaled, *near; /* per reading page */
    int nscaled, nnear;
    double min_scale, nearest;
    int nclipped;            /* marks shortened or left out: they reached into the printer margin */
    double need_w, need_h;   /* the sheet that would hold the marks whole outside the margin */
} pm_bk_plan;

/* Impose src as o asks and check every placed page. Returns PM_OK, or PM_EUSAGE /
 * PM_EINPUT after a diagnostic (bad options, a page count the fold cannot take). Release
 * p with pm_bk_plan_free, also after an error. */
int pm_bk_plan_make(const pm_booklet_opts *o, const pm_bk_source *src, pm_bk_plan *p);
/* The warnings of a plan: pages scaled down, content in the printer margin, marks asked
 * for with no room. path names the booklet. */
void pm_bk_plan_warn(const pm_bk_plan *p, const pm_booklet_opts *o, const char *path);
void pm_bk_plan_free(pm_bk_plan *p);

/* Impose the PDF at in (named in_name in diagnostics) by reference into a new PDF at
 * out (a temporary file the caller puts in place; named out_name in diagnostics): every
 * page becomes a Form XObject of its own content stream and resources, placed on the
 * sheets by the plan, fonts and images copied once and byte for byte. Pages are placed
 * by their TrimBox, else CropBox, else MediaBox. src may be NULL (the pages' sizes then
 * come from the PDF itself) or describe the same pages (the layout's frames: their ink
 * bounds for the printer-margin check). Prints the plan's warnings; fills *sum for the
 * how-to (release with pm_bk_summary_free, also after an error). Returns an exit code.
 * in_q: the same PDF as libqpdf already holds it (the finishing pass's, kept), read
 * instead of the file at in; NULL: read the file. It is read, not released. */
struct _qpdf_data;
int pm_bk_impose_file(const char *in, struct _qpdf_data *in_q, const char *in_name, const char *out,
                      const char *out_name, const pm_booklet_opts *o, const pm_bk_source *src, pm_bk_summary *sum);

#endif
