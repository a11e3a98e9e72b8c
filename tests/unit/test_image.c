/* test_image.c - unit tests for the JPEG/PNG loader (src/image/image.c).
 *
 * Fixtures live in tests/data/images (see its README), found relative to the repository
 * root or under $PM_TEST_DATA/images. Crafted variants (EXIF segments, zero sizes, other
 * formats) are written at run time into a temporary directory. */
#define _GNU_SOURCE /* memmem */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/diag.h"
#include "image/image.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define REF_FILE "chapter.md"
#define REF_LINE 42
#define REF "chapter.md:42: error: "

static char images_dir[PATH_MAX];
static char tmp_dir[PATH_MAX];

/* ---- helpers ---------------------------------------------------------------------------- */

static char diag_text[16384];
static int diag_lines;

static void sink(void *ud, pm_severity sev, const char *line)
{
    (void)ud;
    (void)sev;
    size_t n = strlen(diag_text);
    snprintf(diag_text + n, sizeof diag_text - n, "%s\n", line);
    diag_lines++;
}

static void diag_clear(void)
{
    diag_text[0] = 0;
    diag_lines = 0;
}

/* Path of a fixture (a few rotating buffers, so two can be live at once). */
static const char *fx(const char *name)
{
    static char buf[4][PATH_MAX];
    static int i;
    i = (i + 1) % 4;
    if (snprintf(buf[i], sizeof buf[i], "%s/%s", images_dir, name) >= (int)sizeof buf[i])
        fail_msg("path too long");
    return buf[i];
}

static const char *tmp_path(const char *name)
{
    static char buf[4][PATH_MAX];
    static int i;
    i = (i + 1) % 4;
    if (snprintf(buf[i], sizeof buf[i], "%s/%s", tmp_dir, name) >= (int)sizeof buf[i])
        fail_msg("path too long");
    return buf[i];
}

static unsigned char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    unsigned char *buf = NULL;
    size_t n = 0, cap = 0;
    for (;;) {
        if (n == cap) {
            cap = cap ? cap * 2 : 4096;
            buf = realloc(buf, cap);
            assert_non_null(buf);
        }
        size_t r = fread(buf + n, 1, cap - n, f);
        if (r == 0) break;
        n += r;
    }
    fclose(f);
    *len = n;
    return buf;
}

static void spit(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

static pm_image *load_ok(const char *name)
{
    pm_image *img = NULL;
    diag_clear();
    int st = pm_image_load(fx(name), REF_FILE, REF_LINE, NULL, &img);
    if (st != PM_OK) fprintf(stderr, "loading %s: %s", name, diag_text);
    assert_int_equal(st, PM_OK);
    assert_non_null(img);
    assert_int_equal(diag_lines, 0);
    return img;
}

/* Loads path expecting failure with status want; checks the message's form: one line,
 * "chapter.md:42: error: PATH: ...", containing each of the given fragments. */
static void load_fails(const char *path, const pm_image_limits *lim, int want, ...)
{
    pm_image *img = (pm_image *)&img; /* must be reset to NULL */
    diag_clear();
    int st = pm_image_load(path, REF_FILE, REF_LINE, lim, &img);
    assert_int_equal(st, want);
    assert_null(img);
    assert_int_equal(diag_lines, 1);
    char prefix[PATH_MAX + 64];
    snprintf(prefix, sizeof prefix, REF "%s: ", path);
    if (strncmp(diag_text, prefix, strlen(prefix)) != 0)
        fail_msg("message \"%s\" does not start with \"%s\"", diag_text, prefix);
    va_list ap;
    va_start(ap, want);
    for (const char *frag; (frag = va_arg(ap, const char *));)
        if (!strstr(diag_text, frag)) fail_msg("message \"%s\" lacks \"%s\"", diag_text, frag);
    va_end(ap);
}

/* Paints img into (x, y, w, h) of a fresh sw x sh ARGB32 surface, cleared to transparent
 * (bg = 0) or filled with bg, with operator SOURCE so premultiplied pixels show as they
 * are. Returns the surface. */
static cairo_surface_t *paint_to_image(pm_image *img, int sw, int sh, double x, double y,
                                       double w, double h, uint32_t bg, int *rc)
{
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, sw, sh);
    cairo_t *cr = cairo_create(s);
    cairo_set_source_rgba(cr, ((bg >> 16) & 255) / 255.0, ((bg >> 8) & 255) / 255.0,
                          (bg & 255) / 255.0, (bg >> 24) / 255.0);
    cairo_set_operator(cr, CAIRO_OPERATOR_SOURCE);
    cairo_paint(cr);
    *rc = pm_image_paint(cr, img, NULL, x, y, w, h); /* a raster target needs no sources */
    assert_int_equal(cairo_status(cr), CAIRO_STATUS_SUCCESS);
    cairo_destroy(cr);
    cairo_surface_flush(s);
    return s;
}

static uint32_t pixel(cairo_surface_t *s, int x, int y)
{
    assert_true(x >= 0 && y >= 0 && x < cairo_image_surface_get_width(s) &&
                y < cairo_image_surface_get_height(s));
    const unsigned char *d = cairo_image_surface_get_data(s);
    uint32_t v;
    memcpy(&v, d + (size_t)y * (size_t)cairo_image_surface_get_stride(s) + 4 * (size_t)x, 4);
    return v;
}

