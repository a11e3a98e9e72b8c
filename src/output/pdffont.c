/* pdffont.c - a direct PDF's fonts (see pdffont.h): per face, the glyphs used and the
 * text each stands for; at the end each face subset by HarfBuzz with its glyph ids kept
 * (CID = glyph id, Identity-H), embedded as a CFF (CIDFontType0C) or TrueType (FontFile2)
 * program with its widths and a ToUnicode map. A subset is kept for the session, keyed by
 * the face and its glyph set: a watch rebuild whose edit used no new glyph subsets
 * nothing. */
#include <hb.h>
#include <hb-ot.h>
#include <hb-subset.h>
#include <pango/pangocairo.h>
#include <pango/pangofc-font.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "output/pdffont.h"
#include "output/pdfcontent.h"
#include "output/subset_cache.h"
#include "base/diag.h"
#include "base/digest.h"
#include "base/thread.h"
#include "text/fonts.h"

typedef struct {
    hb_face_t *face;   /* a reference */
    uint64_t id;       /* the font file's identity: its length and first bytes hashed */
    char name[24];     /* its resource name, /F and the identity's digits */
    unsigned upem, nglyphs;
    int cff;           /* a CFF outline font (else TrueType) */
    short *w;          /* width by glyph id, -1 not known yet */
    unsigned char *used;
    uint32_t *text_at; /* its own text (natural()): where in texts (+1; 0: not looked up) */
    unsigned char *text_n;
    hb_codepoint_t *uni; /* the lowest character the font's cmap maps to each glyph, or 0 */
    const char *file;  /* its file and face index (NULL: not known; subsets are then not
                          kept between runs) */
    int index;
    struct fontfile *ff; /* what of the above is the file's alone, kept for the session */
} font;

/* What depends on a font file alone (its widths, each glyph's character and own text),
 * read once for a session: a watch rebuild makes a new document's fonts from these. Kept
 * with a reference to the face, so the pointer cannot stand for another one. */
typedef struct fontfile {
    hb_face_t *face;
    font proto;       /* face, id, name, sizes, w, uni, text_at, text_n, file (used: NULL) */
    char *texts;      /* the glyphs' own texts (text_at points here) */
    size_t ntexts, captexts;
} fontfile;
static fontfile **g_files;
static int g_nfiles, g_capfiles;

struct pm_pdffonts {
    const pm_face **faces; /* the faces seen, and each one's font (-1: none) */
    int *face_font;
    int nfaces, capfaces;
    font *fonts;           /* one per font file */
    int n, cap;
    int made, cached, kept; /* subsets made, from the session, from the cache folder */
};

/* Subsets kept for the session: face identity and glyph set -> compressed program. */
typedef struct {
    uint64_t key;
    unsigned char *z;
    size_t nz, raw;
    unsigned run; /* the last run that used it (pm_pdffonts_sweep) */
    char *w;          /* its /W array, and its ToUnicode map deflated: made with it, they */
    unsigned char *tu; /* depend on the glyph set alone (NULL: not made yet) */
    size_t ntu;
} subset;

static void subset_free(subset *s)
{
    free(s->z);
    free(s->w);
    free(s->tu);
}
static unsigned g_run;
static subset *g_cache;
static int g_ncache, g_capcache;

pm_pdffonts *pm_pdffonts_new(void) { return pm_xcalloc(1, sizeof(pm_pdffonts)); }

void pm_pdffonts_free(pm_pdffonts *f)
{
    if (!f) return;
    for (int i = 0; i < f->n; i++) {
        hb_face_destroy(f->fonts[i].face);
        free(f->fonts[i].used); /* (the rest is its file's, fontfile) */
    }
    free(f->faces);
    free(f->face_font);
    free(f->fonts);
    free(f);
}

