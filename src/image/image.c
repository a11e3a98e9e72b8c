/* image.c - loading JPEG and PNG images (see image.h).
 *
 * Owns: reading an image file into memory, telling JPEG from PNG by magic bytes, the
 * size limits (checked from the JPEG SOF / PNG IHDR before anything is decoded), PNG
 * (libpng's error plumbing, its iCCP profile kept for the finishing pass), the paint
 * transform for the eight EXIF orientations, each PDF writer's own source surfaces
 * (pm_image_sources), and --gray's conversion of every image to grayscale through the
 * copier tone curve (pm_image_gray_tone). JPEG (markers, EXIF, passthrough, decoding)
 * is jpeg.c's; what both share is in image-imp.h. */
#include "image/image.h"
#include "image/image-imp.h"

#include "base/arena.h"
#include "base/diag.h"

#include <errno.h>
#include <glib.h>
#include <fcntl.h>
#include <math.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jerror.h>
#include <jpeglib.h>
#include <png.h>

/* ---- small helpers ------------------------------------------------------------------ */

/* The references are atomic: cairo releases mime data on whichever thread finishes the
 * PDF surface holding it. */
blob *pm_img_blob_ref(blob *b)
{
    __atomic_add_fetch(&b->refs, 1, __ATOMIC_RELAXED);
    return b;
}

void pm_img_blob_release(void *p)
{
    blob *b = p;
    if (b && __atomic_sub_fetch(&b->refs, 1, __ATOMIC_ACQ_REL) == 0) {
        free(b->data);
        free(b);
    }
}

unsigned pm_img_div255(unsigned v) { return (v + 128 + ((v + 128) >> 8)) >> 8; }

/* --gray: the luma of 8-bit R, G, B (Rec. 601 weights), through the tone curve. */
unsigned char pm_image_gray_tone(unsigned r, unsigned g, unsigned b)
{
    /* out = 0.1 + 0.9 * L^1.2: paper white stays white; light tones darken by at most a
     * few percent (a copier's background suppression would erase them otherwise), dark
     * tones are held off full black (at most 90 %) so shadow detail does not clog into
     * solid toner. The table is made on first use; every thread makes the same one. */
    static unsigned char lut[256];
    static int made;
    if (!__atomic_load_n(&made, __ATOMIC_ACQUIRE)) {
        unsigned char t[256];
        for (int i = 0; i < 256; i++) t[i] = (unsigned char)lround(255 * (0.1 + 0.9 * pow(i / 255.0, 1.2)));
        for (int i = 0; i < 256; i++) __atomic_store_n(&lut[i], t[i], __ATOMIC_RELAXED);
        __atomic_store_n(&made, 1, __ATOMIC_RELEASE);
    }
    return __atomic_load_n(&lut[(299 * r + 587 * g + 114 * b + 500) / 1000], __ATOMIC_RELAXED);
}

/* --gray: xRGB32/ARGB32 pixels (premultiplied) made gray in place. */
void pm_img_surface_to_gray(cairo_surface_t *s)
{
    unsigned char *px = cairo_image_surface_get_data(s);
    int w = cairo_image_surface_get_width(s), h = cairo_image_surface_get_height(s);
    size_t stride = (size_t)cairo_image_surface_get_stride(s);
    int alpha = cairo_image_surface_get_format(s) == CAIRO_FORMAT_ARGB32;
    cairo_surface_flush(s);
    for (int y = 0; y < h; y++) {
        uint32_t *row = (uint32_t *)(void *)(px + (size_t)y * stride);
        for (int x = 0; x < w; x++) {
            uint32_t p = row[x];
            unsigned a = alpha ? p >> 24 : 255, r = p >> 16 & 255, g = p >> 8 & 255, b = p & 255;
            if (a == 0) continue;
            if (a != 255) { /* the curve is for straight colour */
                r = r * 255 / a;
                g = g * 255 / a;
                b = b * 255 / a;
            }
            unsigned v = pm_image_gray_tone(r > 255 ? 255 : r, g > 255 ? 255 : g, b > 255 ? 255 : b);
            if (a != 255) v = pm_img_div255(v * a);
            row[x] = (alpha ? p & 0xff000000u : 0xff000000u) | v << 16 | v << 8 | v;
        }
    }
    cairo_surface_mark_dirty(s);
}

