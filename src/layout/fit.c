/* fit.c - fitting a pamphlet to a page count (--pages N, --pages fit): a saddle-stitched
 * booklet has a multiple of four pages, and blank pages before the back cover are waste.
 *
 * The page builder runs first as it would (the natural count), noting what each paragraph
 * would cost set one line shorter or longer (TeX's \looseness, in demerits, only where it
 * stays within the tolerance). Then, cheapest first: paragraphs are set a line shorter
 * (or longer), the cheapest ones, as many as it takes (found by bisection, the page count
 * being monotonic in them for all practical purposes); then the leading moves by up to
 * 3 %; last the text area grows or shrinks by up to a line. The same means pull back a
 * last page that holds only a few lines. Never a font size, a widow or orphan, or a line
 * looser than the tolerance: those stay the page builder's rules in every run. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/diag.h"
#include "layout/flow-imp.h"

static int last_page_lines(const pm_layout *lay);

int pm_fit_looseness(const fstate *fs, int no)
{
    const struct fit_run *f = fs->fit;
    return f && f->loose && no >= 1 && no <= f->nloose ? f->loose[no - 1] : 0;
}

static int same_style(const pm_para_style *a, const pm_para_style *b)
{
    return a->font == b->font && a->align == b->align && a->dir == b->dir && a->width == b->width &&
           a->indent == b->indent && a->hyphenate == b->hyphenate && a->code == b->code &&
           a->tolerance == b->tolerance;
}

int pm_fit_para(fstate *fs, int no, const pm_text *text, const pm_para_style *st, int loose, pm_shaped **sh,
                pm_para *out)
{
    struct fit_run *f = fs->fit;
    if (!f || no < 1 || loose < -1 || loose > 1) return 0;
    if (no > f->ncache) {
        int n = f->ncache ? f->ncache : 256;
        while (n < no) n *= 2;
        f->cache = pm_xrealloc(f->cache, (size_t)n * sizeof *f->cache);
        memset(f->cache + f->ncache, 0, (size_t)(n - f->ncache) * sizeof *f->cache);
        f->ncache = n;
    }
    if (!f->arena) f->arena = pm_arena_new();
    fit_cached *c = &f->cache[no - 1];
    if (c->sh && !same_style(&c->st, st)) { /* (another paragraph by this number: not ours) */
        pm_shaped_drop(c->sh);
        memset(c, 0, sizeof *c);
    }
    if (!c->sh) {
        c->sh = *sh ? *sh : pm_para_shape(fs->set, text, st);
        c->st = *st;
    } else if (*sh) {
        pm_shaped_drop(*sh);
    }
    *sh = c->sh;
    if (!c->have[loose + 1]) {
        pm_para_break(fs->set, c->sh, loose, f->arena, &c->lines[loose + 1]);
        c->have[loose + 1] = 1;
    }
    *out = c->lines[loose + 1];
    return 1;
}

int pm_fit_trial(fstate *fs, const vpara *P, int loose, pm_para_trial *t)
{
    struct fit_run *f = fs->fit;
    if (!f || !P->borrowed || loose < -2 || loose > 2 || P->para < 1 || P->para > f->ncache) return 0;
    fit_cached *c = &f->cache[P->para - 1];
    if (!c->sh || c->sh != P->shaped) return 0;
    if (!c->have_trial[loose + 2]) {
        pm_para_try(fs->set, c->sh, loose, &c->trial[loose + 2]);
        c->have_trial[loose + 2] = 1;
    }
    *t = c->trial[loose + 2];
    return 1;
}

static void fit_cache_free(struct fit_run *f)
{
    for (int i = 0; i < f->ncache; i++) pm_shaped_drop(f->cache[i].sh);
    free(f->cache);
    pm_arena_drop(f->arena);
}