/* Asserts a (premultiplied) ARGB pixel is within tol of 0xAARRGGBB in every channel. */
static void check_px(cairo_surface_t *s, int x, int y, uint32_t want, int tol, const char *what)
{
    uint32_t got = pixel(s, x, y);
    for (int sh = 0; sh < 32; sh += 8) {
        int a = (int)((got >> sh) & 255), b = (int)((want >> sh) & 255);
        if (abs(a - b) > tol)
            fail_msg("%s: pixel (%d,%d) is %08x, want %08x (+-%d)", what, x, y, got, want, tol);
    }
}

/* Quadrant centres of the 64 x 48 test pictures: TL, TR, BL, BR. */
static const int qx[4] = {16, 48, 16, 48}, qy[4] = {12, 12, 36, 36};

static void check_quadrants(pm_image *img, const uint32_t want[4], int tol, const char *what)
{
    assert_int_equal(pm_image_width(img), 64);
    assert_int_equal(pm_image_height(img), 48);
    int rc;
    cairo_surface_t *s = paint_to_image(img, 64, 48, 0, 0, 64, 48, 0, &rc);
    assert_int_equal(rc, 0);
    for (int i = 0; i < 4; i++) check_px(s, qx[i], qy[i], want[i], tol, what);
    cairo_surface_destroy(s);
}

static const uint32_t QUAD[4] = {0xffff0000, 0xff00ff00, 0xff0000ff, 0xffffffff};

/* PDF written to memory. */
typedef struct {
    unsigned char *data;
    size_t len, cap;
} membuf;

static cairo_status_t mem_write(void *closure, const unsigned char *data, unsigned int len)
{
    membuf *m = closure;
    if (m->len + len > m->cap) {
        m->cap = (m->len + len) * 2;
        m->data = realloc(m->data, m->cap);
        if (!m->data) return CAIRO_STATUS_WRITE_ERROR;
    }
    memcpy(m->data + m->len, data, len);
    m->len += len;
    return CAIRO_STATUS_SUCCESS;
}

/* A one-page PDF with each image painted once (NULLs skipped). */
static membuf pdf_of(pm_image *a, pm_image *b)
{
    membuf m = {0};
    cairo_surface_t *s = cairo_pdf_surface_create_for_stream(mem_write, &m, 300, 300);
    cairo_t *cr = cairo_create(s);
    pm_image_sources *set = pm_image_sources_new();
    if (a) assert_int_equal(pm_image_paint(cr, a, set, 10, 10, 120, 90), 0);
    if (b) assert_int_equal(pm_image_paint(cr, b, set, 10, 150, 120, 90), 0);
    cairo_destroy(cr);
    pm_image_sources_drop(set);
    cairo_surface_finish(s);
    assert_int_equal(cairo_surface_status(s), CAIRO_STATUS_SUCCESS);
    cairo_surface_destroy(s);
    assert_non_null(m.data);
    return m;
}

static int count_occurrences(const membuf *hay, const unsigned char *needle, size_t n)
{
    int count = 0;
    const unsigned char *p = hay->data, *end = hay->data + hay->len;
    while (p < end) {
        const unsigned char *q = memmem(p, (size_t)(end - p), needle, n);
        if (!q) break;
        count++;
        p = q + 1;
    }
    return count;
}

/* ---- JPEG ------------------------------------------------------------------------------ */

static void test_jpeg_baseline(void **state)
{
    (void)state;
    pm_image *img = load_ok("rgb.jpg");
    assert_string_equal(pm_image_format(img), "jpeg");
    assert_int_equal(pm_image_is_passthrough(img), 1);
    assert_int_equal(pm_image_orientation(img), 1);
    check_quadrants(img, QUAD, 6, "rgb.jpg");
    pm_image_drop(img);
}

static void test_jpeg_progressive(void **state)
{
    (void)state;
    pm_image *img = load_ok("progressive.jpg");
    assert_string_equal(pm_image_format(img), "jpeg");
    assert_int_equal(pm_image_is_passthrough(img), 1);
    check_quadrants(img, QUAD, 6, "progressive.jpg");
    pm_image_drop(img);
}

static void test_jpeg_gray(void **state)
{
    (void)state;
    pm_image *img = load_ok("gray.jpg");
    assert_int_equal(pm_image_is_passthrough(img), 1);
    static const uint32_t want[4] = {0xff363636, 0xffb6b6b6, 0xff121212, 0xffffffff};
    check_quadrants(img, want, 4, "gray.jpg");
    pm_image_drop(img);
}

static void test_jpeg_cmyk(void **state)
{
    (void)state;
    /* ImageMagick writes Adobe-inverted YCCK; the colours must come back, not their
     * negatives, when a raster target decodes it. */
    pm_image *img = load_ok("cmyk.jpg");
    assert_string_equal(pm_image_format(img), "jpeg");
    assert_int_equal(pm_image_is_passthrough(img), 1);
    check_quadrants(img, QUAD, 10, "cmyk.jpg");
    /* Passthrough: the PDF holds the CMYK file's bytes, once (the finishing pass adds
     * its /Decode, output/finish_images.c). */
    size_t len;
    unsigned char *bytes = slurp(fx("cmyk.jpg"), &len);
    membuf pdf = pdf_of(img, NULL);
    assert_int_equal(count_occurrences(&pdf, bytes, len), 1);
    free(pdf.data);
    free(bytes);
    pm_image_drop(img);
}

