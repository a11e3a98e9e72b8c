/* columns.c - pages in bands: stretches of the vertical list set across the region, and
 * stretches set in columns side by side (a layout's `page.columns`, or a `::: columns`
 * div), one under the other on a page.
 *
 * A band of columns is cut by the same page breaker as a page: each column is a region
 * of the band's height, filled in turn (Typst's regions, SILE's frames chained by
 * `next`). When what is left of a stretch of columns fits on the page, the band is
 * balanced: the least height (in whole lines) at which the columns hold it all. What
 * spans the columns (a level-1 heading, a figure {.span}) ends a band; the columns go on
 * under it. Footnotes of every band go at the foot of the page, across it; a band of
 * columns that would run into them is made shorter, and a note too tall for the room left
 * under it is split, its rest carried to the foot of the next page (fit_band). As a page
 * of one column, a page of bands never ends with headings whose text is on a later page
 * (keep_headings), nor a column where no break is legal: a band that cannot end legally
 * waits for the next page, or is cut at its latest legal break (cut_band). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "layout/flow-imp.h"

#define MAX_BANDS 16

/* Where the stretch of band b that starts at item i ends: the first item of another band
 * or of columns that run the other way (the space around a heading that spans columns is
 * its own; the space above a paragraph, the paragraph's), a forced page break, or stop.
 * Collects ahead as far as needed; *done says whether the stretch truly ends there (and
 * not only where the items collected so far end, or at stop). */
static size_t stretch_end(fstate *fs, vlist *vl, collector *col, size_t i, int band, size_t stop, int *done)
{
    for (size_t k = i;; k++) {
        if (k >= stop) { /* (the page ends there: headings that would end it go over, plan_bands) */
            *done = 0;
            return stop;
        }
        if (k >= vl->n) {
            pm_collect_ahead(fs, vl, col, k);
            if (k >= vl->n) {
                *done = !pm_collector_more(col);
                return vl->n;
            }
        }
        const vitem *it = &vl->v[k];
        if ((it->kind == V_PENALTY && it->penalty <= -PM_INF_PENALTY && k > i) || it->band != band ||
            it->band_rtl != vl->v[i].band_rtl) {
            *done = 1;
            return k;
        }
    }
}

/* The first item at or after i that is not glue or a penalty (a column's or band's top
 * discards them, as a page's does), but never past end. */
static size_t skip_discardable(const vlist *vl, size_t i, size_t end)
{
    while (i < end && (vl->v[i].kind == V_GLUE || (vl->v[i].kind == V_PENALTY && vl->v[i].penalty > -PM_INF_PENALTY)))
        i++;
    return i;
}

/* Whether the last line of items [i, end) is a heading's. */
static int ends_in_heading(const vlist *vl, size_t i, size_t end)
{
    for (size_t k = end; k-- > i;)
        if (vl->v[k].kind == V_LINE) return vl->v[k].hline;
        else if (vl->v[k].kind != V_GLUE && vl->v[k].kind != V_PENALTY) return 0;
    return 0;
}

/* Whether item k is one of the figures floated[0..nfl) the page floats to a later one. */
static int is_floated(const size_t *floated, int nfl, size_t k)
{
    for (int f = 0; f < nfl; f++)
        if (floated[f] == k) return 1;
    return 0;
}

/* Where the headings that end items [i, end) begin (the legal break before the first of
 * them), or end when the items do not end with a heading. Rules, and figures floated to
 * a later page (floated[0..nfl)), after them or between them are nothing they head: a
 * heading followed on its page only by those ends the page all the same. */
static size_t heading_tail(const vlist *vl, size_t i, size_t end, const size_t *floated, int nfl)
{
    size_t head = end;
    for (size_t k = end; k-- > i;) {
        const vitem *it = &vl->v[k];
        if (it->kind == V_LINE && it->hline) head = k;
        else if (it->kind == V_LINE || it->kind == V_BOX_START || it->kind == V_BOX_END ||
                 (it->kind == V_FIGURE && !is_floated(floated, nfl, k)))
            break;
    }
    while (head < end && head > i && vl->v[head - 1].kind == V_GLUE) head--;
    return head;
}

/* The natural height of items [i, end). */
static double stretch_height(const vlist *vl, size_t i, size_t end)
{
    double h = 0;
    for (size_t k = i; k < end; k++)
        if (vl->v[k].kind != V_PENALTY) h += vl->v[k].h;
    return h;
}

