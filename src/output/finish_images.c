/* finish_images.c - the finishing pass's work on image XObjects (finish_images.h).
 *
 * cairo 1.16 embeds a passthrough JPEG's bytes as they are (DCTDecode) and names its
 * colour space from the frame header only: DeviceGray, DeviceRGB or DeviceCMYK. It
 * writes no /Decode, so a CMYK JPEG from Photoshop (an Adobe APP14 marker: samples stored
 * inverted, 255 = no ink) comes out as a negative, and it drops the ICC profile. Here
 * every DCTDecode image is read back (its stream is the JPEG file) and described as the
 * file says: /Decode [1 0 1 0 1 0 1 0] for an Adobe CMYK file, and the APP2 ICC_PROFILE
 * chunks, joined in order, as an ICCBased colour space. Reading a stream costs (a 2.6 MB
 * cover: 8 ms), so only a DCTDecode XObject whose size and byte length are those of a
 * painted JPEG with such markers (pm_finish.images) is read; what it gets is decided by
 * its bytes. A decoded image (PNG) cannot be told from its stream: one that is the only
 * painted decoded image of its stored size gets that image's iCCP profile. The stream
 * bytes are never touched. */
#include "output/finish_images.h"

#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/diag.h"

/* An ICC profile's number of components, from its header's colour space; 0 if not one
 * PDF can take. */
static int icc_components(const unsigned char *p, size_t n)
{
    if (n < 128 || memcmp(p + 36, "acsp", 4) != 0) return 0;
    if (!memcmp(p + 16, "GRAY", 4)) return 1;
    if (!memcmp(p + 16, "RGB ", 4)) return 3;
    if (!memcmp(p + 16, "CMYK", 4)) return 4;
    return 0;
}

/* What a JPEG file says about its colour: components, the Adobe marker, the profile. */
typedef struct {
    int nc, adobe;
    unsigned char *icc; /* joined chunks (new), or NULL */
    size_t icc_len;
} jpeg_desc;

/* Walks the marker segments up to the first scan, in bounds. 0 if no frame header. */
static int describe_jpeg(const unsigned char *p, size_t n, jpeg_desc *d)
{
    const unsigned char *chunk[256] = {0};
    size_t clen[256] = {0};
    int count = 0;
    memset(d, 0, sizeof *d);
    size_t i = 2;
    if (n < 4 || p[0] != 0xff || p[1] != 0xd8) return 0;
    while (i + 4 <= n) {
        if (p[i] != 0xff) return 0;
        unsigned m = p[i + 1];
        if (m == 0xff) {
            i++;
            continue;
        }
        if (m == 0x01 || (m >= 0xd0 && m <= 0xd7)) {
            i += 2;
            continue;
        }
        if (m == 0xda || m == 0xd9) break;
        size_t len = (size_t)p[i + 2] << 8 | p[i + 3];
        if (len < 2 || i + 2 + len > n) return 0;
        const unsigned char *s = p + i + 4;
        size_t sl = len - 2;
        if (m >= 0xc0 && m <= 0xcf && m != 0xc4 && m != 0xc8 && m != 0xcc && sl >= 6 && !d->nc) d->nc = s[5];
        if (m == 0xee && sl >= 12 && !memcmp(s, "Adobe", 5)) d->adobe = 1;
        if (m == 0xe2 && sl > 14 && !memcmp(s, "ICC_PROFILE\0", 12) && s[12] >= 1) {
            if (!count) count = s[13];
            if (s[13] == count && !chunk[s[12]]) {
                chunk[s[12]] = s + 14;
                clen[s[12]] = sl - 14;
            }
        }
        i += 2 + len;
    }
    size_t total = 0;
    for (int k = 1; k <= count; k++) {
        if (!chunk[k]) return d->nc > 0; /* a chunk missing: no profile */
        total += clen[k];
    }
    if (count && icc_components(chunk[1], clen[1]) == d->nc) {
        d->icc = pm_xmalloc(total);
        for (int k = 1; k <= count; k++) {
            memcpy(d->icc + d->icc_len, chunk[k], clen[k]);
            d->icc_len += clen[k];
        }
    }
    return d->nc > 0;
}

typedef struct {
    qpdf_data q;
    const pm_finish *f;
    struct {
        const unsigned char *p; /* borrowed from the caller of profile_cs */
        size_t n;
        int id;
    } *made; /* ICCBased streams made, so that images with one profile share it */
    int nmade, capmade;
    unsigned char **owned; /* profile copies to free */
    int nowned;
} img_ctx;

