/* paper.c - the sheet a fold prints on: standard sheet names, the automatic choice from
 * the page size (impose.h: pm_booklet_sheet), which way round it is printed, and how
 * many booklet sides (slots) a cut-stack sheet holds. No drawing. */
#include "impose/impose.h"

#include <math.h>
#include <stddef.h>

#define TOL PM_PAPER_TOL

/* Portrait sizes; us: the inch family (preferred for pages measured in quarter inches);
   copier: the family's everyday copier paper. */
static const struct { const char *name; double w, h; int us, copier; } sheets[] = {
    {"A7", 209.7638, 297.6378, 0, 0},  {"A6", 297.6378, 419.5276, 0, 0}, {"A5", 419.5276, 595.2756, 0, 0},
    {"B5", 498.8976, 708.6614, 0, 0},  {"A4", 595.2756, 841.8898, 0, 1}, {"A3", 841.8898, 1190.5512, 0, 0},
    {"half-letter", 396, 612, 1, 0},   {"Letter", 612, 792, 1, 1},       {"Legal", 612, 1008, 1, 0},
    {"Tabloid", 792, 1224, 1, 0},
};
#define NSHEETS (int)(sizeof sheets / sizeof sheets[0])

const char *pm_sheet_name(double w, double h)
{
    double lo = fmin(w, h), hi = fmax(w, h);
    for (int i = 0; i < NSHEETS; i++)
        if (fabs(sheets[i].w - lo) < TOL && fabs(sheets[i].h - hi) < TOL) return sheets[i].name;
    return NULL;
}

static int quarter_inches(double v);

const char *pm_sheet_holding(double w, double h, int us)
{
    double lo = fmin(w, h), hi = fmax(w, h);
    for (int pass = 0; pass < 2; pass++) { /* the family asked for first, then any */
        const char *name = NULL;
        double best = 0;
        for (int i = 0; i < NSHEETS; i++)
            if ((pass || sheets[i].us == us) && sheets[i].w + TOL >= lo && sheets[i].h + TOL >= hi &&
                (!name || sheets[i].w * sheets[i].h < best)) {
                name = sheets[i].name;
                best = sheets[i].w * sheets[i].h;
            }
        if (name) return name;
    }
    return NULL;
}

int pm_sheet_us(double w, double h)
{
    double lo = fmin(w, h), hi = fmax(w, h);
    for (int i = 0; i < NSHEETS; i++)
        if (fabs(sheets[i].w - lo) < TOL && fabs(sheets[i].h - hi) < TOL) return sheets[i].us;
    return quarter_inches(lo) && quarter_inches(hi);
}

static int quarter_inches(double v)
{
    double q = v / 18;
    return fabs(q - floor(q + 0.5)) < 0.01;
}

/* cut-stack: booklet sides (2w x h) fitting on sw x sh, across and down */
static int slots_across(double sw, double w) { return (int)floor((sw + TOL) / (2 * w)); }
static int slots_down(double sh, double h) { return (int)floor((sh + TOL) / h); }

void pm_fold_grid(const pm_booklet_opts *o, double w, double h, double sw, double sh, int *cols, int *rows)
{
    *cols = *rows = 1;
    if (o->fold == PM_FOLD_2UP) *rows = 2;
    if (o->fold != PM_FOLD_CUT_STACK || !(w > 0) || !(h > 0)) return;
    int c = slots_across(sw, w), r = slots_down(sh, h);
    if (c >= 1 && r >= 1) *cols = c, *rows = r;
}

/* The pages of a fold's sheet, across and down, and whether it is printed landscape
   (cut-stack: one slot, as a saddle sheet). */
static void page_grid(pm_fold fold, int *cols, int *rows, int *landscape)
{
    *cols = fold == PM_FOLD_ZINE8 ? 4 : 2;
    *rows = fold == PM_FOLD_ZINE8 || fold == PM_FOLD_2UP ? 2 : 1;
    *landscape = fold != PM_FOLD_2UP;
}

/* cut-stack on a sheet of L x S (long, short side): the way round holding more slots
   (on a tie, portrait); 0 slots when not even one fits. */
