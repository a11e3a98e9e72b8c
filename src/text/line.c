/* line.c - finalize: one broken line of a shaped paragraph (para-imp.h) as a pm_line.
 * The line's text range is cut out of the shaped runs (glyphs are never reshaped) as
 * pieces, one per run; the spaces move by the line's adjustment ratio, a hyphen glyph is
 * added where a word is broken, a ragged line is aligned, and the footnote references
 * and link areas on the line are recorded.
 *
 * A paragraph with right-to-left text has its lines reordered (bidi.h): the pieces are
 * placed side by side in visual order, each space's shift moves what is visually to its
 * right, and a right-to-left paragraph's lines begin at the right (the indent and the
 * start margin's hang there, line-end punctuation hanging into the left margin).
 * Left-to-right paragraphs keep the pieces where the unbroken paragraph had them. */
#include <glib.h>
#include <math.h>
#include <pango/pango.h>
#include <stdlib.h>
#include <string.h>

#include "text/bidi.h"
#include "text/para-imp.h"

/* How far the glyphs after a space move. */
typedef struct shift {
    uint32_t start; /* the space's text */
    uint32_t end;   /* glyphs whose cluster starts at or after this move by extra (in
                       left-to-right text) */
    double extra;
} shift;

/* The part of one shaped run that a line holds. */
typedef struct piece {
    int r, g0, g1;       /* the shaped run, its glyphs in the line [g0, g1) (visual order) */
    uint32_t tb, te;     /* the text of those glyphs */
    unsigned char level; /* embedding level: odd is right to left */
    double width;        /* natural width */
    double extra;        /* what the spaces in it add */
    double hyphen;       /* width of the hyphen at its logical end (the line's last piece) */
    double x;            /* reordered lines: where its left end goes */
    int run;             /* its pm_run in the line, or -1 when it has nothing to show */
} piece;

/* A line being built. */
typedef struct line_build {
    pm_shaped *p;
    pm_arena *a;
    pm_line *out;
    size_t from, brk;    /* the items of the line: [from, brk], brk where it breaks */
    uint32_t ls, le;     /* its text range [ls, le) */
    int hyphen;          /* ends in a hyphen (at a hyphenation point or a soft hyphen) */
    int shy;             /* ... at a soft hyphen in the text, which the line includes */
    int cont;            /* a wrapped code line: ends in a continuation mark */
    double cont_x, cont_w, cont_size; /* ... drawn there */
    int reorder;         /* pieces placed in visual order (the paragraph has right-to-left
                            text); else where the unbroken paragraph had them */
    double first_x;      /* x of the line's first glyph: the indent, less the hang (the
                            distance from the right edge in a right-to-left paragraph) */
    double x0;           /* natural x of ls in the unbroken paragraph */
    shift *sh;           /* the spaces' shifts, in text order */
    int nsh;
    piece *pc;           /* the pieces in logical order */
    int npc;
    int *order;          /* reordered lines: order[v] is the piece v-th from the left */
    double xend;         /* right end of the glyphs placed so far */
    double *lk_x;        /* reordered lines: extent of each link span on the line (x0, x1
                            pairs, in the order of the spans) */
    int nlk;
} line_build;

static double shift_at(const shift *sh, int nsh, uint32_t off)
{
    double x = 0;
    for (int i = 0; i < nsh && sh[i].end <= off; i++) x += sh[i].extra;
    return x;
}

/* The line's text range, and whether it ends in a hyphen. */
static void text_range(line_build *L)
{
    const pm_shaped *p = L->p;
    const pm_item *items = p->items;
    L->ls = p->len;
    for (size_t i = L->from; i < L->brk; i++)
        if (items[i].type == PM_ITEM_BOX && (p->item_end[i] > items[i].pos || i + 1 == L->brk)) {
            L->ls = items[i].pos;
            break;
        }
    const pm_item *bi = &items[L->brk];
    L->hyphen = bi->type == PM_ITEM_PENALTY && bi->flagged && bi->width > 0;
    L->shy = L->hyphen && p->item_end[L->brk] > bi->pos; /* a soft hyphen character is there */
    L->le = L->shy ? p->item_end[L->brk] : bi->pos;
    L->cont = p->st.code && bi->type == PM_ITEM_PENALTY && !bi->flagged && bi->width > 0 &&
              bi->penalty < PM_INF_PENALTY;
    if (L->ls > L->le) L->ls = L->le;
}

