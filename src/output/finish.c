/* finish.c - the finishing pass over the reading PDF, with libqpdf's C API (finish.h).
 * libqpdf edits objects and streams of the PDF cairo wrote and writes it anew; fonts and
 * images pass through untouched. Why libqpdf: cairo 1.16 has no API for any of this, and
 * writing PDF syntax by hand (boxes, metadata, a rewritten xref) is what breaks files. */
#include "output/finish.h"

#include <glib.h>
#include <math.h>
#include <pthread.h>
#include "output/qpdf_api.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "base/arena.h"
#include "base/diag.h"
#include "base/digest.h"
#include "base/thread.h"
#include "output/finish_cache.h"
#include "output/finish_pdfx.h"
#include "output/finish_images.h"

/* ---- content streams --------------------------------------------------------------------- */

static void put(pm_bytes *b, const void *p, size_t n)
{
    if (!n) return; /* (b->p may still be NULL) */
    if (b->n + n > b->cap) {
        b->cap = (b->n + n) * 2 + 256;
        b->p = pm_xrealloc(b->p, b->cap);
    }
    memcpy(b->p + b->n, p, n);
    b->n += n;
}

static int is_ws(int c) { return c == 0 || c == 9 || c == 10 || c == 12 || c == 13 || c == 32; }
static int is_delim(int c) { return c && strchr("()<>[]{}/%", c); }

/* The end of the literal string starting at in[i] == '(' (nested parentheses, escapes). */
static size_t skip_string(const unsigned char *in, size_t n, size_t i)
{
    int depth = 0;
    for (; i < n; i++) {
        if (in[i] == '\\') i++;
        else if (in[i] == '(') depth++;
        else if (in[i] == ')' && --depth == 0) return i + 1;
    }
    return n;
}

/* Whether a token is a PDF number: [+-] digits [. digits] (or .digits). */
static int is_number(const unsigned char *t, size_t len)
{
    if (!len || len >= 64) return 0;
    size_t k = t[0] == '+' || t[0] == '-', digits = 0, dots = 0;
    for (; k < len; k++) {
        if (t[k] == '.') dots++;
        else if (t[k] >= '0' && t[k] <= '9') digits++;
        else return 0;
    }
    return digits && dots <= 1;
}

/* The value of a number token (is_number). */
static double number(const unsigned char *t, size_t len)
{
    char buf[64];
    memcpy(buf, t, len);
    buf[len] = 0;
    return strtod(buf, NULL);
}

/* The end of an inline image's data: the EI after ID at in[i], between white space. */
static size_t skip_inline_image(const unsigned char *in, size_t n, size_t i)
{
    for (size_t k = i + 1; k + 2 <= n; k++)
        if (in[k] == 'E' && in[k + 1] == 'I' && is_ws(in[k - 1]) && (k + 2 == n || is_ws(in[k + 2]) || is_delim(in[k + 2])))
            return k;
    return n;
}

/* The replacement for 'r g b rg' (stroke: RG) into out, or 0 to keep it. Neutral first:
 * a cmyk() colour whose RGB is neutral cannot be told from plain black or grey, and
 * K-only is the safe reading. */
static int replacement(const double v[3], const unsigned char *first, size_t flen, int stroke, const pm_finish *f,
                       pm_bytes *out)
{
    char buf[96];
    if (pm_colour_neutral(v)) {
        put(out, first, flen);
        put(out, stroke ? " G" : " g", 2);
        return 1;
    }
    for (int i = 0; i < f->ncmyk; i++) {
        const pm_colour *c = &f->cmyk[i];
        if (fabs(c->rgb[0] - v[0]) < 0.5 / 255 && fabs(c->rgb[1] - v[1]) < 0.5 / 255 && fabs(c->rgb[2] - v[2]) < 0.5 / 255) {
            int l = snprintf(buf, sizeof buf, "%.4g %.4g %.4g %.4g %s", c->cmyk[0], c->cmyk[1], c->cmyk[2], c->cmyk[3],
                             stroke ? "K" : "k");
            put(out, buf, (size_t)l);
            return 1;
        }
    }
    return 0;
}

int pm_finish_recolour(const unsigned char *in, size_t n, const pm_finish *f, pm_bytes *out)
{
    /* The input is copied as it is up to each operator rewritten (copied: how far), so
       only the three operands before an rg or RG are ever converted to numbers: cairo's
       pages are mostly glyph positions, and converting every one was most of the pass. */
    size_t i = 0, istart[3] = {0}, iend[3] = {0}, copied = 0;
    int nops = 0, allnum = 1, nrew = 0;
    while (i < n) {
        unsigned char c = in[i];
        if (is_ws(c)) {
            i++;
            continue;
        }
        size_t j = i + 1;
        int numeric = 0, op = 0;
        if (c == '%') {
            while (j < n && in[j] != '\n' && in[j] != '\r') j++;
            i = j;
            continue;
        }
        if (c == '(') j = skip_string(in, n, i);
        else if ((c == '<' || c == '>') && j < n && in[j] == c) j++;
        else if (c == '<') {
            while (j < n && in[j] != '>') j++;
            j += j < n;
        } else if (c == '/') {
            while (j < n && !is_ws(in[j]) && !is_delim(in[j])) j++;
        } else if (!is_delim(c)) {
            while (j < n && !is_ws(in[j]) && !is_delim(in[j])) j++;
            numeric = is_number(in + i, j - i);
            op = !numeric;
        }
        if (!op) { /* an operand */
            if (nops < 3) {
                istart[nops] = i;
                iend[nops] = j;
            }
            nops++;
            allnum &= numeric;
            i = j;
            continue;
        }
        int is_rg = j - i == 2 && (!memcmp(in + i, "rg", 2) || !memcmp(in + i, "RG", 2));
        if (is_rg && nops == 3 && allnum) {
            double val[3];
            for (int k = 0; k < 3; k++) val[k] = number(in + istart[k], iend[k] - istart[k]);
            size_t mark = out->n;
            put(out, in + copied, istart[0] - copied);
            if (replacement(val, in + istart[0], iend[0] - istart[0], in[i] == 'R', f, out)) {
                nrew++;
                copied = j;
            } else {
                out->n = mark;
            }
        }
        if (j - i == 2 && !memcmp(in + i, "ID", 2)) j = skip_inline_image(in, n, j); /* its data, as it is */
        i = j;
        nops = 0;
        allnum = 1;
    }
    put(out, in + copied, n - copied);
    return nrew;
}

