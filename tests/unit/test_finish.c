/* test_finish.c - the finishing pass's content rewriting (output/finish.h): neutral RGB
 * to DeviceGray, cmyk() colours to DeviceCMYK, everything else byte for byte; and the
 * pass over a hand-made PDF whose pages are rewritten by the worker threads (one Flate
 * stream each) and on the calling thread (content in two streams, or not compressed); a
 * PDF held in memory with a photo's bytes elsewhere (holes).
 * The pass over cairo's PDFs is checked end to end (tests/e2e/test_print.sh). */
#define _GNU_SOURCE /* memmem */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <glib.h>
#include <qpdf/qpdf-c.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>

#include "output/finish.h"
#include "output/finish_cache.h"
#include <cairo-pdf.h>

static int rewritten;

/* The rewrite of s as a new string. */
static char *recolour(const char *s, const pm_finish *f)
{
    pm_bytes out = {0};
    rewritten = pm_finish_recolour((const unsigned char *)s, strlen(s), f, &out);
    char *r = malloc(out.n + 1);
    memcpy(r, out.p, out.n);
    r[out.n] = 0;
    free(out.p);
    return r;
}

static void expect(const char *in, const char *want, int nrew, const pm_finish *f)
{
    static const pm_finish none = {0};
    char *got = recolour(in, f ? f : &none);
    if (strcmp(got, want)) fail_msg("'%s' -> '%s', expected '%s'", in, got, want);
    assert_int_equal(rewritten, nrew);
    free(got);
}

static void test_neutral_to_gray(void **st)
{
    (void)st;
    expect("0 0 0 rg /a0 gs\nBT", "0 g /a0 gs\nBT", 1, NULL);
    expect("0.2 0.2 0.2 RG 1 w", "0.2 G 1 w", 1, NULL);
    expect("1 1 1 rg 0 0 m", "1 g 0 0 m", 1, NULL);
    /* within half a step of 8 bits is neutral; more is colour */
    expect(".5 .5 .501 rg", ".5 g", 1, NULL);
    expect("0.5 0.5 0.51 rg", "0.5 0.5 0.51 rg", 0, NULL);
    expect("1 0 0 rg 0 0 0 RG", "1 0 0 rg 0 G", 1, NULL);
    /* the operands must be exactly three numbers */
    expect("0 0 0 0 rg", "0 0 0 0 rg", 0, NULL);
    expect("0 0 rg", "0 0 rg", 0, NULL);
    expect("/x 0 0 rg", "/x 0 0 rg", 0, NULL);
    /* other operators and their operands untouched */
    expect("0 0 0 sc 0 0 0 scn 0 g", "0 0 0 sc 0 0 0 scn 0 g", 0, NULL);
}

static void test_only_operators_change(void **st)
{
    (void)st;
    /* strings, hex strings, names, comments, dictionaries as they are */
    expect("(0 0 0 rg) Tj", "(0 0 0 rg) Tj", 0, NULL);
    expect("(a \\) 0 0 0 rg (b)) Tj 0 0 0 rg", "(a \\) 0 0 0 rg (b)) Tj 0 g", 1, NULL);
    expect("<303020> Tj % 0 0 0 rg\n0 0 0 RG", "<303020> Tj % 0 0 0 rg\n0 G", 1, NULL);
    expect("/Span << /ActualText <feff0066> /N 0 >> BDC 0 0 0 rg EMC",
           "/Span << /ActualText <feff0066> /N 0 >> BDC 0 g EMC", 1, NULL);
    expect("[(a) -20 (b)] TJ", "[(a) -20 (b)] TJ", 0, NULL);
    /* inline image data passes through even when it looks like operators */
    const char img[] = "BI /W 2 /H 1 /BPC 8 /CS /RGB ID 0 0 0 rg\xff\x00 EI 0 0 0 rg";
    pm_bytes out = {0};
    int n = pm_finish_recolour((const unsigned char *)img, sizeof img - 1, &(pm_finish){0}, &out);
    const char want[] = "BI /W 2 /H 1 /BPC 8 /CS /RGB ID 0 0 0 rg\xff\x00 EI 0 g";
    assert_int_equal(n, 1);
    assert_int_equal(out.n, sizeof want - 1);
    assert_memory_equal(out.p, want, sizeof want - 1);
    free(out.p);
}