/* How far each space moves (justified lines), where the first glyph goes (the indent of a
 * first line, less the hang into the left margin the line breaker measured the line
 * with). Returns that hang. */
static double space_shifts(line_build *L, double ratio, int line_no)
{
    const pm_shaped *p = L->p;
    const pm_item *items = p->items;
    int justify = p->st.align == PM_ALIGN_JUSTIFY;
    L->nsh = 0;
    L->sh = pm_xmalloc((L->brk - L->from + 1) * sizeof *L->sh);
    L->first_x = 0;
    /* margin kerning: the hangs the line breaker measured this line with */
    double hang_left = 0;
    for (size_t i = L->from; i < L->brk; i++)
        if (items[i].type == PM_ITEM_BOX) {
            hang_left = items[i].hang_left;
            break;
        }
    int boxed = 0; /* glue before the line's first box was discarded by the breaker */
    for (size_t i = L->from; i < L->brk; i++) {
        if (items[i].type == PM_ITEM_BOX && items[i].pos == 0 && p->item_end[i] == 0 && line_no == 0)
            L->first_x = items[i].width; /* the indent */
        if (items[i].type == PM_ITEM_BOX) boxed = 1;
        if (items[i].type != PM_ITEM_GLUE || !justify || items[i].pos < L->ls || !boxed) continue;
        double ex = 0;
        if (items[i].stretch >= PM_FIL_STRETCH) ex = 0;
        else if (ratio > 0) ex = ratio * items[i].stretch;
        else ex = ratio * items[i].shrink;
        if (ex != 0) L->sh[L->nsh++] = (shift){items[i].pos, p->item_end[i], ex};
    }
    L->first_x -= hang_left;
    if (p->st.nshape) L->first_x += p->st.shape[line_no < p->st.nshape ? line_no : p->st.nshape - 1];
    return hang_left;
}

/* The glyphs [g0, g1) of a shaped run whose clusters start in [ls, le); 0 if none. */
static int glyph_range(const PangoGlyphItem *gi, uint32_t ls, uint32_t le, int *g0, int *g1)
{
    const PangoGlyphString *gs = gi->glyphs;
    uint32_t ioff = (uint32_t)gi->item->offset;
    *g0 = *g1 = -1;
    if (!(gi->item->analysis.level & 1)) { /* left to right: clusters ascend, search */
        int lo = 0, hi = gs->num_glyphs;
        while (lo < hi) {
            int mid = (lo + hi) / 2;
            if (ioff + (uint32_t)gs->log_clusters[mid] < ls) lo = mid + 1;
            else hi = mid;
        }
        *g0 = lo;
        hi = gs->num_glyphs;
        while (lo < hi) {
            int mid = (lo + hi) / 2;
            if (ioff + (uint32_t)gs->log_clusters[mid] < le) lo = mid + 1;
            else hi = mid;
        }
        *g1 = lo;
        if (*g0 >= *g1) *g0 = -1;
    } else {
        for (int g = 0; g < gs->num_glyphs; g++) {
            uint32_t c = ioff + (uint32_t)gs->log_clusters[g];
            if (c >= ls && c < le) {
                if (*g0 < 0) *g0 = g;
                *g1 = g + 1;
            }
        }
    }
    return *g0 >= 0;
}

/* The text of glyphs [g0, g1) of a run, clipped to the line: [*tb, *te). Glyphs are in
 * visual order: a right-to-left run's clusters descend, and a cluster ends where the
 * logically next one, the glyph before it, starts. */
static void run_text(const line_build *L, const PangoGlyphItem *gi, int g0, int g1, uint32_t *tb, uint32_t *te)
{
    const PangoGlyphString *gs = gi->glyphs;
    uint32_t ioff = (uint32_t)gi->item->offset;
    uint32_t iend = ioff + (uint32_t)gi->item->length;
    int rtl = gi->item->analysis.level & 1;
    *tb = ioff + (uint32_t)gs->log_clusters[rtl ? g1 - 1 : g0];
    *te = rtl ? (g0 > 0 ? ioff + (uint32_t)gs->log_clusters[g0 - 1] : iend)
              : (g1 < gs->num_glyphs ? ioff + (uint32_t)gs->log_clusters[g1] : iend);
    if (*te > L->le) *te = L->le;
    if (*tb < L->ls) *tb = L->ls;
    if (*te < *tb) *te = *tb;
}