/* ---- pages in parallel ----------------------------------------------------------------------
 * Most of the pass's time is the pages' content: inflated, recoloured, deflated again.
 * Pages are independent, so worker threads do that with zlib (a stream each); libqpdf is
 * not thread-safe, so the stored bytes are read before and the new ones put back after,
 * on the calling thread. Each page's result depends on its bytes only: the output is the
 * same whatever the threads' timing. */

typedef struct {
    int id, gen;             /* the page's content stream */
    unsigned char *raw;      /* its bytes as stored */
    size_t nraw;
    int flate;               /* stored with FlateDecode (else with no filter) */
    pm_bytes out;            /* recoloured and deflated, or empty: unchanged */
    int failed;              /* not inflatable: left to libqpdf as it is */
    int done;                /* found made (finish_cache.h) */
    size_t at;               /* where its bytes are in the PDF held in memory, if known, else -1 */
} page_job;

typedef struct {
    page_job *jobs;
    int n, next;             /* next: the next job to take (atomic) */
    const pm_finish *f;
} job_queue;

static int inflate_all(const unsigned char *in, size_t n, pm_bytes *out)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    if (inflateInit(&z) != Z_OK) return 0;
    z.next_in = (Bytef *)in;
    z.avail_in = (uInt)n;
    int rc;
    do {
        if (out->cap - out->n < 16384) {
            out->cap = out->cap * 2 + n * 4 + 16384;
            out->p = pm_xrealloc(out->p, out->cap);
        }
        z.next_out = out->p + out->n;
        z.avail_out = (uInt)(out->cap - out->n);
        rc = inflate(&z, Z_NO_FLUSH);
        out->n = out->cap - z.avail_out;
    } while (rc == Z_OK);
    inflateEnd(&z);
    return rc == Z_STREAM_END;
}

int pm_finish_recolour_stream(const unsigned char *raw, size_t n, int flate, const pm_finish *f, pm_bytes *out)
{
    pm_bytes plain = {0}, recoloured = {0};
    int rc = 0;
    if (flate && !inflate_all(raw, n, &plain)) {
        rc = -1;
    } else if (pm_finish_recolour(flate ? plain.p : raw, flate ? plain.n : n, f, &recoloured)) {
        uLongf len = compressBound(recoloured.n);
        out->p = pm_xmalloc(len);
        /* the fastest level: a third of the pass's compressing for 1 % more bytes (1917:
           545.6 KB against 540.1 at zlib's default, Common Sense 0.45 % more) */
        if (compress2(out->p, &len, recoloured.p, recoloured.n, Z_BEST_SPEED) == Z_OK) {
            /* (cut to its size: room for the inflated content was asked for, a fifth of
               it is used, and the cache keeps each page's until the pass) */
            out->p = pm_xrealloc(out->p, len);
            out->n = out->cap = len;
            rc = 1;
        } else {
            rc = -1;
        }
    }
    free(plain.p);
    free(recoloured.p);
    return rc;
}

static void run_job(page_job *j, const pm_finish *f)
{
    if (j->done) return;
    if (pm_finish_recolour_stream(j->raw, j->nraw, j->flate, f, &j->out) < 0) j->failed = 1;
}

static void *worker(void *ud)
{
    pm_thread_name("pm-finish");
    job_queue *jq = ud;
    for (int i; (i = __atomic_fetch_add(&jq->next, 1, __ATOMIC_RELAXED)) < jq->n;) run_job(&jq->jobs[i], jq->f);
    return NULL;
}

/* Run every job: on this thread and up to three more (one per further processor). */
static void run_jobs(job_queue *jq)
{
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    int todo = 0;
    for (int i = 0; i < jq->n; i++) todo += !jq->jobs[i].done;
    int nt = todo < 8 ? 0 : (int)(cpus > 4 ? 3 : cpus > 1 ? cpus - 1 : 0);
    pthread_t t[3];
    int started = 0;
    while (started < nt && pthread_create(&t[started], NULL, worker, jq) == 0) started++;
    worker(jq);
    for (int i = 0; i < started; i++) pthread_join(t[i], NULL);
}

/* ---- the PDF ----------------------------------------------------------------------------- */

