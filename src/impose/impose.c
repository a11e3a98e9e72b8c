/* impose.c - booklet arithmetic: options from the layout, the saddle-stitch page order
 * (padding blanks, signatures, right-to-left binding, which side turns for long-edge
 * duplex, creep per sheet) and the choice of sheet. No drawing: the sheets are drawn by
 * dev_booklet.c (also for impose_pdf.c, see booklet-imp.h); tests/unit/test_impose.c
 * checks this file alone.
 *
 * The order is the one tests/tools/booklet_check.py expects: pad to a multiple of 4
 * (blanks just before the last page, or at the end), split the padded pages into
 * signatures of 4k pages and pad the last signature at its end; in a signature of P pages
 * sheet i shows [P-2i | 2i+1] on its front and [2i+2 | P-2i-1] on its back. */
#include "impose/booklet.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "impose/booklet-imp.h"
#include "base/diag.h"

#define MM(x) ((x) * 72.0 / 25.4)
#define MAX_PAGES 1000000

void pm_booklet_opts_from_spec(const pm_spec *s, pm_booklet_opts *o)
{
    memset(o, 0, sizeof *o);
    o->duplex = PM_DUPLEX_SHORT;
    o->blanks = PM_BLANKS_BEFORE_LAST;
    o->printer_margin = MM(5);
    if (!s) return;
    const pm_booklet_spec *b = &s->booklet;
    if (b->sheet_w > 0 && b->sheet_h > 0) {
        o->sheet_w = fmax(b->sheet_w, b->sheet_h);
        o->sheet_h = fmin(b->sheet_w, b->sheet_h);
    }
    o->duplex = b->duplex;
    o->blanks = b->blanks;
    o->signature = b->signature;
    o->creep = pm_spec_len(s, b->creep, 0);
    o->marks = b->marks;
    o->printer_margin = pm_spec_len(s, b->printer_margin, 0);
    o->rtl = b->rtl;
}

static int check_opts(const pm_booklet_opts *o)
{
    if (o->signature < 0 || o->signature > MAX_PAGES / 4) {
        pm_error(NULL, 0, 0, "booklet signature %d: give a number of sheets (0 = one signature)", o->signature);
        return PM_EUSAGE;
    }
    if (o->duplex != PM_DUPLEX_SHORT && o->duplex != PM_DUPLEX_LONG) {
        pm_error(NULL, 0, 0, "booklet duplex: use short or long");
        return PM_EUSAGE;
    }
    if (o->blanks != PM_BLANKS_BEFORE_LAST && o->blanks != PM_BLANKS_END) {
        pm_error(NULL, 0, 0, "booklet blanks: use before-last or end");
        return PM_EUSAGE;
    }
    if (!(o->creep >= 0) || o->creep > MM(5)) {
        pm_error(NULL, 0, 0, "booklet creep %.2f mm: give a paper thickness from 0 to 5 mm", o->creep * 25.4 / 72);
        return PM_EUSAGE;
    }
    if (!(o->printer_margin >= 0) || o->printer_margin > MM(100)) {
        pm_error(NULL, 0, 0, "booklet printer margin %.1f mm: give a length from 0 to 100 mm",
                 o->printer_margin * 25.4 / 72);
        return PM_EUSAGE;
    }
    if (!(o->sheet_w >= 0) || !(o->sheet_h >= 0) || (o->sheet_w > 0) != (o->sheet_h > 0)) {
        pm_error(NULL, 0, 0, "booklet sheet: give both width and height, or neither");
        return PM_EUSAGE;
    }
    return PM_OK;
}