/* The baseline rise of a run (superscripts). */
static double run_rise(const PangoGlyphItem *gi)
{
    double rise = 0;
    for (GSList *l = gi->item->analysis.extra_attrs; l; l = l->next) {
        PangoAttribute *at = l->data;
        if (at->klass->type == PANGO_ATTR_RISE) rise = ((PangoAttrInt *)at)->value / (double)PANGO_SCALE;
    }
    return rise;
}

/* The glyph a broken line ends in: a hyphen, or the continuation mark of wrapped code. */
static const pm_hyphen_glyph *end_glyph(const line_build *L, PangoGlyphItem *gi)
{
    return L->cont ? pm_setter_mark(L->p->s, gi) : pm_setter_hyphen(L->p->s, gi);
}

/* The line's pieces in logical order: the part of each shaped run whose clusters start in
 * [ls, le), measured. The last one carries the hyphen of a hyphenated line. */
static void find_pieces(line_build *L)
{
    pm_shaped *p = L->p;
    L->pc = pm_xmalloc(((size_t)p->nruns + 1) * sizeof *L->pc);
    L->npc = 0;
    for (int r = 0; r < p->nruns; r++) {
        PangoGlyphItem *gi = &p->runs[r];
        uint32_t ioff = (uint32_t)gi->item->offset;
        uint32_t iend = ioff + (uint32_t)gi->item->length;
        piece *pc = &L->pc[L->npc];
        if (iend <= L->ls || ioff >= L->le || !glyph_range(gi, L->ls, L->le, &pc->g0, &pc->g1)) continue;
        pc->r = r;
        pc->level = (unsigned char)gi->item->analysis.level;
        run_text(L, gi, pc->g0, pc->g1, &pc->tb, &pc->te);
        pc->width = p->gx[r][pc->g1] - p->gx[r][pc->g0];
        pc->extra = pc->hyphen = pc->x = 0;
        pc->run = -1;
        for (int i = 0; i < L->nsh; i++)
            if (L->sh[i].start >= pc->tb && L->sh[i].start < pc->te) pc->extra += L->sh[i].extra;
        L->npc++;
    }
    if ((L->hyphen || L->cont) && L->npc) {
        piece *last = &L->pc[L->npc - 1];
        last->hyphen = end_glyph(L, &p->runs[last->r])->width;
    }
}

/* Reordered lines: where each piece goes. Side by side in visual order, from the start
 * (the left, or the right in a right-to-left paragraph) at first_x. */
static void place_pieces(line_build *L)
{
    int n = L->npc;
    unsigned char *levels = pm_xmalloc((size_t)n + 1);
    int *order = L->order = pm_xmalloc(((size_t)n + 1) * sizeof *order);
    double total = 0;
    for (int i = 0; i < n; i++) {
        levels[i] = L->pc[i].level;
        total += L->pc[i].width + L->pc[i].extra + L->pc[i].hyphen;
    }
    pm_bidi_order(levels, n, order);
    double x = L->p->st.dir == PM_DIR_RTL ? L->p->st.width - L->first_x - total : L->first_x;
    for (int v = 0; v < n; v++) {
        piece *pc = &L->pc[order[v]];
        pc->x = x;
        x += pc->width + pc->extra + pc->hyphen;
    }
    free(levels);
}

/* Spans whose extent on a line is recorded: links and struck-out text. */
static int tracked(const pm_span *sp)
{
    return sp->url || (sp->style & PM_ST_STRIKE);
}

/* Reordered lines: the link and strikethrough spans on the line get the extent of the
 * glyphs of [c, cn). */
static void extend_links(line_build *L, uint32_t c, double x0, double x1)
{
    const pm_text *t = L->p->src;
    int k = 0;
    for (uint32_t i = 0; i < t->nspans && k < L->nlk; i++) {
        const pm_span *sp = &t->spans[i];
        if (sp->end <= L->ls || sp->start >= L->le || !tracked(sp)) continue;
        if (c >= sp->start && c < sp->end) {
            L->lk_x[2 * k] = fmin(L->lk_x[2 * k], x0);
            L->lk_x[2 * k + 1] = fmax(L->lk_x[2 * k + 1], x1);
        }
        k++;
    }
}

/* Copy the cluster of glyphs [g, ge) of piece pc into run: its glyphs at their natural x
 * in the piece moved by the shift sx, its text [c, cn). The soft hyphen ending a line
 * shows as a hyphen; empty and unknown glyphs are left out. */
