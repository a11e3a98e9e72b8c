/* linebreak.h - total-fit line breaking (Knuth & Plass, "Breaking Paragraphs into
 * Lines", 1981; TeX: The Program, part 38-39) over an abstract item list.
 *
 * Input: boxes (fixed width), glue (width, stretch, shrink) and penalties (a possible
 * break with a cost; flagged = a hyphenation break), plus the widths of the lines.
 * A line from break a to break b is measured as its natural width less the hang of its
 * first box and of b (margin kerning: punctuation set partly in the margin).
 * Output: the chosen breakpoints with each line's adjustment ratio. No fonts and no text
 * here: items.c builds the item list from Pango's measurements, and the unit tests
 * build it by hand. */
#ifndef PM_LINEBREAK_H
#define PM_LINEBREAK_H

#include <stddef.h>
#include <stdint.h>

typedef enum { PM_ITEM_BOX, PM_ITEM_GLUE, PM_ITEM_PENALTY } pm_item_type;

#define PM_INF_PENALTY 10000 /* penalty >= this forbids a break, <= -this forces one */

typedef struct pm_item {
    pm_item_type type;
    unsigned char flagged; /* penalty only: a hyphen break (consecutive ones cost extra) */
    int penalty;           /* penalty only */
    double width;          /* box/glue: natural width; penalty: width added when breaking here
                              (the hyphen) */
    double stretch;        /* glue only; >= PM_FIL_STRETCH counts as infinite (fil) */
    double shrink;         /* glue only; finite */
    uint32_t pos;          /* caller's data (items.c: byte offset in the text) */
    /* margin kerning (protrusion): how far a line may reach past its width; the margin at
       the line's start and end (left and right in left-to-right text, the other way
       round in right-to-left text: line.c places them) */
    double hang_left;      /* box: into the start margin, when the box starts a line */
    double hang_right;     /* glue/penalty: into the end margin, when a line ends here */
} pm_item;

#define PM_FIL_STRETCH 1e6 /* glue stretch at or above this is infinite */

typedef struct pm_lb_params {
    double pretolerance;   /* first pass, flagged penalties ignored (no hyphenation);
                              < 0 skips the first pass. TeX default 100 */
    double tolerance;      /* second pass, badness limit. TeX default 200 */
    double emergency_stretch; /* third pass if the second finds nothing: this much extra
                                 (non-infinite) stretch per line, in the same units as widths */
    double line_penalty;   /* added to badness before squaring. TeX 10 */
    double double_hyphen_demerits; /* two flagged breaks in a row. TeX 10000 */
    double final_hyphen_demerits;  /* flagged break on the last full line. TeX 5000 */
    double adj_demerits;   /* fitness classes of neighbouring lines more than one apart. 10000 */
    int max_hyphen_run;    /* at most this many consecutive lines end in a flagged break;
                              0 = no limit */
    int looseness;         /* 0: optimum. +n / -n: as close as possible to optimum+n lines */
} pm_lb_params;

/* TeX-like defaults, max_hyphen_run 2. */
void pm_lb_defaults(pm_lb_params *p);

enum { PM_FIT_TIGHT = 0, PM_FIT_DECENT = 1, PM_FIT_LOOSE = 2, PM_FIT_VERY_LOOSE = 3 };

typedef struct pm_break {
    size_t item;    /* index of the glue or penalty item where the line ends */
    double ratio;   /* adjustment ratio of that line: >0 stretched (by ratio*stretch),
                       <0 shrunk (by -ratio*shrink, never below -1 unless overfull);
                       0 when the line is short and has infinite stretch (a long one still
                       shrinks); -1 with overfull = 1 when it had nothing to shrink */
    int fitness;    /* PM_FIT_* */
    int overfull;   /* 1 when even full shrink could not make the line fit (last resort) */
} pm_break;

typedef struct pm_lb_result {
    pm_break *breaks; /* malloc'd, one per line in order; the last ends at the final item */
    size_t n;
    int pass;         /* 1, 2 or 3 (emergency); 4 = no solution within tolerance: lines
                         may be very loose, or overfull (see pm_break.overfull) */
    double demerits;  /* total demerits of the chosen solution */
} pm_lb_result;

/* Break items[0..n) into lines. Line k (0-based) has width widths[k], or
 * widths[nwidths-1] for k >= nwidths. The list must end with a forced break
 * (penalty <= -PM_INF_PENALTY), normally preceded by infinite glue (TeX's parfillskip).
 * A break at glue is allowed when the glue follows a box; a break at a penalty when
 * penalty < PM_INF_PENALTY. Glue and penalties right after a break (up to the next box or
 * forced break) are discarded from the next line, as in TeX.
 * Put a penalty >= PM_INF_PENALTY before the final glue, as TeX does, or a break is
 * allowed there; and infinite glue before a forced break in mid-paragraph.
 * All pointers must be non-NULL.
 * Always produces a solution (falling back to overfull lines, reported in pm_break).
 * Returns 0, or -1 on bad arguments (n == 0, no final forced break, nwidths == 0).
 * The caller frees res->breaks with pm_lb_result_free(). */
int pm_linebreak(const pm_item *items, size_t n, const double *widths, size_t nwidths,
                 const pm_lb_params *p, pm_lb_result *res);
void pm_lb_result_free(pm_lb_result *res);

/* Badness of stretching/shrinking a line: 100 * |ratio|^3 rounded half up, capped at
 * 10000 (close to, not bit-identical with, TeX's integer badness()); 10000 for an
 * overfull line. Exposed for tests. */
int pm_badness(double ratio);

/* pm_linebreak for each of nloose (at most PM_LB_MAX_EACH) looseness values, p's own
 * ignored, at the cost of about one: with looseness, what a pass finds does not depend on
 * its value, only which final node is chosen (TeX §875), so the passes are shared. res[k]
 * is what pm_linebreak gives with looseness loose[k]. With more than one, none may be 0
 * (a pass without looseness keeps one node per fitness class, not per line). */
#define PM_LB_MAX_EACH 4
int pm_linebreak_each(const pm_item *items, size_t n, const double *widths, size_t nwidths,
                      const pm_lb_params *p, const int *loose, int nloose, pm_lb_result *res);

#endif