static void test_cmyk_colours(void **st)
{
    (void)st;
    pm_colour red = {.rgb = {0.8, 0, 0}, .cmyk = {0, 1, 1, 0.2}, .is_cmyk = 1};
    pm_colour k = {.rgb = {0, 0, 0}, .cmyk = {0.6, 0.4, 0.4, 1}, .is_cmyk = 1};
    pm_colour both[] = {red, k};
    pm_finish f = {.cmyk = both, .ncmyk = 2};
    expect("0.8 0 0 rg", "0 1 1 0.2 k", 1, &f);
    expect("0.8 0 0 RG", "0 1 1 0.2 K", 1, &f);
    expect("0.7 0 0 rg", "0.7 0 0 rg", 0, &f);
    /* a cmyk() colour whose RGB is neutral cannot be told from black: black ink only */
    expect("0 0 0 rg", "0 g", 1, &f);
}

/* A PDF of n pages at path: page i draws "0 0 0 rg" and its number; every third page's
 * content is two streams, every fifth's is left uncompressed, the others are Flate. */
static void write_pdf(const char *path, int n)
{
    qpdf_data q = qpdf_init();
    qpdf_empty_pdf(q);
    for (int i = 0; i < n; i++) {
        char buf[128];
        int len = snprintf(buf, sizeof buf, "0 0 0 rg 0.5 0.5 0.5 RG 10 10 m %d 20 l S", 20 + i);
        qpdf_oh page = qpdf_oh_parse(q, "<< /Type /Page /MediaBox [0 0 100 100] /Resources << >> >>");
        qpdf_oh s = qpdf_make_indirect_object(q, qpdf_oh_new_stream(q));
        qpdf_oh_replace_stream_data(q, s, (unsigned char *)buf, (size_t)len, qpdf_oh_new_null(q), qpdf_oh_new_null(q));
        if (i % 3 == 2) {
            qpdf_oh arr = qpdf_oh_new_array(q), s2 = qpdf_make_indirect_object(q, qpdf_oh_new_stream(q));
            qpdf_oh_replace_stream_data(q, s2, (unsigned char *)" 1 0 0 rg", 9, qpdf_oh_new_null(q), qpdf_oh_new_null(q));
            qpdf_oh_append_item(q, arr, s);
            qpdf_oh_append_item(q, arr, s2);
            qpdf_oh_replace_key(q, page, "/Contents", arr);
        } else {
            qpdf_oh_replace_key(q, page, "/Contents", s);
        }
        qpdf_add_page(q, q, qpdf_make_indirect_object(q, page), QPDF_FALSE);
    }
    assert_false(qpdf_init_write(q, path) & QPDF_ERRORS);
    qpdf_set_compress_streams(q, QPDF_TRUE);
    assert_false(qpdf_write(q) & QPDF_ERRORS);
    qpdf_cleanup(&q);
    /* every fifth page's stream uncompressed: written again with that page decoded */
    q = qpdf_init();
    assert_false(qpdf_read(q, path, NULL) & QPDF_ERRORS);
    for (int i = 4; i < n; i += 5) {
        qpdf_oh pg = qpdf_get_page_n(q, (size_t)i), c = qpdf_oh_get_key(q, pg, "/Contents");
        if (!qpdf_oh_is_stream(q, c)) continue;
        unsigned char *d = NULL;
        size_t len = 0;
        qpdf_oh_get_stream_data(q, c, qpdf_dl_generalized, NULL, &d, &len);
        qpdf_oh u = qpdf_make_indirect_object(q, qpdf_oh_new_stream(q));
        qpdf_oh_replace_stream_data(q, u, d, len, qpdf_oh_new_null(q), qpdf_oh_new_null(q));
        qpdf_oh_replace_key(q, pg, "/Contents", u);
        free(d);
    }
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.2", path);
    assert_false(qpdf_init_write(q, tmp) & QPDF_ERRORS);
    qpdf_set_compress_streams(q, QPDF_FALSE);
    assert_false(qpdf_write(q) & QPDF_ERRORS);
    qpdf_cleanup(&q);
    assert_int_equal(rename(tmp, path), 0);
}

/* The pass over 1 page (no worker threads) and over 20 (threads): every page's content
 * rewritten, whatever its form, and the same bytes on a second run. */
