/* doc.h - the document tree: what the content parser produces and the page builder reads.
 *
 * A document is its metadata plus a tree of blocks. Leaves are what gets set (paragraphs,
 * headings, figures, code, tables, rules, page breaks); containers (block quotes, lists
 * and their items, fenced divs) hold blocks and say how they are set: a quote in a list
 * item is indented from the item's edge, a list in a quote from the quote's. Blocks carry
 * pandoc-style attributes ({#id .class key=value}) and a direction. Inline markup becomes
 * rich text: one UTF-8 string plus style spans over byte ranges. Everything is allocated
 * in the document's arena and dies with pm_doc_drop(). */
#ifndef PM_DOC_H
#define PM_DOC_H

#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"

/* Text direction of a block (its paragraphs' base direction). */
typedef enum { PM_DIR_LTR = 0, PM_DIR_RTL } pm_dir;

/* Inline styles (bit flags on a span). */
enum {
    PM_ST_ITALIC = 1 << 0,
    PM_ST_BOLD = 1 << 1,
    PM_ST_CODE = 1 << 2,
    PM_ST_STRIKE = 1 << 3,
    PM_ST_SUPER = 1 << 4,   /* footnote reference numbers */
    PM_ST_LINK = 1 << 5,
    PM_ST_SMALLCAPS = 1 << 6 /* (set by the page builder: a section's first words) */
};

typedef struct pm_span {
    uint32_t start, end;    /* byte range in pm_text.utf8 */
    unsigned style;         /* PM_ST_* */
    const char *url;        /* PM_ST_LINK: target ("#id" for an internal link) */
    int note;               /* PM_ST_SUPER for a footnote reference: note number, else 0 */
} pm_span;

/* Rich text. A hard line break is U+2028 in utf8. */
typedef struct pm_text {
    const char *utf8;
    uint32_t len;
    pm_span *spans;         /* sorted by start; may overlap (nested styles) */
    uint32_t nspans;
    int line;               /* source line of the first byte */
    uint32_t *line_starts;  /* byte offsets where source lines line+1, line+2, ... begin */
    uint32_t nline_starts;
} pm_text;

/* Source line of a byte offset inside a text. */
int pm_text_line_at(const pm_text *t, uint32_t offset);

typedef enum {
    PM_BLK_PARA,
    PM_BLK_HEADING,
    PM_BLK_FIGURE,
    PM_BLK_RULE,       /* thematic break */
    PM_BLK_PAGEBREAK,  /* \newpage */
    PM_BLK_CODE,       /* code block: text kept line by line, set in the mono font */
    PM_BLK_TABLE,      /* GFM table: cells, columns, alignments */
    PM_BLK_TOC,        /* the contents list: a paragraph '[[toc]]', or front matter 'toc: true' */
    /* containers: their blocks are kids[0..nkids) */
    PM_BLK_QUOTE,      /* block quote */
    PM_BLK_LIST,       /* a list: its kids are PM_BLK_ITEMs */
    PM_BLK_ITEM,       /* a list item: marker; never empty (an empty item holds an empty para) */
    PM_BLK_DIV         /* a fenced div (::: class ... :::): attrs.classes say what it is */
} pm_block_kind;

/* Nesting deeper than this (quotes, lists, divs) is an error in the content: the tree is
 * walked recursively. */
#define PM_MAX_BLOCK_DEPTH 12

/* Attributes written {#id .class key="value"}, as pandoc reads them. */
typedef struct pm_attrs {
    const char *id;
    const char **classes;
    int nclasses;
    const char **keys, **values;
    int nkv;
    int line, col;         /* where they were written (0: not known) */
} pm_attrs;

/* Whether attrs have class cls. */
int pm_attrs_has(const pm_attrs *a, const char *cls);
/* The value of key, or NULL. */
const char *pm_attrs_get(const pm_attrs *a, const char *key);

typedef struct pm_block pm_block;
struct pm_block {
    pm_block_kind kind;
    int line, col;         /* source line (and column, where known: a div's fence) */
    int level;             /* heading: 1..3 */
    pm_dir dir;            /* its {dir=rtl} or {lang=ar} attribute, else its container's,
                              else the document's */
    const char *lang;      /* its {lang=xx} attribute, else its container's, else the
                              document's (hyphenation) */
    pm_attrs attrs;
    /* containers */
    pm_block *kids;
    size_t nkids;
    const char *marker;    /* item: "•", "3." ... */
    int tight;             /* list: no space between its items */
    pm_text text;          /* para, heading, code; figure: the caption */
    const char *id;        /* heading: anchor name for bookmarks and internal links */
    /* figure */
    const char *src;       /* as written in the content */
    const char *path;      /* resolved against the content file's folder */
    double width;          /* > 0: share of the text width (0..1]; < 0: minus the width in
                              points; 0: automatic */
    /* table */
    int ncols, nrows;
    int header_rows;       /* the first rows are the header (GFM: one) */
    const char *aligns;    /* per column: 'l', 'c', 'r', or 0 (not given: left) */
    pm_text *cells;        /* nrows * ncols, row by row; a cell a row lacks is empty */
};

