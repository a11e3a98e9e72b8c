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

typedef struct entry {
    unsigned char *raw; /* the stored bytes (the key) */
    size_t nraw;
    int status;         /* pm_finish_recolour_stream's result */
    pm_bytes out;
    int used;           /* looked up or made this run */
} entry;

struct pm_finish_cache {
    GHashTable *map;    /* GBytes of raw (borrowed from the entry) -> entry* */
    guint64 settings;   /* digest of the colour settings the results were made with */
    int keep;           /* for later runs (pm_finish_cache_new) */
};

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
    c->map = g_hash_table_new_full(g_bytes_hash, g_bytes_equal, (GDestroyNotify)g_bytes_unref, entry_free);
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
    if (s != c->settings) g_hash_table_remove_all(c->map);
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
    GBytes *k = g_bytes_new_static(raw, n);
    entry *e = g_hash_table_lookup(c->map, k);
    g_bytes_unref(k);
    return e;
}

int pm_finish_cache_get(pm_finish_cache *c, const unsigned char *raw, size_t n, pm_bytes *out)
{
    entry *e = c ? find(c, raw, n) : NULL;
    if (!e) return -2;
    e->used = 1;
    int status = e->status;
    if (status == 1 && !c->keep) { /* handed over, and the entry forgotten */
        *out = e->out;
        e->out = (pm_bytes){0};
        GBytes *k = g_bytes_new_static(e->raw, e->nraw);
        g_hash_table_remove(c->map, k);
        g_bytes_unref(k);
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
    for (const unsigned char *s; (s = find_bytes(p, end, "stream\n"));) {
        if (s == pdf || s[-1] == 'd') { /* "endstream" */
            p = s + 7;
            continue;
        }
        const unsigned char *data = s + 7, *e = find_bytes(data, end, "\nendstream");
        if (!e) break; /* not complete yet: from here next time */
        int flate = 0;
        if (content_dict(pdf + *from, s, &flate) && !find(c, data, (size_t)(e - data))) {
            entry *en = pm_xcalloc(1, sizeof *en);
            en->nraw = (size_t)(e - data);
            en->raw = pm_xmalloc(en->nraw ? en->nraw : 1);
            memcpy(en->raw, data, en->nraw);
            en->status = pm_finish_recolour_stream(en->raw, en->nraw, flate, f, &en->out);
            en->used = 1;
            g_hash_table_insert(c->map, g_bytes_new_static(en->raw, en->nraw), en);
        }
        p = e + 10;
    }
    *from = (size_t)(p - pdf);
}