static void test_gray_option(void **state)
{
    (void)state;
    /* --gray: no passthrough, every pixel neutral, the tone curve's ends as documented */
    pm_image_limits lim;
    pm_image_limits_default(&lim);
    lim.gray = 1;
    const char *names[] = {"cmyk.jpg", "rgb.jpg", "gray.jpg"};
    for (int n = 0; n < 3; n++) {
        pm_image *img = NULL;
        assert_int_equal(pm_image_load(fx(names[n]), REF_FILE, REF_LINE, &lim, &img), PM_OK);
        assert_int_equal(pm_image_is_passthrough(img), 0);
        int rc;
        cairo_surface_t *s = paint_to_image(img, 64, 48, 0, 0, 64, 48, 0xff808080, &rc);
        assert_int_equal(rc, 0);
        for (int y = 0; y < 48; y += 3)
            for (int x = 0; x < 64; x += 3) {
                uint32_t p = pixel(s, x, y);
                assert_int_equal(p >> 16 & 255, p & 255);
                assert_int_equal(p >> 8 & 255, p & 255);
            }
        cairo_surface_destroy(s);
        pm_image_drop(img);
    }
    assert_int_equal(pm_image_gray_tone(255, 255, 255), 255);
    assert_int_equal(pm_image_gray_tone(0, 0, 0), 26); /* at most 90 % black */
    assert_true(pm_image_gray_tone(128, 128, 128) < 128); /* mid-tones a little darker */
    assert_true(pm_image_gray_tone(240, 240, 240) >= 236); /* highlights darken less */
}

static void test_jpeg_orientations(void **state)
{
    (void)state;
    /* orient-N.jpg holds the 48 x 32 picture "red top-left quadrant, blue top-right,
     * white bottom half" stored so that orientation N shows it upright. Painted at twice
     * the size into (8, 4, 96, 64) of a grey 112 x 72 surface. */
    for (int n = 1; n <= 8; n++) {
        char name[32];
        snprintf(name, sizeof name, "orient-%d.jpg", n);
        pm_image *img = load_ok(name);
        assert_int_equal(pm_image_orientation(img), n);
        assert_int_equal(pm_image_is_passthrough(img), 1);
        assert_int_equal(pm_image_width(img), 48);
        assert_int_equal(pm_image_height(img), 32);
        int rc;
        cairo_surface_t *s = paint_to_image(img, 112, 72, 8, 4, 96, 64, 0xff808080, &rc);
        assert_int_equal(rc, 0);
        check_px(s, 8 + 24, 4 + 16, 0xffff0000, 8, name);  /* top-left: red */
        check_px(s, 8 + 72, 4 + 16, 0xff0000ff, 8, name);  /* top-right: blue */
        check_px(s, 8 + 24, 4 + 48, 0xffffffff, 8, name);  /* bottom-left: white */
        check_px(s, 8 + 72, 4 + 48, 0xffffffff, 8, name);  /* bottom-right: white */
        check_px(s, 8 + 2, 4 + 2, 0xffff0000, 8, name);    /* near the corner: red */
        check_px(s, 8 + 93, 4 + 2, 0xff0000ff, 8, name);   /* near the corner: blue */
        check_px(s, 4, 2, 0xff808080, 0, name);            /* outside: untouched */
        check_px(s, 108, 70, 0xff808080, 0, name);
        cairo_surface_destroy(s);
        pm_image_drop(img);
    }
}

static void test_jpeg_truncated(void **state)
{
    (void)state;
    pm_image *img = load_ok("photo.jpg"); /* the untruncated original loads */
    pm_image_drop(img);
    /* by default the structure is checked: the end marker is missing */
    load_fails(fx("truncated.jpg"), NULL, PM_EINPUT, "truncated JPEG", NULL);
    /* thorough: the compressed data is decoded */
    pm_image_limits lim;
    pm_image_limits_default(&lim);
    lim.thorough = 1;
    load_fails(fx("truncated.jpg"), &lim, PM_EINPUT, "JPEG", "Premature end", NULL);
}

/* A copy of rgb.jpg with data spliced in at offset at (replacing cut bytes). */
static const char *jpeg_variant(const char *name, size_t at, size_t cut, const void *ins,
                                size_t ins_len)
{
    size_t len;
    unsigned char *src = slurp(fx("rgb.jpg"), &len);
    assert_true(at + cut <= len);
    unsigned char *out = malloc(len - cut + ins_len);
    assert_non_null(out);
    memcpy(out, src, at);
    memcpy(out + at, ins, ins_len);
    memcpy(out + at + ins_len, src + at + cut, len - at - cut);
    const char *path = tmp_path(name);
    spit(path, out, len - cut + ins_len);
    free(out);
    free(src);
    return path;
}

/* Writes rgb.jpg with an APP1 segment holding payload inserted after SOI, loads it
 * (which must succeed: EXIF is metadata) and returns the orientation found. */
