/* test_linebreak.c - unit tests of the total-fit line breaker (linebreak.c): badness,
 * hand-made paragraphs with known breaks, and a cross-check against exhaustive search. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "text/linebreak.h"

#define MAXI 512

/* ---- building paragraphs ---------------------------------------------------------- */

typedef struct para {
    pm_item it[MAXI];
    size_t n;
} para;

static void add(para *pa, pm_item it)
{
    assert_true(pa->n < MAXI);
    pa->it[pa->n++] = it;
}

static void box(para *pa, double w)
{
    add(pa, (pm_item){.type = PM_ITEM_BOX, .width = w});
}

static void glue(para *pa, double w, double st, double sh)
{
    add(pa, (pm_item){.type = PM_ITEM_GLUE, .width = w, .stretch = st, .shrink = sh});
}

static void pen(para *pa, int p, double w, int flagged)
{
    add(pa, (pm_item){.type = PM_ITEM_PENALTY, .penalty = p, .width = w,
                      .flagged = (unsigned char)flagged});
}

/* What TeX appends to a paragraph: \penalty10000 \parfillskip \penalty-10000. */
static void finish(para *pa)
{
    pen(pa, PM_INF_PENALTY, 0, 0);
    glue(pa, 0, PM_FIL_STRETCH, 0);
    pen(pa, -PM_INF_PENALTY, 0, 0);
}

/* Monospaced text: each character is 6 wide, a space is glue (6, 3, 2), a '-' inside a
 * word is a hyphenation point (flagged penalty 50 with a 6-wide hyphen), '|' a forced
 * break preceded by \hfil. */
static void text(para *pa, const char *s)
{
    while (*s) {
        if (*s == ' ') {
            glue(pa, 6, 3, 2);
            s++;
        } else if (*s == '-') {
            pen(pa, 50, 6, 1);
            s++;
        } else if (*s == '|') {
            glue(pa, 0, PM_FIL_STRETCH, 0);
            pen(pa, -PM_INF_PENALTY, 0, 0);
            s++;
        } else {
            size_t k = strcspn(s, " -|");
            box(pa, 6.0 * (double)k);
            s += k;
        }
    }
}

static int is_flagged(const pm_item *it)
{
    return it->type == PM_ITEM_PENALTY && it->flagged && it->penalty > -PM_INF_PENALTY;
}

static int longest_hyphen_run(const para *pa, const pm_lb_result *r)
{
    int run = 0, longest = 0;
    for (size_t k = 0; k < r->n; k++) {
        run = is_flagged(&pa->it[r->breaks[k].item]) ? run + 1 : 0;
        if (run > longest) longest = run;
    }
    return longest;
}

static int has_break_at(const pm_lb_result *r, size_t item)
{
    for (size_t k = 0; k < r->n; k++)
        if (r->breaks[k].item == item) return 1;
    return 0;
}

/* ---- an independent reference: line metrics, demerits, exhaustive search ------------ */

typedef struct ref_line {
    int legal;     /* the line has a place to start before it ends */
    int overfull;
    int badness;   /* 10000 for an overfull line */
    int fitness;
    double ratio;  /* as pm_break reports it (real stretch, no emergency stretch) */
} ref_line;

static int ref_badness(double r)
{
    double b = 100.0 * fabs(r) * fabs(r) * fabs(r);
    return b > 10000 ? 10000 : (int)floor(b + 0.5);
}

/* First item of the line after a break at `prev` (-1: paragraph start). */
static size_t ref_line_start(const pm_item *items, size_t n, long prev)
{
    if (prev < 0) return 0;
    size_t j = (size_t)prev + 1;
    while (j < n && items[j].type != PM_ITEM_BOX &&
           !(items[j].type == PM_ITEM_PENALTY && items[j].penalty <= -PM_INF_PENALTY))
        j++;
    return j;
}

static ref_line ref_measure(const pm_item *items, size_t n, long prev, size_t end,
                            double width, double emergency)
{
    ref_line L = {0};
    size_t s = ref_line_start(items, n, prev);
    if (end < s) return L;
    L.legal = 1;
    double w = 0, st = 0, sh = 0;
    int fil = 0;
    for (size_t j = s; j < end; j++) {
        if (items[j].type == PM_ITEM_BOX) w += items[j].width;
        if (items[j].type == PM_ITEM_GLUE) {
            w += items[j].width;
            sh += items[j].shrink;
            if (items[j].stretch >= PM_FIL_STRETCH) fil = 1;
            else st += items[j].stretch;
        }
    }
    if (items[end].type == PM_ITEM_PENALTY) w += items[end].width;
    double gap = width - w;
    L.fitness = PM_FIT_DECENT;
    if (gap > 0 && fil) {
        L.badness = 0;
    } else if (gap > 0) {
        L.badness = st + emergency > 0 ? ref_badness(gap / (st + emergency)) : 10000;
        L.ratio = st > 0 ? gap / st : 0;
        if (L.badness > 99) L.fitness = PM_FIT_VERY_LOOSE;
        else if (L.badness > 12) L.fitness = PM_FIT_LOOSE;
    } else if (gap < 0) {
        L.ratio = sh > 0 ? gap / sh : -1.0;
        if (-gap > sh) {
            L.overfull = 1;
            L.badness = 10000;
            L.fitness = PM_FIT_TIGHT;
        } else {
            L.badness = ref_badness(gap / sh);
            if (L.badness > 12) L.fitness = PM_FIT_TIGHT;
        }
    }
    return L;
}

static int ref_breakable(const pm_item *items, size_t i, int allow_flagged)
{
    const pm_item *it = &items[i];
    if (it->type == PM_ITEM_GLUE) return i > 0 && items[i - 1].type == PM_ITEM_BOX;
    if (it->type != PM_ITEM_PENALTY || it->penalty >= PM_INF_PENALTY) return 0;
    return allow_flagged || !is_flagged(it);
}

static double ref_demerits(const pm_lb_params *p, int b, int fit, int prev_fit, const pm_item *it,
                           int flagged, int prev_flagged, int final)
{
    double d = p->line_penalty + b;
    d = fabs(d) >= 10000 ? 1e8 : d * d;
    if (it->type == PM_ITEM_PENALTY) {
        double pi = it->penalty;
        if (pi > 0) d += pi * pi;
        else if (pi > -PM_INF_PENALTY) d -= pi * pi;
    }
    if (flagged && prev_flagged) d += p->double_hyphen_demerits;
    if (final && prev_flagged) d += p->final_hyphen_demerits;
    if (abs(fit - prev_fit) > 1) d += p->adj_demerits;
    return d;
}

#define MAXLINES 64

typedef struct search {
    const pm_item *items;
    size_t n;
    const double *widths;
    size_t nwidths;
    const pm_lb_params *p;
    int allow_flagged;
    int final;             /* pass 4: a hyphen run past the limit is allowed, counted as the limit */
    double threshold, emergency;
    double best[MAXLINES]; /* least demerits per line count; HUGE_VAL if none */
} search;

/* A line ending a run of run hyphens in a row: the run as counted on, or -1 when the
 * limit rules the line out (in pass 4 it does not: the run stays at the limit). */
static int over_limit(const search *S, int run)
{
    int lim = S->p->max_hyphen_run;
    if (lim <= 0 || run <= lim) return run;
    return S->final ? lim : -1;
}

