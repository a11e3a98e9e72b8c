/* byref.c - imposing a finished PDF by reference (booklet-imp.h: pm_bk_impose_file), for
 * the booklet writer (from the reading PDF) and `pamphlet impose` (from any PDF): every
 * page of the input becomes a Form XObject made of its own content stream and resources,
 * copied into a new PDF with libqpdf's C API (qpdf_oh_copy_foreign_object), and each sheet
 * side is a page that draws its cells with `q <clip> <cm> /Pn Do Q`. Nothing is redrawn:
 * content streams, fonts and images are copied as they are (streams keep their filters,
 * fonts are not subset again), each once however many cells show it, so a DeviceGray
 * `0 g` page stays K-only. The marks, cut lines and slit are a few stroked lines written
 * into the sheet's own content stream (plan.c's geometry): drawing them with cairo into a
 * PDF to place would cost a cairo surface, a qpdf parse and a Form per sheet for what is
 * a dozen `m l S` operators. Where pages go is impose.c's (pm_cell_place). */
#include <errno.h>
#include <glib.h>
#include <math.h>
#include "output/qpdf_api.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/arena.h"
#include "base/diag.h"
#include "base/digest.h"
#include "base/fileio.h"
#include "output/finish.h"
#include "base/version.h"
#include "impose/booklet-imp.h"

/* ---- the input's pages ---- */

typedef struct {
    double box[4];       /* the placed box: TrimBox, else CropBox, else MediaBox (x0 y0 x1 y1) */
    int rotate;          /* /Rotate, 0 90 180 270 */
    double w, h;         /* as shown, after /Rotate */
    qpdf_oh xobject;     /* in the output, once made; 0 = not yet */
    int content_id;      /* object number of its one content stream, or 0 */
} in_page;

typedef struct {
    qpdf_data in, out;
    const char *path;    /* the input, for messages */
    int npages;
    in_page *pages;
    char *bytes;         /* the input file as read (it backs in), or NULL */
    GChecksum *id;       /* the output's /ID: the input's identity and every sheet's content */
} ref_job;

static int number_array(qpdf_data d, qpdf_oh a, double *v, int n)
{
    if (!qpdf_oh_is_array(d, a) || qpdf_oh_get_array_n_items(d, a) != n) return 0;
    for (int i = 0; i < n; i++) {
        qpdf_oh x = qpdf_oh_get_array_item(d, a, i);
        if (!qpdf_oh_is_number(d, x)) return 0;
        v[i] = qpdf_oh_get_numeric_value(d, x);
    }
    return 1;
}

