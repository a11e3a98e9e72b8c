/* sheets.c - the sheet writer (booklet-imp.h: pm_bk_write): draws the printed sheets of
 * an imposition with cairo, every reading page painted as vectors into its cell, for the
 * booklet device (dev_booklet.c) and `pamphlet impose` (impose_pdf.c). Besides the pages:
 * the lines of pm_sheet_lines (marks, cut lines, the zine's slit), and the checks for
 * scaled pages and for content inside the printer margin. Where each page goes is
 * impose.c's (pm_impose_order, pm_cell_place). */
#include <cairo-pdf.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "impose/booklet-imp.h"
#include "base/diag.h"

#define PT_TO_MM(x) ((x) * 25.4 / 72.0)

/* What the pages needed to fit: for the warnings after writing. */
typedef struct {
    unsigned char *scaled, *near; /* per reading page */
    int nscaled, nnear;
    double min_scale, nearest;
} fit_report;

/* One booklet being drawn. */
typedef struct {
    const pm_booklet_opts *o;
    const pm_bk_source *src;
    const pm_imposition *im;
    cairo_t *cr;
    fit_report fit;
    double page_w, page_h;   /* the largest page */
    pm_mark_line *lines;     /* marks first, then cut lines (pm_sheet_lines) */
    int nlines, nmarks;
} sheet_writer;

static cairo_status_t write_fn(void *closure, const unsigned char *data, unsigned int len)
{
    return fwrite(data, 1, len, closure) == len ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
}

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

static void largest_page(const pm_bk_source *src, double *nw, double *nh)
{
    *nw = *nh = 0;
    for (int i = 0; i < src->npages; i++) {
        double w, h;
        src->size(src->ud, i, &w, &h);
        *nw = fmax(*nw, w);
        *nh = fmax(*nh, h);
    }
}

/* ---- one page in its cell ---- */

/* Is anything of page pg (placed at p) closer to the sheet's edge than the printer
   margin? As far as the clip to the cell lets it show. */
static void check_margin(sheet_writer *w, int pg, const pm_place *p)
{
    double b[4];
    if (!w->src->bounds(w->src->ud, pg - 1, b)) return;
    double x0 = fmax(p->x + p->s * b[0], p->cx0), x1 = fmin(p->x + p->s * b[2], p->cx1);
    double y0 = fmax(p->y + p->s * b[1], p->cy0), y1 = fmin(p->y + p->s * b[3], p->cy1);
    if (!(x1 > x0 && y1 > y0)) return;
    /* the turned frame is the sheet turned: the same size, or across for a quarter turn */
    int across = p->rotation == 90 || p->rotation == 270;
    double fw = across ? w->im->sheet_h : w->im->sheet_w, fh = across ? w->im->sheet_w : w->im->sheet_h;
    double d = fmin(fmin(x0, fw - x1), fmin(y0, fh - y1));
    if (d < w->o->printer_margin - 0.01) {
        w->fit.near[pg - 1] = 1;
        w->fit.nnear++;
        w->fit.nearest = fmin(w->fit.nearest, d);
    }
}

static double rotation_angle(int rotation)
{
    switch (rotation) {
    case 90: return M_PI / 2;
    case 180: return M_PI;
    case 270: return -M_PI / 2;
    default: return 0;
    }
}

/* Paint page pg as p places it: turned, clipped to its cell, moved and scaled. */
static int paint_page(sheet_writer *w, int pg, const pm_place *p)
{
    cairo_t *cr = w->cr;
    cairo_save(cr);
    if (p->rotation) {
        cairo_translate(cr, p->rx, p->ry);
        cairo_rotate(cr, rotation_angle(p->rotation));
    }
    cairo_rectangle(cr, p->cx0, p->cy0, p->cx1 - p->cx0, p->cy1 - p->cy0);
    cairo_clip(cr);
    cairo_translate(cr, p->x, p->y);
    if (p->s != 1) cairo_scale(cr, p->s, p->s);
    int rc = w->src->paint(w->src->ud, pg - 1, cr);
    cairo_restore(cr);
    return rc;
}

static int draw_cell(sheet_writer *w, const pm_cell *c)
{
    int pg = c->page;
    if (pg < 1) return PM_OK; /* a blank: an empty cell */
    double pw, ph;
    pm_place p;
    w->src->size(w->src->ud, pg - 1, &pw, &ph);
    pm_cell_place(c, w->im->sheet_w, w->im->sheet_h, pw, ph, &p);
    if (p.s < 1 - 1e-9) {
        w->fit.scaled[pg - 1] = 1;
        w->fit.nscaled++;
        w->fit.min_scale = fmin(w->fit.min_scale, p.s);
    }
    check_margin(w, pg, &p);
    return paint_page(w, pg, &p);
}

/* ---- marks ---- */

/* Lines first..last of w->lines as one stroke, thin or dashed. */
static void stroke_lines(sheet_writer *w, int first, int last, int cut)
{
    if (first >= last) return;
    cairo_t *cr = w->cr;
    cairo_save(cr);
    cairo_set_source_rgb(cr, 0, 0, 0);
    if (cut) {
        double dash = PM_CUT_DASH;
        cairo_set_line_width(cr, PM_CUT_WIDTH);
        cairo_set_dash(cr, &dash, 1, 0);
    } else {
        cairo_set_line_width(cr, PM_MARK_WIDTH);
        cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
    }
    for (int i = first; i < last; i++) {
        cairo_move_to(cr, w->lines[i].x0, w->lines[i].y0);
        cairo_line_to(cr, w->lines[i].x1, w->lines[i].y1);
    }
    cairo_stroke(cr);
    cairo_restore(cr);
}