static void search_from(search *S, long prev, int line, int prev_fit, int run, double total)
{
    double width = S->widths[(size_t)line < S->nwidths ? (size_t)line : S->nwidths - 1];
    for (size_t j = ref_line_start(S->items, S->n, prev); j < S->n; j++) {
        const pm_item *it = &S->items[j];
        int forced = it->type == PM_ITEM_PENALTY && it->penalty <= -PM_INF_PENALTY;
        if (!ref_breakable(S->items, j, S->allow_flagged)) continue;
        ref_line L = ref_measure(S->items, S->n, prev, j, width, S->emergency);
        int flagged = is_flagged(it);
        int new_run = over_limit(S, flagged ? run + 1 : 0);
        int ok = L.legal && !L.overfull && L.badness <= S->threshold && new_run >= 0;
        if (ok) {
            int final = j == S->n - 1;
            double d = ref_demerits(S->p, L.badness, L.fitness, prev_fit, it, flagged, run > 0,
                                    final);
            if (final) {
                if (line + 1 < MAXLINES && total + d < S->best[line + 1])
                    S->best[line + 1] = total + d;
            } else {
                search_from(S, (long)j, line + 1, L.fitness, new_run, total + d);
            }
        }
        if (forced) break;
    }
}

/* The same minimum by dynamic programming over states (break, lines, fitness, run), for
 * pass 4 where any line short of overfull is allowed and the break sets are too many to
 * list. Still exact: each state keeps the least total of every way to reach it. */
typedef struct dp_table {
    size_t bp[MAXI], nb; /* the breakpoints; state break 0 is the paragraph start */
    int runs;            /* run values kept: 0..max_hyphen_run, or 0..1 without a limit */
    double *total;
} dp_table;

static double *dp_state(dp_table *T, size_t b, int line, int fit, int run)
{
    return &T->total[((b * MAXLINES + (size_t)line) * 4 + (size_t)fit) * (size_t)T->runs +
                     (size_t)run];
}

/* Every line from state (b, line, fit, run) with the least total `total`. */
static void dp_extend(search *S, dp_table *T, size_t b, int line, int fit, int run, double total)
{
    long prev = b ? (long)T->bp[b - 1] : -1;
    double width = S->widths[(size_t)line < S->nwidths ? (size_t)line : S->nwidths - 1];
    for (size_t k = 0; k < T->nb; k++) {
        size_t j = T->bp[k];
        if ((long)j <= prev) continue;
        const pm_item *it = &S->items[j];
        ref_line L = ref_measure(S->items, S->n, prev, j, width, S->emergency);
        int flagged = is_flagged(it);
        int new_run = over_limit(S, flagged ? run + 1 : 0);
        if (L.legal && !L.overfull && L.badness <= S->threshold && new_run >= 0) {
            int final = j == S->n - 1;
            double d = total + ref_demerits(S->p, L.badness, L.fitness, fit, it, flagged,
                                            run > 0, final);
            double *to = final ? &S->best[line + 1]
                               : dp_state(T, k + 1, line + 1, L.fitness,
                                          new_run < T->runs ? new_run : T->runs - 1);
            if (d < *to) *to = d;
        }
        if (it->type == PM_ITEM_PENALTY && it->penalty <= -PM_INF_PENALTY) break;
    }
}

static void search_dp(search *S)
{
    dp_table T = {.nb = 0, .runs = S->p->max_hyphen_run > 0 ? S->p->max_hyphen_run + 1 : 2};
    for (size_t j = 0; j < S->n; j++)
        if (ref_breakable(S->items, j, S->allow_flagged)) T.bp[T.nb++] = j;
    size_t states = (T.nb + 1) * MAXLINES * 4 * (size_t)T.runs;
    T.total = malloc(states * sizeof *T.total);
    assert_non_null(T.total);
    for (size_t k = 0; k < states; k++) T.total[k] = HUGE_VAL;
    *dp_state(&T, 0, 0, PM_FIT_DECENT, 0) = 0;
    for (size_t b = 0; b <= T.nb; b++) {
        if (b && T.bp[b - 1] == S->n - 1) continue;
        for (int line = 0; line + 1 < MAXLINES; line++)
            for (int fit = 0; fit < 4; fit++)
                for (int run = 0; run < T.runs; run++) {
                    double total = *dp_state(&T, b, line, fit, run);
                    if (total == HUGE_VAL) continue;
                                    dp_extend(S, &T, b, line, fit, run, total);
                }
    }
    free(T.total);
}

/* Least demerits per line count over every legal set of breaks with feasible lines:
 * enumerated one by one, or by search_dp() when lines may be arbitrarily loose.
 * Returns the least overall (HUGE_VAL if none). */
static double search_all(search *S)
{
    for (int k = 0; k < MAXLINES; k++) S->best[k] = HUGE_VAL;
    if (S->threshold >= 10000)
        search_dp(S);
    else
        search_from(S, -1, 0, PM_FIT_DECENT, 0, 0);
    double m = HUGE_VAL;
    for (int k = 0; k < MAXLINES; k++)
        if (S->best[k] < m) m = S->best[k];
    return m;
}

static int close_enough(double a, double b)
{
    return fabs(a - b) <= 1e-6 * fmax(1.0, fmax(fabs(a), fabs(b)));
}

/* What TeX's looseness rule picks from the per-line-count optimum, given the optimal line
 * count. Returns the line count; *exact tells whether looseness was met. */
static int looseness_pick(const double *best, int best_line, int looseness, int *exact)
{
    int actual = 0;
    for (int k = 0; k < MAXLINES; k++) {
        if (best[k] == HUGE_VAL) continue;
        int diff = k - best_line;
        if ((diff < actual && looseness <= diff) || (diff > actual && looseness >= diff))
            actual = diff;
    }
    *exact = actual == looseness;
    return best_line + actual;
}

typedef struct expectation {
    int known;      /* 0: several optimal line counts make looseness ambiguous */
    int pass;
    int feasible;   /* some solution without overfull lines exists */
    double demerits;
    int lines;      /* only with looseness */
} expectation;

/* Replays the passes of linebreak.h with exhaustive search. */
static expectation expect(const para *pa, const double *widths, size_t nwidths,
                          const pm_lb_params *p)
{
    expectation E = {.known = 1, .pass = 4};
    search S = {.items = pa->it, .n = pa->n, .widths = widths, .nwidths = nwidths, .p = p};
    int last_regular = p->emergency_stretch > 0 ? 3 : 2;
    int have_fallback = 0;
    expectation fallback = E;
    for (int pass = 1; pass <= 4; pass++) {
        if (pass == 1 && p->pretolerance < 0) continue;
        if (pass == 3 && !(p->emergency_stretch > 0)) continue;
        if (pass == 4 && have_fallback) return fallback;
        S.allow_flagged = pass > 1;
        S.final = pass == 4;
        S.threshold = pass == 1 ? p->pretolerance : pass == 4 ? 10000 : p->tolerance;
        S.emergency = pass >= 3 && p->emergency_stretch > 0 ? p->emergency_stretch : 0;
        double m = search_all(&S);
        if (m == HUGE_VAL) continue;
        E.pass = pass;
        E.feasible = 1;
        if (p->looseness == 0) {
            E.demerits = m;
            return E;
        }
        int pick = -1, exact = 0;
        for (int k = 0; k < MAXLINES; k++) {
            if (S.best[k] != m) continue; /* k is an optimal line count */
            int ex, pk = looseness_pick(S.best, k, p->looseness, &ex);
            if (pick >= 0 && (pk != pick || ex != exact)) E.known = 0;
            pick = pk;
            exact = ex;
        }
        E.lines = pick;
        E.demerits = S.best[pick];
        if (!E.known) return E;
        if (exact || pass >= last_regular) return E;
        fallback = E;
        have_fallback = 1;
    }
    E.feasible = 0;
    return E;
}