static uint64_t face_identity(hb_face_t *face)
{
    hb_blob_t *b = hb_face_reference_blob(face);
    unsigned n = 0;
    const char *p = hb_blob_get_data(b, &n);
    uint64_t h = pm_hash64((uint64_t)n, &n, sizeof n);
    h = pm_hash64(h, p, n < 65536 ? n : 65536);
    hb_blob_destroy(b);
    return pm_hash64(h, &(unsigned){hb_face_get_index(face)}, sizeof(unsigned));
}

static int has_table(hb_face_t *face, hb_tag_t tag)
{
    hb_blob_t *b = hb_face_reference_table(face, tag);
    int yes = hb_blob_get_length(b) > 0;
    hb_blob_destroy(b);
    return yes;
}

static int read_file_font(font *ft, hb_face_t *face)
{
    int cff = has_table(face, HB_TAG('C', 'F', 'F', ' '));
    if (!cff && !has_table(face, HB_TAG('g', 'l', 'y', 'f'))) return -1; /* CFF2, bitmaps: not yet */
    *ft = (font){.face = hb_face_reference(face), .cff = cff};
    ft->upem = hb_face_get_upem(face);
    ft->nglyphs = hb_face_get_glyph_count(face);
    ft->id = face_identity(face);
    snprintf(ft->name, sizeof ft->name, "/F%012llx", (unsigned long long)(ft->id & 0xffffffffffffULL));
    ft->w = pm_xmalloc((ft->nglyphs + 1) * sizeof *ft->w);
    memset(ft->w, 0xff, (ft->nglyphs + 1) * sizeof *ft->w);
    ft->text_at = pm_xcalloc(ft->nglyphs + 1, sizeof *ft->text_at);
    ft->text_n = pm_xcalloc(ft->nglyphs + 1, 1);
    ft->uni = pm_xcalloc(ft->nglyphs + 1, sizeof *ft->uni);
    hb_set_t *us = hb_set_create();
    hb_face_collect_unicodes(face, us);
    hb_font_t *hf = hb_font_create(face);
    for (hb_codepoint_t u = HB_SET_VALUE_INVALID; hb_set_next(us, &u);) {
        hb_codepoint_t g;
        if (hb_font_get_nominal_glyph(hf, u, &g) && g < ft->nglyphs && !ft->uni[g]) ft->uni[g] = u;
    }
    hb_font_destroy(hf);
    hb_set_destroy(us);
    return 0;
}

/* ft for face (of file's face index, file NULL if not known): from the session's fonts
 * files, or read now (then kept). */
static int open_font(font *ft, hb_face_t *face, const char *file, int index)
{
    fontfile *ff = NULL;
    for (int i = 0; i < g_nfiles && !ff; i++)
        if (g_files[i]->face == face) ff = g_files[i];
    if (!ff) {
        font proto;
        if (read_file_font(&proto, face)) return -1;
        proto.file = file ? pm_xstrdup(file) : NULL;
        proto.index = index;
        ff = pm_xcalloc(1, sizeof *ff);
        ff->face = proto.face;
        ff->proto = proto;
        ff->proto.ff = ff;
        if (g_nfiles == g_capfiles) {
            g_capfiles = g_capfiles * 2 + 4;
            g_files = pm_xrealloc(g_files, (size_t)g_capfiles * sizeof *g_files);
        }
        g_files[g_nfiles++] = ff;
    }
    *ft = ff->proto;
    ft->face = hb_face_reference(face);
    ft->used = pm_xcalloc(ft->nglyphs + 1, 1);
    return 0;
}

static void fontfiles_clear(void)
{
    for (int i = 0; i < g_nfiles; i++) {
        font *p = &g_files[i]->proto;
        free(p->w);
        free(p->text_at);
        free(p->text_n);
        free(p->uni);
        free((char *)p->file);
        free(g_files[i]->texts);
        hb_face_destroy(g_files[i]->face);
        free(g_files[i]);
    }
    free(g_files);
    g_files = NULL;
    g_nfiles = g_capfiles = 0;
}

/* A face is a font at a size: faces of one font file share its PDF font (Tf sets the
 * size), so each file is subset and embedded once. */