uint32_t pm_img_be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

void pm_image_limits_default(pm_image_limits *lim)
{
    memset(lim, 0, sizeof *lim);
    lim->max_megapixels = 100;
    lim->max_file_bytes = (size_t)256 << 20;
}

/* Limits in force: the caller's, with nonsensical values (zero, negative, NaN: which
 * would refuse every image) replaced by the defaults. */
static pm_image_limits effective_limits(const pm_image_limits *lim)
{
    pm_image_limits l;
    pm_image_limits_default(&l);
    if (lim) {
        if (lim->max_megapixels > 0) l.max_megapixels = lim->max_megapixels;
        if (lim->max_file_bytes > 0) l.max_file_bytes = lim->max_file_bytes;
        l.thorough = lim->thorough;
        l.gray = lim->gray;
    }
    return l;
}

/* Checks the stored size read from the header, before any decoding. */
int pm_img_check_dims(const char *path, const char *rf, int rl, const pm_image_limits *lim,
                      long long w, long long h)
{
    if (w <= 0 || h <= 0) {
        pm_error(rf, rl, 0, "%s: image has no pixels (%lld x %lld)", path, w, h);
        return PM_EINPUT;
    }
    double mp = (double)w * (double)h / 1e6;
    if (mp > lim->max_megapixels) {
        pm_error(rf, rl, 0, "%s: image is %lld x %lld pixels (%.3g megapixels); the limit is %g",
                 path, w, h, mp, lim->max_megapixels);
        return PM_EINPUT;
    }
    if (w > PM_IMAGE_MAX_SIDE || h > PM_IMAGE_MAX_SIDE) {
        pm_error(rf, rl, 0, "%s: image is %lld x %lld pixels; at most %d pixels a side are supported",
                 path, w, h, PM_IMAGE_MAX_SIDE);
        return PM_EINPUT;
    }
    return PM_OK;
}

/* A fresh buffer of a photo's megabytes, its pages faulted in by one call rather than a
 * trap per 4 KB as read() fills it: 2.6 MB read in 1.1-1.4 ms instead of 1.4-2.1 here
 * (MADV_POPULATE_WRITE, Linux 5.14; elsewhere nothing happens). */
static void prefault(unsigned char *buf, size_t n)
{
#ifdef MADV_POPULATE_WRITE
    if (n < (1u << 20)) return;
    uintptr_t a = ((uintptr_t)buf + 4095) & ~(uintptr_t)4095, e = ((uintptr_t)buf + n) & ~(uintptr_t)4095;
    if (e > a) (void)madvise((void *)a, e - a, MADV_POPULATE_WRITE);
#else
    (void)buf;
    (void)n;
#endif
}

/* Reads the whole file. PM_EIO if it cannot be read, PM_EINPUT if it exceeds max bytes
 * (checked from fstat before reading when the file is a regular one). */
static int read_file(const char *path, const char *rf, int rl, size_t max,
                     unsigned char **out, size_t *out_len)
{
    *out = NULL;
    *out_len = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        int e = errno;
        pm_error(rf, rl, 0, "%s: cannot open image: %s", path, strerror(e));
        /* a path to nothing is a mistake in the content (exit 1); an image that is there
           but cannot be read is an I/O error (exit 3) */
        return e == ENOENT || e == ENOTDIR || e == ENAMETOOLONG ? PM_EINPUT : PM_EIO;
    }
    struct stat st;
    int bad = fstat(fd, &st) != 0 ? errno : S_ISDIR(st.st_mode) ? EISDIR : 0;
    if (bad) {
        pm_error(rf, rl, 0, "%s: cannot read image: %s", path, strerror(bad));
        close(fd);
        return PM_EIO;
    }
    if (S_ISREG(st.st_mode) && (uintmax_t)st.st_size > max) {
        pm_error(rf, rl, 0, "%s: file is %jd bytes; the limit is %zu bytes", path,
                 (intmax_t)st.st_size, max);
        close(fd);
        return PM_EINPUT;
    }
    /* A regular file is read in one go (+1 to notice a file that grew); others in chunks. */
    size_t cap = S_ISREG(st.st_mode) ? (size_t)st.st_size + 1 : 65536;
    size_t len = 0;
    unsigned char *buf = pm_xmalloc(cap);
    prefault(buf, cap);
    for (;;) {
        if (len == cap) {
            if (len > max) break;
            cap = cap > SIZE_MAX / 2 ? SIZE_MAX : cap * 2;
            buf = pm_xrealloc(buf, cap);
        }
        ssize_t r = read(fd, buf + len, cap - len);
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) {
            int e = errno;
            pm_error(rf, rl, 0, "%s: cannot read image: %s", path, strerror(e));
            free(buf);
            close(fd);
            return PM_EIO;
        }
        if (r == 0) break;
        len += (size_t)r;
    }
    close(fd);
    if (len > max) {
        pm_error(rf, rl, 0, "%s: file is larger than the limit of %zu bytes", path, max);
        free(buf);
        return PM_EINPUT;
    }
    *out = buf;
    *out_len = len;
    return PM_OK;
}