typedef struct {
    qpdf_data q;
    const pm_finish *f;
    const char *dest;
    int *seen; /* object ids of forms already walked */
    int nseen, capseen;
    job_queue jq; /* the pages' content, for the workers */
    int capjobs;
    const unsigned char *pdf; /* cairo's output, when held in memory (the cache's lookups) */
    unsigned char id[16]; /* the document's digest (digest_input) */
    char docid[48]; /* its hex digits: --pdfx's XMP DocumentID */
} fctx;

static int failed(fctx *c, const char *what)
{
    if (!qpdf_has_error(c->q)) return 0;
    pm_error(c->dest, 0, 0, "the finishing pass could not %s: %s", what,
             qpdf_get_error_full_text(c->q, qpdf_get_error(c->q)));
    return 1;
}

static int num_below(qpdf_data q, qpdf_oh d, const char *key, double lim)
{
    if (!qpdf_oh_has_key(q, d, key)) return 0;
    qpdf_oh v = qpdf_oh_get_key(q, d, key);
    return qpdf_oh_is_number(q, v) && qpdf_oh_get_numeric_value(q, v) < lim;
}

/* Whether a graphics state makes anything transparent. */
static int gs_transparent(qpdf_data q, qpdf_oh gs)
{
    if (num_below(q, gs, "/ca", 1) || num_below(q, gs, "/CA", 1)) return 1;
    if (qpdf_oh_has_key(q, gs, "/SMask") && !qpdf_oh_is_name_and_equals(q, qpdf_oh_get_key(q, gs, "/SMask"), "/None"))
        return 1;
    if (qpdf_oh_has_key(q, gs, "/BM")) {
        qpdf_oh bm = qpdf_oh_get_key(q, gs, "/BM");
        return !qpdf_oh_is_name_and_equals(q, bm, "/Normal") && !qpdf_oh_is_name_and_equals(q, bm, "/Compatible");
    }
    return 0;
}

/* The keys of a dictionary (one key iterator per qpdf: copy them before walking on). */
static char **dict_keys(qpdf_data q, qpdf_oh d, int *n)
{
    char **keys = NULL;
    int cap = 0;
    *n = 0;
    qpdf_oh_begin_dict_key_iter(q, d);
    while (qpdf_oh_dict_more_keys(q)) {
        if (*n == cap) keys = pm_xrealloc(keys, (size_t)(cap = cap * 2 + 8) * sizeof *keys);
        keys[(*n)++] = pm_xstrdup(qpdf_oh_dict_next_key(q));
    }
    return keys;
}

static void free_keys(char **k, int n)
{
    for (int i = 0; i < n; i++) free(k[i]);
    free(k);
}

static int recolour_form(fctx *c, qpdf_oh form);

/* Walk a resource dictionary: recolour its forms (once each); returns whether anything
 * in it is transparent. */
static int walk_resources(fctx *c, qpdf_oh res)
{
    qpdf_data q = c->q;
    int transparent = 0, n;
    if (!qpdf_oh_is_dictionary(q, res)) return 0;
    qpdf_oh gss = qpdf_oh_get_key(q, res, "/ExtGState");
    if (qpdf_oh_is_dictionary(q, gss)) {
        char **k = dict_keys(q, gss, &n);
        for (int i = 0; i < n; i++) transparent |= gs_transparent(q, qpdf_oh_get_key(q, gss, k[i]));
        free_keys(k, n);
    }
    qpdf_oh xo = qpdf_oh_get_key(q, res, "/XObject");
    if (!qpdf_oh_is_dictionary(q, xo)) return transparent;
    char **k = dict_keys(q, xo, &n);
    for (int i = 0; i < n; i++) {
        qpdf_oh x = qpdf_oh_get_key(q, xo, k[i]);
        if (!qpdf_oh_is_stream(q, x)) continue;
        qpdf_oh d = qpdf_oh_get_dict(q, x);
        if (qpdf_oh_has_key(q, d, "/SMask")) transparent = 1;
        if (!qpdf_oh_is_name_and_equals(q, qpdf_oh_get_key(q, d, "/Subtype"), "/Form")) continue;
        if (qpdf_oh_has_key(q, d, "/Group")) transparent = 1;
        transparent |= recolour_form(c, x);
    }
    free_keys(k, n);
    return transparent;
}

/* Recolour a form XObject's content and walk its resources. */
static int recolour_form(fctx *c, qpdf_oh form)
{
    qpdf_data q = c->q;
    int id = qpdf_oh_get_object_id(q, form);
    for (int i = 0; i < c->nseen; i++)
        if (c->seen[i] == id) return 0;
    if (c->nseen == c->capseen) c->seen = pm_xrealloc(c->seen, (size_t)(c->capseen = c->capseen * 2 + 16) * sizeof *c->seen);
    c->seen[c->nseen++] = id;
    unsigned char *data = NULL;
    size_t len = 0;
    QPDF_BOOL filtered = QPDF_FALSE;
    if (qpdf_oh_get_stream_data(q, form, qpdf_dl_generalized, &filtered, &data, &len) == QPDF_SUCCESS && filtered) {
        pm_bytes out = {0};
        if (pm_finish_recolour(data, len, c->f, &out))
            qpdf_oh_replace_stream_data(q, form, out.p, out.n, qpdf_oh_new_null(q), qpdf_oh_new_null(q));
        free(out.p);
    }
    free(data);
    return walk_resources(c, qpdf_oh_get_key(q, qpdf_oh_get_dict(q, form), "/Resources"));
}

