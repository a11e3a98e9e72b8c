/* dev_booklet.c - the booklet device and the sheet writer behind it.
 *
 * The device keeps the page frames it is given (they are immutable and outlive the run)
 * and at end() writes the sheets: each sheet side a landscape page of the sheet size with
 * two reading pages painted as vectors, in the order of pm_impose_order (impose.c). The
 * sheet writer (pm_bk_write, see booklet-imp.h) also serves `pamphlet impose`
 * (impose_pdf.c): placement, duplex turning, creep, fold and crop marks, the checks for
 * scaled pages and for content inside the printer margin, and the printing how-to. */
#include <cairo-pdf.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "impose/booklet-imp.h"
#include "base/diag.h"
#include "base/fileio.h"
#include "output/paint.h"

#define PT_TO_MM(x) ((x) * 25.4 / 72.0)
#define MARK_WIDTH 0.25 /* points */
#define MARK_GAP 3.0    /* marks stop this far from the page edge */
#define MARK_LEN 15.0   /* longest mark */
#define MARK_MIN 4.0    /* shortest mark worth drawing */

/* ---- the sheet writer ---- */

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

static void sheet_label(char *buf, size_t n, double w, double h)
{
    const char *name = pm_bk_sheet_name(w, h);
    if (name) snprintf(buf, n, "%s", name);
    else snprintf(buf, n, "%.0f x %.0f mm", PT_TO_MM(w), PT_TO_MM(h));
}

typedef struct {
    double x, y, s;         /* the page's top-left on the sheet, and its scale */
    double cx0, cy0, cx1, cy1; /* clip: the page inside its half */
} placement;

/* Where page (w x h) goes on the left or right half: against the spine (moved across it
   by the creep, which the clip to the half takes off again), centred vertically. */
static void place(double sw, double sh, int right, double w, double h, double creep, placement *p)
{
    pm_booklet_opts fixed = {.sheet_w = sw, .sheet_h = sh};
    double sw_, sh_;
    pm_booklet_sheet(&fixed, w, h, &sw_, &sh_, &p->s);
    double pw = w * p->s, ph = h * p->s, cx = sw / 2;
    p->y = (sh - ph) / 2;
    p->x = right ? cx - creep : cx - pw + creep;
    p->cx0 = right ? cx : fmax(p->x, 0);
    p->cx1 = right ? fmin(p->x + pw, sw) : cx;
    p->cy0 = fmax(p->y, 0);
    p->cy1 = fmin(p->y + ph, sh);
}

static void line(cairo_t *cr, double x0, double y0, double x1, double y1)
{
    cairo_move_to(cr, x0, y0);
    cairo_line_to(cr, x1, y1);
}

/* Fold marks at the spine above and below the pages, crop marks at the outer corners of
   the two pages, all outside the page area. Returns how many marks were drawn. */
static int draw_marks(cairo_t *cr, double sw, double sh, double pw, double ph)
{
    double cx = sw / 2, X0 = cx - pw, X1 = cx + pw, Y0 = (sh - ph) / 2, Y1 = Y0 + ph;
    double vlen = fmin(MARK_LEN, Y0 - MARK_GAP), hlen = fmin(MARK_LEN, X0 - MARK_GAP);
    int n = 0;
    cairo_save(cr);
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_set_line_width(cr, MARK_WIDTH);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
    if (vlen >= MARK_MIN) {
        double xs[3] = {X0, cx, X1}; /* crop, fold, crop */
        for (int i = 0; i < 3; i++) {
            line(cr, xs[i], Y0 - MARK_GAP - vlen, xs[i], Y0 - MARK_GAP);
            line(cr, xs[i], Y1 + MARK_GAP, xs[i], Y1 + MARK_GAP + vlen);
            n += 2;
        }
    }
    if (hlen >= MARK_MIN) {
        double ys[2] = {Y0, Y1};
        for (int i = 0; i < 2; i++) {
            line(cr, X0 - MARK_GAP - hlen, ys[i], X0 - MARK_GAP, ys[i]);
            line(cr, X1 + MARK_GAP, ys[i], X1 + MARK_GAP + hlen, ys[i]);
            n += 2;
        }
    }
    cairo_stroke(cr);
    cairo_restore(cr);
    return n;
}

