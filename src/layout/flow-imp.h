/* flow-imp.h - private to the page builder: its state, regions, the insertions accountant
 * and the entry points of its stages.
 *
 * The stages, one file each, in the order a document goes through them:
 *   collect.c  blocks of the document tree -> the vertical list (vlist.h)
 *   styles.c   the layout's styles of classes; boxes' START and END in the list
 *   headings.c heading numbers and titles; the contents list
 *   openings.c a section's first paragraph: drop cap, small caps
 *   table.c    a GFM table -> rows of the vertical list (column widths shared out)
 *   notes.c    footnotes set as paragraphs, and the accountant of what a page's foot holds
 *   compose.c  the page breaker: the vertical list -> one page plan at a time
 *   emit.c     a page plan -> the page's frame items (lines, figures, rules, notes)
 *   cover.c    the cover, and the back cover's QR code
 *   pages.c    running heads, page numbers and labels
 *   flow.c     the entry (pm_flow) and the checks of a finished layout
 *
 * A region is the area a vertical list is poured into (Typst's regions, SILE's frames):
 * the text area of a page today; a column, or a box nested in a column, are regions too.
 * Each region carries its insertions: the figures waiting to float to its top and the
 * rest of a footnote split at the foot of the region before. */
#ifndef PM_LAYOUT_FLOW_IMP_H
#define PM_LAYOUT_FLOW_IMP_H

#include <glib.h>

#include "layout/flow.h"
#include "layout/vlist.h"

/* A footnote, set. */
typedef struct notebox {
    pm_para para;
    double h;
    int printed;          /* placed on a page already (a note that refers to it then does
                             not bring it again) */
} notebox;

/* Lines [from, to) of footnote no, at the foot of a region. */
typedef struct note_part {
    int no, from, to;
} note_part;

/* The insertions accountant: which footnote lines a region's foot holds and how tall they
 * are together. The page breaker adds the notes of each line it passes (splitting the
 * last one when it must) and keeps a mark at the break it chooses; the page shows exactly
 * the parts up to that mark, at the height the accountant summed. */
typedef struct notes_acc {
    note_part *parts;
    int nparts, cap;
    double h;          /* separator + the parts' lines; 0 while there are none */
    int split;         /* a part ends before its note does (only one per region) */
    int may_split;     /* no carried note goes on past this region */
    int closed;        /* a carried note goes on past this region: it is the last note at
                          its foot, as a split note always is (TeX), so no other may follow */
    int held;          /* notes met while closed or after a split note: they cannot go at
                          this foot, so what refers to them cannot go in this region */
    int defer;         /* instead, such notes are held over to the next region's foot, after
                          the carried note (TeX's held-over insertions): the page breaker's
                          last resort, when ending the region before them breaks a rule or
                          its first item has more notes than it holds */
    int *over;         /* the notes held over, in order */
    int nover, over_cap;
    int dropped;       /* with defer: notes printed already, met again, left out instead of
                          held over (a repeat goes at the foot of its mark's page or not at
                          all) */
    int off;           /* counts nothing (columns are broken without; the page counts) */
    int again;         /* placing the notes held over from the region before: one of those
                          is held over again only past notes at this foot (else it goes
                          here, whatever its height: never held for ever) */
    int *seen;         /* per note number: met in this region */
} notes_acc;

/* The accountant's state at a point of the page breaker's walk. */
typedef struct notes_mark {
    int nparts;
    double h;
    int split;
    int held;
    int nover;
    int dropped;
} notes_mark;

typedef struct region {
    double w, h;            /* the measure, and the height (whole lines of the grid) */
    vfig **queue;           /* figures floated out of an earlier region, waiting */
    int nq, qcap;
    int carry_note, carry_from; /* a note split at the foot of the region before: its
                                   number (0: none) and its first line still to place */
    int *over;              /* notes held over from the region before (notes_acc.defer): */
    int nover, over_cap;    /* they come whole after the carried note */
    int notes_only;         /* the page being planned holds no text, only the carried
                               note (and figures at its top): the note may fill it */
    notes_acc acc;          /* filled by the page breaker for the region being planned */
    vfig **top;             /* the floated figures at the top of the page being planned: */
    int ntop;               /* their captions' notes go at its foot first */
    int defer_top;          /* the first of them was taken with its caption's notes that
                               cannot go at this foot held over (take_floats): the
                               accountant holds them over each time it begins the page */
} region;