static void test_pass_over_pages(void **st)
{
    (void)st;
    for (int n = 1; n <= 20; n += 19) {
        char dir[] = "/tmp/pm-finish-XXXXXX", in[64], out[64], out2[64];
        assert_non_null(mkdtemp(dir));
        snprintf(in, sizeof in, "%s/in.pdf", dir);
        snprintf(out, sizeof out, "%s/out.pdf", dir);
        snprintf(out2, sizeof out2, "%s/out2.pdf", dir);
        write_pdf(in, n);
        pm_finish f = {.lang = "en"};
        pm_pass p = pm_finish_pass(&f);
        /* once from the file, once from its bytes in memory (as the PDF writer hands them
           over): the same PDF */
        pm_outfile from_file = {.tmp = in}, from_mem = {.tmp = in};
        gchar *bytes = NULL;
        gsize nbytes = 0;
        assert_true(g_file_get_contents(in, &bytes, &nbytes, NULL));
        pm_outfile_hold(&from_mem, (const unsigned char *)bytes, nbytes);
        assert_int_equal(p.run(p.ud, &from_file, out, out), 0);
        assert_int_equal(p.run(p.ud, &from_mem, out2, out2), 0);
        g_free(bytes);
        qpdf_data q = qpdf_init();
        assert_false(qpdf_read(q, out, NULL) & QPDF_ERRORS);
        assert_int_equal(qpdf_get_num_pages(q), n);
        for (int i = 0; i < n; i++) {
            unsigned char *d = NULL;
            size_t len = 0;
            assert_int_equal(qpdf_oh_get_page_content_data(q, qpdf_get_page_n(q, (size_t)i), &d, &len), QPDF_SUCCESS);
            char *text = calloc(1, len + 1), want[64];
            memcpy(text, d, len);
            snprintf(want, sizeof want, "0 g 0.5 G 10 10 m %d 20 l S", 20 + i);
            if (!strstr(text, want)) fail_msg("page %d of %d: '%s', expected '%s'", i + 1, n, text, want);
            if (i % 3 == 2 && !strstr(text, "1 0 0 rg")) fail_msg("page %d: second stream lost: '%s'", i + 1, text);
            free(text);
            free(d);
        }
        qpdf_cleanup(&q);
        FILE *a = fopen(out, "rb"), *b = fopen(out2, "rb");
        int same = 1, ca, cb;
        do {
            ca = fgetc(a), cb = fgetc(b);
            same &= ca == cb;
        } while (ca != EOF && cb != EOF);
        fclose(a);
        fclose(b);
        assert_true(same);
        unlink(in), unlink(out), unlink(out2), rmdir(dir);
    }
}

/* The cache of recoloured content (finish_cache.h): scanning cairo's output page by page
 * finds every page's content; each result is what the pass would make of the same bytes;
 * the pass gives the same PDF with it as without; garbage and cut-off output are read
 * without harm; other colour settings empty it. All of it with the content as cairo
 * compresses it, and as it writes it uncompressed for the pass (pm_pdf_content_for_finishing):
 * then the pass compresses it. */
static cairo_status_t to_file(void *ud, const unsigned char *d, unsigned int n)
{
    return fwrite(d, 1, n, ud) == n ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
}

/* The first page's content of the PDF mem, looked up in cache c: not found (-2). */
static void assert_first_page_not_cached(pm_finish_cache *c, const char *mem, size_t nmem)
{
    qpdf_data q = qpdf_init();
    assert_false(qpdf_read_memory(q, "mem", mem, nmem, NULL) & QPDF_ERRORS);
    unsigned char *raw = NULL;
    size_t n = 0;
    qpdf_oh s = qpdf_oh_get_key(q, qpdf_get_page_n(q, 0), "/Contents");
    assert_int_equal(qpdf_oh_get_stream_data(q, s, qpdf_dl_none, NULL, &raw, &n), QPDF_SUCCESS);
    pm_bytes none = {0};
    assert_int_equal(pm_finish_cache_get(c, (const unsigned char *)mem, raw, n, &none), -2);
    free(raw);
    qpdf_cleanup(&q);
}

