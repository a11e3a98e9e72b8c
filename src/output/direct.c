/* direct.c - the reading PDF written by pamphlet itself, with libqpdf assembling the file
 * (the default; PAMPHLET_WRITER=cairo writes cairo's instead). Each page's content is made
 * from its frame as it comes (pdfcontent.h), its glyphs under their own glyph ids
 * (pdffont.h), and compressed once per distinct content for the session: a watch rebuild compresses only
 * the pages an edit changed, and subsets a font again only when its glyphs changed.
 * libqpdf's objects of a page (its content stream, links, structure elements, pictures)
 * are made on the drawing thread as the page is drawn (make_pages; pm_direct_early), the
 * document's (fonts, outline, the tree's root) at the end; the finishing pass (finish.h)
 * adds boxes, XMP and PDF/X and writes the file. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>

#include "output/writer.h"
#include "output/finish.h"
#include "output/pdfcontent.h"
#include "output/pdffont.h"
#include "output/pdfstruct.h"
#include "output/qpdf_api.h"
#include "base/diag.h"
#include "base/digest.h"
#include "base/version.h"
#include "base/arena.h"
#include "image/image-imp.h"

/* A page's compressed content, kept for the session under its bytes' hash. */
typedef struct {
    uint64_t key;
    size_t raw;
    unsigned char *z;
    size_t nz;
    unsigned run; /* the last run that used it (sweep) */
} zpage;
static zpage *g_z;
static size_t g_nz, g_capz;
static int g_zmade, g_zkept;
static unsigned g_run;
static int g_keep; /* a watch session: what a run makes is kept for the next (pm_direct_keep) */
static int g_early; /* the pages' objects made as they are drawn (pm_direct_early); 2: libqpdf
                       waited for at the first page (tests: every page's are) */
/* A decoded image's XObject data (pixels_of). */
typedef struct ximage ximage;
struct ximage {
    pm_image *img;
    unsigned char *z, *za; /* colour and alpha, deflated */
    size_t nz, nza;
    int gray;
    unsigned run;
};
static ximage *g_x;
static int g_nx, g_capx;

/* Pages' frame keys (pm_pcontent_key) -> the key of the content they make, for the session:
 * a watch rebuild finds an unchanged page's content without making it again. */
typedef struct {
    uint64_t frame, content;
    size_t raw;
    unsigned run;
    uint32_t *uses; /* the glyphs the page uses (pm_pcontent.uses), owned */
    int nuses;
} framekey;
static framekey *g_f; /* open-addressed by frame key (0: a free slot), g_capf slots */
static size_t g_nf, g_capf;
static int g_fkept;

/* The open-addressed table of pages again, cap slots. */
static void zpages_rehash(size_t cap)
{
    zpage *t = pm_xcalloc(cap, sizeof *t);
    for (size_t i = 0; i < g_capz; i++)
        if (g_z[i].z) {
            size_t j = g_z[i].key % cap;
            while (t[j].z) j = (j + 1) % cap;
            t[j] = g_z[i];
        }
    free(g_z);
    g_z = t;
    g_capz = cap;
}

/* The kept content of key, raw bytes long, or NULL. */
static zpage *find_zpage(uint64_t key, size_t raw)
{
    for (size_t i = g_capz ? key % g_capz : 0; g_capz && g_z[i].z; i = (i + 1) % g_capz)
        if (g_z[i].key == key && g_z[i].raw == raw) return &g_z[i];
    return NULL;
}

/* The slot of frame key k in the frames' table, or the free slot where it would go. */
static framekey *frame_slot(uint64_t k)
{
    size_t i = k % g_capf;
    while (g_f[i].frame && g_f[i].frame != k) i = (i + 1) % g_capf;
    return &g_f[i];
}

/* The frames' table again, cap slots, with the entries a run used last (g_run) only. */
static void frames_rehash(size_t cap)
{
    framekey *old = g_f;
    size_t n = g_capf;
    g_f = pm_xcalloc(cap, sizeof *g_f);
    g_capf = cap;
    g_nf = 0;
    for (size_t i = 0; i < n; i++)
        if (old[i].frame && old[i].run == g_run) {
            *frame_slot(old[i].frame) = old[i];
            g_nf++;
        } else {
            free(old[i].uses);
        }
    free(old);
}

/* The kept content of a page of frame key k, or NULL; *f its entry (its glyphs). */
static const zpage *content_of_frame(uint64_t k, const framekey **fk)
{
    framekey *f = g_capf ? frame_slot(k) : NULL;
    zpage *z = f && f->frame ? find_zpage(f->content, f->raw) : NULL;
    if (z) f->run = z->run = g_run;
    *fk = f;
    return z;
}

/* Frame key k makes content z, with the glyphs uses[0..n) (taken). */
static void note_frame(uint64_t k, const zpage *z, uint32_t *uses, int n)
{
    if (2 * (g_nf + 1) > g_capf) frames_rehash(g_capf ? 2 * g_capf : 256);
    framekey *f = frame_slot(k);
    if (f->frame) {
        free(uses);
        return;
    }
    *f = (framekey){k, z->key, z->raw, g_run, uses, n};
    g_nf++;
}