int pm_bk_write(FILE *fp, const char *path, const pm_booklet_opts *o, const pm_bk_source *src,
                const pm_layout *meta, pm_bk_summary *sum)
{
    memset(sum, 0, sizeof *sum);
    int rc = pm_impose_order(src->npages, o, &sum->im);
    if (rc) return rc;
    const pm_imposition *im = &sum->im;

    /* the sheet fits the largest page */
    double nw = 0, nh = 0;
    for (int i = 0; i < src->npages; i++) {
        double w, h;
        src->size(src->ud, i, &w, &h);
        nw = fmax(nw, w);
        nh = fmax(nh, h);
    }
    double sw, sh;
    pm_booklet_sheet(o, nw, nh, &sw, &sh, &sum->scale);
    sum->sheet_w = sw;
    sum->sheet_h = sh;
    for (int s = 0; s < im->nsides; s++) sum->max_creep = fmax(sum->max_creep, im->sides[s].creep);

    unsigned char *scaled = pm_xcalloc((size_t)src->npages, 1), *near = pm_xcalloc((size_t)src->npages, 1);
    double min_scale = 1, nearest = 1e9;
    int nscaled = 0, nnear = 0;

    cairo_surface_t *surface = cairo_pdf_surface_create_for_stream(write_fn, fp, sw, sh);
    cairo_pdf_surface_restrict_to_version(surface, CAIRO_PDF_VERSION_1_5);
    pm_pdf_set_metadata(surface, meta);
    cairo_t *cr = cairo_create(surface);
    for (int s = 0; s < im->nsides && !rc; s++) {
        const pm_sheet_side *side = &im->sides[s];
        char label[64];
        snprintf(label, sizeof label, "sheet %d %s", side->sheet + 1, s % 2 ? "back" : "front");
        cairo_pdf_surface_set_page_label(surface, label);
        cairo_save(cr);
        if (side->turned) {
            cairo_translate(cr, sw, sh);
            cairo_rotate(cr, M_PI);
        }
        for (int half = 0; half < 2 && !rc; half++) {
            int pg = half ? side->right : side->left;
            if (pg < 1) continue; /* a blank: an empty half */
            double w, h;
            placement p;
            src->size(src->ud, pg - 1, &w, &h);
            place(sw, sh, half, w, h, side->creep, &p);
            if (p.s < 1 - 1e-9) {
                scaled[pg - 1] = 1;
                nscaled++;
                min_scale = fmin(min_scale, p.s);
            }
            double b[4];
            if (src->bounds(src->ud, pg - 1, b)) {
                /* on the sheet, as far as the clip lets it show */
                double x0 = fmax(p.x + p.s * b[0], p.cx0), x1 = fmin(p.x + p.s * b[2], p.cx1);
                double y0 = fmax(p.y + p.s * b[1], p.cy0), y1 = fmin(p.y + p.s * b[3], p.cy1);
                if (x1 > x0 && y1 > y0) {
                    double d = fmin(fmin(x0, sw - x1), fmin(y0, sh - y1));
                    if (d < o->printer_margin - 0.01) {
                        near[pg - 1] = 1;
                        nnear++;
                        nearest = fmin(nearest, d);
                    }
                }
            }
            cairo_save(cr);
            cairo_rectangle(cr, p.cx0, p.cy0, p.cx1 - p.cx0, p.cy1 - p.cy0);
            cairo_clip(cr);
            cairo_translate(cr, p.x, p.y);
            if (p.s != 1) cairo_scale(cr, p.s, p.s);
            rc = src->paint(src->ud, pg - 1, cr);
            cairo_restore(cr);
        }
        cairo_restore(cr);
        /* marks are symmetric about the sheet's centre: the same on turned sides */
        if (o->marks && draw_marks(cr, sw, sh, nw * sum->scale, nh * sum->scale)) sum->marks = 1;
        cairo_show_page(cr);
        if (!rc && cairo_status(cr)) rc = PM_EIO;
    }
    cairo_destroy(cr);
    cairo_surface_finish(surface);
    cairo_status_t st = cairo_surface_status(surface);
    cairo_surface_destroy(surface);
    if (!rc && st) {
        pm_error(path, 0, 0, "cannot write the booklet: %s", cairo_status_to_string(st));
        rc = PM_EIO;
    }

    if (!rc) {
        char sheet[40], list[400];
        sheet_label(sheet, sizeof sheet, sw, sh);
        if (nscaled) {
            page_list(list, sizeof list, scaled, src->npages);
            pm_warn(path, 0, 0, "page%s %s too big for half of the %s sheet: scaled down to %.1f%% (%.1f%% smaller)",
                    nscaled > 1 ? "s" : "", list, sheet, 100 * min_scale, 100 * (1 - min_scale));
            pm_hint("use a larger --sheet, or smaller pages (page: size: in the layout)");
        }
        if (nnear) {
            page_list(list, sizeof list, near, src->npages);
            pm_warn(path, 0, 0,
                    "page%s %s %s content %.1f mm from the sheet edge, inside the %.1f mm the copier may not print "
                    "(--printer-margin)",
                    nnear > 1 ? "s" : "", list, nnear > 1 ? "have" : "has", PT_TO_MM(fmax(nearest, 0)),
                    PT_TO_MM(o->printer_margin));
            pm_hint("widen the layout's page margins, or choose a larger --sheet");
        }
        if (o->marks && !sum->marks) {
            pm_warn(path, 0, 0, "no room for fold and crop marks: the pages fill the %s sheet", sheet);
            pm_hint("marks need a sheet larger than two pages side by side, e.g. --sheet A3 for A5 pages");
        }
    }
    free(scaled);
    free(near);
    return rc;
}