static const char *const device[] = {NULL, "/DeviceGray", NULL, "/DeviceRGB", "/DeviceCMYK"};

/* [/ICCBased stream] for the profile (its stream made once); the profile stays valid. */
static qpdf_oh profile_cs(img_ctx *c, const unsigned char *p, size_t n, int nc)
{
    qpdf_data q = c->q;
    int id = 0;
    for (int i = 0; i < c->nmade && !id; i++)
        if (c->made[i].n == n && !memcmp(c->made[i].p, p, n)) id = c->made[i].id;
    qpdf_oh s;
    if (id) {
        s = qpdf_get_object_by_id(q, id, 0);
    } else {
        s = qpdf_oh_new_stream(q);
        qpdf_oh_replace_stream_data(q, s, p, n, qpdf_oh_new_null(q), qpdf_oh_new_null(q));
        qpdf_oh d = qpdf_oh_get_dict(q, s);
        qpdf_oh_replace_key(q, d, "/N", qpdf_oh_new_integer(q, nc));
        qpdf_oh_replace_key(q, d, "/Alternate", qpdf_oh_new_name(q, device[nc]));
        if (c->nmade == c->capmade)
            c->made = pm_xrealloc(c->made, (size_t)(c->capmade = c->capmade * 2 + 4) * sizeof *c->made);
        c->made[c->nmade].p = p;
        c->made[c->nmade].n = n;
        c->made[c->nmade++].id = qpdf_oh_get_object_id(q, s);
    }
    qpdf_oh a = qpdf_oh_new_array(q);
    qpdf_oh_append_item(q, a, qpdf_oh_new_name(q, "/ICCBased"));
    qpdf_oh_append_item(q, a, s);
    return a;
}

static int get_int(qpdf_data q, qpdf_oh d, const char *key)
{
    qpdf_oh v = qpdf_oh_get_key(q, d, key);
    return qpdf_oh_is_integer(q, v) ? qpdf_oh_get_int_value_as_int(q, v) : -1;
}

/* A DCTDecode image: described from its own bytes, if it may need it. */
static void finish_jpeg(img_ctx *c, qpdf_oh img, qpdf_oh d)
{
    qpdf_data q = c->q;
    int w = get_int(q, d, "/Width"), h = get_int(q, d, "/Height"), len = get_int(q, d, "/Length"), may = len < 0;
    for (int i = 0; i < c->f->nimages && !may; i++) {
        const pm_finish_image *e = &c->f->images[i];
        may = e->describe && e->w == w && e->h == h && e->jpeg_bytes == (size_t)len;
    }
    if (!may) return;
    unsigned char *raw = NULL;
    size_t n = 0;
    jpeg_desc j;
    if (qpdf_oh_get_stream_data(q, img, qpdf_dl_none, NULL, &raw, &n) != QPDF_SUCCESS || !describe_jpeg(raw, n, &j)) {
        free(raw);
        return;
    }
    free(raw);
    if (j.nc == 4 && j.adobe) qpdf_oh_replace_key(q, d, "/Decode", qpdf_oh_parse(q, "[1 0 1 0 1 0 1 0]"));
    if (j.icc && (j.nc == 1 || j.nc == 3 || j.nc == 4)) {
        qpdf_oh_replace_key(q, d, "/ColorSpace", profile_cs(c, j.icc, j.icc_len, j.nc));
        c->owned = pm_xrealloc(c->owned, (size_t)(c->nowned + 1) * sizeof *c->owned);
        c->owned[c->nowned++] = j.icc;
    } else {
        free(j.icc);
    }
}

/* A decoded image: the iCCP profile of the one decoded image of its stored size, if the
 * image's colour space has the profile's number of components. */
static void finish_decoded(img_ctx *c, qpdf_oh d)
{
    qpdf_data q = c->q;
    int w = get_int(q, d, "/Width"), h = get_int(q, d, "/Height"), nc = 0;
    qpdf_oh cs = qpdf_oh_get_key(q, d, "/ColorSpace");
    if (qpdf_oh_is_name_and_equals(q, cs, "/DeviceRGB")) nc = 3;
    else if (qpdf_oh_is_name_and_equals(q, cs, "/DeviceGray")) nc = 1;
    if (!nc || get_int(q, d, "/BitsPerComponent") != 8) return;
    const pm_finish_image *hit = NULL;
    for (int i = 0; i < c->f->nimages; i++) {
        const pm_finish_image *e = &c->f->images[i];
        if (e->jpeg_bytes || e->w != w || e->h != h) continue;
        if (hit && (hit->icc_len != e->icc_len || (e->icc_len && memcmp(hit->icc, e->icc, e->icc_len))))
            return; /* two images of this size with different profiles: cannot tell */
        hit = e;
    }
    if (hit && hit->icc && icc_components(hit->icc, hit->icc_len) == nc)
        qpdf_oh_replace_key(q, d, "/ColorSpace", profile_cs(c, hit->icc, hit->icc_len, nc));
}

