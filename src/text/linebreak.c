/* linebreak.c - Knuth-Plass total-fit line breaking (see linebreak.h): the passes, the
 * active list and the choice of breakpoints. Follows TeX: The Program §813-890 and Knuth &
 * Plass (1981), with running sums stored in each node in place of TeX's delta nodes. */
#include "text/linebreak.h"

#include "base/arena.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>

#define INF_BAD 10000 /* TeX's inf_bad: the badness of a line that cannot stretch enough */
#define NO_ITEM ((size_t)-1)

/* Sums of the items [0, i) of the paragraph; a line's natural width, stretch and shrink are
 * the difference of two of these. Penalties add nothing (their width only counts at a break). */
typedef struct lb_sums {
    double width;
    double stretch; /* finite stretch */
    double shrink;
    double fil;     /* number of glues with infinite stretch */
} lb_sums;

/* A feasible breakpoint: an active node while lines may still end after it, and the
 * passive record of the best way to reach it (TeX's active and passive nodes in one).
 * Its identity is (item, fitness, run, line group): at most one node per combination. */
typedef struct lb_node lb_node;
struct lb_node {
    lb_node *next;         /* active list, sorted by line number */
    size_t start_item;     /* first item of the next line: discardables after `item` skipped */
    lb_sums start;         /* sums of the items [0, start_item) */
    double hang_left;      /* the next line's first box may hang this far into the margin */
    double total;          /* demerits of the best path from the paragraph start to here */
    int line;              /* lines so far = 0-based number of the line after this break */
    int run;               /* consecutive lines ending in a flagged break, ending here */
    int fitness;           /* PM_FIT_* of the line ending here */
    size_t item;           /* the break item; NO_ITEM for the paragraph start */
    const lb_node *prev;   /* the break before this one on the best path */
};

/* One pass over the paragraph (TeX §863): its settings, the active list, and the best
 * candidates for new nodes at the breakpoint being tried. */
typedef struct lb_pass {
    const pm_item *items;
    size_t n;
    const double *widths;
    size_t nwidths;
    const pm_lb_params *p;
    pm_arena *arena;

    double threshold;   /* badness limit of a feasible line */
    double max_ratio;   /* stretch ratios above this have badness > threshold */
    double emergency;   /* extra stretch per line (pass 3 and 4) */
    int allow_flagged;  /* flagged penalties are breakpoints (not in pass 1) */
    int final;          /* pass 4: keep the best infeasible line rather than fail */
    int run_limit;      /* most consecutive flagged breaks; 0 = no limit to track */
    int by_line;        /* looseness: every line number is its own group */
    int easy_line;      /* without looseness, lines >= this share a width and a group */

    lb_sums sums;       /* sums of the items before the current one */
    lb_node *active;
    size_t after_item;  /* cache: where the line after the current break starts */
    lb_sums after;      /* ... and the sums there */

    /* best way to reach the current breakpoint, per slot run * 4 + fitness (TeX's
       minimal_demerits and best_place); runs lo..hi hold candidates when `have` */
    double *slot_total;
    lb_node **slot_from;
    int slot_lo, slot_hi, have;

    lb_node *dead, **dead_tail; /* pass 4: nodes deactivated at the current breakpoint */
} lb_pass;

/* 100 |r|^3 rounded to nearest (so 0.5 gives 13, where TeX's integer badness() gives 12),
 * capped at inf_bad; a line shrunk beyond its shrink (r < -1) is overfull: inf_bad too. */
int pm_badness(double ratio)
{
    if (ratio < -1.0) return INF_BAD;
    double r = fabs(ratio);
    if (!(r < 4.7)) return INF_BAD; /* 100 * 4.7^3 > 10000; also catches NaN */
    double b = 100.0 * r * r * r;
    return b >= INF_BAD - 0.5 ? INF_BAD : (int)(b + 0.5);
}

/* A ratio above which pm_badness() exceeds the threshold, a little high to be safe from
 * rounding: 100 r^3 > floor(t) + 0.5 rounds above t. With no limit (pass 4), none: even a
 * line that cannot stretch at all, or has negative stretch, is kept. */
