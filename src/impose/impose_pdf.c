/* impose_pdf.c - `pamphlet impose IN.pdf -o OUT.pdf`: a booklet from a PDF made
 * elsewhere (Word, LibreOffice, groff, ...). Pages come from poppler-glib and are drawn
 * as vectors (poppler_page_render) by the same sheet writer as the booklet device
 * (dev_booklet.c, booklet-imp.h); each page is recorded once, for its content bounds,
 * then painted onto its sheet and released, so memory stays flat in page count. */
#include <dlfcn.h>
#include <errno.h>
#include <poppler.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "impose/booklet-imp.h"
#include "base/diag.h"
#include "base/fileio.h"

/* poppler-glib is loaded only when `impose` runs: linked into the program it would cost
 * every run about 8 ms of start-up (it pulls in NSS, lcms, openjpeg and more). The
 * prototypes still come from poppler.h; the calls below go through this table. */
static struct {
    PopplerDocument *(*new_from_file)(const char *, const char *, GError **);
    int (*get_n_pages)(PopplerDocument *);
    PopplerPage *(*get_page)(PopplerDocument *, int);
    void (*get_size)(PopplerPage *, double *, double *);
    void (*render_for_printing)(PopplerPage *, cairo_t *);
    gchar *(*get_title)(PopplerDocument *);
    gchar *(*get_author)(PopplerDocument *);
    gchar *(*get_subject)(PopplerDocument *);
    gchar *(*get_keywords)(PopplerDocument *);
    GQuark (*error_quark)(void);
} pp;

static int load_poppler(void)
{
    static const char *names[] = {"libpoppler-glib.so.8", "libpoppler-glib.so"};
    void *h = NULL;
    for (size_t i = 0; !h && i < sizeof names / sizeof *names; i++) h = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        pm_error(NULL, 0, 0, "impose needs poppler-glib: %s", dlerror());
        pm_hint("install it: apt-get install libpoppler-glib8");
        return PM_EIO;
    }
#define LOAD(field, sym)                                                   \
    if (!(*(void **)&pp.field = dlsym(h, sym))) {                          \
        pm_error(NULL, 0, 0, "impose: poppler-glib has no %s", sym);       \
        return PM_EIO;                                                     \
    }
    LOAD(new_from_file, "poppler_document_new_from_file");
    LOAD(get_n_pages, "poppler_document_get_n_pages");
    LOAD(get_page, "poppler_document_get_page");
    LOAD(get_size, "poppler_page_get_size");
    LOAD(render_for_printing, "poppler_page_render_for_printing");
    LOAD(get_title, "poppler_document_get_title");
    LOAD(get_author, "poppler_document_get_author");
    LOAD(get_subject, "poppler_document_get_subject");
    LOAD(get_keywords, "poppler_document_get_keywords");
    LOAD(error_quark, "poppler_error_quark");
#undef LOAD
    return PM_OK;
}

#define poppler_document_new_from_file pp.new_from_file
#define poppler_document_get_n_pages pp.get_n_pages
#define poppler_document_get_page pp.get_page
#define poppler_page_get_size pp.get_size
#define poppler_page_render_for_printing pp.render_for_printing
#define poppler_document_get_title pp.get_title
#define poppler_document_get_author pp.get_author
#define poppler_document_get_subject pp.get_subject
#define poppler_document_get_keywords pp.get_keywords
#undef POPPLER_ERROR
#define POPPLER_ERROR (pp.error_quark())

typedef struct {
    PopplerDocument *doc;
    int npages;
    double *w, *h;
    int rec_page;              /* page held in rec, or -1 */
    cairo_surface_t *rec;
} pdf_src;

static void src_size(void *ud, int i, double *w, double *h)
{
    const pdf_src *s = ud;
    *w = s->w[i];
    *h = s->h[i];
}

/* Record page i (once): the recording gives both the ink bounds and what to paint. */
static cairo_surface_t *record(pdf_src *s, int i)
{
    if (s->rec_page == i) return s->rec;
    if (s->rec) cairo_surface_destroy(s->rec);
    cairo_rectangle_t ext = {0, 0, s->w[i], s->h[i]};
    s->rec = cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, &ext);
    cairo_t *cr = cairo_create(s->rec);
    PopplerPage *page = poppler_document_get_page(s->doc, i);
    if (page) {
        poppler_page_render_for_printing(page, cr); /* JPEGs stay JPEGs, print-only annotations */
        g_object_unref(page);
    }
    cairo_destroy(cr);
    s->rec_page = i;
    return s->rec;
}

static int src_bounds(void *ud, int i, double b[4])
{
    double x, y, w, h;
    cairo_recording_surface_ink_extents(record(ud, i), &x, &y, &w, &h);
    if (w <= 0 || h <= 0) return 0;
    b[0] = x;
    b[1] = y;
    b[2] = x + w;
    b[3] = y + h;
    return 1;
}

static int src_paint(void *ud, int i, cairo_t *cr)
{
    pdf_src *s = ud;
    cairo_set_source_surface(cr, record(s, i), 0, 0);
    cairo_paint(cr);
    /* every page is placed once: let its recording go */
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_surface_destroy(s->rec);
    s->rec = NULL;
    s->rec_page = -1;
    return PM_OK;
}

static long long source_epoch(void)
{
    const char *e = getenv("SOURCE_DATE_EPOCH");
    if (!e || !*e) return -1;
    char *end;
    errno = 0;
    long long v = strtoll(e, &end, 10);
    return errno || *end || v < 0 ? -1 : v;
}

/* Check the file is there, readable and starts like a PDF, for a clear message before
   poppler's. */
