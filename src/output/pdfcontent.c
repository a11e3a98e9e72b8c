/* pdfcontent.c - a page's content stream for the direct PDF writer (see pdfcontent.h):
 * text as TJ arrays of glyph ids with the layout's positions, rules, fields, boxes, QR
 * codes and images; the links and destinations beside. Coordinates: the frame's are from
 * the trimmed page's top-left, y down; the PDF's from the bled page's bottom-left, y up. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "output/pdfcontent.h"
#include "base/arena.h"
#include "base/diag.h"
#include "base/digest.h"
#include "output/finish.h"
#include "output/pdfstruct.h"
#include "image/image-imp.h"
#include "text/fonts.h"

void pm_pbuf_put(pm_pbuf *b, const char *s, size_t n)
{
    if (b->dry) return;
    if (b->n + n > b->cap) {
        b->cap = (b->n + n) * 2 + 4096;
        b->p = pm_xrealloc(b->p, b->cap);
    }
    memcpy(b->p + b->n, s, n);
    b->n += n;
}

static void puts_(pm_pbuf *b, const char *s) { pm_pbuf_put(b, s, strlen(s)); }

void pm_pbuf_utf16_hex(pm_pbuf *b, const char *s, int n)
{
    static const char hx[] = "0123456789ABCDEF";
    for (int i = 0; i < n;) {
        unsigned c = (unsigned char)s[i], len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
        if (!len || i + (int)len > n) {
            c = 0xfffd;
            len = 1;
        } else if (len > 1) {
            c &= 0x7fu >> len;
            for (unsigned j = 1; j < len; j++) c = c << 6 | ((unsigned char)s[i + (int)j] & 0x3f);
        }
        i += (int)len;
        unsigned u[2] = {c, 0};
        int nu = 1;
        if (c >= 0x10000) {
            u[0] = 0xd800 + ((c - 0x10000) >> 10);
            u[1] = 0xdc00 + ((c - 0x10000) & 0x3ff);
            nu = 2;
        }
        for (int j = 0; j < nu; j++) {
            char h[4] = {hx[u[j] >> 12 & 15], hx[u[j] >> 8 & 15], hx[u[j] >> 4 & 15], hx[u[j] & 15]};
            pm_pbuf_put(b, h, 4);
        }
    }
}

unsigned char *pm_deflate(const void *p, size_t n, size_t *nz)
{
    uLongf cap = compressBound((uLong)n);
    unsigned char *z = pm_xmalloc(cap);
    if (compress2(z, &cap, p, (uLong)n, Z_BEST_SPEED) != Z_OK) pm_oom(cap);
    *nz = cap;
    return z;
}

/* Room for n more bytes at the buffer's end (the caller sets b->n past what it writes). */
static char *reserve(pm_pbuf *b, size_t n)
{
    static _Thread_local char scratch[64];
    if (b->dry) return scratch; /* (n is at most 64) */
    if (b->n + n > b->cap) {
        b->cap = (b->n + n) * 2 + 4096;
        b->p = pm_xrealloc(b->p, b->cap);
    }
    return b->p + b->n;
}

/* An integer in decimal (no snprintf: a page has a kern every few glyphs). */
static void put_int(pm_pbuf *b, long v)
{
    if (b->dry) return;
    char tmp[24], *e = tmp + sizeof tmp, *p = e;
    unsigned long u = v < 0 ? 0UL - (unsigned long)v : (unsigned long)v;
    do *--p = (char)('0' + u % 10);
    while (u /= 10);
    if (v < 0) *--p = '-';
    pm_pbuf_put(b, p, (size_t)(e - p));
}

void pm_pbuf_num(pm_pbuf *b, double v)
{
    if (b->dry) return;
    char tmp[32], *e = tmp + sizeof tmp, *p = e;
    long long m = llround(v * 1000);
    int neg = m < 0;
    unsigned long long u = neg ? (unsigned long long)-m : (unsigned long long)m;
    unsigned frac = (unsigned)(u % 1000);
    u /= 1000;
    if (frac) {
        int digits = 3;
        while (frac % 10 == 0) {
            frac /= 10;
            digits--;
        }
        for (int i = 0; i < digits; i++, frac /= 10) *--p = (char)('0' + frac % 10);
        *--p = '.';
    }
    do *--p = (char)('0' + u % 10);
    while (u /= 10);
    if (neg) *--p = '-';
    pm_pbuf_put(b, p, (size_t)(e - p));
    pm_pbuf_put(b, " ", 1);
}

/* The page being written: where its origin is and what it has used. */
typedef struct {
    pm_pcontent *c;
    pm_pbuf *b;
    double ph, bleed;
    pm_pdffonts *fonts;
    pm_pimages *images;
    int gray;
    const pm_finish *fin;
    pm_pstruct *st;  /* the structure tree, or NULL */
    int el;          /* the element the item being painted is part of, -1: an artifact */
    int marked;      /* the element whose marked content is open, -2: none */
    double fill[3];  /* the fill colour set, or -1 */
    int fno;         /* the number of the run's font on the page (pm_pcontent.font_k) */
} page_ctx;

