/* png.c - proofs as pictures: one PNG per page (--png DIR), or all pages as facing
 * spreads in one PNG (--spreads FILE), to see the whole pamphlet at a glance. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "output/writer.h"
#include "output/paint.h"
#include "base/diag.h"
#include "base/fileio.h"

typedef struct {
    pm_writer super;
    char *dir;
    double dpi;
    int flags;          /* pm_paint_page's (PM_PAINT_GRAY) */
    pm_outfile *outs;   /* one per page */
    int nouts, ended;
} png_writer;

static cairo_status_t write_png(cairo_surface_t *s, const char *path)
{
    return cairo_surface_write_to_png(s, path);
}

static int png_page(pm_writer *wr, const pm_layout *lay, const pm_page *pg)
{
    png_writer *d = (png_writer *)wr;
    double k = d->dpi / 72.0;
    int w = (int)ceil(pg->w * k), h = (int)ceil(pg->h * k);
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
    cairo_t *cr = cairo_create(s);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_scale(cr, k, k);
    pm_paint_page(cr, pg, NULL, d->flags);
    cairo_destroy(cr);
    char path[4096];
    snprintf(path, sizeof path, "%s/page-%03d.png", d->dir, pg->index + 1);
    d->outs = pm_xrealloc(d->outs, (size_t)(d->nouts + 1) * sizeof *d->outs);
    pm_outfile *o = &d->outs[d->nouts];
    int rc = pm_outfile_begin(o, path);
    if (!rc) {
        d->nouts++;
        const char *tmp = pm_outfile_tmp(o);
        if (!tmp || write_png(s, tmp) != CAIRO_STATUS_SUCCESS) {
            pm_error(path, 0, 0, "cannot write the PNG");
            rc = PM_EIO;
        }
    }
    cairo_surface_destroy(s);
    return rc;
}

static int png_end(pm_writer *wr, const pm_layout *lay) { return PM_OK; }

static int png_commit(pm_writer *wr)
{
    png_writer *d = (png_writer *)wr;
    int rc = PM_OK;
    for (int i = 0; i < d->nouts; i++)
        if (!rc) rc = pm_outfile_commit(&d->outs[i]);
        else pm_outfile_abort(&d->outs[i]);
    d->nouts = 0;
    d->ended = 1;
    return rc;
}

static void png_drop(pm_writer *wr)
{
    png_writer *d = (png_writer *)wr;
    for (int i = 0; i < d->nouts; i++) pm_outfile_abort(&d->outs[i]);
    free(d->outs);
    free(d->dir);
    free(d);
}

pm_writer *pm_png_writer_new(const char *dir, double dpi, int gray)
{
    if (mkdir(dir, 0777) < 0 && errno != EEXIST) {
        pm_error(dir, 0, 0, "cannot make the folder for PNG proofs: %s", strerror(errno));
        return NULL;
    }
    png_writer *d = pm_xcalloc(1, sizeof *d);
    d->dir = pm_xstrdup(dir);
    d->dpi = dpi;
    d->flags = gray ? PM_PAINT_GRAY : 0;
    d->super.name = "png";
    d->super.page = png_page;
    d->super.end = png_end;
    d->super.commit = png_commit;
    d->super.drop = png_drop;
    return &d->super;
}

/* ---- spreads ---- */

typedef struct {
    pm_writer super;
    pm_outfile out;
    double dpi;
    int flags;
    const pm_page **pages;
    int npages, ended;
} spreads_writer;

static int sp_page(pm_writer *wr, const pm_layout *lay, const pm_page *pg)
{
    spreads_writer *d = (spreads_writer *)wr;
    d->pages = pm_xrealloc(d->pages, (size_t)(d->npages + 1) * sizeof *d->pages);
    d->pages[d->npages++] = pg;
    return PM_OK;
}

/* Pages as a reader sees them: the first alone on the right, then left|right pairs. */
static int sp_end(pm_writer *wr, const pm_layout *lay)
{
    spreads_writer *d = (spreads_writer *)wr;
    if (!d->npages) return PM_OK;
    double k = d->dpi / 72.0, pw = d->pages[0]->w, ph = d->pages[0]->h;
    int nspreads = d->npages / 2 + 1;
    int cols = nspreads < 4 ? nspreads : 4, rows = (nspreads + cols - 1) / cols;
    double gap = 24, sw = 2 * pw, W = cols * sw + (cols + 1) * gap, H = rows * ph + (rows + 1) * gap;
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, (int)ceil(W * k), (int)ceil(H * k));
    cairo_t *cr = cairo_create(s);
    cairo_set_source_rgb(cr, 0.55, 0.55, 0.55);
    cairo_paint(cr);
    cairo_scale(cr, k, k);
    for (int i = 0; i < d->npages; i++) {
        int spread = (i + 1) / 2, right = i % 2 == 0;
        int col = spread % cols, row = spread / cols;
        double x = gap + col * (sw + gap) + (right ? pw : 0), y = gap + row * (ph + gap);
        cairo_save(cr);
        cairo_translate(cr, x, y);
        cairo_rectangle(cr, 0, 0, d->pages[i]->w, d->pages[i]->h);
        cairo_set_source_rgb(cr, 1, 1, 1);
        cairo_fill_preserve(cr);
        cairo_clip(cr);
        pm_paint_page(cr, d->pages[i], NULL, d->flags);
        cairo_restore(cr);
    }
    cairo_destroy(cr);
    int rc = PM_OK;
    const char *tmp = pm_outfile_tmp(&d->out);
    if (!tmp || cairo_surface_write_to_png(s, tmp) != CAIRO_STATUS_SUCCESS) {
        pm_error(d->out.path, 0, 0, "cannot write the spreads PNG");
        rc = PM_EIO;
    }
    cairo_surface_destroy(s);
    return rc;
}

static int sp_commit(pm_writer *wr)
{
    spreads_writer *d = (spreads_writer *)wr;
    d->ended = 1;
    return pm_outfile_commit(&d->out);
}

static void sp_drop(pm_writer *wr)
{
    spreads_writer *d = (spreads_writer *)wr;
    if (!d->ended) pm_outfile_abort(&d->out);
    free(d->pages);
    free(d);
}

pm_writer *pm_spreads_writer_new(const char *path, double dpi, int gray)
{
    spreads_writer *d = pm_xcalloc(1, sizeof *d);
    if (pm_outfile_begin(&d->out, path)) {
        free(d);
        return NULL;
    }
    d->dpi = dpi;
    d->flags = gray ? PM_PAINT_GRAY : 0;
    d->super.name = "spreads";
    d->super.page = sp_page;
    d->super.end = sp_end;
    d->super.commit = sp_commit;
    d->super.drop = sp_drop;
    return &d->super;
}