static void copy_cluster(line_build *L, pm_run *run, const piece *pc, int g, int ge, uint32_t c, uint32_t cn,
                         double sx, double own, double rise)
{
    pm_shaped *p = L->p;
    int r = pc->r;
    PangoGlyphItem *gi = &p->runs[r];
    PangoGlyphString *gs = gi->glyphs;
    int kept = 0;
    int is_shy_end = L->shy && c == L->le - 2;
    double left = HUGE_VAL, right_end = -HUGE_VAL;
    for (int k = g; k < ge; k++) {
        PangoGlyphInfo *info = &gs->glyphs[k];
        PangoGlyph gl = info->glyph;
        double gxk = L->reorder ? pc->x + (p->gx[r][k] - p->gx[r][pc->g0]) + sx
                                : L->first_x + (p->gx[r][k] - L->x0) + sx;
        if (is_shy_end && k == g) { /* the soft hyphen ending the line shows */
            const pm_hyphen_glyph *h = pm_setter_hyphen(p->s, gi);
            if (L->reorder && (pc->level & 1)) gxk = pc->x; /* at the piece's left end */
            pm_glyph *cg = &run->glyphs[run->nglyphs++];
            cg->index = h->glyph;
            cg->x = gxk;
            cg->y = -rise;
            kept++;
            if (gxk + h->width > L->xend) L->xend = gxk + h->width;
            continue;
        }
        if (gl == PANGO_GLYPH_EMPTY || (gl & PANGO_GLYPH_UNKNOWN_FLAG) || is_shy_end) continue;
        pm_glyph *cg = &run->glyphs[run->nglyphs++];
        cg->index = gl;
        cg->x = gxk + info->geometry.x_offset / (double)PANGO_SCALE;
        cg->y = info->geometry.y_offset / (double)PANGO_SCALE - rise;
        kept++;
        /* (a space's own glue moves its right end: it may be the last glyph drawn) */
        double right = gxk + info->geometry.width / (double)PANGO_SCALE + own;
        if (right > L->xend) L->xend = right;
        left = fmin(left, gxk);
        right_end = fmax(right_end, right);
    }
    if (L->reorder && L->nlk && left <= right_end) extend_links(L, c, left, right_end);
    uint32_t nb = cn - c;
    memcpy((char *)run->utf8 + run->nbytes, p->text + c, nb);
    if (nb || kept) {
        pm_cluster *cl = &run->clusters[run->nclusters++];
        cl->num_bytes = (int)nb;
        cl->num_glyphs = kept;
        run->nbytes += (int)nb;
    }
}

/* Reordered lines: how far the spaces of piece pc move the cluster at c, i.e. what the
 * spaces visually left of it add (logically before it in left-to-right text, after it
 * in right-to-left text; a right-to-left piece's hyphen is at its left too). */
static double shift_in_piece(const line_build *L, const piece *pc, uint32_t c)
{
    double x = 0;
    int rtl = pc->level & 1;
    for (int i = 0; i < L->nsh; i++) {
        const shift *s = &L->sh[i];
        if (s->start < pc->tb || s->start >= pc->te) continue;
        if (rtl ? s->start > c : s->end <= c) x += s->extra;
    }
    return rtl ? x + pc->hyphen : x;
}

