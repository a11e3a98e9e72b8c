/* breaks.c - break: choose where a collected paragraph's lines end (Knuth-Plass in
 * linebreak.c), as TeX does: a first pass without hyphenation points and, only when
 * that fails, the points looked up and the full passes. Then the lines are built
 * (line.c), or for the page builder's trials only measured. */
#include <math.h>
#include <string.h>
#include <stdlib.h>

#include "text/para-imp.h"

static int breaks_in(pm_setter *s, pm_shaped *p, pm_lb_params *lpp, const double *widths, size_t nw,
                     pm_lb_result *res);
static int breaks_in_each(pm_shaped *p, pm_lb_params *lpp, const double *widths, size_t nw, const int *loose,
                          int n, pm_lb_result *res);
static int choose_breaks_each(pm_setter *s, pm_shaped *p, const int *loose, int n, pm_lb_result *res);

/* Choose the breaks: TeX's first pass (no hyphenation, within the pretolerance) and,
 * if that fails, the hyphenation points and the full passes. Returns 0 and the breaks
 * in res (freed by the caller), or -1. */
static int choose_breaks(pm_setter *s, pm_shaped *p, int looseness, pm_lb_result *res)
{
    return choose_breaks_each(s, p, &looseness, 1, res);
}

/* choose_breaks for each of n looseness values (n > 1: none 0) in one run of the line
 * breaker (linebreak.h: pm_linebreak_each). */
static int choose_breaks_each(pm_setter *s, pm_shaped *p, const int *loose, int n, pm_lb_result *res)
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
    int rc = n == 1 ? breaks_in(s, p, &lp, widths, nw, res) : breaks_in_each(p, &lp, widths, nw, loose, n, res);
    if (widths != &one) free(widths);
    return rc;
}

/* breaks_in for looseness values none of which is 0: the points are looked up at once
 * (breaks_in does so for any looseness), so breaks_in's first pass is the one of a style
 * not hyphenated, or none. */
static int breaks_in_each(pm_shaped *p, pm_lb_params *lpp, const double *widths, size_t nw, const int *loose,
                          int n, pm_lb_result *res)
{
    pm_lb_params lp = *lpp;
    if (!p->hyphenated && p->st.hyphenate) pm_shaped_collect(p, 1);
    if (p->hyphenated) lp.pretolerance = -1;
    if (pm_linebreak_each(p->items, p->nitems, widths, nw, &lp, loose, n, res) < 0) return -1;
    for (int k = 0; k < n; k++)
        if (!res[k].n) {
            for (int j = 0; j < n; j++) pm_lb_result_free(&res[j]);
            return -1;
        }
    return 0;
}

/* choose_breaks with the lines' widths. */
static int breaks_in(pm_setter *s, pm_shaped *p, pm_lb_params *lpp, const double *widths, size_t nw,
                     pm_lb_result *res)
{
    pm_lb_params lp = *lpp;
    memset(res, 0, sizeof *res);
    if (!p->hyphenated && lp.looseness && p->st.hyphenate) pm_shaped_collect(p, 1); /* all the breaks there are */
    if (!p->hyphenated) {
        /* Most paragraphs that pass the first pass never need their hyphenation points
           looked up. */
        pm_lb_params first = lp;
        first.tolerance = lp.pretolerance;
        first.pretolerance = -1;
        first.emergency_stretch = 0;
        if (!p->st.hyphenate) first = lp;
        if (pm_linebreak(p->items, p->nitems, widths, nw, &first, res) == 0 &&
            (!p->st.hyphenate || res->pass == 2))
            return 0;
        pm_lb_result_free(res);
        if (p->st.hyphenate) pm_shaped_collect(p, 1);
    }
    lp.pretolerance = -1; /* the first pass is known to fail */
    if (pm_linebreak(p->items, p->nitems, widths, nw, &lp, res) < 0 || !res->n) {
        pm_lb_result_free(res);
        return -1;
    }
    return 0;
}

void pm_para_break(pm_setter *s, pm_shaped *p, int looseness, pm_arena *a, pm_para *out)
{
    memset(out, 0, sizeof *out);
    out->leading = p->leading;
    pm_lb_result res;
    if (choose_breaks(s, p, looseness, &res) < 0) {
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
    if (n > 1) {
        int ok = n <= PM_LB_MAX_EACH;
        for (int k = 0; k < n; k++) ok &= loose[k] != 0;
        if (!ok || choose_breaks_each(s, p, loose, n, res) < 0) { /* one at a time, then */
            for (int k = 0; k < n; k++) pm_para_try(s, p, loose[k], &out[k]);
            return;
        }
    } else if (choose_breaks(s, p, loose[0], &res[0]) < 0) {
        return;
    }
    for (int k = 0; k < n; k++) {
        trial_of(p, &res[k], &out[k]);
        pm_lb_result_free(&res[k]);
    }
}