/* The name of a well-known image (or other) format the file is in, for the message that
 * says it is unsupported; NULL if unrecognised. */
static const char *other_format(const unsigned char *p, size_t n)
{
    if (n >= 6 && (!memcmp(p, "GIF87a", 6) || !memcmp(p, "GIF89a", 6))) return "GIF";
    if (n >= 12 && !memcmp(p, "RIFF", 4) && !memcmp(p + 8, "WEBP", 4)) return "WebP";
    if (n >= 4 && (!memcmp(p, "II*\0", 4) || !memcmp(p, "MM\0*", 4))) return "TIFF";
    if (n >= 2 && !memcmp(p, "BM", 2)) return "BMP";
    if (n >= 5 && !memcmp(p, "%PDF-", 5)) return "PDF";
    if (n >= 4 && !memcmp(p, "%!PS", 4)) return "PostScript";
    if (n >= 12 && !memcmp(p, "\0\0\0\x0cjP  \r\n\x87\n", 12)) return "JPEG 2000";
    if (n >= 4 && !memcmp(p, "\xff\x4f\xff\x51", 4)) return "JPEG 2000";
    if (n >= 12 && !memcmp(p + 4, "ftyp", 4)) {
        if (!memcmp(p + 8, "avif", 4) || !memcmp(p + 8, "avis", 4)) return "AVIF";
        if (!memcmp(p + 8, "hei", 3) || !memcmp(p + 8, "mif1", 4) || !memcmp(p + 8, "heix", 4))
            return "HEIF";
    }
    if (n >= 4 && (!memcmp(p, "<svg", 4) || !memcmp(p, "<?xm", 4))) return "SVG/XML";
    return NULL;
}

/* Whether the first bytes are UTF-8 text without control characters (other than
 * white space); a sequence cut at the end of the sample is fine. */