/* Cut piece pc into the line's next run. */
static void cut_piece(line_build *L, piece *pc)
{
    pm_shaped *p = L->p;
    int r = pc->r, g0 = pc->g0, g1 = pc->g1;
    PangoGlyphItem *gi = &p->runs[r];
    PangoGlyphString *gs = gi->glyphs;
    uint32_t ioff = (uint32_t)gi->item->offset;
    uint32_t iend = ioff + (uint32_t)gi->item->length;
    int rtl = gi->item->analysis.level & 1;
    uint32_t tb = pc->tb, te = pc->te;
    double rise = run_rise(gi);
    const double *rgb = p->st.font->color;
    pm_run *run = &L->out->runs[L->out->nruns];
    run->face = pm_fonts_face(p->s->fonts, gi->item->analysis.font);
    run->rtl = rtl;
    run->at = tb;
    run->rgb[0] = rgb[0];
    run->rgb[1] = rgb[1];
    run->rgb[2] = rgb[2];
    int ng = g1 - g0;
    /* room for a hyphen glyph and its text at the end */
    run->glyphs = pm_arena_array(L->a, (size_t)ng + 2, sizeof(pm_glyph));
    run->clusters = pm_arena_array(L->a, (size_t)ng + 2, sizeof(pm_cluster));
    run->utf8 = pm_arena_alloc(L->a, te - tb + 3);
    run->x0 = L->reorder ? pc->x : L->first_x + (p->gx[r][g0] - L->x0) + shift_at(L->sh, L->nsh, tb);
    int g = g0;
    int shi = 0; /* spaces passed so far, and how far they moved the glyphs */
    double shx = 0;
    while (g < g1) {
        uint32_t c = ioff + (uint32_t)gs->log_clusters[g];
        int ge = g + 1;
        while (ge < g1 && gs->log_clusters[ge] == gs->log_clusters[g]) ge++;
        uint32_t cn = rtl ? (g > 0 ? ioff + (uint32_t)gs->log_clusters[g - 1] : iend)
                          : (ge < gs->num_glyphs ? ioff + (uint32_t)gs->log_clusters[ge] : iend);
        if (cn > te) cn = te;
        if (cn < c) cn = c;
        while (shi < L->nsh && L->sh[shi].end <= c) shx += L->sh[shi++].extra;
        /* shx = shift_at(sh, nsh, c): the shifts are in text order */
        double own = !L->reorder && shi < L->nsh && L->sh[shi].start == c ? L->sh[shi].extra : 0;
        copy_cluster(L, run, pc, g, ge, c, cn, L->reorder ? shift_in_piece(L, pc, c) : shx, own, rise);
        g = ge;
    }
    run->x1 = L->reorder ? pc->x + pc->width + pc->extra + pc->hyphen : L->xend;
    if (!run->nglyphs && !run->nbytes) return;
    pc->run = L->out->nruns++;
}

/* A hyphen at a hyphenation point: a glyph of its own at the logical end of pc, the last
 * piece with something to show (in its font), standing for a soft hyphen in the text
 * (so copied or searched text reads "revo-lution" as one word); or the continuation mark
 * of a wrapped code line, standing for itself. */
static void add_hyphen(line_build *L, const piece *pc)
{
    pm_run *run = &L->out->runs[pc->run];
    const pm_hyphen_glyph *h = end_glyph(L, &L->p->runs[pc->r]);
    int nb = (int)strlen(h->utf8);
    if (L->reorder && (pc->level & 1)) { /* right to left: the end is the piece's left */
        memmove(run->glyphs + 1, run->glyphs, (size_t)run->nglyphs * sizeof *run->glyphs);
        memmove(run->clusters + 1, run->clusters, (size_t)run->nclusters * sizeof *run->clusters);
        memmove((char *)run->utf8 + nb, run->utf8, (size_t)run->nbytes);
        run->glyphs[0] = (pm_glyph){h->glyph, pc->x, -run_rise(&L->p->runs[pc->r])};
        run->clusters[0] = (pm_cluster){nb, 1};
        memcpy((char *)run->utf8, h->utf8, (size_t)nb);
        run->nglyphs++;
        run->nclusters++;
        run->nbytes += nb;
        return;
    }
    double x = L->reorder ? pc->x + pc->width + pc->extra : L->xend;
    memcpy((char *)run->utf8 + run->nbytes, h->utf8, (size_t)nb);
    run->nbytes += nb;
    if (L->cont) { /* the mark is drawn (deco), its text has no glyph */
        run->clusters[run->nclusters++] = (pm_cluster){nb, 0};
        L->cont_x = x;
        L->cont_w = h->width;
        PangoFontDescription *d = pango_font_describe(L->p->runs[pc->r].item->analysis.font);
        L->cont_size = pango_font_description_get_size(d) / (double)PANGO_SCALE;
        pango_font_description_free(d);
    } else {
        pm_glyph *cg = &run->glyphs[run->nglyphs++];
        cg->index = h->glyph;
        cg->x = x;
        cg->y = run->nglyphs > 1 ? run->glyphs[run->nglyphs - 2].y : 0;
        run->clusters[run->nclusters++] = (pm_cluster){nb, 1};
    }
    if (L->reorder) {
        L->xend = fmax(L->xend, x + h->width);
        return;
    }
    L->xend += h->width;
    run->x1 = L->xend;
}

/* The paragraph's alignment as left, center, right or justify (start and end resolved
 * by the paragraph's direction). */
