/* device.h - output devices: where laid-out pages go.
 *
 * As in MuPDF, a device is a small struct of function pointers; every output (the
 * reading PDF, the imposed booklet, PNG proofs, the text dump) is one, and they all read
 * the same immutable page frames. A device writes its file atomically: nothing appears
 * at the destination until commit(), which the caller runs only when every device has
 * finished; drop() without commit() leaves the previous file untouched. */
#ifndef PM_DEVICE_H
#define PM_DEVICE_H

#include <cairo.h>

#include "layout/frame.h"

typedef struct pm_device pm_device;
struct pm_device {
    const char *name;
    int (*begin)(pm_device *d, const pm_layout *lay);
    int (*page)(pm_device *d, const pm_layout *lay, const pm_page *page);
    int (*end)(pm_device *d, const pm_layout *lay); /* finish writing (to a temporary file) */
    int (*commit)(pm_device *d);                    /* put the finished file in place */
    void (*drop)(pm_device *d);                     /* release; without commit() the previous
                                                       file stays as it was */
};

/* begin, every page, end (not commit). Returns PM_OK or the first error. */
int pm_device_run(pm_device *d, const pm_layout *lay);

/* How pm_paint_page paints: PM_PAINT_TAGS emits links and destinations as PDF tags (for
 * the reading PDF); PM_PAINT_SECOND_IMAGES paints images from their second set of source
 * surfaces (for a device drawing while another draws on another thread). */
enum { PM_PAINT_TAGS = 1, PM_PAINT_SECOND_IMAGES = 2 };

/* Paint one page's items onto cr, with the page's top-left at the current origin. */
void pm_paint_page(cairo_t *cr, const pm_page *page, int flags);
/* Paint one line with its baseline's left end at x, y; with tags, its links as PDF tags. */
void pm_paint_glyph_line(cairo_t *cr, const pm_line *line, double x, double y, int tags);

/* The devices. Each returns NULL (after a diagnostic) if the file cannot be started. */
pm_device *pm_device_pdf_new(const char *path);
pm_device *pm_device_dump_new(const char *path); /* "-" = standard output */
pm_device *pm_device_png_new(const char *dir, double dpi);
pm_device *pm_device_spreads_new(const char *path, double dpi);

/* PDF metadata shared by the PDF writers: title, author, dates, creator. */
void pm_pdf_set_metadata(cairo_surface_t *s, const pm_layout *lay);

#endif
