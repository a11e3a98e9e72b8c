/* jpeg.c - JPEG images (image.h): reading the markers (size, Adobe and ICC marks, EXIF
 * orientation, a file cut short), libjpeg's error plumbing (setjmp/longjmp; warnings
 * about damaged data are errors), passthrough (the file's bytes ride on a cairo surface as
 * CAIRO_MIME_TYPE_JPEG, with a content hash as its unique id) and the pixels decoded when
 * a raster target or --gray needs them. */
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
#include <sys/stat.h>
#include <unistd.h>

#include <jerror.h>
#include <jpeglib.h>

/* ---- EXIF orientation ---------------------------------------------------------------- */

static unsigned rd16(const unsigned char *p, int le)
{
    return le ? (unsigned)p[0] | (unsigned)p[1] << 8 : (unsigned)p[0] << 8 | p[1];
}

static uint32_t rd32(const unsigned char *p, int le)
{
    return le ? (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24
              : pm_img_be32(p);
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
        dst[x] = 0xff000000u | pm_img_div255(c * k) << 16 | pm_img_div255(m * k) << 8 | pm_img_div255(y * k);
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

/* Attaches the JPEG bytes and a unique id (their digest: made here, when cairo draws the
 * photo, not as it loads, where it was 1.5 ms of the page builder's for a 2.6 MB cover
 * photo that our own PDF writer names otherwise) to a PDF source surface (cairo would
 * drop both if the surface were flushed or drawn on; a source never is). */
void pm_img_attach_mime(pm_image *img, cairo_surface_t *proxy)
{
    pm_img_blob_ref(img->jpeg);
    if (cairo_surface_set_mime_data(proxy, CAIRO_MIME_TYPE_JPEG, img->jpeg->data,
                                    img->jpeg->len, pm_img_blob_release, img->jpeg) != CAIRO_STATUS_SUCCESS)
        pm_img_blob_release(img->jpeg); /* cairo did not take it */
    uint64_t hv[2];
    hash128(img->jpeg->data, img->jpeg->len, hv);
    char buf[80];
    snprintf(buf, sizeof buf, "pamphlet-jpeg-%016llx%016llx-%zu", (unsigned long long)hv[0], (unsigned long long)hv[1],
             img->jpeg->len);
    char *id = pm_xstrdup(buf);
    if (cairo_surface_set_mime_data(proxy, CAIRO_MIME_TYPE_UNIQUE_ID, (unsigned char *)id,
                                    strlen(id), free, id) != CAIRO_STATUS_SUCCESS)
        free(id);
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
int pm_img_load_jpeg(const char *path, const char *rf, int rl, const pm_image_limits *lim,
                     unsigned char *data, size_t len, pm_image **out)
{
    char msg[JMSG_LENGTH_MAX];
    jinfo ji;
    if (jpeg_run(data, len, JD_HEADER, &ji, NULL, 0, msg) != 0) {
        pm_error(rf, rl, 0, "%s: corrupt or unsupported JPEG: %s", path, msg);
        free(data);
        return PM_EINPUT;
    }
    int st = pm_img_check_dims(path, rf, rl, lim, ji.w, ji.h);
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
    cairo_surface_t *surf = passthrough ? NULL : pm_img_new_surface(CAIRO_FORMAT_RGB24, ji.w, ji.h, path, rf, rl);
    if (!passthrough && !surf) {
        free(data);
        return PM_EINPUT;
    }
    pm_image *img = pm_img_new(FMT_JPEG, path, rf, rl);
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
        if (lim->gray) pm_img_surface_to_gray(surf);
        img->decoded = 1;
    }
    *out = img;
    return PM_OK;
}

/* Decodes a passthrough JPEG's pixels into its surface (first raster paint). */
int pm_img_decode_lazily(pm_image *img)
{
    if (img->decoded) return 0;
    if (img->decode_failed || !img->jpeg) return -1;
    char msg[JMSG_LENGTH_MAX];
    jinfo ji;
    if (!img->surf) {
        img->surf = pm_img_new_surface(CAIRO_FORMAT_RGB24, img->sw, img->sh, img->path, img->ref_file, img->ref_line);
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
