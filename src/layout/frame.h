/* frame.h - laid-out pages: what the page builder produces and every device reads.
 *
 * A page is a list of positioned items: text lines (each a few glyph runs, already
 * justified), images, rules, link areas and named destinations. Frames are immutable
 * once built; devices (PDF, booklet sheets, PNG, text dump) only read them. Lines are
 * shared, not copied: a page item points at a pm_line (text/line.h) built by the paragraph
 * setter. */
#ifndef PM_FRAME_H
#define PM_FRAME_H

#include <stddef.h>

#include "base/arena.h"
#include "image/image.h"
#include "text/line.h"

typedef enum {
    PM_FI_LINE,    /* x, y: origin of the baseline; line */
    PM_FI_IMAGE,   /* x, y, w, h: top-left and size; image */
    PM_FI_RULE,    /* x, y: start; w: length; h: thickness */
    PM_FI_LINK,    /* x, y, w, h: area; str: URI or "#dest" */
    PM_FI_DEST,    /* x, y: position; str: name; level > 0 with title: an outline entry */
    PM_FI_VRULE,   /* x, y, w, h: a vertical rule (w: its thickness), black: between columns */
    PM_FI_FILL,    /* x, y, w, h: a rectangle filled with rgba (a cover's colour field, a tint
                      band behind its title); painted under what follows it, not a box */
    PM_FI_QR,      /* x, y, w = h: a QR code's symbol; level: modules a side; bits: the
                      modules row by row, 1 = dark; str: what it encodes. A quiet zone of
                      4 modules around it is kept clear */
    PM_FI_BOX      /* x, y, w, h: a rectangle (the outer edges of its strokes); box: how it
                      is filled and which sides are stroked. Items paint in order: a box
                      comes before the text on it */
} pm_fitem_kind;

/* A rectangle (an image's clip). */
typedef struct pm_rect {
    double x, y, w, h;
} pm_rect;

/* Sides of a box. */
enum { PM_SIDE_TOP = 1, PM_SIDE_RIGHT = 2, PM_SIDE_BOTTOM = 4, PM_SIDE_LEFT = 8 };

typedef struct pm_fbox {
    double fill[3];     /* RGB 0..1; fill[0] < 0: not filled */
    double stroke[3];
    double width;       /* of the strokes, inside the rectangle (0: none) */
    unsigned sides;     /* PM_SIDE_*: the sides stroked */
    unsigned open;      /* PM_SIDE_*: the sides where a page breaks it (drawn a little past
                           the text there, so that the text does not touch its edge) */
} pm_fbox;

/* An element of the PDF's structure tree that a line is in, besides its paragraph: a list
 * (L), an item of it (LI), the item's body (LBody), a table (Table), a row (TR), a cell (TH,
 * TD). One node per element, the same pointer for all of its lines; up: the element it is
 * in (NULL: the document). A list marker's line has its item's LBody (its Lbl goes in the
 * LI above). */
typedef struct pm_snode {
    const char *role;
    int col;                    /* TH, TD: the cell's column */
    const struct pm_snode *up;
} pm_snode;

typedef struct pm_fitem {
    pm_fitem_kind kind;
    double x, y, w, h;
    const pm_line *line;
    pm_image *image;
    const char *str;
    const char *title;  /* PM_FI_DEST: an outline entry's title; PM_FI_IMAGE: its description */
    const char *running; /* PM_FI_DEST of a heading: the title running heads show ({section}) */
    const pm_fbox *box;  /* PM_FI_BOX */
    int level;
    /* PM_FI_LINE of body text: paragraph number (0 for captions, notes, markers, running
       heads), the line's index in it and the paragraph's line count, for widow and orphan
       checks */
    int para, lineno, nlines;
    unsigned flags;     /* PM_FL_*: what a line is */
    double rgba[4];     /* PM_FI_FILL: its colour and opacity */
    const unsigned char *bits; /* PM_FI_QR */
    const pm_rect *clip; /* PM_FI_IMAGE: only this part of it shows (an image cropped to
                            fill a frame or the page), or NULL */
    const pm_snode *sn;  /* PM_FI_LINE, PM_FI_LINK: the list or table element it is in, or NULL */
} pm_fitem;

enum {
    PM_FL_HEADING = 1,  /* a heading's line */
    PM_FL_CAPTION = 2,
    PM_FL_NOTE = 4,     /* a footnote's line */
    PM_FL_MARKER = 8,   /* a list marker */
    PM_FL_RUNNING = 16, /* running header or footer: outside the text area */
    PM_FL_COVER = 32,   /* set on the cover */
    PM_FL_CELL = 64,    /* a table cell's line */
    PM_FL_INITIAL = 128, /* a drop cap */
    PM_FL_TOC = 256,    /* a line of the contents list (an entry, its leaders, its page) */
    PM_FL_QR = 512,     /* the text a QR code encodes, printed under it */
    PM_FL_ACROSS = 1024 /* a cell (of a parallel text) set across the page's columns */
};

