/* impose.c - the imposition arithmetic (impose.h): options from the layout, the booklet
 * order (padding blanks, signatures, right-to-left binding, creep per sheet), the folds
 * that put it on printed sheets as cells (saddle, 2up, cut-stack, zine8), the sides turned
 * for the duplex edge, and where a page goes in its cell. No drawing and no cairo: the
 * sheets are drawn by sheets.c; tests/unit/test_impose.c checks this file alone.
 *
 * The booklet order is the one tests/tools/booklet_check.py expects: pad to a multiple of
 * 4 (blanks just before the last page, or at the end; a single page stays the cover),
 * split the padded pages into signatures of 4k pages and pad the last signature at its
 * end; in a signature of P pages folded sheet i shows [P-2i | 2i+1] on its front and
 * [2i+2 | P-2i-1] on its back. The sheet sizes are in paper.c. */
#include "impose/impose.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/diag.h"

#define MM(x) ((x) * 72.0 / 25.4)
#define MAX_PAGES 1000000

void pm_booklet_opts_from_spec(const pm_spec *s, pm_booklet_opts *o)
{
    memset(o, 0, sizeof *o);
    o->duplex = PM_DUPLEX_SHORT;
    o->blanks = PM_BLANKS_BEFORE_LAST;
    o->printer_margin = MM(5);
    if (!s) return;
    const pm_booklet_spec *b = &s->booklet;
    if (b->sheet_w > 0 && b->sheet_h > 0) {
        o->sheet_w = fmax(b->sheet_w, b->sheet_h);
        o->sheet_h = fmin(b->sheet_w, b->sheet_h);
    }
    o->fold = b->fold;
    o->duplex = b->duplex;
    o->blanks = b->blanks;
    o->signature = b->signature;
    o->creep = pm_spec_len(s, b->creep, 0);
    o->marks = b->marks;
    o->printer_margin = pm_spec_len(s, b->printer_margin, 0);
    o->rtl = b->rtl;
}

static int check_opts(const pm_booklet_opts *o)
{
    if (o->signature < 0 || o->signature > MAX_PAGES / 4) {
        pm_error(NULL, 0, 0, "booklet signature %d: give a number of sheets (0 = one signature)", o->signature);
        return PM_EUSAGE;
    }
    if (o->fold < PM_FOLD_SADDLE || o->fold > PM_FOLD_CUT_STACK) {
        pm_error(NULL, 0, 0, "booklet fold: use saddle, zine8, 2up or cut-stack");
        return PM_EUSAGE;
    }
    if (o->duplex != PM_DUPLEX_SHORT && o->duplex != PM_DUPLEX_LONG) {
        pm_error(NULL, 0, 0, "booklet duplex: use short or long");
        return PM_EUSAGE;
    }
    if (o->blanks != PM_BLANKS_BEFORE_LAST && o->blanks != PM_BLANKS_END) {
        pm_error(NULL, 0, 0, "booklet blanks: use before-last or end");
        return PM_EUSAGE;
    }
    if (o->sides < PM_SIDES_BOTH || o->sides > PM_SIDES_BACK) {
        pm_error(NULL, 0, 0, "booklet sides: use front or back");
        return PM_EUSAGE;
    }
    if (!(o->creep >= 0) || o->creep > MM(5)) {
        pm_error(NULL, 0, 0, "booklet creep %.2f mm: give a paper thickness from 0 to 5 mm", o->creep * 25.4 / 72);
        return PM_EUSAGE;
    }
    if (!(o->printer_margin >= 0) || o->printer_margin > MM(100)) {
        pm_error(NULL, 0, 0, "booklet printer margin %.1f mm: give a length from 0 to 100 mm",
                 o->printer_margin * 25.4 / 72);
        return PM_EUSAGE;
    }
    if (!(o->sheet_w >= 0) || !(o->sheet_h >= 0) || (o->sheet_w > 0) != (o->sheet_h > 0)) {
        pm_error(NULL, 0, 0, "booklet sheet: give both width and height, or neither");
        return PM_EUSAGE;
    }
    return PM_OK;
}

