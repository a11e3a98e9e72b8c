/* paint.c - painting a page frame with cairo: shared by the PDF, booklet and PNG
 * writers (see paint.h). */
#include <cairo.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "output/paint.h"
#include "base/diag.h"
#include "text/fonts.h"

/* A run's glyphs and clusters go to cairo as they are: the same layout as cairo's. */
_Static_assert(sizeof(pm_glyph) == sizeof(cairo_glyph_t) && offsetof(pm_glyph, index) == offsetof(cairo_glyph_t, index) &&
                   offsetof(pm_glyph, x) == offsetof(cairo_glyph_t, x) && offsetof(pm_glyph, y) == offsetof(cairo_glyph_t, y),
               "pm_glyph is laid out as cairo_glyph_t");
_Static_assert(sizeof(pm_cluster) == sizeof(cairo_text_cluster_t) &&
                   offsetof(pm_cluster, num_bytes) == offsetof(cairo_text_cluster_t, num_bytes) &&
                   offsetof(pm_cluster, num_glyphs) == offsetof(cairo_text_cluster_t, num_glyphs),
               "pm_cluster is laid out as cairo_text_cluster_t");

static void show(cairo_t *cr, const pm_run *run, int g0, int g1, int b0, int b1, int c0, int c1)
{
    if (g1 <= g0) return;
    if (b1 > b0 && c1 > c0)
        cairo_show_text_glyphs(cr, run->utf8 + b0, b1 - b0, (const cairo_glyph_t *)run->glyphs + g0, g1 - g0,
                               (const cairo_text_cluster_t *)run->clusters + c0, c1 - c0, 0);
    else
        cairo_show_glyphs(cr, (const cairo_glyph_t *)run->glyphs + g0, g1 - g0);
}

static int link_at(const pm_line *line, double x)
{
    for (int i = 0; i < line->nlinks; i++)
        if (x >= line->links[i].x0 - 0.01 && x < line->links[i].x1 - 0.01) return i;
    return -1;
}

static void quote_attr(char *out, size_t n, const char *s);

/* A link target as the PDF needs it: cairo 1.16 writes it into a PDF string without
 * escaping, so a backslash or an unbalanced parenthesis would break the file; and a URI
 * is ASCII without spaces. Those bytes are percent-encoded. Truncated to fit n. */
static void uri_ascii(char *out, size_t n, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t o = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        int enc = *p <= 0x20 || *p >= 0x7f || *p == '\\' || *p == '(' || *p == ')';
        if (o + (enc ? 3 : 1) >= n) break;
        if (enc) {
            out[o++] = '%';
            out[o++] = hex[*p >> 4];
            out[o++] = hex[*p & 15];
        } else {
            out[o++] = (char)*p;
        }
    }
    out[o] = 0;
}

/* Show a run; with tags, the parts inside links are wrapped in link tags (cairo 1.16
   needs link tags around drawn content to write a consistent structure tree). */
static void show_run(cairo_t *cr, const pm_line *line, const pm_run *run, int tags)
{
    if (!tags || !line->nlinks || !run->nclusters) {
        show(cr, run, 0, run->nglyphs, 0, run->nbytes, 0, run->nclusters);
        return;
    }
    int g = 0, b = 0, c = 0;
    while (c < run->nclusters) {
        double cx = g < run->nglyphs ? run->glyphs[g].x : run->x1;
        int lk = link_at(line, cx);
        int g0 = g, b0 = b, c0 = c;
        while (c < run->nclusters) {
            double x = g < run->nglyphs ? run->glyphs[g].x : run->x1;
            if (link_at(line, x) != lk) break;
            g += run->clusters[c].num_glyphs;
            b += run->clusters[c].num_bytes;
            c++;
        }
        if (lk < 0) {
            show(cr, run, g0, g, b0, b, c0, c);
            continue;
        }
        const pm_line_link *L = &line->links[lk];
        char q[2048], attr[2300];
        double x0 = g0 < run->nglyphs ? run->glyphs[g0].x : L->x0;
        double x1 = g < run->nglyphs ? run->glyphs[g].x : run->x1;
        char u[2048];
        uri_ascii(u, sizeof u, L->url[0] == '#' ? L->url + 1 : L->url);
        quote_attr(q, sizeof q, u);
        /* cairo 1.16 takes a link's rect= in device space (the page, y down) and does not
           apply the current transformation to it: the line's own translation would be
           lost and every link would sit at the page's top-left corner. */
        double ux[2] = {x0, x1}, uy[2] = {-line->ascent, line->descent}, dx0 = 0, dy0 = 0, dx1 = 0, dy1 = 0;
        for (int k = 0; k < 4; k++) {
            double dx = ux[k & 1], dy = uy[k >> 1];
            cairo_user_to_device(cr, &dx, &dy);
            if (!k || dx < dx0) dx0 = dx;
            if (!k || dx > dx1) dx1 = dx;
            if (!k || dy < dy0) dy0 = dy;
            if (!k || dy > dy1) dy1 = dy;
        }
        snprintf(attr, sizeof attr, "rect=[%.3f %.3f %.3f %.3f] %s='%s'", dx0, dy0, dx1 - dx0, dy1 - dy0,
                 L->url[0] == '#' ? "dest" : "uri", q);
        cairo_tag_begin(cr, CAIRO_TAG_LINK, attr);
        show(cr, run, g0, g, b0, b, c0, c);
        cairo_tag_end(cr, CAIRO_TAG_LINK);
    }
}