void pm_fit_record(fstate *fs, int no, pm_shaped *sh, const pm_para_style *st, int nlines)
{
    struct fit_run *f = fs->fit;
    if (no < 1) return;
    if (no > f->cap) {
        int cap = f->cap ? f->cap : 256;
        while (cap < no) cap *= 2;
        f->trials = pm_xrealloc(f->trials, (size_t)cap * sizeof *f->trials);
        memset(f->trials + f->cap, 0, (size_t)(cap - f->cap) * sizeof *f->trials);
        f->cap = cap;
    }
    if (no > f->ntrials) f->ntrials = no;
    fit_para *fp = &f->trials[no - 1];
    pm_para_trial base, t;
    pm_para_try(fs->set, sh, 0, &base);
    for (int d = 0; d < 2; d++) {
        int dl = d ? 1 : -1;
        fp->ok[d] = 0;
        if (nlines + dl < 1 || (dl < 0 && nlines < 2) || st->code) continue; /* (code keeps its lines) */
        pm_para_try(fs->set, sh, dl, &t);
        /* within the paragraph's tolerance (TeX's \looseness asks no more), no lonely
           syllable for a last line */
        if (t.nlines != nlines + dl || t.pass > 2 || t.overfull) continue;
        if (t.nlines > 1 && t.last_width < 0.12 * st->width) continue;
        fp->ok[d] = 1;
        fp->cost[d] = t.demerits - base.demerits;
    }
}

/* ---- the search ---- */

typedef struct cand {
    int no;
    double cost;
} cand;

static int by_cost(const void *a, const void *b)
{
    const cand *x = a, *y = b;
    if (x->cost != y->cost) return x->cost < y->cost ? -1 : 1;
    return x->no - y->no; /* (the same input: the same choice) */
}

typedef struct search {
    const pm_flow_args *args;
    struct fit_run run;
    cand *cands;          /* paragraphs that can change in the wanted direction, cheapest first */
    int ncands;
    signed char *loose;
    int dir;              /* -1: fewer pages, +1: more */
    int runs;
} search;

/* Lay out with the k cheapest paragraphs changed, the leading scaled and the text area
 * taller, quietly: the pages it makes (or -1 after an error), the layout in *keep if keep
 * (else dropped). */
static int try_layout(search *s, int k, double lscale, double taller, pm_layout **keep)
{
    memset(s->loose, 0, (size_t)s->run.ntrials);
    for (int i = 0; i < k && i < s->ncands; i++) s->loose[s->cands[i].no - 1] = (signed char)s->dir;
    s->run.record = 0;
    s->run.loose = s->loose;
    s->run.nloose = s->run.ntrials;
    pm_flow_args a = *s->args;
    a.fit = &s->run;
    a.lscale = lscale;
    a.taller = taller;
    a.sink = NULL;
    pm_layout *lay = NULL;
    int was = pm_diag_mute(1); /* (the natural run has said it all) */
    int rc = pm_flow_run(&a, &lay, NULL);
    pm_diag_mute(was);
    s->runs++;
    if (rc) return -1;
    int n = (int)lay->npages;
    if (keep) *keep = lay;
    else pm_layout_drop(lay);
    return n;
}

int pm_flow_last_lines(const pm_layout *lay)
{
    return last_page_lines(lay);
}

/* Body lines on the last body page (before a back cover), for the runt rule. */
static int last_page_lines(const pm_layout *lay)
{
    for (size_t i = lay->npages; i-- > 0;) {
        const pm_page *pg = lay->pages[i];
        if (pg->kind != PM_PAGE_BODY) continue;
        pm_page_sum tmp;
        const pm_page_sum *s = pm_page_summary(pg, &tmp);
        return s->figure ? 1000 : s->lines; /* (a page with a figure is no runt) */
    }
    return 0;
}

/* The least k (paragraphs changed) at which the count reaches target, at this leading and
 * text area, with that layout in *best; -1 if even all of them do not reach it. The
 * layout of every probe that reaches the target is kept until a better one comes: the
 * chosen one is not laid out a second time. */
