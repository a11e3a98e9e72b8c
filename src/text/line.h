/* line.h - a set line: what the paragraph setter (paragraph.h) produces and the page
 * builder places on pages (layout/frame.h). Glyph runs already positioned and justified,
 * with the text they stand for, the footnotes referenced and the link areas.
 *
 * No Pango or cairo types here: a run names its font through a pm_face, which
 * text/fonts.h owns and answers questions about (the cairo font to draw with, the name
 * for the layout dump). pm_glyph and pm_cluster have the memory layout of cairo_glyph_t
 * and cairo_text_cluster_t, so a device hands them to cairo as they are (output/ checks
 * that with static asserts). */
#ifndef PM_LINE_H
#define PM_LINE_H

#include "input/doc.h"

/* A font at a size, as shaping chose it: owned by pm_fonts (text/fonts.h), alive as long
 * as the pm_fonts it came from, read-only after it is made (a drawing thread may use it
 * while lines are still being set). */
typedef struct pm_face pm_face;

/* One glyph: its index in the face, its origin relative to the line's origin. */
typedef struct pm_glyph {
    unsigned long index;
    double x, y;
} pm_glyph;

/* num_bytes of text drawn by num_glyphs glyphs, in order (for PDF text extraction). */
typedef struct pm_cluster {
    int num_bytes, num_glyphs;
} pm_cluster;

/* One run of glyphs in one face, positioned relative to its line's origin (left end of
 * the baseline). Text and clusters let PDF text extraction recover the characters. */
typedef struct pm_run {
    const pm_face *face;
    pm_glyph *glyphs;
    int nglyphs;
    const char *utf8;
    int nbytes;
    pm_cluster *clusters;
    int nclusters;
    double rgb[3];
    double x0, x1;                 /* horizontal extent of the run */
    int rtl;                       /* right to left: its glyphs and clusters are in visual
                                      order, the text of its first cluster is read last */
    uint32_t at;                   /* where its text starts in the paragraph's: the line's
                                      runs are in visual order, these in reading order */
} pm_run;

typedef struct pm_line_link {
    double x0, x1;                 /* extent along the line */
    const char *url;
} pm_line_link;

/* A line drawn through part of a line's text (strikethrough): from x0 to x1 along the
 * line, at y (up from the baseline is negative, as the glyphs' y), thickness t. Or the
 * mark that ends a wrapped code line (↵, its text in the run), drawn in [x0, x1) at the
 * size t * 20. */
typedef enum { PM_DECO_STRIKE, PM_DECO_WRAP } pm_deco_kind;
typedef struct pm_line_deco {
    double x0, x1, y, t;
    double rgb[3];
    pm_deco_kind kind;
} pm_line_deco;

typedef struct pm_line {
    pm_run *runs;
    int nruns;
    double width;                  /* set width (x of the right end after justification) */
    double ascent, descent;        /* of the fonts used */
    double ratio;                  /* adjustment ratio of the line (0 for ragged lines) */
    int hyphenated;                /* ends in a hyphen the setter added */
    int overfull;                  /* could not be made to fit */
    int *notes;                    /* footnote numbers referenced on this line */
    int nnotes;
    pm_line_link *links;
    int nlinks;
    pm_line_deco *decos;           /* strikethrough */
    int ndecos;
    int src_line;                  /* content line of the line's first character */
    double hang_left, hang_right;  /* margin kerning: how far the glyphs reach left of x = 0
                                      and right of the line's measure (width includes it) */
    pm_dir dir;                    /* of its paragraph: a right-to-left line starts at the
                                      right (runs are in visual order, left to right) */
} pm_line;

#endif
