/* table.c - a GFM table as rows of the vertical list: column widths (natural when the
 * table fits, else shared out where they save the most lines), cells set as ragged
 * paragraphs, booktabs-style rules, rows never split, the header repeated on each page the
 * table goes on to; everything in whole lines of the grid. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/diag.h"
#include "layout/flow-imp.h"


/* The widest word of a cell's text, set plain in font (a cell is set without breaking
 * a word where the room allows). */
/* The font a word at byte off of t is set in: font, bold, italic or code as the spans
 * over it say (a bold word is wider than its plain self). */
static const pm_font_spec *styled(fstate *fs, const pm_text *t, uint32_t off, const pm_font_spec *font)
{
    unsigned st = 0;
    for (uint32_t i = 0; i < t->nspans && t->spans[i].start <= off; i++)
        if (off < t->spans[i].end) st |= t->spans[i].style;
    if (st & PM_ST_CODE) return &fs->spec->code;
    if (!(st & (PM_ST_BOLD | PM_ST_ITALIC))) return font;
    pm_font_spec *f = pm_arena_alloc(fs->a, sizeof *f);
    *f = *font;
    if (st & PM_ST_BOLD) f->weight = 700;
    if (st & PM_ST_ITALIC) f->italic = !font->italic;
    return f;
}