int pm_impose_order(int npages, const pm_booklet_opts *o, pm_imposition *out)
{
    memset(out, 0, sizeof *out);
    int rc = check_opts(o);
    if (rc) return rc;
    if (npages < 1 || npages > MAX_PAGES) {
        pm_error(NULL, 0, 0, "cannot impose %d pages: a booklet needs 1 to %d pages", npages, MAX_PAGES);
        return npages < 1 ? PM_EINPUT : PM_EUSAGE;
    }
    int total = (npages + 3) / 4 * 4;
    int sig = o->signature ? 4 * o->signature : total;
    int nsig = (total + sig - 1) / sig;
    int padded = nsig * sig;
    if (o->signature && nsig == 1 && sig > total)
        pm_warn(NULL, 0, 0, "a signature of %d sheets is more than the %d the booklet needs: %d blank pages at its end",
                o->signature, total / 4, sig - total);

    /* reading order with the blanks (0) in place, padded to whole signatures */
    int *seq = pm_xcalloc((size_t)padded, sizeof *seq);
    if (o->blanks == PM_BLANKS_BEFORE_LAST && total > npages) {
        for (int i = 0; i < npages - 1; i++) seq[i] = i + 1;
        seq[total - 1] = npages;
    } else {
        for (int i = 0; i < npages; i++) seq[i] = i + 1;
    }

    out->npages = npages;
    out->padded = padded;
    out->blanks = padded - npages;
    out->sheets = padded / 4;
    out->nsides = 2 * out->sheets;
    out->sides = pm_xcalloc((size_t)out->nsides, sizeof *out->sides);
    int sheet = 0;
    for (int base = 0; base < padded; base += sig) {
        const int *p = seq + base;
        for (int i = 0; i < sig / 4; i++, sheet++) {
            pm_sheet_side *f = &out->sides[2 * sheet], *b = f + 1;
            f->left = p[sig - 2 * i - 1];
            f->right = p[2 * i];
            b->left = p[2 * i + 1];
            b->right = p[sig - 2 * i - 2];
            if (o->rtl) {
                int t = f->left;
                f->left = f->right;
                f->right = t;
                t = b->left;
                b->left = b->right;
                b->right = t;
            }
            for (int k = 0; k < 2; k++) {
                f[k].sheet = sheet;
                f[k].sheet_in_sig = i;
                f[k].creep = i * o->creep;
            }
            /* Long-edge duplex: one side of every sheet upside down. The back, unless the
               back is empty: then the front, so the turn shows (as booklet_check.py wants);
               on paper both are the same sheet. */
            if (o->duplex == PM_DUPLEX_LONG) {
                if (!b->left && !b->right && (f->left || f->right)) f->turned = 1;
                else b->turned = 1;
            }
        }
    }
    free(seq);
    return PM_OK;
}

void pm_imposition_free(pm_imposition *im)
{
    if (!im) return;
    free(im->sides);
    memset(im, 0, sizeof *im);
}

/* ---- sheets ---- */

/* Portrait sizes; us: the inch family (preferred for pages measured in quarter inches). */
static const struct { const char *name; double w, h; int us; } sheets[] = {
    {"A7", 209.7638, 297.6378, 0},  {"A6", 297.6378, 419.5276, 0}, {"A5", 419.5276, 595.2756, 0},
    {"B5", 498.8976, 708.6614, 0},  {"A4", 595.2756, 841.8898, 0}, {"A3", 841.8898, 1190.5512, 0},
    {"half-letter", 396, 612, 1},   {"Letter", 612, 792, 1},       {"Legal", 612, 1008, 1},
    {"Tabloid", 792, 1224, 1},
};
#define NSHEETS (int)(sizeof sheets / sizeof sheets[0])
#define TOL 0.5 /* points: rounding in paper sizes */

const char *pm_bk_sheet_name(double w, double h)
{
    double lo = fmin(w, h), hi = fmax(w, h);
    for (int i = 0; i < NSHEETS; i++)
        if (fabs(sheets[i].w - lo) < TOL && fabs(sheets[i].h - hi) < TOL) return sheets[i].name;
    return NULL;
}

static int quarter_inches(double v)
{
    double q = v / 18;
    return fabs(q - floor(q + 0.5)) < 0.01;
}

static double fit_scale(double sw, double sh, double w, double h)
{
    double s = fmin((sw / 2 + TOL) / w, (sh + TOL) / h);
    return s >= 1 ? 1 : fmin(sw / 2 / w, sh / h);
}

void pm_booklet_sheet(const pm_booklet_opts *o, double w, double h, double *sheet_w, double *sheet_h,
                      double *scale)
{
    if (!(w > 0) || !(h > 0)) w = h = 1;
    if (o && o->sheet_w > 0 && o->sheet_h > 0) {
        *sheet_w = fmax(o->sheet_w, o->sheet_h);
        *sheet_h = fmin(o->sheet_w, o->sheet_h);
        *scale = fit_scale(*sheet_w, *sheet_h, w, h);
        return;
    }
    /* the smallest sheet (by area) of the page's family holding two pages side by side,
       else the smallest of any family; A5 -> A4, half-letter -> Letter, A6 -> A5 */
    int us = quarter_inches(w) && quarter_inches(h);
    int best = -1, any = -1, largest = -1;
    for (int i = 0; i < NSHEETS; i++) {
        double L = sheets[i].h, S = sheets[i].w, area = L * S;
        if (sheets[i].us == us && (largest < 0 || area > sheets[largest].w * sheets[largest].h)) largest = i;
        if (2 * w > L + TOL || h > S + TOL) continue;
        if (sheets[i].us == us && (best < 0 || area < sheets[best].w * sheets[best].h)) best = i;
        if (any < 0 || area < sheets[any].w * sheets[any].h) any = i;
    }
    int pick = best >= 0 ? best : any >= 0 ? any : largest;
    *sheet_w = sheets[pick].h;
    *sheet_h = sheets[pick].w;
    *scale = fit_scale(*sheet_w, *sheet_h, w, h);
}
