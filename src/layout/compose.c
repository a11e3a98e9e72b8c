/* compose.c - the page breaker: the vertical list -> one page plan at a time, as TeX's
 * page builder does.
 *
 * Each page takes the least-cost break: cost = badness of the page (how far its glue must
 * stretch to reach the foot) + the penalty at the break; the latest break wins a tie. A
 * figure that does not fit floats to the top of the next region while text fills this
 * one; the footnotes of the lines on a page go at its foot (the accountant of notes.c
 * sums them). A page that would end a line or more short is filled by setting a paragraph
 * on it one line longer or shorter (fill_page). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/diag.h"
#include "layout/flow-imp.h"

/* Penalty for a page whose last note goes on over the page: TeX lets a footnote split
 * where the page would otherwise end short; a split costs a little. */
#define SPLIT_NOTE_PENALTY 100

/* The lines of item j's paragraph up to the next place the page may end (the layout's
 * orphans and widows, and no word broken over a page, forbid a break between them). */
static double para_room(const vitem *v, size_t n, size_t j)
{
    double room = 0;
    for (size_t k = j + 1; k + 1 < n && v[k].kind == V_PENALTY && v[k].penalty >= PM_INF_PENALTY; k += 2) {
        if (v[k + 1].kind != V_LINE || v[k + 1].vp != v[j].vp) break;
        room += v[k + 1].h;
    }
    return room;
}

/* Under heading line j: the rest of its headings and what must follow them on the page,
 * two lines of text and the lines up to the next place the page may end (or a figure). */
static double heading_room(const vitem *v, size_t n, size_t j)
{
    double room = 0;
    int lines = 0;
    size_t k;
    for (k = j + 1; k < n && lines < 2 && v[k].kind != V_FIGURE; k++) {
        if (v[k].kind == V_LINE || v[k].kind == V_GLUE || v[k].kind == V_RULE) room += v[k].h;
        if (v[k].kind == V_LINE && !v[k].hline && v[k].h > 0) lines++;
    }
    return lines == 2 && v[k - 1].vp >= 0 ? room + para_room(v, n, k - 1) : room;
}

/* Room to keep under a line that refers to a footnote: the lines of its paragraph up to
 * the next place the page may end (the layout's orphans and widows, and no word broken
 * over a page, forbid a break between them). A note of thirty lines referred to from a
 * paragraph's first line fitted whole under that one line, and the line stood alone at
 * the page's top with the note under it; a note referred to from the second of three
 * lines filled the page and left the third alone at the next page's top. With the room
 * kept, the note is split sooner and the lines go with it. Under a heading the room is
 * what must follow the heading on its page. */
static double keep_room(const vitem *v, size_t n, size_t j)
{
    const vitem *it = &v[j];
    if (!it->line || !it->line->nnotes) return 0;
    if (it->hline) return heading_room(v, n, j);
    return it->vp < 0 ? 0 : para_room(v, n, j);
}

/* Whether item j is a paragraph's line that may not begin a page (its widows, orphans or
 * a broken word forbid a break before it). */
static int inside_para(const vitem *v, size_t i, size_t j)
{
    return j > i && v[j].kind == V_LINE && v[j - 1].kind == V_PENALTY && v[j - 1].penalty >= PM_INF_PENALTY &&
           j >= 2 && v[j - 2].kind == V_LINE && v[j - 2].vp == v[j].vp && v[j].vp >= 0;
}

/* A legal break at item j with penalty pen, the page holding content points of its h:
 * record it in r if it costs no more than the best so far. Returns 1 if the break is
 * forced (the page ends here). */
static int consider_break(page_break *r, size_t j, int pen, double h, double content, double used, double stretch,
                          int nfl, const notes_acc *acc)
{
    double shortfall = h - content, b;
    if (shortfall <= EPS) b = 0;
    else if (stretch > 0) b = fmin(100 * pow(shortfall / stretch, 3), AWFUL_BAD);
    else b = AWFUL_BAD;
    double cost = pen <= -PM_INF_PENALTY ? pen : b + pen + (acc->split ? SPLIT_NOTE_PENALTY : 0);
    if (cost <= r->cost) {
        r->cost = cost;
        r->best = j;
        r->notes = pm_acc_mark(acc);
        r->nfloated = nfl;
        r->used = used;
        r->shortfall = shortfall > 0 ? shortfall : 0;
        /* the glue stretches to fill the page, at most twice its stretch; when that cannot
           fill it, it stays as it is (the page ends short, on the grid, not between lines) */
        r->ratio = (b < AWFUL_BAD && shortfall > EPS && stretch > 0 && shortfall <= 2 * stretch) ? shortfall / stretch : 0;
    }
    if (pen > -PM_INF_PENALTY) return 0;
    r->forced = 1;
    r->ratio = 0;
    return 1;
}

