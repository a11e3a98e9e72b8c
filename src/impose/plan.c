/* plan.c - what a booklet will be before it is written (booklet-imp.h: pm_bk_plan_make):
 * the imposition of the reading pages, the lines of every sheet side (marks, cut lines,
 * the zine's slit), and the checks of every placed page: scaled down to fit, content
 * inside the printer margin. No drawing: byref.c writes the sheets from the plan, and
 * --preflight reports it without writing anything. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "impose/booklet-imp.h"
#include "base/arena.h"
#include "base/diag.h"

#define PT_TO_MM(x) ((x) * 25.4 / 72.0)

/* Pages listed as "1, 3-5, 9" (up to what fits in n bytes). */
static void page_list(char *buf, size_t n, const unsigned char *flag, int npages)
{
    size_t o = 0;
    buf[0] = 0;
    for (int i = 0; i < npages; i++) {
        if (!flag[i]) continue;
        int j = i;
        while (j + 1 < npages && flag[j + 1]) j++;
        int w = j > i ? snprintf(buf + o, n - o, "%s%d-%d", o ? ", " : "", i + 1, j + 1)
                      : snprintf(buf + o, n - o, "%s%d", o ? ", " : "", i + 1);
        if (w < 0 || (size_t)w >= n - o) {
            snprintf(buf + (o < n - 6 ? o : n - 6), 6, ", ...");
            return;
        }
        o += (size_t)w;
        i = j;
    }
}

/* Is anything of page pg (placed at p) closer to the sheet's edge than the printer
   margin? As far as the clip to the cell lets it show. */
static void check_margin(pm_bk_plan *pl, const pm_booklet_opts *o, const pm_bk_source *src, int pg,
                         const pm_place *p)
{
    double b[4];
    if (!src->bounds || !src->bounds(src->ud, pg - 1, b)) return;
    double x0 = fmax(p->x + p->s * b[0], p->cx0), x1 = fmin(p->x + p->s * b[2], p->cx1);
    double y0 = fmax(p->y + p->s * b[1], p->cy0), y1 = fmin(p->y + p->s * b[3], p->cy1);
    if (!(x1 > x0 && y1 > y0)) return;
    /* the turned frame is the sheet turned: the same size, or across for a quarter turn */
    const pm_imposition *im = &pl->sum.im;
    int across = p->rotation == 90 || p->rotation == 270;
    double fw = across ? im->sheet_h : im->sheet_w, fh = across ? im->sheet_w : im->sheet_h;
    double d = fmin(fmin(x0, fw - x1), fmin(y0, fh - y1));
    if (d < o->printer_margin - 0.01) {
        pl->nnear += !pl->near[pg - 1];
        pl->near[pg - 1] = 1;
        pl->nearest = fmin(pl->nearest, d);
    }
}

static void check_cell(pm_bk_plan *pl, const pm_booklet_opts *o, const pm_bk_source *src, const pm_cell *c)
{
    if (c->page < 1) return; /* a blank */
    double pw, ph;
    pm_place p;
    src->size(src->ud, c->page - 1, &pw, &ph);
    pm_cell_place(c, pl->sum.im.sheet_w, pl->sum.im.sheet_h, pw, ph, &p);
    if (p.s < 1 - 1e-9) {
        pl->nscaled += !pl->scaled[c->page - 1];
        pl->scaled[c->page - 1] = 1;
        pl->min_scale = fmin(pl->min_scale, p.s);
    }
    check_margin(pl, o, src, c->page, &p);
}

/* How far past the printable edge m a mark reaching from inner (its end at the pages)
 * outward by PM_MARK_LEN would go, on a sheet s long: towards 0 when it lies in the first
 * half, else towards s. */
static double overreach(double inner, double s, double m)
{
    return inner < s / 2 ? fmax(0, m - (inner - PM_MARK_LEN)) : fmax(0, inner + PM_MARK_LEN - (s - m));
}

/* Marks never fall inside the copier's unprintable edge: each is cut back to end at it,
 * and left out when less than PM_MARK_MIN would be left. pl->need_w, need_h: the sheet
 * that holds them all whole (the sheet grown as much as they reach past the edge, or
 * would at full length). */
/* One mark line from p0 to p1 along a side of length along (at across on the other axis,
 * of length other) cut back to the printable area m in from the edges; left a point (to
 * drop) when it lies outside it across. *over: how far a mark reached past the margin at
 * its inner end, the most so far. Returns whether the line was cut. */
static int clip_along(double *p0, double *p1, double across, double along, double other, double m, double *over)
{
    double inner = fabs(*p0 - along / 2) < fabs(*p1 - along / 2) ? *p0 : *p1;
    *over = fmax(*over, overreach(inner, along, m));
    int off = across < m || across > other - m;
    double a = fmax(fmin(*p0, *p1), m), b = fmax(a, fmin(fmax(*p0, *p1), along - m));
    int cut = off || a != fmin(*p0, *p1) || b != fmax(*p0, *p1);
    *p0 = a;
    *p1 = off ? a : b;
    return cut;
}