/* ---- the booklet order: folded sheets ---- */

/* One folded sheet (two leaves): its pages, 0 = blank, as they lie when it is opened
   flat, outside up (front) and inside up (back). */
typedef struct {
    int fl, fr, bl, br;
    int in_sig; /* 0 = outermost of its signature */
} folded_sheet;

/* The reading order with the blanks (0) in place, padded to total pages. */
static int *reading_order(int npages, int total, int padded, pm_blanks blanks)
{
    int *seq = pm_xcalloc((size_t)padded, sizeof *seq);
    if (npages == 1) {
        seq[0] = 1; /* the only page is the cover, never the back */
    } else if (blanks == PM_BLANKS_BEFORE_LAST && total > npages) {
        for (int i = 0; i < npages - 1; i++) seq[i] = i + 1;
        seq[total - 1] = npages;
    } else {
        for (int i = 0; i < npages; i++) seq[i] = i + 1;
    }
    return seq;
}

/* The saddle-stitch booklet of npages in signatures: *nfolded folded sheets, padded to
   *padded pages. */
static folded_sheet *booklet_order(int npages, const pm_booklet_opts *o, int *nfolded, int *padded_out)
{
    int total = (npages + 3) / 4 * 4;
    int sig = o->signature ? 4 * o->signature : total;
    int nsig = (total + sig - 1) / sig;
    int padded = nsig * sig;
    if (o->signature && nsig == 1 && sig > total)
        pm_warn(NULL, 0, 0, "a signature of %d sheets is more than the %d the booklet needs: %d blank pages at its end",
                o->signature, total / 4, sig - total);
    int *seq = reading_order(npages, total, padded, o->blanks);
    folded_sheet *fs = pm_xcalloc((size_t)padded / 4, sizeof *fs);
    int k = 0;
    for (int base = 0; base < padded; base += sig) {
        const int *p = seq + base;
        for (int i = 0; i < sig / 4; i++, k++) {
            folded_sheet *f = &fs[k];
            f->fl = p[sig - 2 * i - 1];
            f->fr = p[2 * i];
            f->bl = p[2 * i + 1];
            f->br = p[sig - 2 * i - 2];
            if (o->rtl) {
                int t = f->fl;
                f->fl = f->fr;
                f->fr = t;
                t = f->bl;
                f->bl = f->br;
                f->br = t;
            }
            f->in_sig = i;
        }
    }
    free(seq);
    *nfolded = k;
    *padded_out = padded;
    return fs;
}

/* ---- cells ---- */

static pm_cell cell(int page, double x, double y, double w, double h, pm_spine spine)
{
    return (pm_cell){.page = page, .x = x, .y = y, .w = w, .h = h, .spine = spine, .folded = -1};
}

/* A booklet side of folded sheet k (pages l | r) in the slot (x, y, w, h): two cells that
   meet at the slot's middle, where the fold goes. */
static void put_pair(pm_cell *c, double x, double y, double w, double h, int l, int r, const folded_sheet *f, int k,
                     double creep)
{
    c[0] = cell(l, x, y, w / 2, h, PM_SPINE_RIGHT);
    c[1] = cell(r, x + w / 2, y, w / 2, h, PM_SPINE_LEFT);
    for (int i = 0; i < 2; i++) {
        c[i].folded = k;
        c[i].sheet_in_sig = f->in_sig;
        c[i].creep = f->in_sig * creep;
    }
}

/* Turn a side 180 degrees: every cell moves to the opposite place and turns; the spine,
   on the page's own edge, stays. */