static int cut_stack_way(double L, double S, double w, double h, int *landscape)
{
    int port = slots_across(S, w) * slots_down(L, h), land = slots_across(L, w) * slots_down(S, h);
    *landscape = land > port;
    return land > port ? land : port;
}

static void orient(double L, double S, int landscape, double *sw, double *sh)
{
    *sw = landscape ? L : S;
    *sh = landscape ? S : L;
}

/* The scale of w x h pages on the sheet as printed. */
static double sheet_scale(const pm_booklet_opts *o, double w, double h, double sw, double sh)
{
    int cols, rows, landscape;
    if (o->fold == PM_FOLD_CUT_STACK) {
        pm_fold_grid(o, w, h, sw, sh, &cols, &rows);
        return pm_fit_scale(sw / cols / 2, sh / rows, w, h);
    }
    page_grid(o->fold, &cols, &rows, &landscape);
    return pm_fit_scale(sw / cols, sh / rows, w, h);
}

/* cut-stack: the smallest sheet of the family with two slots, at least the family's
   copier paper; else the smallest with one; else -1. */
static int pick_cut_stack(double w, double h, int us)
{
    int best = -1, one = -1;
    for (int i = 0; i < NSHEETS; i++) {
        if (sheets[i].us != us) continue;
        double area = sheets[i].w * sheets[i].h;
        int land, n = cut_stack_way(sheets[i].h, sheets[i].w, w, h, &land);
        int big = 0;
        for (int k = 0; k < NSHEETS; k++)
            if (sheets[k].copier && sheets[k].us == us && area >= sheets[k].w * sheets[k].h - 1) big = 1;
        if (n >= 2 && big && (best < 0 || area < sheets[best].w * sheets[best].h)) best = i;
        if (n >= 1 && (one < 0 || area < sheets[one].w * sheets[one].h)) one = i;
    }
    return best >= 0 ? best : one;
}

void pm_booklet_sheet(const pm_booklet_opts *o, double w, double h, double *sheet_w, double *sheet_h,
                      double *scale)
{
    static const pm_booklet_opts saddle;
    if (!o) o = &saddle;
    if (!(w > 0) || !(h > 0)) w = h = 1;
    int cols, rows, landscape;
    page_grid(o->fold, &cols, &rows, &landscape);
    if (o->sheet_w > 0 && o->sheet_h > 0) {
        double L = fmax(o->sheet_w, o->sheet_h), S = fmin(o->sheet_w, o->sheet_h);
        if (o->fold == PM_FOLD_CUT_STACK && !cut_stack_way(L, S, w, h, &landscape)) landscape = 1;
        orient(L, S, landscape, sheet_w, sheet_h);
        *scale = sheet_scale(o, w, h, *sheet_w, *sheet_h);
        return;
    }
    /* the smallest sheet (by area) of the page's family holding the fold's pages, else
       the smallest of any family, else the largest of the family (pages scaled down) */
    int us = quarter_inches(w) && quarter_inches(h);
    int best = -1, any = -1, largest = -1;
    double bw = cols * w, bh = rows * h;
    for (int i = 0; i < NSHEETS; i++) {
        double L = sheets[i].h, S = sheets[i].w, area = L * S;
        if (sheets[i].us == us && (largest < 0 || area > sheets[largest].w * sheets[largest].h)) largest = i;
        if (landscape ? bw > L + TOL || bh > S + TOL : bw > S + TOL || bh > L + TOL) continue;
        if (sheets[i].us == us && (best < 0 || area < sheets[best].w * sheets[best].h)) best = i;
        if (any < 0 || area < sheets[any].w * sheets[any].h) any = i;
    }
    int pick = best >= 0 ? best : any >= 0 ? any : largest;
    if (o->fold == PM_FOLD_CUT_STACK) {
        int cs = pick_cut_stack(w, h, us);
        pick = cs >= 0 ? cs : largest;
        if (!cut_stack_way(sheets[pick].h, sheets[pick].w, w, h, &landscape)) landscape = 1;
    }
    orient(sheets[pick].h, sheets[pick].w, landscape, sheet_w, sheet_h);
    *scale = sheet_scale(o, w, h, *sheet_w, *sheet_h);
}