/* Whether a figure's caption names a note. */
static int fig_names_note(const vfig *f)
{
    for (int l = 0; l < f->ncap; l++)
        if (f->cap[l].nnotes) return 1;
    return 0;
}

void pm_find_page(const fstate *fs, region *rg, notes_acc *acc, const vitem *v, size_t n, size_t i, double used0,
                  int queued, size_t *floated, page_break *r)
{
    const double th = rg->h;
    double used = used0, stretch = 0;
    int nfl = 0;
    int after_heading = -1; /* lines of text placed since a heading's last line; -1: none wanted */
    int keep = 0;           /* keep-together boxes the walk is in: no break inside them */
    size_t head = i;        /* the last heading's first line, the height above it and the */
    double head_used = used0; /* notes before it */
    notes_mark head_notes = pm_acc_mark(acc);
    size_t last_head = n;   /* the same of the last heading met (of a run of headings: the */
    double last_used = used0; /* last of them, where head is the first) */
    notes_mark last_notes = head_notes;
    const notes_mark start = pm_acc_mark(acc); /* (a carried note, the top figures' notes) */
    memset(r, 0, sizeof *r);
    r->best = n;
    r->cost = HUGE_VAL;
    size_t j;
    for (j = i; j < n; j++) {
        const vitem *it = &v[j];
        notes_mark before = pm_acc_mark(acc);
        const int heading_wants = after_heading >= 0; /* (a heading before it wants lines yet) */
        int held = 0; /* the page must end before it */
        if (vlist_legal(v, i, j) && j > i && !keep) {
            int pen = it->kind == V_PENALTY ? it->penalty : 0;
            /* a heading is followed on its page by two lines of text or by a figure; a
               page break right after one (its figures floated away) is taken before it */
            if (after_heading >= 0 && pen > -PM_INF_PENALTY) pen = PM_INF_PENALTY;
            if (after_heading >= 0 && pen <= -PM_INF_PENALTY && r->best < n) return;
            if (after_heading == 0 && pen <= -PM_INF_PENALTY && used0 > EPS) {
                r->best = i; /* (nothing before the heading but figures at the top, nothing */
                r->notes = start; /* after it: they have the page alone, as at the end below) */
                r->used = used0;
                return;
            }
            if (pen < PM_INF_PENALTY) {
                double content = used + pm_acc_height(fs, acc);
                if (th - content < -EPS) { /* (the page's first item was taller than it) */
                    if (r->best == n) {
                        r->best = j;
                        r->notes = pm_acc_mark(acc);
                        r->used = used;
                    }
                    return;
                }
                if (consider_break(r, j, pen, th, content, used, stretch, nfl, acc)) return;
            }
        }
        if (it->kind == V_LINE) {
            if (it->hline && after_heading < 0) { /* (where a page that must end after it ends instead) */
                head = j;
                head_used = used;
                head_notes = before;
            }
            if (it->heading) {
                last_head = j;
                last_used = used;
                last_notes = before;
            }
            used += it->h;
            pm_acc_line(fs, rg, acc, it->line, used + keep_room(v, n, j));
            if (it->hline) after_heading = 0;
            else if (after_heading >= 0 && it->h > 0 && ++after_heading >= 2) after_heading = -1;
        } else if (it->kind == V_GLUE) {
            used += it->h;
            stretch += it->stretch;
        } else if (it->kind == V_FIGURE) {
            int here = !queued && !nfl && used + it->h <= th + EPS;
            if (here) { /* (with its caption's notes at the foot) */
                pm_acc_fig(fs, rg, acc, it->fig, used + it->h);
                here = acc->held == before.held &&
                       (used + it->h + pm_acc_height(fs, acc) <= th + EPS || (j == i && used0 <= EPS));
                if (!here) pm_acc_undo(acc, before);
            }
            int alone = after_heading >= 0 ? head == i : j == i && used0 <= EPS && !carries(rg);
            if (!here && fs->notes_in_place && fig_names_note(it->fig) && !alone) {
                held = 1; /* (it does not float past text: the page ends before it) */
            } else if (!here) {
                floated[nfl++] = j;
            } else {
                used += it->h;
                after_heading = -1;
            }
        } else if (it->kind == V_RULE) {
            used += it->h;
        } else if (it->kind == V_BOX_START || it->kind == V_BOX_END) {
            if (it->box->keep) keep += it->kind == V_BOX_START ? 1 : keep > 0 ? -1 : 0;
        }
        /* (the first item of a page always goes on it, unless figures floated to the top
           already fill it: then the page holds only them; or unless it refers to a note
           that cannot follow the carried one, or is a figure kept in place: then the page
           holds only what came before) */
        held |= acc->held > before.held;
        /* (nor when it is a carried note's page's first item and its own notes do not fit
           there with the note: the carried note fills the page alone) */
        if (j == i && used0 <= EPS && carries(rg) && acc->nparts > before.nparts &&
            used + pm_acc_height(fs, acc) > th + EPS)
            held = 1;
        if (held || (used + pm_acc_height(fs, acc) > th + EPS && (j > i || used0 > EPS))) {
            if (r->best == n) { /* nothing fits before it: break there */
                size_t k = j;
                r->held = held;
                if (held && after_heading >= 0 && head > i) { /* (before the heading, not after it) */
                    k = head;
                    used = head_used;
                    before = head_notes;
                } else if (used0 > EPS && (!held || inside_para(v, i, j))) {
                    /* (figures at the top: the rest waits for the next page; so does a
                       paragraph that would be broken where its widows or orphans forbid) */
                    k = i;
                    before = start;
                    used = used0;
                } else if (used0 <= EPS && carries(rg) && j > i) {
                    /* (a carried note's page where nothing may end before this: the note
                       fills the page alone, rather than a widow, orphan or broken word) */
                    k = i;
                    before = start;
                    used = 0;
                    r->held = 1;
                } else if ((heading_wants || (it->kind == V_LINE && it->hline)) && last_head > i && last_head < j) {
                    /* (a run of headings taller than the page with what must follow the
                       last: it ends before that heading, not between its lines nor after
                       it with less text than a heading wants) */
                    k = last_head;
                    used = last_used;
                    before = last_notes;
                    r->broke = 1;
                } else { /* never inside a table's row: its cells but the last are 0 high */
                    while (k > i + 1 && v[k - 1].kind == V_LINE && v[k - 1].h == 0) k--;
                    r->broke = k > i; /* (a rule broken: a break where none is legal) */
                    int unplaced = it->kind == V_FIGURE && (held || (nfl && floated[nfl - 1] == j));
                    used -= unplaced ? 0 : it->h;
                }
                r->best = k;
                r->notes = before;
                r->used = used;
                if (held) /* (the figures floated before it wait for the next page) */
                    for (r->nfloated = 0; r->nfloated < nfl && floated[r->nfloated] < k; r->nfloated++) {}
            }
            return;
        }
    }
    /* the end: the last page takes everything left; but a heading that ends the text
       while figures still wait for a page goes after them, with what it heads */
    if (j >= n && after_heading >= 0 && (queued || nfl)) {
        if (r->best < n) return;
        if (used0 > EPS) { /* the page holds the figures at its top alone */
            r->best = i;
            r->nfloated = 0;
            r->notes = start;
            r->used = used0;
            return;
        }
        if (queued && carries(rg)) { /* the figures wait for a carried note's end: it has */
            r->best = i;             /* the page alone, as in the loop above */
            r->nfloated = 0;
            r->notes = start;
            r->used = 0;
            r->held = 1;
            return;
        }
    }
    if (j >= n) {
        r->best = n;
        r->nfloated = nfl;
        r->ratio = 0;
        r->end = 1;
        r->shortfall = 0;
        r->notes = pm_acc_mark(acc);
        r->used = used;
    }
}

