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
    void *ud;
} pm_page_sink;

/* Lay out doc with spec into pages. Images come from the cache (errors name the content
 * line); pages keep references to them. sink may be NULL. Returns PM_OK and a new
 * layout, or an error code with diagnostics printed. */
int pm_flow(pm_setter *set, const pm_doc *doc, const pm_spec *spec, pm_imgcache *images,
            const pm_page_sink *sink, pm_layout **out, pm_flow_stats *stats);

/* Count widows, orphans and short pages (not ending on the last line of the text area,
 * the last page and pages before a forced break excepted) of a laid-out document. */
void pm_flow_check(const pm_layout *lay, const pm_spec *spec, pm_flow_stats *stats);

/* Format a page number: arabic, roman, Roman, alpha, Alpha. */
void pm_format_number(int n, int fmt, char *buf, size_t len);

#endif
