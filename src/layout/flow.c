/* flow.c - page building (see flow.h).
 *
 * Phases: collect (blocks -> a vertical list of lines, glue, penalties, figures and
 * table rows on a baseline grid of the body leading), compose (break the list into pages
 * at the least cost on each page, as TeX's page builder does; a figure that does not fit
 * floats to the top of the next page while text fills this one; footnotes go at the foot
 * of the page that refers to them, the last one split over the page when it does not
 * fit; a table's header is repeated on each page it goes on to), finish (cover, back
 * cover, running heads and page numbers). */
#include "layout/flow.h"

#include <glib.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/diag.h"
#include "base/fileio.h"

#define EPS 0.01
#define AWFUL_BAD 10000.0

typedef enum { V_LINE, V_GLUE, V_PENALTY, V_FIGURE, V_RULE } vkind;

typedef struct vfig {
    pm_image *img;
    double w, h;          /* image size on the page */
    pm_line *cap;         /* caption lines */
    int ncap;
    double cap_leading, cap_base, gap;
    const pm_block *blk;
} vfig;

typedef struct vitem {
    vkind kind;
    double h;             /* height on the page */
    double stretch;       /* glue */
    int penalty;
    const pm_line *line;  /* V_LINE */
    double x;             /* left edge within the text area */
    double base;          /* baseline below the item's top */
    const pm_line *marker; /* list marker hung left of the line */
    double marker_x;
    int para, lineno, nlines;
    int vp;               /* index of its paragraph record (fstate.paras), or -1 */
    const pm_block *heading; /* first line of a heading */
    vfig *fig;            /* V_FIGURE */
    double rule_w, rule_x, rule_at, rule_t; /* V_RULE: length, left edge in the text area,
                             where in the item's height (0..1), thickness */
    int cell;             /* V_LINE: a table cell's line */
    const struct vtable *tbl; /* a table's body rows (and what is between them): a page
                             that starts here repeats the table's header */
} vitem;

/* A table's header as vertical-list items (top rule, header lines, the rule under them),
 * copied, to be drawn again at the top of each page the table goes on to. */
typedef struct vtable {
    vitem *head;
    int nhead;
    double h;
} vtable;

typedef struct {
    vitem *v;
    size_t n, cap;
} vlist;

/* A body paragraph in the vertical list, kept so that it can be set again a line
 * longer or shorter to fill a page (TeX's \looseness, as a compositor would). */
typedef struct vpara {
    const pm_text *text;
    pm_para_style st;
    const pm_font_spec *font;
    double x;
    const pm_line *marker;
    double marker_x;
    int para;             /* paragraph number shown in the dump */
    size_t first;         /* vertical-list index of its first line */
    int nlines;
    double demerits;
    int loose;            /* the looseness it has been set with */
    pm_shaped *shaped;    /* kept while its page is being built, or NULL */
} vpara;

typedef struct notebox {
    pm_para para;
    double h;
} notebox;

typedef struct fstate {
    pm_setter *set;
    const pm_doc *doc;
    const pm_spec *spec;
    pm_layout *lay;
    pm_arena *a;
    double tw, th;        /* text area size (the same on every page) */
    double L;             /* body leading: the grid */
    int para_no;
    pm_imgcache *images;
    notebox *notes;
    double note_sep;
    int carry_note, carry_from; /* a note split at a page's foot: its number (0: none) and
                                   the first line still to place */
    vpara *paras;
    size_t nparas, capparas, released;
    int back;             /* collecting the back cover: centred, in the middle of the page */
    const pm_page_sink *sink;
    const char *section;  /* the level-1 section of the last page finished */
    GString *buf;
    int rc;
    pm_flow_stats *stats;
} fstate;

static vitem *vpush(vlist *l, vkind kind)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 256;
        l->v = pm_xrealloc(l->v, l->cap * sizeof *l->v);
    }
    vitem *it = &l->v[l->n++];
    memset(it, 0, sizeof *it);
    it->kind = kind;
    it->vp = -1;
    return it;
}

static void vglue(vlist *l, double h, double stretch)
{
    vitem *g = vpush(l, V_GLUE);
    g->h = h;
    g->stretch = stretch;
}

static void vpenalty(vlist *l, int p) { vpush(l, V_PENALTY)->penalty = p; }

static double snap_up(double v, double L) { return ceil(v / L - 1e-6) * L; }

/* baseline of a line in a slot of height h for a font of size sz */
static double slot_base(double h, double sz) { return h / 2 + 0.35 * sz; }

/* ---- collect ---- */

/* The lines of paragraph vp as vertical-list items, with widow and orphan penalties
 * between them. */
static void para_items(fstate *fs, vlist *vl, int vp, const pm_para *pp)
{
    const pm_spec *sp = fs->spec;
    vpara *P = &fs->paras[vp];
    int n = pp->nlines;
    double lead = pm_font_leading(sp, P->font), base = slot_base(lead, pm_font_size(sp, P->font));
    for (int i = 0; i < n; i++) {
        if (i > 0) vpenalty(vl, i < sp->orphans || n - i < sp->widows ? PM_INF_PENALTY : 0);
        vitem *it = vpush(vl, V_LINE);
        it->h = lead;
        it->line = &pp->lines[i];
        it->x = P->x;
        it->base = base;
        it->para = P->para;
        it->lineno = i;
        it->nlines = n;
        it->vp = vp;
        if (i == 0) {
            it->marker = P->marker;
            it->marker_x = P->marker_x;
        }
    }
}

static void add_lines(fstate *fs, vlist *vl, const pm_text *text, const pm_para_style *st, const pm_para *pp,
                      pm_shaped *shaped, double x, const pm_font_spec *font, const pm_line *marker,
                      double marker_x)
{
    if (fs->nparas == fs->capparas) {
        fs->capparas = fs->capparas ? fs->capparas * 2 : 64;
        fs->paras = pm_xrealloc(fs->paras, fs->capparas * sizeof *fs->paras);
    }
    int vp = (int)fs->nparas++;
    vpara *P = &fs->paras[vp];
    *P = (vpara){.text = text, .st = *st, .font = font, .x = x, .marker = marker, .marker_x = marker_x,
                 .para = ++fs->para_no, .first = vl->n, .nlines = pp->nlines, .demerits = pp->demerits,
                 .shaped = shaped};
    para_items(fs, vl, vp, pp);
}

static pm_image *load_image(fstate *fs, const char *path, int line)
{
    pm_image *img;
    int rc = pm_imgcache_get(fs->images, path, fs->doc->path, line, &img);
    if (rc) {
        if (!fs->rc) fs->rc = rc;
        return NULL;
    }
    return img;
}

static void add_figure(fstate *fs, vlist *vl, const pm_block *b)
{
    const pm_spec *sp = fs->spec;
    pm_image *img = load_image(fs, b->path, b->line);
    if (!img) return;
    double iw = pm_image_width(img), ih = pm_image_height(img);
    double maxw = fmin(pm_spec_len(sp, sp->fig_max_width, fs->tw), fs->tw);
    double maxh = pm_spec_len(sp, sp->fig_max_height, fs->th);
    double w = b->width > 0 ? b->width * fs->tw : b->width < 0 ? -b->width : maxw;
    if (w > maxw) w = maxw;
    double h = w * ih / iw;
    if (h > maxh) {
        h = maxh;
        w = h * iw / ih;
    }
    pm_para cap = {0};
    if (b->text.len) {
        pm_para_style cs = {.font = &sp->caption, .align = sp->caption_align, .width = fs->tw,
                            .hyphenate = sp->hyphenate};
        pm_para_set(fs->set, &b->text, &cs, fs->a, &cap);
    }
    double cl = pm_font_leading(sp, &sp->caption);
    double space = pm_spec_len(sp, sp->fig_space, fs->th);
    double gap = pm_spec_len(sp, sp->caption_gap, fs->th);
    double caph = cap.nlines ? gap + cap.nlines * cl : 0;
    double room = fs->th - caph - 2 * space;
    if (h > room) { /* taller than a page: scale down */
        double f = room / h;
        pm_warn(fs->doc->path, b->line, 0, "figure '%s' is taller than a page; scaled to %.0f%%", b->src,
                f * 100);
        if (fs->stats) fs->stats->figures_scaled++;
        h *= f;
        w *= f;
    }
    double dpi = iw / (w / 72.0);
    if (dpi < 150)
        pm_warn(fs->doc->path, b->line, 0,
                "image '%s' is %.0f dpi at its printed size (%.0f x %.0f mm); below 150 dpi it will look poor when copied",
                b->src, dpi, w / 72 * 25.4, h / 72 * 25.4);
    vfig *f = pm_arena_alloc(fs->a, sizeof *f);
    f->img = img;
    f->w = w;
    f->h = h;
    f->cap = cap.lines;
    f->ncap = cap.nlines;
    f->cap_leading = cl;
    f->cap_base = slot_base(cl, pm_font_size(sp, &sp->caption));
    f->gap = gap;
    f->blk = b;
    vitem *it = vpush(vl, V_FIGURE);
    it->h = fmin(snap_up(space + h + caph + space, fs->L), fs->th);
    it->fig = f;
}

