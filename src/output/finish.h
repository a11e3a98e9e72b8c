/* finish.h - the finishing pass: the reading PDF cairo wrote, made ready for print with
 * libqpdf (cairo 1.16 cannot write any of this itself):
 *   - neutral colours as DeviceGray ('r r r rg' -> 'r g', RG -> G), so black text prints
 *     with black ink only; layout colours given as cmyk() as DeviceCMYK ('k'/'K');
 *   - the RGB transparency group cairo puts on every page dropped where nothing on the
 *     page is transparent (it makes a RIP blend the page in RGB: grey turns four-colour);
 *   - page boxes: TrimBox (the finished page) on every page; with bleed, the MediaBox
 *     holds the bleed and BleedBox = MediaBox;
 *   - images described as they are (output/finish_images.h): the /Decode of an Adobe
 *     CMYK JPEG, embedded ICC profiles as ICCBased colour spaces;
 *   - /Lang from the front matter, XMP metadata matching the Info dictionary, and a
 *     trailer /ID computed from the content (two runs stay byte-identical);
 *   - crop marks (--print-shop) and PDF/X-4 (--pdfx): finish_pdfx.c. */
#ifndef PM_FINISH_H
#define PM_FINISH_H

#include <stddef.h>

#include "base/colour.h"
#include "base/fileio.h"

/* An image the writer painted, for finish_images.c to find its XObject: its stored size
 * in pixels; a decoded image's embedded ICC profile (NULL: none); for a passthrough JPEG
 * its length in bytes and whether it has colour markers to describe. */
typedef struct pm_finish_image {
    int w, h;
    const unsigned char *icc;
    size_t icc_len;
    size_t jpeg_bytes;        /* 0: a decoded image */
    int describe;
} pm_finish_image;

typedef struct pm_finish {
    double bleed;             /* pt on each side of the trimmed page (the PDF's pages
                                 are this much larger on every side), 0: none */
    const char *lang;         /* BCP 47 tag (the front matter's lang), or NULL */
    const pm_colour *cmyk;    /* the layout's cmyk() colours */
    int ncmyk;
    const char *const *alts;  /* the description of each Figure element of the structure
                                 tree, in order (NULL: none), as its /Alt */
    int nalts;
    int keep;                 /* keep the finished PDF as libqpdf holds it, at *kept (the
                                 booklet imposes from it without parsing the file again) */
    struct _qpdf_data **kept; /* where (the PDF writer's); release with pm_finish_release */
    int print_shop;           /* --print-shop: crop marks outside the bleed (finish_pdfx.c) */
    int pdfx;                 /* --pdfx: PDF/X-4 (finish_pdfx.c) */
    long long pdfx_epoch;     /* --pdfx: the document's date when the PDF has none (the
                                 content file's time), -1: none */
    const char *src;          /* the content file, for diagnostics, or NULL */
    const pm_finish_image *images; /* every image painted (set by the writer) */
    int nimages;
    void (*images_taken)(void *ud); /* the pass has what it needs of the images painted
                                 (their bytes and descriptions are libqpdf's): the writer
                                 may let them go before the PDF is written. May be NULL. */
    void (*content_taken)(void *ud, size_t at, size_t n); /* bytes [at, at + n) of the PDF
                                 held in memory, a page's content, are libqpdf's to read no
                                 more (replaced): the writer may let them go. May be NULL. */
    void *images_ud;          /* (both hooks') */
    int gray;                 /* --gray: colours are painted gray (output/paint.h) */
    struct pm_finish_cache *cache; /* recoloured content made beforehand (finish_cache.h),
                                      or NULL */
} pm_finish;

/* The pass (base/fileio.h) over a finished reading PDF; f must outlive it. */
pm_pass pm_finish_pass(const pm_finish *f);
/* Give the PDF in q (before qpdf_write) the trailer /ID [id id] and have libqpdf keep
 * it (its second word becomes libqpdf's fixed one); id: a content digest (base/digest.h). */
struct _qpdf_data;
void pm_finish_set_id(struct _qpdf_data *q, const unsigned char id[16]);
/* The pass's work on a PDF made in memory (output/direct.c), its content already in the
 * colours the pass would give it: page boxes, crop marks, images described, /Lang, XMP,
 * PDF/X, the trailer /ID from id (the document's digest); then written to out. PM_OK or
 * PM_EIO (said with dest). q stays the caller's. */
int pm_finish_built(struct _qpdf_data *q, const pm_finish *f, const unsigned char id[16], const char *out,
                    const char *dest);
/* "D:YYYYMMDDHHmmSSZ" of epoch (seconds, UTC), a PDF date, into out (n >= 20). */
void pm_pdf_date(long long epoch, char *out, size_t n);
/* Release a PDF the pass kept (*f->keep); NULL is fine. */
void pm_finish_release(struct _qpdf_data *kept);

/* Growable bytes, for the content rewriting below. */
typedef struct pm_bytes {
    unsigned char *p;
    size_t n, cap;
} pm_bytes;

/* Rewrite one content stream's colour operators as above into out (appended). Returns
 * the number of operators rewritten. Strings, names, dictionaries, comments and inline
 * image data are copied as they are. */
int pm_finish_recolour(const unsigned char *in, size_t n, const pm_finish *f, pm_bytes *out);

#endif
