/* image.c - loading JPEG and PNG images (see image.h).
 *
 * Owns: reading an image file into memory, telling JPEG from PNG by magic bytes, the
 * size limits (checked from the JPEG SOF / PNG IHDR before anything is decoded), the
 * libjpeg and libpng error plumbing (setjmp/longjmp; libjpeg warnings about damaged data
 * are errors here), the bounds-checked EXIF orientation parser, JPEG passthrough (the
 * file's bytes ride on a cairo image surface as CAIRO_MIME_TYPE_JPEG; its pixels are
 * decoded only when a raster target paints it), the paint transform for the eight
 * EXIF orientations, each PDF writer's own source surfaces (pm_image_sources), a PNG's
 * iCCP profile (kept for the finishing pass), and --gray's conversion of every image to
 * grayscale through the copier tone curve (pm_image_gray_tone). */
#include "image/image.h"

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
#include <sys/stat.h>
#include <unistd.h>

#include <jerror.h>
#include <jpeglib.h>
#include <png.h>

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
    char *unique_id;     /* CAIRO_MIME_TYPE_UNIQUE_ID for passthrough JPEGs */
    unsigned char *icc;  /* a decoded image's embedded ICC profile (PNG iCCP), or NULL */
    size_t icc_len;
    int describe;        /* a passthrough JPEG with an ICC profile or an Adobe marker: the
                            finishing pass has something to add to its XObject */
    char *path, *ref_file;
    int ref_line;
};

/* ---- small helpers ------------------------------------------------------------------ */

/* The references are atomic: cairo releases mime data on whichever thread finishes the
 * PDF surface holding it. */
static blob *blob_ref(blob *b)
{
    __atomic_add_fetch(&b->refs, 1, __ATOMIC_RELAXED);
    return b;
}

static void blob_release(void *p)
{
    blob *b = p;
    if (b && __atomic_sub_fetch(&b->refs, 1, __ATOMIC_ACQ_REL) == 0) {
        free(b->data);
        free(b);
    }
}

static unsigned div255(unsigned v) { return (v + 128 + ((v + 128) >> 8)) >> 8; }

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
static void surface_to_gray(cairo_surface_t *s)
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
            if (a != 255) v = div255(v * a);
            row[x] = (alpha ? p & 0xff000000u : 0xff000000u) | v << 16 | v << 8 | v;
        }
    }
    cairo_surface_mark_dirty(s);
}