static int looks_like_text(const unsigned char *p, size_t n)
{
    if (n > 512) n = 512;
    for (size_t i = 0; i < n;) {
        unsigned c = p[i];
        if (c < 0x80) {
            if ((c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f') || c == 0x7f)
                return 0;
            i++;
            continue;
        }
        size_t k = c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : 0;
        if (!k) return 0;
        for (size_t j = 1; j <= k && i + j < n; j++)
            if ((p[i + j] & 0xc0) != 0x80) return 0;
        i += k + 1;
    }
    return 1;
}

pm_image *pm_img_new(int format, const char *path, const char *rf, int rl)
{
    pm_image *img = pm_xcalloc(1, sizeof *img);
    img->refs = 1;
    img->format = format;
    img->orientation = 1;
    img->path = pm_xstrdup(path);
    img->ref_file = rf ? pm_xstrdup(rf) : NULL;
    img->ref_line = rl;
    return img;
}

/* A new RGB24/ARGB32 surface, or NULL with the error reported. Its pixels are zero
 * (pixman callocs them, so untouched pages cost no resident memory). */
cairo_surface_t *pm_img_new_surface(cairo_format_t fmt, int w, int h, const char *path,
                                    const char *rf, int rl)
{
    cairo_surface_t *s = cairo_image_surface_create(fmt, w, h);
    if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
        pm_error(rf, rl, 0, "%s: cannot make a %d x %d pixel image: %s", path, w, h,
                 cairo_status_to_string(cairo_surface_status(s)));
        cairo_surface_destroy(s);
        return NULL;
    }
    return s;
}

/* ---- PNG --------------------------------------------------------------------------- */

typedef struct pngrun {
    png_structp png;
    png_infop info;
    const unsigned char *data;
    size_t len, pos;
    cairo_surface_t *surf;
    png_bytep *rows;
    char msg[256];
} pngrun;

static void png_read_mem(png_structp png, png_bytep out, size_t n)
{
    pngrun *r = png_get_io_ptr(png);
    if (n > r->len - r->pos) png_error(png, "unexpected end of file");
    memcpy(out, r->data + r->pos, n);
    r->pos += n;
}

static void png_on_error(png_structp png, png_const_charp m)
{
    pngrun *r = png_get_error_ptr(png);
    snprintf(r->msg, sizeof r->msg, "%s", m);
    png_longjmp(png, 1);
}

static void png_on_warning(png_structp png, png_const_charp m)
{
    (void)png; /* e.g. "iCCP: known incorrect sRGB profile": nothing the user must fix */
    (void)m;
}

static void pngrun_free(pngrun *r)
{
    png_destroy_read_struct(&r->png, &r->info, NULL);
    if (r->surf) cairo_surface_destroy(r->surf);
    free(r->rows);
    free(r);
}

static int load_png(const char *path, const char *rf, int rl, const pm_image_limits *lim,
                    const unsigned char *data, size_t len, pm_image **out)
{
    /* The size comes from the IHDR, which must be the first chunk, before libpng runs. */
    if (len < 33 || memcmp(data + 12, "IHDR", 4) != 0 || pm_img_be32(data + 8) != 13) {
        pm_error(rf, rl, 0, "%s: corrupt or truncated PNG: no IHDR chunk", path);
        return PM_EINPUT;
    }
    int st = pm_img_check_dims(path, rf, rl, lim, pm_img_be32(data + 16), pm_img_be32(data + 20));
    if (st != PM_OK) return st;

    pngrun *r = pm_xcalloc(1, sizeof *r);
    r->data = data;
    r->len = len;
    r->png = png_create_read_struct(PNG_LIBPNG_VER_STRING, r, png_on_error, png_on_warning);
    if (r->png) r->info = png_create_info_struct(r->png);
    if (!r->png || !r->info) {
        pm_error(rf, rl, 0, "%s: cannot start libpng (out of memory)", path);
        pngrun_free(r);
        return PM_EINPUT;
    }
    if (setjmp(png_jmpbuf(r->png))) {
        pm_error(rf, rl, 0, "%s: corrupt or truncated PNG: %s", path, r->msg);
        pngrun_free(r);
        return PM_EINPUT;
    }
    png_set_read_fn(r->png, r, png_read_mem);
    png_read_info(r->png, r->info);
    png_uint_32 w, h;
    int depth, ctype, interlace;
    png_get_IHDR(r->png, r->info, &w, &h, &depth, &ctype, &interlace, NULL, NULL);
    int trns = png_get_valid(r->png, r->info, PNG_INFO_tRNS) != 0;
    int alpha = (ctype & PNG_COLOR_MASK_ALPHA) || trns;
    /* Everything becomes 8-bit R,G,B,A or R,G,B,filler. */
    if (ctype == PNG_COLOR_TYPE_PALETTE) png_set_palette_to_rgb(r->png);
    if (ctype == PNG_COLOR_TYPE_GRAY && depth < 8) png_set_expand_gray_1_2_4_to_8(r->png);
    if (trns) png_set_tRNS_to_alpha(r->png);
    if (depth == 16) png_set_scale_16(r->png);
    if (!(ctype & PNG_COLOR_MASK_COLOR)) png_set_gray_to_rgb(r->png);
    if (!alpha) png_set_filler(r->png, 0xff, PNG_FILLER_AFTER);
    png_set_interlace_handling(r->png);
    png_read_update_info(r->png, r->info);
    if (png_get_rowbytes(r->png, r->info) != (size_t)w * 4)
        png_error(r->png, "unexpected row layout after transformations");

    r->surf = pm_img_new_surface(alpha ? CAIRO_FORMAT_ARGB32 : CAIRO_FORMAT_RGB24, (int)w, (int)h,
                          path, rf, rl);
    if (!r->surf) {
        pngrun_free(r);
        return PM_EINPUT;
    }
    unsigned char *px = cairo_image_surface_get_data(r->surf);
    size_t stride = (size_t)cairo_image_surface_get_stride(r->surf);
    r->rows = pm_xmalloc(h * sizeof *r->rows);
    for (png_uint_32 y = 0; y < h; y++) r->rows[y] = px + y * stride;
    cairo_surface_flush(r->surf);
    png_read_image(r->png, r->rows);
    png_read_end(r->png, NULL); /* a PNG cut after its last IDAT is truncated too */

    /* R,G,B,A bytes -> native-endian (premultiplied) ARGB words, in place. */
    for (png_uint_32 y = 0; y < h; y++) {
        unsigned char *b = r->rows[y];
        uint32_t *o = (uint32_t *)(void *)b;
        for (png_uint_32 x = 0; x < w; x++) {
            unsigned cr = b[4 * x], cg = b[4 * x + 1], cb = b[4 * x + 2], a = b[4 * x + 3];
            if (!alpha) a = 255;
            else if (a != 255) {
                cr = pm_img_div255(cr * a);
                cg = pm_img_div255(cg * a);
                cb = pm_img_div255(cb * a);
            }
            o[x] = (uint32_t)a << 24 | cr << 16 | cg << 8 | cb;
        }
    }
    cairo_surface_mark_dirty(r->surf);
    if (lim->gray) pm_img_surface_to_gray(r->surf);

    pm_image *img = pm_img_new(FMT_PNG, path, rf, rl);
    png_charp icc_name;
    int icc_comp;
    png_bytep icc;
    png_uint_32 icc_len;
    if (!lim->gray && png_get_iCCP(r->png, r->info, &icc_name, &icc_comp, &icc, &icc_len) && icc_len >= 128) {
        img->icc = pm_xmalloc(icc_len);
        memcpy(img->icc, icc, icc_len);
        img->icc_len = icc_len;
    }
    img->sw = (int)w;
    img->sh = (int)h;
    img->decoded = 1;
    img->surf = r->surf;
    r->surf = NULL;
    pngrun_free(r);
    *out = img;
    return PM_OK;
}

/* ---- public -------------------------------------------------------------------------- */

int pm_image_load(const char *path, const char *ref_file, int ref_line,
                  const pm_image_limits *lim, pm_image **out)
{
    *out = NULL;
    pm_image_limits l = effective_limits(lim);
    unsigned char *data;
    size_t len;
    int st = read_file(path, ref_file, ref_line, l.max_file_bytes, &data, &len);
    if (st != PM_OK) return st;
    if (len == 0) {
        pm_error(ref_file, ref_line, 0, "%s: file is empty; supported formats are JPEG and PNG", path);
        free(data);
        return PM_EINPUT;
    }
    if (len >= 3 && data[0] == 0xff && data[1] == 0xd8 && data[2] == 0xff)
        return pm_img_load_jpeg(path, ref_file, ref_line, &l, data, len, out);
    if (len >= 8 && !memcmp(data, "\x89PNG\r\n\x1a\n", 8)) {
        st = load_png(path, ref_file, ref_line, &l, data, len, out);
        free(data);
        return st;
    }
    const char *other = other_format(data, len);
    if (other)
        pm_error(ref_file, ref_line, 0, "%s: %s images are not supported; supported formats are JPEG and PNG",
                 path, other);
    else
        pm_error(ref_file, ref_line, 0, "%s: not a JPEG or PNG image (%s); supported formats are JPEG and PNG",
                 path, looks_like_text(data, len) ? "the file looks like text" : "unknown format");
    free(data);
    return PM_EINPUT;
}

pm_image *pm_image_keep(pm_image *img)
{
    if (img) __atomic_add_fetch(&img->refs, 1, __ATOMIC_RELAXED);
    return img;
}

void pm_image_drop(pm_image *img)
{
    if (!img || __atomic_sub_fetch(&img->refs, 1, __ATOMIC_ACQ_REL) > 0) return;
    /* The PDF source surfaces may live on (referenced by a PDF surface); they hold their
     * own references to the JPEG bytes (mime data) or to the pixels (user data). */
    if (img->surf) cairo_surface_destroy(img->surf);
    pm_img_blob_release(img->jpeg);
    free(img->icc);
    free(img->path);
    free(img->ref_file);
    free(img);
}

int pm_image_width(const pm_image *img) { return img->orientation >= 5 ? img->sh : img->sw; }
int pm_image_height(const pm_image *img) { return img->orientation >= 5 ? img->sw : img->sh; }
const char *pm_image_format(const pm_image *img) { return img->format == FMT_PNG ? "png" : "jpeg"; }
int pm_image_is_passthrough(const pm_image *img) { return img->passthrough; }
int pm_image_orientation(const pm_image *img) { return img->orientation; }

const unsigned char *pm_image_icc(const pm_image *img, size_t *len)
{
    *len = img->icc_len;
    return img->icc;
}

size_t pm_image_jpeg_bytes(const pm_image *img, int *describe)
{
    *describe = img->describe;
    return img->jpeg ? img->jpeg->len : 0;
}

void pm_image_stored_size(const pm_image *img, int *w, int *h)
{
    *w = img->sw;
    *h = img->sh;
}

/* The matrix taking stored pixel coordinates (x, y) to displayed ones (u, v) for an
 * EXIF orientation; sw, sh = stored size. u = xx*x + xy*y + x0, v = yx*x + yy*y + y0. */
static void orientation_matrix(int o, double sw, double sh, cairo_matrix_t *m)
{
    switch (o) {
    case 2: cairo_matrix_init(m, -1, 0, 0, 1, sw, 0); break;  /* mirrored left-right */
    case 3: cairo_matrix_init(m, -1, 0, 0, -1, sw, sh); break; /* rotated 180 */
    case 4: cairo_matrix_init(m, 1, 0, 0, -1, 0, sh); break;   /* mirrored top-bottom */
    case 5: cairo_matrix_init(m, 0, 1, 1, 0, 0, 0); break;     /* transposed */
    case 6: cairo_matrix_init(m, 0, 1, -1, 0, sh, 0); break;   /* shown turned 90 cw */
    case 7: cairo_matrix_init(m, 0, -1, -1, 0, sh, sw); break; /* transversed */
    case 8: cairo_matrix_init(m, 0, -1, 1, 0, 0, sw); break;   /* shown turned 90 ccw */
    default: cairo_matrix_init_identity(m); break;
    }
}

/* A PDF source surface for img, new: for a passthrough JPEG a 1x1 surface carrying its
 * bytes, which is all a PDF needs (a PDF image fills a unit square whatever its pixel
 * size; a full-size surface would cost a copy of its pixels when destroyed, as cairo
 * keeps a copy-on-write snapshot of it); else a surface over the image's pixels, which
 * are never modified again, holding a reference to them. NULL if cairo fails. */
static cairo_surface_t *pdf_source(pm_image *img)
{
    static const cairo_user_data_key_t pixels_key;
    cairo_surface_t *s;
    if (img->passthrough) {
        s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 1, 1);
        if (cairo_surface_status(s) == CAIRO_STATUS_SUCCESS) pm_img_attach_mime(img, s);
    } else {
        /* no flush of img->surf: that would detach other writers' snapshots */
        s = cairo_image_surface_create_for_data(cairo_image_surface_get_data(img->surf),
                                                cairo_image_surface_get_format(img->surf),
                                                img->sw, img->sh,
                                                cairo_image_surface_get_stride(img->surf));
        if (cairo_surface_status(s) == CAIRO_STATUS_SUCCESS &&
            cairo_surface_set_user_data(s, &pixels_key, cairo_surface_reference(img->surf),
                                        (cairo_destroy_func_t)cairo_surface_destroy) != CAIRO_STATUS_SUCCESS)
            cairo_surface_destroy(img->surf); /* cairo did not take the reference */
    }
    if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(s);
        return NULL;
    }
    return s;
}