/* Demerits of a set of breaks by the reference; *worst gets the largest badness. */
static double ref_total(const para *pa, const double *widths, size_t nwidths,
                        const pm_lb_params *p, const size_t *breaks, size_t nb, int *worst)
{
    long prev = -1;
    int prev_fit = PM_FIT_DECENT;
    double total = 0;
    *worst = 0;
    for (size_t k = 0; k < nb; k++) {
        double width = widths[k < nwidths ? k : nwidths - 1];
        ref_line L = ref_measure(pa->it, pa->n, prev, breaks[k], width, 0);
        total += ref_demerits(p, L.badness, L.fitness, prev_fit, &pa->it[breaks[k]],
                              is_flagged(&pa->it[breaks[k]]),
                              k > 0 && is_flagged(&pa->it[breaks[k - 1]]), k == nb - 1);
        if (L.badness > *worst) *worst = L.badness;
        prev_fit = L.fitness;
        prev = (long)breaks[k];
    }
    return total;
}

/* First fit: each line takes as many words as fit with their glue fully shrunk. */
static size_t first_fit(const para *pa, double width, size_t *breaks)
{
    size_t nb = 0;
    long prev = -1;
    for (;;) {
        long fit = -1;
        for (size_t j = ref_line_start(pa->it, pa->n, prev); j < pa->n; j++) {
            if (!ref_breakable(pa->it, j, 0)) continue;
            if (ref_measure(pa->it, pa->n, prev, j, width, 0).overfull) break;
            fit = (long)j;
            if (pa->it[j].type == PM_ITEM_PENALTY && pa->it[j].penalty <= -PM_INF_PENALTY) break;
        }
        assert_true(fit >= 0);
        breaks[nb++] = (size_t)fit;
        if ((size_t)fit == pa->n - 1) return nb;
        prev = fit;
    }
}

/* Checks a result against the reference line by line; returns its total demerits. */
static double check_result(const para *pa, const double *widths, size_t nwidths,
                           const pm_lb_params *p, const pm_lb_result *r)
{
    assert_true(r->n >= 1);
    assert_true(r->pass >= 1 && r->pass <= 4);
    assert_int_equal(r->breaks[r->n - 1].item, pa->n - 1);
    double emergency = r->pass >= 3 && p->emergency_stretch > 0 ? p->emergency_stretch : 0;
    double threshold = r->pass == 1 ? p->pretolerance : r->pass == 4 ? 10000 : p->tolerance;
    long prev = -1;
    int prev_fit = PM_FIT_DECENT, run = 0;
    double total = 0;
    for (size_t k = 0; k < r->n; k++) {
        const pm_break *b = &r->breaks[k];
        assert_true(b->item < pa->n);
        assert_true((long)b->item > prev);
        assert_true(ref_breakable(pa->it, b->item, r->pass > 1));
        /* no forced break is skipped */
        for (size_t j = (size_t)(prev + 1); j < b->item; j++)
            assert_false(pa->it[j].type == PM_ITEM_PENALTY &&
                         pa->it[j].penalty <= -PM_INF_PENALTY);
        double width = widths[k < nwidths ? k : nwidths - 1];
        ref_line L = ref_measure(pa->it, pa->n, prev, b->item, width, emergency);
        assert_true(L.legal);
        assert_int_equal(b->overfull, L.overfull);
        assert_int_equal(b->fitness, L.fitness);
        assert_true(fabs(b->ratio - L.ratio) < 1e-9);
        if (r->pass < 4) assert_true(L.badness <= threshold);
        int flagged = is_flagged(&pa->it[b->item]);
        run = flagged ? run + 1 : 0;
        /* the limit holds but in pass 4, where a third hyphen beats an overfull line */
        if (p->max_hyphen_run > 0 && r->pass < 4) assert_true(run <= p->max_hyphen_run);
        total += ref_demerits(p, L.badness, L.fitness, prev_fit, &pa->it[b->item], flagged,
                              k > 0 && is_flagged(&pa->it[r->breaks[k - 1].item]),
                              k == r->n - 1);
        prev_fit = L.fitness;
        prev = (long)b->item;
    }
    assert_true(close_enough(total, r->demerits));
    return total;
}

/* ---- tests ------------------------------------------------------------------------ */

static void test_badness(void **state)
{
    (void)state;
    assert_int_equal(pm_badness(0), 0);
    assert_int_equal(pm_badness(1), 100);
    assert_int_equal(pm_badness(-1), 100);
    /* 100 * 0.5^3 = 12.5, rounded half up; TeX's integer approximation would give 12 */
    assert_int_equal(pm_badness(0.5), 13);
    assert_int_equal(pm_badness(-0.5), 13);
    assert_int_equal(pm_badness(0.1), 0);
    assert_int_equal(pm_badness(2), 800);
    assert_int_equal(pm_badness(4.6), 9734);
    assert_int_equal(pm_badness(4.65), 10000);
    assert_int_equal(pm_badness(100), 10000);
    assert_int_equal(pm_badness(HUGE_VAL), 10000);
    assert_int_equal(pm_badness(-1.001), 10000); /* overfull */
}

/* A line is feasible when its rounded badness is at most the tolerance: 752/751 gives
 * 100.4 (badness 100), 753/751 gives 100.8 (101). */
static void test_tolerance_boundary(void **state)
{
    (void)state;
    pm_lb_params p;
    pm_lb_defaults(&p);
    for (int extra = 752; extra <= 753; extra++) {
        para pa = {0};
        box(&pa, 100), glue(&pa, 10, 751, 0), box(&pa, 100);
        glue(&pa, 10, 0, 0);
        box(&pa, 900); /* too wide to join the first line */
        finish(&pa);
        double w = 210 + extra;
        pm_lb_result r;
        assert_int_equal(pm_linebreak(pa.it, pa.n, &w, 1, &p, &r), 0);
        assert_int_equal(r.n, 2);
        assert_int_equal(r.breaks[0].item, 3);
        assert_int_equal(pm_badness(r.breaks[0].ratio), extra == 752 ? 100 : 101);
        assert_int_equal(r.pass, extra == 752 ? 1 : 2);
        pm_lb_result_free(&r);
    }
}

static void test_defaults(void **state)
{
    (void)state;
    pm_lb_params p;
    pm_lb_defaults(&p);
    assert_true(p.pretolerance == 100 && p.tolerance == 200 && p.line_penalty == 10);
    assert_true(p.double_hyphen_demerits == 10000 && p.final_hyphen_demerits == 5000);
    assert_true(p.adj_demerits == 10000 && p.emergency_stretch == 0);
    assert_int_equal(p.max_hyphen_run, 2);
    assert_int_equal(p.looseness, 0);
}

