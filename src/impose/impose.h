/* impose.h - the imposition arithmetic, with no drawing (impose.c; no cairo here): which
 * reading page goes where on which side of which printed sheet, for every fold.
 *
 * A fold is a *scheme* that turns the reading pages into printed sheets:
 *   saddle     two pages side by side on each side of a landscape sheet; the sheets are
 *              folded together and stapled in the fold (the booklet of the imposition
 *              notes: blanks, signatures, right-to-left binding, creep);
 *   2up        the same booklet sides twice on a sheet of twice the size, one above the
 *              other, to print, cut in half and make two booklets;
 *   cut-stack  several booklet sides (slots) on a sheet; the printed stack is cut into one
 *              pile per slot, the piles are laid on each other (slot 1 on top) and folded
 *              as one booklet;
 *   zine8      eight pages on one side of one landscape sheet, top row turned 180 degrees,
 *              for the fold-and-slit mini-zine.
 * Each side of a printed sheet is a list of cells {page, x, y, w, h, rotation}; where the
 * page sits inside its cell (against the spine, centred, moved by the creep, scaled) is
 * pm_cell_place, so the cairo writer (sheets.c) and any other writer place pages alike. */
#ifndef PM_IMPOSE_H
#define PM_IMPOSE_H

#include "input/spec.h"

typedef enum { PM_SIDES_BOTH, PM_SIDES_FRONT, PM_SIDES_BACK } pm_sides;

typedef struct pm_booklet_opts {
    double sheet_w, sheet_h;  /* sheet in points (either way round); 0 = automatic from the page size */
    pm_fold fold;
    pm_duplex duplex;
    pm_blanks blanks;
    int signature;            /* sheets per signature; 0 = all in one */
    double creep;             /* paper thickness in points */
    int marks;                /* fold and crop marks */
    double printer_margin;    /* copier's unprintable edge in points */
    int rtl;                  /* bound on the right */
    pm_sides sides;           /* write both sides, or only the fronts or backs (copiers without duplex) */
    int quiet;                /* do not print the printing how-to (-q; watch mode's rebuilds) */
} pm_booklet_opts;

/* Options from a layout's booklet: section (defaults when s is NULL). */
void pm_booklet_opts_from_spec(const pm_spec *s, pm_booklet_opts *o);

/* Which edge of the page, in the page's own upright frame, lies against the spine. */
typedef enum { PM_SPINE_NONE, PM_SPINE_LEFT, PM_SPINE_RIGHT } pm_spine;

/* One reading page on one side of a printed sheet. */
typedef struct pm_cell {
    int page;            /* reading page, 1-based; 0 = blank */
    double x, y, w, h;   /* the cell on the sheet side, points from its top-left corner */
    int rotation;        /* 0, 90, 180 or 270: degrees the page is turned clockwise */
    pm_spine spine;      /* the page is pushed against this edge (and moved across it by creep) */
    double creep;        /* how far the page moves toward the spine, in points */
    int folded;          /* the folded sheet (pair of leaves) it belongs to, 0-based, in
                            reading order; -1 for zine8 */
    int sheet_in_sig;    /* nesting of that folded sheet: 0 = outermost of its signature */
} pm_cell;

/* One side of one printed sheet. */
typedef struct pm_sheet_side {
    pm_cell *cells;      /* into pm_imposition.cells */
    int ncells;
    int sheet;           /* printed sheet, 0-based */
    int back;            /* 0 front, 1 back */
    int turned;          /* printed upside down for the duplex edge (or empty back: the front) */
} pm_sheet_side;

typedef struct pm_imposition {
    pm_fold fold;
    double sheet_w, sheet_h; /* the printed sheet as written (landscape or portrait), points */
    double scale;         /* of pages of the size imposed for (1 or less) */
    pm_sheet_side *sides; /* every side of every sheet: front, back (zine8: fronts only) */
    int nsides;
    pm_cell *cells;
    int ncells;
    int npages;           /* reading pages */
    int padded;           /* pages in the folded booklet, blanks included */
    int blanks;           /* blank pages added */
    int sheets;           /* printed sheets */
    int folded;           /* folded sheets (after cutting, for 2up and cut-stack one booklet's) */
    int blank_folded;     /* cut-stack: empty folded sheets at the end of the stack (left out) */
    int slots;            /* booklet sides per sheet side (cut-stack), copies (2up); else 1 */
    int slot_cols, slot_rows;
} pm_imposition;

