/* glyphset.h - the glyphs a PDF writer has drawn, per font file, and which of them have
 * ink. Owned by one drawing thread.
 *
 * Why: cairo 1.16 loads a glyph of a PDF's text from its font once for its metrics at each
 * size it is drawn at (at the em size, unless the metrics are hinted), once more for its
 * outline at the first size when a font subset takes it (to tell outlines from bitmaps),
 * and once at size 1 for the subset's widths. With hinted metrics (pm_paint_set_font) the
 * metrics and the outline come from one load when the outline is asked for first: here,
 * before the page is drawn. A CFF glyph load is some 50,000 instructions; 1917 loads 533
 * instead of 843 (the drawing thread 168 -> 154 million instructions). The same table
 * answers "does this glyph leave a mark?" without asking cairo each time. */
#ifndef PM_GLYPHSET_H
#define PM_GLYPHSET_H

#include <cairo.h>

#include "layout/frame.h"

typedef struct pm_glyphset pm_glyphset;

pm_glyphset *pm_glyphset_new(void);
void pm_glyphset_free(pm_glyphset *g);

/* Load the outlines of the glyphs of line item it (PM_FI_LINE; others are skipped) that
 * no earlier item had in their font file, on cr as it will draw them (cr's current path
 * is left empty: call it between paths). */
void pm_glyphset_load(pm_glyphset *g, cairo_t *cr, const pm_fitem *it);

/* Whether a glyph of line item it has ink (cairo draws nothing for a space); every glyph
 * of it must have been through pm_glyphset_load. */
int pm_glyphset_inked(pm_glyphset *g, const pm_fitem *it);

#endif
