/* image-imp.h - what image.c (files, limits, PNG, the public calls) and jpeg.c (JPEG and
 * EXIF) share: the image itself and the helpers both use. Not for other folders. */
#ifndef PM_IMAGE_IMP_H
#define PM_IMAGE_IMP_H

#include <cairo.h>
#include <stddef.h>
#include <stdint.h>

#include "image/image.h"

/* cairo image surfaces are limited to 32767 pixels a side. */
#define PM_IMAGE_MAX_SIDE 32767

enum { FMT_JPEG, FMT_PNG };

/* The JPEG file's bytes, shared by the image and by every cairo mime-data attachment
 * (cairo drops its attachment whenever the surface is flushed or modified, and may keep
 * the surface alive inside a PDF surface after the image itself is gone). */
typedef struct blob {
    int refs;
    size_t len;
    unsigned char *data;
} blob;

struct pm_image {
    int refs;            /* atomic: the writers' source sets keep images on their threads */
    int format;          /* FMT_JPEG or FMT_PNG */
    int sw, sh;          /* stored size in pixels (before orientation) */
    int orientation;     /* EXIF 1..8 */
    int passthrough;     /* JPEG bytes go to the PDF; pixels decoded lazily */
    int decoded;         /* surf holds valid pixels */
    int decode_failed;   /* the lazy decode failed once; do not retry */
    cairo_surface_t *surf;  /* the pixels (for a passthrough JPEG: made on first raster use);
                               never a PDF's source surface itself (see pdf_source) */
    blob *jpeg;          /* passthrough JPEGs only */
    unsigned char *icc;  /* a decoded image's embedded ICC profile (PNG iCCP), or NULL */
    size_t icc_len;
    int describe;        /* a passthrough JPEG with an ICC profile or an Adobe marker: the
                            finishing pass has something to add to its XObject */
    char *path, *ref_file;
    int ref_line;
};

/* image.c */
blob *pm_img_blob_ref(blob *b);
void pm_img_blob_release(void *p);
unsigned pm_img_div255(unsigned v);
void pm_img_surface_to_gray(cairo_surface_t *s);
uint32_t pm_img_be32(const unsigned char *p);
int pm_img_check_dims(const char *path, const char *rf, int rl, const pm_image_limits *lim,
                      long long w, long long h);
pm_image *pm_img_new(int format, const char *path, const char *rf, int rl);
/* A new RGB24/ARGB32 surface, or NULL with the error reported. */
cairo_surface_t *pm_img_new_surface(cairo_format_t fmt, int w, int h, const char *path,
                                    const char *rf, int rl);

/* jpeg.c */
/* A JPEG file's bytes (data, len: taken) as an image, passed through or decoded. */
int pm_img_load_jpeg(const char *path, const char *rf, int rl, const pm_image_limits *lim,
                     unsigned char *data, size_t len, pm_image **out);
/* A passthrough JPEG's pixels, decoded on first raster use; 0 when that failed. */
int pm_img_decode_lazily(pm_image *img);
/* The JPEG's bytes on the proxy surface as cairo mime data (and its unique id). */
void pm_img_attach_mime(pm_image *img, cairo_surface_t *proxy);

#endif