static void test_bad_arguments(void **state)
{
    (void)state;
    pm_lb_params p;
    pm_lb_defaults(&p);
    para pa = {0};
    text(&pa, "some words");
    finish(&pa);
    double w = 100;
    pm_lb_result r = {(pm_break *)&r, 7, 3, 1.0};
    assert_int_equal(pm_linebreak(pa.it, 0, &w, 1, &p, &r), -1);
    assert_null(r.breaks); /* the result is cleared, so freeing it is harmless */
    assert_int_equal(r.n, 0);
    assert_int_equal(pm_linebreak(NULL, pa.n, &w, 1, &p, &r), -1);
    assert_int_equal(pm_linebreak(pa.it, pa.n, &w, 0, &p, &r), -1);
    assert_int_equal(pm_linebreak(pa.it, pa.n, NULL, 1, &p, &r), -1);
    assert_int_equal(pm_linebreak(pa.it, pa.n, &w, 1, NULL, &r), -1);
    assert_int_equal(pm_linebreak(pa.it, pa.n, &w, 1, &p, NULL), -1);
    /* no final forced break: ends with glue, or with a penalty that does not force */
    assert_int_equal(pm_linebreak(pa.it, pa.n - 1, &w, 1, &p, &r), -1);
    pa.it[pa.n - 1].penalty = -PM_INF_PENALTY + 1;
    assert_int_equal(pm_linebreak(pa.it, pa.n, &w, 1, &p, &r), -1);
    pa.it[pa.n - 1].penalty = -PM_INF_PENALTY;
    p.max_hyphen_run = -1;
    assert_int_equal(pm_linebreak(pa.it, pa.n, &w, 1, &p, &r), -1);
    p.max_hyphen_run = 2;
    pa.it[0].type = (pm_item_type)7;
    assert_int_equal(pm_linebreak(pa.it, pa.n, &w, 1, &p, &r), -1);
    pa.it[0].type = PM_ITEM_BOX;
    assert_int_equal(pm_linebreak(pa.it, pa.n, &w, 1, &p, &r), 0);
    assert_int_equal(r.n, 1);
    pm_lb_result_free(&r);
    assert_null(r.breaks);
    pm_lb_result_free(&r); /* twice is fine */
    pm_lb_result_free(NULL);
}

static void test_empty_paragraph(void **state)
{
    (void)state;
    pm_lb_params p;
    pm_lb_defaults(&p);
    double w = 100;
    pm_lb_result r;
    para pa = {0};
    finish(&pa); /* just parfillskip and the forced break */
    assert_int_equal(pm_linebreak(pa.it, pa.n, &w, 1, &p, &r), 0);
    assert_int_equal(r.n, 1);
    assert_int_equal(r.breaks[0].item, 2);
    assert_true(r.breaks[0].ratio == 0 && !r.breaks[0].overfull);
    assert_int_equal(r.pass, 1);
    assert_true(r.demerits == 100); /* (line_penalty + 0)^2 */
    pm_lb_result_free(&r);

    /* only the forced break: an empty line that cannot stretch, still one line */
    assert_int_equal(pm_linebreak(pa.it + 2, 1, &w, 1, &p, &r), 0);
    assert_int_equal(r.n, 1);
    assert_int_equal(r.breaks[0].item, 0);
    assert_int_equal(r.pass, 4);
    assert_false(r.breaks[0].overfull);
    pm_lb_result_free(&r);
}

/* A short paragraph that fits on one line, and a longer one that breaks without any
 * hyphenation in the first pass. */
static void test_first_pass(void **state)
{
    (void)state;
    pm_lb_params p;
    pm_lb_defaults(&p);
    pm_lb_result r;
    para pa = {0};
    text(&pa, "a short line");
    finish(&pa);
    double w = 600;
    assert_int_equal(pm_linebreak(pa.it, pa.n, &w, 1, &p, &r), 0);
    assert_int_equal(r.n, 1);
    assert_int_equal(r.pass, 1);
    assert_true(r.breaks[0].ratio == 0); /* the last line is set at natural width */
    pm_lb_result_free(&r);

    /* lines of 4 words of 5 letters: 4*30 + 3*6 = 138 exactly */
    para pb = {0};
    text(&pb, "aaaaa bbbbb ccccc dd-ddd eeeee fffff ggggg hhhhh ii-iii jjjjj kkkkk lllll");
    finish(&pb);
    w = 138;
    assert_int_equal(pm_linebreak(pb.it, pb.n, &w, 1, &p, &r), 0);
    assert_int_equal(r.n, 3);
    assert_int_equal(r.pass, 1);
    for (size_t k = 0; k < r.n; k++) {
        assert_false(is_flagged(&pb.it[r.breaks[k].item]));
        assert_true(r.breaks[k].ratio == 0);
        assert_int_equal(r.breaks[k].fitness, PM_FIT_DECENT);
    }
    assert_true(r.demerits == 300);
    check_result(&pb, &w, 1, &p, &r);
    pm_lb_result_free(&r);
}

/* Lines of 15 characters, spaces (6, 6, 2): "aaaaaa bbbbbbbb" fills the first line
 * exactly. First fit then crams "ccc ddddddd ee f" (16 characters) into the second line by
 * shrinking its three spaces fully (badness 100, 12100 demerits); total fit leaves "f" for
 * the last line and stretches "ccc ddddddd ee" by half a space (badness 13, 529). */
static void test_total_fit_beats_first_fit(void **state)
{
    (void)state;
    static const int len[] = {6, 8, 3, 7, 2, 1, 8};
    para pa = {0};
    for (size_t k = 0; k < sizeof len / sizeof len[0]; k++) {
        if (k) glue(&pa, 6, 6, 2);
        box(&pa, 6.0 * len[k]);
    }
    finish(&pa);
    double w = 6 * 15;
    pm_lb_params p;
    pm_lb_defaults(&p);

    size_t greedy[MAXLINES];
    int worst;
    assert_int_equal(first_fit(&pa, w, greedy), 3);
    assert_int_equal(greedy[0], 3);
    assert_int_equal(greedy[1], 11); /* after "f" */
    assert_true(ref_total(&pa, &w, 1, &p, greedy, 3, &worst) == 100 + 12100 + 100);
    assert_int_equal(worst, 100);

    pm_lb_result r;
    assert_int_equal(pm_linebreak(pa.it, pa.n, &w, 1, &p, &r), 0);
    assert_int_equal(r.pass, 1);
    assert_int_equal(r.n, 3);
    assert_int_equal(r.breaks[0].item, 3);
    assert_int_equal(r.breaks[1].item, 9); /* after "ee" */
    assert_true(fabs(r.breaks[1].ratio - 0.5) < 1e-12);
    assert_int_equal(r.breaks[1].fitness, PM_FIT_LOOSE);
    assert_true(r.demerits == 100 + 529 + 100);
    check_result(&pa, &w, 1, &p, &r);
    search S = {.items = pa.it, .n = pa.n, .widths = &w, .nwidths = 1, .p = &p,
                .threshold = p.pretolerance};
    assert_true(search_all(&S) == r.demerits);
    pm_lb_result_free(&r);
}

