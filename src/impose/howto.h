/* howto.h - private to the booklet writers: what a written booklet came to, and the
 * printing how-to made from it (howto.c; no drawing). */
#ifndef PM_HOWTO_H
#define PM_HOWTO_H

#include <stdio.h>

#include "impose/impose.h"

/* What pm_bk_write made: for the printing how-to. */
typedef struct pm_bk_summary {
    pm_imposition im;
    double max_creep;          /* largest shift toward the spine */
    int marks;                 /* fold and crop marks were drawn */
} pm_bk_summary;

void pm_bk_summary_free(pm_bk_summary *sum);

/* The printing how-to for a written booklet, for its fold: paper, sides, the duplex edge
 * or how to turn the stack by hand, then fold and staple (or sew signatures), cut and
 * stack, or fold and slit. */
void pm_bk_print_howto(FILE *out, const char *path, const pm_booklet_opts *o, const pm_bk_summary *sum);

/* "A4", or "210 x 297 mm" for a sheet of w x h points. */
void pm_bk_sheet_label(char *buf, size_t n, double w, double h);

#endif