static const zpage *compressed(const pm_pbuf *b)
{
    uint64_t key = pm_hash64(b->n, b->p, b->n);
    zpage *kept = find_zpage(key, b->n);
    if (kept) {
        g_zkept++;
        kept->run = g_run;
        return kept;
    }
    if (2 * (g_nz + 1) > g_capz) zpages_rehash(g_capz ? 2 * g_capz : 256);
    size_t cap;
    unsigned char *z = pm_deflate(b->p, b->n, &cap);
    size_t i = key % g_capz;
    while (g_z[i].z) i = (i + 1) % g_capz;
    g_z[i] = (zpage){key, b->n, z, cap, g_run};
    g_nz++;
    g_zmade++;
    return &g_z[i];
}

static void zpages_rehash(size_t cap);

/* The end of a run: what it did not use goes (a watch session keeps the last run's pages,
 * pictures and fonts: an edit's rebuild compresses only what changed). */
static void sweep(void)
{
    for (size_t i = 0; i < g_capz; i++)
        if (g_z[i].z && g_z[i].run != g_run) {
            free(g_z[i].z);
            g_z[i] = (zpage){0};
            g_nz--;
        }
    zpages_rehash(g_capz); /* (open addressing: the holes must not cut the probe runs) */
    if (g_capf) frames_rehash(g_capf);
    int k = 0;
    for (int i = 0; i < g_nx; i++) {
        if (g_x[i].run == g_run) {
            g_x[k++] = g_x[i];
            continue;
        }
        pm_image_drop(g_x[i].img);
        free(g_x[i].z);
        free(g_x[i].za);
    }
    g_nx = k;
    pm_pdffonts_sweep();
    g_run++;
}

typedef struct {
    zpage z; /* (a copy: the table moves when it grows; the bytes stay until the sweep) */
    double w, h;
    char *label;
    pm_pcontent c; /* its content freed once compressed: links and destinations stay */
    int outline_from, noutline;
} dpage;

typedef struct {
    int page, level;
    char *title, *dest;
} doutline;

typedef struct {
    pm_writer super;
    pm_outfile out;
    pm_finish fin;   /* the finishing pass's settings (fin.bleed: pages this much larger) */
    int finishing;   /* 0: written as made (--no-finish) */
    pm_finish_image *fimages;
    double bleed;
    int gray;
    uint64_t seed; /* what every page's content depends on: bleed, --gray, cmyk() colours */
    pm_pdffonts *fonts;
    pm_pstruct *st;  /* the structure tree (tagged PDF) */
    /* libqpdf's objects of pages [0, nmade), made as the pages come when libqpdf is loaded
       by then (make_pages), or at the end; the resources' object filled at the end */
    qpdf_data q;
    qpdf_oh res, *pg_oh, *an_oh, *im_oh;
    int nmade, capoh, nim_made; /* (and the images [0, nim_made)) */
    int nearly; /* pages whose objects were made as they were drawn (PAMPHLET_TIMING) */
    pm_pimages images;
    dpage *pages;
    int npages, cappages;
    doutline *outline;
    int noutline, capoutline;
#define NMETA 5
    char *meta[NMETA]; /* title, author, subject, keywords, language (copies) */
    long long epoch;   /* SOURCE_DATE_EPOCH, -1: none */
    int ended;
} direct_writer;

static void make_pages(direct_writer *d);

static int d_begin(pm_writer *wr, const pm_layout *lay)
{
    (void)wr;
    (void)lay;
    return PM_OK;
}

static int d_page(pm_writer *wr, const pm_layout *lay, const pm_page *pg)
{
    (void)lay;
    direct_writer *d = (direct_writer *)wr;
    if (d->npages == d->cappages) {
        d->cappages = d->cappages * 2 + 16;
        d->pages = pm_xrealloc(d->pages, (size_t)d->cappages * sizeof *d->pages);
    }
    dpage *p = &d->pages[d->npages++];
    *p = (dpage){.w = pg->w + 2 * d->bleed, .h = pg->h + 2 * d->bleed, .label = pg->label ? pm_xstrdup(pg->label) : NULL};
    const pm_finish *fin = d->finishing ? &d->fin : NULL;
    uint64_t fk = g_keep ? pm_pcontent_key(pg, d->seed, d->fonts, &d->images) : 0;
    const framekey *f = NULL;
    const zpage *kept = fk ? content_of_frame(fk, &f) : NULL;
    if (kept) { /* (what the content notes, without the content: it is kept) */
        pm_pcontent_page_replay(&p->c, pg, d->bleed, d->fonts, &d->images, d->gray, fin, d->st, f->uses, f->nuses);
        p->z = *kept;
        g_fkept++;
    } else {
        p->c.record = fk != 0;
        pm_pcontent_page(&p->c, pg, d->bleed, d->fonts, &d->images, d->gray, fin, d->st);
        p->z = *compressed(&p->c.content);
        if (fk) {
            int n;
            uint32_t *uses = pm_pcontent_take_uses(&p->c, &n);
            note_frame(fk, &p->z, uses, n);
        }
    }
    free(p->c.content.p);
    p->c.content = (pm_pbuf){0};
    for (int i = 0; i < p->c.nlinks; i++) p->c.links[i].target = pm_xstrdup(p->c.links[i].target);
    for (int i = 0; i < p->c.ndests; i++) p->c.dests[i].name = pm_xstrdup(p->c.dests[i].name);
    p->outline_from = d->noutline;
    for (size_t i = 0; i < pg->nitems; i++) {
        const pm_fitem *it = &pg->items[i];
        if (it->kind != PM_FI_DEST || it->level < 1 || !it->title || !it->str) continue;
        if (d->noutline == d->capoutline) {
            d->capoutline = d->capoutline * 2 + 16;
            d->outline = pm_xrealloc(d->outline, (size_t)d->capoutline * sizeof *d->outline);
        }
        d->outline[d->noutline++] = (doutline){d->npages - 1, it->level > 3 ? 3 : it->level, pm_xstrdup(it->title), pm_xstrdup(it->str)};
    }
    if (g_early == 2 ? !pm_qpdf_load(d->out.path) : g_early && pm_qpdf_ready()) {
        make_pages(d); /* (beside the layout of the pages to come) */
        d->nearly = d->nmade;
    }
    return PM_OK;
}