static pm_align visual_align(const pm_shaped *p)
{
    int rtl = p->st.dir == PM_DIR_RTL;
    if (p->st.align == PM_ALIGN_START) return rtl ? PM_ALIGN_RIGHT : PM_ALIGN_LEFT;
    if (p->st.align == PM_ALIGN_END) return rtl ? PM_ALIGN_LEFT : PM_ALIGN_RIGHT;
    return p->st.align;
}

/* Align a ragged line in the measure; returns how far it moved right. A line starts at
 * the left in a left-to-right paragraph and at the right in a right-to-left one (as the
 * last line of a justified paragraph stays). */
static double align_ragged(line_build *L)
{
    const pm_shaped *p = L->p;
    pm_line *out = L->out;
    pm_align al = visual_align(p);
    double dx = 0;
    if (p->st.dir == PM_DIR_RTL) {
        double slack = out->nruns ? out->runs[0].x0 : 0; /* room on the left */
        for (int r = 1; r < out->nruns; r++) slack = fmin(slack, out->runs[r].x0);
        if (al == PM_ALIGN_CENTER) dx = -slack / 2;
        else if (al == PM_ALIGN_LEFT) dx = -slack;
        if (dx > 0) dx = 0;
    } else {
        double slack = p->st.width - L->xend;
        if (al == PM_ALIGN_CENTER) dx = slack / 2;
        else if (al == PM_ALIGN_RIGHT) dx = slack;
        if (dx < 0) dx = 0;
    }
    if (dx != 0) {
        for (int r = 0; r < out->nruns; r++) {
            pm_run *run = &out->runs[r];
            for (int k = 0; k < run->nglyphs; k++) run->glyphs[k].x += dx;
            run->x0 += dx;
            run->x1 += dx;
        }
        out->width += dx;
    }
    return dx;
}

/* A line through the struck-out text from x0 to x1 on the line, starting at offset a0. */
static void add_strike(line_build *L, uint32_t a0, double x0, double x1)
{
    const pm_shaped *p = L->p;
    int r = pm_shaped_run_at(p, a0);
    double pos = 0, th = 0.5, size = pm_font_size(p->s->spec, p->st.font);
    if (r >= 0) {
        PangoFont *font = p->runs[r].item->analysis.font;
        PangoFontDescription *d = pango_font_describe(font);
        size = pango_font_description_get_size(d) / (double)PANGO_SCALE;
        pango_font_description_free(d);
        pm_setter_strike(p->s, font, size, &pos, &th);
        pos += run_rise(&p->runs[r]);
    }
    pm_line_deco *dc = &L->out->decos[L->out->ndecos++];
    *dc = (pm_line_deco){x0, x1, -pos, th, {p->st.font->color[0], p->st.font->color[1], p->st.font->color[2]},
                         PM_DECO_STRIKE};
}

/* The footnote references, links and struck-out text of the line; dx: how far alignment
 * moved it. */
static void notes_and_links(line_build *L, double dx)
{
    const pm_shaped *p = L->p;
    pm_line *out = L->out;
    uint32_t ls = L->ls, le = L->le;
    const pm_text *t = p->src;
    int nn = 0, nl = 0, nd = 0;
    for (uint32_t i = 0; i < t->nspans; i++) {
        const pm_span *sp = &t->spans[i];
        if (sp->end <= ls || sp->start >= le) continue;
        if (sp->note && sp->start >= ls) nn++;
        if (sp->url) nl++;
        if (sp->style & PM_ST_STRIKE) nd++;
    }
    if (nn) out->notes = pm_arena_array(L->a, (size_t)nn, sizeof(int));
    if (nl) out->links = pm_arena_array(L->a, (size_t)nl, sizeof(pm_line_link));
    if (nd || L->cont) out->decos = pm_arena_array(L->a, (size_t)nd + 1, sizeof(pm_line_deco));
    if (L->cont) /* the wrapped code line's mark (its size in t, as a twentieth) */
        out->decos[out->ndecos++] = (pm_line_deco){dx + L->cont_x, dx + L->cont_x + L->cont_w, 0, L->cont_size / 20,
                                                   {p->st.font->color[0], p->st.font->color[1], p->st.font->color[2]},
                                                   PM_DECO_WRAP};
    int k = 0; /* tracked spans so far */
    for (uint32_t i = 0; i < t->nspans; i++) {
        const pm_span *sp = &t->spans[i];
        if (sp->end <= ls || sp->start >= le) continue;
        if (sp->note && sp->start >= ls) out->notes[out->nnotes++] = sp->note;
        if (!tracked(sp)) continue;
        uint32_t a0 = sp->start < ls ? ls : sp->start, a1 = sp->end > le ? le : sp->end;
        double x0, x1;
        if (L->reorder) { /* the extent of its glyphs */
            double g0 = L->lk_x[2 * k], g1 = L->lk_x[2 * k + 1];
            x0 = g0 <= g1 ? dx + g0 : 0;
            x1 = g0 <= g1 ? dx + g1 : 0;
        } else {
            x0 = dx + L->first_x + pm_shaped_x_at(p, a0) - L->x0 + shift_at(L->sh, L->nsh, a0);
            x1 = dx + L->first_x + pm_shaped_x_at(p, a1) - L->x0 + shift_at(L->sh, L->nsh, a1);
        }
        k++;
        if (sp->style & PM_ST_STRIKE) {
            if (x1 > x0) add_strike(L, a0, x0, x1);
        }
        if (sp->url) {
            pm_line_link *lk = &out->links[out->nlinks++];
            lk->x0 = x0;
            lk->x1 = x1;
            /* a copy: in watch mode the line outlives the document it was set from */
            lk->url = pm_arena_strdup(L->a, sp->url);
        }
    }
}

