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

/* The link areas of a line whose baseline starts at x, y. */
static void line_links(fstate *fs, pm_page *pg, const pm_line *line, double x, double y, const pm_snode *sn)
{
    for (int l = 0; l < line->nlinks; l++) {
        const pm_line_link *lk = &line->links[l];
        pm_fitem *k = pm_page_add(fs->lay, pg, PM_FI_LINK);
        k->x = x + lk->x0;
        k->w = lk->x1 - lk->x0;
        k->y = y - line->ascent;
        k->h = line->ascent + line->descent;
        k->str = lk->url;
        k->sn = sn;
    }
}

/* A line of the vertical list with its top at y: a heading's destination, the line, its
 * list marker, the lines hung beside it, its links. */
static void emit_line(fstate *fs, pm_page *pg, const vitem *it, double tx, double y)
{
    if (it->heading) {
        pm_fitem *d = pm_page_add(fs->lay, pg, PM_FI_DEST);
        d->x = tx;
        d->y = y;
        d->str = it->heading->id;
        pm_heading_titles(fs, it->heading, &d->title, &d->running);
        d->level = it->heading->level;
    }
    unsigned flags = it->fl            ? it->fl
                     : it->cell        ? PM_FL_CELL | (it->across ? PM_FL_ACROSS : 0)
                     : it->heading || !it->para ? PM_FL_HEADING
                                       : 0;
    pm_fitem *li = pm_line_item(fs, pg, it->line, tx + it->x, y + it->base, it->h, flags);
    li->para = it->para;
    li->lineno = it->lineno;
    li->nlines = it->nlines;
    li->sn = it->sn;
    if (it->marker) pm_line_item(fs, pg, it->marker, tx + it->marker_x, y + it->base, it->h, PM_FL_MARKER)->sn = it->sn;
    line_links(fs, pg, it->line, tx + it->x, y + it->base, it->sn);
    for (int k = 0; k < it->nhung; k++) {
        const vhung *hg = &it->hung[k];
        pm_line_item(fs, pg, hg->line, tx + hg->x, y + it->base + hg->dy, it->h, hg->flags);
        line_links(fs, pg, hg->line, tx + hg->x, y + it->base + hg->dy, NULL);
    }
}

/* ---- boxes ---- */

/* The boxes open while a stretch of the list is emitted: each has its frame items made
 * when it opens (so that they paint before its text) and sized when it closes. */
typedef struct open_box {
    const vbox *b;
    size_t item[3];      /* its frame items (indexes: the page's items may move) */
    pm_fbox *fb[3];
    int nitem;
    int top_closed;
    double top;
} open_box;

typedef struct box_stack {
    open_box v[2 * PM_MAX_BLOCK_DEPTH + 3];
    int n;
} box_stack;

static void box_part(fstate *fs, pm_page *pg, open_box *o, double x, double w, const double *fill,
                     const double *stroke, double width, unsigned sides)
{
    pm_fbox *fb = pm_arena_alloc(fs->a, sizeof *fb);
    memcpy(fb->fill, fill, sizeof fb->fill);
    memcpy(fb->stroke, stroke, sizeof fb->stroke);
    fb->width = width;
    fb->sides = width > 0 ? sides : 0;
    pm_fitem *it = pm_page_add(fs->lay, pg, PM_FI_BOX);
    it->x = x;
    it->w = w;
    it->y = o->top;
    it->box = fb;
    o->fb[o->nitem] = fb;
    o->item[o->nitem++] = pg->nitems - 1;
}

/* Box b opens at y (its top edge, or, open, the top of the stretch): its tint and border,
 * its left rule, its rules above and below. */
static void box_open(fstate *fs, pm_page *pg, box_stack *bs, const vbox *b, double tx, double y, int closed)
{
    if (bs->n == (int)(sizeof bs->v / sizeof *bs->v)) return;
    open_box *o = &bs->v[bs->n++];
    memset(o, 0, sizeof *o);
    o->b = b;
    o->top = y;
    o->top_closed = closed;
    const pm_style_spec *st = b->st;
    static const double none[3] = {-1, -1, -1};
    double border = pm_spec_len(fs->spec, st->border, b->w), rule = pm_spec_len(fs->spec, st->rule, b->w);
    double rules = pm_spec_len(fs->spec, st->rules, b->w);
    if (st->tint[0] >= 0 || border > 0)
        box_part(fs, pg, o, tx + b->x, b->w, st->tint, st->border_color, border, 15);
    if (rule > 0) box_part(fs, pg, o, tx + b->x, rule, st->rule_color, none, 0, 0);
    if (rules > 0) box_part(fs, pg, o, tx + b->x, b->w, none, st->rule_color, rules, PM_SIDE_TOP | PM_SIDE_BOTTOM);
}

/* The innermost open box closes at y (its bottom edge, or, open, the foot of the stretch).
 * Where a page breaks it, it reaches a little past its text (its padding, at most 0.4 of
 * a line): a tint that stopped at the text's line would crowd it. */
static void box_close(fstate *fs, pm_page *pg, box_stack *bs, double y, int closed)
{
    open_box *o = &bs->v[--bs->n];
    const pm_style_spec *st = o->b->st;
    double past = fmin(pm_spec_len(fs->spec, st->padding, o->b->w), 0.4 * fs->L);
    for (int k = 0; k < o->nitem; k++) {
        pm_fitem *it = &pg->items[o->item[k]];
        if (!o->top_closed) {
            o->fb[k]->sides &= ~(unsigned)PM_SIDE_TOP;
            o->fb[k]->open |= PM_SIDE_TOP;
            it->y -= past;
        }
        if (!closed) {
            o->fb[k]->sides &= ~(unsigned)PM_SIDE_BOTTOM;
            o->fb[k]->open |= PM_SIDE_BOTTOM;
        }
        it->h = fmax(y + (closed ? 0 : past) - it->y, 0);
    }
}