static double X(const page_ctx *p, double x) { return x + p->bleed; }
static double Y(const page_ctx *p, double y) { return p->ph - (y + p->bleed); }

/* A layout's cmyk() colour (its RGB as the frame has it) as DeviceCMYK: 1 if it is one. */
static int cmyk(page_ctx *p, const double *c, int stroke)
{
    for (int i = 0; p->fin && i < p->fin->ncmyk; i++) {
        const pm_colour *k = &p->fin->cmyk[i];
        if (fabs(k->rgb[0] - c[0]) < 0.5 / 255 && fabs(k->rgb[1] - c[1]) < 0.5 / 255 && fabs(k->rgb[2] - c[2]) < 0.5 / 255) {
            for (int j = 0; j < 4; j++) pm_pbuf_num(p->b, k->cmyk[j]);
            puts_(p->b, stroke ? "K\n" : "k\n");
            return 1;
        }
    }
    return 0;
}

static void colour(page_ctx *p, const double *rgb, int stroke)
{
    double c[3] = {rgb[0], rgb[1], rgb[2]};
    if (p->gray) c[0] = c[1] = c[2] = round((0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2]) * 255) / 255;
    if (!stroke && c[0] == p->fill[0] && c[1] == p->fill[1] && c[2] == p->fill[2]) return;
    if (c[0] == c[1] && c[1] == c[2]) {
        pm_pbuf_num(p->b, c[0]);
        puts_(p->b, stroke ? "G\n" : "g\n");
    } else if (cmyk(p, c, stroke)) {
    } else {
        for (int i = 0; i < 3; i++) pm_pbuf_num(p->b, c[i]);
        puts_(p->b, stroke ? "RG\n" : "rg\n");
    }
    if (!stroke) memcpy(p->fill, c, sizeof c);
}

static void rect(page_ctx *p, double x, double y, double w, double h)
{
    pm_pbuf_num(p->b, X(p, x));
    pm_pbuf_num(p->b, Y(p, y + h));
    pm_pbuf_num(p->b, w);
    pm_pbuf_num(p->b, h);
    puts_(p->b, "re\n");
}

/* --- text ------------------------------------------------------------------------------ */


/* The number of font k on the page (the order the page first uses its fonts in). */
static int page_font(pm_pcontent *c, int k)
{
    for (int i = 0; i < c->nfont_k; i++)
        if (c->font_k[i] == k) return i;
    if (c->nfont_k == c->capfont_k) {
        c->capfont_k = c->capfont_k * 2 + 8;
        c->font_k = pm_xrealloc(c->font_k, (size_t)c->capfont_k * sizeof *c->font_k);
    }
    c->font_k[c->nfont_k] = k;
    if (c->record) { /* (a bit for each of its glyph ids: which the page has used) */
        c->seen = pm_xrealloc(c->seen, (size_t)(c->nfont_k + 1) * 1024 * sizeof *c->seen);
        memset(c->seen + (size_t)c->nfont_k * 1024, 0, 1024 * sizeof *c->seen);
    }
    return c->nfont_k++;
}

/* Whether cluster text[0..n) is what glyphs g[0..ng) of font k say by themselves (their
 * ToUnicode entries, concatenated): else it needs an ActualText. Marks them used. */
static int plain_cluster(page_ctx *p, int k, const pm_glyph *g, int ng, const char *text, int n)
{
    int at = 0, same = 1;
    pm_pcontent *c = p->c;
    for (int i = 0; i < ng; i++) {
        int len;
        const char *t = pm_pdffonts_use(p->fonts, k, (unsigned)g[i].index, &len);
        /* (a glyph id past 0xffff is Pango's empty or unknown glyph, which no font has and
           pm_pdffonts_use leaves unmarked: not listed, lest its low bits name a real one) */
        unsigned gid = (unsigned)g[i].index;
        uint64_t *seen = c->record && gid <= 0xffff ? &c->seen[(size_t)p->fno * 1024 + gid / 64] : NULL;
        if (seen && !(*seen & 1ull << gid % 64)) {
            *seen |= 1ull << gid % 64;
            if (c->nuses == c->capuses) {
                c->capuses = c->capuses * 2 + 256;
                c->uses = pm_xrealloc(c->uses, (size_t)c->capuses * sizeof *c->uses);
            }
            c->uses[c->nuses++] = (uint32_t)p->fno << 16 | gid;
        }
        if (!same || at + len > n || memcmp(text + at, t, (size_t)len)) same = 0;
        at += len;
    }
    return same && at == n;
}

/* /Span << /ActualText <FEFF...> >> BDC: text in UTF-16BE. */
static void actual_text(page_ctx *p, const char *s, int n)
{
    puts_(p->b, "/Span<</ActualText<FEFF");
    pm_pbuf_utf16_hex(p->b, s, n);
    puts_(p->b, ">>>BDC\n");
}