/* The source colour; with PM_PAINT_GRAY (--gray) its luma (Rec. 601) as a neutral grey,
 * which the finishing pass writes as DeviceGray. */
static void source_rgba(cairo_t *cr, const double *rgb, double a, int flags)
{
    if (flags & PM_PAINT_GRAY) {
        double l = 0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2];
        l = round(l * 255) / 255; /* exactly 8-bit neutral: r = g = b */
        cairo_set_source_rgba(cr, l, l, l, a);
    } else {
        cairo_set_source_rgba(cr, rgb[0], rgb[1], rgb[2], a);
    }
}

void pm_paint_set_font(cairo_t *cr, cairo_scaled_font_t *sf, int flags)
{
    cairo_set_scaled_font(cr, sf);
    if (!(flags & PM_PAINT_VECTOR)) return;
    cairo_font_options_t *fo = cairo_font_options_create();
    cairo_scaled_font_get_font_options(sf, fo);
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_ON);
    cairo_set_font_options(cr, fo);
    cairo_font_options_destroy(fo);
}

void pm_paint_glyph_line(cairo_t *cr, const pm_line *line, double x, double y, int flags)
{
    int tags = flags & PM_PAINT_TAGS;
    cairo_save(cr);
    cairo_translate(cr, x, y);
    for (int r = 0; r < line->nruns; r++) {
        const pm_run *run = &line->runs[r];
        if (!run->nglyphs) continue;
        cairo_scaled_font_t *sf = pm_face_cairo(run->face);
        if (!sf) continue;
        pm_paint_set_font(cr, sf, flags);
        source_rgba(cr, run->rgb, 1, flags);
        show_run(cr, line, run, tags);
    }
    for (int k = 0; k < line->ndecos; k++) {
        const pm_line_deco *d = &line->decos[k];
        source_rgba(cr, d->rgb, 1, flags);
        if (d->kind == PM_DECO_WRAP) { /* ↵ : down from the x-height, then left to an arrowhead */
            double s = d->t * 20, w = d->x1 - d->x0, right = d->x0 + 0.8 * w, left = d->x0 + 0.15 * w, yb = -0.22 * s;
            cairo_set_line_width(cr, 0.07 * s);
            cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
            cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
            cairo_move_to(cr, right, -0.62 * s);
            cairo_line_to(cr, right, yb);
            cairo_line_to(cr, left, yb);
            cairo_move_to(cr, left + 0.2 * s, yb - 0.14 * s);
            cairo_line_to(cr, left, yb);
            cairo_line_to(cr, left + 0.2 * s, yb + 0.14 * s);
            cairo_stroke(cr);
            continue;
        }
        cairo_rectangle(cr, d->x0, d->y - d->t / 2, d->x1 - d->x0, d->t); /* strikethrough */
        cairo_fill(cr);
    }
    cairo_restore(cr);
}

/* A cairo tag attribute string value: quotes and backslashes escaped. */
static void quote_attr(char *out, size_t n, const char *s)
{
    size_t o = 0;
    for (; *s && o + 3 < n; s++) {
        if (*s == '\'' || *s == '\\') out[o++] = '\\';
        out[o++] = *s;
    }
    out[o] = 0;
}

/* A QR code: its quiet zone (4 modules) white, then every dark module a square of one
 * path filled at once, so that neighbouring squares join without seams. */