/* [a b c d] as numbers. */
static int get_box(qpdf_data q, qpdf_oh page, const char *key, double b[4])
{
    qpdf_oh a = qpdf_oh_get_key(q, page, key);
    if (!qpdf_oh_is_array(q, a) || qpdf_oh_get_array_n_items(q, a) != 4) return 0;
    for (int i = 0; i < 4; i++) b[i] = qpdf_oh_get_numeric_value(q, qpdf_oh_get_array_item(q, a, i));
    return 1;
}

static void set_box(qpdf_data q, qpdf_oh page, const char *key, double x0, double y0, double x1, double y1)
{
    char buf[160];
    snprintf(buf, sizeof buf, "[%.4f %.4f %.4f %.4f]", x0, y0, x1, y1);
    qpdf_oh_replace_key(q, page, key, qpdf_oh_parse(q, buf));
}

/* A page's content for the workers when it is one Flate stream as cairo writes it (1 if
 * queued), with its bytes as stored. */
static int queue_page(fctx *c, qpdf_oh page)
{
    qpdf_data q = c->q;
    qpdf_oh s = qpdf_oh_get_key(q, page, "/Contents");
    if (!qpdf_oh_is_stream(q, s)) return 0;
    qpdf_oh d = qpdf_oh_get_dict(q, s);
    int flate = qpdf_oh_is_name_and_equals(q, qpdf_oh_get_key(q, d, "/Filter"), "/FlateDecode");
    if ((!flate && qpdf_oh_has_key(q, d, "/Filter")) || qpdf_oh_has_key(q, d, "/DecodeParms")) return 0;
    int id = qpdf_oh_get_object_id(q, s), gen = qpdf_oh_get_generation(q, s);
    for (int i = 0; i < c->jq.n; i++)
        if (c->jq.jobs[i].id == id && c->jq.jobs[i].gen == gen) return 1; /* shared: done once */
    page_job j = {.id = id, .gen = gen, .flate = flate, .at = (size_t)-1};
    if (qpdf_oh_get_stream_data(q, s, qpdf_dl_none, NULL, &j.raw, &j.nraw) != QPDF_SUCCESS) {
        free(j.raw);
        return 0;
    }
    int made = pm_finish_cache_get_at(c->f->cache, c->pdf, j.raw, j.nraw, &j.out, &j.at);
    j.done = made > -2;
    j.failed = made == -1;
    if (j.done) { /* (found: only the workers read the stored bytes) */
        free(j.raw);
        j.raw = NULL;
    }
    if (c->jq.n == c->capjobs) c->jq.jobs = pm_xrealloc(c->jq.jobs, (size_t)(c->capjobs = c->capjobs * 2 + 64) * sizeof j);
    c->jq.jobs[c->jq.n++] = j;
    return 1;
}

/* A page's content recoloured here, through libqpdf (content that is not one Flate
 * stream: several streams, other filters). */
static int recolour_page_here(fctx *c, qpdf_oh page)
{
    qpdf_data q = c->q;
    unsigned char *data = NULL;
    size_t len = 0;
    if (qpdf_oh_get_page_content_data(q, page, &data, &len) != QPDF_SUCCESS) {
        free(data);
        return failed(c, "read a page") ? PM_EIO : PM_OK;
    }
    pm_bytes out = {0};
    if (pm_finish_recolour(data, len, c->f, &out)) {
        qpdf_oh s = qpdf_oh_new_stream(q);
        qpdf_oh_replace_stream_data(q, s, out.p, out.n, qpdf_oh_new_null(q), qpdf_oh_new_null(q));
        qpdf_oh_replace_key(q, page, "/Contents", s);
    }
    free(out.p);
    free(data);
    return PM_OK;
}

/* One page: its content queued or recoloured, its forms recoloured, the group dropped if
 * nothing needs it, the boxes set. */
static int finish_page(fctx *c, qpdf_oh page)
{
    qpdf_data q = c->q;
    if (!queue_page(c, page)) {
        int rc = recolour_page_here(c, page);
        if (rc) return rc;
    }
    int transparent = walk_resources(c, qpdf_oh_get_key(q, page, "/Resources"));
    if (!transparent && qpdf_oh_has_key(q, page, "/Group")) qpdf_oh_remove_key(q, page, "/Group");
    double mb[4];
    if (get_box(q, page, "/MediaBox", mb)) {
        double b = c->f->bleed;
        set_box(q, page, "/TrimBox", mb[0] + b, mb[1] + b, mb[2] - b, mb[3] - b);
        if (b > 0) set_box(q, page, "/BleedBox", mb[0], mb[1], mb[2], mb[3]);
        pm_shop_page(q, page, c->f);
    }
    return failed(c, "rewrite a page") ? PM_EIO : PM_OK;
}

/* The object whose stream data starts at offset at of pdf, by the "N G obj" that opens it
 * (cairo writes its dictionary, then "stream"); 0 if none within 4 KB before. */