static int orientation_of_app1(const unsigned char *payload, size_t n)
{
    assert_true(n + 2 <= 0xffff);
    unsigned char *seg = malloc(n + 4);
    assert_non_null(seg);
    seg[0] = 0xff;
    seg[1] = 0xe1;
    seg[2] = (unsigned char)((n + 2) >> 8);
    seg[3] = (unsigned char)((n + 2) & 255);
    memcpy(seg + 4, payload, n);
    const char *path = jpeg_variant("exif.jpg", 2, 0, seg, n + 4);
    free(seg);
    pm_image *img = NULL;
    diag_clear();
    assert_int_equal(pm_image_load(path, REF_FILE, REF_LINE, NULL, &img), PM_OK);
    int o = pm_image_orientation(img);
    int swapped = o >= 5;
    assert_int_equal(pm_image_width(img), swapped ? 48 : 64);
    assert_int_equal(pm_image_height(img), swapped ? 64 : 48);
    assert_int_equal(pm_image_is_passthrough(img), 1);
    pm_image_drop(img);
    return o;
}

/* "Exif\0\0" + TIFF header + IFD0 with the given entries (12 bytes each). */
static size_t build_exif(unsigned char *out, int le, uint32_t ifd_off, int nentries,
                         const unsigned char (*entries)[12], size_t cut)
{
    memcpy(out, "Exif\0\0", 6);
    size_t n = 6;
    unsigned char *t = out + n;
    t[0] = t[1] = le ? 'I' : 'M';
    if (le) {
        t[2] = 42, t[3] = 0;
        t[4] = (unsigned char)ifd_off, t[5] = (unsigned char)(ifd_off >> 8);
        t[6] = (unsigned char)(ifd_off >> 16), t[7] = (unsigned char)(ifd_off >> 24);
    } else {
        t[2] = 0, t[3] = 42;
        t[4] = (unsigned char)(ifd_off >> 24), t[5] = (unsigned char)(ifd_off >> 16);
        t[6] = (unsigned char)(ifd_off >> 8), t[7] = (unsigned char)ifd_off;
    }
    n += 8;
    out[n++] = le ? (unsigned char)nentries : (unsigned char)(nentries >> 8);
    out[n++] = le ? (unsigned char)(nentries >> 8) : (unsigned char)nentries;
    for (int i = 0; i < nentries && i < 8; i++) {
        memcpy(out + n, entries[i], 12);
        n += 12;
    }
    memset(out + n, 0, 4); /* next-IFD offset */
    n += 4;
    return n > cut ? n - cut : 0;
}

/* An IFD entry: tag, type, count, value (a SHORT in the first two bytes of the field). */
static void entry(unsigned char e[12], int le, unsigned tag, unsigned type, uint32_t count,
                  unsigned value)
{
    unsigned char f[12] = {0};
    if (le) {
        f[0] = (unsigned char)tag, f[1] = (unsigned char)(tag >> 8);
        f[2] = (unsigned char)type, f[3] = (unsigned char)(type >> 8);
        f[4] = (unsigned char)count, f[5] = (unsigned char)(count >> 8);
        f[6] = (unsigned char)(count >> 16), f[7] = (unsigned char)(count >> 24);
        f[8] = (unsigned char)value, f[9] = (unsigned char)(value >> 8);
    } else {
        f[0] = (unsigned char)(tag >> 8), f[1] = (unsigned char)tag;
        f[2] = (unsigned char)(type >> 8), f[3] = (unsigned char)type;
        f[4] = (unsigned char)(count >> 24), f[5] = (unsigned char)(count >> 16);
        f[6] = (unsigned char)(count >> 8), f[7] = (unsigned char)count;
        f[8] = (unsigned char)(value >> 8), f[9] = (unsigned char)value;
    }
    memcpy(e, f, 12);
}

static void test_exif_parser(void **state)
{
    (void)state;
    unsigned char buf[512], e[3][12];
    size_t n;
    for (int le = 0; le <= 1; le++) {
        entry(e[0], le, 0x010f, 2, 4, 0);     /* Make */
        entry(e[1], le, 0x0112, 3, 1, 6);     /* Orientation = 6 */
        entry(e[2], le, 0x011a, 5, 1, 0);     /* XResolution */
        n = build_exif(buf, le, 8, 3, e, 0);
        assert_int_equal(orientation_of_app1(buf, n), 6);
        entry(e[1], le, 0x0112, 3, 1, 8);
        n = build_exif(buf, le, 8, 3, e, 0);
        assert_int_equal(orientation_of_app1(buf, n), 8);
        /* Out of range values count as upright. */
        entry(e[1], le, 0x0112, 3, 1, 9);
        n = build_exif(buf, le, 8, 3, e, 0);
        assert_int_equal(orientation_of_app1(buf, n), 1);
        entry(e[1], le, 0x0112, 3, 1, 0);
        n = build_exif(buf, le, 8, 3, e, 0);
        assert_int_equal(orientation_of_app1(buf, n), 1);
        /* Wrong type (LONG) or zero count: ignored. */
        entry(e[1], le, 0x0112, 4, 1, 6);
        n = build_exif(buf, le, 8, 3, e, 0);
        assert_int_equal(orientation_of_app1(buf, n), 1);
        entry(e[1], le, 0x0112, 3, 0, 6);
        n = build_exif(buf, le, 8, 3, e, 0);
        assert_int_equal(orientation_of_app1(buf, n), 1);
        /* IFD offset past the end, huge, or into the header. */
        entry(e[1], le, 0x0112, 3, 1, 6);
        n = build_exif(buf, le, 4000, 3, e, 0);
        assert_int_equal(orientation_of_app1(buf, n), 1);
        n = build_exif(buf, le, 0xfffffff0u, 3, e, 0);
        assert_int_equal(orientation_of_app1(buf, n), 1);
        n = build_exif(buf, le, 2, 3, e, 0);
        assert_int_equal(orientation_of_app1(buf, n), 1);
        /* An entry count far beyond the data: only entries that fit are read. */
        n = build_exif(buf, le, 8, 3, e, 0);
        buf[14] = buf[15] = 0xff;
        assert_int_equal(orientation_of_app1(buf, n), 6);
        /* Cut inside the orientation entry (the next-IFD word and entry 3 removed, and
         * more): every length down to nothing must be safe. */
        for (size_t cut = 0; cut <= n; cut++) {
            size_t m = build_exif(buf, le, 8, 3, e, cut);
            int o = orientation_of_app1(buf, m);
            /* The orientation entry ends at 6 + 8 + 2 + 24 = 40 bytes. */
            assert_int_equal(o, m >= 40 ? 6 : 1);
        }
    }
    /* Not EXIF, bad byte order mark, bad magic. */
    n = build_exif(buf, 1, 8, 0, NULL, 0);
    memcpy(buf, "Exif\0\1", 6);
    assert_int_equal(orientation_of_app1(buf, n), 1);
    n = build_exif(buf, 1, 8, 0, NULL, 0);
    buf[6] = 'I', buf[7] = 'M';
    assert_int_equal(orientation_of_app1(buf, n), 1);
    n = build_exif(buf, 1, 8, 0, NULL, 0);
    buf[8] = 43;
    assert_int_equal(orientation_of_app1(buf, n), 1);
    assert_int_equal(orientation_of_app1((const unsigned char *)"Exif", 4), 1);
}