void pm_bk_summary_free(pm_bk_summary *sum)
{
    if (sum) pm_imposition_free(&sum->im);
}

void pm_bk_print_howto(FILE *out, const char *path, const pm_booklet_opts *o, const pm_bk_summary *sum)
{
    const pm_imposition *im = &sum->im;
    char sheet[40], blanks[200];
    sheet_label(sheet, sizeof sheet, sum->sheet_w, sum->sheet_h);
    int total4 = (im->npages + 3) / 4 * 4, b4 = total4 - im->npages, bsig = im->padded - total4;
    if (!im->blanks)
        snprintf(blanks, sizeof blanks, "0 blank pages added (%d is a multiple of 4)", im->npages);
    else if (!bsig)
        snprintf(blanks, sizeof blanks, "%d blank page%s added %s", b4, b4 > 1 ? "s" : "",
                 o->blanks == PM_BLANKS_END ? "at the end" : "before the last page");
    else if (!b4)
        snprintf(blanks, sizeof blanks, "%d blank page%s added at the end of the last signature", bsig,
                 bsig > 1 ? "s" : "");
    else
        snprintf(blanks, sizeof blanks, "%d blank page%s added %s, and %d at the end of the last signature", b4,
                 b4 > 1 ? "s" : "", o->blanks == PM_BLANKS_END ? "at the end" : "before the last page", bsig);
    int is_long = o->duplex == PM_DUPLEX_LONG;
    const char *edge = is_long ? "long" : "short";
    fprintf(out, "%s: %d page%s on %d sheet%s of %s (%d sides); %s.\n", path, im->npages, im->npages > 1 ? "s" : "",
            im->sheets, im->sheets > 1 ? "s" : "", sheet, im->nsides, blanks);
    fprintf(out, "To make the booklet:\n");
    fprintf(out, "  1. Print on %s paper, both sides, at actual size (not \"fit to page\"), flipping on the %s\n"
                 "     edge (\"%s-edge binding\")%s.\n",
            sheet, is_long ? "LONG" : "SHORT", edge,
            is_long ? "; one side of every sheet is upside down on purpose" : "");
    fprintf(out, "     No duplex? Print the odd sides (1, 3, ...), put the stack back in the tray turned over\n"
                 "     along its %s edge, then print the even sides (2, 4, ...).\n"
                 "     Backs upside down? Your copier flips the other way: use --duplex %s.\n",
            edge, is_long ? "short" : "long");
    if (o->signature && im->sheets > o->signature) {
        int nsig = im->sheets / o->signature;
        if (o->signature == 1)
            fprintf(out, "  2. Fold every sheet in half on its own, keeping their order: %d signatures of one sheet.\n"
                         "  3. Stack the folded sheets in order and sew through the folds, or glue the spines.\n",
                    nsig);
        else
            fprintf(out, "  2. Split the sheets into %d signatures of %d (sheets 1-%d, %d-%d, ...), keeping their order;\n"
                         "     fold each signature in half, its first sheet outside.\n"
                         "  3. Stack the folded signatures in order and sew through the folds, or glue the spines.\n",
                    nsig, o->signature, o->signature, o->signature + 1, 2 * o->signature);
    } else {
        fprintf(out, "  2. Keep the sheets in order (sheet 1 on the outside), fold the stack in half.\n"
                     "  3. Staple in the fold, from the outside (a long-reach stapler, or open the stapler flat).\n");
    }
    if (sum->max_creep > 0)
        fprintf(out, "  Creep: inner pages moved toward the fold by up to %.2f mm for the paper's thickness.\n",
                PT_TO_MM(sum->max_creep));
    if (sum->marks) fprintf(out, "  Trim along the crop marks after binding; the fold marks show the spine.\n");
}