/* The boxes item i is in that opened before it (on an earlier page or column): open at y. */
static void boxes_going_on(fstate *fs, pm_page *pg, box_stack *bs, const vitem *it, double tx, double y)
{
    const vbox *chain[2 * PM_MAX_BLOCK_DEPTH + 3];
    int n = 0;
    for (const vbox *b = it->kind == V_BOX_START ? it->box->parent : it->box; b && n < (int)(sizeof chain / sizeof *chain);
         b = b->parent)
        chain[n++] = b;
    while (n--) box_open(fs, pg, bs, chain[n], tx, y, 0);
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
    box_stack bs;
    bs.n = 0;
    if (from < to) boxes_going_on(fs, pg, &bs, &vl->v[from], tx, y);
    for (size_t i = from; i < to; i++) {
        vitem *it = &vl->v[i];
        if (is_floated(pl, i)) continue;
        switch (it->kind) {
        case V_BOX_START: box_open(fs, pg, &bs, it->box, tx, y + it->box->top, 1); break;
        case V_BOX_END:
            if (bs.n && bs.v[bs.n - 1].b == it->box) box_close(fs, pg, &bs, y - it->box->bottom, 1);
            break;
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
    while (bs.n) box_close(fs, pg, &bs, y, 0); /* broken here: open at the foot */
    return y;
}

/* Where what is set in items [from, to) from y ends: below its last line, figure or rule
 * (glue after them is not text); y itself when there is none. */
static double content_end(const vlist *vl, const page_plan *pl, size_t from, size_t to, double y)
{
    double end = y;
    for (size_t i = from; i < to; i++) {
        const vitem *it = &vl->v[i];
        if (is_floated(pl, i) || it->kind == V_PENALTY) continue;
        y += it->h;
        if (it->kind != V_GLUE) end = y;
    }
    return end;
}

/* page.column-rule: a thin rule in the middle of each gap of a band of columns, from the
 * band's top down to where the shorter of the two columns beside it ends (no rule beside
 * an empty column; what spans the columns ends the band, so the rule never crosses it).
 * x: the middle of the first gap; step: from one gap to the next. */
static void column_rules(fstate *fs, const vlist *vl, pm_page *pg, const page_plan *pl, const band_plan *bp,
                         double x, double step, double y)
{
    const double t = 0.4; /* as thick as the running heads' and footnotes' rules */
    for (int c = 0; c + 1 < bp->cols; c++) {
        double a = content_end(vl, pl, bp->from[c], bp->to[c], y);
        double b = content_end(vl, pl, bp->from[c + 1], bp->to[c + 1], y);
        double end = a < b ? a : b;
        if (end <= y + EPS) continue;
        pm_fitem *r = pm_page_add(fs->lay, pg, PM_FI_VRULE);
        r->x = x + (bp->rtl ? bp->cols - 2 - c : c) * step - t / 2; /* (between c's place and c + 1's) */
        r->y = y;
        r->w = t;
        r->h = end - y;
    }
}

/* A table's header again (rep: NULL for none) at the top of a page or column at x, y;
 * returns the y under it. No links or notes again. */
static double table_header(fstate *fs, pm_page *pg, const vtable *rep, double x, double y)
{
    for (int k = 0; rep && k < rep->nhead; k++) {
        const vitem *it = &rep->head[k];
        if (it->kind == V_RULE) rule_item(fs, pg, it, x, y);
        else pm_line_item(fs, pg, it->line, x + it->x, y + it->base, it->h, PM_FL_CELL);
        y += it->h;
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
    if (pg->kind == PM_PAGE_BACK) pm_qr_room(fs, &ty, &th); /* (the page keeps its whole text area) */
    double y = pl->middle ? middle_start(fs, vl, pl, ty, th) : ty;
    for (int k = 0; k < pl->ntop; k++) {
        vfig *f = pl->top[k];
        double h = pm_float_height(fs, f);
        /* (one of a column: in the first column's place, on the right when they run right to left) */
        draw_figure(fs, pg, f, f->col_rtl ? tx + tw - 2 * f->x - f->room : tx, y, 0);
        y += h;
    }
    y = table_header(fs, pg, pl->repeat, tx, y);
    if (!pl->bands) {
        emit_body(fs, vl, pg, pl, pl->from, pl->to, pl->ratio, tx, ty, y);
    } else {
        double gap = pm_column_gap(fs);
        for (int b = 0; b < pl->nbands; b++) {
            const band_plan *bp = &pl->bands[b];
            if (!bp->cols) {
                emit_body(fs, vl, pg, pl, bp->from[0], bp->to[0], bp->ratio, tx, ty,
                          table_header(fs, pg, bp->repeat[0], tx, ty + bp->y));
                continue;
            }
            double cw = pm_column_width(fs, bp->cols);
            for (int c = 0; c < bp->cols; c++) {
                double cx = tx + (bp->rtl ? bp->cols - 1 - c : c) * (cw + gap); /* right to left: the first on the right */
                emit_body(fs, vl, pg, pl, bp->from[c], bp->to[c], 0, cx, ty, table_header(fs, pg, bp->repeat[c], cx, ty + bp->y));
            }
            if (fs->spec->column_rule) column_rules(fs, vl, pg, pl, bp, tx + cw + gap / 2, cw + gap, ty + bp->y);
        }
    }
    pm_emit_notes(fs, fs->rg, pg, pl->notes, tx, ty, tw, th);
    if (pg->kind == PM_PAGE_BACK) pm_qr_place(fs, pg);
}