typedef enum { PM_PAGE_BODY, PM_PAGE_COVER, PM_PAGE_BACK } pm_page_kind;

/* What the layout's checks read of a page's items (flow.c: widows, orphans, short pages;
 * fit.c: a runt last page), kept when the items go (pm_layout_release_items). */
typedef struct pm_page_sum {
    int first_lineno, first_n, first_nlines; /* the first body line (not a running head, note
                             or marker) of a paragraph: its line number, the lines of its
                             paragraph on the page and in all; first_n 0: none */
    int last_lineno, last_n, last_nlines;    /* the last such line, the same way */
    double text_y;      /* the lowest baseline of those lines (0: none) */
    double foot_y;      /* the lowest baseline of its lines but running heads and notes */
    int notes;          /* it has note lines */
    int lines;          /* its lines but running heads and markers */
    int figure;         /* it has an image */
} pm_page_sum;

typedef struct pm_page {
    int index;          /* 0-based physical page */
    pm_page_kind kind;
    int number;         /* printed page number (also for pages that do not print it) */
    double w, h;
    const char *label;  /* page label: printed number, "Cover", ... */
    int blank;          /* added to fill out a booklet; nothing on it */
    double tx, ty, tw, th; /* the text area */
    pm_fitem *items;    /* NULL once released (pm_layout_release_items): then sum */
    size_t nitems, cap;
    pm_page_sum sum;
} pm_page;

typedef struct pm_outline_entry {
    int page;
    int level;          /* 1..3 */
    const char *title;
    const char *dest;
} pm_outline_entry;

/* A chunk of the lines of body paragraphs (layout/chunks.c). When the pages go to a
 * writer as they are built, a chunk is released once the page builder is past its
 * paragraphs and the writer is done with the pages that show them: a page's items then
 * point at lines that are gone, and only their own fields may be read (frame.h's devices
 * that read lines take the pages as they come, or the pages are not released). */
typedef struct pm_line_chunk {
    pm_arena *a;                /* NULL once released */
    size_t last_para;           /* the last paragraph of the page builder with lines in it */
    size_t pages;               /* the pages that may show them: [0, pages); 0 while the
                                   page builder may still place them */
    int full;                   /* no more lines go into it */
} pm_line_chunk;

typedef struct pm_layout {
    pm_arena *arena;            /* pages, items and lines */
    pm_arena *aux;              /* more lines the pages point into (a page-count fit's
                                   paragraphs), or NULL; dropped with the layout */
    pm_line_chunk *chunks;      /* body paragraphs' lines, when they are released as the
                                   pages are drawn (else they are in arena) */
    size_t nchunks, capchunks;
    size_t released;            /* chunks [0, released) are released */
    size_t items_released;      /* pages [0, items_released) have no items but their sum */
    size_t lines_released, lines_peak; /* bytes of lines released so far, and the most
                                   held at once before a release (for tests) */
    pm_page **pages;            /* each page stays where it is while pages are added */
    size_t npages, cap;
    const char *title, *author, *subject, *keywords;
    const char *lang;
    long long epoch;            /* creation time for metadata, -1 = leave out */
    int *note_order;            /* the footnotes' numbers in the order they were first
                                   printed (in the arena) */
    int nnote_order;
} pm_layout;

pm_layout *pm_layout_new(void);
void pm_layout_drop(pm_layout *l);
/* Append a page (zeroed items) and return it; it lives as long as the layout. */
pm_page *pm_layout_add_page(pm_layout *l, double w, double h);
/* Release the lines of chunks [released, upto) (upto = nchunks: all of them). */
void pm_layout_release_lines(pm_layout *l, size_t upto);
/* Release the items of pages [items_released, upto), each summed first: the writers are
 * done with them (the reading PDF and the booklet, which take the pages as they come;
 * then nothing reads a page's items after it is drawn but the checks, which read sums).
 * A 400-page book's items were 4.3 MB when the page builder was done. */
void pm_layout_release_items(pm_layout *l, size_t upto);
/* Page pg's sum: made from its items into *tmp, or the one kept when they went. */
const pm_page_sum *pm_page_summary(const pm_page *pg, pm_page_sum *tmp);
/* Append an item to a page; returns it for filling in. */
pm_fitem *pm_page_add(pm_layout *l, pm_page *p, pm_fitem_kind kind);

#endif