static void add_heading(fstate *fs, vlist *vl, const pm_block *b, int first)
{
    const pm_spec *sp = fs->spec;
    const pm_heading_spec *hs = &sp->h[b->level - 1];
    double L = fs->L;
    pm_para_style st = {.font = &hs->font, .align = fs->back ? PM_ALIGN_CENTER : hs->align, .width = fs->tw,
                        .hyphenate = hs->hyphenate};
    pm_para pp;
    pm_para_set(fs->set, &b->text, &st, fs->a, &pp);
    double hl = pm_font_leading(sp, &hs->font);
    double before = pm_spec_len(sp, hs->space_before, fs->th);
    double after = pm_spec_len(sp, hs->space_after, fs->th);
    /* keep the grid: lines + space after, and the space before, are whole lines */
    double body = pp.nlines * hl + after;
    after += snap_up(body, L) - body;
    before = first ? 0 : L * round(before / L);
    if (hs->page_break && !first) vpenalty(vl, -PM_INF_PENALTY);
    else vglue(vl, 0, 0); /* a legal break before the heading */
    if (before > 0) vglue(vl, before, L * 0.5);
    double base = slot_base(hl, pm_font_size(sp, &hs->font));
    for (int k = 0; k < pp.nlines; k++) {
        if (k) vpenalty(vl, PM_INF_PENALTY);
        vitem *it = vpush(vl, V_LINE);
        it->h = hl;
        it->line = &pp.lines[k];
        it->base = base;
        if (k == 0) it->heading = b;
    }
    vpenalty(vl, PM_INF_PENALTY);
    vglue(vl, after, L * 0.25);
    vpenalty(vl, PM_INF_PENALTY); /* keep with what follows */
}

/* How paragraph block b is set, given the block before it. */
static pm_para_style para_style(fstate *fs, const pm_block *b, const pm_block *prev, double *left_out)
{
    const pm_spec *sp = fs->spec;
    double pspace = pm_spec_len(sp, sp->para_space, fs->th);
    double qind = pm_spec_len(sp, sp->quote_indent, fs->tw);
    double lind = pm_spec_len(sp, sp->list_indent, fs->tw);
    double left = b->quote * qind + b->list * lind, right = b->quote * qind;
    /* deeply nested quotes and lists indent no further once the column is down to a
       third of the text width (else the width goes negative and text leaves the page) */
    double room = fs->tw / 3;
    if (fs->tw - left - right < room && left + right > 0) {
        double k = (fs->tw - room) / (left + right);
        left *= k;
        right *= k;
    }
    const pm_font_spec *font = b->kind == PM_BLK_CODE ? &sp->code : b->quote ? &sp->quote : &sp->body;
    int follows_para = prev && (prev->kind == PM_BLK_PARA) && prev->list == b->list &&
                       prev->quote == b->quote && !b->item_first;
    int follows_heading = prev && prev->kind == PM_BLK_HEADING;
    double ind = 0;
    if (b->kind == PM_BLK_PARA && pspace == 0 && (follows_para || (follows_heading && sp->indent_after_heading)))
        ind = pm_spec_len(sp, sp->indent, fs->tw);
    *left_out = left;
    return (pm_para_style){.font = font,
                           .align = b->kind == PM_BLK_CODE ? PM_ALIGN_LEFT : fs->back ? PM_ALIGN_CENTER : sp->align,
                           .width = fs->tw - left - right,
                           .indent = fs->back ? 0 : ind,
                           .hyphenate = sp->hyphenate,
                           .code = b->kind == PM_BLK_CODE};
}

/* ---- tables ---- */

/* The widest word of a cell's text, set plain in font (a cell is set without breaking
 * a word where the room allows). */
static double widest_word(fstate *fs, const pm_text *t, const pm_font_spec *font)
{
    double w = 0;
    char word[256];
    const char *p = t->utf8;
    while (*p) {
        size_t n = strcspn(p, " ");
        if (n > 0 && n < sizeof word) {
            memcpy(word, p, n);
            word[n] = 0;
            const pm_line *l = pm_para_single(fs->set, word, font, fs->a);
            if (l && l->width > w) w = l->width;
        }
        p += n;
        while (*p == ' ') p++;
    }
    return w;
}

/* Lines a cell of natural width n takes in a column of width w, roughly: a ragged line
 * holds some nine tenths of its width. */
static double est_lines(double n, double w)
{
    return n <= w ? (n > 0) : ceil(n / (0.9 * w));
}

/* How good columns w are for a table whose cells are cn[r * nc + c] wide on one line:
 * its height in lines, counted four times, plus the lines of all its cells (so that
 * narrowing one cell of a tall row counts too: the row's other tall cells may follow). */
static double est_cost(int nr, int nc, const double *cn, const double *w)
{
    double h = 0, all = 0;
    for (int r = 0; r < nr; r++) {
        double m = 1;
        for (int c = 0; c < nc; c++) {
            double k = est_lines(cn[(size_t)r * nc + c], w[c]);
            m = fmax(m, k);
            all += k;
        }
        h += m;
    }
    return 4 * h + all;
}

/* What column c must widen by for a cell n wide on one line, now in k lines, to take
 * one line less. */
static double widen_for(double n, double k, double wc)
{
    return (k - 1 <= 1 ? n : n / (0.9 * (k - 1))) - wc + 0.01;
}

/* Try the move that widens the columns by dw (none wider than its natural width):
 * what it saves per point, and its size; -1 when it is no move or does not fit. */
static double try_move(int nr, int nc, const double *cn, double *w, const double *dw, const double *nat, double extra,
                       double cost0, double *size)
{
    double total = 0;
    for (int c = 0; c < nc; c++) total += dw[c];
    if (total <= 0) return -1;
    if (total < 1.0) total = 1.0; /* whole points: a few hundred steps at most */
    if (total > extra) return -1;
    for (int c = 0; c < nc; c++)
        if (dw[c] > 0 && w[c] + dw[c] > nat[c] + 0.02) return -1;
    for (int c = 0; c < nc; c++) w[c] += dw[c];
    double saved = cost0 - est_cost(nr, nc, cn, w);
    for (int c = 0; c < nc; c++) w[c] -= dw[c];
    *size = total;
    return saved / total;
}

/* Column widths for a table too wide to set at its natural widths: from each column's
 * widest word up, the room left goes step by step to the move that saves the most
 * (est_cost) per point. A move widens one column just enough to take a line off one of
 * its cells, or the columns of a row's tallest cells together, enough to take a line off
 * the row (of 64 rows spread over a longer table). What no move can use goes in proportion
 * to what columns still lack. */
static void share_columns(int nr, int nc, const double *cn, const double *nat, const double *minw, double avail,
                          double *w)
{
    double extra = avail;
    double *dw = pm_xcalloc((size_t)nc, sizeof *dw), *best_dw = pm_xcalloc((size_t)nc, sizeof *best_dw);
    int stride = (nr + 63) / 64; /* rows tried as moves: 64 at most, spread over the table */
    for (int c = 0; c < nc; c++) {
        w[c] = minw[c];
        extra -= w[c];
    }
    for (int guard = 0; extra > 0.5 && guard < 10000; guard++) {
        double cost0 = est_cost(nr, nc, cn, w), best_score = -1, best_size = 0, size;
        for (int c = 0; c < nc; c++) { /* one column */
            memset(dw, 0, (size_t)nc * sizeof *dw);
            double step = HUGE_VAL;
            for (int r = 0; r < nr; r++) {
                double n = cn[(size_t)r * nc + c], k = est_lines(n, w[c]);
                if (k > 1) step = fmin(step, widen_for(n, k, w[c]));
            }
            if (!(step < HUGE_VAL)) continue;
            dw[c] = step;
            double score = try_move(nr, nc, cn, w, dw, nat, extra, cost0, &size);
            if (score > best_score || (score == best_score && size < best_size)) {
                best_score = score;
                best_size = size;
                memcpy(best_dw, dw, (size_t)nc * sizeof *dw);
            }
        }
        for (int r = 0; r < nr; r += stride) { /* the tallest cells of a row */
            double m = 1;
            for (int c = 0; c < nc; c++) m = fmax(m, est_lines(cn[(size_t)r * nc + c], w[c]));
            if (m <= 1) continue;
            memset(dw, 0, (size_t)nc * sizeof *dw);
            for (int c = 0; c < nc; c++) {
                double n = cn[(size_t)r * nc + c];
                if (est_lines(n, w[c]) == m) dw[c] = widen_for(n, m, w[c]);
            }
            double score = try_move(nr, nc, cn, w, dw, nat, extra, cost0, &size);
            if (score > best_score || (score == best_score && size < best_size)) {
                best_score = score;
                best_size = size;
                memcpy(best_dw, dw, (size_t)nc * sizeof *dw);
            }
        }
        if (best_score < 0) break;
        double used = 0;
        for (int c = 0; c < nc; c++) used += best_dw[c];
        for (int c = 0; c < nc; c++) w[c] += best_dw[c] * (best_size / used); /* (a step below 1 pt, rounded up) */
        extra -= best_size;
    }
    free(dw);
    free(best_dw);
    double lack = 0;
    for (int c = 0; c < nc; c++) lack += fmax(nat[c] - w[c], 0);
    for (int c = 0; c < nc && extra > 0 && lack > 0; c++) w[c] += extra * fmax(nat[c] - w[c], 0) / lack;
}