/* Paragraph vp set again with looseness dl: 1 when it comes out exactly dl lines longer
 * and still well spaced (its lines are not built yet). */
int pm_trial_good(const pm_para_style *st, int nlines, int dl, const pm_para_trial *t)
{
    if (t->nlines != nlines + dl || t->pass > 3 || t->overfull) return 0;
    if (st->align == PM_ALIGN_JUSTIFY && t->nlines > 1 && (t->max_ratio > 1.0 || t->min_ratio < -0.95)) return 0;
    /* no lonely syllable for a last line */
    if (t->nlines > 1 && t->last_width < 0.12 * st->width) return 0;
    return 1;
}

/* Paragraph vp set again one line shorter (t[0]) and one line longer (t[1]), both from
 * one run of the line breaker (pm_para_try_kept_each); good[k]: pm_trial_good. */
static void try_para(fstate *fs, int vp, pm_para_trial t[2], int good[2])
{
    vpara *P = &fs->paras[vp];
    int loose[2] = {P->loose - 1, P->loose + 1};
    if (!pm_fit_trial(fs, P, loose[0], &t[0]) || !pm_fit_trial(fs, P, loose[1], &t[1]))
        pm_para_try_kept_each(fs->set, P->text, &P->st, &P->shaped, loose, 2, t);
    for (int k = 0; k < 2; k++) good[k] = pm_trial_good(&P->st, P->nlines, k ? 1 : -1, &t[k]);
}