/* Object ids: the images and forms met (kind 1: image, 2: soft mask, 4: form walked). */
typedef struct {
    int *id;
    unsigned char *kind;
    int n, cap;
} idset;

static unsigned char *mark(idset *s, int id)
{
    for (int i = 0; i < s->n; i++)
        if (s->id[i] == id) return &s->kind[i];
    if (s->n == s->cap) {
        s->cap = s->cap * 2 + 16;
        s->id = pm_xrealloc(s->id, (size_t)s->cap * sizeof *s->id);
        s->kind = pm_xrealloc(s->kind, (size_t)s->cap);
    }
    s->id[s->n] = id;
    s->kind[s->n] = 0;
    return &s->kind[s->n++];
}

/* The image XObjects under a resource dictionary (forms walked once each, to depth 16;
 * not patterns: pamphlet paints no image through one). Walking the pages' resources
 * touches far fewer objects than every object id would (Common Sense's 504: 7 ms). */
static void collect(qpdf_data q, qpdf_oh res, idset *s, int depth)
{
    qpdf_oh xo = qpdf_oh_get_key_if_dict(q, res, "/XObject");
    if (!qpdf_oh_is_dictionary(q, xo) || depth > 16) return;
    int n = 0, cap = 0, *ids = NULL;
    qpdf_oh_begin_dict_key_iter(q, xo); /* one iterator per qpdf: ids first, walk after */
    while (qpdf_oh_dict_more_keys(q)) {
        qpdf_oh x = qpdf_oh_get_key(q, xo, qpdf_oh_dict_next_key(q));
        if (!qpdf_oh_is_stream(q, x)) continue;
        if (n == cap) ids = pm_xrealloc(ids, (size_t)(cap = cap * 2 + 8) * sizeof *ids);
        ids[n++] = qpdf_oh_get_object_id(q, x);
    }
    for (int i = 0; i < n; i++) {
        qpdf_oh x = qpdf_get_object_by_id(q, ids[i], 0), d = qpdf_oh_get_dict(q, x);
        unsigned char *k = mark(s, ids[i]);
        if (qpdf_oh_is_name_and_equals(q, qpdf_oh_get_key(q, d, "/Subtype"), "/Image")) {
            *k |= 1;
            if (qpdf_oh_has_key(q, d, "/SMask")) *mark(s, qpdf_oh_get_object_id(q, qpdf_oh_get_key(q, d, "/SMask"))) |= 2;
        } else if (!(*k & 4)) {
            *k |= 4;
            collect(q, qpdf_oh_get_key(q, d, "/Resources"), s, depth + 1);
        }
    }
    free(ids);
}

int pm_finish_images(qpdf_data q, const pm_finish *f)
{
    if (!f->nimages) return PM_OK;
    idset s = {0};
    int np = qpdf_get_num_pages(q);
    for (int i = 0; i < np; i++) {
        collect(q, qpdf_oh_get_key(q, qpdf_get_page_n(q, (size_t)i), "/Resources"), &s, 0);
        qpdf_oh_release_all(q);
    }
    img_ctx c = {.q = q, .f = f};
    for (int i = 0; i < s.n; i++) {
        if (s.kind[i] != 1) continue;
        qpdf_oh img = qpdf_get_object_by_id(q, s.id[i], 0), d = qpdf_oh_get_dict(q, img);
        if (qpdf_oh_is_name_and_equals(q, qpdf_oh_get_key(q, d, "/Filter"), "/DCTDecode")) finish_jpeg(&c, img, d);
        else if (!qpdf_oh_has_key(q, d, "/ImageMask")) finish_decoded(&c, d);
        qpdf_oh_release_all(q);
    }
    free(s.id);
    free(s.kind);
    free(c.made);
    for (int i = 0; i < c.nowned; i++) free(c.owned[i]);
    free(c.owned);
    return qpdf_has_error(q) ? PM_EIO : PM_OK;
}