int pm_pdffonts_font(pm_pdffonts *f, const pm_face *face)
{
    for (int i = 0; i < f->nfaces; i++)
        if (f->faces[i] == face) return f->face_font[i];
    if (f->nfaces == f->capfaces) {
        f->capfaces = f->capfaces * 2 + 8;
        f->faces = pm_xrealloc(f->faces, (size_t)f->capfaces * sizeof *f->faces);
        f->face_font = pm_xrealloc(f->face_font, (size_t)f->capfaces * sizeof *f->face_font);
    }
    int k = -1;
    hb_font_t *hf = pango_font_get_hb_font(pm_face_font(face));
    hb_face_t *hface = hf ? hb_font_get_face(hf) : NULL;
    for (int i = 0; i < f->n && k < 0 && hface; i++)
        if (f->fonts[i].face == hface) k = i;
    if (k < 0 && hface) {
        if (f->n == f->cap) {
            f->cap = f->cap * 2 + 4;
            f->fonts = pm_xrealloc(f->fonts, (size_t)f->cap * sizeof *f->fonts);
        }
        const FcChar8 *file = NULL;
        int index = 0;
        PangoFont *pf = pm_face_font(face);
        FcPattern *pat = PANGO_IS_FC_FONT(pf) ? pango_fc_font_get_pattern(PANGO_FC_FONT(pf)) : NULL;
        if (pat && FcPatternGetString(pat, FC_FILE, 0, (FcChar8 **)&file) == FcResultMatch)
            FcPatternGetInteger(pat, FC_INDEX, 0, &index);
        if (!open_font(&f->fonts[f->n], hface, (const char *)file, index)) k = f->n++;
    }
    f->faces[f->nfaces] = face;
    f->face_font[f->nfaces++] = k;
    return k;
}

const char *pm_pdffonts_name(const pm_pdffonts *f, int k) { return f->fonts[k].name; }

uint64_t pm_pdffonts_face_id(const pm_face *face)
{
    hb_font_t *hf = pango_font_get_hb_font(pm_face_font(face));
    return hf ? face_identity(hb_font_get_face(hf)) : 0;
}

int pm_pdffonts_width(pm_pdffonts *f, int k, unsigned gid)
{
    font *ft = &f->fonts[k];
    if (gid >= ft->nglyphs) return 0;
    if (ft->w[gid] < 0) {
        hb_font_t *hf = hb_font_create(ft->face); /* (at the em: scale = upem) */
        for (unsigned g = gid; g < ft->nglyphs && g < gid + 64; g++)
            if (ft->w[g] < 0) {
                long a = hb_font_get_glyph_h_advance(hf, g);
                ft->w[g] = (short)((a * 1000 + (long)ft->upem / 2) / (long)ft->upem);
            }
        hb_font_destroy(hf);
    }
    return ft->w[gid];
}

static void put_utf8(char *out, int *n, hb_codepoint_t c)
{
    if (c < 0x80) out[(*n)++] = (char)c;
    else if (c < 0x800) {
        out[(*n)++] = (char)(0xc0 | c >> 6);
        out[(*n)++] = (char)(0x80 | (c & 0x3f));
    } else if (c < 0x10000) {
        out[(*n)++] = (char)(0xe0 | c >> 12);
        out[(*n)++] = (char)(0x80 | (c >> 6 & 0x3f));
        out[(*n)++] = (char)(0x80 | (c & 0x3f));
    } else {
        out[(*n)++] = (char)(0xf0 | c >> 18);
        out[(*n)++] = (char)(0x80 | (c >> 12 & 0x3f));
        out[(*n)++] = (char)(0x80 | (c >> 6 & 0x3f));
        out[(*n)++] = (char)(0x80 | (c & 0x3f));
    }
}