/* Whether a block holds blocks. */
static inline int pm_block_is_container(const pm_block *b)
{
    return b->kind >= PM_BLK_QUOTE;
}

/* A walk over blocks in document order (pre-order), entering and leaving containers. */
typedef enum { PM_WALK_END, PM_WALK_LEAF, PM_WALK_ENTER, PM_WALK_LEAVE } pm_walk_event;
typedef struct pm_walk {
    struct {
        const pm_block *blocks;
        size_t n, i;
    } at[2 * PM_MAX_BLOCK_DEPTH + 2]; /* (a list and its item are two levels) */
    int depth;             /* containers entered and not left */
} pm_walk;

/* Walk blocks[0..n) and everything in them. */
void pm_walk_init(pm_walk *w, const pm_block *blocks, size_t n);
/* The next event and its block (a leaf, or the container entered or left); *b is NULL
 * at the end. */
pm_walk_event pm_walk_next(pm_walk *w, const pm_block **b);
/* Right after PM_WALK_ENTER: go past the container entered, as if it were a leaf (no
 * events for what is in it, no PM_WALK_LEAVE). */
void pm_walk_skip(pm_walk *w);

/* Why a '::: parallel' div cannot be set side by side (it must hold two parts, each only
 * paragraphs and headings, at most PM_PARALLEL_MAX of them), with the block at fault in
 * *at; NULL when it can. Such a div is set as an ordinary one, one part after the other. */
#define PM_PARALLEL_MAX 512
const char *pm_parallel_problem(const pm_block *div, const pm_block **at);


typedef struct pm_note {
    int number;            /* as printed: 1, 2, ... in order of first reference */
    const char *label;     /* as written: [^label] */
    pm_text text;          /* the note's paragraphs joined with U+2028 breaks */
    int line;
} pm_note;

typedef struct pm_meta {
    const char *title, *subtitle, *author, *date, *lang;
    const char *layout;    /* layout named by the front matter, or NULL */
    int layout_line;
    const char *cover;     /* cover image resolved against the content folder, or NULL */
    const char *cover_src; /* as written */
    int cover_line;
    const char *issue;     /* an issue line for the cover ("No. 12, spring 2027"), or NULL */
    const char *logo;      /* a logo for the cover, resolved like cover, or NULL */
    const char *logo_src;
    int logo_line;
    const char *qr;        /* url: (or qr:): the back cover's QR code encodes it, or NULL */
    int qr_line;
    const char *keywords, *subject;
    int toc;               /* a contents list after the cover (front matter 'toc: true') */
    const char *dir_src;   /* the front matter's dir: as written, or NULL */
    pm_dir dir;            /* the document's direction: dir:, else from lang (ar, he, fa,
                              ur, yi, ps, dv, ckb are right to left) */
} pm_meta;

/* The direction of a language tag: right to left for Arabic, Hebrew, Persian, Urdu,
 * Yiddish, Pashto, Dhivehi and Sorani ("ar", "he-IL", ...); else left to right. */
pm_dir pm_lang_dir(const char *lang);

typedef struct pm_doc {
    pm_arena *arena;
    const char *path;      /* the content file */
    const char *dir;       /* its folder ("." if none) */
    pm_meta meta;
    pm_block *blocks;      /* the top-level blocks */
    size_t nblocks;
    pm_note *notes;
    size_t nnotes;
} pm_doc;

void pm_doc_drop(pm_doc *doc);

/* Footnotes numbered by the page: a note on a figure's caption is numbered where it is
 * referred to in the source, but the figure may float past text that refers to later
 * notes; a note named in another note is printed after that one, which may go on over
 * pages. pm_doc_notes_may_reorder: whether any caption or note refers to a note.
 * pm_doc_renumber_notes: number the notes in the order given (the old numbers, as a
 * layout printed them first; any left out keep their order after them), every
 * reference's digits rewritten; returns whether any number changed. */
int pm_doc_notes_may_reorder(const pm_doc *doc);
int pm_doc_renumber_notes(pm_doc *doc, const int *order, int norder);

/* The notes the text names, or notes it names name (cmark-gfm drops a definition nothing
 * names, but numbers the notes that definition names, which then no text kept names):
 * pm_doc_named_notes sets named[1..nnotes] non-zero for each and returns how many;
 * pm_doc_keep_notes keeps only the notes keep[] marks, numbered 1, 2, ... in their order,
 * every reference's digits rewritten. */
int pm_doc_named_notes(const pm_doc *doc, char *named);
void pm_doc_keep_notes(pm_doc *doc, const char *keep);

#endif