static int object_before(const unsigned char *pdf, size_t at, int *gen)
{
    size_t lo = at > 4096 ? at - 4096 : 0, k = at;
    while (k >= lo + 4 && memcmp(pdf + k - 4, " obj", 4)) k--;
    if (k < lo + 4) return 0;
    k -= 4;
    size_t g = k;
    while (g > lo && pdf[g - 1] >= '0' && pdf[g - 1] <= '9') g--;
    if (g == k || g == lo || pdf[g - 1] != ' ') return 0;
    size_t i = g - 1;
    while (i > lo && pdf[i - 1] >= '0' && pdf[i - 1] <= '9') i--;
    if (i == g - 1 || (i > 0 && pdf[i - 1] != '\n' && pdf[i - 1] != '\r')) return 0;
    *gen = atoi((const char *)pdf + g);
    return atoi((const char *)pdf + i);
}

/* The workers' results put in place: each recoloured content stream, already deflated
 * (libqpdf copies it), its bytes freed before the PDF is written; libqpdf never reads the
 * stream's old bytes again, which the writer may then let go (pm_finish.content_taken). */
static int apply_jobs(fctx *c)
{
    qpdf_data q = c->q;
    for (int i = 0; i < c->jq.n; i++) {
        page_job *j = &c->jq.jobs[i];
        if (!j->failed && j->out.n) {
            qpdf_oh s = qpdf_get_object_by_id(q, j->id, j->gen);
            qpdf_oh_replace_stream_data(q, s, j->out.p, j->out.n, qpdf_oh_new_name(q, "/FlateDecode"),
                                        qpdf_oh_new_null(q));
            qpdf_oh_release_all(q);
            /* (the bytes found may be another stream's, alike: only the stream's own go) */
            int gen = -1;
            if (j->at != (size_t)-1 && c->f->content_taken && !qpdf_has_error(q) &&
                object_before(c->pdf, j->at, &gen) == j->id && gen == j->gen)
                c->f->content_taken(c->f->images_ud, j->at, j->nraw);
        }
        free(j->raw);
        free(j->out.p);
        j->raw = NULL;
        j->out = (pm_bytes){0};
    }
    return failed(c, "rewrite a page") ? PM_EIO : PM_OK;
}

/* ---- metadata ----------------------------------------------------------------------------- */

static void put_s(pm_bytes *b, const char *s) { put(b, s, strlen(s)); }

static void put_xml(pm_bytes *b, const char *s)
{
    for (; *s; s++) {
        if (*s == '<') put_s(b, "&lt;");
        else if (*s == '>') put_s(b, "&gt;");
        else if (*s == '&') put_s(b, "&amp;");
        else if ((unsigned char)*s >= 0x20 || *s == '\t' || *s == '\n') put(b, s, 1);
    }
}

/* "D:YYYYMMDDHHmmSS[Z|+HH'mm']" as XMP's "YYYY-MM-DDTHH:mm:SS[Z|+HH:mm]"; 0 if not one.
 * (cairo 1.16 leaves out the "D:" the PDF standard asks for.) */
static int xmp_date(const char *pdf, char *out, size_t n)
{
    const char *p = pdf + (strncmp(pdf, "D:", 2) ? 0 : 2), *z = p + 14;
    if (strlen(p) < 14 || strspn(p, "0123456789") < 14) return 0;
    char tz[8] = "";
    if (*z == 'Z') strcpy(tz, "Z");
    else if ((*z == '+' || *z == '-') && strspn(z + 1, "0123456789") >= 2)
        snprintf(tz, sizeof tz, "%c%.2s:%.2s", *z, z + 1, strlen(z) >= 6 && z[3] == '\'' ? z + 4 : "00");
    snprintf(out, n, "%.4s-%.2s-%.2sT%.2s:%.2s:%.2s%s", p, p + 4, p + 6, p + 8, p + 10, p + 12, tz);
    return 1;
}

/* The Info dictionary's value of key as UTF-8 (a copy), or NULL. */
static char *info(qpdf_data q, qpdf_oh inf, const char *key)
{
    if (!qpdf_oh_is_dictionary(q, inf) || !qpdf_oh_has_key(q, inf, key)) return NULL;
    qpdf_oh v = qpdf_oh_get_key(q, inf, key);
    return qpdf_oh_is_string(q, v) ? pm_xstrdup(qpdf_oh_get_utf8_value(q, v)) : NULL;
}

static void xmp_prop(pm_bytes *b, const char *tag, const char *open, const char *close, const char *v)
{
    if (!v) return;
    put_s(b, "   <");
    put_s(b, tag);
    put_s(b, ">");
    put_s(b, open);
    put_xml(b, v);
    put_s(b, close);
    put_s(b, "</");
    put_s(b, tag);
    put_s(b, ">\n");
}

/* XMP metadata saying what the Info dictionary says (and the language), as the Root's
 * /Metadata stream. */