/* --- the document -------------------------------------------------------------------- */

static qpdf_oh name_str(qpdf_data q, const char *s) { return qpdf_oh_new_binary_string(q, s, strlen(s)); }

/* An image XObject of bytes filtered by filter, w x h in colour space cs, 8 bits. */
static qpdf_oh image_dict(qpdf_data q, const unsigned char *z, size_t nz, const char *filter, int w, int h, const char *cs)
{
    qpdf_oh s = qpdf_oh_new_stream(q);
    qpdf_oh_replace_stream_data(q, s, z, nz, qpdf_oh_new_name(q, filter), qpdf_oh_new_null(q));
    qpdf_oh d = qpdf_oh_get_dict(q, s);
    qpdf_oh_replace_key(q, d, "/Type", qpdf_oh_new_name(q, "/XObject"));
    qpdf_oh_replace_key(q, d, "/Subtype", qpdf_oh_new_name(q, "/Image"));
    qpdf_oh_replace_key(q, d, "/Width", qpdf_oh_new_integer(q, w));
    qpdf_oh_replace_key(q, d, "/Height", qpdf_oh_new_integer(q, h));
    qpdf_oh_replace_key(q, d, "/BitsPerComponent", qpdf_oh_new_integer(q, 8));
    qpdf_oh_replace_key(q, d, "/ColorSpace", qpdf_oh_new_name(q, cs));
    return s;
}

/* A passthrough JPEG's XObject: its bytes as they are (DCTDecode). */
static qpdf_oh jpeg_xobject(qpdf_data q, pm_image *img)
{
    int w, h, comps = 3;
    pm_image_stored_size(img, &w, &h);
    const unsigned char *b = (const unsigned char *)img->jpeg->data;
    size_t n = img->jpeg->len;
    for (size_t i = 2; i + 9 < n;) { /* the frame header says how many components */
        if (b[i] != 0xff) break;
        int m = b[i + 1], len = b[i + 2] << 8 | b[i + 3];
        if (m >= 0xc0 && m <= 0xcf && m != 0xc4 && m != 0xc8 && m != 0xcc) {
            comps = b[i + 9];
            break;
        }
        i += 2 + (size_t)len;
    }
    /* (an Adobe CMYK file's /Decode, an ICC profile: the finishing pass, finish_images.c) */
    return image_dict(q, b, n, "/DCTDecode", w, h, comps == 1 ? "/DeviceGray" : comps == 4 ? "/DeviceCMYK" : "/DeviceRGB");
}

/* A decoded image's XObject: its pixels (cairo's, premultiplied BGRA in native words)
 * as RGB, or DeviceGray when every pixel is neutral, with an SMask of the alpha when any
 * pixel is not opaque; compressed. Kept for the session with a reference to the image. */