/* A table: columns as wide as their widest cell when the whole fits (the table then
 * centred), else shared out by share_columns. Cells are ragged (or as the column's alignment says); booktabs-style rules above,
 * under the header and below; rows are never split. Everything in whole lines of the
 * grid. */
static void add_table(fstate *fs, vlist *vl, const pm_block *b)
{
    const pm_spec *sp = fs->spec;
    const double L = fs->L;
    double left;
    pm_para_style base = para_style(fs, b, NULL, &left);
    const pm_font_spec *font = base.font;
    const int nc = b->ncols, nr = b->nrows;
    const double lead = pm_font_leading(sp, font), size = pm_font_size(sp, font);
    const double gap = fmin(size, base.width / (4.0 * nc)); /* between columns */
    pm_font_spec bold = *font; /* the header's */
    bold.weight = 700;
    double *nat = pm_arena_array(fs->a, (size_t)nc, sizeof(double));
    double *minw = pm_arena_array(fs->a, (size_t)nc, sizeof(double));
    double *w = pm_arena_array(fs->a, (size_t)nc, sizeof(double));
    double *cn = pm_arena_array(fs->a, (size_t)nr * nc, sizeof(double)); /* each cell's width on one line */
    for (int r = 0; r < nr; r++)
        for (int c = 0; c < nc; c++) {
            const pm_text *t = &b->cells[(size_t)r * nc + c];
            if (!t->len) continue;
            pm_para pp;
            pm_para_style one = {.font = font, .align = PM_ALIGN_LEFT, .width = 1e5};
            pm_para_set(fs->set, t, &one, fs->a, &pp);
            for (int l = 0; l < pp.nlines; l++) {
                nat[c] = fmax(nat[c], pp.lines[l].width);
                cn[(size_t)r * nc + c] += pp.lines[l].width;
            }
            minw[c] = fmax(minw[c], widest_word(fs, t, r < b->header_rows ? &bold : font));
        }
    double avail = base.width - gap * (nc - 1), sum_nat = 0, sum_min = 0;
    int quiet = 0;
    for (int c = 0; c < nc; c++) {
        nat[c] = fmax(nat[c], size); /* an empty column keeps a little room */
        minw[c] = fmin(fmax(minw[c], size), nat[c]);
        sum_nat += nat[c];
        sum_min += minw[c];
    }
    if (sum_nat <= avail) {
        for (int c = 0; c < nc; c++) w[c] = nat[c];
    } else if (sum_min >= avail) { /* words will break */
        for (int c = 0; c < nc; c++) w[c] = minw[c] * avail / sum_min;
        pm_warn(fs->doc->path, b->line, 0,
                "this table's %d columns need %.0f pt for their longest words, but the text is %.0f pt "
                "wide: words in its cells are broken", nc, sum_min + gap * (nc - 1), base.width);
        pm_hint("fewer columns, shorter words, or a wider page in the layout");
        quiet = 1;
    } else {
        share_columns(nr, nc, cn, nat, minw, avail, w);
    }
    double width = gap * (nc - 1);
    for (int c = 0; c < nc; c++) width += w[c];
    double x0 = left + (width < base.width ? (base.width - width) / 2 : 0);
    double base_y = slot_base(lead, size);

    vglue(vl, 0, 0); /* a legal break before the table */
    size_t top_at = vl->n;
    vitem *top = vpush(vl, V_RULE);
    *top = (vitem){.kind = V_RULE, .h = L, .vp = -1, .rule_w = width, .rule_x = x0, .rule_at = 0.75, .rule_t = 0.8};
    vpenalty(vl, PM_INF_PENALTY);
    double used = L;
    vtable *tbl = NULL;      /* once the header is done */
    size_t body_at = vl->n;
    /* every cell set; a table whose body rows are often of several lines gets half a
       line between rows, so that they read as rows */
    pm_para *cells = pm_arena_array(fs->a, (size_t)nr * nc, sizeof(pm_para));
    int *rowlines = pm_arena_array(fs->a, (size_t)nr, sizeof(int)), multi = 0;
    for (int r = 0; r < nr; r++) {
        rowlines[r] = 1;
        for (int c = 0; c < nc; c++) {
            const pm_text *t = &b->cells[(size_t)r * nc + c];
            pm_para *cp = &cells[(size_t)r * nc + c];
            if (!t->len) continue;
            static const pm_align al[] = {['l'] = PM_ALIGN_LEFT, ['c'] = PM_ALIGN_CENTER, ['r'] = PM_ALIGN_RIGHT};
            char a = b->aligns[c];
            pm_para_style st = {.font = font, .align = a ? al[(unsigned char)a] : PM_ALIGN_LEFT, .width = w[c],
                                .hyphenate = sp->hyphenate, .quiet = quiet};
            pm_para_set(fs->set, t, &st, fs->a, cp);
            if (cp->nlines > rowlines[r]) rowlines[r] = cp->nlines;
        }
        if (r >= b->header_rows && rowlines[r] > 1) multi++;
    }
    int spaced = 3 * multi >= nr - b->header_rows;
    for (int r = 0; r < nr; r++) {
        int rows = rowlines[r];
        const pm_para *cellp = &cells[(size_t)r * nc];
        if (r > b->header_rows && spaced) { /* a legal break, too */
            vglue(vl, L / 2, 0);
            used += L / 2;
        } else if (r > 0 && r != b->header_rows) {
            vpenalty(vl, r == b->header_rows + 1 || r == nr - 1 ? 100 : 0); /* a legal break between rows */
        }
        for (int l = 0; l < rows; l++) {
            if (l) vpenalty(vl, PM_INF_PENALTY); /* a row stays whole */
            vitem *last = NULL;
            double xc = x0;
            for (int c = 0; c < nc; xc += w[c] + gap, c++) {
                if (l >= cellp[c].nlines) continue;
                vitem *it = vpush(vl, V_LINE);
                it->line = &cellp[c].lines[l];
                it->x = xc;
                it->base = base_y;
                it->cell = 1;
                last = it;
            }
            if (last) last->h = lead;
            else vglue(vl, lead, 0); /* an empty row */
            used += lead;
        }
        if (r == b->header_rows - 1 && r < nr - 1) {
            vpenalty(vl, PM_INF_PENALTY);
            vitem *mid = vpush(vl, V_RULE);
            *mid = (vitem){.kind = V_RULE, .h = L, .vp = -1, .rule_w = width, .rule_x = x0, .rule_at = 0.5,
                           .rule_t = 0.5};
            vpenalty(vl, PM_INF_PENALTY); /* the header stays with the first row */
            used += L;
            tbl = pm_arena_alloc(fs->a, sizeof *tbl);
            tbl->nhead = 0;
            tbl->h = 0;
            tbl->head = pm_arena_array(fs->a, vl->n - top_at, sizeof(vitem));
            for (size_t k = top_at; k < vl->n; k++) {
                if (vl->v[k].kind != V_LINE && vl->v[k].kind != V_RULE) continue;
                tbl->head[tbl->nhead++] = vl->v[k];
                tbl->h += vl->v[k].h;
            }
            body_at = vl->n;
        }
    }
    for (size_t k = body_at; tbl && k < vl->n; k++) vl->v[k].tbl = tbl;
    vpenalty(vl, PM_INF_PENALTY);
    vitem *bot = vpush(vl, V_RULE);
    double h = L + snap_up(used, L) - used; /* back on the grid */
    *bot = (vitem){.kind = V_RULE, .h = h, .vp = -1, .rule_w = width, .rule_x = x0, .rule_at = 0.25 * L / h,
                   .rule_t = 0.8};
}

/* Shape the first paragraphs before breaking any: the hyphenation patterns, loading on
 * the other core, are then ready when the first paragraph needs them. */
#define PRESHAPE 12
static void preshape(fstate *fs, size_t from, size_t to, pm_shaped **pre)
{
    const pm_block *prev = NULL;
    int n = 0;
    for (size_t i = from; i < to && i - from < PRESHAPE * 4 && n < PRESHAPE; i++) {
        const pm_block *b = &fs->doc->blocks[i];
        if (b->kind == PM_BLK_PAGEBREAK) {
            prev = NULL;
            continue;
        }
        if ((b->kind == PM_BLK_PARA || b->kind == PM_BLK_CODE) && b->text.len) {
            double left;
            pm_para_style st = para_style(fs, b, prev, &left);
            pre[i - from] = pm_para_shape(fs->set, &b->text, &st);
            n++;
        }
        prev = b;
    }
}

