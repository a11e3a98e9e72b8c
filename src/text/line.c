/* line.c - finalize: one broken line of a shaped paragraph (para-imp.h) as a pm_line.
 * The line's text range is cut out of the shaped runs (glyphs are never reshaped), the
 * spaces move by the line's adjustment ratio, a hyphen glyph is added where a word is
 * broken, a ragged line is aligned, and the footnote references and link areas on the
 * line are recorded. */
#include <glib.h>
#include <pango/pango.h>
#include <stdlib.h>
#include <string.h>

#include "text/para-imp.h"

/* How far the glyphs after a space move. */
typedef struct shift {
    uint32_t end;   /* glyphs whose cluster starts at or after this move by extra */
    double extra;
} shift;

/* A line being built. */
typedef struct line_build {
    pm_shaped *p;
    pm_arena *a;
    pm_line *out;
    size_t from, brk;    /* the items of the line: [from, brk], brk where it breaks */
    uint32_t ls, le;     /* its text range [ls, le) */
    int hyphen;          /* ends in a hyphen (at a hyphenation point or a soft hyphen) */
    int shy;             /* ... at a soft hyphen in the text, which the line includes */
    double first_x;      /* x of the line's first glyph: the indent, less the hang */
    double x0;           /* natural x of ls in the unbroken paragraph */
    shift *sh;           /* the spaces' shifts, in text order */
    int nsh;
    double xend;         /* right end of the glyphs placed so far */
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
    for (size_t i = L->from; i < L->brk; i++) {
        if (items[i].type == PM_ITEM_BOX && items[i].pos == 0 && p->item_end[i] == 0 && line_no == 0)
            L->first_x = items[i].width; /* the indent */
        if (items[i].type != PM_ITEM_GLUE || !justify || items[i].pos < L->ls) continue;
        double ex = 0;
        if (items[i].stretch >= PM_FIL_STRETCH) ex = 0;
        else if (ratio > 0) ex = ratio * items[i].stretch;
        else ex = ratio * items[i].shrink;
        if (ex != 0) L->sh[L->nsh++] = (shift){p->item_end[i], ex};
    }
    L->first_x -= hang_left;
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

/* Copy the cluster of glyphs [g, ge) of shaped run r into run: its glyphs at their
 * natural x moved by the shift sx, its text [c, cn). The soft hyphen ending a line
 * shows as a hyphen; empty and unknown glyphs are left out. */
static void copy_cluster(line_build *L, pm_run *run, int r, int g, int ge, uint32_t c, uint32_t cn, double sx,
                         double rise)
{
    pm_shaped *p = L->p;
    PangoGlyphItem *gi = &p->runs[r];
    PangoGlyphString *gs = gi->glyphs;
    int kept = 0;
    int is_shy_end = L->shy && c == L->le - 2;
    for (int k = g; k < ge; k++) {
        PangoGlyphInfo *info = &gs->glyphs[k];
        PangoGlyph gl = info->glyph;
        double gxk = L->first_x + (p->gx[r][k] - L->x0) + sx;
        if (is_shy_end && k == g) { /* the soft hyphen ending the line shows */
            const pm_hyphen_glyph *h = pm_setter_hyphen(p->s, gi);
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
        double right = gxk + info->geometry.width / (double)PANGO_SCALE;
        if (right > L->xend) L->xend = right;
    }
    uint32_t nb = cn - c;
    memcpy((char *)run->utf8 + run->nbytes, p->text + c, nb);
    if (nb || kept) {
        pm_cluster *cl = &run->clusters[run->nclusters++];
        cl->num_bytes = (int)nb;
        cl->num_glyphs = kept;
        run->nbytes += (int)nb;
    }
}

/* Cut the part of shaped run r that falls in the line into the line's next run. Returns
 * 1 if it added a run (with glyphs or text), else 0. */
static int cut_run(line_build *L, int r)
{
    pm_shaped *p = L->p;
    PangoGlyphItem *gi = &p->runs[r];
    PangoGlyphString *gs = gi->glyphs;
    uint32_t ioff = (uint32_t)gi->item->offset;
    uint32_t iend = ioff + (uint32_t)gi->item->length;
    if (iend <= L->ls || ioff >= L->le) return 0;
    int g0, g1;
    if (!glyph_range(gi, L->ls, L->le, &g0, &g1)) return 0;
    int rtl = gi->item->analysis.level & 1;
    uint32_t tb, te;
    run_text(L, gi, g0, g1, &tb, &te);
    double rise = run_rise(gi);
    const double *rgb = p->st.font->color;
    pm_run *run = &L->out->runs[L->out->nruns];
    run->face = pm_fonts_face(p->s->fonts, gi->item->analysis.font);
    run->rgb[0] = rgb[0];
    run->rgb[1] = rgb[1];
    run->rgb[2] = rgb[2];
    int ng = g1 - g0;
    /* room for a hyphen glyph and its text at the end */
    run->glyphs = pm_arena_array(L->a, (size_t)ng + 2, sizeof(pm_glyph));
    run->clusters = pm_arena_array(L->a, (size_t)ng + 2, sizeof(pm_cluster));
    run->utf8 = pm_arena_alloc(L->a, te - tb + 3);
    run->x0 = L->first_x + (p->gx[r][g0] - L->x0) + shift_at(L->sh, L->nsh, tb);
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
        copy_cluster(L, run, r, g, ge, c, cn, shx, rise);
        g = ge;
    }
    run->x1 = L->xend;
    if (!run->nglyphs && !run->nbytes) return 0;
    L->out->nruns++;
    return 1;
}

/* A hyphen at a hyphenation point: a glyph of its own at the end of the last run (in the
 * font of shaped run gi), standing for a soft hyphen in the text (so copied or searched
 * text reads "revo-lution" as one word). */
static void add_hyphen(line_build *L, PangoGlyphItem *gi)
{
    pm_run *run = &L->out->runs[L->out->nruns - 1];
    const pm_hyphen_glyph *h = pm_setter_hyphen(L->p->s, gi);
    pm_glyph *cg = &run->glyphs[run->nglyphs++];
    cg->index = h->glyph;
    cg->x = L->xend;
    cg->y = run->nglyphs > 1 ? run->glyphs[run->nglyphs - 2].y : 0;
    memcpy((char *)run->utf8 + run->nbytes, SHY, 2);
    run->nbytes += 2;
    run->clusters[run->nclusters++] = (pm_cluster){2, 1};
    L->xend += h->width;
    run->x1 = L->xend;
}

/* Align a ragged line in the measure; returns how far it moved right. */
static double align_ragged(line_build *L)
{
    const pm_shaped *p = L->p;
    pm_line *out = L->out;
    double slack = p->st.width - L->xend;
    double dx = 0;
    if (p->st.align == PM_ALIGN_CENTER) dx = slack / 2;
    else if (p->st.align == PM_ALIGN_RIGHT) dx = slack;
    if (dx > 0) {
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

/* The footnote references and links of the line; dx: how far alignment moved it. */
static void notes_and_links(line_build *L, double dx)
{
    const pm_shaped *p = L->p;
    pm_line *out = L->out;
    uint32_t ls = L->ls, le = L->le;
    const pm_text *t = p->src;
    int nn = 0, nl = 0;
    for (uint32_t i = 0; i < t->nspans; i++) {
        const pm_span *sp = &t->spans[i];
        if (sp->end <= ls || sp->start >= le) continue;
        if (sp->note && sp->start >= ls) nn++;
        if (sp->url) nl++;
    }
    if (nn) out->notes = pm_arena_array(L->a, (size_t)nn, sizeof(int));
    if (nl) out->links = pm_arena_array(L->a, (size_t)nl, sizeof(pm_line_link));
    for (uint32_t i = 0; i < t->nspans; i++) {
        const pm_span *sp = &t->spans[i];
        if (sp->end <= ls || sp->start >= le) continue;
        if (sp->note && sp->start >= ls) out->notes[out->nnotes++] = sp->note;
        if (sp->url) {
            uint32_t a0 = sp->start < ls ? ls : sp->start, a1 = sp->end > le ? le : sp->end;
            pm_line_link *lk = &out->links[out->nlinks++];
            lk->x0 = dx + L->first_x + pm_shaped_x_at(p, a0) - L->x0 + shift_at(L->sh, L->nsh, a0);
            lk->x1 = dx + L->first_x + pm_shaped_x_at(p, a1) - L->x0 + shift_at(L->sh, L->nsh, a1);
            /* a copy: in watch mode the line outlives the document it was set from */
            lk->url = pm_arena_strdup(L->a, sp->url);
        }
    }
}

void pm_shaped_line(pm_shaped *p, pm_arena *a, size_t from, size_t brk, double ratio, int line_no,
                    int overfull, pm_line *out)
{
    line_build L = {.p = p, .a = a, .out = out, .from = from, .brk = brk};
    int justify = p->st.align == PM_ALIGN_JUSTIFY;
    text_range(&L);
    double hang_left = space_shifts(&L, ratio, line_no);
    L.x0 = pm_shaped_x_at(p, L.ls);
    memset(out, 0, sizeof *out);
    out->hang_left = hang_left;
    out->hang_right = p->items[brk].hang_right;
    out->ratio = justify ? ratio : 0;
    out->hyphenated = L.hyphen;
    out->overfull = overfull;
    out->ascent = p->ascent;
    out->descent = p->descent;
    out->src_line = pm_text_line_at(p->src, L.ls);

    /* runs: the glyphs of the shaped paragraph whose clusters start in [ls, le) */
    out->runs = pm_arena_array(a, (size_t)p->nruns + 1, sizeof(pm_run));
    L.xend = L.first_x;
    PangoGlyphItem *last_gi = NULL;
    for (int r = 0; r < p->nruns; r++)
        if (cut_run(&L, r)) last_gi = &p->runs[r];
    if (L.hyphen && !L.shy && last_gi && out->nruns) add_hyphen(&L, last_gi);
    out->width = L.xend;
    double dx = align_ragged(&L);
    notes_and_links(&L, dx);
    free(L.sh);
}