/* A forced break in the middle always breaks; penalty 10000 never does. */
static void test_forced_and_forbidden(void **state)
{
    (void)state;
    pm_lb_params p;
    pm_lb_defaults(&p);
    pm_lb_result r;
    para pa = {0};
    text(&pa, "aaa bbb|ccc ddd eee fff");
    finish(&pa);
    size_t forced = 4; /* aaa glue bbb hfil FORCED */
    assert_int_equal(pa.it[forced].penalty, -PM_INF_PENALTY);
    double w = 1000;
    assert_int_equal(pm_linebreak(pa.it, pa.n, &w, 1, &p, &r), 0);
    assert_int_equal(r.n, 2);
    assert_int_equal(r.breaks[0].item, forced);
    assert_int_equal(r.pass, 1);
    check_result(&pa, &w, 1, &p, &r);
    pm_lb_result_free(&r);

    /* without \hfil the line before the forced break is underfull: still broken there */
    para pb = {0};
    text(&pb, "aaa bbb");
    pen(&pb, -PM_INF_PENALTY, 0, 0);
    text(&pb, "ccc ddd");
    finish(&pb);
    assert_int_equal(pm_linebreak(pb.it, pb.n, &w, 1, &p, &r), 0);
    assert_int_equal(r.n, 2);
    assert_int_equal(r.breaks[0].item, 3);
    assert_int_equal(r.pass, 4);
    assert_int_equal(r.breaks[0].fitness, PM_FIT_VERY_LOOSE);
    check_result(&pb, &w, 1, &p, &r);
    pm_lb_result_free(&r);

    /* "aaaaa bbbbb~ccccc ddddd" with a tie (penalty 10000, then glue that follows a
       penalty): neither can break, so the perfect first line "aaaaa bbbbb" is out of
       reach and only the last pass sets it, as "aaaaa" / "bbbbb~ccccc" / "ddddd" */
    para pc = {0};
    text(&pc, "aaaaa bbbbb");
    pen(&pc, PM_INF_PENALTY, 0, 0);
    glue(&pc, 6, 3, 2);
    text(&pc, "ccccc ddddd");
    finish(&pc);
    w = 66; /* "aaaaa bbbbb" exactly */
    assert_int_equal(pm_linebreak(pc.it, pc.n, &w, 1, &p, &r), 0);
    assert_false(has_break_at(&r, 3));
    assert_false(has_break_at(&r, 4));
    assert_int_equal(r.pass, 4);
    assert_int_equal(r.n, 3);
    assert_int_equal(r.breaks[0].item, 1);
    assert_int_equal(r.breaks[1].item, 6);
    check_result(&pc, &w, 1, &p, &r);
    pm_lb_result_free(&r);
    /* an ordinary penalty there instead: the first line is perfect */
    pc.it[3].penalty = 0;
    assert_int_equal(pm_linebreak(pc.it, pc.n, &w, 1, &p, &r), 0);
    assert_int_equal(r.pass, 1);
    assert_int_equal(r.n, 2);
    assert_int_equal(r.breaks[0].item, 3);
    pm_lb_result_free(&r);
}

/* Glue and penalties after a break are discarded from the next line; a line ending at a
 * penalty includes its width, and one ending at glue does not include the glue. */
static void test_discarded_items(void **state)
{
    (void)state;
    pm_lb_params p;
    pm_lb_defaults(&p);
    pm_lb_result r;
    para pa = {0};
    box(&pa, 50);
    glue(&pa, 10, 5, 0);  /* 1: the break */
    glue(&pa, 7, 100, 0); /* discarded */
    pen(&pa, 0, 0, 0);    /* discarded */
    box(&pa, 40);         /* 4: the second line starts here */
    glue(&pa, 10, 5, 3);
    box(&pa, 40);
    pen(&pa, 0, 8, 0);    /* 7: a break with an 8-wide "hyphen" */
    box(&pa, 30);
    finish(&pa);
    double widths[3] = {50, 100, 35};
    p.pretolerance = 10000;
    assert_int_equal(pm_linebreak(pa.it, pa.n, widths, 3, &p, &r), 0);
    assert_int_equal(r.n, 3);
    assert_int_equal(r.breaks[0].item, 1);
    assert_true(r.breaks[0].ratio == 0); /* 50 wide exactly: the break glue is not counted */
    assert_int_equal(r.breaks[1].item, 7);
    /* 40 + 10 + 40 + 8 = 98, gap 2 over stretch 5 (the discarded glue's 100 not counted) */
    assert_true(fabs(r.breaks[1].ratio - 0.4) < 1e-12);
    assert_int_equal(r.breaks[2].item, pa.n - 1);
    check_result(&pa, widths, 3, &p, &r);
    pm_lb_result_free(&r);
}

/* Infinite stretch: a short line is set at natural width with badness 0, a long one still
 * shrinks. */
static void test_infinite_stretch(void **state)
{
    (void)state;
    pm_lb_params p;
    pm_lb_defaults(&p);
    pm_lb_result r;
    para pa = {0};
    box(&pa, 100);
    glue(&pa, 10, 5, 5);
    box(&pa, 100);
    finish(&pa);
    double w = 300;
    assert_int_equal(pm_linebreak(pa.it, pa.n, &w, 1, &p, &r), 0);
    assert_int_equal(r.n, 1);
    assert_true(r.breaks[0].ratio == 0);
    assert_true(r.demerits == 100);
    pm_lb_result_free(&r);
    w = 208; /* 210 natural, shrink 5: ratio -0.4, badness 6 */
    assert_int_equal(pm_linebreak(pa.it, pa.n, &w, 1, &p, &r), 0);
    assert_int_equal(r.n, 1);
    assert_true(fabs(r.breaks[0].ratio + 0.4) < 1e-12);
    assert_true(r.demerits == 16 * 16);
    pm_lb_result_free(&r);
}

/* Margin kerning: a line is measured less the hang of its first box and of its break. */
static void test_hang(void **state)
{
    (void)state;
    pm_lb_params p;
    pm_lb_defaults(&p);
    pm_lb_result r;
    para pa = {0};
    box(&pa, 60);
    glue(&pa, 10, 5, 2);
    box(&pa, 40); /* "word." */
    glue(&pa, 10, 5, 2);
    size_t brk = pa.n - 1;
    box(&pa, 60);
    finish(&pa);
    double w = 106; /* the first line is 110 wide, 2 to shrink: overfull without a hang */
    assert_int_equal(pm_linebreak(pa.it, pa.n, &w, 1, &p, &r), 0);
    assert_true(r.breaks[0].item != brk || r.breaks[0].overfull); /* no good break there */
    pm_lb_result_free(&r);
    pa.it[brk].hang_right = 3; /* the period hangs 3 into the margin */
    assert_int_equal(pm_linebreak(pa.it, pa.n, &w, 1, &p, &r), 0);
    assert_int_equal(r.n, 2);
    assert_true(r.breaks[0].item == brk);
    assert_false(r.breaks[0].overfull);
    assert_true(fabs(r.breaks[0].ratio + 0.5) < 1e-12); /* 110 into 106 + 3: shrunk by 1 of 2 */
    pm_lb_result_free(&r);
    pa.it[0].hang_left = 1; /* and an opening quote 1 into the left margin */
    assert_int_equal(pm_linebreak(pa.it, pa.n, &w, 1, &p, &r), 0);
    assert_true(r.breaks[0].ratio == 0);
    pm_lb_result_free(&r);
    pa.it[brk].hang_right = 0; /* the hang of a break elsewhere does not count */
    pa.it[1].hang_right = 50;
    assert_int_equal(pm_linebreak(pa.it, pa.n, &w, 1, &p, &r), 0);
    assert_true(r.breaks[0].item != brk || r.breaks[0].overfull);
    pm_lb_result_free(&r);
}