/* Blocks become vertical-list items as the page builder needs them, so that pages can
 * be finished (and written) while later paragraphs are still to be set. */
typedef struct collector {
    size_t to, next;          /* blocks [next, to) are still to come */
    size_t from;
    const pm_block *prev;
    pm_shaped *pre[PRESHAPE * 4];
} collector;

static void collector_init(fstate *fs, collector *c, size_t from, size_t to)
{
    memset(c, 0, sizeof *c);
    c->from = c->next = from;
    c->to = to;
    if (!pm_setter_keeps(fs->set)) preshape(fs, from, to, c->pre);
}

static void collector_done(collector *c)
{
    for (size_t k = 0; k < PRESHAPE * 4; k++) pm_shaped_drop(c->pre[k]); /* unused after an error */
}

/* Add the items of the next block. Returns 0 when there are no more blocks. */
static int collect_next(fstate *fs, vlist *vl, collector *c)
{
    if (c->next >= c->to || fs->rc) return 0;
    const pm_spec *sp = fs->spec;
    double pspace = pm_spec_len(sp, sp->para_space, fs->th);
    double lspace = pm_spec_len(sp, sp->list_item_space, fs->th);
    size_t i = c->next++;
    const pm_block *b = &fs->doc->blocks[i];
    const pm_block *prev = c->prev;
    switch (b->kind) {
    case PM_BLK_PAGEBREAK:
        vpenalty(vl, -PM_INF_PENALTY);
        c->prev = NULL;
        break;
    case PM_BLK_RULE: {
        vglue(vl, 0, 0);
        vitem *r = vpush(vl, V_RULE);
        r->h = 2 * fs->L;
        r->rule_w = fs->tw / 4;
        r->rule_x = (fs->tw - r->rule_w) / 2;
        r->rule_at = 0.5;
        r->rule_t = 0.5;
        c->prev = b;
        break;
    }
    case PM_BLK_FIGURE:
        vglue(vl, 0, 0);
        add_figure(fs, vl, b);
        c->prev = b;
        break;
    case PM_BLK_HEADING:
        add_heading(fs, vl, b, prev == NULL);
        c->prev = b;
        break;
    case PM_BLK_TABLE:
        add_table(fs, vl, b);
        c->prev = b;
        break;
    case PM_BLK_PARA:
    case PM_BLK_CODE: {
        double left;
        pm_para_style st = para_style(fs, b, prev, &left);
        const pm_font_spec *font = st.font;
        pm_para pp;
        pm_shaped *sh = NULL;
        if (i - c->from < PRESHAPE * 4) {
            sh = c->pre[i - c->from];
            c->pre[i - c->from] = NULL;
        }
        if (pm_setter_keeps(fs->set)) { /* watch mode: from the cache if unchanged */
            pm_para_set(fs->set, &b->text, &st, fs->a, &pp);
        } else { /* keep the shaped text: the page builder may set it again */
            if (!sh) sh = pm_para_shape(fs->set, &b->text, &st);
            pm_para_break(fs->set, sh, 0, fs->a, &pp);
        }
        if (!pp.nlines) {
            pm_shaped_drop(sh);
            break;
        }
        if (prev) {
            double s = 0;
            if (b->list && prev->list && b->item_first) s = b->tight ? lspace : fmax(lspace, pspace);
            else if (prev->kind == PM_BLK_PARA || prev->kind == PM_BLK_CODE) s = pspace;
            /* a little stretch between paragraphs: when no paragraph on a page can be
               set a line longer or shorter, the gaps take up the missing line (TeX's
               flush bottom), so facing pages still end on one baseline */
            vglue(vl, s, fs->L * 0.25);
        }
        const pm_line *marker = NULL;
        double mx = 0;
        if (b->marker && b->item_first) {
            marker = pm_para_single(fs->set, b->marker, font, fs->a);
            mx = fmax(left - pm_font_size(sp, font) * 0.5 - marker->width, 0);
        }
        add_lines(fs, vl, &b->text, &st, &pp, sh, left, font, marker, mx);
        c->prev = b;
        break;
    }
    }
    return 1;
}

/* Collect until the list from item i holds three pages' worth (more than the page
 * builder looks at: one page, plus what setting a paragraph again can move), or all. */
static void collect_ahead(fstate *fs, vlist *vl, collector *c, size_t i)
{
    double h = 0;
    size_t k = i;
    for (;;) {
        for (; k < vl->n && h < 3 * fs->th; k++)
            if (vl->v[k].kind != V_FIGURE) h += vl->v[k].h;
        if (h >= 3 * fs->th && vl->n > i + 40) return;
        if (!collect_next(fs, vl, c)) return;
    }
}

/* ---- compose ---- */

typedef struct page_plan {
    size_t from, to;        /* vertical list items [from, to) */
    vfig **top;             /* floated figures placed at the top */
    int ntop;
    size_t *floated;        /* figure items in [from, to) moved to a later page */
    int nfloated;
    double ratio;           /* glue stretch ratio (flush bottom), 0 = natural */
    int middle;             /* centre the content vertically (the back cover) */
    int split_note, split_k; /* the last note on the page: only its first split_k lines */
    const vtable *repeat;   /* a table goes on here: its header first */
} page_plan;

static pm_fitem *line_item(fstate *fs, pm_page *pg, const pm_line *line, double x, double y, double h,
                           unsigned flags)
{
    pm_fitem *li = pm_page_add(fs->lay, pg, PM_FI_LINE);
    li->line = line;
    li->x = x;
    li->y = y;
    li->w = line->width;
    li->h = h;
    li->flags = flags;
    return li;
}

static double draw_figure(fstate *fs, pm_page *pg, const vfig *f, double tx, double y, double top)
{
    pm_fitem *im = pm_page_add(fs->lay, pg, PM_FI_IMAGE);
    im->x = tx + (fs->tw - f->w) / 2;
    im->y = y + top;
    im->w = f->w;
    im->h = f->h;
    im->image = pm_image_keep(f->img);
    im->str = f->blk->src;
    double cy = y + top + f->h + f->gap;
    for (int c = 0; c < f->ncap; c++) {
        line_item(fs, pg, &f->cap[c], tx, cy + f->cap_base, f->cap_leading, PM_FL_CAPTION);
        cy += f->cap_leading;
    }
    return cy;
}

/* Height of a figure floated to the top of a page: no space above it, its space below. */
static double float_height(const fstate *fs, const vfig *f)
{
    double content = f->h + (f->ncap ? f->gap + f->ncap * f->cap_leading : 0);
    return fmin(snap_up(content + pm_spec_len(fs->spec, fs->spec->fig_space, fs->th), fs->L), fs->th);
}

static int is_floated(const page_plan *pl, size_t i)
{
    for (int k = 0; k < pl->nfloated; k++)
        if (pl->floated[k] == i) return 1;
    return 0;
}

/* Lines of the carried note (the rest of one split on the page before) that go at the
 * top of this page's notes: all of them, unless they would leave no room for a line of
 * text (a note longer than a page goes on over several). */
static int carried_lines(const fstate *fs)
{
    if (!fs->carry_note) return 0;
    const pm_para *p = &fs->notes[fs->carry_note - 1].para;
    int rest = p->nlines - fs->carry_from;
    int fit = (int)floor((fs->th - fs->L - fs->note_sep) / p->leading + 1e-6);
    if (fit < 1) fit = 1;
    return rest < fit ? rest : fit;
}

/* Penalty for a page whose last note goes on over the page: TeX lets a footnote split
 * where the page would otherwise end short; a split costs a little. */
#define SPLIT_NOTE_PENALTY 100

/* Note no, met on a line that makes the page used tall with notes_h of notes before it,
 * does not fit whole: the number of its lines that do fit at the foot, when it may be
 * split there (two lines at least on each side, not after a broken word), else 0. */
static int note_split(const fstate *fs, int no, double used, double notes_h)
{
    const pm_para *p = &fs->notes[no - 1].para;
    for (int k = p->nlines - 2; k >= 2; k--) /* never after a hyphenated line, as TeX */
        if (!p->lines[k - 1].hyphenated && used + snap_up(notes_h + k * p->leading, fs->L) <= fs->th + EPS)
            return k;
    return 0;
}

/* A V_RULE item whose top is at y, on a page whose text area starts at tx. */
static void rule_item(fstate *fs, pm_page *pg, const vitem *it, double tx, double y)
{
    pm_fitem *r = pm_page_add(fs->lay, pg, PM_FI_RULE);
    r->x = tx + it->rule_x;
    r->y = y + it->h * it->rule_at;
    r->w = it->rule_w;
    r->h = it->rule_t;
}