/* Fill cols columns of height h with items [i, end): each column a region broken by the
 * page breaker (no footnotes counted: the page's accountant sums them afterwards).
 * Records the columns in bp; returns the item after the last one placed. Figures that do
 * not fit are added to floated[*nfl]. */
static size_t fill_columns(fstate *fs, vlist *vl, size_t i, size_t end, int cols, double h, int queued,
                           size_t *floated, int *nfl, band_plan *bp)
{
    region colrg = {.w = pm_column_width(fs, cols), .h = h};
    notes_acc acc = {.off = 1};
    page_break r;
    bp->cols = cols;
    bp->rtl = i < end && vl->v[i].band_rtl;
    bp->h = h;
    bp->broke = 0;
    for (int c = 0; c < cols; c++) { /* (the columns the stretch does not reach stay empty) */
        bp->from[c] = bp->to[c] = i;
        bp->repeat[c] = NULL;
    }
    for (int c = 0; c < cols; c++) {
        i = skip_discardable(vl, i, end);
        bp->from[c] = bp->to[c] = i;
        bp->repeat[c] = NULL;
        if (i >= end) continue;
        /* a table goes on at the column's top: under its header again, if the header
           and two lines fit */
        const vtable *rep = vl->v[i].tbl;
        if (rep && rep->h + 2 * fs->L > h + EPS) rep = NULL;
        bp->repeat[c] = rep;
        colrg.h = h - (rep ? rep->h : 0);
        pm_find_page(fs, &colrg, &acc, vl->v, end, i, 0, queued || *nfl, floated + *nfl, &r);
        *nfl += r.nfloated;
        bp->broke |= r.broke;
        size_t best = r.best > i ? r.best : i + 1; /* (an item taller than the band goes in) */
        bp->to[c] = best;
        i = best;
        if (r.end) break;
    }
    pm_acc_free(&acc);
    return i;
}

/* The lines of a band's stretches, and the captions of the figures placed in them (not
 * those floated[0..nfl) to a later page, whose notes go with them), each handed to the
 * page's accountant (in order). */
static void account_notes(const fstate *fs, region *rg, const vlist *vl, const band_plan *bp, double y,
                          const size_t *floated, int nfl)
{
    int n = bp->cols ? bp->cols : 1;
    for (int c = 0; c < n; c++)
        for (size_t k = bp->from[c]; k < bp->to[c]; k++)
            if (vl->v[k].kind == V_LINE) pm_acc_line(fs, rg, &rg->acc, vl->v[k].line, y);
            else if (vl->v[k].kind == V_FIGURE && !is_floated(floated, nfl, k))
                pm_acc_fig(fs, rg, &rg->acc, vl->v[k].fig, y);
}

/* The accountant as it was before a try of a band (mark m, the notes seen, nfl0 figures
 * floated). */
typedef struct band_undo {
    notes_mark m;
    int *seen;
    size_t nseen;
    int nfl0;
} band_undo;

static void undo_band(region *rg, const band_undo *u, int *nfl)
{
    pm_acc_undo(&rg->acc, u->m); /* (its split and held-over notes too) */
    memcpy(rg->acc.seen, u->seen, u->nseen * sizeof *u->seen);
    *nfl = u->nfl0;
}

/* A band of columns from item i (a stretch up to end) at y, h tall: filled, and its notes
 * handed to the page's accountant, the last of them split at the foot only when split
 * (and the page allows it). Returns 1 when they fit under it; *held: notes that cannot
 * follow a carried or split note were met. */
static int try_band(fstate *fs, vlist *vl, size_t i, size_t end, int band, double y, double h, int split,
                    size_t *floated, int *nfl, band_plan *bp, size_t *next, int *held)
{
    region *rg = fs->rg;
    notes_mark m = pm_acc_mark(&rg->acc);
    int nfl0 = *nfl, may = rg->acc.may_split;
    rg->acc.may_split = may && split;
    *next = fill_columns(fs, vl, i, end, band, h, rg->nq || *nfl, floated, nfl, bp);
    account_notes(fs, rg, vl, bp, y + h, floated + nfl0, *nfl - nfl0);
    rg->acc.may_split = may;
    *held = rg->acc.held > m.held;
    return !*held && y + h + pm_acc_height(fs, &rg->acc) <= rg->h + EPS;
}