static int read_page(ref_job *j, int i)
{
    in_page *p = &j->pages[i];
    qpdf_oh pg = qpdf_get_page_n(j->in, (size_t)i);
    double b[4];
    if (!number_array(j->in, qpdf_oh_get_key(j->in, pg, "/TrimBox"), b, 4) &&
        !number_array(j->in, qpdf_oh_get_key(j->in, pg, "/CropBox"), b, 4) &&
        !number_array(j->in, qpdf_oh_get_key(j->in, pg, "/MediaBox"), b, 4)) {
        pm_error(j->path, 0, 0, "page %d has no size", i + 1);
        return PM_EINPUT;
    }
    p->box[0] = fmin(b[0], b[2]), p->box[1] = fmin(b[1], b[3]);
    p->box[2] = fmax(b[0], b[2]), p->box[3] = fmax(b[1], b[3]);
    qpdf_oh r = qpdf_oh_get_key(j->in, pg, "/Rotate");
    p->rotate = qpdf_oh_is_integer(j->in, r) ? ((qpdf_oh_get_int_value_as_int(j->in, r) % 360) + 360) % 360 : 0;
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
    qpdf_oh pg = qpdf_get_page_n(d, (size_t)i), contents = qpdf_oh_get_key(d, pg, "/Contents"), form;
    int shared = 0; /* another page's content stream too (tools merge identical ones): that
                       page's Form has its own resources, so this one gets a copy */
    if (qpdf_oh_is_stream(d, contents)) {
        p->content_id = qpdf_oh_get_object_id(d, contents);
        for (int k = 0; k < j->npages && p->content_id; k++)
            shared |= k != i && j->pages[k].xobject && j->pages[k].content_id == p->content_id;
    }
    if (qpdf_oh_is_stream(d, contents) && !shared) {
        form = contents; /* the stream as it is, filters and all */
    } else {
        unsigned char *buf = NULL;
        size_t len = 0;
        qpdf_oh_get_page_content_data(d, pg, &buf, &len);
        form = qpdf_make_indirect_object(d, qpdf_oh_new_stream(d));
        qpdf_oh_replace_stream_data(d, form, buf ? buf : (unsigned char *)"", len, qpdf_oh_new_null(d),
                                      qpdf_oh_new_null(d));
        free(buf);
    }
    char bbox[160];
    snprintf(bbox, sizeof bbox, "[%.4f %.4f %.4f %.4f]", p->box[0], p->box[1], p->box[2], p->box[3]);
    qpdf_oh dict = qpdf_oh_get_dict(d, form);
    qpdf_oh_replace_key(d, dict, "/Type", qpdf_oh_new_name(d, "/XObject"));
    qpdf_oh_replace_key(d, dict, "/Subtype", qpdf_oh_new_name(d, "/Form"));
    qpdf_oh_replace_key(d, dict, "/BBox", qpdf_oh_parse(d, bbox));
    qpdf_oh_replace_key(d, dict, "/Resources", qpdf_oh_get_key(d, pg, "/Resources"));
    if (qpdf_oh_has_key(d, pg, "/Group")) qpdf_oh_replace_key(d, dict, "/Group", qpdf_oh_get_key(d, pg, "/Group"));
    p->xobject = qpdf_oh_copy_foreign_object(j->out, d, form);
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
static int write_side(ref_job *j, const pm_bk_plan *pl, const pm_sheet_side *side)
{
    qpdf_data d = j->out;
    const pm_imposition *im = &pl->sum.im;
    strbuf b = {0};
    put(&b, "%s", ""); /* allocated even for a side with nothing on it */
    qpdf_oh xobjects = qpdf_oh_new_dictionary(d);
    for (int i = 0; i < side->ncells; i++) {
        const pm_cell *c = &side->cells[i];
        if (c->page < 1) continue;
        const in_page *pg = &j->pages[c->page - 1];
        pm_place p;
        double cm[6], r[4];
        pm_cell_place(c, im->sheet_w, im->sheet_h, pg->w, pg->h, &p);
        page_to_sheet(pg, &p, im->sheet_h, cm);
        clip_rect(&p, im->sheet_h, r);
        char name[24];
        snprintf(name, sizeof name, "/P%d", c->page);
        qpdf_oh_replace_key(d, xobjects, name, page_xobject(j, c->page - 1));
        put(&b, "q %.4f %.4f %.4f %.4f re W n %.6f %.6f %.6f %.6f %.4f %.4f cm %s Do Q\n", r[0], r[1], r[2], r[3], cm[0],
            cm[1], cm[2], cm[3], cm[4], cm[5], name);
    }
    draw_lines(&b, pl->lines, pl->nlines, im->sheet_h);
    char dict[200];
    snprintf(dict, sizeof dict, "<< /Type /Page /MediaBox [0 0 %.4f %.4f] >>", im->sheet_w, im->sheet_h);
    qpdf_oh page = qpdf_oh_parse(d, dict), res = qpdf_oh_new_dictionary(d);
    qpdf_oh_replace_key(d, res, "/XObject", xobjects);
    qpdf_oh_replace_key(d, page, "/Resources", res);
    qpdf_oh contents = qpdf_make_indirect_object(d, qpdf_oh_new_stream(d));
    qpdf_oh_replace_stream_data(d, contents, (unsigned char *)b.s, b.n, qpdf_oh_new_null(d), qpdf_oh_new_null(d));
    qpdf_oh_replace_key(d, page, "/Contents", contents);
    g_checksum_update(j->id, (const guchar *)dict, (gssize)strlen(dict));
    g_checksum_update(j->id, (const guchar *)b.s, (gssize)b.n);
    free(b.s);
    qpdf_add_page(d, d, qpdf_make_indirect_object(d, page), QPDF_FALSE);
    return qpdf_has_error(d) || qpdf_has_error(j->in) ? PM_EIO : PM_OK;
}

/* Page labels ("sheet 1 front") and metadata: the input's title, author, subject and
   keywords; dates only from SOURCE_DATE_EPOCH. */
static void label_and_describe(ref_job *j, const pm_imposition *im, const int *idx, int n)
{
    qpdf_data d = j->out;
    qpdf_oh nums = qpdf_oh_new_array(d);
    for (int k = 0; k < n; k++) {
        const pm_sheet_side *s = &im->sides[idx[k]];
        char label[64];
        if (im->fold == PM_FOLD_ZINE8) snprintf(label, sizeof label, "sheet %d", s->sheet + 1);
        else snprintf(label, sizeof label, "sheet %d %s", s->sheet + 1, s->back ? "back" : "front");
        qpdf_oh l = qpdf_oh_new_dictionary(d);
        qpdf_oh_replace_key(d, l, "/P", qpdf_oh_new_unicode_string(d, label));
        qpdf_oh_append_item(d, nums, qpdf_oh_new_integer(d, k));
        qpdf_oh_append_item(d, nums, l);
    }
    qpdf_oh labels = qpdf_oh_new_dictionary(d);
    qpdf_oh_replace_key(d, labels, "/Nums", nums);
    qpdf_oh_replace_key(d, qpdf_get_root(d), "/PageLabels", labels);
    static const char *keys[] = {"/Title", "/Author", "/Subject", "/Keywords"};
    for (size_t k = 0; k < sizeof keys / sizeof *keys; k++) {
        const char *v = qpdf_get_info_key(j->in, keys[k]);
        if (v && *v) qpdf_set_info_key(d, keys[k], v);
    }
    qpdf_set_info_key(d, "/Creator", "pamphlet " PM_VERSION);
    long long epoch = pm_source_epoch();
    if (epoch >= 0) {
        char buf[32];
        pm_pdf_date(epoch, buf, sizeof buf);
        qpdf_set_info_key(d, "/CreationDate", buf);
        qpdf_set_info_key(d, "/ModDate", buf);
    }
}

/* ---- the job ---- */

static int pages_of(ref_job *j);

/* The input, read whole (libqpdf reading a file seeks for every object) and parsed. */
static int open_input(ref_job *j, const char *in)
{
    gsize n = 0;
    GError *err = NULL;
    if (!g_file_get_contents(in, &j->bytes, &n, &err)) {
        pm_error(j->path, 0, 0, "cannot read it: %s", err->message);
        g_error_free(err);
        return PM_EIO;
    }
    unsigned char d[16];
    pm_digest16(j->bytes, n, "pamphlet impose", d);
    g_checksum_update(j->id, d, 16);
    if (qpdf_read_memory(j->in, j->path, j->bytes, n, NULL) & QPDF_ERRORS) {
        qpdf_error e = qpdf_get_error(j->in);
        if (e && qpdf_get_error_code(j->in, e) == qpdf_e_password) {
            pm_error(j->path, 0, 0, "the PDF is encrypted (it needs a password to open)");
            pm_hint("save an unprotected copy first, e.g. qpdf --decrypt --password=... IN.pdf OUT.pdf");
        } else {
            pm_error(j->path, 0, 0, "cannot open as a PDF: %s", e ? qpdf_get_error_full_text(j->in, e) : "unknown error");
            pm_hint("the file may be damaged or not a PDF");
        }
        return PM_EINPUT;
    }
    return pages_of(j);
}

/* The input's pages, as read_page reads them. */
static int pages_of(ref_job *j)
{
    qpdf_push_inherited_attributes_to_page(j->in);
    j->npages = qpdf_get_num_pages(j->in);
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

/* The input's own pages as a pm_bk_source: sizes only (no ink bounds). */
static void in_size(void *ud, int i, double *w, double *h)
{
    const ref_job *j = ud;
    *w = j->pages[i].w;
    *h = j->pages[i].h;
}

/* qpdf's last error on d, after a diagnostic naming name. */
static int qpdf_failed(qpdf_data d, const char *name, const char *what)
{
    qpdf_error e = qpdf_has_error(d) ? qpdf_get_error(d) : NULL;
    pm_error(name, 0, 0, "%s: %s", what, e ? qpdf_get_error_full_text(d, e) : "error");
    return PM_EIO;
}

/* The output's /ID: a digest of the input's own /ID (a reading PDF's is its content's
 * digest; for another PDF, the file's digest is in already) and of every sheet's content
 * and size, as the first word, which libqpdf keeps; its second is libqpdf's fixed one
 * (see pm_finish_set_id in output/finish.c: its deterministic ID costs an MD5 of every byte
 * written, the cover photo's megabytes included). */
static void set_id(ref_job *j)
{
    qpdf_oh src = qpdf_oh_get_key(j->in, qpdf_get_trailer(j->in), "/ID");
    if (qpdf_oh_is_array(j->in, src) && qpdf_oh_get_array_n_items(j->in, src) > 0) {
        size_t n = 0;
        const char *w = qpdf_oh_get_binary_string_value(j->in, qpdf_oh_get_array_item(j->in, src, 0), &n);
        if (w) g_checksum_update(j->id, (const guchar *)w, (gssize)n);
    }
    guint8 d[16];
    gsize dn = sizeof d;
    g_checksum_get_digest(j->id, d, &dn);
    pm_finish_set_id(j->out, d);
}

static int write_file(ref_job *j, const char *out, const char *out_name)
{
    qpdf_init_write(j->out, out);
    set_id(j); /* (after init_write: the writer takes the static ID) */
    /* fonts, images, pages: stored as they are, not decoded nor compressed again */
    qpdf_set_decode_level(j->out, qpdf_dl_none);
    qpdf_set_compress_streams(j->out, QPDF_FALSE);
    /* no object streams: generating them (serialise, compress) cost about 15 % of the
       imposition for 2-3 % of the file */
    qpdf_set_object_stream_mode(j->out, qpdf_o_disable);
    pm_trim_heap();
    if (qpdf_write(j->out) & QPDF_ERRORS) return qpdf_failed(j->out, out_name, "cannot write the booklet");
    return PM_OK;
}

static int impose_all(ref_job *j, const char *out, const char *out_name, const pm_booklet_opts *o,
                      const pm_bk_source *src, pm_bk_summary *sum)
{
    pm_bk_source own = {.npages = j->npages, .ud = j, .size = in_size};
    if (!src) src = &own;
    if (src->npages != j->npages) {
        pm_error(j->path, 0, 0, "has %d pages where %d were written", j->npages, src->npages);
        return PM_EIO;
    }
    pm_bk_plan pl;
    int rc = pm_bk_plan_make(o, src, &pl);
    qpdf_empty_pdf(j->out);
    for (int k = 0; k < pl.nsides && !rc; k++) rc = write_side(j, &pl, &pl.sum.im.sides[pl.sides[k]]);
    if (rc == PM_EIO) {
        if (qpdf_has_error(j->in)) qpdf_failed(j->in, j->path, "cannot read the pages");
        else qpdf_failed(j->out, out_name, "cannot build the booklet");
    }
    if (!rc) {
        label_and_describe(j, &pl.sum.im, pl.sides, pl.nsides);
        rc = write_file(j, out, out_name);
    }
    if (!rc) pm_bk_plan_warn(&pl, o, out_name);
    *sum = pl.sum; /* the summary moves to the caller */
    memset(&pl.sum, 0, sizeof pl.sum);
    pm_bk_plan_free(&pl);
    return rc;
}

int pm_bk_impose_file(const char *in, struct _qpdf_data *in_q, const char *in_name, const char *out,
                      const char *out_name, const pm_booklet_opts *o, const pm_bk_source *src, pm_bk_summary *sum)
{
    memset(sum, 0, sizeof *sum);
    if (pm_qpdf_load(out_name)) return PM_EIO;
    ref_job j = {.path = in_name, .in = in_q ? in_q : qpdf_init(), .out = qpdf_init(),
                 .id = g_checksum_new(G_CHECKSUM_MD5)};
    if (!in_q) {
        qpdf_silence_errors(j.in);
        qpdf_set_suppress_warnings(j.in, QPDF_TRUE);
    }
    qpdf_silence_errors(j.out);
    qpdf_set_suppress_warnings(j.out, QPDF_TRUE);
    int rc = in_q ? pages_of(&j) : open_input(&j, in);
    pm_timing("impose: read");
    if (!rc) rc = impose_all(&j, out, out_name, o, src, sum);
    pm_timing("impose: sheets, write");
    free(j.pages);
    int kept = !in_q && pm_qpdf_release(j.in);
    pm_qpdf_release_later(j.out); /* (written: nothing reads it again) */
    if (!kept) g_free(j.bytes); /* after the qpdf that reads it */
    g_checksum_free(j.id);
    return rc;
}