static const ximage *pixels_of(pm_image *img)
{
    for (int i = 0; i < g_nx; i++)
        if (g_x[i].img == img) {
            g_x[i].run = g_run;
            return &g_x[i];
        }
    cairo_surface_t *sf = img->surf;
    int w = img->sw, h = img->sh, stride = cairo_image_surface_get_stride(sf);
    int argb = cairo_image_surface_get_format(sf) == CAIRO_FORMAT_ARGB32;
    const unsigned char *px = cairo_image_surface_get_data(sf);
    size_t n = (size_t)w * (size_t)h;
    unsigned char *rgb = pm_xmalloc(3 * n + 1), *a = pm_xmalloc(n + 1);
    int gray = 1, opaque = 1;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            uint32_t v = *(const uint32_t *)(px + (size_t)y * (size_t)stride + 4 * (size_t)x);
            unsigned al = argb ? v >> 24 : 255, r = v >> 16 & 255, g = v >> 8 & 255, b = v & 255;
            if (al && al < 255) { /* un-premultiply */
                r = r * 255 / al;
                g = g * 255 / al;
                b = b * 255 / al;
            }
            size_t i = (size_t)y * (size_t)w + (size_t)x;
            rgb[3 * i] = (unsigned char)r;
            rgb[3 * i + 1] = (unsigned char)g;
            rgb[3 * i + 2] = (unsigned char)b;
            a[i] = (unsigned char)al;
            gray &= r == g && g == b;
            opaque &= al == 255;
        }
    if (gray)
        for (size_t i = 0; i < n; i++) rgb[i] = rgb[3 * i];
    if (g_nx == g_capx) {
        g_capx = g_capx * 2 + 4;
        g_x = pm_xrealloc(g_x, (size_t)g_capx * sizeof *g_x);
    }
    ximage *x = &g_x[g_nx++];
    *x = (ximage){.img = pm_image_keep(img), .gray = gray, .run = g_run};
    x->z = pm_deflate(rgb, gray ? n : 3 * n, &x->nz);
    if (!opaque) x->za = pm_deflate(a, n, &x->nza);
    free(rgb);
    free(a);
    return x;
}


static qpdf_oh decoded_xobject(qpdf_data q, pm_image *img)
{
    const ximage *x = pixels_of(img);
    qpdf_oh s = image_dict(q, x->z, x->nz, "/FlateDecode", img->sw, img->sh, x->gray ? "/DeviceGray" : "/DeviceRGB");
    if (x->za)
        qpdf_oh_replace_key(q, qpdf_oh_get_dict(q, s), "/SMask",
                            qpdf_make_indirect_object(q, image_dict(q, x->za, x->nza, "/FlateDecode", img->sw, img->sh, "/DeviceGray")));
    return s;
}

/* The resources every page shares: fonts, images, opacities. */
static int resources(direct_writer *d, qpdf_data q)
{
    qpdf_oh res = d->res, fonts = qpdf_oh_new_dictionary(q);
    int rc = pm_pdffonts_emit(d->fonts, q, fonts, d->out.path);
    if (rc) return rc;
    qpdf_oh_replace_key(q, res, "/Font", fonts);
    qpdf_oh xo = qpdf_oh_new_dictionary(q);
    for (int k = 0; k < d->images.n; k++) {
        char key[40];
        snprintf(key, sizeof key, "/Im%016llx", (unsigned long long)d->images.key[k]);
        qpdf_oh_replace_key(q, xo, key, d->im_oh[k]);
    }
    qpdf_oh_replace_key(q, res, "/XObject", xo);
    qpdf_oh gs = qpdf_oh_new_dictionary(q);
    for (int i = 0; i < d->npages; i++)
        for (int k = 0; k < d->pages[i].c.nalpha; k++) {
            char key[24], val[64];
            int a = d->pages[i].c.alpha[k];
            snprintf(key, sizeof key, "/A%d", a);
            snprintf(val, sizeof val, "<< /Type /ExtGState /ca %d.%02d >>", a / 100, a % 100);
            if (!qpdf_oh_has_key(q, gs, key)) qpdf_oh_replace_key(q, gs, key, qpdf_oh_parse(q, val));
        }
    qpdf_oh_replace_key(q, res, "/ExtGState", gs);
    return PM_OK;
}

static qpdf_oh rect_of(qpdf_data q, const double *r)
{
    char s[160];
    snprintf(s, sizeof s, "[%.3f %.3f %.3f %.3f]", r[0], r[1], r[2], r[3]);
    return qpdf_oh_parse(q, s);
}

static qpdf_oh annots(qpdf_data q, const dpage *p)
{
    qpdf_oh a = qpdf_oh_new_array(q);
    for (int i = 0; i < p->c.nlinks; i++) {
        const pm_plink *L = &p->c.links[i];
        qpdf_oh an = qpdf_oh_parse(q, "<< /Type /Annot /Subtype /Link /Border [0 0 0] >>");
        pm_qpdf_put_key(q, an, "/Rect", rect_of(q, L->r));
        if (L->dest) {
            pm_qpdf_put_key(q, an, "/Dest", name_str(q, L->target));
        } else {
            qpdf_oh act = qpdf_oh_parse(q, "<< /S /URI >>");
            pm_qpdf_put_key(q, act, "/URI", name_str(q, L->target));
            pm_qpdf_put_key(q, an, "/A", act);
        }
        pm_qpdf_append(q, a, qpdf_make_indirect_object(q, an));
        qpdf_oh_release(q, an);
    }
    return a;
}

/* The named destinations, sorted (a name tree's one leaf), the last of a name winning. */
typedef struct {
    const char *name;
    int page;
    double x, y;
} ndest;
static int cmp_dest(const void *a, const void *b) { return strcmp(((const ndest *)a)->name, ((const ndest *)b)->name); }