/* A body paragraph in the vertical list, kept so that it can be set again a line
 * longer or shorter to fill a page (TeX's \looseness, as a compositor would). */
typedef struct vpara {
    const pm_text *text;
    pm_para_style st;
    const pm_font_spec *font;
    double x;
    const pm_line *marker;
    double marker_x;
    int para;             /* paragraph number shown in the dump */
    size_t first;         /* vertical-list index of its first line */
    int nlines;
    double demerits;
    int loose;            /* the looseness it has been set with */
    pm_shaped *shaped;    /* kept while its page is being built, or NULL */
    const vfig *after_fig; /* it follows this figure in the text (and so is not indented) */
    int band;             /* its lines' band (vitem.band) */
    int band_rtl;         /* (vitem.band_rtl) */
    const vbox *box;      /* the innermost box it is in (vitem.box) */
    const vhung *initial; /* a drop cap hung beside its first line, or NULL */
    int keep_first;       /* no page break between its first lines (a drop cap's) */
    double alt_indent;    /* its indent if that figure floats away */
    int borrowed;         /* shaped belongs to a fit's cache (not dropped with the paragraph) */
    const pm_snode *sn;   /* the list element its lines are in (vitem.sn) */
} vpara;

/* A heading as the contents list and the outline name it. */
typedef struct hinfo {
    const pm_block *h;
    const pm_text *text;  /* with its number in front (its own text when unnumbered) */
    const char *title;    /* the same, plain */
    const char *running;  /* for running heads: {short="..."}, else its text unnumbered */
    const char *number;   /* its number and the space after it, or NULL */
    int listed;           /* in the contents list */
} hinfo;

typedef struct fstate {
    pm_setter *set;
    const pm_doc *doc;
    const pm_spec *spec;
    pm_layout *lay;
    pm_arena *a;
    region *rg;           /* the region being filled */
    double L;             /* body leading: the grid */
    double lscale;        /* leading scaled to fit a page count (fit.c), else 1 */
    double taller;        /* the text area made this much taller to fit a page count */
    struct fit_run *fit;  /* a run of --pages fit (fit.c), or NULL */
    int para_no;
    pm_imgcache *images;
    const pm_image *cover_img; /* the cover's picture (cover.c) */
    notebox *notes;       /* [doc->nnotes] */
    int nnotes;
    double note_sep;
    vpara *paras;
    size_t nparas, capparas, released;
    int back;             /* collecting the back cover: centred, in the middle of the page */
    int banded;           /* columns were met: pages are planned in bands (columns.c) */
    int notes_in_place;   /* pm_flow_args.notes_in_place */
    struct qr_block *qr;  /* the back cover's QR code (cover.c, in the layout's arena), or NULL */
    const pm_page_sink *sink;
    const char *section;  /* the level-1 section of the last page finished */
    hinfo *heads;         /* the headings of the body, in order (headings.c) */
    int nheads;
    GHashTable *head_at;  /* heading block -> its hinfo */
    GHashTable *toc_pages; /* heading id -> page label, from the run before (NULL: none yet) */
    GString *buf;
    int rc;
    pm_flow_stats *stats;
    const pm_snode *sn;   /* the list element the leaf being collected is in, or NULL */
} fstate;

/* A font's leading in this run (scaled when fitting a page count). */
static inline double pm_flow_leading(const fstate *fs, const pm_font_spec *f)
{
    return pm_font_leading(fs->spec, f) * fs->lscale;
}

/* The width of one of cols columns across the region. */
double pm_column_width(const fstate *fs, int cols);
/* The gap between columns. */
double pm_column_gap(const fstate *fs);

/* ---- collect.c ---- */