/* The band of columns from item i (a stretch up to end) at y, at most h tall: a line
 * shorter at a time while its notes would run into it, as they are filled in (*next, bp,
 * floated[*nfl], the page's accountant). A note too tall for the room under the band is
 * split (TeX's \vsplit of an insertion): its first lines at the foot, the rest carried to
 * the next page's. A band that keeps its notes whole is taken instead when it leaves the
 * page less than a line short (a shorter band holds the note whole: nothing is gained by
 * the split); not when the note's mark has left it for the next page and taken the note
 * along (that page would end short). Returns its height; *held: it waits for the next
 * page (notes in it cannot follow a carried note); *split: its last note is split. */
static double fit_band(fstate *fs, vlist *vl, size_t i, size_t end, int band, double y, double h, size_t *floated,
                       int *nfl, band_plan *bp, size_t *next, int *held, int *split)
{
    region *rg = fs->rg;
    *split = 0;
    band_undo u = {.nseen = (size_t)fs->nnotes + 1};
    u.seen = pm_xmalloc(u.nseen * sizeof *u.seen);
    memcpy(u.seen, rg->acc.seen, u.nseen * sizeof *u.seen);
    double split_h = 0; /* the tallest height at which the notes fit with the last one split */
    for (;;) {
        u.m = pm_acc_mark(&rg->acc);
        u.nfl0 = *nfl;
        int fits = try_band(fs, vl, i, end, band, y, h, 0, floated, nfl, bp, next, held);
        int whole_held = *held;
        int short_page = y + h + pm_acc_height(fs, &rg->acc) < rg->h - fs->L + EPS;
        if (fits && !(split_h > 0 && short_page)) break;
        if (!fits && !whole_held && h <= fs->L && !split_h) break; /* (a line: it goes in, as an item taller) */
        undo_band(rg, &u, nfl);
        if (!fits && !whole_held && !split_h && rg->acc.may_split) {
            if (try_band(fs, vl, i, end, band, y, h, 1, floated, nfl, bp, next, held)) split_h = h;
            undo_band(rg, &u, nfl);
        }
        if (split_h > 0 && (fits || h <= fs->L)) {
            try_band(fs, vl, i, end, band, y, split_h, 1, floated, nfl, bp, next, held); /* (fits, as before) */
            h = split_h;
            *split = 1;
            break;
        }
        *held = whole_held;
        if (*held && h <= fs->L) break; /* (the band waits for the next page) */
        h -= fs->L;
    }
    free(u.seen);
    return h;
}

/* The least height, in whole lines, at which cols columns hold items [i, end), up to
 * most; or most when they do not fit in it. */
static double balanced_height(fstate *fs, vlist *vl, size_t i, size_t end, int cols, double most, int queued)
{
    double total = stretch_height(vl, i, end);
    int lo = (int)ceil(total / cols / fs->L - 1e-6), hi = (int)floor(most / fs->L + 1e-6);
    if (lo < 1) lo = 1;
    if (lo > hi) return most;
    size_t *fl = pm_xmalloc((end - i + 1) * sizeof *fl);
    band_plan bp;
    /* the least m at which everything fits: fitting is (nearly) monotonic in m */
    int top = hi;
    while (lo < hi) {
        int m = (lo + hi) / 2, nfl = 0;
        if (fill_columns(fs, vl, i, end, cols, m * fs->L, queued, fl, &nfl, &bp) >= end && !nfl) hi = m;
        else lo = m + 1;
    }
    /* but not where a column must end with no legal break (a heading at its foot, its
       text beside it): a line taller, until one may */
    for (int nfl = 0; lo < top; lo++, nfl = 0)
        if (fill_columns(fs, vl, i, end, cols, lo * fs->L, queued, fl, &nfl, &bp) >= end && !nfl && !bp.broke) break;
    free(fl);
    return lo * fs->L;
}

/* Whether the first (last) thing that shows in items [i, end) is a line of text (not a
 * heading's line, a figure or a rule, which bring their own space). */
static int text_edge(const vlist *vl, size_t i, size_t end, int last)
{
    for (size_t n = 0; n < end - i; n++) {
        const vitem *it = &vl->v[last ? end - 1 - n : i + n];
        if (it->kind == V_GLUE || it->kind == V_PENALTY) continue;
        return it->kind == V_LINE && !it->hline;
    }
    return 0;
}

/* Space between a band of columns and text across the page, above or below it: a line. */
static double band_gap(const fstate *fs, const vlist *vl, const band_plan *prev, size_t i, size_t end, int band)
{
    if (!prev || !prev->cols == !band) return 0;
    if (band) return prev->to[0] > prev->from[0] && text_edge(vl, prev->from[0], prev->to[0], 1) ? fs->L : 0;
    return text_edge(vl, i, end, 0) ? fs->L : 0;
}