/* Lines [from, to) of note no at the foot of the page, from y; returns the y below. */
static double note_lines(fstate *fs, pm_page *pg, int no, int from, int to, double x, double y)
{
    const notebox *nb = &fs->notes[no - 1];
    double base = slot_base(nb->para.leading, pm_font_size(fs->spec, &fs->spec->footnote));
    for (int l = from; l < to; l++) {
        line_item(fs, pg, &nb->para.lines[l], x, y + base, nb->para.leading, PM_FL_NOTE);
        y += nb->para.leading;
    }
    return y;
}

static void emit_page(fstate *fs, vlist *vl, pm_page *pg, const page_plan *pl, int right)
{
    double tx, ty, tw, th;
    pm_spec_text_area(fs->spec, right, &tx, &ty, &tw, &th);
    pg->tx = tx;
    pg->ty = ty;
    pg->tw = tw;
    pg->th = th;
    double y = ty;
    if (pl->middle) { /* the content's height, to set it in the middle of the page */
        double h = 0;
        for (size_t i = pl->from; i < pl->to; i++)
            if (vl->v[i].kind != V_PENALTY && !(vl->v[i].kind == V_GLUE && i == pl->from)) h += vl->v[i].h;
        if (h < th) y += floor((th - h) / 2 / fs->L) * fs->L; /* whole lines: on the grid */
    }
    for (int k = 0; k < pl->ntop; k++) {
        vfig *f = pl->top[k];
        double h = float_height(fs, f);
        draw_figure(fs, pg, f, tx, y, 0);
        y += h;
    }
    for (int k = 0; pl->repeat && k < pl->repeat->nhead; k++) { /* (no links or notes again) */
        const vitem *it = &pl->repeat->head[k];
        if (it->kind == V_RULE) {
            rule_item(fs, pg, it, tx, y);
        } else {
            line_item(fs, pg, it->line, tx + it->x, y + it->base, it->h, PM_FL_CELL);
        }
        y += it->h;
    }
    int nnotes = 0, notes[128];
    for (size_t i = pl->from; i < pl->to; i++) {
        vitem *it = &vl->v[i];
        if (is_floated(pl, i)) continue;
        switch (it->kind) {
        case V_GLUE:
            y += it->h + pl->ratio * it->stretch;
            break;
        case V_PENALTY: break;
        case V_RULE:
            rule_item(fs, pg, it, tx, y);
            y += it->h;
            break;
        case V_FIGURE: {
            vfig *f = it->fig;
            double content = f->h + (f->ncap ? f->gap + f->ncap * f->cap_leading : 0);
            double top = y <= ty + EPS ? 0 : (it->h - content) / 2;
            draw_figure(fs, pg, f, tx, y, top);
            y += it->h;
            break;
        }
        case V_LINE: {
            if (it->heading) {
                pm_fitem *d = pm_page_add(fs->lay, pg, PM_FI_DEST);
                d->x = tx;
                d->y = y;
                d->str = it->heading->id;
                d->title = it->heading->text.utf8;
                d->level = it->heading->level;
            }
            pm_fitem *li = line_item(fs, pg, it->line, tx + it->x, y + it->base, it->h,
                                     it->cell ? PM_FL_CELL : it->heading || !it->para ? PM_FL_HEADING : 0);
            li->para = it->para;
            li->lineno = it->lineno;
            li->nlines = it->nlines;
            if (it->marker) line_item(fs, pg, it->marker, tx + it->marker_x, y + it->base, it->h, PM_FL_MARKER);
            for (int l = 0; l < it->line->nlinks; l++) {
                const pm_line_link *lk = &it->line->links[l];
                pm_fitem *k = pm_page_add(fs->lay, pg, PM_FI_LINK);
                k->x = tx + it->x + lk->x0;
                k->w = lk->x1 - lk->x0;
                k->y = y + it->base - it->line->ascent;
                k->h = it->line->ascent + it->line->descent;
                k->str = lk->url;
            }
            for (int k = 0; k < it->line->nnotes && nnotes < 128; k++) {
                int no = it->line->notes[k], dup = 0;
                for (int q = 0; q < nnotes; q++) dup |= notes[q] == no;
                if (!dup && no >= 1 && (size_t)no <= fs->doc->nnotes) notes[nnotes++] = no;
            }
            y += it->h;
            break;
        }
        }
    }
    /* the notes: the rest of one carried from the page before, then this page's, the
       last maybe split (the same sums as find_page's, so they land where it counted) */
    int carried = carried_lines(fs);
    if (!nnotes && !carried) return;
    double h = fs->note_sep;
    if (carried) h += carried * fs->notes[fs->carry_note - 1].para.leading;
    for (int k = 0; k < nnotes; k++) {
        const notebox *nb = &fs->notes[notes[k] - 1];
        h += notes[k] == pl->split_note ? pl->split_k * nb->para.leading : nb->h;
    }
    double ny = ty + th - snap_up(h, fs->L) + fs->note_sep;
    pm_fitem *r = pm_page_add(fs->lay, pg, PM_FI_RULE);
    r->x = tx;
    r->y = ny - fs->note_sep / 2;
    r->w = tw / 4;
    r->h = 0.4;
    if (carried) {
        ny = note_lines(fs, pg, fs->carry_note, fs->carry_from, fs->carry_from + carried, tx, ny);
        fs->carry_from += carried;
        if (fs->carry_from >= fs->notes[fs->carry_note - 1].para.nlines) fs->carry_note = 0;
    }
    for (int k = 0; k < nnotes; k++) {
        const notebox *nb = &fs->notes[notes[k] - 1];
        int split = notes[k] == pl->split_note && !fs->carry_note;
        ny = note_lines(fs, pg, notes[k], 0, split ? pl->split_k : nb->para.nlines, tx, ny);
        if (split) {
            fs->carry_note = notes[k];
            fs->carry_from = pl->split_k;
        }
    }
}

/* The best page break from item i of v[0..n): TeX's page builder, cost = badness of the
 * page (how far its glue must stretch) + the penalty at the break, least cost wins,
 * later breaks win ties. used0: height already taken by floated figures; queued:
 * figures are waiting, so a figure met now floats too. */
typedef struct page_break {
    size_t best;          /* the page is [i, best); best is the break item */
    int nfloated;         /* figures in [i, best) floated to a later page (in floated[]) */
    double ratio;         /* glue stretch ratio */
    double cost, shortfall;
    int forced, end;
    int split_note, split_k; /* a note split at the foot of the page (see note_split) */
} page_break;

static void find_page(fstate *fs, const vitem *v, size_t n, size_t i, double used0, int queued, size_t *floated,
                      int *seen, page_break *r)
{
    const double th = fs->th;
    double used = used0, stretch = 0, notes_h = 0;
    int nfl = 0, any_note = 0;
    int carried = carried_lines(fs);
    if (carried) {
        notes_h = fs->note_sep + carried * fs->notes[fs->carry_note - 1].para.leading;
        any_note = 1;
    }
    /* a note split on this page; splitting is for a carried note that ends here */
    int split_no = 0, split_k = 0, split_before = 0, k_before = 0;
    int may_split = !fs->carry_note || carried == fs->notes[fs->carry_note - 1].para.nlines - fs->carry_from;
    memset(r, 0, sizeof *r);
    r->best = n;
    r->cost = HUGE_VAL;
    memset(seen, 0, (fs->doc->nnotes + 1) * sizeof(int));
    size_t j;
    for (j = i; j < n; j++) {
        const vitem *it = &v[j];
        split_before = split_no;
        k_before = split_k;
        int legal = it->kind == V_PENALTY ||
                    (it->kind == V_GLUE && j > i &&
                     (v[j - 1].kind == V_LINE || v[j - 1].kind == V_FIGURE || v[j - 1].kind == V_RULE));
        if (legal && j > i) {
            int pen = it->kind == V_PENALTY ? it->penalty : 0;
            if (pen < PM_INF_PENALTY) {
                double content = used + (any_note ? snap_up(notes_h, fs->L) : 0);
                double shortfall = th - content, b;
                if (shortfall < -EPS) break;
                if (shortfall <= EPS) b = 0;
                else if (stretch > 0) b = fmin(100 * pow(shortfall / stretch, 3), AWFUL_BAD);
                else b = AWFUL_BAD;
                double cost = pen <= -PM_INF_PENALTY ? pen : b + pen + (split_no ? SPLIT_NOTE_PENALTY : 0);
                if (cost <= r->cost) {
                    r->cost = cost;
                    r->best = j;
                    r->split_note = split_no;
                    r->split_k = split_k;
                    r->nfloated = nfl;
                    r->shortfall = shortfall > 0 ? shortfall : 0;
                    r->ratio = (b < AWFUL_BAD && shortfall > EPS && stretch > 0) ? fmin(shortfall / stretch, 2) : 0;
                }
                if (pen <= -PM_INF_PENALTY) {
                    r->forced = 1;
                    r->ratio = 0;
                    return;
                }
            }
        }
        if (it->kind == V_LINE) {
            used += it->h;
            for (int k = 0; k < it->line->nnotes; k++) {
                int no = it->line->notes[k];
                if (no < 1 || (size_t)no > fs->doc->nnotes || seen[no - 1]) continue;
                seen[no - 1] = 1;
                if (!any_note) notes_h += fs->note_sep;
                any_note = 1;
                int fit = 0;
                if (may_split && !split_no && used + snap_up(notes_h + fs->notes[no - 1].h, fs->L) > th + EPS)
                    fit = note_split(fs, no, used, notes_h);
                if (fit) {
                    split_no = no;
                    split_k = fit;
                    notes_h += fit * fs->notes[no - 1].para.leading;
                } else {
                    notes_h += fs->notes[no - 1].h;
                }
            }
        } else if (it->kind == V_GLUE) {
            used += it->h;
            stretch += it->stretch;
        } else if (it->kind == V_FIGURE) {
            if (queued || nfl || used + it->h > th + EPS) floated[nfl++] = j;
            else used += it->h;
        } else if (it->kind == V_RULE) {
            used += it->h;
        }
        if (used + (any_note ? snap_up(notes_h, fs->L) : 0) > th + EPS && j > i) {
            if (r->best == n) { /* nothing fits before it: break there */
                r->best = j;
                r->split_note = split_before;
                r->split_k = k_before;
            }
            return;
        }
    }
    if (j >= n) { /* the end: the last page takes everything left */
        r->best = n;
        r->nfloated = nfl;
        r->ratio = 0;
        r->end = 1;
        r->shortfall = 0;
        r->split_note = split_no;
        r->split_k = split_k;
    }
}