/* ---- the device ---- */

typedef struct {
    pm_writer dev;
    pm_outfile out;
    char *path;
    FILE *fp;
    pm_booklet_opts o;
    const pm_page **pages;
    size_t npages, cap;
    pm_bk_summary sum;
    int written, committed;
    pm_image_sources *images; /* this writer's own (see image.h) */
} bk_dev;

static void frame_size(void *ud, int i, double *w, double *h)
{
    const bk_dev *d = ud;
    *w = d->pages[i]->w;
    *h = d->pages[i]->h;
}

static void grow(double b[4], double x0, double y0, double x1, double y1)
{
    b[0] = fmin(b[0], x0);
    b[1] = fmin(b[1], y0);
    b[2] = fmax(b[2], x1);
    b[3] = fmax(b[3], y1);
}

/* Content bounds from the frame items: line boxes, images, rules. */
static int frame_bounds(void *ud, int i, double b[4])
{
    const pm_page *pg = ((const bk_dev *)ud)->pages[i];
    b[0] = b[1] = INFINITY;
    b[2] = b[3] = -INFINITY;
    for (size_t k = 0; k < pg->nitems; k++) {
        const pm_fitem *it = &pg->items[k];
        switch (it->kind) {
        case PM_FI_LINE: {
            const pm_line *ln = it->line;
            double x0 = 0, x1 = ln->width;
            int glyphs = 0;
            for (int r = 0; r < ln->nruns; r++) {
                if (!ln->runs[r].nglyphs) continue;
                glyphs = 1;
                x0 = fmin(x0, ln->runs[r].x0);
                x1 = fmax(x1, ln->runs[r].x1);
            }
            if (glyphs) grow(b, it->x + x0, it->y - ln->ascent, it->x + x1, it->y + ln->descent);
            break;
        }
        case PM_FI_IMAGE: grow(b, it->x, it->y, it->x + it->w, it->y + it->h); break;
        case PM_FI_RULE: grow(b, it->x, it->y - it->h / 2, it->x + it->w, it->y + it->h / 2); break;
        case PM_FI_BOX: grow(b, it->x, it->y, it->x + it->w, it->y + it->h); break;
        case PM_FI_LINK:
        case PM_FI_DEST: break;
        }
    }
    return b[2] >= b[0] && b[3] >= b[1];
}

static int frame_paint(void *ud, int i, cairo_t *cr)
{
    const bk_dev *d = ud;
    pm_paint_page(cr, d->pages[i], d->images, 0);
    return PM_OK;
}

