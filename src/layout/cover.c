/* cover.c - the designed pages at the ends of a pamphlet: the cover from the front matter
 * (a colour field, the picture framed or over the whole page, the title above, below or
 * over it with a tint band behind it, a logo, an issue line, author and date at the
 * foot) and the back cover's QR code of the front matter's url: (libqrencode), drawn as
 * vector squares with the text it encodes under it. */
#include <errno.h>
#include <math.h>
#include <qrencode.h>
#include <string.h>

#include "base/diag.h"
#include "layout/flow-imp.h"

/* ---- blocks of centred text ---- */

/* A short text set centred in a width, to be placed once its place is known. */
typedef struct cblock {
    pm_para pp;
    double size, lead, base, h; /* h: the lines' height (0: no text) */
} cblock;

static void set_block(fstate *fs, const char *text, const pm_font_spec *font, pm_align align, double w, cblock *b)
{
    memset(b, 0, sizeof *b);
    if (!text || !*text) return;
    pm_text *tp = pm_arena_alloc(fs->a, sizeof *tp);
    *tp = (pm_text){0};
    tp->utf8 = pm_arena_strdup(fs->a, text);
    tp->len = (uint32_t)strlen(text);
    tp->line = 1;
    pm_para_style st = {.font = font, .align = align, .width = w, .dir = fs->doc->meta.dir};
    pm_para_set(fs->set, tp, &st, fs->a, &b->pp);
    b->size = pm_font_size(fs->spec, font);
    b->lead = pm_font_leading(fs->spec, font);
    b->base = slot_base(b->lead, b->size);
    b->h = b->pp.nlines * b->lead;
}

/* The block's lines from y (the top of the first line's slot); returns the y below. */
static double put_block(fstate *fs, pm_page *pg, const cblock *b, double x, double y, unsigned flags)
{
    for (int k = 0; k < b->pp.nlines; k++) {
        pm_line_item(fs, pg, &b->pp.lines[k], x, y + b->base, b->lead, flags);
        y += b->lead;
    }
    return y;
}

static void fill_item(fstate *fs, pm_page *pg, double x, double y, double w, double h, const double rgb[3], double a)
{
    pm_fitem *f = pm_page_add(fs->lay, pg, PM_FI_FILL);
    f->x = x;
    f->y = y;
    f->w = w;
    f->h = h;
    for (int k = 0; k < 3; k++) f->rgba[k] = rgb[k];
    f->rgba[3] = a;
}

/* An image item; with a clip, it is scaled to cover the clip (cropped, centred). */
static pm_fitem *image_item(fstate *fs, pm_page *pg, pm_image *img, const char *src, double x, double y, double w,
                            double h, int crop)
{
    pm_fitem *im = pm_page_add(fs->lay, pg, PM_FI_IMAGE);
    im->image = pm_image_keep(img);
    im->str = src;
    if (img == fs->cover_img) { /* as figures warn (collect.c) */
        double iw = pm_image_width(img), ih = pm_image_height(img), s = crop ? fmax(w / iw, h / ih) : w / iw;
        double dpi = 72.0 / s;
        if (dpi < 150)
            pm_warn(fs->doc->path, fs->doc->meta.cover_line, 0,
                    "cover image '%s' is %.0f dpi at its printed size (%.0f x %.0f mm); below 150 dpi it will look "
                    "poor when copied", src, dpi, iw * s / 72 * 25.4, ih * s / 72 * 25.4);
    }
    if (!crop) {
        im->x = x;
        im->y = y;
        im->w = w;
        im->h = h;
        return im;
    }
    double iw = pm_image_width(img), ih = pm_image_height(img), s = fmax(w / iw, h / ih);
    pm_rect *clip = pm_arena_alloc(fs->a, sizeof *clip);
    *clip = (pm_rect){x, y, w, h};
    im->clip = clip;
    im->w = iw * s;
    im->h = ih * s;
    im->x = x + (w - im->w) / 2;
    im->y = y + (h - im->h) / 2;
    return im;
}

/* A tint band from above the capitals of block a's first line (its slot at y0) to below
 * the descenders of block b's last line (its slot at y1), with as much room round the
 * type above as below. */
static void ink_band(fstate *fs, pm_page *pg, double x, double w, double y0, const cblock *a, double y1,
                     const cblock *b)
{
    const pm_spec *sp = fs->spec;
    double pad = fs->L * 0.75;
    double top = y0 + a->base - 0.72 * a->size - pad, bottom = y1 + b->base + 0.25 * b->size + pad;
    fill_item(fs, pg, x, top, w, bottom - top, sp->cover_band.rgb, sp->cover_band_opacity);
}