static void turn_side(pm_sheet_side *s, double sw, double sh)
{
    s->turned = 1;
    for (int i = 0; i < s->ncells; i++) {
        pm_cell *c = &s->cells[i];
        c->x = sw - c->x - c->w;
        c->y = sh - c->y - c->h;
        c->rotation = (c->rotation + 180) % 360;
    }
}

static int side_empty(const pm_sheet_side *s)
{
    for (int i = 0; i < s->ncells; i++)
        if (s->cells[i].page) return 0;
    return 1;
}

/* Duplex: the printer turns the sheet over about an axis along the edge it flips on. About
   a vertical axis (the short edge of a landscape sheet, the long edge of a portrait one)
   the back comes out the right way up, as a page turned in a book; about a horizontal
   axis, one side of every sheet must be printed upside down. That side is the back,
   unless the back is empty: then the front, so that the turn shows (booklet_check.py
   wants it); on paper both are the same sheet. */
static void turn_for_duplex(pm_imposition *im, pm_duplex duplex)
{
    int landscape = im->sheet_w >= im->sheet_h;
    if ((duplex == PM_DUPLEX_LONG) != landscape) return;
    for (int s = 0; s + 1 < im->nsides; s += 2) {
        pm_sheet_side *f = &im->sides[s], *b = f + 1;
        if (side_empty(b) && !side_empty(f)) turn_side(f, im->sheet_w, im->sheet_h);
        else turn_side(b, im->sheet_w, im->sheet_h);
    }
}

/* Room for the sides and cells of sheets printed sheets of sides_per_sheet sides with
   per_side cells each. */
static void alloc_sides(pm_imposition *im, int sheets, int sides_per_sheet, int per_side)
{
    im->sheets = sheets;
    im->nsides = sheets * sides_per_sheet;
    im->ncells = im->nsides * per_side;
    im->sides = pm_xcalloc((size_t)im->nsides, sizeof *im->sides);
    im->cells = pm_xcalloc((size_t)im->ncells, sizeof *im->cells);
    for (int s = 0; s < im->nsides; s++) {
        im->sides[s].cells = im->cells + (size_t)s * per_side;
        im->sides[s].ncells = per_side;
        im->sides[s].sheet = s / sides_per_sheet;
        im->sides[s].back = s % sides_per_sheet;
    }
}

/* saddle, 2up, cut-stack: folded sheets in slots of cols x rows on both sides. Printed
   sheet m holds in slot j (row by row) folded sheet j * M + m, M printed sheets in all,
   so that the piles cut from slots 1, 2, ... laid on each other give the folded sheets in
   order; 2up has one folded sheet per printed sheet in both slots. Seen from the back, a
   slot is mirrored left to right. */
static void lay_slots(pm_imposition *im, const folded_sheet *fs, int nfs, const pm_booklet_opts *o)
{
    int cols = im->slot_cols, rows = im->slot_rows, copies = im->fold == PM_FOLD_2UP;
    int S = cols * rows, per_sheet = copies ? 1 : S;
    int M = (nfs + per_sheet - 1) / per_sheet;
    double sw = im->sheet_w, sh = im->sheet_h, w = sw / cols, h = sh / rows;
    static const folded_sheet none;
    alloc_sides(im, M, 2, 2 * S);
    im->folded = nfs;
    im->blank_folded = M * per_sheet - nfs;
    for (int m = 0; m < M; m++) {
        pm_cell *front = im->sides[2 * m].cells, *back = im->sides[2 * m + 1].cells;
        for (int j = 0; j < S; j++) {
            int k = copies ? m : j * M + m, col = j % cols, row = j / cols;
            const folded_sheet *f = k < nfs ? &fs[k] : &none;
            put_pair(front + 2 * j, col * w, row * h, w, h, f->fl, f->fr, f, k, o->creep);
            put_pair(back + 2 * j, (cols - 1 - col) * w, row * h, w, h, f->bl, f->br, f, k, o->creep);
        }
    }
    turn_for_duplex(im, o->duplex);
}