static void text_at(page_ctx *p, double x, double y, double shear)
{
    if (shear != 0) { /* a slanted face (fontconfig's synthetic oblique) */
        puts_(p->b, "1 0 ");
        pm_pbuf_num(p->b, shear);
        puts_(p->b, "1 ");
    } else {
        puts_(p->b, "1 0 0 1 ");
    }
    pm_pbuf_num(p->b, X(p, x));
    pm_pbuf_num(p->b, Y(p, y));
    puts_(p->b, "Tm\n");
}

/* The TJ array being written: the font, its size, where the viewer's pen is; whether a
 * hex string of glyphs is open in it (glyphs in a row share one: <00550049>-46<0058>). */
typedef struct {
    double size, pen, base, shear;
    double unit, per_unit; /* a thousandth of an em in points, and points in those */
    int k, open, hex;
} glyphs_state;

/* Close the TJ array (and its hex string). */
static void end_tj(page_ctx *p, glyphs_state *st, const char *after)
{
    if (st->open) puts_(p->b, st->hex ? ">]TJ" : "]TJ");
    if (st->open || *after == ' ') puts_(p->b, after);
    st->open = st->hex = 0;
}

/* A glyph into the open TJ array (opened at the glyph, with a text position, when none is
 * or the baseline moves). pen: where the viewer puts this glyph (the widths and kerns so
 * far); a kern in whole thousandths of an em when that is half of one or more from the
 * layout's place (0.005 pt at 10 pt), as cairo writes them. */
static void put_glyph(page_ctx *p, glyphs_state *st, const pm_glyph *g, double lx, double ly)
{
    double gx = lx + g->x, gy = ly + g->y;
    if (!st->open || fabs(gy - st->base) > 1e-4) {
        end_tj(p, st, "\n");
        text_at(p, gx, gy, st->shear);
        puts_(p->b, "[");
        st->pen = gx;
        st->base = gy;
        st->open = 1;
    }
    double d = (st->pen - gx) * st->per_unit;
    long adj = d < 0 ? -(long)(0.5 - d) : (long)(d + 0.5); /* (rounded half away from 0) */
    if (adj != 0) {
        if (st->hex) puts_(p->b, ">");
        put_int(p->b, adj);
        st->pen -= (double)adj * st->unit;
        st->hex = 0;
    }
    /* the glyph's four hex digits (and the string's opening) straight into the buffer */
    static const char hx[] = "0123456789ABCDEF";
    char *w = reserve(p->b, 8);
    unsigned gi = (unsigned)g->index;
    if (!st->hex) *w++ = '<';
    w[0] = hx[gi >> 12 & 15];
    w[1] = hx[gi >> 8 & 15];
    w[2] = hx[gi >> 4 & 15];
    w[3] = hx[gi & 15];
    if (!p->b->dry) p->b->n = (size_t)(w + 4 - p->b->p);
    st->hex = 1;
    st->pen += pm_pdffonts_width(p->fonts, st->k, gi) * st->unit;
}

/* One run: the glyphs in a TJ array, each place the layout's (a kern of the difference
 * from the font's width where they differ), a new text position where the baseline moves. */
static void show_run(page_ctx *p, const pm_run *run, double lx, double ly, int *font_set, double *size_set)
{
    int k = pm_pdffonts_font(p->fonts, run->face);
    cairo_scaled_font_t *sf = pm_face_cairo(run->face);
    if (k < 0 || !sf) {
        p->c->skipped++;
        return;
    }
    /* the page's fonts numbered in the order its runs come, whether or not they have
       glyphs: a replay (which walks the runs, not their glyphs) numbers them alike */
    p->fno = p->c->record || p->b->dry ? page_font(p->c, k) : 0;
    if (p->b->dry) return; /* (a kept page: its glyphs come from its list) */
    double shear = 0;
    int bold = 0;
    pm_pdffonts_synthetic(run->face, &shear, &bold);
    cairo_matrix_t m;
    cairo_scaled_font_get_font_matrix(sf, &m);
    double size = m.yy;
    colour(p, run->rgb, 0);
    if (k != *font_set || size != *size_set) {
        puts_(p->b, pm_pdffonts_name(p->fonts, k));
        puts_(p->b, " ");
        pm_pbuf_num(p->b, size);
        puts_(p->b, "Tf\n");
        *font_set = k;
        *size_set = size;
    }
    glyphs_state st = {.size = size, .k = k, .shear = shear, .unit = size / 1000, .per_unit = 1000 / size};
    if (bold) { /* fontconfig's synthetic bold: the outline stroked too, an em/24 wider and
                   taller, as FreeType's FT_GlyphSlot_Embolden makes it */
        colour(p, run->rgb, 1);
        pm_pbuf_num(p->b, size / 24);
        puts_(p->b, "w 2 Tr\n");
    }
    int g = 0, b = 0;
    for (int c = 0; c <= run->nclusters && g < run->nglyphs; c++) {
        /* (glyphs past the clusters, if any, as a cluster without text) */
        int ng = c < run->nclusters ? run->clusters[c].num_glyphs : run->nglyphs - g;
        int nb = c < run->nclusters ? run->clusters[c].num_bytes : 0;
        if (g + ng > run->nglyphs) ng = run->nglyphs - g;
        int plain = plain_cluster(p, k, run->glyphs + g, ng, run->utf8 + b, nb) || !nb;
        if (!plain) {
            end_tj(p, &st, "\n");
            actual_text(p, run->utf8 + b, nb);
        }
        for (int i = 0; i < ng; i++) put_glyph(p, &st, &run->glyphs[g + i], lx, ly);
        if (!plain) end_tj(p, &st, " EMC\n");
        g += ng;
        b += nb;
    }
    end_tj(p, &st, "\n");
    if (bold) puts_(p->b, "0 Tr\n");
}

