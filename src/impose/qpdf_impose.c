/* qpdf_impose.c - `pamphlet impose` by reference, a prototype (PAMPHLET_IMPOSE=qpdf):
 * every reading page of the input becomes a Form XObject made of its own content stream
 * and resources, copied into a new PDF with libqpdf's C API (qpdf_oh_copy_foreign_object),
 * and each sheet side is a page that draws its cells with `q <clip> <cm> /Pn Do Q`. The
 * page content, fonts and images are copied as they are (no redrawing, no re-encoding:
 * streams keep their filters), each once however many cells show it. Where the pages go,
 * the marks and the how-to are the cairo writer's (impose.h, pm_sheet_lines, howto.h).
 * Not done here: the printer-margin check (it needs the pages' ink, which poppler's path
 * gets by drawing them). libqpdf is loaded only when this runs (it pulls in libstdc++ and
 * gnutls). */
#include <dlfcn.h>
#include <errno.h>
#include <math.h>
#include <qpdf/qpdf-c.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/arena.h"
#include "base/diag.h"
#include "base/fileio.h"
#include "base/version.h"
#include "impose/booklet.h"
#include "impose/howto.h"

/* ---- libqpdf, loaded when needed ---- */

#define QPDF_FUNCS(X)                                                                                    \
    X(qpdf_init) X(qpdf_cleanup) X(qpdf_read) X(qpdf_empty_pdf) X(qpdf_has_error) X(qpdf_get_error)     \
    X(qpdf_get_error_full_text) X(qpdf_get_error_code) X(qpdf_silence_errors) X(qpdf_set_suppress_warnings) \
    X(qpdf_get_num_pages) X(qpdf_get_page_n) X(qpdf_push_inherited_attributes_to_page) X(qpdf_get_root)  \
    X(qpdf_get_info_key) X(qpdf_set_info_key) X(qpdf_oh_get_key) X(qpdf_oh_has_key) X(qpdf_oh_is_array)  \
    X(qpdf_oh_is_stream) X(qpdf_oh_is_number) X(qpdf_oh_get_array_n_items) X(qpdf_oh_get_array_item)     \
    X(qpdf_oh_get_numeric_value) X(qpdf_oh_get_int_value_as_int) X(qpdf_oh_is_integer) X(qpdf_oh_get_dict) \
    X(qpdf_oh_replace_key) X(qpdf_oh_new_name) X(qpdf_oh_new_stream) X(qpdf_oh_new_dictionary)          \
    X(qpdf_oh_new_array) X(qpdf_oh_append_item) X(qpdf_oh_new_integer) X(qpdf_oh_new_unicode_string)    \
    X(qpdf_oh_new_null) X(qpdf_oh_parse) X(qpdf_oh_replace_stream_data) X(qpdf_oh_get_page_content_data) \
    X(qpdf_make_indirect_object) X(qpdf_oh_copy_foreign_object) X(qpdf_add_page) X(qpdf_init_write)     \
    X(qpdf_set_deterministic_ID) X(qpdf_set_decode_level) X(qpdf_set_compress_streams)                  \
    X(qpdf_set_object_stream_mode) X(qpdf_write) X(qpdf_oh_release_all)

static struct {
#define FIELD(f) __typeof__(f) *f;
    QPDF_FUNCS(FIELD)
#undef FIELD
} q;