/* ---- the cover ---- */

/* The logo's size: in its box (the layout's width x height, at most the text width and a
 * quarter of the text height), its proportions kept. */
static void logo_size(const fstate *fs, pm_image *logo, double tw, double th, double *w, double *h)
{
    const pm_spec *sp = fs->spec;
    double iw = pm_image_width(logo), ih = pm_image_height(logo);
    double bw = fmin(pm_spec_len(sp, sp->logo_w, tw), tw), bh = fmin(pm_spec_len(sp, sp->logo_h, th), th / 4);
    *w = bw;
    *h = bw * ih / iw;
    if (*h > bh) {
        *h = bh;
        *w = bh * iw / ih;
    }
}

static double logo_height(const fstate *fs, pm_image *logo, double tw, double th)
{
    double w, h;
    logo_size(fs, logo, tw, th, &w, &h);
    return h;
}

/* The logo at its place in the text area. */
static void place_logo(fstate *fs, pm_page *pg, pm_image *logo, double tx, double ty, double tw, double th)
{
    const pm_spec *sp = fs->spec;
    double w, h;
    logo_size(fs, logo, tw, th, &w, &h);
    int col = sp->logo_at % 3;
    double x = col == 0 ? tx : col == 1 ? tx + (tw - w) / 2 : tx + tw - w;
    double y = sp->logo_at >= PM_AT_BOTTOM_LEFT ? ty + th - h : ty;
    image_item(fs, pg, logo, fs->doc->meta.logo_src, x, y, w, h, 0);
}

/* A framed picture between top and bottom: whole (contain) and centred there, or the
 * text width x its height, cropped (fill); at the top of the room when the title goes
 * under it. Returns the box it shows in. */
static pm_rect frame_picture(fstate *fs, pm_page *pg, pm_image *img, double tx, double tw, double top, double bottom,
                             int at_top)
{
    const pm_spec *sp = fs->spec;
    double maxh = fmin(pm_spec_len(sp, sp->cover_image_height, sp->page_h), bottom - top);
    double iw = pm_image_width(img), ih = pm_image_height(img);
    double w = tw, h = w * ih / iw;
    if (sp->cover_fit == PM_FIT_FILL) h = maxh;
    else if (h > maxh) {
        h = maxh;
        w = h * iw / ih;
    }
    double x = tx + (tw - w) / 2, y = at_top ? top : top + (bottom - top - h) / 2;
    image_item(fs, pg, img, fs->doc->meta.cover_src, x, y, w, h, sp->cover_fit == PM_FIT_FILL);
    return (pm_rect){x, y, w, h};
}

/* A font spec like f at scale k of its size and leading. */
static const pm_font_spec *scaled_font(fstate *fs, const pm_font_spec *f, double k)
{
    pm_font_spec *g = pm_arena_alloc(fs->a, sizeof *g);
    *g = *f;
    g->size = (pm_len){PM_LEN_PT, pm_font_size(fs->spec, f) * k};
    g->leading = (pm_len){PM_LEN_PT, pm_font_leading(fs->spec, f) * k};
    return g;
}

/* The title and subtitle set in width w; a title too tall for the room is set smaller, in
 * steps, down to the body's size; lines that still do not fit are left off, with a
 * warning. Returns the height of the two. */
static double set_title(fstate *fs, double w, double room, cblock *title, cblock *sub)
{
    const pm_spec *sp = fs->spec;
    const pm_meta *m = &fs->doc->meta;
    set_block(fs, m->subtitle, &sp->cover_subtitle, PM_ALIGN_CENTER, w, sub);
    double sh = m->subtitle ? fs->L * 0.5 + sub->h : 0;
    const pm_font_spec *f = &sp->cover_title;
    double size = pm_font_size(sp, f), least = fmin(size, pm_spec_body_size(sp));
    set_block(fs, m->title, f, PM_ALIGN_CENTER, w, title);
    for (double k = 0.85; title->h + sh > room && size * k >= least - 1e-9; k -= 0.15)
        set_block(fs, m->title, scaled_font(fs, f, k), PM_ALIGN_CENTER, w, title);
    if (title->h + sh > room && title->pp.nlines > 1) {
        int fit = (int)floor((room - sh) / title->lead + 1e-6);
        if (fit < 1) fit = 1;
        pm_warn(fs->doc->path, 1, 0,
                "the title takes %d lines on the cover even at %.0f pt; only the first %d fit there",
                title->pp.nlines, title->size, fit);
        pm_hint("give the pamphlet a shorter 'title:' in the front matter (and a 'subtitle:')");
        title->pp.nlines = fit;
        title->h = fit * title->lead;
    }
    return title->h + sh;
}