/* The trial's item list for vp: as many lines as it would have (heights and penalties
 * are all the page builder looks at; the lines themselves come later). */
static void trial_items(fstate *fs, vlist *w, int vp, int nlines)
{
    static const pm_line blank;
    pm_para pp = {0};
    pp.nlines = nlines;
    pm_line *lines = pm_xcalloc((size_t)nlines + 1, sizeof *lines);
    for (int k = 0; k < nlines; k++) lines[k] = blank;
    pp.lines = lines;
    pm_para_items(fs, w, vp, &pp);
    for (size_t k = 0; k < w->n; k++)
        if (w->v[k].line >= lines && w->v[k].line < lines + nlines) w->v[k].line = &blank; /* no notes on them */
    free(lines);
}

/* Replace paragraph vp's items in vl by those of pp; later paragraphs move. */
static void splice_para(fstate *fs, vlist *vl, int vp, const pm_para *pp)
{
    vpara *P = &fs->paras[vp];
    size_t a = P->first, b = a + 2 * (size_t)P->nlines - 1;
    vlist tmp = {0};
    P->nlines = pp->nlines;
    P->demerits = pp->demerits;
    pm_para_items(fs, &tmp, vp, pp);
    long delta = (long)tmp.n - (long)(b - a);
    pm_vlist_reserve(vl, vl->n + (size_t)(delta > 0 ? delta : 0));
    memmove(vl->v + b + delta, vl->v + b, (vl->n - b) * sizeof *vl->v);
    memcpy(vl->v + a, tmp.v, tmp.n * sizeof *tmp.v);
    vl->n = (size_t)((long)vl->n + delta);
    pm_vlist_free(&tmp);
    for (size_t k = 0; k < fs->nparas; k++)
        if ((int)k != vp && fs->paras[k].first > a && fs->paras[k].first < (size_t)-1)
            fs->paras[k].first = (size_t)((long)fs->paras[k].first + delta);
}

/* How short the page from item i ends when paragraph vp is set dl lines longer (trial t):
 * the page is broken again on a copy of its stretch of the list (0: it ends full, or at
 * a forced break or the end). */
static double trial_shortfall(fstate *fs, const vlist *vl, size_t i, double used0, int queued, int vp,
                              const pm_para_trial *t)
{
    vpara *P = &fs->paras[vp];
    size_t a = P->first, b = a + 2 * (size_t)P->nlines - 1;
    size_t tail = b + 400 < vl->n ? b + 400 : vl->n;
    vlist w = {0};
    for (size_t k = i; k < a; k++) *pm_vpush(&w, V_GLUE) = vl->v[k];
    trial_items(fs, &w, vp, t->nlines);
    for (size_t k = b; k < tail; k++) *pm_vpush(&w, V_GLUE) = vl->v[k];
    page_break r2;
    notes_acc acc = {0}; /* the trial's own notes and floated figures */
    size_t *tfl = pm_xmalloc((w.n + 1) * sizeof *tfl);
    pm_acc_begin(fs, fs->rg, &acc);
    pm_find_page(fs, fs->rg, &acc, w.v, w.n, 0, used0, queued, tfl, &r2);
    free(tfl);
    pm_acc_free(&acc);
    pm_vlist_free(&w);
    return r2.end || r2.forced ? 0 : r2.shortfall;
}