static uint32_t be32(const unsigned char *p)
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
static int check_dims(const char *path, const char *rf, int rl, const pm_image_limits *lim,
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

/* ---- EXIF orientation ---------------------------------------------------------------- */

static unsigned rd16(const unsigned char *p, int le)
{
    return le ? (unsigned)p[0] | (unsigned)p[1] << 8 : (unsigned)p[0] << 8 | p[1];
}

static uint32_t rd32(const unsigned char *p, int le)
{
    return le ? (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24
              : be32(p);
}

/* Orientation (IFD0 tag 0x0112) from the payload of an APP1 segment (the bytes after
 * the segment length): "Exif\0\0", a TIFF header ("II" or "MM", 42, IFD0 offset), IFD0.
 * Never reads outside p[0..n). 1 unless a valid SHORT value 1..8 is found. */
static int exif_orientation(const unsigned char *p, size_t n)
{
    if (n < 6 || memcmp(p, "Exif\0\0", 6) != 0) return 1;
    const unsigned char *t = p + 6; /* offsets below are relative to the TIFF header */
    size_t tn = n - 6;
    if (tn < 8) return 1;
    int le;
    if (t[0] == 'I' && t[1] == 'I') le = 1;
    else if (t[0] == 'M' && t[1] == 'M') le = 0;
    else return 1;
    if (rd16(t + 2, le) != 42) return 1;
    uint32_t ifd = rd32(t + 4, le);
    if (ifd < 8 || ifd > tn - 2) return 1;
    size_t count = rd16(t + ifd, le);
    size_t fit = (tn - ifd - 2) / 12; /* entries that lie wholly inside the buffer */
    if (count > fit) count = fit;
    for (size_t i = 0; i < count; i++) {
        const unsigned char *e = t + ifd + 2 + 12 * i;
        if (rd16(e, le) != 0x0112) continue;
        unsigned type = rd16(e + 2, le);
        uint32_t cnt = rd32(e + 4, le);
        if (type != 3 /* SHORT */ || cnt < 1) return 1;
        unsigned v = rd16(e + 8, le); /* one SHORT sits in the first half of the value */
        return v >= 1 && v <= 8 ? (int)v : 1;
    }
    return 1;
}

/* ---- JPEG ------------------------------------------------------------------------------ */

struct jerr {
    struct jpeg_error_mgr pub;
    jmp_buf jb;
    char msg[JMSG_LENGTH_MAX];
};

static void jerr_exit(j_common_ptr c)
{
    struct jerr *e = (struct jerr *)c->err;
    c->err->format_message(c, e->msg);
    longjmp(e->jb, 1);
}

/* Trace messages are ignored. Warnings mean damaged data ("Premature end of JPEG file",
 * "bad Huffman code", ...) and are errors: such a file passed through would be broken in
 * the PDF. Exceptions: warnings about metadata only, and junk between the last scan and
 * EOI, which every decoder skips. */
static void jerr_emit(j_common_ptr c, int level)
{
    if (level >= 0) return;
    int code = c->err->msg_code;
    if (code == JWRN_JFIF_MAJOR || code == JWRN_ADOBE_XFORM || code == JWRN_BOGUS_ICC) return;
    if (code == JWRN_EXTRANEOUS_DATA && c->err->msg_parm.i[1] == 0xd9) return;
    jerr_exit(c);
}

/* What the loader needs from a JPEG header. */
typedef struct jinfo {
    int w, h, nc, precision, arith, progressive, orientation;
} jinfo;

enum {
    JD_HEADER,   /* read the header (and EXIF orientation) only */
    JD_VALIDATE, /* also entropy-decode the whole image, output at 1/8 scale, gray */
    JD_PIXELS    /* decode at full size into xRGB32 pixels (cairo RGB24) */
};

typedef struct jrun {
    struct jpeg_decompress_struct cinfo;
    struct jerr err;
} jrun;

static void cmyk_row_to_xrgb(const unsigned char *src, uint32_t *dst, int w, int inverted)
{
    for (int x = 0; x < w; x++) {
        unsigned c = src[4 * x], m = src[4 * x + 1], y = src[4 * x + 2], k = src[4 * x + 3];
        if (!inverted) { /* Adobe writes 255 = no ink; plain CMYK has 0 = no ink */
            c = 255 - c;
            m = 255 - m;
            y = 255 - y;
            k = 255 - k;
        }
        dst[x] = 0xff000000u | div255(c * k) << 16 | div255(m * k) << 8 | div255(y * k);
    }
}

/* Runs libjpeg over data[0..len). Always fills *info from the header (the orientation
 * only in JD_HEADER mode, which keeps the APP1 segments). Returns 0, or -1
 * with the libjpeg message in msg. All state lives in *r so that nothing the error path
 * uses is a local variable changed after setjmp. */
static int jpeg_run(const unsigned char *data, size_t len, int mode, jinfo *info,
                    unsigned char *dst, int stride, char msg[JMSG_LENGTH_MAX])
{
    jrun *r = pm_xcalloc(1, sizeof *r);
    struct jpeg_decompress_struct *c = &r->cinfo;
    c->err = jpeg_std_error(&r->err.pub);
    r->err.pub.error_exit = jerr_exit;
    r->err.pub.emit_message = jerr_emit;
    if (setjmp(r->err.jb)) {
        snprintf(msg, JMSG_LENGTH_MAX, "%s", r->err.msg);
        jpeg_destroy_decompress(c);
        free(r);
        return -1;
    }
    jpeg_create_decompress(c);
    jpeg_mem_src(c, data, (unsigned long)len);
    if (mode == JD_HEADER) jpeg_save_markers(c, JPEG_APP0 + 1, 0xffff);
    jpeg_read_header(c, TRUE);
    info->w = (int)c->image_width;
    info->h = (int)c->image_height;
    info->nc = c->num_components;
    info->precision = c->data_precision;
    info->arith = c->arith_code;
    info->progressive = c->progressive_mode;
    if (mode == JD_HEADER) {
        info->orientation = 1;
        for (jpeg_saved_marker_ptr m = c->marker_list; m; m = m->next) {
            if (m->marker == JPEG_APP0 + 1 && m->data_length >= 6 &&
                !memcmp(m->data, "Exif\0\0", 6)) {
                info->orientation = exif_orientation(m->data, m->data_length);
                break;
            }
        }
    }
    if (mode == JD_VALIDATE) {
        /* Scaled to 1/8 only the DC coefficient is transformed and, with gray output,
         * only the luma component; the Huffman decoding, which is what finds truncated
         * or corrupt data, still covers every block. */
        c->scale_num = 1;
        c->scale_denom = 8;
        c->out_color_space = JCS_GRAYSCALE;
        c->dct_method = JDCT_IFAST;
        c->do_fancy_upsampling = FALSE;
        c->do_block_smoothing = FALSE;
        jpeg_start_decompress(c);
        JSAMPARRAY rows = (*c->mem->alloc_sarray)((j_common_ptr)c, JPOOL_IMAGE,
                                                  c->output_width * (JDIMENSION)c->output_components,
                                                  (JDIMENSION)c->rec_outbuf_height);
        while (c->output_scanline < c->output_height)
            jpeg_read_scanlines(c, rows, (JDIMENSION)c->rec_outbuf_height);
        jpeg_finish_decompress(c);
    } else if (mode == JD_PIXELS) {
        int cmyk = c->num_components == 4;
        if (cmyk) c->out_color_space = JCS_CMYK; /* libjpeg turns YCCK into CMYK */
        else {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
            c->out_color_space = JCS_EXT_XRGB;
#else
            c->out_color_space = JCS_EXT_BGRX; /* = cairo's native-endian xRGB32 */
#endif
        }
        jpeg_start_decompress(c);
        if ((int)c->output_width != info->w || (int)c->output_height != info->h) {
            snprintf(r->err.msg, sizeof r->err.msg, "decoded size differs from the header");
            longjmp(r->err.jb, 1);
        }
        JSAMPARRAY tmp = NULL;
        if (cmyk)
            tmp = (*c->mem->alloc_sarray)((j_common_ptr)c, JPOOL_IMAGE, c->output_width * 4, 1);
        while (c->output_scanline < c->output_height) {
            unsigned char *out = dst + (size_t)c->output_scanline * (size_t)stride;
            if (cmyk) {
                jpeg_read_scanlines(c, tmp, 1);
                cmyk_row_to_xrgb(tmp[0], (uint32_t *)(void *)out, info->w, c->saw_Adobe_marker);
            } else {
                JSAMPROW row = out;
                jpeg_read_scanlines(c, &row, 1);
            }
        }
        jpeg_finish_decompress(c);
    }
    jpeg_destroy_decompress(c);
    free(r);
    return 0;
}

/* Whether cairo 1.16's PDF backend will find this file's frame header: it walks the
 * marker segments from the start (_cairo_image_info_get_jpeg_info) and, when that fails
 * or finds something unexpected, quietly embeds the surface's pixels instead, which for
 * an undecoded passthrough surface would be a black box. Mirrors its walk, in bounds. */
static int cairo_finds_sof(const unsigned char *p, size_t n, const jinfo *ji)
{
    size_t i = 0;
    while (i + 1 < n) {
        if (p[i] != 0xff) return 0;
        unsigned m = p[++i];
        if (m == 0xff || m == 0x01 || m == 0xd8 || m == 0xd9 || (m >= 0xd0 && m <= 0xd7)) {
            i++;
            continue;
        }
        if (m >= 0xc0 && m <= 0xcf && m != 0xc4 && m != 0xc8 && m != 0xcc) {
            if (i + 8 >= n) return 0;
            int prec = p[i + 3], h = p[i + 4] << 8 | p[i + 5], w = p[i + 6] << 8 | p[i + 7];
            int nc = p[i + 8];
            return prec == 8 && w == ji->w && h == ji->h && nc == ji->nc && (nc == 1 || nc == 3 || nc == 4);
        }
        if (i + 2 >= n) return 0;
        i += 1 + (size_t)(p[i + 1] << 8 | p[i + 2]);
    }
    return 0;
}

/* Whether a JPEG's marker segments before its first scan hold an APP2 ICC_PROFILE chunk
 * or an APP14 Adobe marker (in bounds). */
static int jpeg_has_colour_marks(const unsigned char *p, size_t n)
{
    size_t i = 2;
    while (i + 4 <= n && p[i] == 0xff) {
        unsigned m = p[i + 1];
        if (m == 0xff || m == 0x01 || (m >= 0xd0 && m <= 0xd7)) {
            i += m == 0xff ? 1 : 2;
            continue;
        }
        if (m == 0xda || m == 0xd9) break;
        size_t len = (size_t)p[i + 2] << 8 | p[i + 3];
        if (m == 0xe2 && len >= 14 && i + 16 <= n && !memcmp(p + i + 4, "ICC_PROFILE", 12)) return 1;
        if (m == 0xee && len >= 7 && i + 9 <= n && !memcmp(p + i + 4, "Adobe", 5)) return 1;
        i += 2 + len;
    }
    return 0;
}

/* A 128-bit hash of the bytes, for CAIRO_MIME_TYPE_UNIQUE_ID (not cryptographic: two
 * independent multiply-rotate lanes over 8-byte words, then a strong finaliser). */
static uint64_t rotl64(uint64_t x, int r) { return x << r | x >> (64 - r); }

static uint64_t fmix64(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdull;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ull;
    x ^= x >> 33;
    return x;
}

static void hash128(const unsigned char *p, size_t n, uint64_t out[2])
{
    uint64_t a = 0x9e3779b97f4a7c15ull ^ n, b = 0x632be59bd9b4e019ull + n;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, p + i, 8);
        a = rotl64(a ^ (w * 0x87c37b91114253d5ull), 31) * 0x4cf5ad432745937full;
        b = rotl64(b + (w * 0xc2b2ae3d27d4eb4full), 29) * 0x165667b19e3779f9ull;
    }
    if (i < n) {
        uint64_t w = 0;
        memcpy(&w, p + i, n - i);
        a = rotl64(a ^ (w * 0x87c37b91114253d5ull), 31) * 0x4cf5ad432745937full;
        b = rotl64(b + (w * 0xc2b2ae3d27d4eb4full), 29) * 0x165667b19e3779f9ull;
    }
    a = fmix64(a ^ rotl64(b, 17));
    b = fmix64(b + a);
    out[0] = a;
    out[1] = b;
}