static int least_k(search *s, int target, double lscale, double taller, pm_layout **best)
{
    *best = NULL;
    int all = try_layout(s, s->ncands, lscale, taller, best);
    if (all < 0 || (s->dir < 0 ? all > target : all < target)) {
        pm_layout_drop(*best);
        *best = NULL;
        return -1;
    }
    int lo = 0, hi = s->ncands; /* pages(lo) misses the target; pages(hi) reaches or passes it */
    pm_layout *lay = NULL;
    int at0 = try_layout(s, 0, lscale, taller, &lay);
    if (at0 == target) {
        pm_layout_drop(*best);
        *best = lay;
        return 0;
    }
    pm_layout_drop(lay);
    while (hi - lo > 1) {
        int mid = (lo + hi) / 2;
        int p = try_layout(s, mid, lscale, taller, &lay);
        if (s->dir < 0 ? p <= target : p >= target) {
            hi = mid;
            pm_layout_drop(*best);
            *best = lay;
        } else {
            lo = mid;
            pm_layout_drop(lay);
        }
    }
    return hi;
}

static void step(pm_fit_report *rep, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void step(pm_fit_report *rep, const char *fmt, ...)
{
    if (rep->nsteps >= (int)(sizeof rep->steps / sizeof *rep->steps)) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(rep->steps[rep->nsteps++], sizeof rep->steps[0], fmt, ap);
    va_end(ap);
}

static int target_for(int natural, const pm_fit_opts *fo)
{
    if (fo->pages > 0) return fo->pages;
    if (fo->pages == PM_FIT_RUNT) return natural;
    if (fo->pages == PM_FIT_NEAREST) return natural % 4 ? natural - natural % 4 : natural;
    return natural;
}

/* The levels of adjustment, tried in turn, each with the least number of paragraphs
 * changed: the space around headings and figures, then the leading, then the text area. */
typedef struct level {
    int hlines;       /* lines off (or on) the space above headings */
    double fspace;    /* the space around figures: 1 -/+ this */
    double lead;      /* the leading: 1 -/+ this */
    double area;      /* the text area: -/+ this many lines */
} level;

static const level levels[] = {
    {0, 0, 0, 0},        {0, 0.5, 0, 0},      {1, 0.5, 0, 0},       {1, 0.5, 0.01, 0},
    {1, 0.5, 0.02, 0},   {1, 0.5, 0.03, 0},   {1, 0.5, 0.03, 0.5}, {1, 0.5, 0.03, 1}, {2, 0.5, 0.03, 1},
};

/* Reach target pages: the levels in turn. Returns the pages made (the layout in *out),
 * or 0 if not reached. */
static int reach(search *s, int target, pm_fit_report *rep, double L, pm_layout **out)
{
    for (size_t lv = 0; lv < sizeof levels / sizeof *levels; lv++) {
        const level *v = &levels[lv];
        double lscale = s->dir < 0 ? 1 - v->lead : 1 + v->lead;
        double taller = -s->dir * v->area * L * lscale;
        s->run.hlines = s->dir * v->hlines;
        s->run.fspace = 1 + s->dir * v->fspace;
        pm_layout *lay = NULL;
        int k = least_k(s, target, lscale, taller, &lay);
        if (k < 0) continue;
        int got = lay ? (int)lay->npages : -1;
        if (got != target) {
            pm_layout_drop(lay);
            continue;
        }
        *out = lay;
        if (s->args->sink) /* its pages to be written, as pm_flow_run would have sent them */
            for (size_t i = 0; i < lay->npages; i++) s->args->sink->page(s->args->sink->ud, lay, lay->pages[i]);
        if (k)
            step(rep, "%d paragraph%s set one line %s, where it costs least in word spacing", k, k == 1 ? "" : "s",
                 s->dir < 0 ? "shorter" : "longer");
        if (v->fspace > 0) step(rep, "the space around figures %s by half", s->dir < 0 ? "narrowed" : "widened");
        if (v->hlines)
            step(rep, "%s line%s %s above each heading (never less than one)", v->hlines == 1 ? "a" : "two",
                 v->hlines == 1 ? "" : "s", s->dir < 0 ? "less" : "more");
        if (v->lead > 0)
            step(rep, "the leading %s by %.0f %% (%.2f pt to %.2f pt)", s->dir < 0 ? "tightened" : "opened",
                 v->lead * 100, L, L * lscale);
        if (v->area > 0)
            step(rep, "the text area %.1f pt %s (%s the bottom margin)", fabs(taller), taller > 0 ? "taller" : "shorter",
                 taller > 0 ? "into" : "giving it to");
        return got;
    }
    return 0;
}

int pm_flow_fit(const pm_flow_args *a, const pm_fit_opts *fo, pm_layout **out, pm_flow_stats *stats,
                pm_fit_report *rep)
{
    memset(rep, 0, sizeof *rep);
    *out = NULL;
    search s = {.args = a};
    s.run.record = 1;
    pm_flow_args na = *a;
    na.sink = NULL;
    na.fit = &s.run;
    pm_layout *nat = NULL;
    int rc = pm_flow_run(&na, &nat, stats); /* the natural layout, with every warning */
    if (rc) {
        free(s.run.trials);
        return rc;
    }
    int natural = (int)nat->npages, target = target_for(natural, fo);
    if (target == natural && fo->runt > 0 && natural > 2 && last_page_lines(nat) < fo->runt) target = natural - 1;
    rep->natural = natural;
    rep->target = fo->pages || target != natural ? target : 0;
    double L = pm_font_leading(a->spec, &a->spec->body);
    int got = 0;
    pm_layout *lay = NULL;
    if (target != natural && target > 0) {
        s.dir = target < natural ? -1 : 1;
        int d = s.dir < 0 ? 0 : 1;
        s.cands = pm_xmalloc(((size_t)s.run.ntrials + 1) * sizeof *s.cands);
        s.loose = pm_xcalloc((size_t)s.run.ntrials + 1, 1);
        for (int i = 0; i < s.run.ntrials; i++)
            if (s.run.trials[i].ok[d]) s.cands[s.ncands++] = (cand){i + 1, s.run.trials[i].cost[d]};
        qsort(s.cands, (size_t)s.ncands, sizeof *s.cands, by_cost);
        got = reach(&s, target, rep, L, &lay);
        /* fit with --pages fit: the multiple of four below could not be reached: above */
        if (!got && fo->pages == PM_FIT_NEAREST && target < natural && natural - target < 4) {
            int up = target + 4;
            s.dir = 1;
            s.ncands = 0;
            for (int i = 0; i < s.run.ntrials; i++)
                if (s.run.trials[i].ok[1]) s.cands[s.ncands++] = (cand){i + 1, s.run.trials[i].cost[1]};
            qsort(s.cands, (size_t)s.ncands, sizeof *s.cands, by_cost);
            rep->nsteps = 0;
            got = reach(&s, up, rep, L, &lay);
            if (got) rep->target = target = up;
        }
    }
    if (got && fo->probe) {
        pm_layout_drop(lay);
        rep->pages = got;
        *out = nat;
    } else if (got) {
        pm_layout_drop(nat);
        rep->pages = got;
        if (stats) pm_flow_check(lay, a->spec, stats);
        *out = lay;
    } else if (a->sink) { /* the natural layout again, now written */
        pm_layout_drop(nat);
        s.dir = 0;
        int was = pm_diag_mute(1);
        rc = pm_flow_run(a, &lay, stats);
        pm_diag_mute(was);
        rep->pages = lay ? (int)lay->npages : 0;
        *out = lay;
    } else {
        rep->pages = natural;
        *out = nat;
    }
    if (rep->target && rep->pages != rep->target) { /* by how much it misses, in lines */
        double tx, ty, tw, th;
        pm_spec_text_area(a->spec, 1, &tx, &ty, &tw, &th);
        int lpp = (int)floor(th / L + 1e-6), last = last_page_lines(*out);
        rep->lines_over = rep->pages > rep->target ? (rep->pages - rep->target - 1) * lpp + last
                                                   : -((rep->target - rep->pages) * lpp - last);
    }
    if (*out) { /* its lines are in the fit's arena: it goes with the layout */
        (*out)->aux = s.run.arena;
        s.run.arena = NULL;
    }
    free(s.cands);
    free(s.loose);
    free(s.run.trials);
    fit_cache_free(&s.run);
    return rc;
}
