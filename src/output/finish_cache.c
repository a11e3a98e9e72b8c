/* finish_cache.c - recoloured page content kept by its bytes (finish_cache.h).
 *
 * The scan reads cairo's output as it grows: each "stream" keyword whose object's
 * dictionary says /FlateDecode and is a page's content or a form (no /Subtype, or
 * /Subtype /Form: not an image, a font or an ICC profile) has its data, up to the
 * "endstream" that follows, recoloured with the pass's own function. A keyword found
 * inside other data, or an end found too early, only makes an entry no lookup will match:
 * lookups compare the whole stored bytes. */
#define _GNU_SOURCE /* memmem */
#include "output/finish_cache.h"

#include <glib.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>

#include "base/arena.h"
#include "base/digest.h"

/* An entry's key is the stored bytes: in a watch session's cache a copy of them (raw),
 * for later runs; in a cache for one run, where they are in cairo's output (off), which
 * the pass reads anyway: a copy was 2.4 MB of a 400-page book's, held from the page's
 * drawing to the pass. The output grows (and may move) while it is scanned, so the table
 * finds its bytes through base, set to where the output is now by each scan and lookup. */
typedef struct entry {
    const struct pm_finish_cache *c;
    unsigned char *raw; /* a copy of the stored bytes, or NULL: at base + off */
    size_t off, nraw;
    guint hash;
    int status;         /* pm_finish_recolour_stream's result */
    pm_bytes out;
    int used;           /* looked up or made this run */
} entry;

struct pm_finish_cache {
    GHashTable *map;    /* a set of entries, by their bytes */
    guint64 settings;   /* digest of the colour settings the results were made with */
    int keep;           /* for later runs (pm_finish_cache_new) */
    const unsigned char *base; /* cairo's output, as the current scan or lookup has it */
};

static const unsigned char *key_bytes(const entry *e) { return e->raw ? e->raw : e->c->base + e->off; }

/* (g_bytes_hash's function) */
static guint bytes_hash(const unsigned char *p, size_t n)
{
    guint h = 5381;
    for (size_t i = 0; i < n; i++) h = (h << 5) + h + p[i];
    return h;
}

static guint entry_hash(gconstpointer k) { return ((const entry *)k)->hash; }

static gboolean entry_equal(gconstpointer a, gconstpointer b)
{
    const entry *x = a, *y = b;
    return x->nraw == y->nraw && !memcmp(key_bytes(x), key_bytes(y), x->nraw);
}

static void entry_free(void *p)
{
    entry *e = p;
    free(e->raw);
    free(e->out.p);
    free(e);
}

pm_finish_cache *pm_finish_cache_new(int keep)
{
    pm_finish_cache *c = pm_xcalloc(1, sizeof *c);
    c->keep = keep;
    c->map = g_hash_table_new_full(entry_hash, entry_equal, NULL, entry_free);
    return c;
}

void pm_finish_cache_drop(pm_finish_cache *c)
{
    if (!c) return;
    g_hash_table_destroy(c->map);
    free(c);
}

/* What recolouring depends on besides the bytes: the layout's cmyk() colours. */
static guint64 settings_of(const pm_finish *f)
{
    return pm_hash64(PM_HASH64_INIT, f->cmyk, (size_t)f->ncmyk * sizeof *f->cmyk) ^ (guint64)f->ncmyk;
}

void pm_finish_cache_begin(pm_finish_cache *c, const pm_finish *f)
{
    guint64 s = settings_of(f);
    /* (a cache for one run: what an output dropped before left, its pages built again,
       points into that output, which is gone) */
    if (s != c->settings || !c->keep) g_hash_table_remove_all(c->map);
    c->settings = s;
    GHashTableIter it;
    gpointer k, v;
    g_hash_table_iter_init(&it, c->map);
    while (g_hash_table_iter_next(&it, &k, &v)) ((entry *)v)->used = 0;
}

static gboolean unused(gpointer k, gpointer v, gpointer ud)
{
    (void)k;
    (void)ud;
    return !((entry *)v)->used;
}

