/* vlist.h - the vertical list: what the collector makes of a document's blocks and the
 * page breaker cuts into pages (private to layout/).
 *
 * As in TeX, a vertical list is a sequence of lines (boxes of a fixed height), glue (space
 * that may stretch), penalties (a possible break with its cost) and, here, figures and
 * rules. Everything sits on a baseline grid of the body leading L: lines and the space
 * around headings, figures and tables come in whole lines. The list is plain data, so the
 * page breaker can be unit tested on hand-built lists (tests/unit/test_pages.c). */
#ifndef PM_LAYOUT_VLIST_H
#define PM_LAYOUT_VLIST_H

#include <math.h>
#include <stddef.h>

#include "input/doc.h"
#include "input/spec.h"
#include "layout/frame.h"

#define EPS 0.01
#define AWFUL_BAD 10000.0

typedef enum { V_LINE, V_GLUE, V_PENALTY, V_FIGURE, V_RULE, V_BOX_START, V_BOX_END } vkind;

/* A box: a div (or a paragraph) with a style that draws it, or sets it apart. Its START
 * and END items are marks in the list with no height: the page breaker passes over them
 * (but for keep-together, which makes every break inside illegal), and emit.c draws the
 * box's tint, border and rules for the stretch of it on each page, open where a page
 * breaks it. Its room above and below its text (padding and edges) is glue inside it, in
 * whole lines with what it holds, so the text after it stays on the grid. */
typedef struct vbox {
    const pm_style_spec *st;
    const struct vbox *parent; /* the box it is in, or NULL */
    double x, w;          /* its outer edges across the region */
    double top, bottom;   /* its top edge this far below its START item; its bottom edge
                             this far above its END item */
    int keep;             /* keep-together (cleared when it is taller than a region) */
    int band;             /* the band it is set in (vitem.band) */
} vbox;

/* A line hung beside a line of the list, on its baseline moved by dy: a drop cap, a
 * contents entry's leaders and page number. */
typedef struct vhung {
    const pm_line *line;
    double x, dy;
    unsigned flags;       /* PM_FL_* it is drawn with */
} vhung;

/* A figure: its image at its size on the page, and its caption's lines. */
typedef struct vfig {
    pm_image *img;
    double w, h;          /* image size on the page */
    double x;             /* left edge of the room it is centred in, within the region */
    double room;          /* width of that room */
    const pm_line *cap;   /* caption lines */
    int ncap;
    double cap_leading, cap_base, gap;
    const char *src;      /* the image as written in the content (the dump shows it) */
    int full;             /* the whole page width, edge to edge ({.bleed}, width=page) */
    int col_rtl;          /* set in a column of columns that run right to left: at the top
                             of a page it goes on the right, where the first column is */
    const char *alt;      /* its description for the PDF's structure (alt=, else the caption) */
} vfig;

typedef struct vtable vtable;

typedef struct vitem {
    vkind kind;
    double h;             /* height on the page */
    double stretch;       /* glue */
    int penalty;
    int band_rtl;         /* its band's columns run right to left (its container's
                             direction) */
    const pm_line *line;  /* V_LINE */
    double x;             /* left edge within the region */
    double base;          /* baseline below the item's top */
    const pm_line *marker; /* list marker hung left of the line */
    double marker_x;
    int para, lineno, nlines;
    int vp;               /* index of its paragraph record (fstate.paras), or -1 */
    const pm_block *heading; /* first line of a heading */
    vfig *fig;            /* V_FIGURE */
    double rule_w, rule_x, rule_at, rule_t; /* V_RULE: length, left edge in the region,
                             where in the item's height (0..1), thickness */
    int cell;             /* V_LINE: a table cell's line */
    int hline;            /* V_LINE: a heading's line */
    int band;             /* set in this many columns (0: across the region) */
    int across;           /* set across the columns its frame has (a spanning leaf) */
    const vtable *tbl;    /* a table's body rows (and what is between them): a page that
                             starts here repeats the table's header */
    const vbox *box;      /* V_BOX_START, V_BOX_END: the box; others: the innermost box
                             they are in (NULL: none) */
    const vhung *hung;    /* V_LINE: lines hung beside it */
    int nhung;
    unsigned fl;          /* V_LINE: frame flags it is drawn with (0: from its kind) */
    const pm_snode *sn;   /* V_LINE: the list or table element it is in (frame.h), or NULL */
} vitem;

/* A table's header as vertical-list items (top rule, header lines, the rule under them),
 * copied, to be drawn again at the top of each page the table goes on to. */
struct vtable {
    vitem *head;
    int nhead;
    double h;
};

typedef struct vlist {
    vitem *v;
    size_t n, cap;
    int mapped;           /* v is a mapping of its own (vlist.c), not a heap block */
} vlist;

/* Append an item (zeroed but for its kind; vp = -1). The pointer is valid until the next
 * append. */
vitem *pm_vpush(vlist *l, vkind kind);
/* Room for n items in all (v may move). */
void pm_vlist_reserve(vlist *l, size_t n);
void pm_vglue(vlist *l, double h, double stretch);
void pm_vpenalty(vlist *l, int p);
void pm_vlist_free(vlist *l);

/* v rounded up to whole lines of L. */
static inline double snap_up(double v, double L) { return ceil(v / L - 1e-6) * L; }

/* The baseline of a line in a slot of height h, for a font of size sz. */
static inline double slot_base(double h, double sz) { return h / 2 + 0.35 * sz; }

/* Whether item j of v may be a page break: a penalty, or glue right after a line, figure
 * or rule (TeX's rule for breaks at glue). */
static inline int vlist_legal(const vitem *v, size_t i, size_t j)
{
    return v[j].kind == V_PENALTY ||
           (v[j].kind == V_GLUE && j > i &&
            (v[j - 1].kind == V_LINE || v[j - 1].kind == V_FIGURE || v[j - 1].kind == V_RULE ||
             v[j - 1].kind == V_BOX_END));
}

#endif