static void add_link(page_ctx *p, const pm_line *line, const pm_line_link *L, double x, double y)
{
    pm_pcontent *c = p->c;
    if (c->nlinks == c->caplinks) {
        c->caplinks = c->caplinks * 2 + 4;
        c->links = pm_xrealloc(c->links, (size_t)c->caplinks * sizeof *c->links);
    }
    int dest = L->url[0] == '#';
    if (p->st) pm_pstruct_link(p->st, p->el >= 0 ? p->el : 0, c->nlinks);
    c->links[c->nlinks++] = (pm_plink){{X(p, x + L->x0), Y(p, y + line->descent), X(p, x + L->x1), Y(p, y - line->ascent)},
                                       dest ? L->url + 1 : L->url, dest};
}

static void decos(page_ctx *p, const pm_line *line, double x, double y)
{
    for (int k = 0; k < line->ndecos; k++) {
        const pm_line_deco *d = &line->decos[k];
        if (d->kind == PM_DECO_WRAP) { /* as paint.c draws it */
            double s = d->t * 20, w = d->x1 - d->x0, right = d->x0 + 0.8 * w, left = d->x0 + 0.15 * w, yb = -0.22 * s;
            colour(p, d->rgb, 1);
            pm_pbuf_num(p->b, 0.07 * s);
            puts_(p->b, "w 1 J 1 j\n");
            double pts[5][2] = {{right, -0.62 * s}, {right, yb}, {left, yb}, {left + 0.2 * s, yb - 0.14 * s}, {left + 0.2 * s, yb + 0.14 * s}};
            const char *op[5] = {"m\n", "l\n", "l\n", "m\n", "l\n"};
            for (int i = 0; i < 5; i++) {
                if (i == 4) { /* the arrowhead: back to its point, then the lower barb */
                    pm_pbuf_num(p->b, X(p, x + left));
                    pm_pbuf_num(p->b, Y(p, y + yb));
                    puts_(p->b, "l\n");
                }
                pm_pbuf_num(p->b, X(p, x + pts[i][0]));
                pm_pbuf_num(p->b, Y(p, y + pts[i][1]));
                puts_(p->b, op[i]);
            }
            puts_(p->b, "S 0 J 0 j\n");
            continue;
        }
        colour(p, d->rgb, 0);
        rect(p, x + d->x0, y + d->y - d->t / 2, d->x1 - d->x0, d->t);
        puts_(p->b, "f\n");
    }
}

static void image_as(page_ctx *p, const pm_fitem *it, uint64_t key);

/* A run in a font no PDF font can be made of (colour bitmaps: emoji; CFF2) drawn by cairo
 * into pixels at 600 dpi, placed as an image (as cairo's own PDF would: a Type 3 font of
 * images). Its text as an ActualText. */
static void raster_run(page_ctx *p, const pm_run *run, double lx, double ly)
{
    cairo_scaled_font_t *sf = pm_face_cairo(run->face);
    cairo_text_extents_t e;
    if (!sf) return;
    cairo_scaled_font_glyph_extents(sf, (const cairo_glyph_t *)run->glyphs, run->nglyphs, &e);
    if (!(e.width > 0) || !(e.height > 0)) return;
    double sc = 600.0 / 72, pad = 1 / sc;
    if ((e.width + 2 * pad) * sc > 4000 || (e.height + 2 * pad) * sc > 4000)
        sc = 4000 / fmax(e.width + 2 * pad, e.height + 2 * pad);
    int w = (int)ceil((e.width + 2 * pad) * sc), h = (int)ceil((e.height + 2 * pad) * sc);
    pm_image *img = pm_img_new(FMT_PNG, "(glyphs)", NULL, 0);
    img->surf = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, w, h);
    cairo_t *cr = cairo_create(img->surf);
    cairo_scale(cr, sc, sc);
    /* (cairo's extents are from the first glyph's origin) */
    double ox = run->glyphs[0].x + e.x_bearing, oy = run->glyphs[0].y + e.y_bearing;
    cairo_translate(cr, pad - ox, pad - oy);
    cairo_matrix_t fm;
    cairo_scaled_font_get_font_matrix(sf, &fm);
    cairo_set_font_face(cr, cairo_scaled_font_get_font_face(sf));
    cairo_set_font_matrix(cr, &fm);
    cairo_set_source_rgb(cr, run->rgb[0], run->rgb[1], run->rgb[2]);
    cairo_show_glyphs(cr, (const cairo_glyph_t *)run->glyphs, run->nglyphs);
    cairo_destroy(cr);
    cairo_surface_flush(img->surf);
    img->sw = w;
    img->sh = h;
    img->decoded = 1;
    pm_fitem it = {.kind = PM_FI_IMAGE, .x = lx + ox - pad, .y = ly + oy - pad, .w = w / sc, .h = h / sc, .image = img};
    uint64_t key = pm_pdffonts_face_id(run->face);
    key = pm_hash64(key, run->glyphs, (size_t)run->nglyphs * sizeof *run->glyphs);
    key = pm_hash64(key, run->rgb, sizeof run->rgb);
    key = pm_hash64(key, &fm, sizeof fm);
    if (run->nbytes) actual_text(p, run->utf8, run->nbytes);
    image_as(p, &it, key ? key : 1);
    if (run->nbytes) puts_(p->b, "EMC\n");
    pm_image_drop(img);
}

