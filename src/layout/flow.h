/* flow.h - the page builder: a document's blocks, set as paragraphs, flowed into pages.
 *
 * Builds a vertical list (lines, glue, penalties, figures) and breaks it into pages the
 * way TeX's page builder does, choosing the least-cost break on each page, with widow,
 * orphan and keep-with-next penalties, figures that float to the next page when they do
 * not fit, footnotes on the page of their reference, a cover page from the front matter,
 * an optional pinned back cover, and running heads and page numbers. */
#ifndef PM_FLOW_H
#define PM_FLOW_H

#include "input/doc.h"
#include "layout/frame.h"
#include "image/imgcache.h"
#include "text/paragraph.h"
#include "input/spec.h"

typedef struct pm_flow_stats {
    int figures_scaled;     /* figures scaled down to fit a page */
    int widows, orphans;    /* that could not be avoided */
    int short_pages;        /* pages ending above the last baseline (not the last page) */
} pm_flow_stats;

/* Told of each page as soon as it is complete (running heads, number and label
 * included), in order: an output can start writing while later pages are built. */
typedef struct pm_page_sink {
    void (*page)(void *ud, const pm_layout *lay, pm_page *page);
    /* Called when pm_flow fails after pages went to the sink, before it drops the layout
     * they belong to: the sink must be done with them when it returns. May be NULL. */
    void (*stop)(void *ud);
    /* How many of the pages given (the first ones, in order) it is done with: nothing it
     * does later reads them. The lines only those pages show are then released as the
     * pages are built (frame.h: pm_line_chunk), and whoever reads the layout after the
     * run may read the pages' items but not their lines. NULL: it keeps them all, and so
     * does the layout. */
    size_t (*done)(void *ud);
    void *ud;
} pm_page_sink;

/* Lay out doc with spec into pages. Images come from the cache (errors name the content
 * line); pages keep references to them. sink may be NULL. Returns PM_OK and a new
 * layout, or an error code with diagnostics printed. */
int pm_flow(pm_setter *set, const pm_doc *doc, const pm_spec *spec, pm_imgcache *images,
            const pm_page_sink *sink, pm_layout **out, pm_flow_stats *stats);

/* pm_flow with everything it can be told: the adjustments a page count asks for. */
typedef struct pm_flow_args {
    pm_setter *set;
    const pm_doc *doc;
    const pm_spec *spec;
    pm_imgcache *images;
    const pm_page_sink *sink;   /* may be NULL */
    struct fit_run *fit;        /* (layout/fit.c) */
    double lscale;              /* leading scaled by this (0: 1) */
    double taller;              /* the text area this much taller, in points */
    int notes_in_place;         /* a figure whose caption names a note never floats past
                                   text: the page ends before it instead, so the notes are
                                   printed in reading order whatever the pages (the way out
                                   when numbering the notes by the page does not settle) */
} pm_flow_args;
int pm_flow_run(const pm_flow_args *a, pm_layout **out, pm_flow_stats *stats);

/* Fitting the pages to a count (a booklet has a multiple of four). */
typedef struct pm_fit_opts {
    int pages;       /* > 0: this many pages; PM_FIT_NEAREST: the nearest multiple of 4 at
                        or below the natural count if it can be reached, else above; 0: as
                        they come */
    int runt;        /* a last page with fewer lines than this is pulled back (0: never) */
    int preflight;   /* no pages go to the sink */
    int probe;       /* only find out whether the count can be reached: the layout returned
                        is the natural one */
} pm_fit_opts;
#define PM_FIT_NEAREST (-1)
#define PM_FIT_RUNT (-3)   /* the natural count, a runt last page pulled back */

typedef struct pm_fit_report {
    int natural;     /* pages as they come */
    int target;      /* pages wanted (0: none) */
    int pages;       /* pages made */
    int lines_over;  /* when the target is not reached: lines too many (or, negative, too few) */
    char steps[6][200]; /* the adjustments made, in words */
    int nsteps;
} pm_fit_report;

/* Lay out as pm_flow does, adjusted to the page count fo asks for: paragraphs set a line
 * shorter or longer where it costs least, then the leading within 3 %, then the text area
 * a few points taller or shorter; never a font size, a widow or orphan, or a line looser
 * than the tolerance. What it did is in *rep. When the count cannot be reached the layout
 * is the natural one and rep->lines_over says by how much it misses. */
int pm_flow_fit(const pm_flow_args *a, const pm_fit_opts *fo, pm_layout **out, pm_flow_stats *stats,
                pm_fit_report *rep);

/* Lines of text on the last body page (before a back cover): the runt rule's measure. */
int pm_flow_last_lines(const pm_layout *lay);

/* Count widows, orphans and short pages (not ending on the last line of the text area,
 * the last page and pages before a forced break excepted) of a laid-out document. */
void pm_flow_check(const pm_layout *lay, const pm_spec *spec, pm_flow_stats *stats);

/* Format a page number: arabic, roman, Roman, alpha, Alpha. */
void pm_format_number(int n, int fmt, char *buf, size_t len);

#endif