static void add_xmp(fctx *c)
{
    qpdf_data q = c->q;
    qpdf_oh inf = qpdf_oh_get_key(q, qpdf_get_trailer(q), "/Info");
    static const char *const keys[] = {"/Title", "/Author", "/Subject", "/Keywords", "/Creator", "/Producer",
                                       "/CreationDate", "/ModDate"};
    char *v[8];
    for (int i = 0; i < 8; i++) v[i] = info(q, inf, keys[i]);
    char cd[40], md[40];
    for (int i = 6; i < 8; i++) /* the dates with the "D:" cairo 1.16 leaves out */
        if (v[i] && strncmp(v[i], "D:", 2) && qpdf_oh_is_dictionary(q, inf)) {
            char d[64];
            snprintf(d, sizeof d, "D:%s", v[i]);
            qpdf_oh_replace_key(q, inf, keys[i], qpdf_oh_new_string(q, d));
        }
    pm_bytes b = {0};
    put_s(&b, "<?xpacket begin=\"\xEF\xBB\xBF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
              "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
              " <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n"
              "  <rdf:Description rdf:about=\"\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\"\n"
              "    xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\" xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\">\n"
              "   <dc:format>application/pdf</dc:format>\n");
    const char *alt = "<rdf:Alt><rdf:li xml:lang=\"x-default\">", *alt_end = "</rdf:li></rdf:Alt>";
    xmp_prop(&b, "dc:title", alt, alt_end, v[0]);
    xmp_prop(&b, "dc:creator", "<rdf:Seq><rdf:li>", "</rdf:li></rdf:Seq>", v[1]);
    xmp_prop(&b, "dc:description", alt, alt_end, v[2]);
    xmp_prop(&b, "dc:language", "<rdf:Bag><rdf:li>", "</rdf:li></rdf:Bag>", c->f->lang);
    xmp_prop(&b, "pdf:Keywords", "", "", v[3]);
    xmp_prop(&b, "xmp:CreatorTool", "", "", v[4]);
    xmp_prop(&b, "pdf:Producer", "", "", v[5]);
    xmp_prop(&b, "xmp:CreateDate", "", "", v[6] && xmp_date(v[6], cd, sizeof cd) ? cd : NULL);
    xmp_prop(&b, "xmp:ModifyDate", "", "", v[7] && xmp_date(v[7], md, sizeof md) ? md : NULL);
    put_s(&b, "  </rdf:Description>\n");
    pm_pdfx_xmp(&b, c->f, c->docid);
    put_s(&b, " </rdf:RDF>\n</x:xmpmeta>\n<?xpacket end=\"r\"?>\n");
    qpdf_oh s = qpdf_oh_new_stream(q);
    qpdf_oh_replace_stream_data(q, s, b.p, b.n, qpdf_oh_new_null(q), qpdf_oh_new_null(q));
    qpdf_oh d = qpdf_oh_get_dict(q, s);
    qpdf_oh_replace_key(q, d, "/Type", qpdf_oh_new_name(q, "/Metadata"));
    qpdf_oh_replace_key(q, d, "/Subtype", qpdf_oh_new_name(q, "/XML"));
    qpdf_oh_replace_key(q, qpdf_get_root(q), "/Metadata", s);
    free(b.p);
    for (int i = 0; i < 8; i++) free(v[i]);
}

/* The Figure elements of the structure tree under k, in order, get the descriptions
 * (/Alt) still to give from alts[*next]. */
static void add_alts(fctx *c, qpdf_oh k, int *next, int depth)
{
    qpdf_data q = c->q;
    if (depth > 64 || *next >= c->f->nalts) return;
    if (qpdf_oh_is_array(q, k)) {
        int n = qpdf_oh_get_array_n_items(q, k);
        for (int i = 0; i < n; i++) add_alts(c, qpdf_oh_get_array_item(q, k, i), next, depth + 1);
        return;
    }
    if (!qpdf_oh_is_dictionary(q, k)) return;
    if (qpdf_oh_is_name_and_equals(q, qpdf_oh_get_key(q, k, "/S"), "/Figure")) {
        const char *alt = c->f->alts[(*next)++];
        if (alt && *alt) qpdf_oh_replace_key(q, k, "/Alt", qpdf_oh_new_unicode_string(q, alt));
    }
    if (qpdf_oh_has_key(q, k, "/K")) add_alts(c, qpdf_oh_get_key(q, k, "/K"), next, depth + 1);
}

/* ---- the pass ------------------------------------------------------------------------------ */

/* The digest the document's identifiers are made of (the trailer /ID, --pdfx's XMP
 * DocumentID): of the bytes cairo wrote, so the same input gives the same PDF. Held in
 * memory: the runs of mem between its holes, and the holes' own bytes. */
typedef struct {
    const pm_outfile *in;
    unsigned char *id;
} digest_job;

static void *digest_mem(void *ud)
{
    const digest_job *j = ud;
    const pm_outfile *in = j->in;
    pm_digest_part *parts = pm_xmalloc((size_t)(2 * in->nholes + 1) * sizeof *parts);
    int n = 0;
    size_t at = 0;
    for (int i = 0; i < in->nholes; i++) {
        parts[n++] = (pm_digest_part){in->mem + at, in->holes[i].at - at};
        parts[n++] = (pm_digest_part){in->holes[i].bytes, in->holes[i].n};
        at = in->holes[i].at + in->holes[i].n;
    }
    parts[n++] = (pm_digest_part){in->mem + at, in->nmem - at};
    pm_digest16_parts(parts, n, "pamphlet finish", j->id);
    free(parts);
    return NULL;
}

/* The digest of a PDF written to its file. */
static int digest_file(fctx *c, const pm_outfile *in)
{
    gchar *b = NULL;
    gsize n = 0;
    if (!g_file_get_contents(in->tmp, &b, &n, NULL)) {
        pm_error(c->dest, 0, 0, "the finishing pass could not read the PDF cairo wrote");
        return PM_EIO;
    }
    pm_digest16(b, n, "pamphlet finish", c->id);
    g_free(b);
    return PM_OK;
}