/* A box wider than the line: pass 4, the line with it is overfull and alone. */
static void test_overfull(void **state)
{
    (void)state;
    pm_lb_params p;
    pm_lb_defaults(&p);
    pm_lb_result r;
    para pa = {0};
    text(&pa, "aaaa bbbb cccc dddd eeee ffff");
    glue(&pa, 6, 3, 2);
    size_t wide = pa.n;
    box(&pa, 300);
    glue(&pa, 6, 3, 2);
    text(&pa, "gggg hhhh iiii jjjj");
    finish(&pa);
    double w = 114; /* four words */
    assert_int_equal(pm_linebreak(pa.it, pa.n, &w, 1, &p, &r), 0);
    assert_int_equal(r.pass, 4);
    int overfull = 0;
    for (size_t k = 0; k < r.n; k++) {
        if (!r.breaks[k].overfull) continue;
        overfull++;
        /* the wide box is alone on its line */
        assert_true(k > 0);
        assert_int_equal(r.breaks[k - 1].item, wide - 1);
        assert_int_equal(r.breaks[k].item, wide + 1);
        assert_true(r.breaks[k].ratio == -1.0); /* nothing to shrink */
    }
    assert_int_equal(overfull, 1);
    check_result(&pa, &w, 1, &p, &r);
    pm_lb_result_free(&r);

    /* an overfull line with some shrink reports the ratio it would need */
    para pb = {0};
    box(&pb, 60);
    pen(&pb, PM_INF_PENALTY, 0, 0);
    glue(&pb, 10, 5, 10); /* after a penalty: not a break */
    box(&pb, 47);
    finish(&pb);
    w = 100; /* 117 natural, shrink 10 */
    assert_int_equal(pm_linebreak(pb.it, pb.n, &w, 1, &p, &r), 0);
    assert_int_equal(r.pass, 4);
    assert_int_equal(r.n, 1);
    assert_true(r.breaks[0].overfull);
    assert_true(fabs(r.breaks[0].ratio + 1.7) < 1e-12);
    pm_lb_result_free(&r);

    /* a single enormous word in narrow lines */
    para pc = {0};
    box(&pc, 1000);
    finish(&pc);
    w = 10;
    assert_int_equal(pm_linebreak(pc.it, pc.n, &w, 1, &p, &r), 0);
    assert_int_equal(r.n, 1);
    assert_true(r.breaks[0].overfull);
    pm_lb_result_free(&r);
}

/* Lines of width 100 that fill exactly only when they end in a hyphen; the interword glue
 * is (10, 5, 5). Ending a line before a split word instead leaves it 25 short (infeasible);
 * ending after it is 15 too long, which the shrink of three glues just absorbs (badness
 * 100), and every later line is then 10 short (badness 100) with no way back to the exact
 * fill. Each line is [15] 20 20 [15-], the first 20 15 20 [15-]. */
static void build_hyphen_ladder(para *pa, int split_words)
{
    box(pa, 20), glue(pa, 10, 5, 5), box(pa, 15), glue(pa, 10, 5, 5);
    box(pa, 20), glue(pa, 10, 5, 5);
    for (int k = 0; k < split_words; k++) {
        box(pa, 15), pen(pa, 50, 0, 1), box(pa, 15);
        glue(pa, 10, 5, 5), box(pa, 20), glue(pa, 10, 5, 5);
        box(pa, 20), glue(pa, 10, 5, 5);
    }
    box(pa, 20);
    finish(pa);
}

static void test_hyphen_run_limit(void **state)
{
    (void)state;
    pm_lb_params p;
    pm_lb_defaults(&p);
    p.pretolerance = -1; /* the all-tight solution would do for the first pass */
    p.double_hyphen_demerits = 0;
    p.final_hyphen_demerits = 0;
    p.max_hyphen_run = 0; /* no limit */
    pm_lb_result r;
    para pa = {0};
    build_hyphen_ladder(&pa, 4);
    double w = 100;
    assert_int_equal(pm_linebreak(pa.it, pa.n, &w, 1, &p, &r), 0);
    assert_int_equal(longest_hyphen_run(&pa, &r), 4);
    double unlimited = r.demerits;
    check_result(&pa, &w, 1, &p, &r);
    pm_lb_result_free(&r);

    for (int limit = 1; limit <= 3; limit++) {
        p.max_hyphen_run = limit;
        assert_int_equal(pm_linebreak(pa.it, pa.n, &w, 1, &p, &r), 0);
        assert_int_equal(r.pass, 2);
        /* the best solution within the limit uses it fully: hyphens, then tight lines */
        assert_int_equal(longest_hyphen_run(&pa, &r), limit);
        assert_true(r.demerits > unlimited);
        check_result(&pa, &w, 1, &p, &r);
        expectation E = expect(&pa, &w, 1, &p);
        assert_int_equal(E.pass, r.pass);
        assert_true(close_enough(E.demerits, r.demerits));
        double limited = r.demerits;
        pm_lb_result_free(&r);

        /* the final forced break never counts as a hyphen, even if marked flagged */
        pa.it[pa.n - 1].flagged = 1;
        assert_int_equal(pm_linebreak(pa.it, pa.n, &w, 1, &p, &r), 0);
        assert_true(r.demerits == limited);
        pm_lb_result_free(&r);
        pa.it[pa.n - 1].flagged = 0;
    }
}

/* double_hyphen_demerits and final_hyphen_demerits change the choice. */
static void test_hyphen_demerits(void **state)
{
    (void)state;
    pm_lb_params p;
    pm_lb_defaults(&p);
    p.pretolerance = -1;
    p.max_hyphen_run = 0;
    p.double_hyphen_demerits = 0;
    p.final_hyphen_demerits = 0;
    pm_lb_result r;
    para pa = {0};
    build_hyphen_ladder(&pa, 4);
    double w = 100;
    assert_int_equal(pm_linebreak(pa.it, pa.n, &w, 1, &p, &r), 0);
    assert_int_equal(longest_hyphen_run(&pa, &r), 4);
    pm_lb_result_free(&r);
    /* 9000 more per extra hyphen is still cheaper than the tight and loose lines */
    p.double_hyphen_demerits = 9000;
    assert_int_equal(pm_linebreak(pa.it, pa.n, &w, 1, &p, &r), 0);
    assert_int_equal(longest_hyphen_run(&pa, &r), 4);
    pm_lb_result_free(&r);
    p.double_hyphen_demerits = 100000;
    assert_int_equal(pm_linebreak(pa.it, pa.n, &w, 1, &p, &r), 0);
    assert_int_equal(longest_hyphen_run(&pa, &r), 1);
    check_result(&pa, &w, 1, &p, &r);
    pm_lb_result_free(&r);

    /* final hyphen: the last full line ends in a hyphen when it is free (2796 against
       12200), not when that costs 100000 more */
    para pb = {0};
    build_hyphen_ladder(&pb, 1);
    size_t hyphen = 7;
    assert_true(is_flagged(&pb.it[hyphen]));
    p.double_hyphen_demerits = 10000;
    p.final_hyphen_demerits = 0;
    assert_int_equal(pm_linebreak(pb.it, pb.n, &w, 1, &p, &r), 0);
    assert_int_equal(r.n, 2);
    assert_int_equal(r.breaks[0].item, hyphen);
    assert_true(r.demerits == 2796);
    check_result(&pb, &w, 1, &p, &r);
    pm_lb_result_free(&r);
    p.final_hyphen_demerits = 100000;
    assert_int_equal(pm_linebreak(pb.it, pb.n, &w, 1, &p, &r), 0);
    assert_int_equal(r.n, 2);
    assert_false(has_break_at(&r, hyphen));
    assert_true(r.demerits == 12200);
    check_result(&pb, &w, 1, &p, &r);
    pm_lb_result_free(&r);
}

