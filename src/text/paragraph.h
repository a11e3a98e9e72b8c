/* paragraph.h - setting one paragraph: rich text -> shaped once by Pango/HarfBuzz ->
 * boxes, glue and penalties -> total-fit breaks (linebreak.h) -> justified lines.
 *
 * Shaping happens once per paragraph (pm_para_shape); breaking can be repeated on the
 * shaped paragraph with another looseness (pm_para_break), which the page builder uses
 * to make a paragraph a line longer or shorter to avoid a widow.
 *
 * The stages are files of their own (setter.c, shape.c, items.c, hangs.c, breaks.c,
 * line.c); para-imp.h, private to them, says which does what. */
#ifndef PM_PARAGRAPH_H
#define PM_PARAGRAPH_H

#include "input/doc.h"
#include "text/fonts.h"
#include "text/line.h"
#include "text/hyph.h"
#include "text/linebreak.h"
#include "input/spec.h"

typedef struct pm_setter pm_setter;

/* Shared state for setting the paragraphs of one document: fonts (borrowed), spec
 * (borrowed), hyphenation (borrowed, may be NULL) and caches. file names the content in
 * warnings. */
pm_setter *pm_setter_new(pm_fonts *fonts, const pm_spec *spec, pm_hyph *hyph, const char *file);
void pm_setter_drop(pm_setter *s);

/* Watch mode: keep set paragraphs between runs, so that a run after an edit sets only
 * the paragraphs that changed. Lines from the cache live until pm_setter_end_run drops
 * the paragraphs the run did not use, or the setter is dropped. */
void pm_setter_keep_paragraphs(pm_setter *s);
/* Around each run: warnings already given are given again; paragraphs unused are
 * dropped at the end. content names the content file of this run. */
void pm_setter_begin_run(pm_setter *s, const char *file);
void pm_setter_end_run(pm_setter *s);
/* The characters no font had in this run's paragraphs, looked for in the fonts installed
 * on this machine (pm_fonts_fallback; lang: the document's language): 1 if a font was
 * found for some, and the setter's fonts have them now. The setter is then stale: drop
 * it, make a new one over the same fonts and set the text again. */
int pm_setter_find_fallbacks(pm_setter *s, const char *lang);
/* A warning for each system font this run's paragraphs were set in (for characters no
 * font of the layout has), and one for the characters no font had: each character, how
 * often, the line where it first came, and a hint naming the layout key that adds a font
 * for it. Nothing if there were none. */
void pm_setter_summary(pm_setter *s);
/* The document's language: paragraphs in another ({lang=..}) get their own dictionary. */
void pm_setter_lang(pm_setter *s, const char *lang);
/* Does the setter keep paragraphs between runs? */
int pm_setter_keeps(const pm_setter *s);
/* Paragraphs set / taken from the cache since pm_setter_begin_run. */
void pm_setter_counts(const pm_setter *s, int *set, int *cached);

typedef struct pm_para_style {
    const pm_font_spec *font;  /* base font of the paragraph */
    pm_align align;            /* left/center/right: visual; justified and ragged lines that
                                  end a paragraph or a hard break go to the start side */
    pm_dir dir;                /* base direction (PM_DIR_LTR when zeroed) */
    double width;              /* line width in points */
    double indent;             /* first-line indent (at the start side: right in RTL) */
    int hyphenate;
    int code;                  /* keep spaces, no breaks except emergency ones */
    double tolerance;          /* 0: from the spec */
    int quiet;                 /* no warning for a word wider than the line (the caller
                                  has said what is wrong) */
    const double *shape;       /* per line: how far it starts right of the others (its width
                                  less by as much); the last value goes on for the lines
                                  after (TeX's \parshape: a drop cap's lines, a hanging
                                  indent). NULL: none. Must outlive the shaped paragraph */
    int nshape;
    const char *lang;          /* language for hyphenation when it is not the document's
                                  (a block's {lang=..}); NULL: the setter's */
} pm_para_style;

/* Shaping ahead (ahead.c): in the setter's first run (a first build), the
 * paragraphs the flow is going to set are handed over in its order (seq increasing, as
 * pm_ahead_reached will count) and a helper thread shapes their words into the cache
 * while the flow sets the first ones. The output is the same with it or without. */