static double widest_word(fstate *fs, const pm_text *t, const pm_font_spec *font)
{
    double w = 0;
    char word[256];
    const char *p = t->utf8;
    while (*p) {
        size_t n = strcspn(p, " \xE2"); /* (a space or a line break, U+2028) */
        if (p[n] == '\xE2' && strncmp(p + n, "\xE2\x80\xA8", 3)) n += strcspn(p + n + 1, " ") + 1;
        for (size_t a = 0; a < n;) { /* a URL breaks after / . - ? & = (never inside //) */
            size_t b = n;
            if (memchr(p, '/', n) || !strncmp(p, "www.", 4))
                for (size_t k = a; k + 1 < n; k++)
                    if (strchr("/.-?&=#", p[k]) && p[k + 1] != '/' && k + 1 > a) {
                        b = k + 1;
                        break;
                    }
            if (b - a > 0 && b - a < sizeof word) {
                memcpy(word, p + a, b - a);
                word[b - a] = 0;
                const pm_line *l = pm_para_single(fs->set, word, styled(fs, t, (uint32_t)(p + a - t->utf8), font), fs->a);
                if (l && l->width > w) w = l->width;
            }
            a = b;
        }
        p += n;
        while (*p == ' ') p++;
        if (!strncmp(p, "\xE2\x80\xA8", 3)) p += 3;
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
void pm_share_columns(int nr, int nc, const double *cn, const double *nat, const double *minw, double avail,
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

/* A table being laid out: its block, font, and the geometry chosen for it. */
typedef struct tlayout {
    const pm_block *b;
    int nr, nc;
    const pm_font_spec *font;
    double lead, size;       /* of the table's font */
    double gap;              /* between columns */
    double measure;          /* the width it is set in */
    double *w;               /* column widths */
    double width, x0;        /* its width, and its left edge in the region */
    int quiet;               /* broken words were warned about once for the table */
    pm_para *cells;          /* nr * nc, set */
    int *rowlines;           /* lines of each row */
    int spaced;              /* half a line between body rows */
} tlayout;

/* Each column's natural width (nat), widest word (minw), and each cell's width on one
 * line (cn[r * nc + c]). */
static void measure_cells(fstate *fs, const tlayout *t, double *nat, double *minw, double *cn)
{
    const pm_block *b = t->b;
    pm_font_spec bold = *t->font; /* the header's */
    bold.weight = 700;
    for (int r = 0; r < t->nr; r++)
        for (int c = 0; c < t->nc; c++) {
            const pm_text *tx = &b->cells[(size_t)r * t->nc + c];
            if (!tx->len) continue;
            pm_para pp;
            pm_para_style one = {.font = t->font, .align = PM_ALIGN_LEFT, .width = 1e5};
            pm_para_set(fs->set, tx, &one, fs->a, &pp);
            for (int l = 0; l < pp.nlines; l++) {
                nat[c] = fmax(nat[c], pp.lines[l].width);
                cn[(size_t)r * t->nc + c] += pp.lines[l].width;
            }
            minw[c] = fmax(minw[c], widest_word(fs, tx, r < b->header_rows ? &bold : t->font));
        }
}

/* Widths w for columns whose longest words (minw) do not fit side by side in avail: every
 * column as wide as its longest word up to one cap, the cap chosen so that the widths
 * fill avail. Words then break in the columns with the longest words only; shared in
 * proportion to minw, a column of short words got narrower than "though" and every word
 * in the table broke. */
static void cap_widest(const double *minw, int nc, double avail, double *w)
{
    double lo = 0, hi = 0;
    for (int c = 0; c < nc; c++) hi = fmax(hi, minw[c]);
    for (int k = 0; k < 60; k++) { /* bisection: the sum grows with the cap */
        double cap = (lo + hi) / 2, sum = 0;
        for (int c = 0; c < nc; c++) sum += fmin(minw[c], cap);
        if (sum > avail) hi = cap;
        else lo = cap;
    }
    for (int c = 0; c < nc; c++) w[c] = fmin(minw[c], lo);
}

/* Column widths: natural when the whole fits (the table then centred), else shared out
 * by pm_share_columns; when even the longest words do not fit, the widest columns capped
 * (cap_widest), with one warning. */
static void choose_widths(fstate *fs, tlayout *t, double left)
{
    const int nc = t->nc, nr = t->nr;
    double *nat = pm_arena_array(fs->a, (size_t)nc, sizeof(double));
    double *minw = pm_arena_array(fs->a, (size_t)nc, sizeof(double));
    double *cn = pm_arena_array(fs->a, (size_t)nr * nc, sizeof(double));
    t->w = pm_arena_array(fs->a, (size_t)nc, sizeof(double));
    double avail = t->measure - t->gap * (nc - 1), sum_nat, sum_min;
    for (int pass = 0;; pass++) {
        memset(nat, 0, (size_t)nc * sizeof *nat);
        memset(minw, 0, (size_t)nc * sizeof *minw);
        memset(cn, 0, (size_t)nr * nc * sizeof *cn);
        measure_cells(fs, t, nat, minw, cn);
        sum_nat = sum_min = 0;
        for (int c = 0; c < nc; c++) {
            nat[c] = fmax(nat[c], t->size); /* an empty column keeps a little room */
            minw[c] = fmin(fmax(minw[c], t->size), nat[c]);
            sum_nat += nat[c];
            sum_min += minw[c];
        }
        /* the longest words do not fit side by side: the table in a smaller font, down to
           three quarters of its size, rather than words broken (once) */
        if (pass || sum_min < avail) break;
        double k = fmax(0.75, 0.98 * avail / sum_min);
        pm_font_spec *f = pm_arena_alloc(fs->a, sizeof *f);
        *f = *t->font;
        f->size = (pm_len){PM_LEN_PT, t->size * k};
        t->font = f;
        t->size *= k;
    }
    if (sum_nat <= avail) {
        for (int c = 0; c < nc; c++) t->w[c] = nat[c];
    } else if (sum_min >= avail) { /* words will break: in the widest columns only */
        cap_widest(minw, nc, avail, t->w);
        pm_warn(fs->doc->path, t->b->line, 0,
                "this table's %d columns need %.0f pt for their longest words, but the text is %.0f pt "
                "wide: words in its cells are broken", nc, sum_min + t->gap * (nc - 1), t->measure);
        pm_hint("fewer columns, shorter words, or a wider page in the layout");
        t->quiet = 1;
    } else {
        pm_share_columns(nr, nc, cn, nat, minw, avail, t->w);
    }
    t->width = t->gap * (nc - 1);
    for (int c = 0; c < nc; c++) t->width += t->w[c];
    t->x0 = left + (t->width < t->measure ? (t->measure - t->width) / 2 : 0);
}

/* Every cell set in its column; a table whose body rows are often of several lines gets
 * half a line between rows, so that they read as rows. */
static void set_cells(fstate *fs, tlayout *t)
{
    static const pm_align al[] = {['l'] = PM_ALIGN_LEFT, ['c'] = PM_ALIGN_CENTER, ['r'] = PM_ALIGN_RIGHT};
    const pm_block *b = t->b;
    const int nc = t->nc, nr = t->nr;
    t->cells = pm_arena_array(fs->a, (size_t)nr * nc, sizeof(pm_para));
    t->rowlines = pm_arena_array(fs->a, (size_t)nr, sizeof(int));
    int multi = 0;
    for (int r = 0; r < nr; r++) {
        t->rowlines[r] = 1;
        for (int c = 0; c < nc; c++) {
            const pm_text *tx = &b->cells[(size_t)r * nc + c];
            pm_para *cp = &t->cells[(size_t)r * nc + c];
            if (!tx->len) continue;
            char a = b->aligns[c];
            pm_para_style st = {.font = t->font, .align = pm_dir_align(a ? al[(unsigned char)a] : PM_ALIGN_LEFT, b->dir),
                                .width = t->w[c], .hyphenate = fs->spec->hyphenate, .quiet = t->quiet,
                                .dir = b->dir, .lang = b->lang};
            pm_para_set(fs->set, tx, &st, fs->a, cp);
            if (cp->nlines > t->rowlines[r]) t->rowlines[r] = cp->nlines;
        }
        if (r >= b->header_rows && t->rowlines[r] > 1) multi++;
    }
    t->spaced = 3 * multi >= nr - b->header_rows;
}

static void table_rule(vlist *vl, const tlayout *t, double h, double at, double thick)
{
    vitem *r = pm_vpush(vl, V_RULE);
    *r = (vitem){.kind = V_RULE, .h = h, .vp = -1, .rule_w = t->width, .rule_x = t->x0, .rule_at = at, .rule_t = thick};
}

/* Row r's lines (cells side by side, each line of the row one item's height); returns
 * the height added. */
static double add_row(fstate *fs, vlist *vl, const tlayout *t, int r, const pm_snode *table)
{
    const pm_snode *tr = pm_snode_new(fs, "TR", table), *cell[t->nc];
    for (int c = 0; c < t->nc; c++) {
        cell[c] = pm_snode_new(fs, r < t->b->header_rows ? "TH" : "TD", tr);
        ((pm_snode *)cell[c])->col = c;
    }
    const pm_para *cellp = &t->cells[(size_t)r * t->nc];
    double base_y = slot_base(t->lead, t->size), used = 0;
    for (int l = 0; l < t->rowlines[r]; l++) {
        if (l) pm_vpenalty(vl, PM_INF_PENALTY); /* a row stays whole */
        vitem *last = NULL;
        double xc = t->x0;
        for (int c = 0; c < t->nc; xc += t->w[c] + t->gap, c++) {
            if (l >= cellp[c].nlines) continue;
            vitem *it = pm_vpush(vl, V_LINE);
            it->line = &cellp[c].lines[l];
            /* right to left: the first column on the right */
            it->x = t->b->dir == PM_DIR_RTL ? 2 * t->x0 + t->width - xc - t->w[c] : xc;
            it->base = base_y;
            it->cell = 1;
            it->sn = cell[c];
            last = it;
        }
        if (last) last->h = t->lead;
        else pm_vglue(vl, t->lead, 0); /* an empty row */
        used += t->lead;
    }
    return used;
}

/* The header (from the top rule at top_at) copied, to be repeated on each page the
 * table goes on to. */
static vtable *header_copy(fstate *fs, const vlist *vl, size_t top_at)
{
    vtable *tbl = pm_arena_alloc(fs->a, sizeof *tbl);
    tbl->head = pm_arena_array(fs->a, vl->n - top_at, sizeof(vitem));
    for (size_t k = top_at; k < vl->n; k++) {
        if (vl->v[k].kind != V_LINE && vl->v[k].kind != V_RULE) continue;
        tbl->head[tbl->nhead++] = vl->v[k];
        tbl->h += vl->v[k].h;
    }
    return tbl;
}

/* The rows as vertical-list items between booktabs-style rules (above, under the header,
 * below); breaks allowed between body rows only; everything in whole lines of the grid. */
static void add_rows(fstate *fs, vlist *vl, const tlayout *t)
{
    const double L = fs->L;
    const int nr = t->nr, hr = t->b->header_rows;
    const pm_snode *table = pm_snode_new(fs, "Table", fs->sn);
    pm_vglue(vl, 0, 0); /* a legal break before the table */
    size_t top_at = vl->n;
    /* the rules above and under the header take half a line each, so that the rows stay
       on the grid, and no empty half line is left under the header */
    table_rule(vl, t, L / 2, 0.5, 0.8);
    pm_vpenalty(vl, PM_INF_PENALTY);
    double used = L / 2;
    vtable *tbl = NULL; /* once the header is done */
    size_t body_at = vl->n;
    /* a page may break between body rows, leaving two at least on each side; a short
       table (six body rows or fewer, and no more than half a page) is never broken */
    double tall = 0;
    for (int r = 0; r < nr; r++) tall += t->rowlines[r] * t->lead + (r > hr && t->spaced ? L / 2 : 0);
    const int short_table = nr - hr <= 6 && tall <= fs->rg->h / 2;
    for (int r = 0; r < nr; r++) {
        int may_break = r > hr && !short_table && r >= hr + 2 && r <= nr - 2;
        if (r > hr && t->spaced) {
            if (!may_break) pm_vpenalty(vl, PM_INF_PENALTY);
            pm_vglue(vl, L / 2, 0);
            used += L / 2;
        } else if (r > 0 && r != hr) {
            pm_vpenalty(vl, may_break ? 0 : PM_INF_PENALTY);
        }
        used += add_row(fs, vl, t, r, table);
        if (r == hr - 1 && r < nr - 1) {
            pm_vpenalty(vl, PM_INF_PENALTY);
            table_rule(vl, t, L / 2, 0.4, 0.5);
            pm_vpenalty(vl, PM_INF_PENALTY); /* the header stays with the first row */
            used += L / 2;
            tbl = header_copy(fs, vl, top_at);
            body_at = vl->n;
        }
    }
    for (size_t k = body_at; tbl && k < vl->n; k++) vl->v[k].tbl = tbl;
    pm_vpenalty(vl, PM_INF_PENALTY);
    double h = L + snap_up(used, L) - used; /* back on the grid */
    table_rule(vl, t, h, 0.25 * L / h, 0.8);
}

/* A table: columns (choose_widths), cells set ragged or as the column's alignment says
 * (set_cells), rows in the vertical list (add_rows). */
int pm_table_fits(fstate *fs, const pm_block *b, const pm_para_style *base)
{
    tlayout t = {.b = b, .nr = b->nrows, .nc = b->ncols, .font = base->font, .measure = base->width};
    t.size = pm_font_size(fs->spec, t.font);
    t.gap = fmin(t.size, t.measure / (4.0 * t.nc));
    double *nat = pm_arena_array(fs->a, (size_t)t.nc, sizeof(double));
    double *minw = pm_arena_array(fs->a, (size_t)t.nc, sizeof(double));
    double *cn = pm_arena_array(fs->a, (size_t)t.nr * t.nc, sizeof(double));
    measure_cells(fs, &t, nat, minw, cn);
    double sum_min = 0;
    for (int c = 0; c < t.nc; c++) sum_min += fmin(fmax(minw[c], t.size), fmax(nat[c], t.size));
    /* (choose_widths's smaller font: 0.98 of the room, at no less than three quarters) */
    return 0.75 * sum_min <= 0.98 * (t.measure - t.gap * (t.nc - 1));
}

void pm_add_table(fstate *fs, vlist *vl, const pm_block *b, const pm_para_style *base, double left)
{
    tlayout t = {.b = b, .nr = b->nrows, .nc = b->ncols, .font = base->font, .measure = base->width};
    t.lead = pm_flow_leading(fs, t.font);
    t.size = pm_font_size(fs->spec, t.font);
    t.gap = fmin(t.size, t.measure / (4.0 * t.nc));
    choose_widths(fs, &t, left);
    set_cells(fs, &t);
    add_rows(fs, vl, &t);
}