static int bk_begin(pm_writer *dev, const pm_layout *lay)
{
    bk_dev *d = (bk_dev *)dev;
    d->cap = lay->npages ? lay->npages : 1;
    d->pages = pm_xcalloc(d->cap, sizeof *d->pages);
    d->npages = 0;
    return PM_OK;
}

static int bk_page(pm_writer *dev, const pm_layout *lay, const pm_page *page)
{
    bk_dev *d = (bk_dev *)dev;
    if (d->npages == d->cap) {
        d->cap *= 2;
        d->pages = pm_xrealloc(d->pages, d->cap * sizeof *d->pages);
    }
    d->pages[d->npages++] = page;
    return PM_OK;
}

static int bk_end(pm_writer *dev, const pm_layout *lay)
{
    bk_dev *d = (bk_dev *)dev;
    pm_bk_source src = {.npages = (int)d->npages, .ud = d, .size = frame_size, .bounds = frame_bounds,
                        .paint = frame_paint};
    int rc = pm_bk_write(d->fp, d->path, &d->o, &src, lay, &d->sum);
    int bad = fclose(d->fp) != 0;
    d->fp = NULL;
    if (!rc && bad) {
        pm_error(d->path, 0, 0, "cannot write the booklet: write error");
        rc = PM_EIO;
    }
    if (rc) {
        pm_outfile_abort(&d->out);
        return rc;
    }
    d->written = 1;
    return PM_OK;
}

static int bk_commit(pm_writer *dev)
{
    bk_dev *d = (bk_dev *)dev;
    if (!d->written) return PM_EIO;
    d->committed = 1;
    int rc = pm_outfile_commit(&d->out);
    if (!rc && !d->o.quiet) {
        pm_bk_print_howto(stdout, d->path, &d->o, &d->sum);
        fflush(stdout);
    }
    return rc;
}

static void bk_drop(pm_writer *dev)
{
    bk_dev *d = (bk_dev *)dev;
    if (d->fp) fclose(d->fp);
    if (!d->committed) pm_outfile_abort(&d->out);
    pm_bk_summary_free(&d->sum);
    free(d->pages);
    free(d->path);
    pm_image_sources_drop(d->images);
    free(d);
}

pm_writer *pm_booklet_writer_new(const char *path, const pm_booklet_opts *o)
{
    bk_dev *d = pm_xcalloc(1, sizeof *d);
    if (!(d->fp = pm_outfile_open(&d->out, path, "booklet"))) {
        free(d);
        return NULL;
    }
    d->path = pm_xstrdup(path);
    d->o = *o;
    d->images = pm_image_sources_new();
    d->dev.name = "booklet";
    d->dev.begin = bk_begin;
    d->dev.page = bk_page;
    d->dev.end = bk_end;
    d->dev.commit = bk_commit;
    d->dev.drop = bk_drop;
    return &d->dev;
}

int pm_booklet_preflight(const pm_layout *lay, const pm_booklet_opts *o, pm_imposition *im)
{
    memset(im, 0, sizeof *im);
    bk_dev d = {0};
    d.path = (char *)"booklet";
    d.o = *o;
    d.npages = d.cap = lay->npages;
    d.pages = pm_xcalloc(lay->npages ? lay->npages : 1, sizeof *d.pages);
    for (size_t i = 0; i < lay->npages; i++) d.pages[i] = lay->pages[i];
    FILE *null = fopen("/dev/null", "wb");
    if (!null) {
        free(d.pages);
        pm_error("/dev/null", 0, 0, "cannot open");
        return PM_EIO;
    }
    pm_bk_source src = {.npages = (int)d.npages, .ud = &d, .size = frame_size, .bounds = frame_bounds,
                        .paint = frame_paint};
    int rc = pm_bk_write(null, "booklet", o, &src, lay, &d.sum);
    fclose(null);
    free(d.pages);
    if (!rc) {
        *im = d.sum.im; /* the summary's order moves to the caller */
        memset(&d.sum.im, 0, sizeof d.sum.im);
    }
    pm_bk_summary_free(&d.sum);
    return rc;
}