/* Paragraph vp set again with looseness dl: 1 when it comes out exactly dl lines longer
 * and still well spaced (its lines are not built yet). */
static int try_para(fstate *fs, int vp, int dl, pm_para_trial *t)
{
    vpara *P = &fs->paras[vp];
    if (!P->shaped) P->shaped = pm_para_shape(fs->set, P->text, &P->st);
    pm_para_try(fs->set, P->shaped, P->loose + dl, t);
    if (t->nlines != P->nlines + dl || t->pass > 3 || t->overfull) return 0;
    if (P->st.align == PM_ALIGN_JUSTIFY && t->nlines > 1 && (t->max_ratio > 1.0 || t->min_ratio < -0.95)) return 0;
    /* no lonely syllable for a last line */
    if (t->nlines > 1 && t->last_width < 0.12 * P->st.width) return 0;
    return 1;
}

/* The trial's item list for vp: as many lines as it would have (heights and penalties
 * are all the page builder looks at; the lines themselves come later). */
static void trial_items(fstate *fs, vlist *w, int vp, int nlines)
{
    static const pm_line blank;
    pm_para pp = {0};
    pp.nlines = nlines;
    pm_line *lines = pm_xcalloc((size_t)nlines + 1, sizeof *lines);
    for (int k = 0; k < nlines; k++) lines[k] = blank;
    pp.lines = lines;
    para_items(fs, w, vp, &pp);
    for (size_t k = 0; k < w->n; k++)
        if (w->v[k].line >= lines && w->v[k].line < lines + nlines) w->v[k].line = &blank; /* no notes on them */
    free(lines);
}

/* Replace paragraph vp's items in vl by those of pp; later paragraphs move. */
static void splice_para(fstate *fs, vlist *vl, int vp, const pm_para *pp)
{
    vpara *P = &fs->paras[vp];
    size_t a = P->first, b = a + 2 * (size_t)P->nlines - 1;
    vlist tmp = {0};
    P->nlines = pp->nlines;
    P->demerits = pp->demerits;
    para_items(fs, &tmp, vp, pp);
    long delta = (long)tmp.n - (long)(b - a);
    if (vl->n + (size_t)(delta > 0 ? delta : 0) > vl->cap) {
        vl->cap = vl->n + (size_t)(delta > 0 ? delta : 0) + 64;
        vl->v = pm_xrealloc(vl->v, vl->cap * sizeof *vl->v);
    }
    memmove(vl->v + b + delta, vl->v + b, (vl->n - b) * sizeof *vl->v);
    memcpy(vl->v + a, tmp.v, tmp.n * sizeof *tmp.v);
    vl->n = (size_t)((long)vl->n + delta);
    free(tmp.v);
    for (size_t k = 0; k < fs->nparas; k++)
        if ((int)k != vp && fs->paras[k].first > a && fs->paras[k].first < (size_t)-1)
            fs->paras[k].first = (size_t)((long)fs->paras[k].first + delta);
}

/* A page that ends a line or more short of its last baseline (because a widow or an
 * orphan would follow, and no glue on it can stretch) is filled as a compositor would:
 * a paragraph on it, or the one broken across its foot, is set one line longer or
 * shorter, whichever costs least in word spacing. Returns 1 if vl was changed. */
static int fill_page(fstate *fs, vlist *vl, size_t i, double used0, int queued, const page_break *r,
                     size_t *floated, int *seen)
{
    if (r->forced || r->end || r->shortfall < fs->L - EPS) return 0;
    /* the paragraphs nearest the foot of the page: a change there moves least */
    int cands[6], nc = 0;
    size_t j = r->best + 12 < vl->n ? r->best + 12 : vl->n;
    while (j-- > i && nc < 6) {
        int vp = vl->v[j].vp;
        if (vp < 0 || fs->paras[vp].first < i || fs->paras[vp].loose || fs->paras[vp].nlines < 3) continue;
        if (nc && cands[nc - 1] == vp) continue;
        cands[nc++] = vp;
    }
    double best_delta = HUGE_VAL;
    int best_vp = -1, best_dl = 0;
    for (int c = 0; c < nc; c++) {
        int vp = cands[c];
        for (int dl = -1; dl <= 1; dl += 2) {
            pm_para_trial t;
            if (!try_para(fs, vp, dl, &t)) continue;
            /* try it on a copy of the page's stretch of the list */
            vpara *P = &fs->paras[vp];
            size_t a = P->first, b = a + 2 * (size_t)P->nlines - 1;
            size_t tail = b + 400 < vl->n ? b + 400 : vl->n;
            vlist w = {0};
            for (size_t k = i; k < a; k++) *vpush(&w, V_GLUE) = vl->v[k];
            trial_items(fs, &w, vp, t.nlines);
            for (size_t k = b; k < tail; k++) *vpush(&w, V_GLUE) = vl->v[k];
            page_break r2;
            /* the trial's floated figures are its own: floated[] holds the page's */
            size_t *tfl = pm_xmalloc((w.n + 1) * sizeof *tfl);
            find_page(fs, w.v, w.n, 0, used0, queued, tfl, seen, &r2);
            free(tfl);
            free(w.v);
            if (r2.shortfall >= fs->L - EPS && !r2.end && !r2.forced) continue; /* still short */
            double delta = t.demerits - P->demerits;
            if (delta < best_delta) {
                best_delta = delta;
                best_vp = vp;
                best_dl = dl;
            }
        }
    }
    if (best_vp < 0) return 0;
    vpara *P = &fs->paras[best_vp];
    pm_para pp;
    pm_para_break(fs->set, P->shaped, P->loose + best_dl, fs->a, &pp);
    P->loose += best_dl;
    splice_para(fs, vl, best_vp, &pp);
    return 1;
}

/* Shaped paragraphs that start before item i can no longer be set again. */
static void release_before(fstate *fs, size_t i)
{
    for (size_t k = fs->released; k < fs->nparas && fs->paras[k].first < i; k++) {
        pm_shaped_drop(fs->paras[k].shaped);
        fs->paras[k].shaped = NULL;
        fs->released = k + 1;
    }
}

static void finish_page(fstate *fs, pm_page *pg);