static void cache_case(int uncompressed)
{
    char *mem = NULL;
    size_t nmem = 0, scanned = 0;
    FILE *fp = open_memstream(&mem, &nmem);
    pm_finish f = {.lang = "en"};
    pm_finish_cache *c = pm_finish_cache_new(1);
    pm_finish_cache_begin(c, &f);
    /* a cache for one run, scanned as the output grows (and moves: open_memstream), keeps
       where each stream is, not its bytes */
    pm_finish_cache *grown = pm_finish_cache_new(0);
    pm_finish_cache_begin(grown, &f);
    size_t grown_scanned = 0;
    if (uncompressed) setenv("CAIRO_DEBUG_PDF", "1", 1);
    cairo_surface_t *sf = cairo_pdf_surface_create_for_stream(to_file, fp, 200, 200);
    unsetenv("CAIRO_DEBUG_PDF");
    cairo_t *cr = cairo_create(sf);
    for (int i = 0; i < 4; i++) {
        cairo_set_source_rgb(cr, 0, 0, 0);
        cairo_rectangle(cr, 10, 10, 20 + i, 20);
        cairo_fill(cr);
        cairo_set_source_rgb(cr, 0.2, 0.4, 0.6);
        cairo_rectangle(cr, 50, 50, 20, 20 + i);
        cairo_fill(cr);
        cairo_show_page(cr);
        assert_int_equal(fflush(fp), 0);
        pm_finish_cache_scan(c, (const unsigned char *)mem, nmem, &scanned, &f);
        pm_finish_cache_scan(grown, (const unsigned char *)mem, nmem, &grown_scanned, &f);
    }
    cairo_destroy(cr);
    cairo_surface_destroy(sf);
    fclose(fp);
    /* every page's content is in the cache, made as the pass makes it */
    qpdf_data q = qpdf_init();
    assert_false(qpdf_read_memory(q, "mem", mem, nmem, NULL) & QPDF_ERRORS);
    assert_int_equal(qpdf_get_num_pages(q), 4);
    for (int i = 0; i < 4; i++) {
        qpdf_oh s = qpdf_oh_get_key(q, qpdf_get_page_n(q, (size_t)i), "/Contents");
        unsigned char *raw = NULL;
        size_t n = 0;
        assert_int_equal(qpdf_oh_get_stream_data(q, s, qpdf_dl_none, NULL, &raw, &n), QPDF_SUCCESS);
        int flate = qpdf_oh_is_name_and_equals(q, qpdf_oh_get_key(q, qpdf_oh_get_dict(q, s), "/Filter"), "/FlateDecode");
        assert_int_equal(flate, !uncompressed);
        pm_bytes got = {0}, want = {0};
        size_t kept_at = 0;
        int rc = pm_finish_cache_get_at(c, (const unsigned char *)mem, raw, n, &got, &kept_at);
        assert_true(kept_at == (size_t)-1); /* (a watch session's cache: its copy) */
        assert_int_equal(rc, pm_finish_recolour_stream(raw, n, flate, &f, &want));
        assert_int_equal(rc, 1); /* (0 0 0 rg became 0 g) */
        assert_int_equal(got.n, want.n);
        assert_memory_equal(got.p, want.p, got.n);
        /* a cache kept for one run only hands the result over, once */
        pm_finish_cache *once = pm_finish_cache_new(0);
        pm_finish_cache_begin(once, &f);
        size_t from = 0;
        pm_finish_cache_scan(once, (const unsigned char *)mem, nmem, &from, &f);
        pm_bytes moved = {0}, again = {0};
        assert_int_equal(pm_finish_cache_get(once, (const unsigned char *)mem, raw, n, &moved), 1);
        assert_int_equal(moved.n, want.n);
        assert_memory_equal(moved.p, want.p, moved.n);
        assert_int_equal(pm_finish_cache_get(once, (const unsigned char *)mem, raw, n, &again), -2);
        assert_null(again.p);
        pm_finish_cache_drop(once);
        free(moved.p);
        moved = (pm_bytes){0};
        size_t at = 0;
        assert_int_equal(pm_finish_cache_get_at(grown, (const unsigned char *)mem, raw, n, &moved, &at), 1);
        assert_true(at != (size_t)-1 && at + n <= nmem); /* where the pass read them */
        assert_memory_equal(mem + at, raw, n);
        assert_int_equal(moved.n, want.n);
        assert_memory_equal(moved.p, want.p, moved.n);
        free(moved.p);
        free(got.p), free(want.p), free(raw);
    }
    qpdf_cleanup(&q);
    /* a new run (its output another): what a cache for one run holds goes */
    pm_finish_cache_scan(grown, (const unsigned char *)mem, nmem, &(size_t){0}, &f);
    pm_finish_cache_begin(grown, &f);
    assert_first_page_not_cached(grown, mem, nmem);
    pm_finish_cache_drop(grown);
    /* the pass with the cache and without: the same PDF */
    char dir[] = "/tmp/pm-fcache-XXXXXX", a[64], b[64];
    assert_non_null(mkdtemp(dir));
    snprintf(a, sizeof a, "%s/a.pdf", dir);
    snprintf(b, sizeof b, "%s/b.pdf", dir);
    pm_outfile in = {.tmp = a};
    pm_outfile_hold(&in, (const unsigned char *)mem, nmem);
    pm_finish fc = f;
    fc.cache = c;
    pm_pass p1 = pm_finish_pass(&f), p2 = pm_finish_pass(&fc);
    assert_int_equal(p1.run(p1.ud, &in, a, a), 0);
    assert_int_equal(p2.run(p2.ud, &in, b, b), 0);
    gchar *da = NULL, *db = NULL;
    gsize na = 0, nb = 0;
    assert_true(g_file_get_contents(a, &da, &na, NULL) && g_file_get_contents(b, &db, &nb, NULL));
    assert_int_equal(na, nb);
    assert_memory_equal(da, db, na);
    /* the finished pages' content is compressed either way */
    q = qpdf_init();
    assert_false(qpdf_read(q, a, NULL) & QPDF_ERRORS);
    for (int i = 0; i < 4; i++) {
        qpdf_oh s = qpdf_oh_get_key(q, qpdf_get_page_n(q, (size_t)i), "/Contents");
        assert_true(qpdf_oh_is_name_and_equals(q, qpdf_oh_get_key(q, qpdf_oh_get_dict(q, s), "/Filter"), "/FlateDecode"));
    }
    qpdf_cleanup(&q);
    g_free(da), g_free(db), unlink(a), unlink(b), rmdir(dir);
    /* garbage, "stream" keywords in it, and output cut anywhere: nothing found, no harm */
    pm_finish_cache *g = pm_finish_cache_new(1);
    pm_finish_cache_begin(g, &f);
    const char *junk = "1 0 obj << /Filter /FlateDecode >> stream\nxx\nendstream stream\n 2 0 obj stream\n";
    for (size_t cut = 0; cut <= strlen(junk); cut++) {
        size_t from = 0;
        pm_finish_cache_scan(g, (const unsigned char *)junk, cut, &from, &f);
        assert_true(from <= cut);
    }
    for (size_t cut = 0; cut <= nmem; cut += 97) {
        size_t from = 0;
        pm_finish_cache_scan(g, (const unsigned char *)mem, cut, &from, &f);
    }
    pm_finish_cache_drop(g);
    /* other colour settings: nothing made under the old ones is found */
    pm_colour cm = {.rgb = {0.2, 0.4, 0.6}, .cmyk = {1, 0.5, 0, 0}, .is_cmyk = 1};
    pm_finish f2 = {.cmyk = &cm, .ncmyk = 1};
    pm_finish_cache_begin(c, &f2);
    assert_first_page_not_cached(c, mem, nmem);
    pm_finish_cache_drop(c);
    free(mem);
}

