/* emit.c - a page plan becomes frame items: figures floated to the top, a table's
 * repeated header, the planned stretch of the vertical list (lines with their list
 * markers, link areas and heading destinations; figures; rules), and the footnotes the
 * accountant placed at the foot. */
#include <math.h>
#include <string.h>

#include "layout/flow-imp.h"

pm_fitem *pm_line_item(fstate *fs, pm_page *pg, const pm_line *line, double x, double y, double h, unsigned flags)
{
    pm_fitem *li = pm_page_add(fs->lay, pg, PM_FI_LINE);
    li->line = line;
    li->x = x;
    li->y = y;
    li->w = line->width;
    li->h = h;
    li->flags = flags;
    return li;
}

/* The figure with its top at y + top, centred in its room; returns the y below its
 * caption. */
static double draw_figure(fstate *fs, pm_page *pg, const vfig *f, double tx, double y, double top)
{
    pm_fitem *im = pm_page_add(fs->lay, pg, PM_FI_IMAGE);
    im->x = f->full ? 0 : tx + f->x + (f->room - f->w) / 2;
    im->y = y + top;
    im->w = f->w;
    im->h = f->h;
    im->image = pm_image_keep(f->img);
    im->str = f->src;
    im->title = f->alt;
    double cy = y + top + f->h + f->gap;
    for (int c = 0; c < f->ncap; c++) {
        pm_line_item(fs, pg, &f->cap[c], tx + f->x, cy + f->cap_base, f->cap_leading, PM_FL_CAPTION);
        cy += f->cap_leading;
    }
    return cy;
}

double pm_float_height(const fstate *fs, const vfig *f)
{
    double content = f->h + (f->ncap ? f->gap + f->ncap * f->cap_leading : 0);
    return fmin(snap_up(content + pm_spec_len(fs->spec, fs->spec->fig_space, fs->rg->h), fs->L), fs->rg->h);
}

static int is_floated(const page_plan *pl, size_t i)
{
    for (int k = 0; k < pl->nfloated; k++)
        if (pl->floated[k] == i) return 1;
    return 0;
}

/* A V_RULE item whose top is at y, in a region whose left edge is tx. */
static void rule_item(fstate *fs, pm_page *pg, const vitem *it, double tx, double y)
{
    pm_fitem *r = pm_page_add(fs->lay, pg, PM_FI_RULE);
    r->x = tx + it->rule_x;
    r->y = y + it->h * it->rule_at;
    r->w = it->rule_w;
    r->h = it->rule_t;
}

/* A line of the vertical list with its top at y: a heading's destination, the line, its
 * list marker, its links. */
static void emit_line(fstate *fs, pm_page *pg, const vitem *it, double tx, double y)
{
    if (it->heading) {
        pm_fitem *d = pm_page_add(fs->lay, pg, PM_FI_DEST);
        d->x = tx;
        d->y = y;
        d->str = it->heading->id;
        d->title = it->heading->text.utf8;
        d->level = it->heading->level;
    }
    pm_fitem *li = pm_line_item(fs, pg, it->line, tx + it->x, y + it->base, it->h,
                                it->cell ? PM_FL_CELL : it->heading || !it->para ? PM_FL_HEADING : 0);
    li->para = it->para;
    li->lineno = it->lineno;
    li->nlines = it->nlines;
    if (it->marker) pm_line_item(fs, pg, it->marker, tx + it->marker_x, y + it->base, it->h, PM_FL_MARKER);
    for (int l = 0; l < it->line->nlinks; l++) {
        const pm_line_link *lk = &it->line->links[l];
        pm_fitem *k = pm_page_add(fs->lay, pg, PM_FI_LINK);
        k->x = tx + it->x + lk->x0;
        k->w = lk->x1 - lk->x0;
        k->y = y + it->base - it->line->ascent;
        k->h = it->line->ascent + it->line->descent;
        k->str = lk->url;
    }
}

/* Where the content of a page that is set in the middle (the back cover) starts: its
 * height centred, in whole lines so that it stays on the grid. */
static double middle_start(const fstate *fs, const vlist *vl, const page_plan *pl, double ty, double th)
{
    double h = 0;
    for (size_t i = pl->from; i < pl->to; i++)
        if (vl->v[i].kind != V_PENALTY && !(vl->v[i].kind == V_GLUE && i == pl->from)) h += vl->v[i].h;
    return h < th ? ty + floor((th - h) / 2 / fs->L) * fs->L : ty;
}

/* Items [from, to) of the vertical list with their glue stretched by ratio, from y, in a
 * region whose left edge is tx (figures floated away are left out); returns the y below. */
static double emit_body(fstate *fs, vlist *vl, pm_page *pg, const page_plan *pl, size_t from, size_t to,
                        double ratio, double tx, double ty, double y)
{
    for (size_t i = from; i < to; i++) {
        vitem *it = &vl->v[i];
        if (is_floated(pl, i)) continue;
        switch (it->kind) {
        case V_GLUE: y += it->h + ratio * it->stretch; break;
        case V_PENALTY: break;
        case V_RULE:
            rule_item(fs, pg, it, tx, y);
            y += it->h;
            break;
        case V_FIGURE: {
            vfig *f = it->fig;
            double content = f->h + (f->ncap ? f->gap + f->ncap * f->cap_leading : 0);
            double top = y <= ty + EPS ? 0 : (it->h - content) / 2;
            draw_figure(fs, pg, f, tx, y, top);
            y += it->h;
            break;
        }
        case V_LINE:
            emit_line(fs, pg, it, tx, y);
            y += it->h;
            break;
        }
    }
    return y;
}

void pm_emit_page(fstate *fs, vlist *vl, pm_page *pg, const page_plan *pl, int right)
{
    double tx, ty, tw, th;
    pm_spec_text_area(fs->spec, right, &tx, &ty, &tw, &th);
    th += fs->taller;
    pg->tx = tx;
    pg->ty = ty;
    pg->tw = tw;
    pg->th = th;
    double y = pl->middle ? middle_start(fs, vl, pl, ty, th) : ty;
    for (int k = 0; k < pl->ntop; k++) {
        vfig *f = pl->top[k];
        double h = pm_float_height(fs, f);
        draw_figure(fs, pg, f, tx, y, 0);
        y += h;
    }
    for (int k = 0; pl->repeat && k < pl->repeat->nhead; k++) { /* (no links or notes again) */
        const vitem *it = &pl->repeat->head[k];
        if (it->kind == V_RULE) rule_item(fs, pg, it, tx, y);
        else pm_line_item(fs, pg, it->line, tx + it->x, y + it->base, it->h, PM_FL_CELL);
        y += it->h;
    }
    if (!pl->bands) {
        emit_body(fs, vl, pg, pl, pl->from, pl->to, pl->ratio, tx, ty, y);
    } else {
        double gap = pm_column_gap(fs);
        for (int b = 0; b < pl->nbands; b++) {
            const band_plan *bp = &pl->bands[b];
            if (!bp->cols) {
                emit_body(fs, vl, pg, pl, bp->from[0], bp->to[0], bp->ratio, tx, ty, ty + bp->y);
                continue;
            }
            double cw = pm_column_width(fs, bp->cols);
            for (int c = 0; c < bp->cols; c++) {
                emit_body(fs, vl, pg, pl, bp->from[c], bp->to[c], 0, tx + c * (cw + gap), ty, ty + bp->y);
            }
        }
    }
    pm_emit_notes(fs, fs->rg, pg, pl->notes, tx, ty, tw, th);
}