/* Break the vertical list into pages and emit them. */
static void compose(fstate *fs, vlist *vl, collector *col, pm_page_kind kind)
{
    const double th = fs->th;
    size_t i = 0;
    vfig **queue = NULL;  /* floated figures waiting for a page */
    int nq = 0, qcap = 0;
    size_t floated_cap = 1024;
    size_t *floated = pm_xmalloc(floated_cap * sizeof *floated);
    int *seen = pm_xcalloc(fs->doc->nnotes + 1, sizeof(int));
    int first_page = 1;
    collect_ahead(fs, vl, col, 0);
    while (i < vl->n || nq || col->next < col->to || fs->carry_note) {
        page_plan pl = {0};
        double used = 0;
        /* floated figures first, as many as fit (at least one) */
        vfig **top = pm_arena_array(fs->a, (size_t)nq + 1, sizeof *top);
        while (nq) {
            vfig *f = queue[0];
            double h = float_height(fs, f);
            if (pl.ntop && used + h > th + EPS) break;
            top[pl.ntop++] = f;
            used += h;
            memmove(queue, queue + 1, (size_t)--nq * sizeof *queue);
        }
        pl.top = top;
        /* discard glue and penalties at the top of the page */
        while (i < vl->n && (vl->v[i].kind == V_GLUE ||
                             (vl->v[i].kind == V_PENALTY && (vl->v[i].penalty > -PM_INF_PENALTY || (!pl.ntop && used == 0)))))
            i++;
        collect_ahead(fs, vl, col, i);
        if (fs->rc) break;
        pl.repeat = i < vl->n ? vl->v[i].tbl : NULL;
        if (pl.repeat) used += pl.repeat->h;
        if (floated_cap < vl->n + 64) {
            floated_cap = vl->n + 64;
            floated = pm_xrealloc(floated, floated_cap * sizeof *floated);
        }
        page_break r;
        find_page(fs, vl->v, vl->n, i, used, nq, floated, seen, &r);
        for (int tries = 0; tries < 2 && fill_page(fs, vl, i, used, nq, &r, floated, seen); tries++) {
            if (floated_cap < vl->n + 64) {
                floated_cap = vl->n + 64;
                floated = pm_xrealloc(floated, floated_cap * sizeof *floated);
            }
            find_page(fs, vl->v, vl->n, i, used, nq, floated, seen, &r);
        }
        size_t best = r.best;
        if (best <= i && i < vl->n) best = i + 1; /* an item taller than a page: emergency */
        pl.from = i;
        pl.to = best;
        pl.floated = floated;
        pl.nfloated = r.nfloated;
        pl.ratio = r.ratio;
        pl.split_note = r.split_note;
        pl.split_k = r.split_k;
        pl.middle = kind == PM_PAGE_BACK && r.end && !nq && first_page;
        first_page = 0;
        /* figures floated on this page wait for the next */
        for (int k = 0; k < r.nfloated; k++) {
            if (nq == qcap) {
                qcap = qcap ? qcap * 2 : 8;
                queue = pm_xrealloc(queue, (size_t)qcap * sizeof *queue);
            }
            queue[nq++] = vl->v[floated[k]].fig;
        }
        int right = fs->lay->npages % 2 == 0; /* page index 0 is a right-hand page */
        pm_page *pg = pm_layout_add_page(fs->lay, fs->spec->page_w, fs->spec->page_h);
        /* only the last page of the back-cover section is the back cover */
        pg->kind = kind == PM_PAGE_BACK && !(r.end && !nq) ? PM_PAGE_BODY : kind;
        emit_page(fs, vl, pg, &pl, right);
        finish_page(fs, pg);
        if (best < vl->n && (vl->v[best].kind == V_PENALTY || vl->v[best].kind == V_GLUE)) best++;
        i = best;
        release_before(fs, i);
        if (i >= vl->n && !nq && col->next >= col->to && !fs->carry_note) break;
    }
    free(queue);
    free(floated);
    free(seen);
}

/* ---- footnotes ---- */

static void set_notes(fstate *fs)
{
    const pm_spec *sp = fs->spec;
    const pm_doc *doc = fs->doc;
    fs->notes = pm_arena_array(fs->a, doc->nnotes + 1, sizeof(notebox));
    fs->note_sep = pm_spec_len(sp, sp->note_space, fs->th);
    for (size_t i = 0; i < doc->nnotes; i++) {
        const pm_note *n = &doc->notes[i];
        /* the note's number, then its text */
        char num[16];
        int nl = snprintf(num, sizeof num, "%d\xE2\x80\x82", n->number); /* en space */
        pm_text *t = pm_arena_alloc(fs->a, sizeof *t);
        *t = n->text;
        char *u = pm_arena_alloc(fs->a, n->text.len + (size_t)nl + 1);
        memcpy(u, num, (size_t)nl);
        memcpy(u + nl, n->text.utf8, n->text.len);
        t->utf8 = u;
        t->len = n->text.len + (uint32_t)nl;
        t->spans = pm_arena_array(fs->a, n->text.nspans + 1, sizeof(pm_span));
        for (uint32_t k = 0; k < n->text.nspans; k++) {
            t->spans[k] = n->text.spans[k];
            t->spans[k].start += (uint32_t)nl;
            t->spans[k].end += (uint32_t)nl;
        }
        t->line_starts = pm_arena_array(fs->a, n->text.nline_starts + 1, sizeof(uint32_t));
        for (uint32_t k = 0; k < n->text.nline_starts; k++) t->line_starts[k] = n->text.line_starts[k] + (uint32_t)nl;
        pm_para_style st = {.font = &sp->footnote, .align = sp->align, .width = fs->tw, .hyphenate = sp->hyphenate};
        pm_para_set(fs->set, t, &st, fs->a, &fs->notes[i].para);
        fs->notes[i].h = fs->notes[i].para.nlines * fs->notes[i].para.leading;
    }
}

/* ---- cover, running heads, numbers ---- */

static double place_centered(fstate *fs, pm_page *pg, const char *text, const pm_font_spec *font, double y,
                             double tx)
{
    if (!text || !*text) return y;
    pm_text t = {0};
    t.utf8 = pm_arena_strdup(fs->a, text);
    t.len = (uint32_t)strlen(text);
    t.line = 1;
    pm_text *tp = pm_arena_alloc(fs->a, sizeof *tp);
    *tp = t;
    pm_para_style st = {.font = font, .align = PM_ALIGN_CENTER, .width = fs->tw};
    pm_para pp;
    pm_para_set(fs->set, tp, &st, fs->a, &pp);
    double lead = pm_font_leading(fs->spec, font), base = slot_base(lead, pm_font_size(fs->spec, font));
    for (int k = 0; k < pp.nlines; k++) {
        line_item(fs, pg, &pp.lines[k], tx, y + base, lead, PM_FL_COVER);
        y += lead;
    }
    return y;
}

static void make_cover(fstate *fs)
{
    const pm_spec *sp = fs->spec;
    const pm_meta *m = &fs->doc->meta;
    pm_page *pg = pm_layout_add_page(fs->lay, sp->page_w, sp->page_h);
    pg->kind = PM_PAGE_COVER;
    double tx, ty, tw, th;
    pm_spec_text_area(sp, 1, &tx, &ty, &tw, &th);
    pg->tx = tx;
    pg->ty = ty;
    pg->tw = tw;
    pg->th = th;
    pm_image *img = m->cover ? load_image(fs, m->cover, m->cover_line) : NULL;
    double y = ty + (img ? 0 : th * 0.22);
    y = place_centered(fs, pg, m->title, &sp->cover_title, y, tx);
    if (m->subtitle) y = place_centered(fs, pg, m->subtitle, &sp->cover_subtitle, y + fs->L * 0.5, tx);
    /* author and date at the foot */
    double foot = 0;
    double al = pm_font_leading(sp, &sp->cover_author), dl = pm_font_leading(sp, &sp->cover_date);
    if (m->author) foot += al * 2;
    if (m->date) foot += dl;
    double fy = ty + th - foot;
    if (m->author) fy = place_centered(fs, pg, m->author, &sp->cover_author, fy, tx);
    if (m->date) place_centered(fs, pg, m->date, &sp->cover_date, fy, tx);
    if (img) {
        double top = y + fs->L, bottom = ty + th - foot - fs->L;
        double maxh = fmin(pm_spec_len(sp, sp->cover_image_height, sp->page_h), bottom - top);
        double iw = pm_image_width(img), ih = pm_image_height(img);
        double w = tw, h = w * ih / iw;
        if (h > maxh) {
            h = maxh;
            w = h * iw / ih;
        }
        pm_fitem *im = pm_page_add(fs->lay, pg, PM_FI_IMAGE);
        im->x = tx + (tw - w) / 2;
        im->y = top + (bottom - top - h) / 2;
        im->w = w;
        im->h = h;
        im->image = pm_image_keep(img);
        im->str = m->cover_src;
    }
    finish_page(fs, pg);
}

void pm_flow_check(const pm_layout *lay, const pm_spec *spec, pm_flow_stats *st)
{
    st->widows = st->orphans = st->short_pages = 0;
    double bottom = 0;
    size_t last_body = 0;
    for (size_t i = 0; i < lay->npages; i++) {
        const pm_page *pg = lay->pages[i];
        if (pg->kind != PM_PAGE_BODY) continue;
        last_body = i;
        const pm_fitem *first = NULL, *last = NULL;
        double last_y = 0;
        for (size_t k = 0; k < pg->nitems; k++) {
            const pm_fitem *it = &pg->items[k];
            if (it->kind != PM_FI_LINE || (it->flags & (PM_FL_RUNNING | PM_FL_NOTE | PM_FL_MARKER))) continue;
            if (it->y > last_y) last_y = it->y;
            if (!it->para) continue;
            if (!first) first = it;
            last = it;
        }
        if (last_y > bottom) bottom = last_y;
        if (first && first->lineno > 0) { /* a paragraph continues onto this page */
            int n = 0;
            for (size_t k = 0; k < pg->nitems; k++)
                if (pg->items[k].kind == PM_FI_LINE && pg->items[k].para == first->para) n++;
            if (first->lineno + n == first->nlines && n < spec->widows) st->widows++;
        }
        if (last && last->lineno + 1 < last->nlines) { /* a paragraph goes on after this page */
            int n = 0;
            for (size_t k = 0; k < pg->nitems; k++)
                if (pg->items[k].kind == PM_FI_LINE && pg->items[k].para == last->para) n++;
            if (last->lineno + 1 == n && n < spec->orphans) st->orphans++;
        }
    }
    for (size_t i = 0; i < last_body; i++) {
        const pm_page *pg = lay->pages[i];
        if (pg->kind != PM_PAGE_BODY) continue;
        double last_y = 0;
        int notes = 0;
        for (size_t k = 0; k < pg->nitems; k++) {
            const pm_fitem *it = &pg->items[k];
            if (it->kind != PM_FI_LINE || (it->flags & PM_FL_RUNNING)) continue;
            if (it->flags & PM_FL_NOTE) notes = 1;
            else if (it->y > last_y) last_y = it->y;
        }
        if (!notes && last_y < bottom - 1) st->short_pages++; /* (notes fill a page's foot) */
    }
}