static void show_line(page_ctx *p, const pm_line *line, double x, double y)
{
    int font_set = -1;
    double size_set = 0;
    int text = 0;
    for (int r = 0; r < line->nruns; r++) {
        const pm_run *run = &line->runs[r];
        if (!run->nglyphs) continue;
        if (pm_pdffonts_font(p->fonts, run->face) < 0) { /* (no image inside a text object) */
            if (text) puts_(p->b, "ET\n");
            text = 0;
            font_set = -1;
            raster_run(p, run, x, y);
            continue;
        }
        if (!text) puts_(p->b, "BT\n");
        text = 1;
        show_run(p, run, x, y, &font_set, &size_set);
    }
    if (text) puts_(p->b, "ET\n");
    for (int i = 0; i < line->nlinks; i++) add_link(p, line, &line->links[i], x, y);
    decos(p, line, x, y);
}

/* --- graphics ---------------------------------------------------------------------------- */

/* Where image space's (a, b) (the unit square, b up) lands on the page for an image
 * drawn in it's rectangle: through the EXIF orientation (image.c's matrix, stored pixels
 * to displayed ones) and the scale to the rectangle. */
static void image_point(const page_ctx *p, const pm_fitem *it, double a, double b, double *px, double *py)
{
    const pm_image *img = it->image;
    double sw = img->sw, sh = img->sh, x = a * sw, y = (1 - b) * sh, u, v;
    switch (img->orientation) {
    case 2: u = sw - x; v = y; break;
    case 3: u = sw - x; v = sh - y; break;
    case 4: u = x; v = sh - y; break;
    case 5: u = y; v = x; break;
    case 6: u = sh - y; v = x; break;
    case 7: u = sh - y; v = sw - x; break;
    case 8: u = y; v = sw - x; break;
    default: u = x; v = y; break;
    }
    *px = X(p, it->x + u * it->w / pm_image_width(img));
    *py = Y(p, it->y + v * it->h / pm_image_height(img));
}

/* What an image file is: its path, size, kind and (a photo's) first bytes. */
static uint64_t image_key(const pm_image *img)
{
    uint64_t h = pm_hash64w((uint64_t)img->sw << 32 | (uint64_t)img->sh, img->path, strlen(img->path));
    h = pm_hash64w(h, &img->passthrough, sizeof img->passthrough);
    if (img->jpeg) {
        size_t n = img->jpeg->len;
        h = pm_hash64w(h ^ n, img->jpeg->data, n < 65536 ? n : 65536);
    }
    return h;
}

/* Image it, whose XObject is /Im<key> (0: the image file's key). */
static void image_as(page_ctx *p, const pm_fitem *it, uint64_t key)
{
    if (!(it->w > 0) || !(it->h > 0)) return;
    if (!it->image->passthrough && !it->image->decoded && pm_img_decode_lazily(it->image) != 0) {
        p->c->skipped++;
        return;
    }
    pm_pimages *im = p->images;
    int k = 0;
    if (!key) /* (an image file drawn before is found by itself: no bytes hashed again) */
        while (k < im->n && im->img[k] != it->image) k++;
    if (!key && k < im->n) key = im->key[k];
    if (!key) key = image_key(it->image);
    for (k = 0; k < im->n && im->key[k] != key;) k++;
    if (k == im->n) {
        if (im->n == im->cap) {
            im->cap = im->cap * 2 + 4;
            im->img = pm_xrealloc(im->img, (size_t)im->cap * sizeof *im->img);
            im->key = pm_xrealloc(im->key, (size_t)im->cap * sizeof *im->key);
        }
        im->key[im->n] = key;
        im->img[im->n++] = pm_image_keep(it->image);
    }
    puts_(p->b, "q\n");
    if (it->clip) {
        rect(p, it->clip->x, it->clip->y, it->clip->w, it->clip->h);
        puts_(p->b, "W n\n");
    }
    double o[2], ea[2], eb[2];
    image_point(p, it, 0, 0, &o[0], &o[1]);
    image_point(p, it, 1, 0, &ea[0], &ea[1]);
    image_point(p, it, 0, 1, &eb[0], &eb[1]);
    double m[6] = {ea[0] - o[0], ea[1] - o[1], eb[0] - o[0], eb[1] - o[1], o[0], o[1]};
    for (int i = 0; i < 6; i++) pm_pbuf_num(p->b, m[i]);
    char r[48];
    snprintf(r, sizeof r, "cm /Im%016llx Do\nQ\n", (unsigned long long)key);
    puts_(p->b, r);
}