/* zine8: one side, two rows of four. Fold the sheet in half lengthwise, printed side out,
   slit the middle half of the fold, and fold it up into a booklet of four leaves. The
   page order goes round the sheet: bottom row (upright) 6 7 8 1, top row (turned) 5 4 3
   2. Pages 1|2 are the two faces of the leaf at the right end (joined by the long fold),
   5|6 of the one at the left end; 3|4 and 7|8 are the middle leaves, each two panels
   folded back to back at the fold across the middle of the width. The spines are the folds
   at a quarter and three quarters of the width; right-to-left binding mirrors it all. */
static int lay_zine8(pm_imposition *im, int npages, const pm_booklet_opts *o)
{
    static const int bottom[4] = {6, 7, 8, 1}, top[4] = {5, 4, 3, 2};
    if (npages > 8) {
        pm_error(NULL, 0, 0, "a zine8 holds 8 pages; this one has %d", npages);
        pm_hint("shorten it to 8 pages (the last is the back cover), or print it as a booklet: --fold saddle");
        return PM_EUSAGE;
    }
    if (o->signature || o->creep > 0)
        pm_warn(NULL, 0, 0, "a zine8 is one sheet: %s ignored",
                o->signature && o->creep > 0 ? "signature and creep" : o->signature ? "signature" : "creep");
    int *seq = reading_order(npages, 8, 8, o->blanks);
    double sw = im->sheet_w, sh = im->sheet_h, w = sw / 4, h = sh / 2;
    alloc_sides(im, 1, 1, 8);
    pm_cell *c = im->sides[0].cells;
    for (int i = 0; i < 4; i++) {
        int col = o->rtl ? 3 - i : i;
        /* the spines: the right edges of columns 0 and 2, the left edges of 1 and 3; a
           top-row page is upside down, so its own edge there is the other one */
        pm_spine up = col % 2 == 0 ? PM_SPINE_RIGHT : PM_SPINE_LEFT;
        pm_spine down = col % 2 == 0 ? PM_SPINE_LEFT : PM_SPINE_RIGHT;
        c[i] = cell(seq[bottom[i] - 1], col * w, h, w, h, up);
        c[4 + i] = cell(seq[top[i] - 1], col * w, 0, w, h, down);
        c[4 + i].rotation = 180;
    }
    free(seq);
    im->padded = 8;
    im->folded = 0;
    return PM_OK;
}

int pm_imposition_written_sides(const pm_imposition *im, const pm_booklet_opts *o, int **idx)
{
    *idx = pm_xcalloc((size_t)(im->nsides ? im->nsides : 1), sizeof **idx);
    int n = 0;
    for (int s = 0; s < im->nsides; s++)
        if (o->sides == PM_SIDES_BOTH || im->sides[s].back == (o->sides == PM_SIDES_BACK)) (*idx)[n++] = s;
    return n;
}

int pm_impose_order(int npages, double page_w, double page_h, const pm_booklet_opts *o, pm_imposition *out)
{
    memset(out, 0, sizeof *out);
    int rc = check_opts(o);
    if (rc) return rc;
    if (npages < 1 || npages > MAX_PAGES) {
        pm_error(NULL, 0, 0, "cannot impose %d pages: a booklet needs 1 to %d pages", npages, MAX_PAGES);
        return npages < 1 ? PM_EINPUT : PM_EUSAGE;
    }
    if (o->fold == PM_FOLD_ZINE8 && o->sides == PM_SIDES_BACK) {
        pm_error(NULL, 0, 0, "--sides back: a zine8 is printed on one side only");
        return PM_EUSAGE;
    }
    out->fold = o->fold;
    out->npages = npages;
    pm_booklet_sheet(o, page_w, page_h, &out->sheet_w, &out->sheet_h, &out->scale);
    pm_fold_grid(o, page_w, page_h, out->sheet_w, out->sheet_h, &out->slot_cols, &out->slot_rows);
    out->slots = out->slot_cols * out->slot_rows;
    if (o->fold == PM_FOLD_ZINE8) {
        rc = lay_zine8(out, npages, o);
    } else {
        int nfs;
        folded_sheet *fs = booklet_order(npages, o, &nfs, &out->padded);
        lay_slots(out, fs, nfs, o);
        free(fs);
    }
    if (rc) {
        pm_imposition_free(out);
        return rc;
    }
    out->blanks = out->padded - npages;
    return PM_OK;
}