/* What the containers around a block say about how it is set. */
typedef struct cframe {
    const pm_block *blk;  /* the container (NULL: the region itself) */
    double w;             /* the measure its indents are within: the region's width, or a
                             column's */
    int cols;             /* set in this many columns side by side (0: across the region) */
    int cols_rtl;         /* those columns run right to left (the direction of the
                             document, or of the columns div) */
    double left, right;   /* indents of its content from the measure's edges */
    int quote, list;      /* block quotes and lists it is in (itself included) */
    int tight;            /* the innermost list is tight */
    const pm_style_spec *box; /* it is a box (a div or a paragraph with a style, vlist.h) */
    int boxed;            /* boxes it is in (itself included) */
    double above;         /* a box: the space above it, in whole lines */
    const pm_style_spec *font_st; /* its paragraphs take this style's font (NULL: none) */
    int align;            /* the alignment a style gives its text (-1: none) */
} cframe;

/* Where the collector is in the document tree, and what came before: everything that
 * decides how the next leaf is set. Copied to look ahead (preshaping). */
typedef struct cursor {
    pm_walk w;
    cframe fr[2 * PM_MAX_BLOCK_DEPTH + 3];
    int nfr;
    const char *marker;       /* the marker of an item no leaf has taken yet */
    double marker_left;       /* that item's left edge */
    const pm_block *prev;     /* the leaf collected before (NULL after a page break) */
    const pm_block *prev_parent; /* its container */
    int prev_list;            /* its list depth */
    int after_fig;            /* figures came after prev */
    const pm_block *heading_open; /* the last heading, while nothing but thematic breaks
                                     came after it (else NULL) */
    double heads_h;           /* the height of those headings and rules from the first
                                 one's top (the space above it left out, as at a page's top) */
    double space;             /* space a block quote or a box asks for above the next leaf */
    size_t leaf;              /* leaves walked so far */
    int leaf_box;             /* the last leaf is a box of its own: its frame goes next */
} cursor;

/* Blocks become vertical-list items as the page builder needs them, so that pages can
 * be finished (and written) while later paragraphs are still to be set. */
#define PRESHAPE 12
typedef struct collector {
    cursor cur;
    vbox *open[2 * PM_MAX_BLOCK_DEPTH + 3]; /* the boxes open, outermost first */
    const pm_block *open_blk[2 * PM_MAX_BLOCK_DEPTH + 3]; /* the block of each */
    int nopen;
    int more;                 /* a leaf is left to collect */
    vfig *fig;                /* the last figure collected */
    pm_shaped *pre[PRESHAPE * 4]; /* paragraphs shaped before the first is set, by leaf number */
    int npre;
    pm_ahead *ahead;          /* words shaped ahead on a helper thread (first builds) */
    const pm_block *sn_blk[2 * PM_MAX_BLOCK_DEPTH + 3]; /* the lists and items the cursor is */
    const pm_snode *sn[2 * PM_MAX_BLOCK_DEPTH + 3];     /* in, outermost first, and their L or LBody */
    int nsn;
} collector;

void pm_collector_init(fstate *fs, collector *c, const pm_block *blocks, size_t n);
void pm_collector_done(collector *c);
/* Collect until the list from item i holds three pages' worth, or everything. */
void pm_collect_ahead(fstate *fs, vlist *vl, collector *c, size_t i);
/* Whether blocks are left to collect. */
static inline int pm_collector_more(const collector *c) { return c->more; }
/* The lines of paragraph vp as vertical-list items (widow and orphan penalties between). */
void pm_para_items(fstate *fs, vlist *vl, int vp, const pm_para *pp);
/* A new structure element (frame.h) in up, in the layout's arena. */
const pm_snode *pm_snode_new(fstate *fs, const char *role, const pm_snode *up);
pm_image *pm_flow_image(fstate *fs, const char *path, int line);

/* ---- chunks.c ---- */

/* The arena to set the lines of body paragraph vp in (its index in fs->paras; the next
 * one's when it is about to be collected): a chunk of the layout's, released as the
 * pages are drawn, when the sink tells which are (pm_page_sink.done); else fs->a. */
pm_arena *pm_lines_arena(fstate *fs, size_t vp);
/* The page builder has emitted the pages that hold the vertical list up to item i (all:
 * the whole list): the chunks it is past wait for the pages emitted so far, and the
 * chunks whose pages the sink is done with are released. */
void pm_release_lines(fstate *fs, size_t i, int all);