static void image(page_ctx *p, const pm_fitem *it) { image_as(p, it, 0); }

static void qr(page_ctx *p, const pm_fitem *it)
{
    int n = it->level;
    double m = it->w / n, q = 4 * m;
    static const double white[3] = {1, 1, 1}, black[3] = {0, 0, 0};
    colour(p, white, 0);
    rect(p, it->x - q, it->y - q, it->w + 2 * q, it->h + 2 * q);
    puts_(p->b, "f\n");
    colour(p, black, 0);
    for (int r = 0; r < n; r++)
        for (int c = 0; c < n; c++) {
            if (!it->bits[r * n + c]) continue;
            int c0 = c;
            while (c + 1 < n && it->bits[r * n + c + 1]) c++;
            rect(p, it->x + c0 * m, it->y + r * m, (c - c0 + 1) * m, m);
        }
    puts_(p->b, "f\n");
}

static void box(page_ctx *p, const pm_fitem *it)
{
    const pm_fbox *b = it->box;
    if (b->fill[0] >= 0) {
        colour(p, b->fill, 0);
        rect(p, it->x, it->y, it->w, it->h);
        puts_(p->b, "f\n");
    }
    double t = b->width;
    if (t <= 0 || !b->sides) return;
    colour(p, b->stroke, 0);
    if (b->sides & PM_SIDE_TOP) rect(p, it->x, it->y, it->w, t);
    if (b->sides & PM_SIDE_BOTTOM) rect(p, it->x, it->y + it->h - t, it->w, t);
    if (b->sides & PM_SIDE_LEFT) rect(p, it->x, it->y, t, it->h);
    if (b->sides & PM_SIDE_RIGHT) rect(p, it->x + it->w - t, it->y, t, it->h);
    puts_(p->b, "f\n");
}

static void fill(page_ctx *p, const pm_fitem *it)
{
    int a = (int)lround(it->rgba[3] * 100);
    if (a < 100) {
        int k = 0;
        while (k < p->c->nalpha && p->c->alpha[k] != a) k++;
        if (k == p->c->nalpha && k < 16) p->c->alpha[p->c->nalpha++] = a;
        char gs[32];
        snprintf(gs, sizeof gs, "q /A%d gs\n", a);
        puts_(p->b, gs);
    }
    colour(p, it->rgba, 0);
    rect(p, it->x, it->y, it->w, it->h);
    puts_(p->b, "f\n");
    if (a < 100) {
        puts_(p->b, "Q\n");
        p->fill[0] = -1;
    }
}

static void add_dest(page_ctx *p, const pm_fitem *it)
{
    pm_pcontent *c = p->c;
    if (!it->str) return;
    if (c->ndests == c->capdests) {
        c->capdests = c->capdests * 2 + 4;
        c->dests = pm_xrealloc(c->dests, (size_t)c->capdests * sizeof *c->dests);
    }
    c->dests[c->ndests++] = (pm_pdest){it->str, X(p, it->x), Y(p, it->y)};
}

/* Whether a line puts ink on the page: text that is not all white space. */
static int line_inked(const pm_line *line)
{
    for (int r = 0; r < line->nruns; r++) {
        const pm_run *run = &line->runs[r];
        if (!run->nglyphs) continue;
        for (int b = 0; b < run->nbytes; b++)
            if (run->utf8[b] != ' ' && run->utf8[b] != '\t' && run->utf8[b] != '\n') return 1;
        if (!run->nbytes) return 1;
    }
    return line->ndecos > 0;
}

static int item_inked(const pm_fitem *it)
{
    if (it->kind == PM_FI_LINE) return line_inked(it->line);
    return it->kind != PM_FI_DEST && it->kind != PM_FI_LINK && it->w > 0;
}

/* With bleed b, an image or a colour field touching the trim edge reaches on into the
 * bleed (as pdf.c's paint_bled): a field grown; an image scaled up about the centre of
 * its rectangle (or of the part of it that shows) grown into the bleed, to cover it, and
 * clipped to it (*clip). 0 if the item stays as it is. */