static void keep_marks_printable(pm_bk_plan *pl, double m)
{
    double sw = pl->sum.im.sheet_w, sh = pl->sum.im.sheet_h, gx = 0, gy = 0;
    int kept = 0;
    for (int i = 0; i < pl->nmarks; i++) {
        pm_mark_line l = pl->lines[i];
        int cut = fabs(l.x0 - l.x1) < 1e-6 ? clip_along(&l.y0, &l.y1, l.x0, sh, sw, m, &gy)
                                           : clip_along(&l.x0, &l.x1, l.y0, sw, sh, m, &gx);
        pl->nclipped += cut;
        if (fabs(l.x1 - l.x0) + fabs(l.y1 - l.y0) >= PM_MARK_MIN) pl->lines[kept++] = l;
    }
    memmove(pl->lines + kept, pl->lines + pl->nmarks, (size_t)(pl->nlines - pl->nmarks) * sizeof *pl->lines);
    pl->nlines -= pl->nmarks - kept;
    pl->nmarks = kept;
    pl->need_w = sw + 2 * gx;
    pl->need_h = sh + 2 * gy;
}

int pm_bk_plan_make(const pm_booklet_opts *o, const pm_bk_source *src, pm_bk_plan *pl)
{
    memset(pl, 0, sizeof *pl);
    for (int i = 0; i < src->npages; i++) { /* the sheet fits the largest page */
        double w, h;
        src->size(src->ud, i, &w, &h);
        pl->page_w = fmax(pl->page_w, w);
        pl->page_h = fmax(pl->page_h, h);
    }
    pm_imposition *im = &pl->sum.im;
    int rc = pm_impose_order(src->npages, pl->page_w, pl->page_h, o, im);
    if (rc) return rc;
    for (int i = 0; i < im->ncells; i++) pl->sum.max_creep = fmax(pl->sum.max_creep, im->cells[i].creep);
    pl->nlines = pm_sheet_lines(im, pl->page_w, pl->page_h, o->marks, &pl->lines, &pl->nmarks);
    if (pl->nmarks) keep_marks_printable(pl, o->printer_margin);
    pl->sum.marks = pl->nmarks > 0;
    pl->nsides = pm_imposition_written_sides(im, o, &pl->sides);
    pl->scaled = pm_xcalloc((size_t)src->npages, 1);
    pl->near = pm_xcalloc((size_t)src->npages, 1);
    pl->min_scale = 1;
    pl->nearest = 1e9;
    for (int k = 0; k < pl->nsides; k++) {
        const pm_sheet_side *s = &im->sides[pl->sides[k]];
        for (int i = 0; i < s->ncells; i++) check_cell(pl, o, src, &s->cells[i]);
    }
    return PM_OK;
}

void pm_bk_plan_warn(const pm_bk_plan *pl, const pm_booklet_opts *o, const char *path)
{
    const pm_imposition *im = &pl->sum.im;
    char sheet[40], list[400];
    pm_bk_sheet_label(sheet, sizeof sheet, im->sheet_w, im->sheet_h);
    if (pl->nscaled) {
        page_list(list, sizeof list, pl->scaled, im->npages);
        pm_warn(path, 0, 0, "page%s %s too big for %s of the %s sheet: scaled down to %.1f%% (%.1f%% smaller)",
                pl->nscaled > 1 ? "s" : "", list,
                im->fold == PM_FOLD_ZINE8 ? "an eighth" : im->fold == PM_FOLD_SADDLE ? "half" : "their place",
                sheet, 100 * pl->min_scale, 100 * (1 - pl->min_scale));
        pm_hint("use a larger --sheet, or smaller pages (page: size: in the layout)");
    }
    if (pl->nnear) {
        page_list(list, sizeof list, pl->near, im->npages);
        pm_warn(path, 0, 0,
                "page%s %s %s content %.1f mm from the sheet edge, inside the %.1f mm the copier may not print "
                "(--printer-margin)",
                pl->nnear > 1 ? "s" : "", list, pl->nnear > 1 ? "have" : "has", PT_TO_MM(fmax(pl->nearest, 0)),
                PT_TO_MM(o->printer_margin));
        pm_hint("widen the layout's page margins, or choose a larger --sheet");
    }
    if (pl->nclipped) {
        const char *fits = pm_sheet_holding(pl->need_w, pl->need_h, pm_sheet_us(im->sheet_w, im->sheet_h));
        char need[80];
        snprintf(need, sizeof need, "%.0f x %.0f mm%s%s%s", PT_TO_MM(pl->need_w), PT_TO_MM(pl->need_h),
                 fits ? " (" : "", fits ? fits : "", fits ? ")" : "");
        pm_warn(path, 0, 0,
                "%d fold and crop mark%s would reach into the %.1f mm the copier may not print (--printer-margin): "
                "shortened or left out; a sheet of %s would hold them",
                pl->nclipped, pl->nclipped > 1 ? "s" : "", PT_TO_MM(o->printer_margin), need);
        pm_hint("print on that sheet (--sheet), or trim without marks");
    }
    if (o->marks && !pl->sum.marks && !pl->nclipped) {
        pm_warn(path, 0, 0, "no room for fold and crop marks: the pages fill the %s sheet", sheet);
        pm_hint("marks need a sheet larger than the pages, e.g. --sheet A3 for a booklet of A5 pages");
    }
}

void pm_bk_plan_free(pm_bk_plan *pl)
{
    pm_bk_summary_free(&pl->sum);
    free(pl->lines);
    free(pl->sides);
    free(pl->scaled);
    free(pl->near);
    memset(pl, 0, sizeof *pl);
}