void pm_format_number(int n, int fmt, char *buf, size_t len)
{
    if (fmt == PM_NUM_ROMAN || fmt == PM_NUM_ROMAN_UPPER) {
        static const int val[] = {1000, 900, 500, 400, 100, 90, 50, 40, 10, 9, 5, 4, 1};
        static const char *sym[] = {"m", "cm", "d", "cd", "c", "xc", "l", "xl", "x", "ix", "v", "iv", "i"};
        if (n <= 0 || n >= 4000) {
            snprintf(buf, len, "%d", n);
            return;
        }
        buf[0] = 0;
        for (int i = 0; i < 13; i++)
            while (n >= val[i]) {
                strncat(buf, sym[i], len - strlen(buf) - 1);
                n -= val[i];
            }
        if (fmt == PM_NUM_ROMAN_UPPER)
            for (char *p = buf; *p; p++) *p = (char)(*p - 'a' + 'A');
    } else if (fmt == PM_NUM_ALPHA || fmt == PM_NUM_ALPHA_UPPER) {
        if (n <= 0) {
            snprintf(buf, len, "%d", n);
            return;
        }
        char tmp[16];
        int k = 0;
        while (n > 0 && k < 15) {
            n--;
            tmp[k++] = (char)((fmt == PM_NUM_ALPHA ? 'a' : 'A') + n % 26);
            n /= 26;
        }
        size_t o = 0;
        while (k > 0 && o + 1 < len) buf[o++] = tmp[--k];
        buf[o] = 0;
    } else {
        snprintf(buf, len, "%d", n);
    }
}

static void expand(fstate *fs, const char *tmpl, const char *page, const char *section, GString *out)
{
    const pm_meta *m = &fs->doc->meta;
    g_string_truncate(out, 0);
    for (const char *p = tmpl; *p; p++) {
        if (*p == '{') {
            const char *e = strchr(p, '}');
            if (e) {
                size_t n = (size_t)(e - p - 1);
                const char *v = NULL;
                if (n == 4 && !strncmp(p + 1, "page", 4)) v = page;
                else if (n == 5 && !strncmp(p + 1, "title", 5)) v = m->title;
                else if (n == 8 && !strncmp(p + 1, "subtitle", 8)) v = m->subtitle;
                else if (n == 6 && !strncmp(p + 1, "author", 6)) v = m->author;
                else if (n == 7 && !strncmp(p + 1, "section", 7)) v = section;
                else if (n == 4 && !strncmp(p + 1, "date", 4)) v = m->date;
                if (v || (n <= 8)) {
                    if (v) g_string_append(out, v);
                    p = e;
                    continue;
                }
            }
        }
        g_string_append_c(out, *p);
    }
}

/* A page is complete: its number and label, running heads and page number (not on the
 * cover and back cover), then it goes to the sink. */
static void finish_page(fstate *fs, pm_page *pg)
{
    const pm_spec *sp = fs->spec;
    pm_layout *lay = fs->lay;
    double lead = pm_font_leading(sp, &sp->running);
    int number = sp->num_start + pg->index;
    char num[32];
    pm_format_number(number, sp->num_format, num, sizeof num);
    pg->number = number;
    pg->label = pg->kind == PM_PAGE_COVER ? "Cover" : pm_arena_strdup(fs->a, num);
    /* the section: the first level-1 heading on the page, else the last before it */
    const char *first_here = NULL;
    for (size_t k = 0; k < pg->nitems; k++)
        if (pg->items[k].kind == PM_FI_DEST && pg->items[k].level == 1) {
            if (!first_here) first_here = pg->items[k].title;
            fs->section = pg->items[k].title;
        }
    const char *sec = first_here ? first_here : fs->section;
    if (pg->kind == PM_PAGE_BODY) {
        int right = pg->index % 2 == 0;
        double tx, ty, tw, th;
        pm_spec_text_area(sp, right, &tx, &ty, &tw, &th);
        const pm_running_spec *rs[2] = {&sp->header, &sp->footer};
        for (int r = 0; r < 2; r++) {
            double y = r == 0 ? ty - pm_spec_len(sp, rs[r]->offset, sp->page_h)
                              : ty + th + pm_spec_len(sp, rs[r]->offset, sp->page_h);
            for (int pos = 0; pos < 3; pos++) {
                const char *tmpl = rs[r]->slot[sp->facing ? right : 1][pos];
                if (!tmpl || !*tmpl) continue;
                expand(fs, tmpl, num, sec, fs->buf);
                if (!fs->buf->len) continue;
                pm_line *l = pm_para_single(fs->set, pm_arena_strdup(fs->a, fs->buf->str), &sp->running, fs->a);
                double x = pos == 0 ? tx : pos == 1 ? tx + (tw - l->width) / 2 : tx + tw - l->width;
                if (l->width > tw) x = tx; /* too long for the line: it starts at the left */
                line_item(fs, pg, l, x, y, lead, PM_FL_RUNNING);
            }
            if (rs[r]->rule) {
                pm_fitem *ru = pm_page_add(lay, pg, PM_FI_RULE);
                ru->x = tx;
                ru->w = tw;
                ru->h = 0.4;
                ru->y = r == 0 ? y + lead * 0.3 : y - lead;
            }
        }
    }
    if (fs->sink) fs->sink->page(fs->sink->ud, lay, pg);
}

/* ---- entry ---- */

int pm_flow(pm_setter *set, const pm_doc *doc, const pm_spec *spec, pm_imgcache *images,
            const pm_page_sink *sink, pm_layout **out, pm_flow_stats *stats)
{
    *out = NULL;
    fstate fs = {.set = set, .doc = doc, .spec = spec, .images = images, .stats = stats, .sink = sink};
    fs.buf = g_string_new(NULL);
    fs.lay = pm_layout_new();
    fs.lay->epoch = pm_source_epoch();
    fs.a = fs.lay->arena;
    double tx, ty;
    pm_spec_text_area(spec, 1, &tx, &ty, &fs.tw, &fs.th);
    fs.L = pm_font_leading(spec, &spec->body);
    fs.th = floor(fs.th / fs.L + 1e-6) * fs.L; /* whole lines: facing pages end on one baseline */
    if (stats) memset(stats, 0, sizeof *stats);
    pm_layout *lay = fs.lay;
    lay->title = doc->meta.title;
    lay->author = doc->meta.author;
    lay->subject = doc->meta.subject ? doc->meta.subject : doc->meta.subtitle;
    lay->keywords = doc->meta.keywords;
    lay->lang = doc->meta.lang;

    set_notes(&fs);
    if (spec->cover) make_cover(&fs);

    /* the back cover: the last level-1 section */
    size_t back = doc->nblocks;
    if (spec->back_last_section)
        for (size_t i = doc->nblocks; i-- > 0;)
            if (doc->blocks[i].kind == PM_BLK_HEADING && doc->blocks[i].level == 1) {
                back = i;
                break;
            }
    vlist vl = {0};
    collector col;
    collector_init(&fs, &col, 0, back);
    compose(&fs, &vl, &col, PM_PAGE_BODY);
    collector_done(&col);
    if (!fs.rc && back < doc->nblocks) {
        vlist bl = {0};
        size_t before = lay->npages;
        fs.back = 1;
        collector_init(&fs, &col, back, doc->nblocks);
        if (!fs.rc) compose(&fs, &bl, &col, PM_PAGE_BACK);
        collector_done(&col);
        if (lay->npages - before > 1)
            pm_warn(doc->path, doc->blocks[back].line, 0,
                    "the back-cover section takes %zu pages; only the last is the back cover",
                    lay->npages - before);
        free(bl.v);
    }
    free(vl.v);
    fs.released = 0;
    release_before(&fs, (size_t)-1);
    free(fs.paras);
    g_string_free(fs.buf, TRUE);
    if (!fs.rc && stats) pm_flow_check(lay, spec, stats);
    if (fs.rc) {
        if (sink && sink->stop) sink->stop(sink->ud); /* it may still be drawing a page */
        pm_layout_drop(lay);
        return fs.rc;
    }
    *out = lay;
    return PM_OK;
}