/* A page that ends a line or more short of its last baseline (because a widow or an
 * orphan would follow, a heading wants two lines after it, and no glue on it can stretch)
 * is filled as a compositor would: a paragraph on it, or the one broken across its foot,
 * is set one line longer or shorter, whichever costs least in word spacing among those
 * that shorten the gap by a line at least. Called again while it helps, each paragraph
 * changed once. Returns 1 if vl was changed. */
static int fill_page(fstate *fs, vlist *vl, size_t i, double used0, int queued, const page_break *r)
{
    if (r->forced || r->end || r->shortfall < fs->L - EPS) return 0;
    /* the paragraphs nearest the foot of the page: a change there moves least */
    int cands[6], nc = 0;
    size_t j = r->best + 12 < vl->n ? r->best + 12 : vl->n;
    while (j-- > i && nc < 6) {
        int vp = vl->v[j].vp;
        if (vp < 0 || fs->paras[vp].first < i || fs->paras[vp].loose || fs->paras[vp].nlines < 3) continue;
        if (fs->paras[vp].st.code) continue; /* (code keeps its lines: no trial can change them) */
        if (nc && cands[nc - 1] == vp) continue;
        cands[nc++] = vp;
    }
    double best_delta = HUGE_VAL;
    int best_vp = -1, best_dl = 0;
    for (int c = 0; c < nc; c++) {
        int vp = cands[c], good[2];
        pm_para_trial tt[2];
        try_para(fs, vp, tt, good);
        for (int dl = -1; dl <= 1; dl += 2) {
            const pm_para_trial *t = &tt[dl > 0];
            if (!good[dl > 0]) continue;
            if (trial_shortfall(fs, vl, i, used0, queued, vp, t) > r->shortfall - fs->L + EPS) continue;
            double delta = t->demerits - fs->paras[vp].demerits;
            if (delta < best_delta) {
                best_delta = delta;
                best_vp = vp;
                best_dl = dl;
            }
        }
    }
    if (best_vp < 0) return 0;
    vpara *P = &fs->paras[best_vp];
    pm_para pp;
    pm_para_break_kept(fs->set, P->text, &P->st, &P->shaped, P->loose + best_dl, pm_lines_arena(fs, (size_t)best_vp),
                       &pp);
    P->loose += best_dl;
    splice_para(fs, vl, best_vp, &pp);
    return 1;
}

/* A paragraph that follows a figure in the text is set without an indent. When the figure
 * floats away from between it and the paragraph before it, on the page it follows that
 * paragraph, and is set again with the indent (the rule follows the page, not the
 * source). Returns 1 if a paragraph on the page from item i was set again. */
static int indent_after_floats(fstate *fs, vlist *vl, size_t i, const page_break *r, const size_t *floated)
{
    int changed = 0;
    for (size_t k = fs->released; k < fs->nparas; k++) {
        vpara *P = &fs->paras[k];
        if (P->first < i) continue;
        if (P->first >= r->best) break;
        if (!P->after_fig || P->alt_indent == P->st.indent) continue;
        int gone = 0;
        for (int f = 0; f < r->nfloated; f++) gone |= vl->v[floated[f]].fig == P->after_fig;
        if (!gone) continue;
        P->st.indent = P->alt_indent;
        P->after_fig = NULL;
        if (!P->borrowed) pm_shaped_drop(P->shaped);
        P->borrowed = 0;
        P->shaped = pm_para_shape(fs->set, P->text, &P->st);
        pm_para pp;
        pm_para_break(fs->set, P->shaped, P->loose, pm_lines_arena(fs, k), &pp);
        splice_para(fs, vl, (int)k, &pp);
        changed = 1;
    }
    return changed;
}