static int bled(const pm_page *pg, pm_fitem *it, double b, pm_rect *clip)
{
    if ((it->kind != PM_FI_IMAGE && it->kind != PM_FI_FILL) || b <= 0 || !(it->w > 0) || !(it->h > 0)) return 0;
    pm_rect a = it->clip ? *it->clip : (pm_rect){it->x, it->y, it->w, it->h};
    if (!(a.w > 0) || !(a.h > 0)) return 0;
    const double eps = 0.5;
    int l = a.x <= eps, t = a.y <= eps, rt = a.x + a.w >= pg->w - eps, bt = a.y + a.h >= pg->h - eps;
    if (!(l || t || rt || bt)) return 0;
    double r[4] = {a.x - (l ? b : 0), a.y - (t ? b : 0), a.x + a.w + (rt ? b : 0), a.y + a.h + (bt ? b : 0)};
    *clip = (pm_rect){r[0], r[1], r[2] - r[0], r[3] - r[1]};
    if (it->kind == PM_FI_FILL) {
        it->x = clip->x;
        it->y = clip->y;
        it->w = clip->w;
        it->h = clip->h;
        return 1;
    }
    double sc = fmax(clip->w / it->w, clip->h / it->h);
    it->w *= sc;
    it->h *= sc;
    it->x = clip->x + (clip->w - it->w) / 2;
    it->y = clip->y + (clip->h - it->h) / 2;
    it->clip = clip;
    return 1;
}

static void end_marked(page_ctx *p)
{
    if (p->marked != -2) puts_(p->b, "EMC\n");
    p->marked = -2;
}

static void paint_item(page_ctx *p, const pm_fitem *it)
{
    static const double black[3] = {0, 0, 0};
    switch (it->kind) {
    case PM_FI_LINE: show_line(p, it->line, it->x, it->y); break;
    case PM_FI_IMAGE: image(p, it); break;
    case PM_FI_VRULE:
    case PM_FI_RULE: {
        double y = it->kind == PM_FI_RULE ? it->y - it->h / 2 : it->y;
        colour(p, black, 0);
        rect(p, it->x, y, it->w, it->h);
        puts_(p->b, "f\n");
        break;
    }
    case PM_FI_FILL: fill(p, it); break;
    case PM_FI_QR: qr(p, it); break;
    case PM_FI_BOX: box(p, it); break;
    case PM_FI_LINK: break;
    case PM_FI_DEST: add_dest(p, it); break;
    }
}

/* An item painted as marked content: of its element (one sequence, one MCID, for the
 * items of an element that come one after another), or an artifact. */
static void tagged_item(page_ctx *p, const pm_page *pg, size_t i, pm_fitem *it)
{
    int inked = item_inked(it);
    int el = p->st ? pm_pstruct_item(p->st, pg, i, it, inked) : -1;
    p->el = el;
    if (!p->st || !inked || it->kind == PM_FI_DEST || it->kind == PM_FI_LINK) {
        paint_item(p, it);
        return;
    }
    if (p->marked != -2 && (el < 0 || el != p->marked)) end_marked(p);
    if (el >= 0 && p->marked != el) {
        puts_(p->b, "/");
        puts_(p->b, pm_pstruct_role(p->st, el));
        puts_(p->b, "<</MCID ");
        put_int(p->b, pm_pstruct_mcid(p->st, el));
        puts_(p->b, ">>BDC\n");
        p->marked = el;
    }
    if (el < 0) puts_(p->b, "/Artifact BMC\n");
    paint_item(p, it);
    if (el < 0) puts_(p->b, "EMC\n");
}

void pm_pcontent_page(pm_pcontent *c, const pm_page *pg, double bleed, pm_pdffonts *fonts, pm_pimages *images, int gray,
                      const pm_finish *fin, pm_pstruct *st)
{
    page_ctx p = {c, &c->content, pg->h + 2 * bleed, bleed, fonts, images, gray, fin, st, -1, -2, {-1, -1, -1}};
    size_t *ord = pm_xmalloc((pg->nitems + 1) * sizeof *ord);
    pm_struct_paint_order(pg, ord);
    if (st) pm_pstruct_page(st, pg->index);
    for (size_t k = 0; k < pg->nitems; k++) {
        pm_fitem it = pg->items[ord[k]];
        pm_rect clip; /* (an image into the bleed is clipped to it: it.clip) */
        bled(pg, &it, bleed, &clip);
        tagged_item(&p, pg, ord[k], &it);
    }
    end_marked(&p);
    if (st) pm_pstruct_page_end(st);
    free(ord);
}

void pm_pcontent_page_replay(pm_pcontent *c, const pm_page *pg, double bleed, pm_pdffonts *fonts,
                             pm_pimages *images, int gray, const pm_finish *fin, pm_pstruct *st,
                             const uint32_t *uses, int n)
{
    c->content.dry = 1;
    c->nfont_k = 0;
    pm_pcontent_page(c, pg, bleed, fonts, images, gray, fin, st);
    c->content.dry = 0;
    for (int i = 0; i < n; i++) {
        int len;
        if ((int)(uses[i] >> 16) < c->nfont_k) pm_pdffonts_use(fonts, c->font_k[uses[i] >> 16], uses[i] & 0xffff, &len);
    }
}

