/* dev_booklet.c - the booklet writer: the reading PDF imposed by reference. It notes the
 * size and ink bounds of each page frame it is given (for the printer-margin check),
 * as the page comes: the lines a page shows may be released once it is drawn
 * (frame.h); once the reading PDF writer it was made with has finished
 * its file and run its passes, its own pass "impose" places that file's pages on the
 * sheets (byref.c) as the fold asks (impose.c). After commit it prints the printing
 * how-to (howto.c). Also --preflight's dry run, which writes nothing. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "impose/booklet-imp.h"
#include "base/diag.h"
#include "base/fileio.h"

/* ---- the writer ---- */

typedef struct {
    pm_writer dev;
    pm_outfile out;
    char *path;
    pm_writer *reading; /* the reading PDF's writer: its finished file is imposed */
    pm_booklet_opts o;
    struct bk_frame *pages;
    size_t npages, cap;
    pm_bk_summary sum;
    int ended, committed;
} bk_dev;

/* What the plan needs of a page frame: its size, and the bounds of its ink. */
typedef struct bk_frame {
    double w, h;
    double ink[4];
    int inked;
} bk_frame;

static void frame_size(void *ud, int i, double *w, double *h)
{
    const bk_dev *d = ud;
    *w = d->pages[i].w;
    *h = d->pages[i].h;
}

static int frame_ink(void *ud, int i, double b[4])
{
    const bk_frame *f = &((const bk_dev *)ud)->pages[i];
    memcpy(b, f->ink, sizeof f->ink);
    return f->inked;
}

static void grow(double b[4], double x0, double y0, double x1, double y1)
{
    b[0] = fmin(b[0], x0);
    b[1] = fmin(b[1], y0);
    b[2] = fmax(b[2], x1);
    b[3] = fmax(b[3], y1);
}

/* Content bounds from the frame items: line boxes, images, rules. */
static int frame_bounds(const pm_page *pg, double b[4])
{
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
        case PM_FI_IMAGE:
            if (it->clip) grow(b, it->clip->x, it->clip->y, it->clip->x + it->clip->w, it->clip->y + it->clip->h);
            else grow(b, it->x, it->y, it->x + it->w, it->y + it->h);
            break;
        case PM_FI_VRULE:
        case PM_FI_FILL: grow(b, it->x, it->y, it->x + it->w, it->y + it->h); break;
        case PM_FI_QR: { /* with its quiet zone, painted white */
            double q = 4 * it->w / it->level;
            grow(b, it->x - q, it->y - q, it->x + it->w + q, it->y + it->h + q);
            break;
        }
        case PM_FI_RULE: grow(b, it->x, it->y - it->h / 2, it->x + it->w, it->y + it->h / 2); break;
        case PM_FI_BOX: grow(b, it->x, it->y, it->x + it->w, it->y + it->h); break;
        case PM_FI_LINK:
        case PM_FI_DEST: break;
        }
    }
    return b[2] >= b[0] && b[3] >= b[1];
}

static int bk_begin(pm_writer *dev, const pm_layout *lay)
{
    bk_dev *d = (bk_dev *)dev;
    d->cap = 64; /* (not lay->npages: the pages are still being built) */
    free(d->pages);
    d->pages = pm_xcalloc(d->cap, sizeof *d->pages);
    d->npages = 0;
    return PM_OK;
}

static void note_frame(bk_dev *d, const pm_page *page)
{
    if (d->npages == d->cap) {
        d->cap *= 2;
        d->pages = pm_xrealloc(d->pages, d->cap * sizeof *d->pages);
    }
    bk_frame *f = &d->pages[d->npages++];
    f->w = page->w;
    f->h = page->h;
    f->inked = frame_bounds(page, f->ink);
}

static int bk_page(pm_writer *dev, const pm_layout *lay, const pm_page *page)
{
    note_frame((bk_dev *)dev, page);
    return PM_OK;
}

static int bk_end(pm_writer *dev, const pm_layout *lay)
{
    ((bk_dev *)dev)->ended = 1;
    return PM_OK;
}

/* The pass that makes the booklet: the reading PDF, finished and post-processed (its
   writer comes first in pm_writers_commit), imposed into out. */
static int bk_impose(void *ud, const pm_outfile *in, const char *out, const char *dest)
{
    bk_dev *d = ud;
    (void)in; /* the booklet's own, empty */
    const pm_outfile *rf = d->reading->out;
    if (!d->ended || !rf || !rf->tmp) {
        pm_error(dest, 0, 0, "internal error: the reading PDF is not written yet");
        return PM_EIO;
    }
    pm_bk_source src = {.npages = (int)d->npages, .ud = d, .size = frame_size, .bounds = frame_ink};
    pm_bk_summary_free(&d->sum);
    return pm_bk_impose_file(rf->tmp, d->reading->finished, "the reading PDF", out, dest, &d->o, &src, &d->sum);
}

static int bk_commit(pm_writer *dev)
{
    bk_dev *d = (bk_dev *)dev;
    if (!d->ended) return PM_EIO;
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
    if (!d->committed) pm_outfile_abort(&d->out);
    pm_bk_summary_free(&d->sum);
    free(d->pages);
    free(d->path);
    free(d);
}

pm_writer *pm_booklet_writer_new(const char *path, const pm_booklet_opts *o, pm_writer *reading)
{
    bk_dev *d = pm_xcalloc(1, sizeof *d);
    if (pm_outfile_begin(&d->out, path)) {
        free(d);
        return NULL;
    }
    d->path = pm_xstrdup(path);
    d->o = *o;
    d->reading = reading;
    d->dev.name = "booklet";
    d->dev.begin = bk_begin;
    d->dev.page = bk_page;
    d->dev.end = bk_end;
    d->dev.commit = bk_commit;
    d->dev.drop = bk_drop;
    d->dev.out = &d->out;
    pm_writer_add_pass(&d->dev, (pm_pass){"impose", bk_impose, d});
    return &d->dev;
}

int pm_booklet_preflight(const pm_layout *lay, const pm_booklet_opts *o, pm_imposition *im)
{
    memset(im, 0, sizeof *im);
    bk_dev d = {0};
    d.cap = lay->npages ? lay->npages : 1;
    d.pages = pm_xcalloc(d.cap, sizeof *d.pages);
    for (size_t i = 0; i < lay->npages; i++) note_frame(&d, lay->pages[i]);
    pm_bk_source src = {.npages = (int)d.npages, .ud = &d, .size = frame_size, .bounds = frame_ink};
    pm_bk_plan pl;
    int rc = pm_bk_plan_make(o, &src, &pl);
    if (!rc) {
        pm_bk_plan_warn(&pl, o, "booklet");
        *im = pl.sum.im; /* the order moves to the caller */
        memset(&pl.sum.im, 0, sizeof pl.sum.im);
    }
    pm_bk_plan_free(&pl);
    free(d.pages);
    return rc;
}