/* Reordered lines: room for the extents of the link spans on the line. */
static void start_links(line_build *L)
{
    const pm_text *t = L->p->src;
    L->nlk = 0;
    for (uint32_t i = 0; i < t->nspans; i++) {
        const pm_span *sp = &t->spans[i];
        if (sp->end > L->ls && sp->start < L->le && tracked(sp)) L->nlk++;
    }
    L->lk_x = pm_xmalloc(2 * ((size_t)L->nlk + 1) * sizeof *L->lk_x);
    for (int k = 0; k < L->nlk; k++) {
        L->lk_x[2 * k] = HUGE_VAL;
        L->lk_x[2 * k + 1] = -HUGE_VAL;
    }
}

void pm_shaped_line(pm_shaped *p, pm_arena *a, size_t from, size_t brk, double ratio, int line_no,
                    int overfull, pm_line *out)
{
    line_build L = {.p = p, .a = a, .out = out, .from = from, .brk = brk, .reorder = p->bidi};
    int justify = p->st.align == PM_ALIGN_JUSTIFY;
    int rtl = p->st.dir == PM_DIR_RTL;
    text_range(&L);
    double hang_start = space_shifts(&L, ratio, line_no);
    L.x0 = pm_shaped_x_at(p, L.ls);
    memset(out, 0, sizeof *out);
    out->dir = p->st.dir;
    /* margin kerning: the start is on the right in a right-to-left paragraph */
    out->hang_left = rtl ? p->items[brk].hang_right : hang_start;
    out->hang_right = rtl ? hang_start : p->items[brk].hang_right;
    out->ratio = justify ? ratio : 0;
    out->hyphenated = L.hyphen;
    out->overfull = overfull;
    out->ascent = p->ascent;
    out->descent = p->descent;
    out->src_line = pm_text_line_at(p->src, L.ls);

    /* runs: the glyphs of the shaped paragraph whose clusters start in [ls, le) */
    out->runs = pm_arena_array(a, (size_t)p->nruns + 1, sizeof(pm_run));
    L.xend = L.first_x;
    find_pieces(&L);
    if (L.reorder) {
        place_pieces(&L);
        start_links(&L);
        L.xend = -HUGE_VAL;
        for (int v = 0; v < L.npc; v++) cut_piece(&L, &L.pc[L.order[v]]); /* runs left to right */
    } else {
        for (int i = 0; i < L.npc; i++) cut_piece(&L, &L.pc[i]);
    }
    if ((L.hyphen && !L.shy) || L.cont) { /* the last piece that shows something ends in the hyphen */
        int last = L.npc - 1;
        while (last >= 0 && L.pc[last].run < 0) last--;
        if (last >= 0) add_hyphen(&L, &L.pc[last]);
    }
    if (L.reorder) {
        L.xend = rtl ? p->st.width : L.first_x; /* (a right-to-left line starts at the right edge, its indent in it) */
        for (int i = 0; i < out->nruns; i++) L.xend = fmax(L.xend, out->runs[i].x1);
    }
    out->width = L.xend;
    double dx = align_ragged(&L);
    notes_and_links(&L, dx);
    free(L.sh);
    free(L.pc);
    free(L.lk_x);
    free(L.order);
}