/* A glyph's own text, whatever text it was drawn for: the character the font's cmap maps
 * to it (the lowest, when several do: the hyphen, not the soft hyphen); else what its
 * name says (Adobe's glyph naming: "f_i" is f and i, "a.sc" is a, "uni00E9" is é), each
 * part by the cmap of the glyph of that name. So the ToUnicode map and which clusters
 * need an ActualText depend on the glyph alone, not on which page used it first. */
static int natural(font *ft, unsigned gid, char *out)
{
    int n = 0;
    if (ft->uni[gid]) {
        put_utf8(out, &n, ft->uni[gid]);
        return n;
    }
    char name[64];
    hb_font_t *hf = hb_font_create(ft->face);
    if (!hb_font_get_glyph_name(hf, gid, name, sizeof name)) *name = 0;
    char *dot = strchr(name, '.');
    if (dot) *dot = 0;
    for (char *part = strtok(name, "_"); part && n < 200; part = strtok(NULL, "_")) {
        hb_codepoint_t g, u = 0;
        if (!strncmp(part, "uni", 3) && strlen(part) == 7) u = (hb_codepoint_t)strtoul(part + 3, NULL, 16);
        else if (hb_font_get_glyph_from_name(hf, part, -1, &g) && g < ft->nglyphs) u = ft->uni[g];
        if (u) put_utf8(out, &n, u);
    }
    hb_font_destroy(hf);
    return n;
}

const char *pm_pdffonts_use(pm_pdffonts *f, int k, unsigned gid, int *n)
{
    font *ft = &f->fonts[k];
    *n = 0;
    if (gid >= ft->nglyphs) return "";
    ft->used[gid] = 1;
    fontfile *ff = ft->ff;
    if (!ft->text_at[gid]) {
        char t[256];
        int len = natural(ft, gid, t);
        if (ff->ntexts + (size_t)len + 1 > ff->captexts) {
            ff->captexts = (ff->captexts + (size_t)len) * 2 + 256;
            ff->texts = pm_xrealloc(ff->texts, ff->captexts);
        }
        memcpy(ff->texts + ff->ntexts, t, (size_t)len);
        ft->text_at[gid] = (uint32_t)ff->ntexts + 1;
        ft->text_n[gid] = (unsigned char)len;
        ff->ntexts += (size_t)len;
    }
    *n = ft->text_n[gid];
    return ff->texts + ft->text_at[gid] - 1;
}

void pm_pdffonts_synthetic(const pm_face *face, double *shear, int *bold)
{
    *shear = 0;
    *bold = 0;
    PangoFont *pf = pm_face_font(face);
    if (!PANGO_IS_FC_FONT(pf)) return;
    G_GNUC_BEGIN_IGNORE_DEPRECATIONS
    FcPattern *pat = pango_fc_font_get_pattern(PANGO_FC_FONT(pf));
    G_GNUC_END_IGNORE_DEPRECATIONS
    FcBool b = FcFalse;
    FcMatrix *m = NULL;
    if (FcPatternGetBool(pat, FC_EMBOLDEN, 0, &b) == FcResultMatch && b) *bold = 1;
    if (FcPatternGetMatrix(pat, FC_MATRIX, 0, &m) == FcResultMatch && m && m->xy != 0) *shear = m->xy;
}

/* --- the embedded program ------------------------------------------------------------ */

static uint64_t glyphs_key(const font *ft)
{
    uint64_t h = pm_hash64(ft->id, ft->used, ft->nglyphs);
    return h ? h : 1;
}

/* The font program of ft's glyphs, subset and compressed (a thread of its own may make
 * it: it reads only ft). 0, or -1 if HarfBuzz could not. */