/* The trailer's /ID: the digest as its first word, which libqpdf keeps; libqpdf's own
 * "deterministic" ID would be an MD5 over every byte it writes, in small pieces (3 ms
 * of 1917's 545 KB, and Common Sense's cover photo twice over with the booklet); with
 * that off it writes its fixed second word (qpdf --static-id). Same input, same /ID. */
void pm_finish_set_id(qpdf_data q, const unsigned char id[16])
{
    qpdf_oh a = qpdf_oh_new_array(q);
    qpdf_oh_append_item(q, a, qpdf_oh_new_binary_string(q, (const char *)id, 16));
    qpdf_oh_append_item(q, a, qpdf_oh_new_binary_string(q, (const char *)id, 16));
    qpdf_oh_replace_key(q, qpdf_get_trailer(q), "/ID", a);
    qpdf_set_static_ID(q, QPDF_TRUE);
}


/* The holes in the PDF held in memory (base/fileio.h: a photo's bytes, output/pdf.c) as
 * the data of their image XObjects, given to libqpdf, which then never reads the hole;
 * the same data, so the same PDF comes out. 0 if each was found: a DCTDecode stream of
 * that length. */
static int fill_holes(fctx *c, const pm_outfile *in)
{
    qpdf_data q = c->q;
    for (int i = 0; i < in->nholes; i++) {
        const pm_outfile_hole *h = &in->holes[i];
        int gen = 0, id = object_before(in->mem, h->at, &gen);
        qpdf_oh s = id ? qpdf_get_object_by_id(q, id, gen) : qpdf_oh_new_null(q);
        if (!qpdf_oh_is_stream(q, s)) return -1;
        qpdf_oh d = qpdf_oh_get_dict(q, s), len = qpdf_oh_get_key(q, d, "/Length");
        qpdf_oh filter = qpdf_oh_get_key(q, d, "/Filter");
        if (!qpdf_oh_is_integer(q, len) || qpdf_oh_get_int_value(q, len) != (long long)h->n ||
            !qpdf_oh_is_name_and_equals(q, filter, "/DCTDecode") || qpdf_oh_has_key(q, d, "/DecodeParms"))
            return -1;
        qpdf_oh_replace_stream_data(q, s, h->bytes, h->n, filter, qpdf_oh_new_null(q));
        qpdf_oh_release_all(q);
    }
    return qpdf_has_error(q) ? -1 : 0;
}

/* Read the PDF cairo wrote: from memory, its holes filled; from its file if that fails
 * (written out whole: the holes cannot be read from memory). */
static int read_input(fctx *c, const pm_outfile *in)
{
    qpdf_data q = c->q;
    if (!in->mem) return qpdf_read(q, in->tmp, NULL) & QPDF_ERRORS ? -1 : 0;
    int read = qpdf_read_memory(q, c->dest, (const char *)in->mem, (unsigned long long)in->nmem, NULL);
    if (read & QPDF_ERRORS) return -1;
    if (!in->nholes || !fill_holes(c, in)) return 0;
    /* (the writer's temporary, made now: held in memory, it had none) */
    const char *tmp = pm_outfile_tmp((pm_outfile *)in);
    FILE *f = tmp ? fopen(tmp, "wb") : NULL;
    unsigned char *buf = pm_xmalloc(65536);
    int ok = f != NULL;
    for (size_t at = 0; ok && at < in->nmem; at += 65536) {
        size_t n = in->nmem - at < 65536 ? in->nmem - at : 65536;
        pm_outfile_read(in, at, buf, n);
        ok = fwrite(buf, 1, n, f) == n;
    }
    free(buf);
    if (f && fclose(f)) ok = 0;
    qpdf_cleanup(&c->q);
    c->q = q = qpdf_init();
    qpdf_silence_errors(q);
    qpdf_set_suppress_warnings(q, QPDF_TRUE);
    return ok && !(qpdf_read(q, tmp, NULL) & QPDF_ERRORS) ? 0 : -1;
}

/* A PDF as large as this (a photo's bytes, held in holes, counted) has libqpdf write
 * buffers large enough that the heap's free pages are worth giving back before. */
#define TRIM_PDF (4 << 20)

/* Read the PDF, finish its pages and recolour their content (not given to libqpdf yet). */
static int finish_doc_pages(fctx *c, const pm_outfile *in)
{
    if (read_input(c, in)) {
        if (!failed(c, "read the PDF cairo wrote"))
            pm_error(c->dest, 0, 0, "the finishing pass could not write the PDF cairo wrote to %s", in->tmp);
        return PM_EIO;
    }
    qpdf_data q = c->q;
    c->pdf = in->mem;
    pm_timing("finish: read");
    int n = qpdf_get_num_pages(q);
    if (n < 0) return failed(c, "find the pages"), PM_EIO;
    for (int i = 0; i < n; i++) {
        int rc = finish_page(c, qpdf_get_page_n(q, (size_t)i));
        if (rc) return rc;
        qpdf_oh_release_all(q);
    }
    pm_timing("finish: pages");
    run_jobs(&c->jq);
    pm_timing("finish: recolour");
    return PM_OK;
}

static int finish_and_write(fctx *c, const char *out, int trim);

/* The recoloured pages and the images given to libqpdf (cairo's bytes of them are let go:
 * the digest must be made), the document's metadata (its digest is in c->id), then the
 * PDF written to out. */
