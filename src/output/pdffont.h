/* pdffont.h - the fonts of a PDF pamphlet writes itself (output/direct.c): each face's
 * glyphs kept under their own glyph ids (HarfBuzz's subsetter, retain-gids), so that a
 * page's content names a glyph the same way whatever the other pages use, and a page
 * unchanged by an edit keeps its content bytes (issue 16). */
#ifndef PM_PDFFONT_H
#define PM_PDFFONT_H

#include <stddef.h>
#include <stdint.h>

#include "output/qpdf_api.h"
#include "text/line.h"

typedef struct pm_pdffonts pm_pdffonts;

pm_pdffonts *pm_pdffonts_new(void);
void pm_pdffonts_free(pm_pdffonts *f);

/* The number of face's font in this document (its resource is /F<number>), made on first
 * use; -1 when it cannot be embedded (no font data, or a kind this writer cannot embed). */
int pm_pdffonts_font(pm_pdffonts *f, const pm_face *face);
/* Font k's resource name ("/F" and digits of its file's identity: the same in every run
 * and whatever the other pages use). */
const char *pm_pdffonts_name(const pm_pdffonts *f, int k);
/* The identity of face's font file (its length and first bytes hashed), 0 if none. */
uint64_t pm_pdffonts_face_id(const pm_face *face);
/* The width of glyph gid of font k, in thousandths of its em (the /W entry the PDF gets:
 * a viewer advances by it, the content corrects the rest). */
int pm_pdffonts_width(pm_pdffonts *f, int k, unsigned gid);
/* Glyph gid of font k is drawn: it goes into the subset. Returns the glyph's own text (its
 * ToUnicode entry: UTF-8, *n bytes, maybe none), which depends on the glyph alone; where
 * a glyph stands for other text, the content says so with an ActualText. */
const char *pm_pdffonts_use(pm_pdffonts *f, int k, unsigned gid, int *n);

/* What fontconfig makes of face beyond its font file: a slant (synthetic oblique: the
 * text matrix's shear, 0 for none) and synthetic bold (the outlines stroked as well). */
void pm_pdffonts_synthetic(const pm_face *face, double *shear, int *bold);
/* Subset every font (HarfBuzz; two at a time), or find it in the cache of earlier runs.
 * Before pm_pdffonts_emit; the faces' Pango fonts may go after it. */
void pm_pdffonts_prepare(pm_pdffonts *f);
/* The fonts as libqpdf objects of q, each as /F<k> in the dictionary fonts. PM_OK or
 * PM_EIO (a font HarfBuzz could not subset; said with dest). */
int pm_pdffonts_emit(pm_pdffonts *f, qpdf_data q, qpdf_oh fonts, const char *dest);

/* A key of every font's glyph set (for the document's digest). */
uint64_t pm_pdffonts_key(const pm_pdffonts *f);
/* Subsets made, taken from the session's earlier runs (watch mode), and read from the
   cache folder (subset_cache.h; PAMPHLET_NO_SUBSET_CACHE=1: not used). */
void pm_pdffonts_counts(const pm_pdffonts *f, int *made, int *cached, int *kept);
/* The end of a run: forget the subsets it did not use (a watch session keeps those of
 * the last run only). */
void pm_pdffonts_sweep(void);
/* Forget the subsets cached for later runs (at the end of a session). */
void pm_pdffonts_cache_clear(void);

#endif
