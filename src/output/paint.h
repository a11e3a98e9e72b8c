/* paint.h - painting page frames with cairo, for the writers that draw (reading PDF,
 * booklet sheets, PNG proofs), and the PDF metadata every PDF writer sets. */
#ifndef PM_PAINT_H
#define PM_PAINT_H

#include <cairo.h>

#include "image/image.h"
#include "layout/frame.h"

/* How pm_paint_page paints: PM_PAINT_TAGS emits links and destinations as PDF tags (for
 * the reading PDF); PM_PAINT_GRAY (--gray) paints every colour as the grey of its luma;
 * PM_PAINT_VECTOR: onto a PDF surface (see pm_paint_set_font). */
enum { PM_PAINT_TAGS = 1, PM_PAINT_GRAY = 2, PM_PAINT_VECTOR = 4 };

/* Paint one page's items onto cr, with the page's top-left at the current origin. A PDF
 * writer passes its own image sources (see image.h: writers on two threads must not
 * share them); a raster writer passes NULL. */
void pm_paint_page(cairo_t *cr, const pm_page *page, pm_image_sources *images, int flags);
/* Paint one line with its baseline's left end at x, y; flags as pm_paint_page's (with
 * PM_PAINT_TAGS, its links as PDF tags). */
void pm_paint_glyph_line(cairo_t *cr, const pm_line *line, double x, double y, int flags);

/* PDF metadata shared by the PDF writers: title, author, dates, creator. */
void pm_pdf_set_metadata(cairo_surface_t *s, const pm_layout *lay);

/* Draw with sf from now on. With PM_PAINT_VECTOR its glyph metrics hinted: cairo then
 * loads a glyph's metrics at the drawing size, and the outline a PDF's font subset needs
 * can come from the same load (unhinted, the metrics come from a load at the em size and
 * the outline from another; glyphset.h). The PDF is the same: the glyphs'
 * positions are the layout's, the subset's widths come from a font cairo makes itself;
 * cairo's own extents of the text (what it bounds and clips) grow by under a pixel. */
void pm_paint_set_font(cairo_t *cr, cairo_scaled_font_t *sf, int flags);

#endif