/* Shaped paragraphs that start before item i can no longer be set again. */
static void release_before(fstate *fs, size_t i)
{
    for (size_t k = fs->released; k < fs->nparas && fs->paras[k].first < i; k++) {
        if (!fs->paras[k].borrowed) pm_shaped_drop(fs->paras[k].shaped);
        fs->paras[k].shaped = NULL;
        fs->released = k + 1;
    }
}

/* The floated figures waiting in the region that go at the top of its next page: as
 * many as the accountant says the page holds with all its notes (a carried note's rest,
 * then the notes the figures' captions refer to). The first waits only when a note
 * carried from the page before leaves it no room: a page of text comes first, with the
 * note (nothing else would make a later page hold it better; a figure is made small
 * enough for a page with its caption's notes, collect.c). Returns their height. */
static double take_floats(fstate *fs, region *rg, page_plan *pl)
{
    double used = 0;
    vfig **top = pm_arena_array(fs->a, (size_t)rg->nq + 1, sizeof *top);
    rg->top = top; /* (the accountant puts their captions' notes at the foot) */
    rg->defer_top = 0;
    while (rg->nq) {
        vfig *f = rg->queue[0];
        double h = pm_float_height(fs, f);
        top[pl->ntop] = f; /* with it, do the figures and all the page's notes fit? */
        rg->ntop = pl->ntop + 1;
        pm_acc_begin(fs, rg, &rg->acc);
        int holds = pm_acc_holds(fs, rg, &rg->acc, used + h);
        if (!holds && (pl->ntop || carries(rg))) break;
        if ((rg->acc.held || !holds) && !pl->ntop && !carries(rg)) {
            /* (nothing to wait for: a page alone would not take it either; the notes its
               caption names that cannot follow a split one, or that have no room under
               it, go to the next page's foot) */
            rg->defer_top = 1; /* (and so each time the page is planned: they are not lost) */
            pm_acc_begin(fs, rg, &rg->acc);
        }
        if (rg->acc.held) break; /* (its caption's notes wait for the carried note's end) */
        pl->ntop++;
        used += h;
        memmove(rg->queue, rg->queue + 1, (size_t)--rg->nq * sizeof *rg->queue);
    }
    rg->ntop = pl->ntop;
    pl->top = top;
    return used;
}

static void queue_float(region *rg, vfig *f)
{
    if (rg->nq == rg->qcap) {
        rg->qcap = rg->qcap ? rg->qcap * 2 : 8;
        rg->queue = pm_xrealloc(rg->queue, (size_t)rg->qcap * sizeof *rg->queue);
    }
    rg->queue[rg->nq++] = f;
}

/* Room for the indexes of the figures a page floats. */
static void grow_floated(size_t **floated, size_t *cap, size_t n)
{
    if (*cap >= n + 64) return;
    *cap = n + 64;
    *floated = pm_xrealloc(*floated, *cap * sizeof **floated);
}

/* The break of the page that starts at item i (used points already taken by floats and a
 * repeated table header), after filling it if it would end short. */
static page_break plan_once(fstate *fs, vlist *vl, size_t i, double used, size_t **floated, size_t *fcap)
{
    region *rg = fs->rg;
    page_break r;
    grow_floated(floated, fcap, vl->n);
    pm_acc_begin(fs, rg, &rg->acc);
    pm_find_page(fs, rg, &rg->acc, vl->v, vl->n, i, used, rg->nq, *floated, &r);
    if (indent_after_floats(fs, vl, i, &r, *floated)) {
        grow_floated(floated, fcap, vl->n);
        pm_acc_begin(fs, rg, &rg->acc);
        pm_find_page(fs, rg, &rg->acc, vl->v, vl->n, i, used, rg->nq, *floated, &r);
    }
    for (int tries = 0; tries < 4 && fill_page(fs, vl, i, used, rg->nq, &r); tries++) {
        grow_floated(floated, fcap, vl->n);
        pm_acc_begin(fs, rg, &rg->acc);
        pm_find_page(fs, rg, &rg->acc, vl->v, vl->n, i, used, rg->nq, *floated, &r);
    }
    return r;
}

/* Whether the page r plans is taller than the region with its notes: its first item (a
 * line, or figures at its top) refers to more notes than a page holds with it. */