void pm_finish_cache_sweep(pm_finish_cache *c) { g_hash_table_foreach_remove(c->map, unused, NULL); }

static entry *find(pm_finish_cache *c, const unsigned char *raw, size_t n)
{
    entry key = {.c = c, .raw = (unsigned char *)raw, .nraw = n, .hash = bytes_hash(raw, n)};
    return g_hash_table_lookup(c->map, &key);
}

int pm_finish_cache_get(pm_finish_cache *c, const unsigned char *pdf, const unsigned char *raw, size_t n, pm_bytes *out)
{
    return pm_finish_cache_get_at(c, pdf, raw, n, out, NULL);
}

int pm_finish_cache_get_at(pm_finish_cache *c, const unsigned char *pdf, const unsigned char *raw, size_t n,
                           pm_bytes *out, size_t *at)
{
    if (at) *at = (size_t)-1;
    if (c) c->base = pdf;
    entry *e = c && (pdf || c->keep) ? find(c, raw, n) : NULL; /* (a one-run cache reads pdf) */
    if (!e) return -2;
    e->used = 1;
    if (at && !e->raw) *at = e->off; /* (scanned from this output) */
    int status = e->status;
    if (status == 1 && !c->keep) { /* handed over, and the entry forgotten */
        *out = e->out;
        e->out = (pm_bytes){0};
        g_hash_table_remove(c->map, e);
    } else if (status == 1) {
        out->p = pm_xmalloc(e->out.n);
        memcpy(out->p, e->out.p, e->out.n);
        out->n = out->cap = e->out.n;
    }
    return status;
}

static const unsigned char *find_bytes(const unsigned char *p, const unsigned char *end, const char *s)
{
    size_t l = strlen(s);
    return end - p >= (ptrdiff_t)l ? memmem(p, (size_t)(end - p), s, l) : NULL;
}

/* The dictionary before a "stream" keyword at s: from the "obj" that opens its object
   (at most 4 KB back, not before lo). */
static int content_dict(const unsigned char *lo, const unsigned char *s, int *flate)
{
    const unsigned char *from = s - lo > 4096 ? s - 4096 : lo, *obj = NULL;
    for (const unsigned char *q = from; (q = find_bytes(q, s, " obj")); q += 4) obj = q;
    if (!obj) return 0;
    const unsigned char *sub = find_bytes(obj, s, "/Subtype");
    *flate = find_bytes(obj, s, "/FlateDecode") != NULL;
    if (!*flate && find_bytes(obj, s, "/Filter")) return 0;
    return (!sub || find_bytes(sub, s, "/Subtype /Form") == sub) && !find_bytes(obj, s, "/DecodeParms");
}

void pm_finish_cache_scan(pm_finish_cache *c, const unsigned char *pdf, size_t n, size_t *from, const pm_finish *f)
{
    const unsigned char *end = pdf + n, *p = pdf + *from;
    c->base = pdf;
    for (const unsigned char *s; (s = find_bytes(p, end, "stream\n"));) {
        if (s == pdf || s[-1] == 'd') { /* "endstream" */
            p = s + 7;
            continue;
        }
        const unsigned char *data = s + 7, *e = find_bytes(data, end, "\nendstream");
        if (!e) break; /* not complete yet: from here next time */
        int flate = 0;
        size_t len = (size_t)(e - data);
        if (content_dict(pdf + *from, s, &flate) && !find(c, data, len)) {
            entry *en = pm_xcalloc(1, sizeof *en);
            en->c = c;
            en->off = (size_t)(data - pdf);
            en->nraw = len;
            en->hash = bytes_hash(data, len);
            if (c->keep) {
                en->raw = pm_xmalloc(len ? len : 1);
                memcpy(en->raw, data, len);
            }
            en->status = pm_finish_recolour_stream(data, len, flate, f, &en->out);
            en->used = 1;
            g_hash_table_add(c->map, en);
        }
        p = e + 10;
    }
    *from = (size_t)(p - pdf);
}