static void test_jpeg_zero_height(void **state)
{
    (void)state;
    /* Patch the SOF0 frame height of rgb.jpg to 0. */
    size_t len;
    unsigned char *b = slurp(fx("rgb.jpg"), &len);
    size_t sof = 0;
    for (size_t i = 2; i + 8 < len; i++)
        if (b[i] == 0xff && b[i + 1] == 0xc0) {
            sof = i;
            break;
        }
    assert_true(sof > 0);
    b[sof + 5] = 0;
    b[sof + 6] = 0;
    spit(tmp_path("zero.jpg"), b, len);
    free(b);
    load_fails(tmp_path("zero.jpg"), NULL, PM_EINPUT, NULL);
}

/* A sink for cairo: the bytes of a PDF. */
static void test_jpeg_pdf_passthrough(void **state)
{
    (void)state;
    size_t len;
    unsigned char *bytes = slurp(fx("photo.jpg"), &len);
    pm_image *a = load_ok("photo.jpg");
    pm_image *b = load_ok("photo.jpg"); /* a second, separate load of the same picture */
    assert_int_equal(pm_image_is_passthrough(a), 1);
    membuf pdf = pdf_of(a, b);
    /* The file's exact bytes are in the PDF, once: both loads share a unique id. */
    assert_int_equal(count_occurrences(&pdf, bytes, len), 1);
    assert_non_null(memmem(pdf.data, pdf.len, "/DCTDecode", 10));
    free(pdf.data);

    /* A raster paint decodes the pixels (and cairo drops mime data on modification):
     * a later PDF must still get the original bytes. */
    int rc;
    cairo_surface_t *s = paint_to_image(a, 160, 120, 0, 0, 160, 120, 0, &rc);
    assert_int_equal(rc, 0);
    uint32_t p = pixel(s, 80, 60);
    assert_true((p >> 24) == 255 && (p & 0xffffff) != 0); /* decoded, not black */
    cairo_surface_destroy(s);
    pdf = pdf_of(a, NULL);
    assert_int_equal(count_occurrences(&pdf, bytes, len), 1);
    free(pdf.data);

    /* The PDF surface may outlive the image and the writer's sources: it holds its own
     * references. */
    membuf m = {0};
    cairo_surface_t *ps = cairo_pdf_surface_create_for_stream(mem_write, &m, 300, 300);
    cairo_t *cr = cairo_create(ps);
    pm_image_sources *set = pm_image_sources_new();
    assert_int_equal(pm_image_paint(cr, b, set, 0, 0, 160, 120), 0);
    pm_image_sources_drop(set);
    pm_image_drop(b);
    pm_image_drop(a);
    cairo_destroy(cr);
    cairo_surface_finish(ps);
    cairo_surface_destroy(ps);
    assert_int_equal(count_occurrences(&m, bytes, len), 1);
    free(m.data);
    free(bytes);
}

static void test_jpeg_raster_scaled(void **state)
{
    (void)state;
    /* Passthrough pixels decode on the first raster paint and match the baseline. */
    pm_image *img = load_ok("rgb.jpg");
    int rc;
    cairo_surface_t *s = paint_to_image(img, 32, 24, 0, 0, 32, 24, 0, &rc);
    assert_int_equal(rc, 0);
    check_px(s, 8, 6, 0xffff0000, 8, "scaled rgb.jpg");
    check_px(s, 24, 18, 0xffffffff, 8, "scaled rgb.jpg");
    cairo_surface_destroy(s);
    /* Edges do not fade into the background when scaled (EXTEND_PAD). */
    s = paint_to_image(img, 160, 120, 0, 0, 160, 120, 0, &rc);
    assert_int_equal(rc, 0);
    check_px(s, 0, 0, 0xffff0000, 8, "enlarged rgb.jpg corner");
    check_px(s, 159, 119, 0xffffffff, 8, "enlarged rgb.jpg corner");
    check_px(s, 159, 0, 0xff00ff00, 8, "enlarged rgb.jpg corner");
    cairo_surface_destroy(s);
    /* Degenerate rectangles paint nothing. */
    s = paint_to_image(img, 8, 8, 0, 0, 0, 8, 0xff123456, &rc);
    assert_int_equal(rc, 0);
    check_px(s, 4, 4, 0xff123456, 0, "empty rectangle");
    cairo_surface_destroy(s);
    pm_image_drop(img);
}