static int overfull(const fstate *fs, const page_break *r)
{
    return r->used + (r->notes.nparts ? snap_up(r->notes.h, fs->L) : 0) > fs->rg->h + EPS;
}

/* The page's break; when it must break a rule (no legal break fits: a heading ending the
 * page, an orphan) and notes that cannot follow a split or carried one are to blame, those
 * notes are held over to the next page's foot instead, as TeX holds insertions over; so
 * are the notes that would run off a page whose first item has more than it holds, and
 * those of a first item that would leave the page empty: no carried note to wait for, no
 * figure at the top, but a note it names cannot follow a split one it names too. */
static page_break plan_page(fstate *fs, vlist *vl, size_t i, double used, size_t **floated, size_t *fcap)
{
    notes_acc *acc = &fs->rg->acc;
    acc->defer = 0;
    page_break r = plan_once(fs, vl, i, used, floated, fcap);
    int over = overfull(fs, &r);
    int empty = r.best <= i && r.held && i < vl->n && !fs->rg->ntop && !carries(fs->rg);
    if (!r.broke && !over && !empty) return r;
    acc->defer = 1;
    page_break r2 = plan_once(fs, vl, i, used, floated, fcap);
    acc->defer = 0;
    if (over ? !overfull(fs, &r2) : empty ? r2.best > i : !r2.broke && (r2.notes.nover || r2.notes.dropped)) return r2;
    r = plan_once(fs, vl, i, used, floated, fcap); /* (the accountant as the first left it) */
    /* a page of notes with no note to carry would hold nothing, and the next would be
       planned the same: its first item goes on it, as an item taller than a page does */
    if (empty) r.held = 0;
    return r;
}

/* Emit the page planned by pl (kind, and whether it is a right-hand page, follow from
 * the pages before it). */
static void emit(fstate *fs, vlist *vl, page_plan *pl, pm_page_kind kind)
{
    /* page index 0 is a right-hand page; in a right-to-left pamphlet, a left-hand one
       (its pages turn the other way: the inside margin is on the right of page 1) */
    int right = (fs->lay->npages % 2 == 0) != (fs->doc->meta.dir == PM_DIR_RTL);
    pm_page *pg = pm_layout_add_page(fs->lay, fs->spec->page_w, fs->spec->page_h);
    pg->kind = kind;
    pm_emit_page(fs, vl, pg, pl, right);
    pm_finish_page(fs, pg);
}

/* Whether the page builder is stuck: a third page in a row that placed nothing (no item,
 * no figure, no carried note) would be followed by the same page for ever. A fault of the
 * page builder, not of the text, but the run stops with an error naming where, rather
 * than fill the disk with empty pages. */
static int stuck(fstate *fs, const vlist *vl, int *idle, size_t i, size_t best, int nq0, const page_plan *pl)
{
    if (best > i || pl->ntop || fs->rg->nq < nq0 || carries(fs->rg)) {
        *idle = 0;
        return 0;
    }
    if (++*idle < 3) return 0;
    int line = 0;
    for (size_t k = i; k < vl->n && !line; k++)
        if (vl->v[k].kind == V_LINE && vl->v[k].line) line = vl->v[k].line->src_line;
    pm_error(fs->doc->path, line, 0, "the page builder cannot place what follows (three empty pages in a row); "
             "please report this document");
    fs->rc = PM_EINPUT;
    return 1;
}