static double max_feasible_ratio(double threshold)
{
    if (threshold >= INF_BAD) return NAN; /* every comparison with it is false */
    return cbrt((floor(threshold) + 0.5) / 100) * (1 + 1e-9);
}

void pm_lb_defaults(pm_lb_params *p)
{
    p->pretolerance = 100;
    p->tolerance = 200;
    p->emergency_stretch = 0;
    p->line_penalty = 10;
    p->double_hyphen_demerits = 10000;
    p->final_hyphen_demerits = 5000;
    p->adj_demerits = 10000;
    p->max_hyphen_run = 2;
    p->looseness = 0;
}

void pm_lb_result_free(pm_lb_result *res)
{
    if (!res) return;
    free(res->breaks);
    res->breaks = NULL;
    res->n = 0;
}

static void add_item(lb_sums *s, const pm_item *it)
{
    if (it->type == PM_ITEM_BOX) {
        s->width += it->width;
    } else if (it->type == PM_ITEM_GLUE) {
        s->width += it->width;
        if (it->stretch >= PM_FIL_STRETCH)
            s->fil += 1;
        else
            s->stretch += it->stretch;
        s->shrink += it->shrink;
    }
}

static double line_width(const lb_pass *ps, int line)
{
    size_t k = (size_t)line < ps->nwidths ? (size_t)line : ps->nwidths - 1;
    return ps->widths[k];
}

static int node_group(const lb_pass *ps, const lb_node *a)
{
    if (ps->by_line || a->line < ps->easy_line) return a->line;
    return ps->easy_line;
}

/* Where the line after a break at item i starts, and the sums there (TeX §837: the glue
 * and penalties after a break up to the next box or forced break are discarded). A break
 * inside the discardable run of the previous one starts at the same place. */
static void compute_after(lb_pass *ps, size_t i)
{
    if (i < ps->after_item) return;
    lb_sums s = ps->sums;
    add_item(&s, &ps->items[i]);
    size_t j = i + 1;
    for (; j < ps->n; j++) {
        const pm_item *it = &ps->items[j];
        if (it->type == PM_ITEM_BOX) break;
        if (it->type == PM_ITEM_PENALTY && it->penalty <= -PM_INF_PENALTY) break;
        add_item(&s, it);
    }
    ps->after_item = j;
    ps->after = s;
}

/* Demerits of the line from a to the break at item i with badness b (TeX §859). */
static double line_demerits(const lb_pass *ps, const lb_node *a, int b, int fitness, int pen,
                            int flagged, int final_break)
{
    const pm_lb_params *p = ps->p;
    double d = p->line_penalty + b;
    d = fabs(d) >= 10000 ? 1e8 : d * d;
    if (pen > 0)
        d += (double)pen * pen;
    else if (pen < 0 && pen > -PM_INF_PENALTY)
        d -= (double)pen * pen;
    if (a->run > 0) {
        if (flagged)
            d += p->double_hyphen_demerits;
        else if (final_break)
            d += p->final_hyphen_demerits;
    }
    if (abs(fitness - a->fitness) > 1) d += p->adj_demerits;
    return d;
}

/* The left hang of a line starting at item j: its first box's. */
static double first_hang(const pm_item *items, size_t n, size_t j)
{
    return j < n && items[j].type == PM_ITEM_BOX ? items[j].hang_left : 0;
}

/* How much wider than its width a line from node a to the break at item i may be. */
static double line_hang(const pm_item *items, const lb_node *a, size_t i)
{
    return a->hang_left + items[i].hang_right;
}

static lb_node *new_node(lb_pass *ps, const lb_node *from, size_t i, double total,
                         int fitness, int run)
{
    lb_node *nd = pm_arena_alloc(ps->arena, sizeof *nd);
    nd->start_item = ps->after_item;
    nd->start = ps->after;
    nd->hang_left = first_hang(ps->items, ps->n, ps->after_item);
    nd->total = total;
    nd->line = from->line + 1;
    nd->run = run;
    nd->fitness = fitness;
    nd->item = i;
    nd->prev = from;
    return nd;
}