static void test_cache(void **st)
{
    (void)st;
    cache_case(0);
}

static void test_cache_uncompressed(void **st)
{
    (void)st;
    cache_case(1);
}

/* A PDF held in memory with a photo's bytes left out (a hole, output/pdf.c): the pass
 * gives the same file as over the whole bytes; a hole it cannot place (not a JPEG's
 * whole data) has the pass read the file written out whole instead, with the same result. */
static void pass_held(const char *mem, size_t n, const pm_outfile_hole *holes, int nholes, const char *dir,
                      const char *name, gchar **got, gsize *ngot, int *spilled)
{
    char in[128], out[128];
    snprintf(in, sizeof in, "%s/%s-in.pdf", dir, name);
    snprintf(out, sizeof out, "%s/%s.pdf", dir, name);
    FILE *f = fopen(in, "wb");
    fclose(f);
    pm_outfile o = {.tmp = in};
    pm_outfile_hold(&o, (const unsigned char *)mem, n);
    pm_outfile_hold_holes(&o, holes, nholes);
    pm_finish fin = {.lang = "en"};
    pm_pass p = pm_finish_pass(&fin);
    assert_int_equal(p.run(p.ud, &o, out, out), 0);
    assert_true(g_file_get_contents(out, got, ngot, NULL));
    struct stat sb;
    *spilled = stat(in, &sb) == 0 && sb.st_size > 0; /* (read from the file written whole) */
    unlink(in), unlink(out);
}