void pm_compose(fstate *fs, vlist *vl, collector *col, pm_page_kind kind)
{
    region *rg = fs->rg;
    size_t i = 0;
    size_t floated_cap = 1024;
    size_t *floated = pm_xmalloc(floated_cap * sizeof *floated);
    int first_page = 1, clearing = 0, idle = 0;
    pm_collect_ahead(fs, vl, col, 0);
    while (i < vl->n || rg->nq || pm_collector_more(col) || carries(rg)) {
        page_plan pl = {0};
        const int nq0 = rg->nq;
        double used = take_floats(fs, rg, &pl);
        if (clearing && pl.ntop) { /* a page break waits for the figures before it: pages of them */
            pl.from = pl.to = i;
            pm_acc_begin(fs, rg, &rg->acc);
            if (used + pm_acc_height(fs, &rg->acc) > rg->h + EPS) { /* (their notes held over, as in plan_page) */
                rg->acc.defer = 1;
                pm_acc_begin(fs, rg, &rg->acc);
                rg->acc.defer = 0;
            }
            pl.notes = pm_acc_mark(&rg->acc);
            emit(fs, vl, &pl, kind == PM_PAGE_BACK ? PM_PAGE_BODY : kind);
            continue;
        }
        clearing = 0;
        if (fs->banded) { /* columns: a page of bands (columns.c) */
            grow_floated(&floated, &floated_cap, vl->n);
            size_t i0 = i;
            pl.floated = floated;
            int forced = pm_plan_banded(fs, vl, col, &i, used, &pl, floated);
            /* (never stuck; a page of a carried note alone moves on by the note's lines) */
            if (i == i0 && !pl.ntop && !pl.nbands && i < vl->n && !pl.notes_only) i++;
            for (int k = 0; k < pl.nfloated; k++) queue_float(rg, vl->v[floated[k]].fig);
            clearing = forced && rg->nq;
            int last = i >= vl->n && !rg->nq && !pm_collector_more(col);
            emit(fs, vl, &pl, kind == PM_PAGE_BACK && !last ? PM_PAGE_BODY : kind);
            release_before(fs, i);
            pm_release_lines(fs, i, 0);
            if (fs->rc || (last && !carries(rg))) break;
            continue;
        }
        /* discard glue and penalties at the top of the page */
        while (i < vl->n && (vl->v[i].kind == V_GLUE ||
                             (vl->v[i].kind == V_PENALTY && (vl->v[i].penalty > -PM_INF_PENALTY || (!pl.ntop && used == 0)))))
            i++;
        pm_collect_ahead(fs, vl, col, i);
        if (fs->rc) break;
        pl.repeat = i < vl->n ? vl->v[i].tbl : NULL;
        /* a table goes on here under its header again, unless figures at the top leave no
           room for the header and two lines (the page then holds the figures alone) */
        if (pl.repeat && used + pl.repeat->h + 2 * fs->L > rg->h + EPS && pl.ntop) pl.repeat = NULL;
        if (pl.repeat) used += pl.repeat->h;
        page_break r = plan_page(fs, vl, i, used, &floated, &floated_cap);
        size_t best = r.best;
        /* nor when no row of it goes under the header: the notes of the figures' captions
           leave no room for one (the figures have the page alone) */
        if (pl.repeat && best <= i && pl.ntop) pl.repeat = NULL;
        /* an item taller than a page: emergency; but a page before whose first item a
           carried note must go on is a page of that note (it fills it) */
        if (best <= i && i < vl->n && !pl.ntop && !r.held) best = i + 1;
        pl.from = i;
        pl.to = best;
        pl.floated = floated;
        pl.nfloated = r.nfloated;
        pl.ratio = r.ratio;
        pl.notes = r.notes;
        if (best <= i && r.held) {
            pl.notes_only = 1;
            pl.repeat = NULL;
            rg->notes_only = 1;
            pm_acc_begin(fs, rg, &rg->acc);
            pl.notes = pm_acc_mark(&rg->acc);
            rg->notes_only = 0;
        }
        /* figures floated on this page wait for the next; a forced break (LaTeX's
           \clearpage) places every waiting figure before what follows it */
        for (int k = 0; k < r.nfloated; k++) queue_float(rg, vl->v[floated[k]].fig);
        clearing = r.forced && rg->nq;
        pl.middle = kind == PM_PAGE_BACK && r.end && !rg->nq && first_page;
        first_page = 0;
        /* only the last page of the back-cover section is the back cover */
        emit(fs, vl, &pl, kind == PM_PAGE_BACK && !(r.end && !rg->nq) ? PM_PAGE_BODY : kind);
        if (best < vl->n && (vl->v[best].kind == V_PENALTY || vl->v[best].kind == V_GLUE)) best++;
        if (stuck(fs, vl, &idle, i, best, nq0, &pl)) break;
        i = best;
        release_before(fs, i);
        pm_release_lines(fs, i, 0);
        if (i >= vl->n && !rg->nq && !pm_collector_more(col) && !carries(rg)) break;
    }
    free(floated);
    if (!fs->rc) pm_release_lines(fs, vl->n, 1); /* (every page of the list is out) */
}

