/* image.h - loading JPEG and PNG images for placement on pages.
 *
 * JPEGs are embedded in the PDF as they are (their bytes attached to the cairo surface as
 * CAIRO_MIME_TYPE_JPEG), never re-encoded; their pixels are decoded only when a raster
 * writer (PNG proofs) draws them. PNGs are decoded to a cairo image surface, which cairo
 * writes losslessly. EXIF orientation is honoured by the paint transform, so rotated
 * phone photos stay passthrough JPEGs; so do gray and CMYK JPEGs (the finishing pass
 * describes them and keeps their ICC profiles). A PNG's iCCP profile is kept for the
 * finishing pass. Pixel limits are checked from the header, before anything is decoded. */
#ifndef PM_IMAGE_H
#define PM_IMAGE_H

#include <cairo.h>
#include <stddef.h>

typedef struct pm_image pm_image;

typedef struct pm_image_limits {
    double max_megapixels;  /* refuse larger images before decoding (default 100) */
    size_t max_file_bytes;  /* refuse larger files (default 256 MiB) */
    int thorough;           /* 1: check a passthrough JPEG's compressed data by decoding it
                               (a scaled-down decode, ~25 ms for a 3-megapixel photo);
                               0 (default): check its structure only (markers, scan and end
                               marker present), which catches truncated files */
    int gray;               /* 1 (--gray): every image decoded and made gray through the
                               copier tone curve (pm_image_gray_tone); no passthrough */
} pm_image_limits;

void pm_image_limits_default(pm_image_limits *lim);

/* Load an image file. ref_file/ref_line name the place in the content that refers to the
 * image; every error message is "ref_file:ref_line: error: PATH: what is wrong".
 * Returns PM_OK and a new image in *out, or PM_EINPUT (unsupported format, corrupt or
 * truncated data, too many pixels) or PM_EIO (missing or unreadable file), with the
 * diagnostic printed. lim may be NULL for defaults. */
int pm_image_load(const char *path, const char *ref_file, int ref_line,
                  const pm_image_limits *lim, pm_image **out);

/* Another reference / release one. */
pm_image *pm_image_keep(pm_image *img);
void pm_image_drop(pm_image *img);

/* Size as displayed (after EXIF orientation), in pixels. */
int pm_image_width(const pm_image *img);
int pm_image_height(const pm_image *img);
/* "jpeg" or "png". */
const char *pm_image_format(const pm_image *img);
/* 1 when the original JPEG bytes are what the PDF gets. */
int pm_image_is_passthrough(const pm_image *img);
/* EXIF orientation 1..8 (1 = upright; also for PNG). */
int pm_image_orientation(const pm_image *img);
/* Size as stored (before EXIF orientation), the size of its PDF image, in pixels. */
void pm_image_stored_size(const pm_image *img, int *w, int *h);
/* A decoded image's embedded ICC profile (a PNG's iCCP chunk; none under --gray), or
 * NULL. A passthrough JPEG's profile rides in its own bytes. */
const unsigned char *pm_image_icc(const pm_image *img, size_t *len);

/* A passthrough JPEG's size in bytes (0 for other images), and in *describe whether it
 * holds an ICC profile or an Adobe marker (the finishing pass reads its XObject then). */
size_t pm_image_jpeg_bytes(const pm_image *img, int *describe);

/* --gray's tone curve: the gray (0 black .. 255 white) an sRGB pixel becomes,
 * 0.1 + 0.9 * L^1.2 of its luma L (Rec. 601): white stays white, light tones darken a
 * little, the darkest tones stop at 90 % black so a copier keeps shadow detail. */
unsigned char pm_image_gray_tone(unsigned r, unsigned g, unsigned b);

/* A writer's PDF source surfaces for images. cairo attaches its snapshots to a source
 * surface without a lock, and two writers draw PDFs at the same time on two threads
 * (the reading PDF and the booklet); so each PDF writer paints images from source
 * surfaces of its own, made on first use and kept, with a reference to each image, until
 * the writer drops the set. A set is used by one thread at a time. */
typedef struct pm_image_sources pm_image_sources;
pm_image_sources *pm_image_sources_new(void);
void pm_image_sources_drop(pm_image_sources *set);
/* The images painted from set so far (borrowed; the array is new, free it). */
int pm_image_sources_images(pm_image_sources *set, pm_image ***out);
/* The passthrough JPEG painted from set whose bytes are the n at p, those very bytes
 * (what cairo writes of it into the PDF: the PDF writer leaves them out of its copy of
 * the PDF, output/pdf.c), or NULL. */
pm_image *pm_image_sources_jpeg(pm_image_sources *set, const void *p, size_t n);

/* Paint the image upright into the rectangle x,y,w,h (user space, y down) of cr. On a
 * PDF surface it is painted from set's source surface (with a NULL set from one made for
 * this paint only, so an image painted twice is embedded twice), and a passthrough JPEG
 * is not decoded. On any other target set is not used and a passthrough JPEG's pixels
 * are decoded on first use (a decode error then paints a grey box and returns -1);
 * raster targets paint from the image's own pixels, so one thread at a time. */
int pm_image_paint(cairo_t *cr, pm_image *img, pm_image_sources *set, double x, double y, double w,
                   double h);

#endif