static void dests(direct_writer *d, qpdf_data q, qpdf_oh *pages)
{
    int n = 0;
    for (int i = 0; i < d->npages; i++) n += d->pages[i].c.ndests;
    if (!n) return;
    ndest *all = pm_xmalloc((size_t)n * sizeof *all);
    n = 0;
    for (int i = 0; i < d->npages; i++)
        for (int k = 0; k < d->pages[i].c.ndests; k++)
            all[n++] = (ndest){d->pages[i].c.dests[k].name, i, d->pages[i].c.dests[k].x, d->pages[i].c.dests[k].y};
    qsort(all, (size_t)n, sizeof *all, cmp_dest);
    qpdf_oh arr = qpdf_oh_new_array(q);
    for (int i = 0; i < n; i++) {
        if (i + 1 < n && !strcmp(all[i].name, all[i + 1].name)) continue;
        char s[120];
        qpdf_oh_append_item(q, arr, name_str(q, all[i].name));
        qpdf_oh dest = qpdf_oh_new_array(q);
        qpdf_oh_append_item(q, dest, pages[all[i].page]);
        snprintf(s, sizeof s, "[/XYZ %.3f %.3f null]", all[i].x, all[i].y);
        qpdf_oh xyz = qpdf_oh_parse(q, s);
        for (int k = 0; k < 4; k++) qpdf_oh_append_item(q, dest, qpdf_oh_get_array_item(q, xyz, k));
        qpdf_oh_append_item(q, arr, dest);
    }
    qpdf_oh leaf = qpdf_oh_new_dictionary(q), names = qpdf_oh_new_dictionary(q);
    qpdf_oh_replace_key(q, leaf, "/Names", arr);
    qpdf_oh_replace_key(q, names, "/Dests", qpdf_make_indirect_object(q, leaf));
    qpdf_oh_replace_key(q, qpdf_get_root(q), "/Names", names);
    free(all);
}

/* The outline (bookmarks): entries of levels 1-3 under their last entry a level up. */
static void outline(direct_writer *d, qpdf_data q)
{
    if (!d->noutline) return;
    int n = d->noutline;
    qpdf_oh *it = pm_xmalloc((size_t)n * sizeof *it);
    int *parent = pm_xmalloc((size_t)n * sizeof *parent), last[4] = {-1, -1, -1, -1};
    qpdf_oh root = qpdf_make_indirect_object(q, qpdf_oh_parse(q, "<< /Type /Outlines >>"));
    for (int i = 0; i < n; i++) {
        const doutline *o = &d->outline[i];
        it[i] = qpdf_make_indirect_object(q, qpdf_oh_new_dictionary(q));
        qpdf_oh_replace_key(q, it[i], "/Title", qpdf_oh_new_unicode_string(q, o->title));
        qpdf_oh_replace_key(q, it[i], "/Dest", name_str(q, o->dest));
        int up = -1;
        for (int l = o->level - 1; l >= 1 && up < 0; l--) up = last[l];
        parent[i] = up;
        last[o->level] = i;
        for (int l = o->level + 1; l < 4; l++) last[l] = -1;
    }
    for (int i = 0; i < n; i++) {
        qpdf_oh par = parent[i] < 0 ? root : it[parent[i]];
        qpdf_oh_replace_key(q, it[i], "/Parent", par);
        int prev = -1, next = -1, count = 0;
        for (int k = i - 1; k >= 0 && prev < 0; k--)
            if (parent[k] == parent[i]) prev = k;
        for (int k = i + 1; k < n && next < 0; k++)
            if (parent[k] == parent[i]) next = k;
        if (prev >= 0) qpdf_oh_replace_key(q, it[i], "/Prev", it[prev]);
        if (next >= 0) qpdf_oh_replace_key(q, it[i], "/Next", it[next]);
        int first = -1, lastk = -1;
        for (int k = i + 1; k < n; k++)
            if (parent[k] == i) {
                if (first < 0) first = k;
                lastk = k;
                count++;
            }
        if (first >= 0) {
            qpdf_oh_replace_key(q, it[i], "/First", it[first]);
            qpdf_oh_replace_key(q, it[i], "/Last", it[lastk]);
            qpdf_oh_replace_key(q, it[i], "/Count", qpdf_oh_new_integer(q, d->outline[i].level == 1 ? count : -count));
        }
    }
    int first = -1, lastk = -1, count = 0;
    for (int i = 0; i < n; i++)
        if (parent[i] < 0) {
            if (first < 0) first = i;
            lastk = i;
            count++;
        }
    qpdf_oh_replace_key(q, root, "/First", it[first]);
    qpdf_oh_replace_key(q, root, "/Last", it[lastk]);
    qpdf_oh_replace_key(q, root, "/Count", qpdf_oh_new_integer(q, count));
    qpdf_oh_replace_key(q, qpdf_get_root(q), "/Outlines", root);
    qpdf_oh_replace_key(q, qpdf_get_root(q), "/PageMode", qpdf_oh_new_name(q, "/UseOutlines"));
    free(it);
    free(parent);
}