/* ---- PNG ----------------------------------------------------------------------------- */

static void test_png_variants(void **state)
{
    (void)state;
    static const struct {
        const char *name;
        uint32_t want[4]; /* premultiplied ARGB at the quadrant centres */
    } cases[] = {
        {"rgb.png", {0xffff0000, 0xff00ff00, 0xff0000ff, 0xffffffff}},
        {"rgb16.png", {0xffff0000, 0xff00ff00, 0xff0000ff, 0xffffffff}},
        {"interlaced.png", {0xffff0000, 0xff00ff00, 0xff0000ff, 0xffffffff}},
        {"quad.png", {0xffff0000, 0xff00ff00, 0xff0000ff, 0xffffffff}}, /* 2-bit palette */
        {"palette.png", {0xffff0000, 0xff00ff00, 0xff0000ff, 0xffffffff}},
        {"rgba.png", {0xffff0000, 0x80008000, 0x00000000, 0xffffffff}},
        {"rgba16.png", {0xffff0000, 0x80008000, 0x00000000, 0xffffffff}},
        {"rgba-master.png", {0xffff0000, 0x80008000, 0x00000000, 0xffffffff}}, /* 4-bit + tRNS */
        {"palette-alpha.png", {0xffff0000, 0x80008000, 0x00000000, 0xffffffff}},
        {"palette-trns.png", {0xffff0000, 0xff00ff00, 0x00000000, 0xffffffff}},
        {"gray.png", {0xff363636, 0xffb6b6b6, 0xff121212, 0xffffffff}},
        {"gray-alpha.png", {0xff363636, 0x805b5b5b, 0xff121212, 0x80808080}}, /* 16-bit GA */
        {"gray1.png", {0xff000000, 0xffffffff, 0xff000000, 0xffffffff}},
        {"gray2.png", {0xff555555, 0xffffffff, 0xff555555, 0xffffffff}},
        {"gray4.png", {0xff888888, 0xffffffff, 0xff888888, 0xffffffff}},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        pm_image *img = load_ok(cases[i].name);
        assert_string_equal(pm_image_format(img), "png");
        assert_int_equal(pm_image_is_passthrough(img), 0);
        assert_int_equal(pm_image_orientation(img), 1);
        check_quadrants(img, cases[i].want, 1, cases[i].name);
        pm_image_drop(img);
    }
}

static void test_png_pdf(void **state)
{
    (void)state;
    /* PNGs go into the PDF as pixels (no passthrough); the PDF is still produced. */
    pm_image *img = load_ok("rgba.png");
    membuf pdf = pdf_of(img, NULL);
    assert_non_null(memmem(pdf.data, pdf.len, "/SMask", 6));
    assert_null(memmem(pdf.data, pdf.len, "/DCTDecode", 10));
    free(pdf.data);
    pm_image_drop(img);
}

/* A writer's sources: an image painted twice is embedded once; the PDF keeps the pixels
 * after the image and the sources are gone. */
static void test_sources_shared_within_writer(void **state)
{
    (void)state;
    pm_image *img = load_ok("gray.png");
    membuf m = {0};
    cairo_surface_t *ps = cairo_pdf_surface_create_for_stream(mem_write, &m, 300, 300);
    cairo_t *cr = cairo_create(ps);
    pm_image_sources *set = pm_image_sources_new();
    assert_int_equal(pm_image_paint(cr, img, set, 0, 0, 64, 48), 0);
    assert_int_equal(pm_image_paint(cr, img, set, 0, 100, 64, 48), 0);
    pm_image_sources_drop(set);
    pm_image_drop(img);
    cairo_destroy(cr);
    cairo_surface_finish(ps);
    assert_int_equal(cairo_surface_status(ps), CAIRO_STATUS_SUCCESS);
    cairo_surface_destroy(ps);
    assert_int_equal(count_occurrences(&m, (const unsigned char *)"/Subtype /Image", 15), 1);
    free(m.data);
}

/* Two writers painting the same images at the same time on two threads, each from its
 * own sources (under ThreadSanitizer, any sharing of a source surface is a report). */
typedef struct {
    pm_image *imgs[2];
    membuf pdf;
    cairo_surface_t *ps; /* made on the main thread: cairo reads the time zone (glibc's
                            tzset, locked where ThreadSanitizer cannot see it) */
} painter;

static void *paint_many(void *arg)
{
    painter *p = arg;
    cairo_surface_t *ps = p->ps;
    cairo_t *cr = cairo_create(ps);
    pm_image_sources *set = pm_image_sources_new();
    for (int page = 0; page < 20; page++) {
        for (int k = 0; k < 2; k++) pm_image_paint(cr, p->imgs[k], set, 10, 10 + 150 * k, 120, 90);
        cairo_show_page(cr);
    }
    cairo_destroy(cr);
    cairo_surface_finish(ps);
    cairo_surface_destroy(ps);
    pm_image_sources_drop(set);
    return NULL;
}