/* ---- styles.c ---- */

/* The style that makes block b a box (vlist.h), or NULL: for a div, the first of its
 * classes the layout has a style for; for a paragraph, the first whose style sets it
 * apart (space, edges, padding, a font of its own). */
const pm_style_spec *pm_box_style(const pm_spec *sp, const pm_block *b);
/* The alignment b's classes give it (the last that gives one), or -1. */
int pm_class_align(const pm_spec *sp, const pm_attrs *a);
/* The style whose font b's classes give it (the last that gives one), or NULL. */
const pm_style_spec *pm_class_font(const pm_spec *sp, const pm_attrs *a);
/* Warn once for each class in the document that neither the layout nor the page builder
 * knows (FILE:LINE:COL of its first use, naming the classes the layout defines). */
void pm_check_classes(const fstate *fs);
/* Open the boxes of the cursor's frames not open yet, and close those it has left: their
 * START and END items with the room around their text. all_closed: close every one. */
void pm_sync_boxes(fstate *fs, vlist *vl, collector *col, int all_closed);

/* ---- headings.c ---- */

/* Number the headings of blocks [0, nbody) (the body: not the back cover), and note which
 * the contents list shows. */
void pm_headings_prepare(fstate *fs, size_t nbody);
void pm_headings_free(fstate *fs);
/* The contents list, in frame fr (first: at the top of a page). */
void pm_add_toc(fstate *fs, vlist *vl, const cframe *fr, int first);
/* A heading in frame fr (first: at the top of a page): collect.c. */
void pm_add_heading(fstate *fs, vlist *vl, const pm_block *b, const cframe *fr, int first);

/* A heading's title as the outline and the contents show it (with its number) and as
 * running heads show it ({short="..."}, else the title without its number). */
void pm_heading_titles(const fstate *fs, const pm_block *h, const char **title, const char **running);
/* A heading's text with its number in front (or the text itself when it has none). */
const pm_text *pm_heading_text(const fstate *fs, const pm_block *h);
/* For a heading set in font with align: the lines after its first hang under its text,
 * clear of its number (a shape for pm_para_style, in the run's arena), or 0 when it has
 * no number or is not set flush left. */
int pm_heading_shape(fstate *fs, const pm_block *h, const pm_font_spec *font, pm_align align, const double **shape);

/* ---- openings.c ---- */

/* Whether paragraph b opens a section (a drop cap, small caps: `openings:` in a layout). */
int pm_opens_section(const fstate *fs, const cursor *c, const pm_block *b, const cframe *fr);
/* The opening paragraph b, set with st at left: the text to set (its initial taken out,
 * its first words in small caps), st with the drop cap's shape, and the initial to hang
 * beside its first line over *lines lines (NULL, 0: none). */
const pm_text *pm_opening(fstate *fs, const pm_block *b, pm_para_style *st, double left, const vhung **initial,
                          int *lines);

/* ---- table.c ---- */

void pm_add_table(fstate *fs, vlist *vl, const pm_block *b, const pm_para_style *base, double left);
/* Whether table b's longest words fit side by side in the measure of style base (in the
 * smaller font pm_add_table may take): in columns, a table that does not is set across
 * them (collect.c), rather than with its words broken. */
int pm_table_fits(fstate *fs, const pm_block *b, const pm_para_style *base);
/* Column widths for a table too wide for its natural widths (exposed for unit tests):
 * nr rows, nc columns, cn[r * nc + c] each cell's width on one line, nat[c] each column's
 * natural width, minw[c] its widest word, avail the width to share. */
void pm_share_columns(int nr, int nc, const double *cn, const double *nat, const double *minw, double avail,
                      double *w);

/* ---- notes.c ---- */

/* Set every footnote of the document (fs->notes). */
void pm_notes_set(fstate *fs);
/* Whether notes go on into the region from the one before (carried or held over). */
static inline int carries(const region *rg)
{
    return rg->carry_note || rg->nover;
}
/* Start accounting for a new region: the rest of a carried note comes first, then the
 * notes held over. */
