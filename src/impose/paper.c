/* paper.c - the sheet a fold prints on: standard sheet names and the automatic choice
 * from the page size (impose.h: pm_booklet_sheet). No drawing. */
#include "impose/impose.h"

#include <math.h>
#include <stddef.h>

#define TOL PM_PAPER_TOL

/* Portrait sizes; us: the inch family (preferred for pages measured in quarter inches). */
static const struct { const char *name; double w, h; int us; } sheets[] = {
    {"A7", 209.7638, 297.6378, 0},  {"A6", 297.6378, 419.5276, 0}, {"A5", 419.5276, 595.2756, 0},
    {"B5", 498.8976, 708.6614, 0},  {"A4", 595.2756, 841.8898, 0}, {"A3", 841.8898, 1190.5512, 0},
    {"half-letter", 396, 612, 1},   {"Letter", 612, 792, 1},       {"Legal", 612, 1008, 1},
    {"Tabloid", 792, 1224, 1},
};
#define NSHEETS (int)(sizeof sheets / sizeof sheets[0])

const char *pm_sheet_name(double w, double h)
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

void pm_booklet_sheet(const pm_booklet_opts *o, double w, double h, double *sheet_w, double *sheet_h,
                      double *scale)
{
    if (!(w > 0) || !(h > 0)) w = h = 1;
    if (o && o->sheet_w > 0 && o->sheet_h > 0) {
        *sheet_w = fmax(o->sheet_w, o->sheet_h);
        *sheet_h = fmin(o->sheet_w, o->sheet_h);
        *scale = pm_fit_scale(*sheet_w / 2, *sheet_h, w, h);
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
    *scale = pm_fit_scale(*sheet_w / 2, *sheet_h, w, h);
}