static void record_candidate(lb_pass *ps, int run, int fitness, double total, lb_node *from)
{
    int s = run * 4 + fitness;
    if (total <= ps->slot_total[s]) { /* <=: like TeX, a later node wins a tie */
        ps->slot_total[s] = total;
        ps->slot_from[s] = from;
    }
    if (!ps->have) {
        ps->have = 1;
        ps->slot_lo = ps->slot_hi = run;
    } else if (run < ps->slot_lo) {
        ps->slot_lo = run;
    } else if (run > ps->slot_hi) {
        ps->slot_hi = run;
    }
}

/* Turn the recorded candidates of one line group into active nodes, inserted at *link
 * (TeX §835-836). A candidate is dropped when another one that allows at least as many
 * further hyphens costs adj_demerits less, or costs no more with the same fitness: it can
 * never lead to a better paragraph. Returns the link after the new nodes. */
static lb_node **insert_breaks(lb_pass *ps, lb_node **link, size_t i)
{
    double adj = fabs(ps->p->adj_demerits);
    double upto = HUGE_VAL, same_fit[4] = {HUGE_VAL, HUGE_VAL, HUGE_VAL, HUGE_VAL};
    compute_after(ps, i);
    for (int r = ps->slot_lo; r <= ps->slot_hi; r++) {
        double *tot = ps->slot_total + r * 4;
        for (int c = 0; c < 4; c++)
            if (tot[c] < upto) upto = tot[c];
        for (int c = 0; c < 4; c++) {
            double d = tot[c];
            if (d == HUGE_VAL) continue;
            if (d <= upto + adj && d < same_fit[c]) {
                lb_node *nd = new_node(ps, ps->slot_from[r * 4 + c], i, d, c, r);
                nd->next = *link;
                *link = nd;
                link = &nd->next;
                same_fit[c] = d;
            }
            tot[c] = HUGE_VAL;
        }
    }
    ps->have = 0;
    return link;
}

/* Pass 4 when every active node has just been deactivated by an overfull line at item i
 * and no feasible line ends there: keep the least overfull of those lines (TeX §854's
 * artificial_demerits, choosing among all candidates rather than only the last). If the
 * hyphen limit rules all of them out here, keep them active until a later breakpoint. */
static void rescue(lb_pass *ps, size_t i, int pen, int flagged)
{
    double pen_width = ps->items[i].type == PM_ITEM_PENALTY ? ps->items[i].width : 0;
    lb_node *best = NULL;
    double best_excess = 0;
    for (lb_node *a = ps->dead; a; a = a->next) {
        if (flagged && ps->run_limit && a->run + 1 > ps->run_limit) continue;
        double natural = ps->sums.width - a->start.width + pen_width;
        double excess = natural - (ps->sums.shrink - a->start.shrink) - line_width(ps, a->line) -
                        line_hang(ps->items, a, i);
        if (!best || excess < best_excess || (excess == best_excess && a->total < best->total)) {
            best = a;
            best_excess = excess;
        }
    }
    if (!best) {
        ps->active = ps->dead;
        return;
    }
    int run = flagged ? (ps->run_limit ? best->run + 1 : 1) : 0;
    double d = line_demerits(ps, best, INF_BAD, PM_FIT_TIGHT, pen, flagged, i == ps->n - 1);
    compute_after(ps, i);
    ps->active = new_node(ps, best, i, best->total + d, PM_FIT_TIGHT, run);
    ps->active->next = NULL;
}

/* Try every active node as the start of a line ending at item i (TeX §829 try_break,
 * §851-855 for badness and fitness, §859 demerits). The active list is walked in line-number
 * order; each time the line group changes, the best breaks found for the previous group
 * become new active nodes. */