typedef struct pm_ahead pm_ahead;
/* NULL when not wanted (not the first run; PAMPHLET_NO_AHEAD=1). The pm_ahead_*
   functions take NULL and do nothing. */
pm_ahead *pm_ahead_open(pm_setter *s);
/* A paragraph the flow will set (t stays where it is until pm_ahead_close). */
void pm_ahead_add(pm_ahead *a, const pm_text *t, const pm_para_style *st, int seq);
/* All are added. */
void pm_ahead_added(pm_ahead *a);
/* The flow is setting paragraph seq (those up to it are not shaped ahead any more). */
void pm_ahead_reached(pm_ahead *a, int seq);
/* Stops the helper thread (after the paragraph it is on) and frees a. */
void pm_ahead_close(pm_ahead *a);

/* A layout's left or right (written for left-to-right text) for a paragraph of direction
 * dir: mirrored in right-to-left text, where a heading "align: left" starts at the right. */
static inline pm_align pm_dir_align(pm_align a, pm_dir dir)
{
    if (dir != PM_DIR_RTL) return a;
    return a == PM_ALIGN_LEFT ? PM_ALIGN_RIGHT : a == PM_ALIGN_RIGHT ? PM_ALIGN_LEFT : a;
}

typedef struct pm_shaped pm_shaped;

/* Shape a paragraph. text must outlive the result. Never fails (problems with the text,
 * like characters no font has, are warnings). */
pm_shaped *pm_para_shape(pm_setter *s, const pm_text *text, const pm_para_style *st);
void pm_shaped_drop(pm_shaped *p);

typedef struct pm_para {
    pm_line *lines;
    int nlines;
    double demerits;
    int pass;          /* of the line breaker */
    double leading;    /* of the base font */
} pm_para;

/* Break a shaped paragraph into lines (allocated in a). looseness as in TeX: 0 for the
 * optimum, +1 / -1 for one line more / fewer if that is possible. */
void pm_para_break(pm_setter *s, pm_shaped *p, int looseness, pm_arena *a, pm_para *out);

/* What breaking p with this looseness would give, without building its lines (the page
 * builder's trials). */
typedef struct pm_para_trial {
    int nlines, pass, overfull;
    double demerits;
    double max_ratio, min_ratio; /* over the justified lines */
    double last_width;           /* natural width of the last line */
} pm_para_trial;
void pm_para_try(pm_setter *s, pm_shaped *p, int looseness, pm_para_trial *out);
/* pm_para_try for each of n looseness values (at most 4, none 0), out[k] for loose[k], in
 * about the time of one (the line breaker's passes are shared: linebreak.h). */
void pm_para_try_each(pm_setter *s, pm_shaped *p, const int *loose, int n, pm_para_trial *out);

/* Shape and break in one go. */
void pm_para_set(pm_setter *s, const pm_text *text, const pm_para_style *st, pm_arena *a, pm_para *out);

/* pm_para_try and pm_para_break for a paragraph the run set with pm_para_set (text, st):
 * in watch mode from the setter's kept paragraph when a run before asked the same (what
 * the page builder tries on every page comes again on every rebuild), else on *p, shaped
 * first if NULL (the caller owns it). The lines live as long as pm_para_set's. */
void pm_para_try_kept(pm_setter *s, const pm_text *text, const pm_para_style *st, pm_shaped **p, int looseness,
                      pm_para_trial *out);
void pm_para_break_kept(pm_setter *s, const pm_text *text, const pm_para_style *st, pm_shaped **p, int looseness,
                        pm_arena *a, pm_para *out);
/* pm_para_try_kept for each of n looseness values (pm_para_try_each). */
void pm_para_try_kept_each(pm_setter *s, const pm_text *text, const pm_para_style *st, pm_shaped **p,
                           const int *loose, int n, pm_para_trial *out);

/* Set a short single-line string (running heads, list markers) in a font; x positions
 * start at 0. Returns the line, which the setter keeps (the same strings come on many
 * pages); a is not used. */
pm_line *pm_para_single(pm_setter *s, const char *utf8, const pm_font_spec *font, pm_arena *a);
/* The same in a base direction (a right-to-left line's glyphs also run from x = 0). */
pm_line *pm_para_single_dir(pm_setter *s, const char *utf8, const pm_font_spec *font, pm_dir dir, pm_arena *a);

#endif