uint32_t *pm_pcontent_take_uses(pm_pcontent *c, int *n)
{
    uint32_t *u = c->uses;
    *n = c->nuses;
    free(c->seen);
    c->seen = NULL;
    c->uses = NULL;
    c->nuses = c->capuses = 0;
    return u;
}

/* ---- a page's key ------------------------------------------------------------------------ */

typedef struct {
    uint64_t h;
    const pm_snode *sn[64]; /* the page's structure nodes in the order first met: a node is
                               hashed as its place here, so that which items share one (the
                               elements and marked content made of them) is in the key */
    int nsn;
} keyer;

static void k_bytes(keyer *k, const void *p, size_t n) { k->h = pm_hash64w(k->h, p, n); }
static void k_num(keyer *k, double v) { k_bytes(k, &v, sizeof v); }
static void k_int(keyer *k, long v) { k_bytes(k, &v, sizeof v); }
static void k_str(keyer *k, const char *s) { s ? k_bytes(k, s, strlen(s) + 1) : k_int(k, -1); }

static void k_snode(keyer *k, const pm_snode *sn)
{
    for (; sn; sn = sn->up) {
        int i = 0;
        while (i < k->nsn && k->sn[i] != sn) i++;
        if (i == k->nsn && k->nsn < 64) k->sn[k->nsn++] = sn;
        k_int(k, i);
        k_str(k, sn->role);
        k_int(k, sn->col);
    }
    k_int(k, -2);
}

static void k_line(keyer *k, const pm_line *line, pm_pdffonts *fonts)
{
    k_num(k, line->ascent);
    k_num(k, line->descent);
    for (int r = 0; r < line->nruns; r++) {
        const pm_run *run = &line->runs[r];
        int f = pm_pdffonts_font(fonts, run->face);
        k_str(k, pm_face_name(run->face)); /* (family, style, size) */
        k_str(k, f >= 0 ? pm_pdffonts_name(fonts, f) : "raster");
        k_bytes(k, run->glyphs, (size_t)run->nglyphs * sizeof *run->glyphs);
        k_bytes(k, run->utf8, (size_t)run->nbytes);
        k_bytes(k, run->clusters, (size_t)run->nclusters * sizeof *run->clusters);
        k_bytes(k, run->rgb, sizeof run->rgb);
        k_int(k, run->nglyphs);
    }
    for (int i = 0; i < line->nlinks; i++) {
        k_num(k, line->links[i].x0);
        k_num(k, line->links[i].x1);
        k_str(k, line->links[i].url);
    }
    for (int i = 0; i < line->ndecos; i++) {
        const pm_line_deco *d = &line->decos[i];
        double v[7] = {d->x0, d->x1, d->y, d->t, d->rgb[0], d->rgb[1], d->rgb[2]};
        k_bytes(k, v, sizeof v);
        k_int(k, d->kind);
    }
    k_int(k, line->nruns);
}

/* An image's key as its content names it (the same as image_as finds). */
static uint64_t key_of_image(pm_pimages *im, pm_image *img)
{
    for (int i = 0; i < im->n; i++)
        if (im->img[i] == img) return im->key[i];
    return image_key(img);
}

uint64_t pm_pcontent_key(const pm_page *pg, uint64_t seed, pm_pdffonts *fonts, pm_pimages *images)
{
    keyer k = {.h = seed};
    double page[2] = {pg->w, pg->h}; /* (not its number: the content does not say it) */
    k_bytes(&k, page, sizeof page);
    for (size_t i = 0; i < pg->nitems; i++) {
        const pm_fitem *it = &pg->items[i];
        double geo[8] = {it->x, it->y, it->w, it->h, it->rgba[0], it->rgba[1], it->rgba[2], it->rgba[3]};
        k_int(&k, it->kind);
        k_bytes(&k, geo, sizeof geo);
        long ints[4] = {(long)it->flags, it->para, it->level, it->nlines};
        k_bytes(&k, ints, sizeof ints);
        k_str(&k, it->str);
        k_str(&k, it->title);
        k_snode(&k, it->sn);
        if (it->clip) k_bytes(&k, it->clip, sizeof *it->clip);
        if (it->box) k_bytes(&k, it->box, sizeof *it->box);
        if (it->bits && it->level > 0) k_bytes(&k, it->bits, (size_t)it->level * (size_t)it->level);
        if (it->image) {
            uint64_t ik = key_of_image(images, it->image);
            k_bytes(&k, &ik, sizeof ik);
            k_int(&k, it->image->orientation);
        }
        if (it->kind == PM_FI_LINE && it->line) k_line(&k, it->line, fonts);
    }
    return k.h ? k.h : 1;
}

void pm_pcontent_free(pm_pcontent *c)
{
    free(c->content.p);
    free(c->links);
    free(c->dests);
    free(c->uses);
    free(c->font_k);
    free(c->seen);
    memset(c, 0, sizeof *c);
}