static void try_break(lb_pass *ps, size_t i, int pen, int flagged)
{
    const int forced = pen <= -PM_INF_PENALTY;
    const int final_break = i == ps->n - 1;
    const double pen_width = ps->items[i].type == PM_ITEM_PENALTY ? ps->items[i].width : 0;
    const lb_sums cur = ps->sums;
    lb_node **link = &ps->active;
    int group = -1;
    double width = 0;

    ps->dead = NULL;
    ps->dead_tail = &ps->dead;
    for (;;) {
        lb_node *a = *link;
        int g = a ? node_group(ps, a) : INT_MAX;
        if (g != group) {
            if (ps->have) link = insert_breaks(ps, link, i);
            if (!a) break;
            group = g;
            width = line_width(ps, a->line);
        }
        if (a->start_item > i) { /* i is among the discarded items after a's break */
            link = &a->next;
            continue;
        }

        double shortfall = width + line_hang(ps->items, a, i) - (cur.width - a->start.width + pen_width);
        int b, fitness, deactivate = forced;
        if (shortfall > 0) {
            if (cur.fil - a->start.fil > 0) {
                b = 0;
                fitness = PM_FIT_DECENT;
            } else {
                double stretch = cur.stretch - a->start.stretch + ps->emergency;
                if (!forced && shortfall > ps->max_ratio * stretch) { /* too short: common */
                    link = &a->next;
                    continue;
                }
                b = stretch > 0 ? pm_badness(shortfall / stretch) : INF_BAD;
                fitness = b > 99 ? PM_FIT_VERY_LOOSE : b > 12 ? PM_FIT_LOOSE : PM_FIT_DECENT;
            }
        } else if (shortfall < 0) {
            double shrink = cur.shrink - a->start.shrink;
            if (-shortfall > shrink) { /* overfull: every later line from a is too */
                b = INF_BAD + 1;
                fitness = PM_FIT_TIGHT;
                deactivate = 1;
            } else {
                b = pm_badness(shortfall / shrink);
                fitness = b > 12 ? PM_FIT_TIGHT : PM_FIT_DECENT;
            }
        } else {
            b = 0;
            fitness = PM_FIT_DECENT;
        }

        if (b <= ps->threshold) {
            int run = 0, allowed = 1;
            if (flagged) {
                run = ps->run_limit ? a->run + 1 : 1;
                allowed = !ps->run_limit || run <= ps->run_limit;
                if (!allowed && ps->final) { /* a third hyphen in a row, not an overfull line
                                                (a narrow table column): counted as the limit */
                    run = ps->run_limit;
                    allowed = 1;
                }
            }
            if (allowed) {
                double d = line_demerits(ps, a, b, fitness, pen, flagged, final_break);
                record_candidate(ps, run, fitness, a->total + d, a);
            }
        }

        if (deactivate) {
            *link = a->next;
            if (ps->final) {
                a->next = NULL;
                *ps->dead_tail = a;
                ps->dead_tail = &a->next;
            }
        } else {
            link = &a->next;
        }
    }
    if (ps->final && !ps->active) rescue(ps, i, pen, flagged);
}

/* The best final node (TeX §874), or the one whose line count is nearest the requested
 * looseness (§875). *exact tells whether the looseness was met. */
static lb_node *choose_final(const lb_pass *ps, int looseness, int *exact)
{
    lb_node *best = NULL;
    for (lb_node *a = ps->active; a; a = a->next)
        if (!best || a->total < best->total) best = a;
    *exact = 1;
    if (!best || looseness == 0) return best;

    int best_line = best->line, actual = 0;
    double fewest = best->total;
    for (lb_node *a = ps->active; a; a = a->next) {
        int diff = a->line - best_line;
        if ((diff < actual && looseness <= diff) || (diff > actual && looseness >= diff)) {
            best = a;
            actual = diff;
            fewest = a->total;
        } else if (diff == actual && a->total < fewest) {
            best = a;
            fewest = a->total;
        }
    }
    *exact = actual == looseness;
    return best;
}

/* One pass over the items (TeX §863-873): every legal breakpoint is tried in order. 0
 * when no feasible solution exists; else the active list holds the final nodes. */
