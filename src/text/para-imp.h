/* para-imp.h - private to the paragraph setter (paragraph.h is its public API): the
 * setter's state, a shaped paragraph, and the stages that pass it along.
 *
 * The stages, one file each, in the order a paragraph goes through them (as Typst's
 * inline layout does):
 *   setter.c  the setter: caches (hyphen glyphs, font metrics, warnings given, set
 *             paragraphs in watch mode, single lines), pm_para_set, pm_para_single
 *   shape.c   prepare (hard breaks become U+200B), itemize (Pango, or one item made
 *             here for a paragraph in one font and Latin script) and shape (HarfBuzz,
 *             a word at a time from words.c's cache); the natural x of every cluster;
 *             checks for missing glyphs and substituted faces
 *   words.c   the shaped-word cache
 *   items.c   collect: boxes, glue and penalties measured from the shaped glyphs,
 *             hyphenation points (libhyphen), boxes wider than the line split
 *   hangs.c   margin kerning: how far each item may hang into the margins
 *   breaks.c  break: Knuth-Plass (linebreak.c) over the items, first without
 *             hyphenation points, then with them; pm_para_break, pm_para_try
 *   line.c    finalize: each line's glyphs cut out of the shaped runs, reordered
 *             visually (bidi.c) in paragraphs with right-to-left text, spaces widened
 *             or narrowed by the line's ratio, a hyphen added, alignment, footnote
 *             references and links */
#ifndef PM_PARA_IMP_H
#define PM_PARA_IMP_H

#include <glib.h>
#include <pango/pango.h>
#include <stdint.h>

#include "text/paragraph.h"
#include "text/words.h"

#define SHY "\xC2\xAD"

/* The hyphen of a font: its glyph and width (setter.c caches one per font). */
typedef struct pm_hyphen_glyph {
    PangoGlyph glyph;
    double width;
    const char *utf8;  /* the character it stands for in the line's text */
} pm_hyphen_glyph;

struct pm_setter {
    pm_fonts *fonts;
    const pm_spec *spec;
    pm_hyph *hyph;
    const char *file;
    PangoContext *ctx;
    GHashTable *hyphens; /* PangoFont* -> pm_hyphen_glyph* */
    GHashTable *marks;   /* PangoFont* -> pm_hyphen_glyph*: code continuation marks */
    GHashTable *warned;  /* warning keys already printed */
    GHashTable *metrics; /* PangoFont* -> font_metrics* */
    GHashTable *cache;   /* GBytes key -> cached_para*, in watch mode */
    GHashTable *singles; /* "font|text" -> pm_line*: running heads repeat on every page */
    pm_arena *single_arena;
    pm_words *words;     /* shaped words (words.c), for the life of the setter */
    const char *lang;    /* the document's language (s->hyph is its dictionary) */
    struct { char *lang; pm_hyph *h; } other[8]; /* dictionaries of blocks' {lang=..} */
    int nother;
    struct pm_missing *missing; /* characters no font has, in the order first met (this run) */
    int nmissing, capmissing;
    int fallbacks;              /* the fonts have fallbacks from the system (fonts.h) */
    struct pm_missing *used;    /* characters set in them, in the order first met (this run) */
    int nused, capused;
    unsigned gen;
    int nset, ncached;
    /* the last font coverage asked about (shape.c), held (FcCharSetCopy), and which of
       the ASCII characters it has: most text is ASCII and FcCharSetHasChar costs ~80
       instructions a character (7.8 million of Common Sense's first build) */
    struct _FcCharSet *ascii_cs;
    uint64_t ascii_has[2];
};

struct pm_shaped {
    pm_setter *s;
    const pm_text *src;
    pm_para_style st;
    pm_hyph *hyph;        /* its language's dictionary (NULL: not hyphenated) */
    int wide_only;        /* a style not hyphenated: only its words wider than the line are
                             (items.c), as they would be cut anyway */
    char *text;           /* the source text with hard breaks (U+2028) as U+200B: the same
                             byte offsets as the source */
    uint32_t len;
    GList *pitems;        /* PangoItems, owned */
    PangoGlyphItem *runs; /* one per item, logical order */
    double **gx;          /* natural x of each glyph of each run */
    int nruns;
    uint32_t *cl_off;     /* cluster starts in logical order */
    double *cl_x;
    uint32_t ncl;
    double total_w;
    pm_item *items;
    uint32_t *item_end;
    size_t nitems, cap;
    int hyphenated;       /* items include hyphenation points */
    int bidi;             /* some run is right-to-left: lines are reordered (line.c) */
    unsigned char *cjk;   /* Chinese and Japanese text: per byte, 1 = a break may come
                             before it, 2 = no break there (kinsoku) but the spacing may
                             stretch; NULL without such text (items.c) */
    int cjk_checked;
    double ascent, descent, leading;
};