/* Attaches the JPEG bytes and the unique id to a PDF source surface (cairo would drop
 * both if the surface were flushed or drawn on; a source never is). */
static void attach_mime(pm_image *img, cairo_surface_t *proxy)
{
    blob_ref(img->jpeg);
    if (cairo_surface_set_mime_data(proxy, CAIRO_MIME_TYPE_JPEG, img->jpeg->data,
                                    img->jpeg->len, blob_release, img->jpeg) != CAIRO_STATUS_SUCCESS)
        blob_release(img->jpeg); /* cairo did not take it */
    char *id = pm_xstrdup(img->unique_id);
    if (cairo_surface_set_mime_data(proxy, CAIRO_MIME_TYPE_UNIQUE_ID, (unsigned char *)id,
                                    strlen(id), free, id) != CAIRO_STATUS_SUCCESS)
        free(id);
}

static pm_image *image_new(int format, const char *path, const char *rf, int rl)
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
static cairo_surface_t *new_surface(cairo_format_t fmt, int w, int h, const char *path,
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

/* The cheap structural check: after the first start-of-scan marker the file must hold an
 * end-of-image marker (0xFF 0xD9), which a file cut short has lost. */
static int jpeg_ends_after_scan(const unsigned char *p, size_t n)
{
    /* walk the marker segments (an EXIF thumbnail inside APP1 has markers of its own) */
    size_t i = 2, sos = 0;
    while (i + 4 <= n) {
        if (p[i] != 0xFF) return 0;
        unsigned char m = p[i + 1];
        if (m == 0xFF) { /* fill byte */
            i++;
            continue;
        }
        if (m == 0xDA) {
            sos = i;
            break;
        }
        if (m == 0x01 || (m >= 0xD0 && m <= 0xD7)) {
            i += 2;
            continue;
        }
        i += 2 + ((size_t)p[i + 2] << 8 | p[i + 3]);
    }
    if (!sos) return 0;
    for (size_t k = n - 1; k > sos + 1; k--)
        if (p[k - 1] == 0xFF && p[k] == 0xD9) return 1;
    return 0;
}

/* Takes ownership of data. */
static int load_jpeg(const char *path, const char *rf, int rl, const pm_image_limits *lim,
                     unsigned char *data, size_t len, pm_image **out)
{
    char msg[JMSG_LENGTH_MAX];
    jinfo ji;
    if (jpeg_run(data, len, JD_HEADER, &ji, NULL, 0, msg) != 0) {
        pm_error(rf, rl, 0, "%s: corrupt or unsupported JPEG: %s", path, msg);
        free(data);
        return PM_EINPUT;
    }
    int st = check_dims(path, rf, rl, lim, ji.w, ji.h);
    if (st != PM_OK) {
        free(data);
        return st;
    }
    /* Arithmetic-coded JPEGs and anything cairo's JPEG parser would not take are decoded
     * now, and so is every JPEG under --gray; 8-bit gray/YCbCr/RGB/CMYK/YCCK baseline or
     * progressive JPEGs pass through (cairo 1.16 writes DeviceGray, DeviceRGB or
     * DeviceCMYK; the finishing pass adds the Decode of Adobe CMYK files and the ICC
     * profile, output/finish_images.c). */
    int passthrough = !lim->gray && (ji.nc == 1 || ji.nc == 3 || ji.nc == 4) && ji.precision == 8 &&
                      !ji.arith && cairo_finds_sof(data, len, &ji);
    if (passthrough && !lim->thorough && !jpeg_ends_after_scan(data, len)) {
        pm_error(rf, rl, 0, "%s: truncated JPEG: the file ends inside the image data", path);
        free(data);
        return PM_EINPUT;
    }
    if (passthrough && lim->thorough && jpeg_run(data, len, JD_VALIDATE, &ji, NULL, 0, msg) != 0) {
        pm_error(rf, rl, 0, "%s: corrupt or truncated JPEG: %s", path, msg);
        free(data);
        return PM_EINPUT;
    }
    cairo_surface_t *surf = passthrough ? NULL : new_surface(CAIRO_FORMAT_RGB24, ji.w, ji.h, path, rf, rl);
    if (!passthrough && !surf) {
        free(data);
        return PM_EINPUT;
    }
    pm_image *img = image_new(FMT_JPEG, path, rf, rl);
    img->sw = ji.w;
    img->sh = ji.h;
    img->orientation = ji.orientation;
    if (passthrough) {
        img->passthrough = 1;
        img->jpeg = pm_xcalloc(1, sizeof *img->jpeg);
        img->jpeg->refs = 1;
        img->jpeg->data = data;
        img->jpeg->len = len;
        img->describe = jpeg_has_colour_marks(data, len);
        uint64_t hv[2];
        hash128(data, len, hv);
        char id[80];
        snprintf(id, sizeof id, "pamphlet-jpeg-%016llx%016llx-%zu", (unsigned long long)hv[0],
                 (unsigned long long)hv[1], len);
        img->unique_id = pm_xstrdup(id);
    } else {
        img->surf = surf;
        cairo_surface_flush(surf);
        int rc = jpeg_run(data, len, JD_PIXELS, &ji, cairo_image_surface_get_data(surf),
                          cairo_image_surface_get_stride(surf), msg);
        cairo_surface_mark_dirty(surf);
        free(data);
        if (rc != 0) {
            pm_error(rf, rl, 0, "%s: corrupt or truncated JPEG: %s", path, msg);
            pm_image_drop(img);
            return PM_EINPUT;
        }
        if (lim->gray) surface_to_gray(surf);
        img->decoded = 1;
    }
    *out = img;
    return PM_OK;
}

/* Decodes a passthrough JPEG's pixels into its surface (first raster paint). */
static int decode_lazily(pm_image *img)
{
    if (img->decoded) return 0;
    if (img->decode_failed || !img->jpeg) return -1;
    char msg[JMSG_LENGTH_MAX];
    jinfo ji;
    if (!img->surf) {
        img->surf = new_surface(CAIRO_FORMAT_RGB24, img->sw, img->sh, img->path, img->ref_file, img->ref_line);
        if (!img->surf) {
            img->decode_failed = 1;
            return -1;
        }
    }
    cairo_surface_flush(img->surf);
    int rc = jpeg_run(img->jpeg->data, img->jpeg->len, JD_PIXELS, &ji,
                      cairo_image_surface_get_data(img->surf),
                      cairo_image_surface_get_stride(img->surf), msg);
    cairo_surface_mark_dirty(img->surf);
    if (rc != 0) {
        img->decode_failed = 1;
        pm_error(img->ref_file, img->ref_line, 0, "%s: cannot decode JPEG: %s", img->path, msg);
        return -1;
    }
    img->decoded = 1;
    return 0;
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
    if (len < 33 || memcmp(data + 12, "IHDR", 4) != 0 || be32(data + 8) != 13) {
        pm_error(rf, rl, 0, "%s: corrupt or truncated PNG: no IHDR chunk", path);
        return PM_EINPUT;
    }
    int st = check_dims(path, rf, rl, lim, be32(data + 16), be32(data + 20));
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

    r->surf = new_surface(alpha ? CAIRO_FORMAT_ARGB32 : CAIRO_FORMAT_RGB24, (int)w, (int)h,
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
                cr = div255(cr * a);
                cg = div255(cg * a);
                cb = div255(cb * a);
            }
            o[x] = (uint32_t)a << 24 | cr << 16 | cg << 8 | cb;
        }
    }
    cairo_surface_mark_dirty(r->surf);
    if (lim->gray) surface_to_gray(r->surf);

    pm_image *img = image_new(FMT_PNG, path, rf, rl);
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
        return load_jpeg(path, ref_file, ref_line, &l, data, len, out);
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
    blob_release(img->jpeg);
    free(img->unique_id);
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
        if (cairo_surface_status(s) == CAIRO_STATUS_SUCCESS) attach_mime(img, s);
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
    if (!img->decoded && !pdf && decode_lazily(img) != 0) {
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