static void labels(direct_writer *d, qpdf_data q)
{
    qpdf_oh nums = qpdf_oh_new_array(q);
    int any = 0;
    for (int i = 0; i < d->npages; i++) {
        if (!d->pages[i].label) continue;
        any = 1;
        qpdf_oh l = qpdf_oh_new_dictionary(q);
        qpdf_oh_replace_key(q, l, "/P", qpdf_oh_new_unicode_string(q, d->pages[i].label));
        qpdf_oh_append_item(q, nums, qpdf_oh_new_integer(q, i));
        qpdf_oh_append_item(q, nums, l);
    }
    if (!any) return;
    qpdf_oh pl = qpdf_oh_new_dictionary(q);
    qpdf_oh_replace_key(q, pl, "/Nums", nums);
    qpdf_oh_replace_key(q, qpdf_get_root(q), "/PageLabels", pl);
}

static void info(direct_writer *d, qpdf_data q)
{
    static const char *const key[4] = {"/Title", "/Author", "/Subject", "/Keywords"};
    for (int i = 0; i < 4; i++)
        if (d->meta[i]) qpdf_set_info_key(q, key[i], d->meta[i]);
    qpdf_set_info_key(q, "/Creator", "pamphlet " PM_VERSION);
    if (d->epoch >= 0) {
        char buf[32];
        pm_pdf_date(d->epoch, buf, sizeof buf);
        qpdf_set_info_key(q, "/CreationDate", buf);
        qpdf_set_info_key(q, "/ModDate", buf);
    }
}

/* The objects of the pages drawn so far (their content, links, structure elements and
 * pictures) not made yet, the PDF begun with the first: on the drawing thread as each page
 * is drawn once libqpdf is loaded (d_page), which takes them off the time after the layout
 * (5.5 of Common Sense's 6 ms), and at the end for the rest. The pages share one resources
 * object, filled at the end (resources: the fonts are subset once every glyph is known). */
static void make_pages(direct_writer *d)
{
    qpdf_data q = d->q;
    if (!q) {
        q = d->q = qpdf_init();
        qpdf_silence_errors(q);
        qpdf_set_suppress_warnings(q, QPDF_TRUE);
        qpdf_empty_pdf(q);
        d->res = qpdf_make_indirect_object(q, qpdf_oh_new_dictionary(q));
    }
    if (d->capoh < d->npages) {
        d->capoh = d->cappages;
        d->pg_oh = pm_xrealloc(d->pg_oh, (size_t)d->capoh * sizeof *d->pg_oh);
        d->an_oh = pm_xrealloc(d->an_oh, (size_t)d->capoh * sizeof *d->an_oh);
    }
    for (int i = d->nmade; i < d->npages; i++) {
        dpage *p = &d->pages[i];
        char box[96];
        snprintf(box, sizeof box, "<< /Type /Page /MediaBox [0 0 %.3f %.3f] >>", p->w, p->h);
        qpdf_oh pg = qpdf_oh_parse(q, box);
        qpdf_oh_replace_key(q, pg, "/Resources", d->res);
        qpdf_oh cs = qpdf_oh_new_stream(q), flate = qpdf_oh_new_name(q, "/FlateDecode"), null = qpdf_oh_new_null(q);
        qpdf_oh_replace_stream_data(q, cs, p->z.z, p->z.nz, flate, null);
        qpdf_oh_release(q, flate);
        qpdf_oh_release(q, null);
        pm_qpdf_put_key(q, pg, "/Contents", cs);
        d->pg_oh[i] = qpdf_make_indirect_object(q, pg);
        qpdf_oh_release(q, pg);
        qpdf_add_page(q, q, d->pg_oh[i], QPDF_FALSE);
        d->an_oh[i] = p->c.nlinks ? annots(q, p) : qpdf_oh_new_null(q);
        if (p->c.nlinks) qpdf_oh_replace_key(q, d->pg_oh[i], "/Annots", d->an_oh[i]);
    }
    d->nmade = d->npages;
    pm_pstruct_emit_pages(d->st, q, d->pg_oh, d->an_oh, d->npages);
    if (d->nim_made < d->images.n)
        d->im_oh = pm_xrealloc(d->im_oh, (size_t)d->images.n * sizeof *d->im_oh);
    for (int k = d->nim_made; k < d->images.n; k++) { /* (a photo's bytes copied: 2 ms for a 2.6 MB cover) */
        pm_image *img = d->images.img[k];
        qpdf_oh x = img->passthrough ? jpeg_xobject(q, img) : decoded_xobject(q, img);
        d->im_oh[k] = qpdf_make_indirect_object(q, x);
        qpdf_oh_release(q, x);
    }
    d->nim_made = d->images.n;
}

/* The rest of the document, once every page's objects are made (make_pages). */
static int build(direct_writer *d, qpdf_data q)
{
    int rc = resources(d, q);
    if (rc) return rc;
    pm_pstruct_emit_end(d->st, q, d->pg_oh, d->an_oh, d->npages);
    /* the trailer's /Size, which a PDF read from a file has (finish_pdfx.c walks the
       objects up to it): one past the last object made */
    qpdf_oh last = qpdf_make_indirect_object(q, qpdf_oh_new_null(q));
    qpdf_oh_replace_key(q, qpdf_get_trailer(q), "/Size", qpdf_oh_new_integer(q, qpdf_oh_get_object_id(q, last) + 1));
    dests(d, q, d->pg_oh);
    outline(d, q);
    labels(d, q);
    info(d, q);
    return qpdf_has_error(q) ? PM_EIO : PM_OK;
}