static int run_pass(lb_pass *ps)
{
    lb_node *start = pm_arena_alloc(ps->arena, sizeof *start);
    start->fitness = PM_FIT_DECENT;
    start->item = NO_ITEM;
    start->hang_left = first_hang(ps->items, ps->n, 0);
    ps->active = start;
    ps->sums = (lb_sums){0, 0, 0, 0};
    ps->after_item = 0;
    ps->have = 0;

    for (size_t i = 0; i < ps->n; i++) {
        const pm_item *it = &ps->items[i];
        if (it->type == PM_ITEM_GLUE) {
            if (i > 0 && ps->items[i - 1].type == PM_ITEM_BOX) {
                try_break(ps, i, 0, 0);
                if (!ps->active) return 0;
            }
        } else if (it->type == PM_ITEM_PENALTY && it->penalty < PM_INF_PENALTY) {
            int forced = it->penalty <= -PM_INF_PENALTY;
            int flagged = it->flagged && !forced;
            if (!flagged || ps->allow_flagged) {
                try_break(ps, i, it->penalty, flagged);
                if (!ps->active) return 0;
            }
        }
        add_item(&ps->sums, it);
    }
    return 1;
}

/* The lines of the solution ending at node `last`, with their adjustment ratios (TeX §877
 * post_line_break, §658 for the glue setting). The sums are rebuilt in the same order as
 * during the pass, so overfull here means exactly what it meant there. */
static void build_result(const pm_item *items, size_t n, const double *widths, size_t nwidths,
                         const lb_node *last, pm_arena *arena, pm_lb_result *res)
{
    size_t k = 0;
    for (const lb_node *q = last; q->prev; q = q->prev) k++;
    const lb_node **chain = pm_arena_array(arena, k, sizeof *chain);
    size_t j = k;
    for (const lb_node *q = last; q->prev; q = q->prev) chain[--j] = q;

    res->breaks = pm_xcalloc(k, sizeof *res->breaks);
    res->n = k;
    lb_sums sums = {0, 0, 0, 0};
    for (size_t i = 0; i < n && j < k; i++) {
        if (i == chain[j]->item) {
            const lb_node *nd = chain[j], *from = nd->prev;
            double pen_width = items[i].type == PM_ITEM_PENALTY ? items[i].width : 0;
            double width = widths[j < nwidths ? j : nwidths - 1];
            double shortfall = width + line_hang(items, from, i) - (sums.width - from->start.width + pen_width);
            double stretch = sums.stretch - from->start.stretch;
            double shrink = sums.shrink - from->start.shrink;
            pm_break *br = &res->breaks[j];
            br->item = i;
            br->fitness = nd->fitness;
            br->ratio = 0;
            br->overfull = 0;
            int fil = sums.fil - from->start.fil > 0;
            if (shortfall > 0) {
                if (!fil && stretch > 0) br->ratio = shortfall / stretch;
            } else if (shortfall < 0) {
                br->overfull = -shortfall > shrink;
                /* with nothing to shrink, report full shrinking as TeX's glue_set does */
                br->ratio = shrink > 0 ? shortfall / shrink : -1.0;
            }
            j++;
        }
        add_item(&sums, &items[i]);
    }
}

static int bad_arguments(const pm_item *items, size_t n, const double *widths, size_t nwidths,
                         const pm_lb_params *p, size_t *nflagged)
{
    if (!items || n == 0 || !widths || nwidths == 0 || !p || p->max_hyphen_run < 0) return 1;
    const pm_item *last = &items[n - 1];
    if (last->type != PM_ITEM_PENALTY || last->penalty > -PM_INF_PENALTY) return 1;
    *nflagged = 0;
    for (size_t i = 0; i < n; i++) {
        const pm_item *it = &items[i];
        if (it->type != PM_ITEM_BOX && it->type != PM_ITEM_GLUE && it->type != PM_ITEM_PENALTY)
            return 1;
        if (it->type == PM_ITEM_PENALTY && it->flagged && it->penalty < PM_INF_PENALTY &&
            it->penalty > -PM_INF_PENALTY)
            (*nflagged)++;
    }
    return 0;
}

/* The passes (TeX §863): 1 without hyphenation at pretolerance, 2 with it at tolerance,
 * 3 with emergency stretch, and 4, which always succeeds: unlike TeX's final pass it
 * accepts any line that is not overfull (badness up to inf_bad), so it is still the
 * optimum among such solutions, and it falls back on rescue() only when every line is
 * overfull. With looseness, a pass that misses it is kept only if no later regular pass
 * finds a solution (§873). */