static void test_sources_per_writer_on_threads(void **state)
{
    (void)state;
    pm_image *png = load_ok("photo.png"), *jpg = load_ok("rgb.jpg");
    painter p[2] = {{{png, jpg}, {0}, NULL}, {{png, jpg}, {0}, NULL}};
    for (int i = 0; i < 2; i++) p[i].ps = cairo_pdf_surface_create_for_stream(mem_write, &p[i].pdf, 300, 300);
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, paint_many, &p[1]), 0);
    paint_many(&p[0]);
    pthread_join(t, NULL);
    /* the same PDF from both, each image embedded once */
    assert_int_equal(p[0].pdf.len, p[1].pdf.len);
    assert_memory_equal(p[0].pdf.data, p[1].pdf.data, p[0].pdf.len);
    assert_int_equal(count_occurrences(&p[0].pdf, (const unsigned char *)"/DCTDecode", 10), 1);
    free(p[0].pdf.data);
    free(p[1].pdf.data);
    pm_image_drop(png);
    pm_image_drop(jpg);
}

static void test_png_truncated(void **state)
{
    (void)state;
    pm_image *img = load_ok("photo.png");
    pm_image_drop(img);
    load_fails(fx("truncated.png"), NULL, PM_EINPUT, "PNG", NULL);
    /* Cut just before IEND: the pixels are all there, the file is still truncated. */
    size_t len;
    unsigned char *b = slurp(fx("rgb.png"), &len);
    spit(tmp_path("no-iend.png"), b, len - 12);
    load_fails(tmp_path("no-iend.png"), NULL, PM_EINPUT, "PNG", NULL);
    /* A flipped bit in the image data fails its CRC. */
    b[len - 20] ^= 0x10;
    spit(tmp_path("bad-crc.png"), b, len);
    load_fails(tmp_path("bad-crc.png"), NULL, PM_EINPUT, "PNG", NULL);
    /* Only the signature. */
    spit(tmp_path("signature.png"), b, 8);
    load_fails(tmp_path("signature.png"), NULL, PM_EINPUT, "PNG", NULL);
    free(b);
}

static double seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static void test_png_huge_refused_from_header(void **state)
{
    (void)state;
    /* huge.png is 69 bytes whose IHDR claims 20000 x 20000 (its IDAT is a token): the
     * limit message (not a decoding error) proves the check came before decoding. */
    double t0 = seconds();
    load_fails(fx("huge.png"), NULL, PM_EINPUT, "image is 20000 x 20000 pixels (400 megapixels)",
               "the limit is 100", NULL);
    assert_true(seconds() - t0 < 0.5);
    pm_image_limits lim;
    pm_image_limits_default(&lim);
    assert_true(lim.max_megapixels == 100);
    assert_true(lim.max_file_bytes == (size_t)256 << 20);
}

static void test_zero_size(void **state)
{
    (void)state;
    load_fails(fx("zero.png"), NULL, PM_EINPUT, "no pixels", NULL);
}

static void test_limits(void **state)
{
    (void)state;
    pm_image_limits lim;
    pm_image_limits_default(&lim);
    lim.max_megapixels = 0.001;
    load_fails(fx("rgb.jpg"), &lim, PM_EINPUT, "image is 64 x 48 pixels (0.00307 megapixels)",
               "the limit is 0.001", NULL);
    load_fails(fx("rgb.png"), &lim, PM_EINPUT, "image is 64 x 48 pixels", NULL);
    lim.max_megapixels = 0.003072; /* exactly 64 x 48: allowed */
    pm_image *img = NULL;
    assert_int_equal(pm_image_load(fx("rgb.jpg"), REF_FILE, REF_LINE, &lim, &img), PM_OK);
    pm_image_drop(img);

    pm_image_limits_default(&lim);
    lim.max_file_bytes = 100;
    load_fails(fx("rgb.jpg"), &lim, PM_EINPUT, "373 bytes", "limit", NULL);
    lim.max_file_bytes = 373; /* exactly the size: allowed */
    assert_int_equal(pm_image_load(fx("rgb.jpg"), REF_FILE, REF_LINE, &lim, &img), PM_OK);
    pm_image_drop(img);

    /* Side longer than cairo can hold (within the megapixel limit): a crafted IHDR. */
    static const unsigned char ihdr[] = {
        0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R',
        0, 0, 0x9c, 0x40, 0, 0, 0, 1, 8, 2, 0, 0, 0, 0, 0, 0, 0}; /* 40000 x 1 */
    spit(tmp_path("wide.png"), ihdr, sizeof ihdr);
    load_fails(tmp_path("wide.png"), NULL, PM_EINPUT, "40000 x 1", "32767", NULL);
}

/* ---- not images, missing files --------------------------------------------------------- */