static void paint_qr(cairo_t *cr, const pm_fitem *it)
{
    int n = it->level;
    double m = it->w / n, q = 4 * m;
    cairo_save(cr);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_rectangle(cr, it->x - q, it->y - q, it->w + 2 * q, it->h + 2 * q);
    cairo_fill(cr);
    cairo_set_source_rgb(cr, 0, 0, 0);
    for (int r = 0; r < n; r++)
        for (int c = 0; c < n; c++) {
            if (!it->bits[r * n + c]) continue;
            int c0 = c;
            while (c + 1 < n && it->bits[r * n + c + 1]) c++; /* a row's run of dark modules */
            cairo_rectangle(cr, it->x + c0 * m, it->y + r * m, (c - c0 + 1) * m, m);
        }
    cairo_set_fill_rule(cr, CAIRO_FILL_RULE_WINDING);
    cairo_fill(cr);
    cairo_restore(cr);
}

/* A box: its fill, then its strokes (each side inside the rectangle, so that a box drawn
 * open at a page break and its continuation meet the text area exactly). */
static void paint_box(cairo_t *cr, const pm_fitem *it, int flags)
{
    const pm_fbox *b = it->box;
    cairo_save(cr);
    if (b->fill[0] >= 0) {
        source_rgba(cr, b->fill, 1, flags);
        cairo_rectangle(cr, it->x, it->y, it->w, it->h);
        cairo_fill(cr);
    }
    double t = b->width;
    if (t > 0 && b->sides) {
        source_rgba(cr, b->stroke, 1, flags);
        if (b->sides & PM_SIDE_TOP) cairo_rectangle(cr, it->x, it->y, it->w, t);
        if (b->sides & PM_SIDE_BOTTOM) cairo_rectangle(cr, it->x, it->y + it->h - t, it->w, t);
        if (b->sides & PM_SIDE_LEFT) cairo_rectangle(cr, it->x, it->y, t, it->h);
        if (b->sides & PM_SIDE_RIGHT) cairo_rectangle(cr, it->x + it->w - t, it->y, t, it->h);
        cairo_fill(cr);
    }
    cairo_restore(cr);
}

void pm_paint_page(cairo_t *cr, const pm_page *page, pm_image_sources *images, int flags)
{
    int tags = flags & PM_PAINT_TAGS;
    for (size_t i = 0; i < page->nitems; i++) {
        const pm_fitem *it = &page->items[i];
        switch (it->kind) {
        case PM_FI_LINE: pm_paint_glyph_line(cr, it->line, it->x, it->y, flags); break;
        case PM_FI_IMAGE:
            if (it->clip) {
                cairo_save(cr);
                cairo_rectangle(cr, it->clip->x, it->clip->y, it->clip->w, it->clip->h);
                cairo_clip(cr);
            }
            pm_image_paint(cr, it->image, images, it->x, it->y, it->w, it->h);
            if (it->clip) cairo_restore(cr);
            break;
        case PM_FI_VRULE:
            cairo_set_source_rgb(cr, 0, 0, 0);
            cairo_rectangle(cr, it->x, it->y, it->w, it->h);
            cairo_fill(cr);
            break;
        case PM_FI_FILL:
            source_rgba(cr, it->rgba, it->rgba[3], flags);
            cairo_rectangle(cr, it->x, it->y, it->w, it->h);
            cairo_fill(cr);
            break;
        case PM_FI_QR: paint_qr(cr, it); break;
        case PM_FI_RULE:
            cairo_save(cr);
            cairo_set_source_rgb(cr, 0, 0, 0);
            cairo_set_line_width(cr, it->h);
            cairo_move_to(cr, it->x, it->y);
            cairo_line_to(cr, it->x + it->w, it->y);
            cairo_stroke(cr);
            cairo_restore(cr);
            break;
        case PM_FI_BOX: paint_box(cr, it, flags); break;
        case PM_FI_LINK: break; /* drawn with their line's glyphs */
        case PM_FI_DEST: {
            if (!tags || !it->str) break;
            char q[512], attr[700];
            quote_attr(q, sizeof q, it->str);
            double dx = it->x, dy = it->y; /* in device space, as links' rects (cairo 1.16) */
            cairo_user_to_device(cr, &dx, &dy);
            snprintf(attr, sizeof attr, "name='%s' x=%.3f y=%.3f", q, dx, dy);
            cairo_tag_begin(cr, CAIRO_TAG_DEST, attr);
            cairo_tag_end(cr, CAIRO_TAG_DEST);
            break;
        }
        }
    }
}