static int finish_doc_write(fctx *c, const char *out, const pm_outfile *in)
{
    int rc = apply_jobs(c);
    if (rc) return rc;
    return finish_and_write(c, out, in && in->mem && in->nmem >= TRIM_PDF);
}

/* The images described, the document's metadata, the PDF written to out. */
static int finish_and_write(fctx *c, const char *out, int trim)
{
    qpdf_data q = c->q;
    int rc;
    if (pm_finish_images(q, c->f)) return failed(c, "describe the images"), PM_EIO;
    if (c->f->images_taken) c->f->images_taken(c->f->images_ud);
    pm_timing("finish: images");
    qpdf_oh root = qpdf_get_root(q);
    if (c->f->lang && *c->f->lang) qpdf_oh_replace_key(q, root, "/Lang", qpdf_oh_new_unicode_string(q, c->f->lang));
    char hex[33];
    pm_digest_hex(c->id, hex);
    if ((rc = pm_pdfx_doc(q, c->f, c->dest, hex, c->docid))) return rc;
    add_xmp(c);
    int next = 0;
    if (c->f->nalts) add_alts(c, qpdf_oh_get_key(q, root, "/StructTreeRoot"), &next, 0);
    if (failed(c, "add the metadata")) return PM_EIO;
    pm_timing("finish: metadata");
    if (qpdf_init_write(q, out) & QPDF_ERRORS) return failed(c, "write the PDF"), PM_EIO;
    if (c->f->pdfx) { /* PDF/X-4: PDF 1.6; an end of line before each endstream, as ISO 32000 asks */
        qpdf_set_minimum_pdf_version(q, "1.6");
        qpdf_set_newline_before_endstream(q, QPDF_TRUE);
    }
    pm_finish_set_id(q, c->id);
    /* no object streams: making them cost 2 ms of 1917's 5 ms write, for 6 % of the file */
    qpdf_set_object_stream_mode(q, qpdf_o_disable);
    /* streams left as cairo compressed them (fonts, images, untouched pages): decoding and
       compressing them again cost a third of a run; the rewritten pages are compressed */
    qpdf_set_decode_level(q, qpdf_dl_none);
    if (trim) pm_trim_heap(); /* (base/arena.h) */
    if (qpdf_write(q) & QPDF_ERRORS) return failed(c, "write the PDF"), PM_EIO;
    pm_timing("finish: write");
    return PM_OK;
}

/* The pass: the digest (of a PDF in memory on a thread of its own meanwhile: the other
 * processor is idle by now; done before any of cairo's bytes are let go), the pages, the
 * document, the write. */
static int finish_doc(fctx *c, const pm_outfile *in, const char *out)
{
    digest_job dj = {in, c->id};
    pthread_t digester;
    int digesting = in->mem && pthread_create(&digester, NULL, digest_mem, &dj) == 0;
    if (in->mem && !digesting) digest_mem(&dj);
    int rc = finish_doc_pages(c, in);
    if (digesting) pthread_join(digester, NULL);
    if (!rc && !in->mem) rc = digest_file(c, in);
    return rc ? rc : finish_doc_write(c, out, in);
}

static int run_finish(void *ud, const pm_outfile *in, const char *out, const char *dest)
{
    if (pm_qpdf_load(dest)) return PM_EIO;
    fctx c = {.q = qpdf_init(), .f = ud, .dest = dest, .jq = {.f = ud}};
    qpdf_silence_errors(c.q);
    qpdf_set_suppress_warnings(c.q, QPDF_TRUE);
    int rc = finish_doc(&c, in, out);
    if (c.f->keep && c.f->kept) {
        pm_finish_release(*c.f->kept);
        *c.f->kept = rc ? NULL : c.q; /* the caller's now */
        if (!rc) c.q = NULL;
    }
    pm_qpdf_release(c.q);
    free(c.seen);
    for (int i = 0; i < c.jq.n; i++) {
        free(c.jq.jobs[i].raw);
        free(c.jq.jobs[i].out.p);
    }
    free(c.jq.jobs);
    return rc;
}

int pm_finish_built(struct _qpdf_data *q, const pm_finish *f, const unsigned char id[16], const char *out,
                    const char *dest)
{
    fctx c = {.q = q, .f = f, .dest = dest, .jq = {.f = f}};
    memcpy(c.id, id, 16);
    int n = qpdf_get_num_pages(q), rc = n < 0 ? PM_EIO : PM_OK;
    for (int i = 0; i < n && !rc; i++) {
        qpdf_oh page = qpdf_get_page_n(q, (size_t)i);
        double mb[4];
        if (get_box(q, page, "/MediaBox", mb)) {
            double b = f->bleed;
            set_box(q, page, "/TrimBox", mb[0] + b, mb[1] + b, mb[2] - b, mb[3] - b);
            if (b > 0) set_box(q, page, "/BleedBox", mb[0], mb[1], mb[2], mb[3]);
            pm_shop_page(q, page, f);
        }
        qpdf_oh_release_all(q);
        if (failed(&c, "finish a page")) rc = PM_EIO;
    }
    pm_timing("finish: pages");
    if (!rc) rc = finish_and_write(&c, out, 0);
    free(c.seen);
    return rc;
}

void pm_finish_release(struct _qpdf_data *kept) { pm_qpdf_release(kept); }

pm_pass pm_finish_pass(const pm_finish *f)
{
    return (pm_pass){"finish", run_finish, (void *)f};
}