void pm_make_cover(fstate *fs)
{
    const pm_spec *sp = fs->spec;
    const pm_meta *m = &fs->doc->meta;
    pm_page *pg = pm_layout_add_page(fs->lay, sp->page_w, sp->page_h);
    pg->kind = PM_PAGE_COVER;
    double tx, ty, tw, th;
    pm_spec_text_area(sp, m->dir != PM_DIR_RTL, &tx, &ty, &tw, &th); /* (a left-hand page in RTL) */
    pg->tx = tx;
    pg->ty = ty;
    pg->tw = tw;
    pg->th = th;
    pm_image *img = m->cover ? pm_flow_image(fs, m->cover, m->cover_line) : NULL;
    fs->cover_img = img;
    pm_image *logo = m->logo ? pm_flow_image(fs, m->logo, m->logo_line) : NULL;
    if (sp->cover_background.set) fill_item(fs, pg, 0, 0, sp->page_w, sp->page_h, sp->cover_background.rgb, 1);
    int full = img && sp->cover_image == PM_COVER_FULL_PAGE;
    if (full) image_item(fs, pg, img, m->cover_src, 0, 0, sp->page_w, sp->page_h, 1);
    int over = img && !full && sp->cover_title_at == PM_TITLE_OVER;
    int below = img && sp->cover_title_at == PM_TITLE_BELOW;

    /* what the logo and the issue line take at the top, and the foot: author, date (and
       the issue line) */
    double top = ty, bottom = ty + th;
    if (logo) bottom -= sp->logo_at >= PM_AT_BOTTOM_LEFT ? logo_height(fs, logo, tw, th) + fs->L : 0;
    if (logo) top += sp->logo_at < PM_AT_BOTTOM_LEFT ? logo_height(fs, logo, tw, th) + fs->L : 0;
    cblock author, date, issue;
    set_block(fs, m->author, &sp->cover_author, PM_ALIGN_CENTER, tw, &author);
    set_block(fs, m->date, &sp->cover_date, PM_ALIGN_CENTER, tw, &date);
    set_block(fs, m->issue, &sp->cover_issue, PM_ALIGN_CENTER, tw, &issue);
    double al = pm_font_leading(sp, &sp->cover_author), dl = pm_font_leading(sp, &sp->cover_date);
    double foot = 0;
    if (m->author) foot += al * 2;
    if (m->date) foot += dl;
    if (sp->issue_bottom) foot += issue.h;
    double fy = bottom - foot;
    if (issue.h && !sp->issue_bottom) top = put_block(fs, pg, &issue, tx, top, PM_FL_COVER) + fs->L;

    /* the title block (over a framed picture: as wide as the picture), and the picture */
    pm_rect pic = {tx, 0, tw, 0};
    if (over) pic = frame_picture(fs, pg, img, tx, tw, top, fy - fs->L, 0);
    cblock title, sub;
    double tb = set_title(fs, pic.w, fy - fs->L - top, &title, &sub);
    double y;
    if (full) y = below ? fy - fs->L - tb : top;
    else if (!img) y = fmax(top, fmin(ty + th * 0.22, fy - fs->L - tb));
    else if (below) {
        pic = frame_picture(fs, pg, img, tx, tw, top, fy - fs->L - tb - fs->L, 1);
        y = pic.y + pic.h + fs->L;
    } else if (over) y = pic.y + (pic.h - tb) / 2;
    else y = top;
    if (sp->cover_band.set && (full || over)) { /* a tint band behind the title, and the foot */
        double bx = full ? 0 : pic.x, bw = full ? sp->page_w : pic.w;
        const cblock *last = m->subtitle && sub.h ? &sub : &title;
        double end = y + tb - last->lead; /* the top of the block's last line */
        ink_band(fs, pg, bx, bw, y, &title, end, last);
        const cblock *f0 = m->author && author.h ? &author : m->date && date.h ? &date : NULL;
        const cblock *f1 = sp->issue_bottom && issue.h ? &issue : m->date && date.h ? &date : f0;
        double ft = (m->author ? author.h : 0) + (m->date ? date.h : 0) + (sp->issue_bottom ? issue.h : 0);
        if (full && f0) ink_band(fs, pg, bx, bw, fy, f0, fy + ft - f1->lead, f1);
    }
    y = put_block(fs, pg, &title, pic.x, y, PM_FL_COVER);
    if (m->subtitle) y = put_block(fs, pg, &sub, pic.x, y + fs->L * 0.5, PM_FL_COVER);
    double fy1 = fy;
    if (m->author) fy1 = put_block(fs, pg, &author, tx, fy1, PM_FL_COVER);
    if (m->date) fy1 = put_block(fs, pg, &date, tx, fy1, PM_FL_COVER);
    if (sp->issue_bottom) put_block(fs, pg, &issue, tx, fy1, PM_FL_COVER);
    if (img && !full && !below && !over) frame_picture(fs, pg, img, tx, tw, y + fs->L, fy - fs->L, 0);
    if (logo) place_logo(fs, pg, logo, tx, ty, tw, th);
    pm_finish_page(fs, pg);
}