static void build_loose_text(para *pa)
{
    static const int len[] = {3, 5, 2, 7, 4, 4, 6, 3, 5, 2, 8, 3, 4, 6, 2, 5, 3, 7, 4, 5,
                              2, 6, 3, 4, 5, 3, 7, 2, 4, 6, 3, 5, 4, 2, 6, 5, 3, 4};
    for (size_t k = 0; k < sizeof len / sizeof len[0]; k++) {
        if (k) glue(pa, 6, 6, 3);
        box(pa, 6.0 * len[k]);
    }
    finish(pa);
}

static void test_looseness(void **state)
{
    (void)state;
    pm_lb_params p;
    pm_lb_defaults(&p);
    p.tolerance = 1000;
    pm_lb_result r;
    para pa = {0};
    build_loose_text(&pa);
    double w = 230;
    assert_int_equal(pm_linebreak(pa.it, pa.n, &w, 1, &p, &r), 0);
    size_t optimum = r.n;
    assert_int_equal(optimum, 6);
    check_result(&pa, &w, 1, &p, &r);
    pm_lb_result_free(&r);

    for (int l = -1; l <= 1; l += 2) {
        p.looseness = l;
        assert_int_equal(pm_linebreak(pa.it, pa.n, &w, 1, &p, &r), 0);
        assert_int_equal((int)r.n, (int)optimum + l);
        check_result(&pa, &w, 1, &p, &r);
        expectation E = expect(&pa, &w, 1, &p);
        assert_true(E.known);
        assert_int_equal(E.pass, r.pass);
        assert_int_equal(E.lines, (int)r.n);
        assert_true(close_enough(E.demerits, r.demerits));
        pm_lb_result_free(&r);
    }

    /* out of reach: as close as the tolerance allows, from the last regular pass */
    p.looseness = -20;
    assert_int_equal(pm_linebreak(pa.it, pa.n, &w, 1, &p, &r), 0);
    assert_int_equal(r.n, optimum - 1);
    assert_int_equal(r.pass, 2);
    pm_lb_result_free(&r);
    p.looseness = 20;
    assert_int_equal(pm_linebreak(pa.it, pa.n, &w, 1, &p, &r), 0);
    assert_true(r.n > optimum);
    assert_int_equal(r.pass, 2);
    pm_lb_result_free(&r);
}

/* Emergency stretch rescues a paragraph the second pass cannot set; the reported ratio
 * uses the real stretch. */
static void test_emergency_stretch(void **state)
{
    (void)state;
    pm_lb_params p;
    pm_lb_defaults(&p);
    pm_lb_result r;
    para pa = {0};
    box(&pa, 40), glue(&pa, 10, 5, 0), box(&pa, 40), glue(&pa, 10, 5, 0);
    box(&pa, 95);
    finish(&pa);
    double w = 120; /* the first line "40 40" is 30 short with stretch 5: badness 10000 */
    assert_int_equal(pm_linebreak(pa.it, pa.n, &w, 1, &p, &r), 0);
    assert_int_equal(r.pass, 4);
    pm_lb_result_free(&r);
    p.emergency_stretch = 20; /* 30 / 25: badness 173 */
    assert_int_equal(pm_linebreak(pa.it, pa.n, &w, 1, &p, &r), 0);
    assert_int_equal(r.pass, 3);
    assert_int_equal(r.n, 2);
    assert_true(fabs(r.breaks[0].ratio - 6.0) < 1e-12);
    assert_int_equal(r.breaks[0].fitness, PM_FIT_VERY_LOOSE);
    check_result(&pa, &w, 1, &p, &r);
    pm_lb_result_free(&r);
}

/* ---- random paragraphs against exhaustive search ---------------------------------- */

static uint64_t rng_state;

static unsigned rnd(unsigned n)
{
    rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (unsigned)(rng_state >> 33) % n;
}

/* 6-14 words, some hyphenated, with the odd extra penalty, double glue, \hfil\break or
 * word wider than the line; random parameters. Widths are integers, so the breaker and
 * the reference compute identical ratios. As in real text, a hyphen is narrower than the
 * syllable after it and glue shrinks less than its width: like TeX, the breaker drops a
 * line start for good at its first overfull line, which assumes lines only grow. */
static void random_paragraph(para *pa, double *widths, size_t *nwidths, pm_lb_params *p)
{
    memset(pa, 0, sizeof *pa);
    *nwidths = 1 + rnd(3);
    double base = 22 + rnd(30);
    for (size_t k = 0; k < *nwidths; k++) widths[k] = base + (k ? rnd(11) : 0);
    unsigned words = 6 + rnd(9);
    for (unsigned k = 0; k < words; k++) {
        if (k) {
            unsigned extra = rnd(20);
            if (extra == 0) { /* \hfil\break */
                glue(pa, 0, PM_FIL_STRETCH, 0);
                pen(pa, -PM_INF_PENALTY, 0, 0);
            } else if (extra == 1) {
                static const int pens[] = {-50, 0, 100, PM_INF_PENALTY};
                pen(pa, pens[rnd(4)], 0, 0);
            }
            double gw = 2 + rnd(3), gst = 1 + rnd(3), gsh = rnd(2); /* in this order */
            glue(pa, gw, gst, gsh);
            if (extra == 2) pen(pa, rnd(2) ? 0 : 200, 0, 0);
            if (extra == 3) glue(pa, 1, 1, 0);
        }
        if (rnd(10) < 3) {
            unsigned syll = 2 + rnd(2);
            for (unsigned s = 0; s < syll; s++) {
                if (s) pen(pa, rnd(2) ? 50 : 0, 1, 1);
                box(pa, 2 + rnd(5));
            }
        } else if (rnd(40) == 0) {
            box(pa, base - 5 + rnd(20)); /* may not fit at all */
        } else {
            box(pa, 2 + rnd(9));
        }
    }
    finish(pa);

    pm_lb_defaults(p);
    static const double pretol[] = {-1, 50, 100, 300}, tol[] = {100, 200, 500},
                        es[] = {0, 0, 3, 8}, dh[] = {0, 3000, 10000}, adj[] = {0, 500, 10000};
    static const int loose[] = {0, 0, 0, 0, 0, -1, 1, 2};
    p->pretolerance = pretol[rnd(4)];
    p->tolerance = tol[rnd(3)];
    p->emergency_stretch = es[rnd(4)];
    p->line_penalty = rnd(2) ? 10 : 1;
    p->double_hyphen_demerits = dh[rnd(3)];
    p->final_hyphen_demerits = rnd(2) ? 5000 : 0;
    p->adj_demerits = adj[rnd(3)];
    p->max_hyphen_run = (int)rnd(3);
    p->looseness = loose[rnd(8)];
}