static int make_program(const font *ft, subset *out)
{
    hb_subset_input_t *in = hb_subset_input_create_or_fail();
    if (!in) return -1;
    hb_set_t *gs = hb_subset_input_glyph_set(in);
    for (unsigned g = 0; g < ft->nglyphs; g++)
        if (ft->used[g]) hb_set_add(gs, g);
    hb_subset_input_set_flags(in, HB_SUBSET_FLAGS_RETAIN_GIDS);
    hb_set_t *drop = hb_subset_input_set(in, HB_SUBSET_SETS_DROP_TABLE_TAG);
    hb_set_add(drop, HB_TAG('G', 'S', 'U', 'B'));
    hb_set_add(drop, HB_TAG('G', 'P', 'O', 'S'));
    hb_set_add(drop, HB_TAG('G', 'D', 'E', 'F'));
    hb_face_t *sub = hb_subset_or_fail(ft->face, in);
    hb_subset_input_destroy(in);
    if (!sub) return -1;
    hb_blob_t *b = ft->cff ? hb_face_reference_table(sub, HB_TAG('C', 'F', 'F', ' ')) : hb_face_reference_blob(sub);
    unsigned n = 0;
    const char *p = hb_blob_get_data(b, &n);
    size_t nz = 0;
    unsigned char *z = n ? pm_deflate(p, n, &nz) : NULL;
    hb_blob_destroy(b);
    hb_face_destroy(sub);
    if (!z) return -1;
    *out = (subset){glyphs_key(ft), z, nz, n};
    return 0;
}

static subset *cached(uint64_t key)
{
    for (int i = 0; i < g_ncache; i++)
        if (g_cache[i].key == key) {
            g_cache[i].run = g_run;
            return &g_cache[i];
        }
    return NULL;
}

typedef struct {
    const font *ft;
    subset out;
    int rc;
    pm_subset_key disk; /* its name in the cache folder, if keep */
    int keep;
} job;

/* The jobs two threads take one at a time, the next first come first served. */
typedef struct {
    job *jobs;
    int n;
    atomic_int next;
    const char *dir; /* the cache folder's subsets, or NULL */
} jobs_queue;

static void *run_jobs(void *ud)
{
    pm_thread_name("pm-subset");
    jobs_queue *q = ud;
    for (int i; (i = atomic_fetch_add(&q->next, 1)) < q->n;) {
        job *j = &q->jobs[i];
        j->rc = make_program(j->ft, &j->out);
        if (!j->rc && j->keep) pm_subset_store(q->dir, &j->disk, j->out.z, j->out.nz, j->out.raw);
    }
    return NULL;
}

static void cache_add(subset s)
{
    if (g_ncache == g_capcache) {
        g_capcache = g_capcache * 2 + 8;
        g_cache = pm_xrealloc(g_cache, (size_t)g_capcache * sizeof *g_cache);
    }
    s.run = g_run;
    g_cache[g_ncache++] = s;
}

/* Every font's program not cached yet made (or read from the cache folder, where runs
 * before kept theirs), by this thread and one other taking the fonts one at a time
 * (they are independent, and at the end of a first run the other processor is idle: one
 * thread for them all, as a thread made on this machine starts a millisecond or two late
 * and a pair of fonts of unequal sizes kept one thread waiting for the other), then
 * cached, and kept in the folder by the thread that made it. */
static void make_programs(pm_pdffonts *f)
{
    job *jobs = pm_xcalloc((size_t)f->n + 1, sizeof *jobs);
    int n = 0;
    const char *dir = getenv("PAMPHLET_NO_SUBSET_CACHE") ? NULL : pm_subset_dir();
    for (int k = 0; k < f->n; k++) {
        const font *ft = &f->fonts[k];
        if (cached(glyphs_key(ft))) {
            f->cached++;
            continue;
        }
        job j = {.ft = ft, .rc = -1};
        j.keep = dir && pm_subset_key_of(ft->file, ft->index, ft->id, ft->cff, ft->used, ft->nglyphs, &j.disk);
        size_t nz, raw;
        unsigned char *z = j.keep ? pm_subset_load(dir, &j.disk, &nz, &raw) : NULL;
        if (z) {
            cache_add((subset){glyphs_key(ft), z, nz, raw});
            f->kept++;
            continue;
        }
        jobs[n++] = j;
    }
    jobs_queue q = {jobs, n, 0, dir};
    atomic_init(&q.next, 0);
    pthread_t t;
    int threaded = n > 1 && pthread_create(&t, NULL, run_jobs, &q) == 0;
    run_jobs(&q);
    if (threaded) pthread_join(t, NULL);
    for (int i = 0; i < n; i++) {
        if (jobs[i].rc || cached(jobs[i].out.key)) {
            free(jobs[i].out.z);
            continue;
        }
        cache_add(jobs[i].out);
        f->made++;
    }
    free(jobs);
}