/* A band across the region from item i (a stretch up to end): broken by the page breaker
 * in what is left of the page (the page's accountant goes on counting notes). A table that
 * goes on here goes on under its header again, if the header and two lines fit. Returns
 * its break; bp->h gets the height it takes. */
static page_break across_band(fstate *fs, vlist *vl, size_t i, size_t end, double y, int queued, size_t *floated,
                              int *nfl, band_plan *bp)
{
    region *rg = fs->rg;
    page_break r;
    const vtable *rep = vl->v[i].tbl;
    if (rep && y + rep->h + 2 * fs->L > rg->h + EPS) rep = NULL;
    bp->repeat[0] = rep;
    double y0 = y;
    if (rep) y += rep->h;
    pm_find_page(fs, rg, &rg->acc, vl->v, end, i, y, queued || *nfl, floated + *nfl, &r);
    *nfl += r.nfloated;
    bp->cols = 0;
    bp->from[0] = i;
    bp->to[0] = r.best > i || y0 > EPS || r.held ? r.best : i + 1;
    bp->ratio = r.end ? 0 : r.ratio;
    bp->h = r.used - y0;
    return r;
}

/* Whether the bands of pl hold any item. */
static int holds_items(const page_plan *pl)
{
    for (int b = 0; b < pl->nbands; b++)
        for (int c = 0; c < (pl->bands[b].cols ? pl->bands[b].cols : 1); c++)
            if (pl->bands[b].to[c] > pl->bands[b].from[c]) return 1;
    return 0;
}

/* Whether items [i, end) show nothing: no line, no figure but those floated[0..nfl) the
 * page floats to a later one. */
static int shows_nothing(const vlist *vl, size_t i, size_t end, const size_t *floated, int nfl)
{
    for (size_t k = i; k < end; k++)
        if (vl->v[k].kind == V_LINE || (vl->v[k].kind == V_FIGURE && !is_floated(floated, nfl, k))) return 0;
    return 1;
}

/* A band of columns that cannot end where the page breaker would end its columns (a
 * heading's keep, a widow) or whose notes do not fit: cut instead at the latest legal
 * break before which it fits in room or less with its notes at the foot, its columns
 * ending legally and not after headings (what follows the cut, lines whose notes do not
 * fit among it, goes to the next page, as in a page of one column). Returns that break,
 * the band planned in bp (*h its height) and its notes counted; or 0, the accountant as
 * at mark at (seen: its notes seen then). */
static size_t cut_band(fstate *fs, vlist *vl, size_t i, size_t end, int cols, double room, double y, int queued,
                       size_t *floated, int *nfl, band_plan *bp, double *h, notes_mark at, const int *seen)
{
    region *rg = fs->rg;
    size_t nseen = (size_t)fs->nnotes + 1;
    band_plan t;
    const int nfl0 = *nfl;
    size_t last = fill_columns(fs, vl, i, end, cols, room, queued, floated, nfl, &t); /* (no later break fits) */
    *nfl = nfl0;
    if (last >= end) last = end - 1;
    unsigned char *kept = pm_xcalloc(last - i + 1, 1); /* (inside a box kept together) */
    int depth = 0;
    for (size_t k = i; k <= last; k++) {
        const vitem *it = &vl->v[k];
        if (it->kind == V_BOX_START && it->box->keep) depth++;
        else if (it->kind == V_BOX_END && it->box->keep && depth > 0) depth--;
        kept[k - i] = depth > 0;
    }
    size_t found = 0;
    int may = rg->acc.may_split;
    rg->acc.may_split = 0; /* (its notes whole: the cut is where they fit) */
    for (size_t p = last; p > i + 1 && !found; p--) {
        const vitem *it = &vl->v[p];
        if (kept[p - i] || !vlist_legal(vl->v, i, p) || (it->kind == V_PENALTY && it->penalty >= PM_INF_PENALTY))
            continue;
        for (double th = room; th >= fs->L - EPS; th -= fs->L) { /* (shorter, for its notes) */
            size_t next = fill_columns(fs, vl, i, p, cols, th, queued, floated, nfl, &t);
            account_notes(fs, rg, vl, &t, y + th, floated, *nfl);
            int fits = y + th + pm_acc_height(fs, &rg->acc) <= rg->h + EPS && rg->acc.held == at.held;
            if (next >= p && fits && !t.broke && heading_tail(vl, i, p, floated, *nfl) >= p &&
                !shows_nothing(vl, i, p, floated, *nfl)) {
                t.y = bp->y;
                *bp = t;
                *h = th;
                found = p;
                break;
            }
            pm_acc_undo(&rg->acc, at);
            memcpy(rg->acc.seen, seen, nseen * sizeof *seen);
            *nfl = nfl0;
            if (next < p) break; /* (shorter holds less) */
        }
    }
    rg->acc.may_split = may;
    free(kept);
    return found;
}

