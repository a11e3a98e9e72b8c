/* breaks.c - break: choose where a collected paragraph's lines end (Knuth-Plass in
 * linebreak.c), as TeX does: a first pass without hyphenation points and, only when
 * that fails, the points looked up and the full passes. Then the lines are built
 * (line.c), or for the page builder's trials only measured. */
#include <math.h>
#include <string.h>
#include <stdlib.h>

#include "text/para-imp.h"

static int breaks_in(pm_shaped *p, pm_lb_params *lpp, const double *widths, size_t nw, const int *loose, int n,
                     pm_lb_result *res);

/* Choose the breaks: TeX's first pass (no hyphenation, within the pretolerance) and,
 * if that fails, the hyphenation points and the full passes. For each of n looseness
 * values (n > 1: none 0) at once, in one run of the line breaker (linebreak.h:
 * pm_linebreak_each). Returns 0 and the breaks in res[0..n) (freed by the caller), or -1. */
static int choose_breaks(pm_setter *s, pm_shaped *p, const int *loose, int n, pm_lb_result *res)
{
    pm_lb_params lp;
    pm_lb_defaults(&lp);
    lp.tolerance = p->st.tolerance;
    lp.looseness = loose[0];
    lp.emergency_stretch = 2 * pm_font_size(s->spec, p->st.font);
    double one = p->st.width, *widths = &one;
    size_t nw = 1;
    if (p->st.nshape > 0) { /* each line as wide as its shape leaves it */
        nw = (size_t)p->st.nshape;
        widths = pm_xmalloc(nw * sizeof *widths);
        for (size_t k = 0; k < nw; k++) widths[k] = p->st.width - p->st.shape[k];
    }
    int rc = breaks_in(p, &lp, widths, nw, loose, n, res);
    if (widths != &one) free(widths);
    return rc;
}

static void free_results(pm_lb_result *res, int n)
{
    for (int k = 0; k < n; k++) pm_lb_result_free(&res[k]);
}

/* choose_breaks with the lines' widths. */
static int breaks_in(pm_shaped *p, pm_lb_params *lpp, const double *widths, size_t nw, const int *loose, int n,
                     pm_lb_result *res)
{
    pm_lb_params lp = *lpp;
    memset(res, 0, (size_t)n * sizeof *res);
    if (!p->hyphenated && lp.looseness && p->st.hyphenate) pm_shaped_collect(p, 1); /* all the breaks there are */
    if (!p->hyphenated) {
        /* Most paragraphs that pass the first pass never need their hyphenation points
           looked up. */
        pm_lb_params first = lp;
        first.tolerance = lp.pretolerance;
        first.pretolerance = -1;
        first.emergency_stretch = 0;
        if (!p->st.hyphenate) first = lp;
        int done = pm_linebreak_each(p->items, p->nitems, widths, nw, &first, loose, n, res) == 0;
        for (int k = 0; done && p->st.hyphenate && k < n; k++) done = res[k].pass == 2;
        if (done) return 0;
        free_results(res, n);
        if (p->st.hyphenate) pm_shaped_collect(p, 1);
    }
    lp.pretolerance = -1; /* the first pass is known to fail */
    int ok = pm_linebreak_each(p->items, p->nitems, widths, nw, &lp, loose, n, res) == 0;
    for (int k = 0; ok && k < n; k++) ok = res[k].n > 0;
    if (!ok) {
        free_results(res, n);
        return -1;
    }
    return 0;
}

void pm_para_break(pm_setter *s, pm_shaped *p, int looseness, pm_arena *a, pm_para *out)
{
    memset(out, 0, sizeof *out);
    out->leading = p->leading;
    pm_lb_result res;
    if (choose_breaks(s, p, &looseness, 1, &res) < 0) {
        out->lines = pm_arena_alloc(a, sizeof(pm_line));
        return;
    }
    out->pass = res.pass;
    out->demerits = res.demerits;
    out->lines = pm_arena_array(a, res.n, sizeof(pm_line));
    size_t from = 0;
    for (size_t k = 0; k < res.n; k++) {
        pm_break *b = &res.breaks[k];
        pm_shaped_line(p, a, from, b->item, b->ratio, (int)k, b->overfull, &out->lines[k]);
        out->nlines++;
        from = b->item + 1; /* the next line starts after discardable items */
    }
    pm_lb_result_free(&res);
}

/* The trial of the breaks in res. */
static void trial_of(const pm_shaped *p, const pm_lb_result *res, pm_para_trial *out)
{
    out->nlines = (int)res->n;
    out->pass = res->pass;
    out->demerits = res->demerits;
    out->max_ratio = -HUGE_VAL;
    out->min_ratio = HUGE_VAL;
    for (size_t k = 0; k < res->n; k++) {
        const pm_break *b = &res->breaks[k];
        if (b->overfull) out->overfull = 1;
        if (k + 1 < res->n || res->n == 1) { /* the last line is not justified */
            out->max_ratio = fmax(out->max_ratio, b->ratio);
            out->min_ratio = fmin(out->min_ratio, b->ratio);
        }
    }
    /* the last line's natural width: from the first box after the second-to-last break */
    size_t from = res->n > 1 ? res->breaks[res->n - 2].item + 1 : 0;
    double w = 0;
    for (size_t i = from; i < res->breaks[res->n - 1].item; i++)
        if (p->items[i].type != PM_ITEM_PENALTY && p->items[i].stretch < PM_FIL_STRETCH &&
            (p->items[i].type == PM_ITEM_BOX || w > 0))
            w += p->items[i].width;
    out->last_width = w;
}

void pm_para_try(pm_setter *s, pm_shaped *p, int looseness, pm_para_trial *out)
{
    pm_para_try_each(s, p, &looseness, 1, out);
}

void pm_para_try_each(pm_setter *s, pm_shaped *p, const int *loose, int n, pm_para_trial *out)
{
    pm_lb_result res[PM_LB_MAX_EACH];
    memset(out, 0, (size_t)n * sizeof *out);
    int together = n <= PM_LB_MAX_EACH;
    for (int k = 0; n > 1 && k < n; k++) together &= loose[k] != 0;
    if (!together || choose_breaks(s, p, loose, n, res) < 0) {
        for (int k = 0; n > 1 && k < n; k++) pm_para_try(s, p, loose[k], &out[k]); /* one at a time, then */
        return;
    }
    for (int k = 0; k < n; k++) {
        trial_of(p, &res[k], &out[k]);
        pm_lb_result_free(&res[k]);
    }
}