static int check_input(const char *in)
{
    struct stat st;
    if (stat(in, &st) == 0 && S_ISDIR(st.st_mode)) {
        pm_error(in, 0, 0, "is a folder, not a PDF file");
        return PM_EIO;
    }
    FILE *f = fopen(in, "rb");
    if (!f) {
        pm_error(in, 0, 0, "cannot read: %s", strerror(errno));
        return PM_EIO;
    }
    char head[1024];
    errno = 0;
    size_t n = fread(head, 1, sizeof head, f);
    int err = ferror(f) ? (errno ? errno : EIO) : 0;
    fclose(f);
    if (err) {
        pm_error(in, 0, 0, "cannot read: %s", strerror(err));
        return PM_EIO;
    }
    for (size_t i = 0; i + 5 <= n; i++)
        if (!memcmp(head + i, "%PDF-", 5)) return PM_OK;
    pm_error(in, 0, 0, "not a PDF file%s", n ? "" : " (it is empty)");
    pm_hint("impose takes a PDF; for a Markdown pamphlet use: pamphlet FILE.md --booklet OUT.pdf");
    return PM_EINPUT;
}

static PopplerDocument *open_doc(const char *in, int *rc)
{
    GError *err = NULL;
    char *abs = g_canonicalize_filename(in, NULL);
    char *uri = g_filename_to_uri(abs, NULL, &err);
    g_free(abs);
    if (!uri) {
        pm_error(in, 0, 0, "cannot open: %s", err ? err->message : "bad file name");
        g_clear_error(&err);
        *rc = PM_EIO;
        return NULL;
    }
    PopplerDocument *doc = poppler_document_new_from_file(uri, NULL, &err);
    g_free(uri);
    if (!doc) {
        if (err && g_error_matches(err, POPPLER_ERROR, POPPLER_ERROR_ENCRYPTED)) {
            pm_error(in, 0, 0, "the PDF is encrypted (it needs a password to open)");
            pm_hint("save an unprotected copy first, e.g. qpdf --decrypt --password=... IN.pdf OUT.pdf");
        } else {
            pm_error(in, 0, 0, "cannot open as a PDF: %s", err ? err->message : "unknown error");
            pm_hint("the file may be damaged or not a PDF");
        }
        g_clear_error(&err);
        *rc = PM_EINPUT;
        return NULL;
    }
    return doc;
}

/* Write the booklet of the open document to out, atomically; the how-to after. */
static int write_booklet(pdf_src *s, const char *out, const pm_booklet_opts *o)
{
    /* metadata from the input, dates only from SOURCE_DATE_EPOCH (reproducible output) */
    char *title = poppler_document_get_title(s->doc), *author = poppler_document_get_author(s->doc);
    char *subject = poppler_document_get_subject(s->doc), *keywords = poppler_document_get_keywords(s->doc);
    pm_layout meta = {.title = title, .author = author, .subject = subject, .keywords = keywords,
                      .epoch = source_epoch()};
    pm_outfile of;
    FILE *fp = NULL;
    int rc = pm_outfile_begin(&of, out);
    if (!rc && !(fp = fopen(of.tmp, "wb"))) {
        pm_error(out, 0, 0, "cannot write output: %s", strerror(errno));
        pm_outfile_abort(&of);
        rc = PM_EIO;
    }
    if (fp) {
        pm_bk_source src = {.npages = s->npages, .ud = s, .size = src_size, .bounds = src_bounds,
                            .paint = src_paint};
        pm_bk_summary sum;
        rc = pm_bk_write(fp, out, o, &src, &meta, &sum);
        if (fclose(fp) != 0 && !rc) {
            pm_error(out, 0, 0, "cannot write the booklet: write error");
            rc = PM_EIO;
        }
        if (!rc) rc = pm_outfile_commit(&of);
        else pm_outfile_abort(&of);
        if (!rc && !o->quiet) pm_bk_print_howto(stdout, out, o, &sum);
        pm_bk_summary_free(&sum);
    }
    g_free(title);
    g_free(author);
    g_free(subject);
    g_free(keywords);
    return rc;
}

int pm_impose_pdf(const char *in, const char *out, const pm_booklet_opts *o)
{
    int rc = check_input(in);
    if (rc) return rc;
    const char *how = getenv("PAMPHLET_IMPOSE");
    if (how && !strcmp(how, "qpdf")) return pm_impose_pdf_ref(in, out, o);
    if ((rc = load_poppler())) return rc;
    PopplerDocument *doc = open_doc(in, &rc);
    if (!doc) return rc;
    pdf_src s = {.doc = doc, .rec_page = -1};
    s.npages = poppler_document_get_n_pages(doc);
    if (s.npages < 1) {
        pm_error(in, 0, 0, "the PDF has no pages");
        g_object_unref(doc);
        return PM_EINPUT;
    }
    s.w = pm_xcalloc((size_t)s.npages, sizeof *s.w);
    s.h = pm_xcalloc((size_t)s.npages, sizeof *s.h);
    for (int i = 0; i < s.npages && !rc; i++) {
        PopplerPage *p = poppler_document_get_page(doc, i);
        if (p) {
            poppler_page_get_size(p, &s.w[i], &s.h[i]); /* with the page's /Rotate */
            g_object_unref(p);
        }
        if (!(s.w[i] > 0) || !(s.h[i] > 0)) {
            pm_error(in, 0, 0, "page %d has no size", i + 1);
            rc = PM_EINPUT;
        }
    }
    if (!rc) rc = write_booklet(&s, out, o);
    if (s.rec) cairo_surface_destroy(s.rec);
    free(s.w);
    free(s.h);
    g_object_unref(doc);
    return rc;
}