/* ---- the back cover's QR code ---- */

#define QUIET 4 /* modules of blank around the symbol, as the QR standard asks */

typedef struct qr_block {
    unsigned char *bits; /* n x n, 1 = dark */
    int n;
    double size, quiet;  /* the symbol's side; its quiet zone's width */
    cblock text;         /* what it encodes, printed under it */
    double room;         /* taken off the back cover's text area */
} qr_block;

double pm_qr_prepare(fstate *fs)
{
    const pm_meta *m = &fs->doc->meta;
    const pm_spec *sp = fs->spec;
    if (!m->qr || !*m->qr) return 0;
    errno = 0;
    QRcode *code = QRcode_encodeString(m->qr, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    if (!code) {
        pm_error(fs->doc->path, m->qr_line, 0, "url: cannot be made into a QR code (%s)",
                 errno == ERANGE ? "too long: a QR code holds at most 2331 bytes at this error correction"
                                 : "libqrencode failed");
        if (!fs->rc) fs->rc = PM_EINPUT;
        return 0;
    }
    qr_block *q = pm_arena_alloc(fs->a, sizeof *q);
    q->n = code->width;
    q->bits = pm_arena_alloc(fs->a, (size_t)q->n * q->n);
    for (int k = 0; k < q->n * q->n; k++) q->bits[k] = code->data[k] & 1;
    QRcode_free(code);
    double tx, ty, tw, th;
    pm_spec_text_area(sp, 1, &tx, &ty, &tw, &th);
    q->size = fmin(pm_spec_len(sp, sp->qr_size, tw), tw * q->n / (q->n + 2 * QUIET));
    q->quiet = QUIET * q->size / q->n;
    double module = q->size / q->n * 25.4 / 72;
    if (module < 0.4) {
        pm_warn(fs->doc->path, m->qr_line, 0, "the QR code's modules come to %.2f mm; phones read 0.4 mm and up",
                module);
        pm_hint("make back-cover.qr.size larger, or the URL shorter");
    }
    static const pm_align al[3] = {PM_ALIGN_LEFT, PM_ALIGN_CENTER, PM_ALIGN_RIGHT};
    set_block(fs, m->qr, &sp->qr_text, al[sp->qr_at % 3], tw, &q->text);
    q->room = snap_up(q->size + 2 * q->quiet + q->text.h, fs->L);
    fs->qr = q;
    return q->room;
}

void pm_qr_room(const fstate *fs, double *ty, double *th)
{
    if (!fs->qr) return;
    if (fs->spec->qr_at < PM_AT_BOTTOM_LEFT) *ty += fs->qr->room;
    *th -= fs->qr->room;
}

void pm_qr_place(fstate *fs, pm_page *pg)
{
    const qr_block *q = fs->qr;
    if (!q) return;
    int col = fs->spec->qr_at % 3, top = fs->spec->qr_at < PM_AT_BOTTOM_LEFT;
    pm_fitem *it = pm_page_add(fs->lay, pg, PM_FI_QR);
    it->x = col == 0 ? pg->tx : col == 1 ? pg->tx + (pg->tw - q->size) / 2 : pg->tx + pg->tw - q->size;
    it->y = top ? pg->ty : pg->ty + pg->th - q->text.h - q->quiet - q->size;
    it->w = it->h = q->size;
    it->level = q->n;
    it->bits = q->bits;
    it->str = fs->doc->meta.qr;
    put_block(fs, pg, &q->text, pg->tx, it->y + q->size + q->quiet, PM_FL_QR);
}