void pm_imposition_free(pm_imposition *im)
{
    if (!im) return;
    free(im->sides);
    free(im->cells);
    memset(im, 0, sizeof *im);
}

/* ---- a page in its cell ---- */

double pm_fit_scale(double cw, double ch, double w, double h)
{
    double s = fmin((cw + PM_PAPER_TOL) / w, (ch + PM_PAPER_TOL) / h);
    return s >= 1 ? 1 : fmin(cw / w, ch / h);
}

void pm_cell_place(const pm_cell *c, double sw, double sh, double w, double h, pm_place *p)
{
    double X, Y, W, H; /* the cell in the turned frame */
    p->rotation = c->rotation;
    switch (c->rotation) {
    case 90: /* frame (u, v) is sheet (sw - v, u) */
        p->rx = sw, p->ry = 0;
        X = c->y, Y = sw - c->x - c->w, W = c->h, H = c->w;
        break;
    case 180: /* (sw - u, sh - v) */
        p->rx = sw, p->ry = sh;
        X = sw - c->x - c->w, Y = sh - c->y - c->h, W = c->w, H = c->h;
        break;
    case 270: /* (v, sh - u) */
        p->rx = 0, p->ry = sh;
        X = sh - c->y - c->h, Y = c->x, W = c->h, H = c->w;
        break;
    default:
        p->rx = p->ry = 0;
        X = c->x, Y = c->y, W = c->w, H = c->h;
        break;
    }
    if (!(w > 0) || !(h > 0)) w = h = 1;
    p->s = pm_fit_scale(W, H, w, h);
    double pw = w * p->s, ph = h * p->s;
    p->y = Y + (H - ph) / 2;
    /* against the spine, moved across it by the creep (which the clip to the cell takes
       off again), or centred */
    switch (c->spine) {
    case PM_SPINE_RIGHT:
        p->x = X + W - pw + c->creep;
        p->cx0 = fmax(p->x, X);
        p->cx1 = X + W;
        break;
    case PM_SPINE_LEFT:
        p->x = X - c->creep;
        p->cx0 = X;
        p->cx1 = fmin(p->x + pw, X + W);
        break;
    default:
        p->x = X + (W - pw) / 2;
        p->cx0 = fmax(p->x, X);
        p->cx1 = fmin(p->x + pw, X + W);
        break;
    }
    p->cy0 = fmax(p->y, Y);
    p->cy1 = fmin(p->y + ph, Y + H);
}

void pm_place_matrix(const pm_place *p, double m[6])
{
    double s = p->s;
    switch (p->rotation) {
    case 90: /* (rx - y - s v, ry + x + s u) */
        m[0] = 0, m[1] = s, m[2] = -s, m[3] = 0, m[4] = p->rx - p->y, m[5] = p->ry + p->x;
        break;
    case 180:
        m[0] = -s, m[1] = 0, m[2] = 0, m[3] = -s, m[4] = p->rx - p->x, m[5] = p->ry - p->y;
        break;
    case 270: /* (rx + y + s v, ry - x - s u) */
        m[0] = 0, m[1] = -s, m[2] = s, m[3] = 0, m[4] = p->rx + p->y, m[5] = p->ry - p->x;
        break;
    default:
        m[0] = s, m[1] = 0, m[2] = 0, m[3] = s, m[4] = p->x, m[5] = p->y;
        break;
    }
}
