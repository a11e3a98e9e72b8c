/* line.c - finalize: one broken line of a shaped paragraph (para-imp.h) as a pm_line.
 * The line's text range is cut out of the shaped runs (glyphs are never reshaped), the
 * spaces move by the line's adjustment ratio, a hyphen glyph is added where a word is
 * broken, a ragged line is aligned, and the footnote references and link areas on the
 * line are recorded. */
#include <glib.h>
#include <pango/pangocairo.h>
#include <stdlib.h>
#include <string.h>

#include "text/para-imp.h"

typedef struct {
    uint32_t end;   /* glyphs whose cluster starts at or after this move by extra */
    double extra;
} shift;

static double shift_at(const shift *sh, int nsh, uint32_t off)
{
    double x = 0;
    for (int i = 0; i < nsh && sh[i].end <= off; i++) x += sh[i].extra;
    return x;
}

void pm_shaped_line(pm_shaped *p, pm_arena *a, size_t from, size_t brk, double ratio, int line_no,
                    int overfull, pm_line *out)
{
    const pm_item *items = p->items;
    int justify = p->st.align == PM_ALIGN_JUSTIFY;
    /* text range [ls, le) */
    uint32_t ls = p->len, le;
    for (size_t i = from; i < brk; i++)
        if (items[i].type == PM_ITEM_BOX && (p->item_end[i] > items[i].pos || i + 1 == brk)) {
            ls = items[i].pos;
            break;
        }
    const pm_item *bi = &items[brk];
    int hyphen = bi->type == PM_ITEM_PENALTY && bi->flagged && bi->width > 0;
    int shy = hyphen && p->item_end[brk] > bi->pos; /* a soft hyphen character is there */
    le = shy ? p->item_end[brk] : bi->pos;
    if (ls > le) ls = le;

    /* how far each space moves */
    int nsh = 0;
    shift *sh = pm_xmalloc((brk - from + 1) * sizeof *sh);
    double first_x = 0;
    /* margin kerning: the hangs the line breaker measured this line with */
    double hang_left = 0;
    for (size_t i = from; i < brk; i++)
        if (items[i].type == PM_ITEM_BOX) {
            hang_left = items[i].hang_left;
            break;
        }
    for (size_t i = from; i < brk; i++) {
        if (items[i].type == PM_ITEM_BOX && items[i].pos == 0 && p->item_end[i] == 0 && line_no == 0)
            first_x = items[i].width; /* the indent */
        if (items[i].type != PM_ITEM_GLUE || !justify || items[i].pos < ls) continue;
        double ex = 0;
        if (items[i].stretch >= PM_FIL_STRETCH) ex = 0;
        else if (ratio > 0) ex = ratio * items[i].stretch;
        else ex = ratio * items[i].shrink;
        if (ex != 0) sh[nsh++] = (shift){p->item_end[i], ex};
    }
    first_x -= hang_left;
    double x0 = pm_shaped_x_at(p, ls);
    memset(out, 0, sizeof *out);
    out->hang_left = hang_left;
    out->hang_right = bi->hang_right;
    out->ratio = justify ? ratio : 0;
    out->hyphenated = hyphen;
    out->overfull = overfull;
    out->ascent = p->ascent;
    out->descent = p->descent;
    out->src_line = pm_text_line_at(p->src, ls);

    /* runs: the glyphs of the shaped paragraph whose clusters start in [ls, le) */
    out->runs = pm_arena_array(a, (size_t)p->nruns + 1, sizeof(pm_run));
    double xend = first_x;
    const double *rgb = p->st.font->color;
    PangoGlyphItem *last_gi = NULL;
    for (int r = 0; r < p->nruns; r++) {
        PangoGlyphItem *gi = &p->runs[r];
        PangoGlyphString *gs = gi->glyphs;
        uint32_t ioff = (uint32_t)gi->item->offset;
        uint32_t iend = ioff + (uint32_t)gi->item->length;
        if (iend <= ls || ioff >= le) continue;
        int g0 = -1, g1 = -1;
        if (!(gi->item->analysis.level & 1)) { /* left to right: clusters ascend, search */
            int lo = 0, hi = gs->num_glyphs;
            while (lo < hi) {
                int mid = (lo + hi) / 2;
                if (ioff + (uint32_t)gs->log_clusters[mid] < ls) lo = mid + 1;
                else hi = mid;
            }
            g0 = lo;
            hi = gs->num_glyphs;
            while (lo < hi) {
                int mid = (lo + hi) / 2;
                if (ioff + (uint32_t)gs->log_clusters[mid] < le) lo = mid + 1;
                else hi = mid;
            }
            g1 = lo;
            if (g0 >= g1) g0 = -1;
        } else {
            for (int g = 0; g < gs->num_glyphs; g++) {
                uint32_t c = ioff + (uint32_t)gs->log_clusters[g];
                if (c >= ls && c < le) {
                    if (g0 < 0) g0 = g;
                    g1 = g + 1;
                }
            }
        }
        if (g0 < 0) continue;
        /* glyphs are in visual order: a right-to-left run's clusters descend, and a
           cluster ends where the logically next one, the glyph before it, starts */
        int rtl = gi->item->analysis.level & 1;
        uint32_t tb = ioff + (uint32_t)gs->log_clusters[rtl ? g1 - 1 : g0];
        uint32_t te = rtl ? (g0 > 0 ? ioff + (uint32_t)gs->log_clusters[g0 - 1] : iend)
                          : (g1 < gs->num_glyphs ? ioff + (uint32_t)gs->log_clusters[g1] : iend);
        if (te > le) te = le;
        if (tb < ls) tb = ls;
        if (te < tb) te = tb;
        double rise = 0;
        for (GSList *l = gi->item->analysis.extra_attrs; l; l = l->next) {
            PangoAttribute *at = l->data;
            if (at->klass->type == PANGO_ATTR_RISE) rise = ((PangoAttrInt *)at)->value / (double)PANGO_SCALE;
        }
        pm_run *run = &out->runs[out->nruns];
        run->font = gi->item->analysis.font;
        run->sf = pango_cairo_font_get_scaled_font(PANGO_CAIRO_FONT(run->font));
        run->rgb[0] = rgb[0];
        run->rgb[1] = rgb[1];
        run->rgb[2] = rgb[2];
        int ng = g1 - g0;
        /* room for a hyphen glyph and its text at the end */
        run->glyphs = pm_arena_array(a, (size_t)ng + 2, sizeof(cairo_glyph_t));
        run->clusters = pm_arena_array(a, (size_t)ng + 2, sizeof(cairo_text_cluster_t));
        char *utf8 = pm_arena_alloc(a, te - tb + 3);
        run->utf8 = utf8;
        run->x0 = first_x + (p->gx[r][g0] - x0) + shift_at(sh, nsh, tb);
        int g = g0;
        int shi = 0;       /* spaces passed so far, and how far they moved the glyphs */
        double shx = 0;
        while (g < g1) {
            uint32_t c = ioff + (uint32_t)gs->log_clusters[g];
            int ge = g + 1;
            while (ge < g1 && gs->log_clusters[ge] == gs->log_clusters[g]) ge++;
            uint32_t cn = rtl ? (g > 0 ? ioff + (uint32_t)gs->log_clusters[g - 1] : iend)
                              : (ge < gs->num_glyphs ? ioff + (uint32_t)gs->log_clusters[ge] : iend);
            if (cn > te) cn = te;
            if (cn < c) cn = c;
            int kept = 0;
            while (shi < nsh && sh[shi].end <= c) shx += sh[shi++].extra;
            double sx = shx; /* = shift_at(sh, nsh, c): the shifts are in text order */
            int is_shy_end = shy && c == le - 2;
            for (int k = g; k < ge; k++) {
                PangoGlyphInfo *info = &gs->glyphs[k];
                PangoGlyph gl = info->glyph;
                double gxk = first_x + (p->gx[r][k] - x0) + sx;
                if (is_shy_end && k == g) { /* the soft hyphen ending the line shows */
                    const pm_hyphen_glyph *h = pm_setter_hyphen(p->s, gi);
                    cairo_glyph_t *cg = &run->glyphs[run->nglyphs++];
                    cg->index = h->glyph;
                    cg->x = gxk;
                    cg->y = -rise;
                    kept++;
                    if (gxk + h->width > xend) xend = gxk + h->width;
                    continue;
                }
                if (gl == PANGO_GLYPH_EMPTY || (gl & PANGO_GLYPH_UNKNOWN_FLAG) || is_shy_end) continue;
                cairo_glyph_t *cg = &run->glyphs[run->nglyphs++];
                cg->index = gl;
                cg->x = gxk + info->geometry.x_offset / (double)PANGO_SCALE;
                cg->y = info->geometry.y_offset / (double)PANGO_SCALE - rise;
                kept++;
                double right = gxk + info->geometry.width / (double)PANGO_SCALE;
                if (right > xend) xend = right;
            }
            uint32_t nb = cn - c;
            memcpy(utf8 + run->nbytes, p->text + c, nb);
            if (nb || kept) {
                cairo_text_cluster_t *cl = &run->clusters[run->nclusters++];
                cl->num_bytes = (int)nb;
                cl->num_glyphs = kept;
                run->nbytes += (int)nb;
            }
            g = ge;
        }
        run->x1 = xend;
        if (run->nglyphs || run->nbytes) {
            out->nruns++;
            last_gi = gi;
        }
    }
    /* a hyphen at a hyphenation point: a glyph of its own, standing for a soft hyphen in
       the text (so copied or searched text reads "revo-lution" as one word) */
    if (hyphen && !shy && last_gi && out->nruns) {
        pm_run *run = &out->runs[out->nruns - 1];
        const pm_hyphen_glyph *h = pm_setter_hyphen(p->s, last_gi);
        cairo_glyph_t *cg = &run->glyphs[run->nglyphs++];
        cg->index = h->glyph;
        cg->x = xend;
        cg->y = run->nglyphs > 1 ? run->glyphs[run->nglyphs - 2].y : 0;
        memcpy((char *)run->utf8 + run->nbytes, SHY, 2);
        run->nbytes += 2;
        run->clusters[run->nclusters++] = (cairo_text_cluster_t){2, 1};
        xend += h->width;
        run->x1 = xend;
    }
    out->width = xend;

    /* alignment of ragged lines */
    double slack = p->st.width - xend;
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

    /* footnote references and links in this line */
    const pm_text *t = p->src;
    int nn = 0, nl = 0;
    for (uint32_t i = 0; i < t->nspans; i++) {
        const pm_span *sp = &t->spans[i];
        if (sp->end <= ls || sp->start >= le) continue;
        if (sp->note && sp->start >= ls) nn++;
        if (sp->url) nl++;
    }
    if (nn) out->notes = pm_arena_array(a, (size_t)nn, sizeof(int));
    if (nl) out->links = pm_arena_array(a, (size_t)nl, sizeof(pm_line_link));
    for (uint32_t i = 0; i < t->nspans; i++) {
        const pm_span *sp = &t->spans[i];
        if (sp->end <= ls || sp->start >= le) continue;
        if (sp->note && sp->start >= ls) out->notes[out->nnotes++] = sp->note;
        if (sp->url) {
            uint32_t a0 = sp->start < ls ? ls : sp->start, a1 = sp->end > le ? le : sp->end;
            pm_line_link *lk = &out->links[out->nlinks++];
            lk->x0 = dx + first_x + pm_shaped_x_at(p, a0) - x0 + shift_at(sh, nsh, a0);
            lk->x1 = dx + first_x + pm_shaped_x_at(p, a1) - x0 + shift_at(sh, nsh, a1);
            /* a copy: in watch mode the line outlives the document it was set from */
            lk->url = pm_arena_strdup(a, sp->url);
        }
    }
    free(sh);
}