/* A character no font (of the layout) has: how often, where first, in which role's font;
   the system font it is set in, or -1. */
typedef struct pm_missing {
    gunichar c;
    int count, line;
    const pm_font_spec *font;
    int fallback;
} pm_missing;

/* setter.c */
/* How many runs the setter has begun (1 in its first: a watch session's later runs find
   their words in the cache). */
unsigned pm_setter_runs(const pm_setter *s);
/* The dictionary for a paragraph in language lang (NULL: the document's), loaded the
   first time; NULL if there is none. */
pm_hyph *pm_setter_hyph_for(pm_setter *s, const char *lang, int line);
/* Count a character no font has (summed up by pm_setter_summary). */
void pm_setter_missing(pm_setter *s, gunichar c, int line, const pm_font_spec *font);
/* Count a character set in a system font, fallback i of the fonts (summed up by
   pm_setter_summary too). */
void pm_setter_fallen_back(pm_setter *s, gunichar c, int line, const pm_font_spec *font, int i);
/* Should a warning with this key be printed? 1 the first time in a run, then 0. */
int pm_setter_first_time(pm_setter *s, const char *key);
/* The hyphen of gi's font (cached for the life of the setter). */
const pm_hyphen_glyph *pm_setter_hyphen(pm_setter *s, PangoGlyphItem *gi);
/* The mark that ends a wrapped code line: its width in gi's font (a backslash's) and its
   text, U+21B5 (↵); line.c draws it (few code fonts have the character; cached). */
const pm_hyphen_glyph *pm_setter_mark(pm_setter *s, PangoGlyphItem *gi);
/* Ascent and descent of a font (cached). */
void pm_setter_metrics(pm_setter *s, PangoFont *font, double *ascent, double *descent);
/* Where a font's strikethrough goes: its distance above the baseline and its thickness
   (the font's own, else about half the x-height and a twentieth of an em; cached). */
void pm_setter_strike(pm_setter *s, PangoFont *font, double size, double *pos, double *thickness);

/* shape.c */
/* x of a byte offset in the unbroken paragraph. */
double pm_shaped_x_at(const pm_shaped *p, uint32_t off);
/* Does a cluster start at off? */
int pm_shaped_cluster_start(const pm_shaped *p, uint32_t off);
/* The run holding a byte offset (the last one past the end; -1 if there are none). */
int pm_shaped_run_at(const pm_shaped *p, uint32_t off);

/* One item for a paragraph (itemize_one, and ahead.c's helper thread, which shapes the
   same items ahead of the setter). Whether every character of text is one that Pango
   itemizes with Latin text in one item; then the item's script, the first character
   Pango chooses a font for (0: none) and the characters counted. Any thread. */
int pm_text_simple(const char *text, size_t len, PangoScript *script, gunichar *first, int *nchars);
/* That first character alone (0: none). */
gunichar pm_text_first(const char *text, size_t len);
/* Whether coverage cs (ascii: its ASCII characters, pm_ascii_coverage) has every
   character of text that Pango chooses a font for; with every, every character but the
   space (controls, format characters, no-break spaces too). Any thread. */
int pm_text_covered(const char *text, size_t len, struct _FcCharSet *cs, const uint64_t ascii[2], int every);
void pm_ascii_coverage(struct _FcCharSet *cs, uint64_t has[2]);
/* The coverage of a font as Pango's fontset reads it (not a new reference), or NULL. */
struct _FcCharSet *pm_font_coverage(PangoFont *font);
/* The attributes of a paragraph in font f, [0, len), before its spans. */
PangoAttrList *pm_font_attrs(const pm_spec *spec, const pm_font_spec *f, uint32_t len);
/* The fontset of attribute list l's start, its language and its extra attributes (to
   be freed); NULL (and no extra attributes) if they are other than font features. */
PangoFontset *pm_para_fontset(pm_setter *s, PangoAttrList *l, PangoLanguage **lang, GSList **extra);
/* An item of len bytes from 0, left to right, taking the font reference and extra. */
PangoItem *pm_one_item(PangoFont *font, PangoLanguage *lang, GSList *extra, PangoScript script, int len, int nchars);

/* items.c: (re)build p's items; with hyphenate, with hyphenation points. Ends with
   pm_shaped_hangs. */
void pm_shaped_collect(pm_shaped *p, int hyphenate);

/* hangs.c: set each item's hang_left / hang_right (margin kerning). */
void pm_shaped_hangs(pm_shaped *p);

/* line.c: build the line from items [from, brk] with the line breaker's ratio; line_no
   is its index in the paragraph. Allocates in a. */
void pm_shaped_line(pm_shaped *p, pm_arena *a, size_t from, size_t brk, double ratio, int line_no,
                    int overfull, pm_line *out);

#endif