/* Where a band of a page began: the page may give it back. */
typedef struct band_start {
    size_t i;
    int nfl;
    notes_mark at;
} band_start;

/* A page of bands that would end with headings, what they head on a later page, gives
 * them to that page (as a page of one column never ends after a heading), with the bands
 * after them that show nothing (figures it floats). The page's items end at *ip, and it
 * floats floated[0..*nfl). When their band shows something before them, *cut is where
 * the page must end instead (it is planned again); else the band goes over while the
 * page keeps other bands, or figures at its top. Headings that are all a page holds stay
 * (a run taller than a page), but on a page a carried note goes on into, which the note
 * then fills (returns 1), as a page of one column leaves such a page to the note. */
static int keep_headings(fstate *fs, vlist *vl, collector *col, page_plan *pl, const band_start *st, double used,
                         const size_t *floated, size_t *ip, int *nfl, int *forced, size_t *cut)
{
    region *rg = fs->rg;
    int k = pl->nbands - 1; /* the last band that shows something */
    while (k > 0 && shows_nothing(vl, st[k].i, *ip, floated, *nfl)) k--;
    if (k < 0) return 0;
    size_t tail = heading_tail(vl, st[k].i, *ip, floated, *nfl);
    int later = *ip < vl->n || pm_collector_more(col) || rg->nq || *nfl; /* (a later page) */
    if (!later || tail >= *ip) return 0;
    if (!shows_nothing(vl, st[k].i, tail, floated, *nfl)) { /* (the band ends before them) */
        *cut = tail;
        return 0;
    }
    if (k > 0 || used > EPS) { /* (they go over, and the bands after them) */
        pm_acc_undo(&rg->acc, st[k].at);
        pl->nbands = k;
        *ip = st[k].i;
        *nfl = st[k].nfl;
        *forced = 0; /* (the forced break comes after what goes over) */
        return keep_headings(fs, vl, col, pl, st, used, floated, ip, nfl, forced, cut);
    }
    if (carries(rg)) {
        pm_acc_undo(&rg->acc, st[0].at);
        pl->nbands = 0;
        *ip = st[0].i;
        *nfl = st[0].nfl;
        *forced = 0;
        return 1;
    }
    return 0;
}

/* The bands of a page from item *ip, as pm_plan_banded plans them, but ending at stop;
 * *cut: where the page must end instead, before headings that would end it (else left as
 * it is). */
