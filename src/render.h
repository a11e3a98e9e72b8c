/* render.h - the whole pipeline for one run: content -> layout spec -> fonts -> set
 * paragraphs -> build pages -> devices. Used by the command line and watch mode. */
#ifndef PM_RENDER_H
#define PM_RENDER_H

#include "booklet.h"

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
    int preflight;            /* report, write nothing */
    /* booklet overrides of the layout's booklet: section; negative = not given */
    const char *sheet;
    int duplex, blanks, signature, marks, rtl;
    double creep, printer_margin;
} pm_options;

void pm_options_init(pm_options *o);

/* Run the pipeline once. Returns an exit code (PM_OK ...). */
int pm_render(const pm_options *o);

#endif