/* Impose npages reading pages of page_w x page_h points (the largest, when they differ):
 * choose the sheet (pm_booklet_sheet), the order and the cells. Returns PM_OK, or
 * PM_EUSAGE / PM_EINPUT for bad options or a page count the fold cannot take (after a
 * diagnostic). Release with pm_imposition_free (also after an error). */
int pm_impose_order(int npages, double page_w, double page_h, const pm_booklet_opts *o, pm_imposition *out);
void pm_imposition_free(pm_imposition *im);

/* The sides to write, honouring o->sides: their indexes into im->sides, in order.
 * Returns how many (*idx is malloc'd; the caller frees it). */
int pm_imposition_written_sides(const pm_imposition *im, const pm_booklet_opts *o, int **idx);

/* The sheet for the fold when o has none: the smallest standard sheet of the page's family
 * (metric / inch) holding the fold's pages at full size: saddle 2 x 1 (A5 -> A4,
 * half-letter -> Letter), 2up 2 x 2 portrait (A6 -> A4, quarter-letter -> Letter), zine8
 * 4 x 2 (A7 -> A4), cut-stack two slots but at least A4 / Letter. Sets *sheet_w and
 * *sheet_h as the sheet is printed (landscape for saddle and zine8, portrait for 2up,
 * the way holding more slots for cut-stack) and *scale (1, or less when the pages must
 * shrink to fit). Prints nothing. */
void pm_booklet_sheet(const pm_booklet_opts *o, double w, double h, double *sheet_w, double *sheet_h,
                      double *scale);

/* The booklet sides on a sheet of sw x sh (as printed) for pages of w x h: cols x rows
 * slots (cut-stack: as many as fit, at least one; 2up: 1 x 2; saddle, zine8: 1 x 1). */
void pm_fold_grid(const pm_booklet_opts *o, double w, double h, double sw, double sh, int *cols, int *rows);

/* Scale of a page of w x h points in a cell of cw x ch: 1 when it fits (give or take
 * PM_PAPER_TOL, rounding in paper sizes), else as large as fits. */
#define PM_PAPER_TOL 0.5
double pm_fit_scale(double cw, double ch, double w, double h);

/* A line drawn on a sheet side besides the pages (sheet space, points, y down): a thin
 * fold or crop mark, or a dashed line to cut along (cut != 0). */
typedef struct pm_mark_line {
    double x0, y0, x1, y1;
    int cut;
} pm_mark_line;
#define PM_MARK_WIDTH 0.25 /* points */
#define PM_MARK_GAP 3.0    /* marks stop this far from the page edge */
#define PM_MARK_LEN 15.0   /* longest mark */
#define PM_MARK_MIN 4.0    /* shortest mark worth drawing */
#define PM_CUT_WIDTH 0.4   /* cut lines and the zine's slit, dashed */
#define PM_CUT_DASH 4.0

/* The lines of every side of im, for pages of page_w x page_h points (the largest): with
 * marks, fold and crop marks around each booklet side (zine8: around the eight pages),
 * where there is room outside the pages; then the cut lines between the slots of 2up and
 * cut-stack, or the zine8's slit. Sets *nmarks to how many marks come first; returns the
 * number of lines (*out is malloc'd, for the caller to free). */
int pm_sheet_lines(const pm_imposition *im, double page_w, double page_h, int marks, pm_mark_line **out,
                   int *nmarks);

/* The smallest standard sheet (by area) that holds w x h points either way round, of the
 * inch family (us) or the metric one if there is one, else of the other; NULL: none. */
const char *pm_sheet_holding(double w, double h, int us);
/* Whether a sheet of w x h points is of the inch family (Letter, or in quarter inches). */
int pm_sheet_us(double w, double h);

/* Name of a standard sheet of w x h points in either orientation ("A4"), or NULL. */
const char *pm_sheet_name(double w, double h);

/* Where a page of w x h points goes in its cell. The writer turns the sheet by rotation
 * about (rx, ry) (for 180: translate to (rx, ry), then rotate), clips to the cell
 * (cx0, cy0)-(cx1, cy1) in that turned frame, and paints the page with its top-left corner
 * at (x, y), scaled by s. */
typedef struct pm_place {
    int rotation;
    double rx, ry;
    double x, y, s;
    double cx0, cy0, cx1, cy1;
} pm_place;
void pm_cell_place(const pm_cell *c, double sheet_w, double sheet_h, double w, double h, pm_place *p);

/* The same as one PDF matrix [a b c d e f] from page space (y down, origin top-left) to
 * sheet space (y down): sheet = (a u + c v + e, b u + d v + f). */
void pm_place_matrix(const pm_place *p, double m[6]);

#endif