static int plan_bands(fstate *fs, vlist *vl, collector *col, size_t *ip, double used, page_plan *pl, size_t *floated,
                      size_t stop, size_t *cut)
{
    region *rg = fs->rg;
    size_t i = *ip;
    double y = used;
    int nfl = 0, forced = 0, held = 0;
    band_start st[MAX_BANDS]; /* where each band began */
    pl->nbands = 0;
    pl->notes_only = 0;
    pm_acc_begin(fs, rg, &rg->acc);
    while (pl->nbands < MAX_BANDS) {
        if (!pl->nbands) i = skip_discardable(vl, i, vl->n); /* (at the top of the page) */
        if (i >= stop) break;
        if (i >= vl->n) pm_collect_ahead(fs, vl, col, i);
        if (i >= vl->n || fs->rc) break;
        if (vl->v[i].kind == V_PENALTY) { /* a forced page break */
            if (pl->nbands) {
                forced = 1;
                break;
            }
            i++;
            continue;
        }
        int done, band = vl->v[i].band, nfl_at = nfl;
        size_t end = stretch_end(fs, vl, col, i, band, stop, &done), band_i = i;
        notes_mark at = pm_acc_mark(&rg->acc);
        band_plan *bp = &pl->bands[pl->nbands];
        y += band_gap(fs, vl, pl->nbands ? bp - 1 : NULL, i, end, band);
        bp->y = y;
        if (!band) {
            /* a heading across the columns keeps with two lines of what follows it */
            if (pl->nbands && ends_in_heading(vl, i, end) && rg->h - y - pm_acc_height(fs, &rg->acc) <
                                                                   stretch_height(vl, i, end) + 2 * fs->L - EPS)
                break;
            page_break r = across_band(fs, vl, i, end, y, rg->nq, floated, &nfl, bp);
            held = r.held;
            if (bp->to[0] == band_i && !r.end) break; /* (none of it fits: not a band of the page, which
                                                          ends before it, and keeps with its heading) */
            st[pl->nbands] = (band_start){band_i, nfl_at, at};
            pl->nbands++;
            i = bp->to[0];
            y += bp->h;
            if (!r.end) break; /* the page ends in this band */
            continue;
        }
        double room = rg->h - y - pm_acc_height(fs, &rg->acc);
        room = floor(room / fs->L + 1e-6) * fs->L;
        if (room < fs->L) break;
        double h = done ? balanced_height(fs, vl, i, end, band, room, rg->nq || nfl) : room;
        size_t next, nseen = (size_t)fs->nnotes + 1;
        int *seen = pm_xmalloc(nseen * sizeof *seen);
        memcpy(seen, rg->acc.seen, nseen * sizeof *seen);
        int split;
        h = fit_band(fs, vl, i, end, band, y, h, floated, &nfl, bp, &next, &held, &split);
        int first = !pl->nbands && used <= EPS; /* (nothing on the page before the band) */
        int fails = !held && ((y + h + pm_acc_height(fs, &rg->acc) > rg->h + EPS && !first) ||
                              (bp->broke && (!first || carries(rg))));
        /* a band that its notes made so short that a column ends where no break is legal,
           alone on its page (but for a carried note, which then fills the page), or a band
           that cannot follow headings that end the band before (they would go over with
           it): rather cut where it fits and ends legally, its notes whole */
        int after_heads = pl->nbands && heading_tail(vl, st[pl->nbands - 1].i, band_i, floated, nfl_at) < band_i;
        if ((bp->broke && !held && first && !carries(rg) && h < room) || (fails && after_heads)) {
            pm_acc_undo(&rg->acc, at);
            memcpy(rg->acc.seen, seen, nseen * sizeof *seen);
            double h0 = h;
            nfl = nfl_at;
            size_t p = cut_band(fs, vl, i, end, band, room, y, rg->nq || nfl, floated, &nfl, bp, &h, at, seen);
            if (p) {
                next = p;
                fails = 0;
            } else { /* (the band as it was) */
                nfl = nfl_at;
                int again;
                try_band(fs, vl, i, end, band, y, h0, split, floated, &nfl, bp, &next, &again);
            }
        }
        free(seen);
        if (fails) {
            /* a line of columns and its notes do not fit under what the page holds already
               (they go to the next page, as a single column's line would), or the page would
               end in this band, or a column of it, where no break is legal (a widow, an
               orphan, a heading split over two columns; a band made short by the notes
               under it, a split note's first lines among them): the page ends before the
               band, its one legal break (and before a heading that ends the band before:
               keep_headings), and figures at its top have it alone; a note carried to the
               page fills it alone, as on a page of one column (compose.c) */
            pm_acc_undo(&rg->acc, at);
            i = band_i;
            nfl = nfl_at;
            held = first;
            break;
        }
        if (held && h <= fs->L) break;
        st[pl->nbands] = (band_start){band_i, nfl_at, at};
        pl->nbands++;
        y += h;
        i = next;
        if (next < end) break; /* the page is full */
    }
    if (!held) held = keep_headings(fs, vl, col, pl, st, used, floated, &i, &nfl, &forced, cut);
    if (held && !holds_items(pl)) { /* no text before what a carried note holds back: the note fills the page */
        pl->notes_only = 1;
        rg->notes_only = 1;
        pm_acc_begin(fs, rg, &rg->acc);
        rg->notes_only = 0;
    }
    pl->nfloated = nfl;
    pl->notes = pm_acc_mark(&rg->acc);
    *ip = i;
    return forced;
}

int pm_plan_banded(fstate *fs, vlist *vl, collector *col, size_t *ip, double used, page_plan *pl, size_t *floated)
{
    pl->bands = pm_arena_array(fs->a, MAX_BANDS, sizeof *pl->bands);
    size_t stop = SIZE_MAX;
    for (int tries = 0;; tries++) {
        size_t i = *ip, cut = SIZE_MAX;
        int forced = plan_bands(fs, vl, col, &i, used, pl, floated, stop, &cut);
        if (cut < stop && tries < 3) { /* (planned again to end before them) */
            stop = cut;
            continue;
        }
        *ip = i;
        return forced;
    }
}
