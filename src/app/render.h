/* render.h - the whole pipeline for one run: content -> layout spec -> fonts -> set
 * paragraphs -> build pages -> writers. A session keeps what does not change between
 * the runs of watch mode: fonts, hyphenation patterns, images, and (when the layout is
 * unchanged) the paragraphs already set. */
#ifndef PM_RENDER_H
#define PM_RENDER_H

#include "impose/booklet.h"

typedef struct pm_options {
    const char *source;       /* content file */
    const char *layout;       /* -l: name or path; NULL = front matter's, else "a5" */
    const char *output;       /* -o: reading PDF; NULL = SOURCE with .pdf */
    const char *booklet;      /* --booklet: imposed PDF, or NULL */
    const char *dump;         /* --dump-layout: file or "-", or NULL */
    const char *png_dir;      /* --png: folder for page proofs */
    const char *spreads;      /* --spreads: one PNG of all spreads */
    double dpi;               /* for PNGs */
    const char *fonts_dir;    /* override the fonts folder */
    int no_pdf;               /* write no reading PDF (dump / preflight only) */
    int no_finish;            /* the reading PDF as cairo writes it (output/finish.h) */
    int print_shop;           /* --print-shop: crop marks outside the bleed */
    int pdfx;                 /* --pdfx: PDF/X-4 */
    int gray;                 /* --gray: images and colours gray, for black-and-white copiers */
    int preflight;            /* report, write nothing */
    int quiet;                /* -q: errors only (no booklet how-to, no rebuild lines) */
    int pages;                /* --pages: N, PM_FIT_NEAREST (fit), -2 (none), 0 (the layout's fit:) */
    /* booklet overrides of the layout's booklet: section; negative = not given */
    const char *sheet;
    int duplex, blanks, signature, marks, rtl;
    int fold, sides;          /* pm_fold, pm_sides */
    double creep, printer_margin;
} pm_options;

void pm_options_init(pm_options *o);

/* The booklet options of a run: the layout's booklet: section (spec; NULL = the
 * defaults, as for `pamphlet impose`), bound on the right for a right-to-left document
 * (dir) unless the layout says otherwise, with the command line's overrides from o, and
 * o's quiet. Returns PM_OK, or PM_EUSAGE after a diagnostic for an unknown --sheet. */
int pm_options_booklet(const pm_options *o, const pm_spec *spec, pm_dir dir, pm_booklet_opts *b);

/* Run the pipeline once. Returns an exit code (PM_OK ...). */
int pm_render(const pm_options *o);

typedef struct pm_session pm_session;

typedef struct pm_run_info {
    int pages;
    int paragraphs_set, paragraphs_cached;
    double ms;                /* wall time of the run */
} pm_run_info;

/* keep: remember paragraphs between runs (watch mode). */
pm_session *pm_session_new(int keep, int gray);
void pm_session_drop(pm_session *s);
/* One run. Returns an exit code; info (may be NULL) says what it did. */
int pm_session_render(pm_session *s, const pm_options *o, pm_run_info *info);
/* The files the last run read (content, layout chain, images) and the fonts folder. */
int pm_session_inputs(pm_session *s, const char *const **paths);
/* An input (one of pm_session_inputs' paths) changed on disk: read it again on the next
 * run even if its size, time and inode look as before. */
void pm_session_changed(pm_session *s, const char *path);
/* Fonts changed on disk: load them again on the next run. */
void pm_session_forget_fonts(pm_session *s);

#endif