static void test_random_against_exhaustive(void **state)
{
    (void)state;
    rng_state = 12345;
    int cases = 5000, by_pass[5] = {0}, unknown = 0, overfull = 0;
    for (int c = 0; c < cases; c++) {
        para pa;
        double widths[3];
        size_t nwidths;
        pm_lb_params p;
        random_paragraph(&pa, widths, &nwidths, &p);
        pm_lb_result r;
        assert_int_equal(pm_linebreak(pa.it, pa.n, widths, nwidths, &p, &r), 0);
        check_result(&pa, widths, nwidths, &p, &r);
        expectation E = expect(&pa, widths, nwidths, &p);
        by_pass[r.pass]++;
        if (!E.known) {
            unknown++;
        } else if (!E.feasible) {
            overfull++;
            assert_int_equal(r.pass, 4);
            int any = 0;
            for (size_t k = 0; k < r.n; k++) any |= r.breaks[k].overfull;
            assert_true(any);
        } else {
            if (E.pass != r.pass || !close_enough(E.demerits, r.demerits))
                print_error("case %d: expected pass %d demerits %.1f, got pass %d %.1f\n", c,
                            E.pass, E.demerits, r.pass, r.demerits);
            assert_int_equal(E.pass, r.pass);
            assert_true(close_enough(E.demerits, r.demerits));
            if (p.looseness) assert_int_equal(E.lines, (int)r.n);
            for (size_t k = 0; k < r.n; k++) assert_false(r.breaks[k].overfull);
        }
        pm_lb_result_free(&r);
    }
    print_message("random: %d cases, pass 1/2/3/4 = %d/%d/%d/%d, %d with overfull lines, "
                  "%d with ambiguous looseness\n",
                  cases, by_pass[1], by_pass[2], by_pass[3], by_pass[4], overfull, unknown);
    assert_true(by_pass[1] > 0 && by_pass[2] > 0 && by_pass[3] > 0 && by_pass[4] > 0);
}

/* pm_linebreak_each gives, for each looseness, what pm_linebreak gives alone: breaks,
 * ratios, pass and demerits (the passes are shared; only the choice at the end differs). */
static void test_each_looseness(void **state)
{
    (void)state;
    rng_state = 777;
    static const int sets[][3] = {{-1, 1, 0}, {1, -1, 0}, {-1, 1, 2}, {2, -2, 1}, {1, 0, 0}};
    static const int nsets[] = {2, 2, 3, 3, 1};
    int differ_between = 0;
    for (int c = 0; c < 3000; c++) {
        para pa;
        double widths[3];
        size_t nwidths;
        pm_lb_params p;
        random_paragraph(&pa, widths, &nwidths, &p);
        int s = (int)rnd(5), nl = nsets[s];
        pm_lb_result each[3];
        assert_int_equal(pm_linebreak_each(pa.it, pa.n, widths, nwidths, &p, sets[s], nl, each), 0);
        for (int k = 0; k < nl; k++) {
            pm_lb_params one = p;
            one.looseness = sets[s][k];
            pm_lb_result r;
            assert_int_equal(pm_linebreak(pa.it, pa.n, widths, nwidths, &one, &r), 0);
            assert_int_equal(r.n, each[k].n);
            assert_int_equal(r.pass, each[k].pass);
            assert_true(r.demerits == each[k].demerits);
            for (size_t j = 0; j < r.n; j++) {
                assert_int_equal(r.breaks[j].item, each[k].breaks[j].item);
                assert_true(r.breaks[j].ratio == each[k].breaks[j].ratio);
                assert_int_equal(r.breaks[j].overfull, each[k].breaks[j].overfull);
            }
            pm_lb_result_free(&r);
        }
        if (nl > 1 && each[0].n != each[1].n) differ_between++;
        for (int k = 0; k < nl; k++) pm_lb_result_free(&each[k]);
    }
    assert_true(differ_between > 100); /* (the looseness values did choose differently) */
    pm_lb_result none[2];
    assert_int_equal(pm_linebreak_each(NULL, 0, NULL, 0, NULL, (int[]){0, 1}, 2, none), -1);
}

/* ---- speed (printed, never asserted) ------------------------------------------------ */

static void test_speed(void **state)
{
    (void)state;
    /* 80 words of English-like lengths at 5 pt a letter, TeX's interword glue for a 10 pt
       font, a hyphenation point every 2-3 letters in words of 5 letters or more, and
       lines of about 65 characters */
    static const int lengths[] = {1, 2, 2, 3, 3, 3, 4, 4, 4, 5, 5, 6, 6, 7, 8, 9, 10, 12};
    para pa = {0};
    rng_state = 777;
    for (int k = 0; k < 80; k++) {
        if (k) glue(&pa, 3.33, 1.67, 1.11);
        int len = lengths[rnd(sizeof lengths / sizeof lengths[0])], done = 0;
        while (len - done >= 5) {
            int part = 2 + (int)rnd(2);
            box(&pa, 5.0 * part), pen(&pa, 50, 3.33, 1);
            done += part;
        }
        box(&pa, 5.0 * (len - done));
    }
    finish(&pa);
    pm_lb_params p;
    pm_lb_defaults(&p);
    int passes[5] = {0}, iterations = 3000;
    size_t lines = 0;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (int k = 0; k < iterations; k++) {
        pm_lb_result r;
        double w = 5.0 * (60 + k % 11); /* 60-70 characters: a mix of passes */
        assert_int_equal(pm_linebreak(pa.it, pa.n, &w, 1, &p, &r), 0);
        passes[r.pass]++;
        lines += r.n;
        pm_lb_result_free(&r);
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double us = (double)(t1.tv_sec - t0.tv_sec) * 1e6 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e3;
    print_message("speed: %zu items, %.1f lines, %.2f us per paragraph, %.1f items/us "
                  "(passes 1/2/3/4: %d/%d/%d/%d)\n",
                  pa.n, (double)lines / iterations, us / iterations,
                  (double)pa.n * iterations / us, passes[1], passes[2], passes[3], passes[4]);
    assert_int_equal(passes[4], 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_badness),
        cmocka_unit_test(test_tolerance_boundary),
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_bad_arguments),
        cmocka_unit_test(test_empty_paragraph),
        cmocka_unit_test(test_first_pass),
        cmocka_unit_test(test_total_fit_beats_first_fit),
        cmocka_unit_test(test_forced_and_forbidden),
        cmocka_unit_test(test_discarded_items),
        cmocka_unit_test(test_infinite_stretch),
        cmocka_unit_test(test_overfull),
        cmocka_unit_test(test_hang),
        cmocka_unit_test(test_hyphen_run_limit),
        cmocka_unit_test(test_hyphen_demerits),
        cmocka_unit_test(test_looseness),
        cmocka_unit_test(test_emergency_stretch),
        cmocka_unit_test(test_random_against_exhaustive),
        cmocka_unit_test(test_each_looseness),
        cmocka_unit_test(test_speed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