static int load_qpdf(void)
{
    static int loaded;
    if (loaded) return PM_OK;
    void *h = dlopen("libqpdf.so.29", RTLD_NOW | RTLD_LOCAL);
    if (!h) h = dlopen("libqpdf.so", RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        pm_error(NULL, 0, 0, "impose by reference needs libqpdf: %s", dlerror());
        pm_hint("install it (apt-get install libqpdf29), or leave PAMPHLET_IMPOSE unset");
        return PM_EIO;
    }
#define LOAD(f)                                                          \
    if (!(*(void **)&q.f = dlsym(h, #f))) {                              \
        pm_error(NULL, 0, 0, "impose: libqpdf has no %s", #f);           \
        return PM_EIO;                                                   \
    }
    QPDF_FUNCS(LOAD)
#undef LOAD
    loaded = 1;
    return PM_OK;
}

/* ---- the input's pages ---- */

typedef struct {
    double box[4];       /* the visible box: CropBox, else MediaBox (x0 y0 x1 y1) */
    int rotate;          /* /Rotate, 0 90 180 270 */
    double w, h;         /* as shown, after /Rotate */
    qpdf_oh xobject;     /* in the output, once made; 0 = not yet */
} in_page;

typedef struct {
    qpdf_data in, out;
    const char *path;    /* the input, for messages */
    int npages;
    in_page *pages;
} ref_job;

static int number_array(qpdf_data d, qpdf_oh a, double *v, int n)
{
    if (!q.qpdf_oh_is_array(d, a) || q.qpdf_oh_get_array_n_items(d, a) != n) return 0;
    for (int i = 0; i < n; i++) {
        qpdf_oh x = q.qpdf_oh_get_array_item(d, a, i);
        if (!q.qpdf_oh_is_number(d, x)) return 0;
        v[i] = q.qpdf_oh_get_numeric_value(d, x);
    }
    return 1;
}

static int read_page(ref_job *j, int i)
{
    in_page *p = &j->pages[i];
    qpdf_oh pg = q.qpdf_get_page_n(j->in, (size_t)i);
    double b[4];
    if (!number_array(j->in, q.qpdf_oh_get_key(j->in, pg, "/CropBox"), b, 4) &&
        !number_array(j->in, q.qpdf_oh_get_key(j->in, pg, "/MediaBox"), b, 4)) {
        pm_error(j->path, 0, 0, "page %d has no size", i + 1);
        return PM_EINPUT;
    }
    p->box[0] = fmin(b[0], b[2]), p->box[1] = fmin(b[1], b[3]);
    p->box[2] = fmax(b[0], b[2]), p->box[3] = fmax(b[1], b[3]);
    qpdf_oh r = q.qpdf_oh_get_key(j->in, pg, "/Rotate");
    p->rotate = q.qpdf_oh_is_integer(j->in, r) ? ((q.qpdf_oh_get_int_value_as_int(j->in, r) % 360) + 360) % 360 : 0;
    if (p->rotate % 90) p->rotate = 0;
    double bw = p->box[2] - p->box[0], bh = p->box[3] - p->box[1];
    p->w = p->rotate % 180 ? bh : bw;
    p->h = p->rotate % 180 ? bw : bh;
    if (!(p->w > 0) || !(p->h > 0)) {
        pm_error(j->path, 0, 0, "page %d has no size", i + 1);
        return PM_EINPUT;
    }
    return PM_OK;
}

/* Page i as a Form XObject of the output: its content stream (or its content streams
   joined) with the page's box, resources and transparency group, copied over with
   everything it uses. */
static qpdf_oh page_xobject(ref_job *j, int i)
{
    in_page *p = &j->pages[i];
    if (p->xobject) return p->xobject;
    qpdf_data d = j->in;
    qpdf_oh pg = q.qpdf_get_page_n(d, (size_t)i), contents = q.qpdf_oh_get_key(d, pg, "/Contents"), form;
    if (q.qpdf_oh_is_stream(d, contents)) {
        form = contents; /* the stream as it is, filters and all */
    } else {
        unsigned char *buf = NULL;
        size_t len = 0;
        q.qpdf_oh_get_page_content_data(d, pg, &buf, &len);
        form = q.qpdf_make_indirect_object(d, q.qpdf_oh_new_stream(d));
        q.qpdf_oh_replace_stream_data(d, form, buf ? buf : (unsigned char *)"", len, q.qpdf_oh_new_null(d),
                                      q.qpdf_oh_new_null(d));
        free(buf);
    }
    char bbox[160];
    snprintf(bbox, sizeof bbox, "[%.4f %.4f %.4f %.4f]", p->box[0], p->box[1], p->box[2], p->box[3]);
    qpdf_oh dict = q.qpdf_oh_get_dict(d, form);
    q.qpdf_oh_replace_key(d, dict, "/Type", q.qpdf_oh_new_name(d, "/XObject"));
    q.qpdf_oh_replace_key(d, dict, "/Subtype", q.qpdf_oh_new_name(d, "/Form"));
    q.qpdf_oh_replace_key(d, dict, "/BBox", q.qpdf_oh_parse(d, bbox));
    q.qpdf_oh_replace_key(d, dict, "/Resources", q.qpdf_oh_get_key(d, pg, "/Resources"));
    if (q.qpdf_oh_has_key(d, pg, "/Group")) q.qpdf_oh_replace_key(d, dict, "/Group", q.qpdf_oh_get_key(d, pg, "/Group"));
    p->xobject = q.qpdf_oh_copy_foreign_object(j->out, d, form);
    return p->xobject;
}

/* ---- the sheets ---- */

typedef struct {
    char *s;
    size_t n, cap;
} strbuf;

static void put(strbuf *b, const char *fmt, ...)
{
    va_list ap;
    if (!b->s) b->s = pm_xmalloc(b->cap = 1024);
    for (;;) {
        va_start(ap, fmt);
        int w = vsnprintf(b->s + b->n, b->cap - b->n, fmt, ap);
        va_end(ap);
        if (w >= 0 && (size_t)w < b->cap - b->n) {
            b->n += (size_t)w;
            return;
        }
        b->cap = b->cap * 2 + (size_t)(w > 0 ? w : 64) + 64;
        b->s = pm_xrealloc(b->s, b->cap);
    }
}

/* The matrix from input page i's PDF space to the sheet's PDF space (y up) for placement
   p on a sheet sh points high. */
static void page_to_sheet(const in_page *pg, const pm_place *p, double sh, double cm[6])
{
    /* page space -> the shown page, y down from its top-left: u = a x + c y + e, v = b x + d y + f */
    const double *B = pg->box;
    double t[6];
    switch (pg->rotate) {
    case 90: t[0] = 0, t[1] = 1, t[2] = 1, t[3] = 0, t[4] = -B[1], t[5] = -B[0]; break;
    case 180: t[0] = -1, t[1] = 0, t[2] = 0, t[3] = 1, t[4] = B[2], t[5] = -B[1]; break;
    case 270: t[0] = 0, t[1] = -1, t[2] = -1, t[3] = 0, t[4] = B[3], t[5] = B[2]; break;
    default: t[0] = 1, t[1] = 0, t[2] = 0, t[3] = -1, t[4] = -B[0], t[5] = B[3]; break;
    }
    double m[6]; /* shown page -> sheet, y down */
    pm_place_matrix(p, m);
    /* sheet y down -> y up: Y = sh - y */
    double a = m[0] * t[0] + m[2] * t[1], b = m[1] * t[0] + m[3] * t[1];
    double c = m[0] * t[2] + m[2] * t[3], d = m[1] * t[2] + m[3] * t[3];
    double e = m[0] * t[4] + m[2] * t[5] + m[4], f = m[1] * t[4] + m[3] * t[5] + m[5];
    cm[0] = a, cm[1] = -b, cm[2] = c, cm[3] = -d, cm[4] = e, cm[5] = sh - f;
}

/* The clip of placement p, in the sheet's PDF space: x0 y0 w h. */
static void clip_rect(const pm_place *p, double sh, double r[4])
{
    double x[2] = {p->cx0, p->cx1}, y[2] = {p->cy0, p->cy1}, X[2], Y[2];
    for (int k = 0; k < 2; k++) switch (p->rotation) {
        case 90: X[k] = p->rx - y[k], Y[k] = p->ry + x[k]; break;
        case 180: X[k] = p->rx - x[k], Y[k] = p->ry - y[k]; break;
        case 270: X[k] = p->rx + y[k], Y[k] = p->ry - x[k]; break;
        default: X[k] = x[k], Y[k] = y[k]; break;
        }
    r[0] = fmin(X[0], X[1]);
    r[2] = fabs(X[1] - X[0]);
    r[1] = sh - fmax(Y[0], Y[1]);
    r[3] = fabs(Y[1] - Y[0]);
}

static void draw_lines(strbuf *b, const pm_mark_line *l, int n, double sh)
{
    for (int pass = 0; pass < 2; pass++) {
        int any = 0;
        for (int i = 0; i < n; i++) {
            if (l[i].cut != pass) continue;
            if (!any)
                put(b, pass ? "q 0 G %.2f w [%.1f] 0 d\n" : "q 0 G %.2f w 0 J\n", pass ? PM_CUT_WIDTH : PM_MARK_WIDTH,
                    PM_CUT_DASH);
            any = 1;
            put(b, "%.4f %.4f m %.4f %.4f l\n", l[i].x0, sh - l[i].y0, l[i].x1, sh - l[i].y1);
        }
        if (any) put(b, "S Q\n");
    }
}

/* One sheet side as a page of the output. */
static int write_side(ref_job *j, const pm_imposition *im, const pm_sheet_side *side, const pm_mark_line *lines,
                      int nlines, double *min_scale, unsigned char *scaled)
{
    qpdf_data d = j->out;
    strbuf b = {0};
    qpdf_oh xobjects = q.qpdf_oh_new_dictionary(d);
    for (int i = 0; i < side->ncells; i++) {
        const pm_cell *c = &side->cells[i];
        if (c->page < 1) continue;
        const in_page *pg = &j->pages[c->page - 1];
        pm_place p;
        double cm[6], r[4];
        pm_cell_place(c, im->sheet_w, im->sheet_h, pg->w, pg->h, &p);
        if (p.s < 1 - 1e-9) {
            scaled[c->page - 1] = 1;
            *min_scale = fmin(*min_scale, p.s);
        }
        page_to_sheet(pg, &p, im->sheet_h, cm);
        clip_rect(&p, im->sheet_h, r);
        char name[24];
        snprintf(name, sizeof name, "/P%d", c->page);
        q.qpdf_oh_replace_key(d, xobjects, name, page_xobject(j, c->page - 1));
        put(&b, "q %.4f %.4f %.4f %.4f re W n %.6f %.6f %.6f %.6f %.4f %.4f cm %s Do Q\n", r[0], r[1], r[2], r[3], cm[0],
            cm[1], cm[2], cm[3], cm[4], cm[5], name);
    }
    draw_lines(&b, lines, nlines, im->sheet_h);
    char dict[200];
    snprintf(dict, sizeof dict, "<< /Type /Page /MediaBox [0 0 %.4f %.4f] >>", im->sheet_w, im->sheet_h);
    qpdf_oh page = q.qpdf_oh_parse(d, dict), res = q.qpdf_oh_new_dictionary(d);
    q.qpdf_oh_replace_key(d, res, "/XObject", xobjects);
    q.qpdf_oh_replace_key(d, page, "/Resources", res);
    qpdf_oh contents = q.qpdf_make_indirect_object(d, q.qpdf_oh_new_stream(d));
    put(&b, "%s", ""); /* allocated even for a side with nothing on it */
    q.qpdf_oh_replace_stream_data(d, contents, (unsigned char *)b.s, b.n, q.qpdf_oh_new_null(d),
                                  q.qpdf_oh_new_null(d));
    q.qpdf_oh_replace_key(d, page, "/Contents", contents);
    free(b.s);
    q.qpdf_add_page(d, d, q.qpdf_make_indirect_object(d, page), QPDF_FALSE);
    return q.qpdf_has_error(d) ? PM_EIO : PM_OK;
}

/* Page labels ("sheet 1 front") and metadata: the input's title, author, subject and
   keywords; dates only from SOURCE_DATE_EPOCH. */
static void label_and_describe(ref_job *j, const pm_imposition *im, const int *idx, int n)
{
    qpdf_data d = j->out;
    qpdf_oh nums = q.qpdf_oh_new_array(d);
    for (int k = 0; k < n; k++) {
        const pm_sheet_side *s = &im->sides[idx[k]];
        char label[64];
        if (im->fold == PM_FOLD_ZINE8) snprintf(label, sizeof label, "sheet %d", s->sheet + 1);
        else snprintf(label, sizeof label, "sheet %d %s", s->sheet + 1, s->back ? "back" : "front");
        qpdf_oh l = q.qpdf_oh_new_dictionary(d);
        q.qpdf_oh_replace_key(d, l, "/P", q.qpdf_oh_new_unicode_string(d, label));
        q.qpdf_oh_append_item(d, nums, q.qpdf_oh_new_integer(d, k));
        q.qpdf_oh_append_item(d, nums, l);
    }
    qpdf_oh labels = q.qpdf_oh_new_dictionary(d);
    q.qpdf_oh_replace_key(d, labels, "/Nums", nums);
    q.qpdf_oh_replace_key(d, q.qpdf_get_root(d), "/PageLabels", labels);
    static const char *keys[] = {"/Title", "/Author", "/Subject", "/Keywords"};
    for (size_t k = 0; k < sizeof keys / sizeof *keys; k++) {
        const char *v = q.qpdf_get_info_key(j->in, keys[k]);
        if (v && *v) q.qpdf_set_info_key(d, keys[k], v);
    }
    q.qpdf_set_info_key(d, "/Creator", "pamphlet " PM_VERSION);
    long long epoch = pm_source_epoch();
    if (epoch >= 0) {
        time_t t = (time_t)epoch;
        struct tm tm;
        char buf[32];
        gmtime_r(&t, &tm);
        strftime(buf, sizeof buf, "D:%Y%m%d%H%M%SZ", &tm);
        q.qpdf_set_info_key(d, "/CreationDate", buf);
        q.qpdf_set_info_key(d, "/ModDate", buf);
    }
}

/* ---- the job ---- */

static int open_input(ref_job *j)
{
    if (q.qpdf_read(j->in, j->path, NULL) & QPDF_ERRORS) {
        qpdf_error e = q.qpdf_get_error(j->in);
        if (e && q.qpdf_get_error_code(j->in, e) == qpdf_e_password) {
            pm_error(j->path, 0, 0, "the PDF is encrypted (it needs a password to open)");
            pm_hint("save an unprotected copy first, e.g. qpdf --decrypt --password=... IN.pdf OUT.pdf");
        } else {
            pm_error(j->path, 0, 0, "cannot open as a PDF: %s", e ? q.qpdf_get_error_full_text(j->in, e) : "unknown error");
            pm_hint("the file may be damaged or not a PDF");
        }
        return PM_EINPUT;
    }
    q.qpdf_push_inherited_attributes_to_page(j->in);
    j->npages = q.qpdf_get_num_pages(j->in);
    if (j->npages < 1) {
        pm_error(j->path, 0, 0, "the PDF has no pages");
        return PM_EINPUT;
    }
    j->pages = pm_xcalloc((size_t)j->npages, sizeof *j->pages);
    for (int i = 0; i < j->npages; i++) {
        int rc = read_page(j, i);
        if (rc) return rc;
    }
    return PM_OK;
}

/* Warnings after writing: pages scaled down, marks with no room. */
static void warn_fit(const char *out, const pm_booklet_opts *o, const pm_imposition *im, const unsigned char *scaled,
                     int npages, double min_scale, int nmarks)
{
    char sheet[40];
    pm_bk_sheet_label(sheet, sizeof sheet, im->sheet_w, im->sheet_h);
    int first = -1, n = 0;
    for (int i = 0; i < npages; i++)
        if (scaled[i]) n++, first = first < 0 ? i : first;
    if (n) {
        pm_warn(out, 0, 0, "%d page%s (from page %d) too big for %s of the %s sheet: scaled down to %.1f%%", n,
                n > 1 ? "s" : "", first + 1, im->fold == PM_FOLD_SADDLE ? "half" : "their place", sheet,
                100 * min_scale);
        pm_hint("use a larger --sheet");
    }
    if (o->marks && !nmarks) {
        pm_warn(out, 0, 0, "no room for fold and crop marks: the pages fill the %s sheet", sheet);
        pm_hint("marks need a sheet larger than the pages, e.g. --sheet A3 for a booklet of A5 pages");
    }
}

static int impose_all(ref_job *j, const char *out, const pm_booklet_opts *o)
{
    double nw = 0, nh = 0;
    for (int i = 0; i < j->npages; i++) nw = fmax(nw, j->pages[i].w), nh = fmax(nh, j->pages[i].h);
    pm_bk_summary sum = {0};
    int rc = pm_impose_order(j->npages, nw, nh, o, &sum.im);
    if (rc) return rc;
    const pm_imposition *im = &sum.im;
    for (int i = 0; i < im->ncells; i++) sum.max_creep = fmax(sum.max_creep, im->cells[i].creep);
    pm_mark_line *lines;
    int nmarks, nlines = pm_sheet_lines(im, nw, nh, o->marks, &lines, &nmarks);
    sum.marks = nmarks > 0;
    int *idx, n = pm_imposition_written_sides(im, o, &idx);
    unsigned char *scaled = pm_xcalloc((size_t)j->npages, 1);
    double min_scale = 1;
    q.qpdf_empty_pdf(j->out);
    for (int k = 0; k < n && !rc; k++) rc = write_side(j, im, &im->sides[idx[k]], lines, nlines, &min_scale, scaled);
    if (!rc) label_and_describe(j, im, idx, n);
    pm_outfile of;
    if (!rc) rc = pm_outfile_begin(&of, out);
    if (!rc) {
        q.qpdf_init_write(j->out, of.tmp);
        q.qpdf_set_deterministic_ID(j->out, QPDF_TRUE);
        q.qpdf_set_decode_level(j->out, qpdf_dl_none); /* fonts, images, pages: as they are */
        q.qpdf_set_compress_streams(j->out, QPDF_TRUE);
        q.qpdf_set_object_stream_mode(j->out, qpdf_o_generate);
        if (q.qpdf_write(j->out) & QPDF_ERRORS) {
            qpdf_error e = q.qpdf_get_error(j->out);
            pm_error(out, 0, 0, "cannot write the booklet: %s", e ? q.qpdf_get_error_full_text(j->out, e) : "error");
            pm_outfile_abort(&of);
            rc = PM_EIO;
        } else {
            rc = pm_outfile_commit(&of);
        }
    } else if (rc == PM_EIO && q.qpdf_has_error(j->out)) {
        pm_error(out, 0, 0, "cannot build the booklet: %s", q.qpdf_get_error_full_text(j->out, q.qpdf_get_error(j->out)));
    }
    if (!rc) {
        warn_fit(out, o, im, scaled, j->npages, min_scale, nmarks);
        if (!o->quiet) pm_bk_print_howto(stdout, out, o, &sum);
    }
    free(scaled);
    free(idx);
    free(lines);
    pm_bk_summary_free(&sum);
    return rc;
}

int pm_impose_pdf_ref(const char *in, const char *out, const pm_booklet_opts *o)
{
    int rc = load_qpdf();
    if (rc) return rc;
    ref_job j = {.path = in, .in = q.qpdf_init(), .out = q.qpdf_init()};
    q.qpdf_silence_errors(j.in);
    q.qpdf_silence_errors(j.out);
    q.qpdf_set_suppress_warnings(j.in, QPDF_TRUE);
    q.qpdf_set_suppress_warnings(j.out, QPDF_TRUE);
    rc = open_input(&j);
    if (!rc) rc = impose_all(&j, out, o);
    free(j.pages);
    q.qpdf_cleanup(&j.in);
    q.qpdf_cleanup(&j.out);
    return rc;
}