/* The document's digest, its trailer /ID (and --pdfx's DocumentID): of what goes into
 * the file, by the keys it is kept under (each page's content, each font's glyphs) and
 * the images' and metadata's bytes. Same input, same digest. */
static void digest(direct_writer *d, unsigned char id[16])
{
    int n = 0, cap = 2 * d->npages + 2 * d->images.n + 16;
    pm_digest_part *parts = pm_xmalloc((size_t)cap * sizeof *parts);
    for (int i = 0; i < d->npages; i++) parts[n++] = (pm_digest_part){&d->pages[i].z.key, sizeof d->pages[i].z.key};
    for (int i = 0; i < d->images.n; i++) parts[n++] = (pm_digest_part){&d->images.key[i], sizeof d->images.key[i]};
    for (int i = 0; i < NMETA; i++)
        if (d->meta[i]) parts[n++] = (pm_digest_part){d->meta[i], strlen(d->meta[i]) + 1};
    uint64_t fk = pm_pdffonts_key(d->fonts);
    parts[n++] = (pm_digest_part){&fk, sizeof fk};
    pm_digest16_parts(parts, n, "pamphlet direct", id);
    free(parts);
}

/* What the finishing pass needs of the images (pdf.c's pdf_end does the same). */
static void free_fimages(direct_writer *d)
{
    for (int i = 0; d->fimages && i < d->fin.nimages; i++) free((void *)d->fimages[i].icc);
    free(d->fimages);
    d->fimages = NULL;
}

static void finish_images(direct_writer *d)
{
    free_fimages(d);
    d->fimages = pm_xcalloc((size_t)d->images.n + 1, sizeof *d->fimages);
    for (int i = 0; i < d->images.n; i++) {
        pm_finish_image *e = &d->fimages[i];
        pm_image_stored_size(d->images.img[i], &e->w, &e->h);
        const unsigned char *icc = pm_image_icc(d->images.img[i], &e->icc_len);
        if (icc) { /* (a copy: a one-shot run lets the images go before the PDF is written) */
            unsigned char *c = pm_xmalloc(e->icc_len);
            memcpy(c, icc, e->icc_len);
            e->icc = c;
        }
        e->jpeg_bytes = pm_image_is_passthrough(d->images.img[i]) ? pm_image_jpeg_bytes(d->images.img[i], &e->describe) : 0;
    }
    d->fin.images = d->fimages;
    d->fin.nimages = d->images.n;
}

static int write_plain(qpdf_data q, const char *out, const unsigned char id[16])
{
    if (qpdf_init_write(q, out) & QPDF_ERRORS) return PM_EIO;
    pm_finish_set_id(q, id);
    qpdf_set_object_stream_mode(q, qpdf_o_disable);
    qpdf_set_decode_level(q, qpdf_dl_none);
    return qpdf_write(q) & QPDF_ERRORS ? PM_EIO : PM_OK;
}

/* The end of the pages: what the PDF needs of the layout copied (it is dropped before the
 * PDF is written) and the fonts subset (while Pango's fonts are there; HarfBuzz makes two
 * at a time). The PDF is written in the writer's pass (write_pass), after the layout and
 * the paragraph setter have let go of their memory. */
static int d_end(pm_writer *wr, const pm_layout *lay)
{
    direct_writer *d = (direct_writer *)wr;
    if (!d->npages) {
        pm_error(d->out.path, 0, 0, "nothing to write: the document has no pages");
        return PM_EINPUT;
    }
    const char *m[NMETA] = {lay->title, lay->author, lay->subject, lay->keywords, lay->lang};
    for (int i = 0; i < NMETA; i++) d->meta[i] = m[i] ? pm_xstrdup(m[i]) : NULL;
    d->epoch = lay->epoch;
    pm_pdffonts_prepare(d->fonts);
    int skipped = 0;
    for (int i = 0; i < d->npages; i++) skipped += d->pages[i].c.skipped;
    if (skipped) pm_warn(d->out.path, 0, 0, "the direct writer left out %d item(s) it cannot draw yet", skipped);
    return PM_OK;
}

/* A one-shot run keeps nothing for a next run: each page's compressed content, each
 * picture's pixels and each font program go once libqpdf has its copy. */
void pm_direct_keep(int yes) { g_keep = yes; }
void pm_direct_early(int yes) { g_early = yes; }

static void let_go(direct_writer *d)
{
    if (g_keep) return;
    g_run++; /* (nothing was used by the run to come) */
    sweep();
    pm_pdffonts_cache_clear();
    for (int i = 0; i < d->images.n; i++) pm_image_drop(d->images.img[i]); /* (a photo's bytes) */
    d->images.n = 0;
    pm_trim_heap(); /* (and theirs) back before libqpdf's write */
}

/* The pass that writes the PDF: its objects made with libqpdf, finished (finish.h), written
 * to out; kept for the booklet when asked (pm_finish.keep). */