void pm_pdffonts_sweep(void)
{
    int k = 0;
    for (int i = 0; i < g_ncache; i++) {
        if (g_cache[i].run == g_run) g_cache[k++] = g_cache[i];
        else subset_free(&g_cache[i]);
    }
    g_ncache = k;
    g_run++;
}

void pm_pdffonts_cache_clear(void)
{
    fontfiles_clear();
    for (int i = 0; i < g_ncache; i++) subset_free(&g_cache[i]);
    free(g_cache);
    g_cache = NULL;
    g_ncache = g_capcache = 0;
}

uint64_t pm_pdffonts_key(const pm_pdffonts *f)
{
    uint64_t h = 1;
    for (int k = 0; k < f->n; k++) {
        uint64_t g = glyphs_key(&f->fonts[k]);
        h = pm_hash64(h, &g, sizeof g);
    }
    return h;
}

void pm_pdffonts_counts(const pm_pdffonts *f, int *made, int *cached, int *kept)
{
    *made = f->made;
    *cached = f->cached;
    *kept = f->kept;
}

/* --- the PDF objects ----------------------------------------------------------------- */

static void pb_printf(pm_pbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void pb_printf(pm_pbuf *b, const char *fmt, ...)
{
    char tmp[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n > 0) pm_pbuf_put(b, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
}

/* The /W array: consecutive glyph ids in one list (made once for a glyph set). */
static qpdf_oh widths(pm_pdffonts *f, int k, qpdf_data q, subset *prog)
{
    if (prog->w) return qpdf_oh_parse(q, prog->w);
    font *ft = &f->fonts[k];
    pm_pbuf b = {0};
    pm_pbuf_put(&b, "[", 1);
    for (unsigned g = 0; g < ft->nglyphs;) {
        if (!ft->used[g]) {
            g++;
            continue;
        }
        pb_printf(&b, " %u [", g);
        for (; g < ft->nglyphs && ft->used[g]; g++) pb_printf(&b, " %d", pm_pdffonts_width(f, k, g));
        pm_pbuf_put(&b, " ]", 2);
    }
    pm_pbuf_put(&b, " ]", 3); /* (and its NUL: a string for libqpdf's parser) */
    prog->w = b.p;
    return qpdf_oh_parse(q, prog->w);
}

static qpdf_oh stream_of(qpdf_data q, const unsigned char *z, size_t nz, int flate)
{
    qpdf_oh s = qpdf_oh_new_stream(q);
    qpdf_oh_replace_stream_data(q, s, z, nz, flate ? qpdf_oh_new_name(q, "/FlateDecode") : qpdf_oh_new_null(q),
                                qpdf_oh_new_null(q));
    return s;
}

static qpdf_oh to_unicode(pm_pdffonts *f, int k, qpdf_data q, subset *prog)
{
    if (prog->tu) return stream_of(q, prog->tu, prog->ntu, 1);
    font *ft = &f->fonts[k];
    pm_pbuf b = {0};
    pb_printf(&b, "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
                  "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
                  "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
                  "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n");
    unsigned g = 0;
    while (g < ft->nglyphs) {
        unsigned run[100], nrun = 0;
        for (; g < ft->nglyphs && nrun < 100; g++)
            if (ft->used[g] && ft->text_n[g]) run[nrun++] = g;
        if (!nrun) break;
        pb_printf(&b, "%u beginbfchar\n", nrun);
        for (unsigned i = 0; i < nrun; i++) {
            unsigned gg = run[i];
            pb_printf(&b, "<%04X> <", gg);
            pm_pbuf_utf16_hex(&b, ft->ff->texts + ft->text_at[gg] - 1, ft->text_n[gg]);
            pm_pbuf_put(&b, ">\n", 2);
        }
        pm_pbuf_put(&b, "endbfchar\n", 10);
    }
    pm_pbuf_put(&b, "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n", 61);
    size_t nz = 0;
    unsigned char *z = pm_deflate(b.p, b.n, &nz);
    qpdf_oh s = stream_of(q, z, nz, 1);
    prog->tu = z; /* (kept for the next run with this glyph set) */
    prog->ntu = nz;
    free(b.p);
    return s;
}

static int16_t be16(const unsigned char *p) { return (int16_t)(p[0] << 8 | p[1]); }

/* The font descriptor's numbers: bounding box from 'head', italic angle from 'post',
 * ascent, descent and cap height from the OS/2 or hhea metrics, in thousandths of an em. */
static void descriptor_numbers(const font *ft, char *out, size_t n)
{
    hb_blob_t *head = hb_face_reference_table(ft->face, HB_TAG('h', 'e', 'a', 'd'));
    hb_blob_t *post = hb_face_reference_table(ft->face, HB_TAG('p', 'o', 's', 't'));
    unsigned nh = 0, np = 0;
    const unsigned char *h = (const unsigned char *)hb_blob_get_data(head, &nh);
    const unsigned char *p = (const unsigned char *)hb_blob_get_data(post, &np);
    double s = 1000.0 / ft->upem;
    int bb[4] = {0, -250, 1000, 1000};
    if (nh >= 44)
        for (int i = 0; i < 4; i++) bb[i] = (int)(be16(h + 36 + 2 * i) * s);
    double italic = np >= 8 ? (double)(int32_t)((uint32_t)p[4] << 24 | (uint32_t)p[5] << 16 | (uint32_t)p[6] << 8 | p[7]) / 65536.0 : 0;
    hb_font_t *hf = hb_font_create(ft->face);
    hb_position_t asc = 0, desc = 0, cap = 0;
    if (!hb_ot_metrics_get_position(hf, HB_OT_METRICS_TAG_HORIZONTAL_ASCENDER, &asc)) asc = (hb_position_t)(0.8 * ft->upem);
    if (!hb_ot_metrics_get_position(hf, HB_OT_METRICS_TAG_HORIZONTAL_DESCENDER, &desc)) desc = -(hb_position_t)(0.2 * ft->upem);
    if (!hb_ot_metrics_get_position(hf, HB_OT_METRICS_TAG_CAP_HEIGHT, &cap)) cap = asc;
    hb_font_destroy(hf);
    snprintf(out, n, "<< /Type /FontDescriptor /FontBBox [%d %d %d %d] /ItalicAngle %.2f /Ascent %d /Descent %d "
             "/CapHeight %d /StemV 80 /Flags %d >>",
              bb[0], bb[1], bb[2], bb[3], italic, (int)(asc * s), (int)(desc * s), (int)(cap * s), 4 | (italic != 0 ? 64 : 0));
    hb_blob_destroy(head);
    hb_blob_destroy(post);
}

/* The font's PostScript name with a subset tag made from its glyph set (six letters). */
static void base_name(const font *ft, char *out, size_t n)
{
    char ps[128] = "";
    unsigned len = sizeof ps;
    hb_ot_name_get_utf8(ft->face, HB_OT_NAME_ID_POSTSCRIPT_NAME, HB_LANGUAGE_INVALID, &len, ps);
    for (char *c = ps; *c; c++)
        if (*c <= ' ' || *c >= 127 || strchr("()<>[]{}/%#", *c)) *c = '-';
    if (!*ps) snprintf(ps, sizeof ps, "Font");
    uint64_t h = glyphs_key(ft);
    char tag[7];
    for (int i = 0; i < 6; i++, h /= 26) tag[i] = (char)('A' + h % 26);
    tag[6] = 0;
    snprintf(out, n, "/%s+%s", tag, ps);
}

static int emit_one(pm_pdffonts *f, int k, qpdf_data q, qpdf_oh fonts)
{
    font *ft = &f->fonts[k];
    subset *prog = cached(glyphs_key(ft));
    if (!prog) return -1;
    char name[200];
    base_name(ft, name, sizeof name);
    qpdf_oh file = stream_of(q, prog->z, prog->nz, 1);
    char dict[600];
    descriptor_numbers(ft, dict, sizeof dict);
    qpdf_oh fd = qpdf_oh_parse(q, dict);
    qpdf_oh_replace_key(q, fd, "/FontName", qpdf_oh_new_name(q, name));
    if (ft->cff) {
        qpdf_oh_replace_key(q, qpdf_oh_get_dict(q, file), "/Subtype", qpdf_oh_new_name(q, "/CIDFontType0C"));
        qpdf_oh_replace_key(q, fd, "/FontFile3", file);
    } else {
        qpdf_oh_replace_key(q, qpdf_oh_get_dict(q, file), "/Length1", qpdf_oh_new_integer(q, (long long)prog->raw));
        qpdf_oh_replace_key(q, fd, "/FontFile2", file);
    }
    qpdf_oh cid = qpdf_oh_parse(q, "<< /Type /Font /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> >>");
    qpdf_oh_replace_key(q, cid, "/Subtype", qpdf_oh_new_name(q, ft->cff ? "/CIDFontType0" : "/CIDFontType2"));
    qpdf_oh_replace_key(q, cid, "/BaseFont", qpdf_oh_new_name(q, name));
    qpdf_oh_replace_key(q, cid, "/FontDescriptor", qpdf_make_indirect_object(q, fd));
    qpdf_oh_replace_key(q, cid, "/W", widths(f, k, q, prog));
    if (!ft->cff) qpdf_oh_replace_key(q, cid, "/CIDToGIDMap", qpdf_oh_new_name(q, "/Identity"));
    qpdf_oh t0 = qpdf_oh_parse(q, "<< /Type /Font /Subtype /Type0 /Encoding /Identity-H >>");
    qpdf_oh_replace_key(q, t0, "/BaseFont", qpdf_oh_new_name(q, name));
    qpdf_oh arr = qpdf_oh_new_array(q);
    qpdf_oh_append_item(q, arr, qpdf_make_indirect_object(q, cid));
    qpdf_oh_replace_key(q, t0, "/DescendantFonts", arr);
    qpdf_oh_replace_key(q, t0, "/ToUnicode", to_unicode(f, k, q, prog));
    qpdf_oh_replace_key(q, fonts, ft->name, qpdf_make_indirect_object(q, t0));
    return 0;
}

void pm_pdffonts_prepare(pm_pdffonts *f) { make_programs(f); }

static const pm_pdffonts *g_sorting;
static int by_name(const void *a, const void *b)
{
    return strcmp(g_sorting->fonts[*(const int *)a].name, g_sorting->fonts[*(const int *)b].name);
}

int pm_pdffonts_emit(pm_pdffonts *f, qpdf_data q, qpdf_oh fonts, const char *dest)
{
    /* in the order of their names, not of their first use: the PDF is the same whichever
       page asked for a font first (a watch rebuild asks in the order it checks pages) */
    int *order = pm_xmalloc((size_t)(f->n + 1) * sizeof *order);
    for (int k = 0; k < f->n; k++) order[k] = k;
    g_sorting = f;
    qsort(order, (size_t)f->n, sizeof *order, by_name);
    for (int i = 0; i < f->n; i++) {
        int k = order[i];
        if (emit_one(f, k, q, fonts)) {
            free(order);
            char name[200];
            base_name(&f->fonts[k], name, sizeof name);
            pm_error(dest, 0, 0, "cannot embed the font %s (HarfBuzz could not subset it)", name + 8);
            return PM_EIO;
        }
    }
    free(order);
    return PM_OK;
}