int pm_linebreak(const pm_item *items, size_t n, const double *widths, size_t nwidths,
                 const pm_lb_params *p, pm_lb_result *res)
{
    return p ? pm_linebreak_each(items, n, widths, nwidths, p, &p->looseness, 1, res) : -1;
}

int pm_linebreak_each(const pm_item *items, size_t n, const double *widths, size_t nwidths,
                      const pm_lb_params *p, const int *loose, int nloose, pm_lb_result *res)
{
    if (!res || nloose < 1 || nloose > PM_LB_MAX_EACH) return -1;
    for (int k = 0; k < nloose; k++) {
        res[k].breaks = NULL;
        res[k].n = 0;
        res[k].pass = 0;
        res[k].demerits = 0;
        if (nloose > 1 && !loose[k]) return -1; /* (the passes are shared only with looseness) */
    }
    size_t nflagged = 0;
    if (bad_arguments(items, n, widths, nwidths, p, &nflagged)) return -1;

    lb_pass ps = {.items = items, .n = n, .widths = widths, .nwidths = nwidths, .p = p};
    ps.arena = pm_arena_new();
    /* the run of flagged breaks is tracked only if the limit can be reached */
    ps.run_limit = (size_t)p->max_hyphen_run < nflagged ? p->max_hyphen_run : 0;
    ps.by_line = loose[0] != 0;
    ps.easy_line = nwidths - 1 < (size_t)INT_MAX ? (int)(nwidths - 1) : INT_MAX;
    int nslots = 4 * ((ps.run_limit ? ps.run_limit : 1) + 1);
    ps.slot_total = pm_arena_array(ps.arena, (size_t)nslots, sizeof *ps.slot_total);
    ps.slot_from = pm_arena_array(ps.arena, (size_t)nslots, sizeof *ps.slot_from);
    for (int s = 0; s < nslots; s++) ps.slot_total[s] = HUGE_VAL;

    const int last_regular = p->emergency_stretch > 0 ? 3 : 2;
    const lb_node *found[PM_LB_MAX_EACH] = {0}, *fallback[PM_LB_MAX_EACH] = {0};
    int found_pass[PM_LB_MAX_EACH] = {0}, fallback_pass[PM_LB_MAX_EACH] = {0}, left = nloose;
    for (int pass = 1; pass <= 4 && left; pass++) {
        if (pass == 1 && p->pretolerance < 0) continue;
        if (pass == 3 && !(p->emergency_stretch > 0)) continue;
        if (pass == 4) { /* a looseness missed by a regular pass takes that pass's solution */
            for (int k = 0; k < nloose; k++)
                if (!found[k] && fallback[k]) {
                    found[k] = fallback[k];
                    found_pass[k] = fallback_pass[k];
                    left--;
                }
            if (!left) break;
        }
        ps.threshold = pass == 1 ? p->pretolerance : pass == 4 ? INF_BAD : p->tolerance;
        ps.max_ratio = max_feasible_ratio(ps.threshold);
        ps.allow_flagged = pass > 1;
        ps.emergency = pass >= 3 && p->emergency_stretch > 0 ? p->emergency_stretch : 0;
        ps.final = pass == 4;
        if (!run_pass(&ps)) continue;
        for (int k = 0; k < nloose; k++) {
            if (found[k]) continue;
            int exact = 1;
            const lb_node *sol = choose_final(&ps, loose[k], &exact);
            if (!sol) continue;
            if (exact || pass >= last_regular) {
                found[k] = sol;
                found_pass[k] = pass;
                left--;
            } else {
                fallback[k] = sol;
                fallback_pass[k] = pass;
            }
        }
    }

    /* pass 4 cannot fail: its last active node is never dropped */
    for (int k = 0; k < nloose; k++) {
        build_result(items, n, widths, nwidths, found[k], ps.arena, &res[k]);
        res[k].pass = found_pass[k];
        res[k].demerits = found[k]->total;
    }
    pm_arena_drop(ps.arena);
    return 0;
}