static int write_pass(void *ud, const pm_outfile *in, const char *out, const char *dest)
{
    (void)in;
    direct_writer *d = ud;
    if (pm_qpdf_load(dest)) return PM_EIO;
    if (!g_keep) pm_trim_heap(); /* the layout's and the setter's memory, freed by now */
    make_pages(d); /* (the pages not made as they were drawn) */
    qpdf_data q = d->q;
    d->q = NULL; /* (released below, or kept for the booklet) */
    int rc = build(d, q);
    pm_timing("direct: objects");
    unsigned char id[16];
    if (!rc) digest(d, id);
    finish_images(d);
    let_go(d);
    if (!rc && d->finishing) {
        d->fin.lang = d->meta[4];
        rc = pm_finish_built(q, &d->fin, id, out, dest);
    } else if (!rc) {
        rc = write_plain(q, out, id);
        pm_timing("direct: write");
    }
    if (rc && qpdf_has_error(q)) pm_error(dest, 0, 0, "cannot write the PDF: %s", qpdf_get_error_full_text(q, qpdf_get_error(q)));
    if (!rc && d->finishing && d->fin.keep && d->fin.kept) { /* the booklet imposes from it */
        pm_finish_release(*d->fin.kept);
        *d->fin.kept = q;
    } else {
        pm_qpdf_release(q);
    }
    if (!rc && g_keep) sweep();
    if (getenv("PAMPHLET_TIMING")) {
        int made, cached, kept;
        pm_pdffonts_counts(d->fonts, &made, &cached, &kept);
        fprintf(stderr,
                "direct: fonts subset %d, kept %d, read from the cache folder %d; pages made %d, kept by their frames "
                "%d, by their bytes %d; objects of %d of %d pages made as they were drawn\n",
                made, cached, kept, g_zmade, g_fkept, g_zkept, d->nearly, d->npages);
        g_zmade = g_zkept = g_fkept = 0;
    }
    return rc;
}

static int d_commit(pm_writer *wr)
{
    direct_writer *d = (direct_writer *)wr;
    d->ended = 1;
    return pm_outfile_commit(&d->out);
}

static void d_drop(pm_writer *wr)
{
    direct_writer *d = (direct_writer *)wr;
    if (!d->ended) pm_outfile_abort(&d->out);
    for (int i = 0; i < d->npages; i++) {
        dpage *p = &d->pages[i];
        for (int k = 0; k < p->c.nlinks; k++) free((char *)p->c.links[k].target);
        for (int k = 0; k < p->c.ndests; k++) free((char *)p->c.dests[k].name);
        pm_pcontent_free(&p->c);
        free(p->label);
    }
    for (int i = 0; i < d->noutline; i++) {
        free(d->outline[i].title);
        free(d->outline[i].dest);
    }
    for (int i = 0; i < d->images.n; i++) pm_image_drop(d->images.img[i]);
    free(d->images.img);
    free(d->images.key);
    free(d->outline);
    free(d->pages);
    free_fimages(d);
    for (int i = 0; i < NMETA; i++) free(d->meta[i]);
    pm_finish_release(d->super.finished);
    pm_pdffonts_free(d->fonts);
    pm_pstruct_free(d->st);
    if (d->q) pm_qpdf_release(d->q); /* (a run that failed before its PDF was written) */
    free(d->pg_oh);
    free(d->an_oh);
    free(d->im_oh);
    free(d);
}

pm_writer *pm_direct_writer_new(const char *path, const pm_finish *fin, int gray)
{
    direct_writer *d = pm_xcalloc(1, sizeof *d);
    if (pm_outfile_begin(&d->out, path)) {
        pm_outfile_abort(&d->out);
        free(d);
        return NULL;
    }
    if (fin) {
        d->fin = *fin;
        d->fin.kept = &d->super.finished;
        d->fin.alts = NULL; /* (the structure tree gets its /Alt as it is made) */
        d->fin.nalts = 0;
        d->fin.images_taken = NULL;
        d->fin.content_taken = NULL;
        d->finishing = 1;
    }
    d->bleed = fin ? fin->bleed : 0;
    d->gray = gray;
    double sd[2] = {d->bleed, gray};
    d->seed = pm_hash64w(0x70616765, sd, sizeof sd);
    for (int i = 0; d->finishing && i < d->fin.ncmyk; i++)
        d->seed = pm_hash64w(d->seed, &d->fin.cmyk[i], sizeof d->fin.cmyk[i]);
    d->seed = pm_hash64w(d->seed, &d->finishing, sizeof d->finishing);
    d->fonts = pm_pdffonts_new();
    d->st = pm_pstruct_new();
    d->super.name = "pdf";
    d->super.begin = d_begin;
    d->super.page = d_page;
    d->super.end = d_end;
    d->super.commit = d_commit;
    d->super.drop = d_drop;
    d->super.out = &d->out;
    pm_writer_add_pass(&d->super, (pm_pass){"pdf", write_pass, d});
    pm_writer_add_pass(&d->super, pm_pdf_check_pass);
    return &d->super;
}