static void test_not_images(void **state)
{
    (void)state;
    load_fails(fx("text.jpg"), NULL, PM_EINPUT, "not a JPEG or PNG", "text", "JPEG and PNG", NULL);
    load_fails(fx("empty.jpg"), NULL, PM_EINPUT, "empty", "JPEG and PNG", NULL);
    load_fails(fx("not-a-png.png"), NULL, PM_EINPUT, "GIF", "JPEG and PNG", NULL);
    static const struct {
        const char *name, *bytes, *what;
        size_t len;
    } other[] = {
        {"x.webp", "RIFF\x10\0\0\0WEBPVP8 ", "WebP", 16},
        {"x.tif", "II*\0\x08\0\0\0", "TIFF", 8},
        {"y.tif", "MM\0*\0\0\0\x08", "TIFF", 8},
        {"x.bmp", "BM\0\0\0\0", "BMP", 6},
        {"x.pdf", "%PDF-1.4\n", "PDF", 9},
        {"x.heic", "\0\0\0\x18" "ftypheic\0\0\0\0", "HEIF", 16},
        {"x.bin", "\x01\x02\x03\x04\x05", "unknown", 5},
        {"short.jpg", "\xff\xd8", "not a JPEG or PNG", 2},
    };
    for (size_t i = 0; i < sizeof other / sizeof other[0]; i++) {
        spit(tmp_path(other[i].name), other[i].bytes, other[i].len);
        load_fails(tmp_path(other[i].name), NULL, PM_EINPUT, other[i].what, "JPEG and PNG", NULL);
    }
    /* JPEG magic, then garbage. */
    spit(tmp_path("junk.jpg"), "\xff\xd8\xff\xe0\x00\x02garbage", 13);
    load_fails(tmp_path("junk.jpg"), NULL, PM_EINPUT, "JPEG", NULL);
}

static void test_missing_and_unreadable(void **state)
{
    (void)state;
    /* a path to no image is the content's mistake (exit 1); one that cannot be read, I/O */
    load_fails(tmp_path("does-not-exist.jpg"), NULL, PM_EINPUT, strerror(ENOENT), NULL);
    load_fails(images_dir, NULL, PM_EIO, strerror(EISDIR), NULL);
    if (geteuid() != 0) { /* root reads anything */
        const char *p = tmp_path("secret.jpg");
        spit(p, "x", 1);
        assert_int_equal(chmod(p, 0), 0);
        load_fails(p, NULL, PM_EIO, strerror(EACCES), NULL);
    }
    /* Without a ref_file the message still names the path. */
    pm_image *img;
    diag_clear();
    assert_int_equal(pm_image_load(tmp_path("nope.png"), NULL, 0, NULL, &img), PM_EINPUT);
    assert_non_null(strstr(diag_text, "nope.png"));
}

static void test_refcount(void **state)
{
    (void)state;
    pm_image *img = load_ok("gray.png");
    assert_ptr_equal(pm_image_keep(img), img);
    pm_image_drop(img);
    assert_int_equal(pm_image_width(img), 64); /* still alive */
    pm_image_drop(img);
    assert_null(pm_image_keep(NULL));
    pm_image_drop(NULL);
}

/* ---- setup ----------------------------------------------------------------------------- */

static int setup(void **state)
{
    (void)state;
    const char *base = getenv("PM_TEST_DATA");
    snprintf(images_dir, sizeof images_dir, "%s/images", base && *base ? base : "tests/data");
    char probe[PATH_MAX + 16];
    snprintf(probe, sizeof probe, "%s/rgb.jpg", images_dir);
    if (access(probe, R_OK) != 0) {
        fprintf(stderr, "test_image: fixtures not found in %s (run from the repository root "
                        "or set PM_TEST_DATA to tests/data)\n", images_dir);
        return -1;
    }
    const char *t = getenv("TMPDIR");
    snprintf(tmp_dir, sizeof tmp_dir, "%s/pm-test-image-XXXXXX", t && *t ? t : "/tmp");
    if (!mkdtemp(tmp_dir)) return -1;
    pm_diag_set_sink(sink, NULL);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    static const char *made[] = {"exif.jpg", "zero.jpg", "no-iend.png", "bad-crc.png",
                                 "signature.png", "wide.png", "x.webp", "x.tif", "y.tif",
                                 "x.bmp", "x.pdf", "x.heic", "x.bin", "short.jpg", "junk.jpg",
                                 "secret.jpg"};
    for (size_t i = 0; i < sizeof made / sizeof made[0]; i++) unlink(tmp_path(made[i]));
    rmdir(tmp_dir);
    pm_diag_set_sink(NULL, NULL);
    cairo_debug_reset_static_data(); /* cairo's caches, so valgrind reports nothing */
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_jpeg_baseline),
        cmocka_unit_test(test_jpeg_progressive),
        cmocka_unit_test(test_jpeg_gray),
        cmocka_unit_test(test_jpeg_cmyk), cmocka_unit_test(test_gray_option),
        cmocka_unit_test(test_jpeg_orientations),
        cmocka_unit_test(test_jpeg_truncated),
        cmocka_unit_test(test_exif_parser),
        cmocka_unit_test(test_jpeg_zero_height),
        cmocka_unit_test(test_jpeg_pdf_passthrough),
        cmocka_unit_test(test_jpeg_raster_scaled),
        cmocka_unit_test(test_png_variants),
        cmocka_unit_test(test_png_pdf),
        cmocka_unit_test(test_png_truncated),
        cmocka_unit_test(test_png_huge_refused_from_header),
        cmocka_unit_test(test_zero_size),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_not_images),
        cmocka_unit_test(test_missing_and_unreadable),
        cmocka_unit_test(test_refcount),
        cmocka_unit_test(test_sources_shared_within_writer),
        cmocka_unit_test(test_sources_per_writer_on_threads),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