struct pm_image_sources {
    GHashTable *map; /* pm_image * (a reference) -> its cairo_surface_t * (owned) */
};

static void source_free(void *p) { cairo_surface_destroy(p); }
static void image_unref(void *p) { pm_image_drop(p); }

pm_image_sources *pm_image_sources_new(void)
{
    pm_image_sources *set = pm_xcalloc(1, sizeof *set);
    set->map = g_hash_table_new_full(g_direct_hash, g_direct_equal, image_unref, source_free);
    return set;
}

int pm_image_sources_images(pm_image_sources *set, pm_image ***out)
{
    guint n = 0;
    gpointer *keys = g_hash_table_get_keys_as_array(set->map, &n);
    *out = pm_xmalloc((n ? n : 1) * sizeof **out);
    for (guint i = 0; i < n; i++) (*out)[i] = keys[i];
    g_free(keys);
    return (int)n;
}

pm_image *pm_image_sources_jpeg(pm_image_sources *set, const void *p, size_t n)
{
    GHashTableIter it;
    gpointer k, v;
    g_hash_table_iter_init(&it, set->map);
    while (g_hash_table_iter_next(&it, &k, &v)) {
        const pm_image *img = k;
        if (img->passthrough && img->jpeg && (const void *)img->jpeg->data == p && img->jpeg->len == n)
            return k;
    }
    return NULL;
}

