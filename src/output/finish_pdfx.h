/* finish_pdfx.h - the finishing pass's print-shop parts (private to output/): crop marks
 * round each page for --print-shop, and PDF/X-4 for --pdfx (finish_pdfx.c). finish.c
 * calls these at the points named. */
#ifndef PM_FINISH_PDFX_H
#define PM_FINISH_PDFX_H

#include "output/qpdf_api.h"

#include "output/finish.h"

/* The CMYK profile of --pdfx's output intent, and the sRGB profile that RGB colour is
 * declared in (both from Debian's libgs-common, which ghostscript depends on). */
#define PM_PDFX_CMYK_PROFILE "/usr/share/color/icc/ghostscript/default_cmyk.icc"
#define PM_PDFX_RGB_PROFILE "/usr/share/color/icc/ghostscript/srgb.icc"

/* After a page's TrimBox and BleedBox are set: with f->print_shop, its MediaBox grown to
 * hold crop marks outside the bleed, and the marks drawn (an artifact, in black ink). */
void pm_shop_page(qpdf_data q, qpdf_oh page, const pm_finish *f);

/* Before the XMP metadata is made: with f->pdfx, the document made PDF/X-4 (output intent,
 * Info keys, dates, RGB declared as sRGB), or refused with a diagnostic naming what
 * cannot conform (PM_EINPUT; PM_EIO when a profile cannot be read). hex: the document's
 * digest (32 hex digits), which gives the XMP DocumentID, written to docid (at least 46
 * bytes). */
int pm_pdfx_doc(qpdf_data q, const pm_finish *f, const char *dest, const char *hex, char *docid);

/* The XMP properties PDF/X-4 adds (an rdf:Description of its own), into b. */
void pm_pdfx_xmp(pm_bytes *b, const pm_finish *f, const char *docid);

#endif