/* ---- sides and the file ---- */

static int draw_side(sheet_writer *w, cairo_surface_t *surface, const pm_sheet_side *side, pm_bk_summary *sum)
{
    char label[64];
    if (w->im->fold == PM_FOLD_ZINE8) snprintf(label, sizeof label, "sheet %d", side->sheet + 1);
    else snprintf(label, sizeof label, "sheet %d %s", side->sheet + 1, side->back ? "back" : "front");
    cairo_pdf_surface_set_page_label(surface, label);
    int rc = PM_OK;
    for (int i = 0; i < side->ncells && !rc; i++) rc = draw_cell(w, &side->cells[i]);
    stroke_lines(w, 0, w->nmarks, 0);
    stroke_lines(w, w->nmarks, w->nlines, 1);
    cairo_show_page(w->cr);
    if (!rc && cairo_status(w->cr)) rc = PM_EIO;
    return rc;
}

/* Draw the sides o->sides asks for onto a PDF surface writing to fp. */
static int draw_sheets(sheet_writer *w, FILE *fp, const char *path, const pm_layout *meta, pm_bk_summary *sum)
{
    const pm_imposition *im = w->im;
    cairo_surface_t *surface = cairo_pdf_surface_create_for_stream(write_fn, fp, im->sheet_w, im->sheet_h);
    cairo_pdf_surface_restrict_to_version(surface, CAIRO_PDF_VERSION_1_5);
    pm_pdf_set_metadata(surface, meta);
    w->cr = cairo_create(surface);
    int *idx, n = pm_imposition_written_sides(im, w->o, &idx), rc = PM_OK;
    for (int k = 0; k < n && !rc; k++) rc = draw_side(w, surface, &im->sides[idx[k]], sum);
    free(idx);
    cairo_destroy(w->cr);
    w->cr = NULL;
    cairo_surface_finish(surface);
    cairo_status_t st = cairo_surface_status(surface);
    cairo_surface_destroy(surface);
    if (!rc && st) {
        pm_error(path, 0, 0, "cannot write the booklet: %s", cairo_status_to_string(st));
        rc = PM_EIO;
    }
    return rc;
}

/* The warnings after a booklet was written: pages scaled down, content in the printer
   margin, marks asked for with no room. */
static void warn_fit(const sheet_writer *w, const char *path, const pm_bk_summary *sum)
{
    const fit_report *f = &w->fit;
    const pm_imposition *im = w->im;
    char sheet[40], list[400];
    pm_bk_sheet_label(sheet, sizeof sheet, im->sheet_w, im->sheet_h);
    if (f->nscaled) {
        page_list(list, sizeof list, f->scaled, w->src->npages);
        pm_warn(path, 0, 0, "page%s %s too big for %s of the %s sheet: scaled down to %.1f%% (%.1f%% smaller)",
                f->nscaled > 1 ? "s" : "", list,
                im->fold == PM_FOLD_ZINE8 ? "an eighth" : im->fold == PM_FOLD_SADDLE ? "half" : "their place",
                sheet, 100 * f->min_scale, 100 * (1 - f->min_scale));
        pm_hint("use a larger --sheet, or smaller pages (page: size: in the layout)");
    }
    if (f->nnear) {
        page_list(list, sizeof list, f->near, w->src->npages);
        pm_warn(path, 0, 0,
                "page%s %s %s content %.1f mm from the sheet edge, inside the %.1f mm the copier may not print "
                "(--printer-margin)",
                f->nnear > 1 ? "s" : "", list, f->nnear > 1 ? "have" : "has", PT_TO_MM(fmax(f->nearest, 0)),
                PT_TO_MM(w->o->printer_margin));
        pm_hint("widen the layout's page margins, or choose a larger --sheet");
    }
    if (w->o->marks && !sum->marks) {
        pm_warn(path, 0, 0, "no room for fold and crop marks: the pages fill the %s sheet", sheet);
        pm_hint("marks need a sheet larger than the pages, e.g. --sheet A3 for a booklet of A5 pages");
    }
}

int pm_bk_write(FILE *fp, const char *path, const pm_booklet_opts *o, const pm_bk_source *src,
                const pm_layout *meta, pm_bk_summary *sum)
{
    memset(sum, 0, sizeof *sum);
    sheet_writer w = {.o = o, .src = src, .im = &sum->im};
    largest_page(src, &w.page_w, &w.page_h); /* the sheet fits the largest page */
    int rc = pm_impose_order(src->npages, w.page_w, w.page_h, o, &sum->im);
    if (rc) return rc;
    for (int i = 0; i < sum->im.ncells; i++) sum->max_creep = fmax(sum->max_creep, sum->im.cells[i].creep);
    w.nlines = pm_sheet_lines(&sum->im, w.page_w, w.page_h, o->marks, &w.lines, &w.nmarks);
    sum->marks = w.nmarks > 0;
    w.fit.scaled = pm_xcalloc((size_t)src->npages, 1);
    w.fit.near = pm_xcalloc((size_t)src->npages, 1);
    w.fit.min_scale = 1;
    w.fit.nearest = 1e9;
    rc = draw_sheets(&w, fp, path, meta, sum);
    if (!rc) warn_fit(&w, path, sum);
    free(w.fit.scaled);
    free(w.fit.near);
    free(w.lines);
    return rc;
}