void pm_image_sources_drop(pm_image_sources *set)
{
    if (!set) return;
    g_hash_table_destroy(set->map);
    free(set);
}

/* img's source surface in set (made on first use), or without a set one for this paint
 * only (a reference the caller releases). NULL if cairo fails. */
static cairo_surface_t *source_in(pm_image_sources *set, pm_image *img)
{
    if (!set) return pdf_source(img);
    cairo_surface_t *s = g_hash_table_lookup(set->map, img);
    if (!s && (s = pdf_source(img))) g_hash_table_insert(set->map, pm_image_keep(img), s);
    return s ? cairo_surface_reference(s) : NULL;
}

int pm_image_paint(cairo_t *cr, pm_image *img, pm_image_sources *set, double x, double y, double w, double h)
{
    if (!(w > 0) || !(h > 0) || !isfinite(x) || !isfinite(y) || !isfinite(w) || !isfinite(h))
        return 0;
    int pdf = cairo_surface_get_type(cairo_get_target(cr)) == CAIRO_SURFACE_TYPE_PDF;
    if (!img->decoded && !pdf && pm_img_decode_lazily(img) != 0) {
        cairo_save(cr);
        cairo_new_path(cr);
        cairo_rectangle(cr, x, y, w, h);
        cairo_set_source_rgb(cr, 0.5, 0.5, 0.5);
        cairo_fill(cr);
        cairo_restore(cr);
        return -1;
    }
    cairo_matrix_t m;
    orientation_matrix(img->orientation, img->sw, img->sh, &m);
    cairo_save(cr);
    cairo_new_path(cr);
    cairo_translate(cr, x, y);
    cairo_scale(cr, w / pm_image_width(img), h / pm_image_height(img));
    cairo_transform(cr, &m);
    cairo_surface_t *src = pdf ? source_in(set, img) : cairo_surface_reference(img->surf);
    if (!src) {
        cairo_restore(cr);
        return -1;
    }
    if (pdf && img->passthrough) {
        cairo_scale(cr, img->sw, img->sh); /* the 1x1 source fills the stored size */
        cairo_set_source_surface(cr, src, 0, 0);
        cairo_paint(cr);
        cairo_restore(cr);
        cairo_surface_destroy(src);
        return 0;
    }
    cairo_set_source_surface(cr, src, 0, 0);
    if (pdf) {
        /* A plain image XObject: EXTEND_NONE, no clip path. */
        cairo_paint(cr);
    } else {
        /* Padding keeps scaled edges from fading into the background. */
        cairo_pattern_set_extend(cairo_get_source(cr), CAIRO_EXTEND_PAD);
        cairo_rectangle(cr, 0, 0, img->sw, img->sh);
        cairo_fill(cr);
    }
    cairo_restore(cr);
    cairo_surface_destroy(src);
    return 0;
}
