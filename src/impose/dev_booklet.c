/* dev_booklet.c - the booklet device: it keeps the page frames it is given (they are
 * immutable and outlive the run) and at end() hands them to the sheet writer (sheets.c,
 * booklet-imp.h), which imposes them as the fold asks (impose.c) and draws the sheets;
 * after commit it prints the printing how-to (howto.c). Also --preflight's dry run. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "impose/booklet-imp.h"
#include "base/diag.h"
#include "base/fileio.h"
#include "output/paint.h"

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