void pm_acc_begin(const fstate *fs, region *rg, notes_acc *acc);
/* Add the notes line refers to, met when the region's content is used points tall. */
void pm_acc_line(const fstate *fs, const region *rg, notes_acc *acc, const pm_line *line, double used);
/* Add the notes a figure's caption refers to (the figure is placed, used points tall). */
void pm_acc_fig(const fstate *fs, const region *rg, notes_acc *acc, const vfig *f, double used);
/* Height the notes take at the foot, in whole lines (0 when none). */
double pm_acc_height(const fstate *fs, const notes_acc *acc);
/* Whether the region holds content used points tall with the notes acc sums at its foot:
 * they fit together, and only the last note goes on over the region (two lines of it at
 * least here, not ending on a broken word). */
int pm_acc_holds(const fstate *fs, const region *rg, const notes_acc *acc, double used);
static inline notes_mark pm_acc_mark(const notes_acc *acc)
{
    return (notes_mark){acc->nparts, acc->h, acc->split, acc->held, acc->nover, acc->dropped};
}
/* Take back what was added after mark m. */
void pm_acc_undo(notes_acc *acc, notes_mark m);
void pm_acc_free(notes_acc *acc);
/* Lines of the carried note that go into this region (all, or as many as leave a line of
 * text; as many as fill it when it holds no text, region.notes_only). */
int pm_carried_lines(const fstate *fs, const region *rg);
/* Draw the parts up to mark at the foot of page pg (text area tx, ty, tw, th), and
 * carry a split note over to the next region. */
void pm_emit_notes(fstate *fs, region *rg, pm_page *pg, notes_mark mark, double tx, double ty, double tw,
                   double th);

/* ---- compose.c ---- */

/* The best page break from item i of v[0..n): TeX's page builder. */
typedef struct page_break {
    size_t best;          /* the page is [i, best); best is the break item */
    int nfloated;         /* figures in [i, best) floated to a later page (in floated[]) */
    double ratio;         /* glue stretch ratio */
    double cost, shortfall;
    double used;          /* height of what the page holds (notes not counted) */
    int forced, end;
    int held;             /* the page ends before an item whose notes cannot follow the
                             carried note going on past it (notes_acc.closed) */
    notes_mark notes;     /* the footnotes the page holds */
    int broke;            /* no legal break fits: the page ends where a rule forbids it */
} page_break;

/* acc goes on from where it is: begin it (pm_acc_begin) for a new page. */
/* Whether paragraph trial t (set dl lines longer than its nlines) is well set: exactly
 * that many lines, no overfull or very loose line, no lonely syllable last. */
int pm_trial_good(const pm_para_style *st, int nlines, int dl, const pm_para_trial *t);

void pm_find_page(const fstate *fs, region *rg, notes_acc *acc, const vitem *v, size_t n, size_t i, double used0,
                  int queued, size_t *floated, page_break *r);
/* Break the vertical list into pages and emit them. */
void pm_compose(fstate *fs, vlist *vl, collector *col, pm_page_kind kind);

/* ---- emit.c ---- */

#define PM_MAX_COLS 4
/* A band of a page: a stretch across the region, or columns side by side. */
typedef struct band_plan {
    int cols;               /* 0: across the region */
    int rtl;                /* its columns run right to left: the first on the right */
    double y, h;            /* its top (below the region's top) and height */
    size_t from[PM_MAX_COLS], to[PM_MAX_COLS]; /* each column's items (across: [0]) */
    const vtable *repeat[PM_MAX_COLS]; /* a column that goes on with a table: its header
                                          first (as a page's, page_plan.repeat) */
    double ratio;           /* across: glue stretch */
    int broke;              /* a column ends where no break is legal (page_break.broke) */
} band_plan;

typedef struct page_plan {
    band_plan *bands;       /* a page of bands (columns), or NULL: [from, to) below */
    int nbands;
    size_t from, to;        /* vertical list items [from, to) */
    vfig **top;             /* floated figures placed at the top */
    int ntop;
    size_t *floated;        /* figure items in [from, to) moved to a later page */
    int nfloated;
    double ratio;           /* glue stretch ratio (flush bottom), 0 = natural */
    int middle;             /* centre the content vertically (the back cover) */
    notes_mark notes;       /* the footnotes at its foot */
    const vtable *repeat;   /* a table goes on here: its header first */
    int notes_only;         /* it holds no text: what comes next refers to notes that
                               cannot follow the carried note, which fills it */
} page_plan;

