/* marks.c - the lines a sheet side gets besides its pages (impose.h: pm_sheet_lines):
 * fold and crop marks around every booklet side with --marks, and the dashed cut lines
 * between the slots of 2up and cut-stack or the slit of zine8. Geometry only: the cairo
 * writer (sheets.c) and the by-reference writer (qpdf_impose.c) draw them. */
#include "impose/impose.h"

#include <math.h>

#include "base/arena.h"

typedef struct {
    pm_mark_line *l;
    int n, cap;
} lines;

static void add(lines *ls, double x0, double y0, double x1, double y1, int cut)
{
    if (ls->n == ls->cap) {
        ls->cap = ls->cap ? 2 * ls->cap : 32;
        ls->l = pm_xrealloc(ls->l, (size_t)ls->cap * sizeof *ls->l);
    }
    ls->l[ls->n++] = (pm_mark_line){x0, y0, x1, y1, cut};
}

/* Fold marks on the lines between the cols x rows pages of pw x ph centred in the slot
   (x, y, w, h), crop marks on its outer edges, all outside the pages and inside the slot. */
static void slot_marks(lines *ls, double x, double y, double w, double h, int cols, int rows, double pw, double ph)
{
    double cx = x + w / 2, X0 = cx + (0 - cols / 2.0) * pw, X1 = cx + (cols - cols / 2.0) * pw;
    double Y0 = y + (h - rows * ph) / 2, Y1 = Y0 + rows * ph;
    double vlen = fmin(PM_MARK_LEN, (Y0 - y) - PM_MARK_GAP), hlen = fmin(PM_MARK_LEN, (X0 - x) - PM_MARK_GAP);
    if (vlen >= PM_MARK_MIN) {
        for (int k = 0; k <= cols; k++) {
            double mx = cx + (k - cols / 2.0) * pw;
            add(ls, mx, Y0 - PM_MARK_GAP - vlen, mx, Y0 - PM_MARK_GAP, 0);
            add(ls, mx, Y1 + PM_MARK_GAP, mx, Y1 + PM_MARK_GAP + vlen, 0);
        }
    }
    if (hlen >= PM_MARK_MIN) {
        for (int k = 0; k <= rows; k++) {
            double my = Y0 + k * ph;
            add(ls, X0 - PM_MARK_GAP - hlen, my, X0 - PM_MARK_GAP, my, 0);
            add(ls, X1 + PM_MARK_GAP, my, X1 + PM_MARK_GAP + hlen, my, 0);
        }
    }
}

int pm_sheet_lines(const pm_imposition *im, double page_w, double page_h, int marks, pm_mark_line **out,
                   int *nmarks)
{
    lines ls = {0};
    double pw = page_w * im->scale, ph = page_h * im->scale, sw = im->sheet_w, sh = im->sheet_h;
    int C = im->slot_cols > 0 ? im->slot_cols : 1, R = im->slot_rows > 0 ? im->slot_rows : 1;
    double w = sw / C, h = sh / R;
    /* marks: symmetric in each slot, so the same on turned sides */
    if (marks)
        for (int r = 0; r < R; r++)
            for (int c = 0; c < C; c++) {
                if (im->fold == PM_FOLD_ZINE8) slot_marks(&ls, 0, 0, w, h, 4, 2, pw, ph);
                else slot_marks(&ls, c * w, r * h, w, h, 2, 1, pw, ph);
            }
    *nmarks = ls.n;
    if (im->fold == PM_FOLD_ZINE8) {
        add(&ls, sw / 4, sh / 2, 3 * sw / 4, sh / 2, 1);
    } else if (im->fold != PM_FOLD_SADDLE) {
        for (int c = 1; c < C; c++) add(&ls, c * sw / C, 0, c * sw / C, sh, 1);
        for (int r = 1; r < R; r++) add(&ls, 0, r * sh / R, sw, r * sh / R, 1);
    }
    *out = ls.l;
    return ls.n;
}