static void test_holes(void **st)
{
    (void)st;
    size_t njpeg = 100000; /* a frame header, then a comment segment's bytes, as a JPEG */
    unsigned char *jpeg = calloc(1, njpeg);
    static const unsigned char head[] = {0xff, 0xd8, 0xff, 0xc0, 0, 17, 8, 0, 2, 0, 2, 3,
                                         1, 0x11, 0, 2, 0x11, 0, 3, 0x11, 0};
    memcpy(jpeg, head, sizeof head);
    size_t at = sizeof head;
    while (njpeg - at > 2 + 4) {
        size_t seg = njpeg - at - 2 > 65535 ? 65535 : njpeg - at - 2;
        if (njpeg - at - 2 - seg < 4 && njpeg - at - 2 - seg > 0) seg -= 4;
        jpeg[at] = 0xff, jpeg[at + 1] = 0xfe, jpeg[at + 2] = (unsigned char)(seg >> 8), jpeg[at + 3] = (unsigned char)seg;
        for (size_t k = 4; k < seg + 2; k++) jpeg[at + k] = (unsigned char)(k * 13);
        at += seg + 2;
    }
    jpeg[njpeg - 2] = 0xff, jpeg[njpeg - 1] = 0xd9;
    char *mem = NULL;
    size_t nmem = 0;
    FILE *fp = open_memstream(&mem, &nmem);
    cairo_surface_t *sf = cairo_pdf_surface_create_for_stream(to_file, fp, 200, 200);
    cairo_t *cr = cairo_create(sf);
    cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 1, 1);
    assert_int_equal(cairo_surface_set_mime_data(img, CAIRO_MIME_TYPE_JPEG, jpeg, njpeg, NULL, NULL), 0);
    cairo_scale(cr, 100, 100);
    cairo_set_source_surface(cr, img, 0, 0);
    cairo_paint(cr);
    cairo_destroy(cr);
    cairo_surface_destroy(sf);
    cairo_surface_destroy(img);
    fclose(fp);
    const char *j = memmem(mem, nmem, jpeg, njpeg);
    assert_non_null(j);
    char *holed = malloc(nmem);
    memcpy(holed, mem, nmem);
    memset(holed + (j - mem), 0, njpeg);
    char dir[] = "/tmp/pm-holes-XXXXXX";
    assert_non_null(mkdtemp(dir));
    gchar *whole, *filled, *fallback;
    gsize nwhole, nfilled, nfallback;
    int spilled;
    pass_held(mem, nmem, NULL, 0, dir, "whole", &whole, &nwhole, &spilled);
    pm_outfile_hole hole = {(size_t)(j - mem), njpeg, jpeg};
    pass_held(holed, nmem, &hole, 1, dir, "filled", &filled, &nfilled, &spilled);
    assert_false(spilled);
    assert_int_equal(nfilled, nwhole);
    assert_memory_equal(filled, whole, nwhole);
    pm_outfile_hole odd[] = {{(size_t)(j - mem), njpeg / 2, jpeg}, {(size_t)(j - mem) + njpeg / 2, njpeg - njpeg / 2,
                                                                     jpeg + njpeg / 2}};
    pass_held(holed, nmem, odd, 2, dir, "fallback", &fallback, &nfallback, &spilled);
    assert_true(spilled);
    assert_int_equal(nfallback, nwhole);
    assert_memory_equal(fallback, whole, nwhole);
    g_free(whole), g_free(filled), g_free(fallback);
    rmdir(dir);
    free(holed);
    free(mem);
    free(jpeg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_neutral_to_gray),
        cmocka_unit_test(test_only_operators_change),
        cmocka_unit_test(test_cmyk_colours),
        cmocka_unit_test(test_pass_over_pages),
        cmocka_unit_test(test_cache),
        cmocka_unit_test(test_cache_uncompressed),
        cmocka_unit_test(test_holes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
