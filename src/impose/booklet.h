/* booklet.h - saddle-stitch imposition: reading pages placed two to a landscape sheet
 * side in booklet order, for copying double-sided, folding and stapling.
 *
 * impose.c holds the arithmetic (page order, blanks, signatures, duplex turning, creep,
 * sheet geometry), unit-tested without any drawing; dev_booklet.c is the device that
 * paints laid-out pages onto sheets; impose_pdf.c imposes an existing PDF through
 * poppler. */
#ifndef PM_BOOKLET_H
#define PM_BOOKLET_H

#include "output/writer.h"
#include "input/spec.h"

typedef struct pm_booklet_opts {
    double sheet_w, sheet_h;  /* landscape sheet in points; 0 = automatic from the page size */
    pm_duplex duplex;
    pm_blanks blanks;
    int signature;            /* sheets per signature; 0 = all in one */
    double creep;             /* paper thickness in points */
    int marks;                /* fold and crop marks */
    double printer_margin;    /* copier's unprintable edge in points */
    int rtl;                  /* bound on the right */
    int quiet;                /* do not print the printing how-to (-q; watch mode's rebuilds) */
} pm_booklet_opts;

/* Options from a layout's booklet: section. */
void pm_booklet_opts_from_spec(const pm_spec *s, pm_booklet_opts *o);

/* One side of one sheet: the reading pages (1-based, 0 = blank) on its left and right
 * halves, whether the side is turned 180 degrees, and the creep shift of its pages. */
typedef struct pm_sheet_side {
    int left, right;
    int turned;
    int sheet;          /* sheet number, 0-based, across signatures */
    int sheet_in_sig;   /* 0 = outermost sheet of its signature */
    double creep;       /* how far both pages move toward the spine, in points */
} pm_sheet_side;

typedef struct pm_imposition {
    pm_sheet_side *sides; /* 2 per sheet: front, back */
    int nsides;
    int npages;           /* reading pages */
    int padded;           /* after padding to a multiple of 4 (per signature rules) */
    int blanks;           /* blank pages added */
    int sheets;
} pm_imposition;

/* Compute the order for npages reading pages. Returns PM_OK, or PM_EUSAGE for bad
 * options (with a diagnostic). Free with pm_imposition_free. */
int pm_impose_order(int npages, const pm_booklet_opts *o, pm_imposition *out);
void pm_imposition_free(pm_imposition *im);

/* Choose the sheet for pages of w x h points when o has none: A5 -> A4, half-letter ->
 * Letter, else the smallest standard sheet of the page's family (metric / inch) holding
 * two pages side by side. Sets *sheet_w and *sheet_h (landscape) and *scale (1, or less
 * when the pages must shrink to fit; the booklet writers warn). Prints nothing. */
void pm_booklet_sheet(const pm_booklet_opts *o, double w, double h, double *sheet_w, double *sheet_h,
                      double *scale);

/* The booklet writer: collects the pages, writes the sheets at end(). Prints the
 * printing how-to (sheets, which edge to flip, fold, staple) after commit. */
pm_writer *pm_booklet_writer_new(const char *path, const pm_booklet_opts *o);

/* --preflight: impose lay's pages without writing anything (the same warnings as a real
 * booklet: scaled pages, content in the printer margin) and report the order in *im
 * (release with pm_imposition_free). Returns PM_OK or an error code. */
int pm_booklet_preflight(const pm_layout *lay, const pm_booklet_opts *o, pm_imposition *im);

/* `pamphlet impose IN.pdf -o OUT.pdf`: impose an existing PDF. Returns an exit code. */
int pm_impose_pdf(const char *in, const char *out, const pm_booklet_opts *o);

#endif
