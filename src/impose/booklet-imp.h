/* booklet-imp.h - private to the booklet writers: the sheet drawing (sheets.c, with
 * cairo) shared by the booklet device (dev_booklet.c) and `pamphlet impose`
 * (impose_pdf.c). The arithmetic it draws from is cairo-free (impose.h).
 *
 * A writer describes its reading pages through a pm_bk_source (size, content bounds,
 * paint); pm_bk_write lays them out on sheets as pm_impose_order places them and writes
 * the PDF, so both outputs share the placement, duplex turning, creep, marks and the
 * printer-margin check. */
#ifndef PM_BOOKLET_IMP_H
#define PM_BOOKLET_IMP_H

#include <cairo.h>
#include <stdio.h>

#include "impose/booklet.h"
#include "impose/howto.h"
#include "layout/frame.h"

/* The reading pages, 0-based. */
typedef struct pm_bk_source {
    int npages;
    void *ud;
    /* size of page i in points */
    void (*size)(void *ud, int i, double *w, double *h);
    /* box (x0, y0, x1, y1, page coordinates) around everything page i draws; returns 0
       when it draws nothing */
    int (*bounds)(void *ud, int i, double box[4]);
    /* paint page i with its top-left corner at the origin of cr; PM_OK or an error code
       (after a diagnostic) */
    int (*paint)(void *ud, int i, cairo_t *cr);
} pm_bk_source;

/* Write the booklet of src to fp as PDF (fp stays open; the caller closes it), metadata
 * from meta (title, author, ..., epoch). path names the output in diagnostics: pages
 * scaled down, content inside the printer margin, marks with no room. Returns PM_OK, or
 * PM_EUSAGE / PM_EINPUT / PM_EIO after a diagnostic. Release sum with
 * pm_bk_summary_free, also after an error. */
int pm_bk_write(FILE *fp, const char *path, const pm_booklet_opts *o, const pm_bk_source *src,
                const pm_layout *meta, pm_bk_summary *sum);

/* `pamphlet impose` by reference (qpdf_impose.c, a prototype chosen with
 * PAMPHLET_IMPOSE=qpdf): every input page placed as a Form XObject, nothing redrawn. The
 * input was checked to look like a PDF. Returns an exit code. */
int pm_impose_pdf_ref(const char *in, const char *out, const pm_booklet_opts *o);

#endif