/* Height of a figure floated to the top of a region: no space above, its space below. */
double pm_float_height(const fstate *fs, const vfig *f);
void pm_emit_page(fstate *fs, vlist *vl, pm_page *pg, const page_plan *pl, int right);
pm_fitem *pm_line_item(fstate *fs, pm_page *pg, const pm_line *line, double x, double y, double h, unsigned flags);

/* ---- columns.c ---- */

/* Plan a page of bands from item *ip (used points taken by floats at its top) into pl,
 * the figures it floats in floated[] (pl->nfloated); *ip moves past what it holds.
 * Returns 1 when the page ends at a forced break. */
int pm_plan_banded(fstate *fs, vlist *vl, collector *col, size_t *ip, double used, page_plan *pl, size_t *floated);

/* ---- fit.c ---- */

/* What a paragraph costs set one line shorter ([0]) or longer ([1]), in demerits; ok
 * when it can be set so well. */
typedef struct fit_para {
    double cost[2];
    signed char ok[2];
} fit_para;

/* A run of the page builder for pm_flow_fit: the adjustments it makes, and (the first,
 * natural run) what each paragraph would cost set a line shorter or longer. */
/* A paragraph as every run of a fit sets it: shaped once, broken once per looseness. */
typedef struct fit_cached {
    pm_shaped *sh;           /* owned by the cache */
    pm_para_style st;
    pm_para lines[3];        /* by looseness + 1, in the cache's arena */
    unsigned char have[3];
    pm_para_trial trial[5];  /* the page builder's trials, by looseness + 2 */
    unsigned char have_trial[5];
} fit_cached;

struct fit_run {
    int record;              /* fill trials[] */
    fit_cached *cache;       /* by paragraph number - 1 */
    int ncache;
    pm_arena *arena;         /* the cached paragraphs' lines */
    fit_para *trials;        /* by paragraph number - 1 */
    int ntrials, cap;
    const signed char *loose; /* looseness by paragraph number - 1 (NULL: none) */
    int nloose;
    int hlines;              /* lines added to the space above headings (never below one) */
    double fspace;           /* the space around figures scaled by this (0: 1) */
};

/* The looseness a fit run sets paragraph number no with. */
int pm_fit_looseness(const fstate *fs, int no);
/* Paragraph number no with style st and looseness loose, set: from the fit's cache when
 * a run before set it (*sh borrowed from the cache, not to be dropped), else shaped (from
 * *sh if given) and broken, and kept. Returns 1 if the fit's cache was used (fs->fit). */
int pm_fit_para(fstate *fs, int no, const pm_text *text, const pm_para_style *st, int loose, pm_shaped **sh,
                pm_para *out);
/* The page builder's trial of paragraph P at looseness loose, from the fit's cache (tried
 * once for all the runs of a fit): 1, or 0 when P is not the cache's (then try it). */
int pm_fit_trial(fstate *fs, const vpara *P, int loose, pm_para_trial *t);
/* Record what paragraph number no (shaped sh, style st, nlines lines) costs a line shorter
 * or longer. */
void pm_fit_record(fstate *fs, int no, pm_shaped *sh, const pm_para_style *st, int nlines);

/* ---- cover.c ---- */

void pm_make_cover(fstate *fs);
/* The back cover's QR code of the front matter's url: encoded, with the text under it
 * set: fs->qr, and the height it takes off the back cover's text area (whole lines).
 * Returns 0 when there is none; sets fs->rc when it cannot be encoded. */
double pm_qr_prepare(fstate *fs);
/* The back cover's text area less the QR code's room (*ty, *th: the text area's). */
void pm_qr_room(const fstate *fs, double *ty, double *th);
/* The QR code and its text on the back cover page pg. */
void pm_qr_place(fstate *fs, pm_page *pg);

/* ---- pages.c ---- */

/* A page is complete: number, label, running heads; then it goes to the sink. */
void pm_finish_page(fstate *fs, pm_page *pg);

#endif
