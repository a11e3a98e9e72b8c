/* parabench.c - paragraph layout benchmark for `make bench` (issue 4): pamphlet's
 * paragraph setting (pm_para_set: shaping once with Pango/HarfBuzz, boxes/glue/penalties,
 * hyphenation where needed, Knuth-Plass, building the justified lines) against Pango's
 * own line-by-line wrapping of the same paragraphs (a PangoLayout per paragraph, justified,
 * iterated line by line so the layout is really computed; nothing drawn).
 *
 *   parabench [-r ROUNDS] [-l LAYOUT] [--fonts DIR] CONTENT.md
 *
 * Both sides get the same paragraphs (every PM_BLK_PARA block of the content), the same
 * PangoContext (pm_fonts_context), the same font description per paragraph
 * (pm_fonts_desc: the body font, or the quote font in a block quote, as src/layout/flow.c
 * chooses), the same inline styles as Pango attributes (italic, bold, code, footnote
 * numbers, as src/text/shape.c sets them), the same width (the text width of the layout
 * less list and quote indents) and first-line indent. Start-up (content, layout, fonts,
 * hyphenation patterns) is not timed. Each round starts with a new pm_setter and newly
 * loaded hyphenation patterns, so pamphlet's caches are as cold as in a run of the
 * program; one untimed round comes first so that both sides find the fonts loaded. In
 * each round every paragraph is timed on both sides with CLOCK_MONOTONIC, alternating
 * which side goes first. Freeing the result is timed on the Pango side (the layout's
 * unref) and the pamphlet side (pm_para_set frees its shaping); the lines pamphlet builds
 * live in an arena that is dropped untimed.
 *
 * Output: a human-readable summary on stderr, and on stdout one machine-readable line
 *   PARABENCH file=... paras=N rounds=R pm_ms=MEDIAN pm_min=.. pm_max=.. pango_ms=MEDIAN
 *     pango_min=.. pango_max=.. ratio=PM/PANGO pm_us_para=.. pango_us_para=..
 *     pm_lines=.. pango_lines=.. slow_paras=K
 * (times in milliseconds for all paragraphs of one round; slow_paras = paragraphs whose
 * median time is above Pango's for the same paragraph). */
#include <pango/pangocairo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "input/content.h"
#include "base/diag.h"
#include "text/fonts.h"
#include "text/hyph.h"
#include "text/paragraph.h"
#include "input/spec.h"

typedef struct para {
    const pm_block *b;
    pm_para_style st;
    PangoFontDescription *desc;
    PangoAttrList *attrs;
    double *pm_t, *pango_t; /* per round, seconds */
    int pm_lines, pango_lines;
} para;

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + t.tv_nsec * 1e-9;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, int n)
{
    double *c = malloc((size_t)n * sizeof *c);
    memcpy(c, v, (size_t)n * sizeof *c);
    qsort(c, (size_t)n, sizeof *c, cmp_double);
    double m = n % 2 ? c[n / 2] : (c[n / 2 - 1] + c[n / 2]) / 2;
    free(c);
    return m;
}

static void add_attr(PangoAttrList *l, PangoAttribute *a, uint32_t start, uint32_t end)
{
    a->start_index = start;
    a->end_index = end;
    pango_attr_list_insert(l, a);
}

/* The inline styles of a paragraph as Pango attributes, as src/text/shape.c sets them. */
static PangoAttrList *span_attrs(const pm_spec *spec, const pm_font_spec *f, const pm_text *t)
{
    PangoAttrList *l = pango_attr_list_new();
    double size = pm_font_size(spec, f);
    for (uint32_t i = 0; i < t->nspans; i++) {
        const pm_span *sp = &t->spans[i];
        uint32_t a = sp->start, b = sp->end;
        if (sp->style & PM_ST_ITALIC)
            add_attr(l, pango_attr_style_new(f->italic ? PANGO_STYLE_NORMAL : PANGO_STYLE_ITALIC), a, b);
        if (sp->style & PM_ST_BOLD) add_attr(l, pango_attr_weight_new(PANGO_WEIGHT_BOLD), a, b);
        if (sp->style & PM_ST_CODE) {
            add_attr(l, pango_attr_family_new(spec->code.family), a, b);
            add_attr(l, pango_attr_style_new(PANGO_STYLE_NORMAL), a, b);
            add_attr(l, pango_attr_weight_new(PANGO_WEIGHT_NORMAL), a, b);
            add_attr(l, pango_attr_scale_new(pm_font_size(spec, &spec->code) / pm_spec_body_size(spec)), a, b);
        }
        if (sp->style & PM_ST_SUPER) {
            add_attr(l, pango_attr_scale_new(0.68), a, b);
            add_attr(l, pango_attr_rise_new((int)(size * 0.36 * PANGO_SCALE + 0.5)), a, b);
        }
    }
    return l;
}

static int set_pamphlet(pm_setter *set, para *p, pm_arena *a)
{
    pm_para out;
    pm_para_set(set, &p->b->text, &p->st, a, &out);
    return out.nlines;
}

static int set_pango(PangoContext *ctx, para *p)
{
    PangoLayout *lay = pango_layout_new(ctx);
    pango_layout_set_font_description(lay, p->desc);
    pango_layout_set_width(lay, (int)(p->st.width * PANGO_SCALE));
    pango_layout_set_wrap(lay, PANGO_WRAP_WORD);
    pango_layout_set_justify(lay, p->st.align == PM_ALIGN_JUSTIFY);
    pango_layout_set_indent(lay, (int)(p->st.indent * PANGO_SCALE));
    pango_layout_set_attributes(lay, p->attrs);
    pango_layout_set_text(lay, p->b->text.utf8, (int)p->b->text.len);
    int n = 0;
    PangoLayoutIter *it = pango_layout_get_iter(lay);
    do {
        PangoRectangle logical;
        pango_layout_iter_get_line_extents(it, NULL, &logical);
        (void)pango_layout_iter_get_line_readonly(it);
        n++;
    } while (pango_layout_iter_next_line(it));
    pango_layout_iter_free(it);
    g_object_unref(lay);
    return n;
}

int main(int argc, char **argv)
{
    int rounds = 15;
    const char *layout = "layouts/a5.yaml", *fontdir = "fonts", *src = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-r") && i + 1 < argc) rounds = atoi(argv[++i]);
        else if (!strcmp(argv[i], "-l") && i + 1 < argc) layout = argv[++i];
        else if (!strcmp(argv[i], "--fonts") && i + 1 < argc) fontdir = argv[++i];
        else if (!src && argv[i][0] != '-') src = argv[i];
        else src = NULL, i = argc;
    }
    if (!src || rounds < 1) {
        fprintf(stderr, "usage: parabench [-r ROUNDS] [-l LAYOUT] [--fonts DIR] CONTENT.md\n");
        return 2;
    }
    pm_diag_quiet(1);
    /* an absolute folder, as the program finds it (fontconfig takes a relative
       FONTCONFIG_FILE as relative to /etc/fonts) */
    char *fontabs = realpath(fontdir, NULL);
    if (fontabs) fontdir = fontabs;
    pm_doc *doc;
    pm_spec *spec;
    pm_fonts *fonts;
    int rc;
    if ((rc = pm_content_load(src, &doc)) || (rc = pm_spec_load(layout, &spec)) || (rc = pm_fonts_new(fontdir, &fonts)))
        return rc;
    PangoContext *ctx = pm_fonts_context(fonts);
    const char *lang = doc->meta.lang ? doc->meta.lang : "en-US";

    /* the paragraphs and their styles, as the collector sets them (src/layout/collect.c) */
    double tx, ty, tw, th;
    pm_spec_text_area(spec, 1, &tx, &ty, &tw, &th);
    double pspace = pm_spec_len(spec, spec->para_space, th);
    double indent = pm_spec_len(spec, spec->indent, tw);
    double qind = pm_spec_len(spec, spec->quote_indent, tw);
    double lind = pm_spec_len(spec, spec->list_indent, tw);
    /* the leaves of the document tree, walked as the collector does (layout/collect.c) */
    size_t nleaves = 0;
    pm_walk w;
    const pm_block *blk;
    pm_walk_init(&w, doc->blocks, doc->nblocks);
    for (pm_walk_event ev; (ev = pm_walk_next(&w, &blk)) != PM_WALK_END;) nleaves += ev == PM_WALK_LEAF;
    para *ps = calloc(nleaves + 1, sizeof *ps);
    int np = 0;
    size_t nbytes = 0;
    const pm_block *prev = NULL, *prev_parent = NULL;
    const pm_block *parents[2 * PM_MAX_BLOCK_DEPTH + 3] = {NULL};
    int quote = 0, list = 0, depth = 0, item_first = 0;
    pm_walk_init(&w, doc->blocks, doc->nblocks);
    for (pm_walk_event ev; (ev = pm_walk_next(&w, &blk)) != PM_WALK_END;) {
        if (ev != PM_WALK_LEAF) {
            int d = ev == PM_WALK_ENTER ? 1 : -1;
            quote += blk->kind == PM_BLK_QUOTE ? d : 0;
            list += blk->kind == PM_BLK_LIST ? d : 0;
            if (ev == PM_WALK_ENTER) parents[++depth] = blk;
            else depth--;
            if (ev == PM_WALK_ENTER && blk->kind == PM_BLK_ITEM) item_first = 1;
            continue;
        }
        int first = item_first;
        item_first = 0;
        if (blk->kind == PM_BLK_PAGEBREAK) {
            prev = NULL;
            continue;
        }
        if (blk->kind != PM_BLK_PARA) {
            prev = blk;
            prev_parent = parents[depth];
            continue;
        }
        para *p = &ps[np++];
        p->b = blk;
        const pm_font_spec *font = quote ? &spec->quote : &spec->body;
        int follows_para = prev && prev->kind == PM_BLK_PARA && prev_parent == parents[depth] && !first;
        int follows_heading = prev && prev->kind == PM_BLK_HEADING;
        double left = quote * qind + list * lind, right = quote * qind;
        p->st = (pm_para_style){.font = font,
                                .align = spec->align,
                                .width = tw - left - right,
                                .indent = pspace == 0 && (follows_para || (follows_heading && spec->indent_after_heading))
                                              ? indent : 0,
                                .hyphenate = spec->hyphenate};
        p->desc = pm_fonts_desc(spec, font);
        p->attrs = span_attrs(spec, font, &blk->text);
        p->pm_t = calloc((size_t)rounds, sizeof(double));
        p->pango_t = calloc((size_t)rounds, sizeof(double));
        nbytes += blk->text.len;
        prev = blk;
        prev_parent = parents[depth];
    }
    if (!np) {
        fprintf(stderr, "parabench: %s has no paragraphs\n", src);
        return 1;
    }

    double *pm_tot = calloc((size_t)rounds, sizeof(double)), *pango_tot = calloc((size_t)rounds, sizeof(double));
    for (int r = -1; r < rounds; r++) { /* round -1: warm-up, not counted */
        pm_hyph *hyph = spec->hyphenate ? pm_hyph_load(lang, src, 0) : NULL;
        pm_setter *set = pm_setter_new(fonts, spec, hyph, src);
        pm_arena *a = pm_arena_new();
        for (int i = 0; i < np; i++) {
            para *p = &ps[i];
            double t0, t1, t2;
            int n1, n2;
            if ((i + r) % 2) {
                t0 = now();
                n1 = set_pamphlet(set, p, a);
                t1 = now();
                n2 = set_pango(ctx, p);
                t2 = now();
                if (r >= 0) p->pm_t[r] = t1 - t0, p->pango_t[r] = t2 - t1;
            } else {
                t0 = now();
                n2 = set_pango(ctx, p);
                t1 = now();
                n1 = set_pamphlet(set, p, a);
                t2 = now();
                if (r >= 0) p->pango_t[r] = t1 - t0, p->pm_t[r] = t2 - t1;
            }
            p->pm_lines = n1;
            p->pango_lines = n2;
        }
        pm_arena_drop(a);
        pm_setter_drop(set);
        pm_hyph_drop(hyph);
        if (r >= 0)
            for (int i = 0; i < np; i++) pm_tot[r] += ps[i].pm_t[r], pango_tot[r] += ps[i].pango_t[r];
    }

    int pm_lines = 0, pango_lines = 0, slow = 0;
    double worst = 0;
    int worst_i = 0;
    for (int i = 0; i < np; i++) {
        pm_lines += ps[i].pm_lines;
        pango_lines += ps[i].pango_lines;
        double a = median(ps[i].pm_t, rounds), b = median(ps[i].pango_t, rounds);
        if (a > b) slow++;
        if (a / b > worst) worst = a / b, worst_i = i;
    }
    double pm_med = median(pm_tot, rounds) * 1e3, pango_med = median(pango_tot, rounds) * 1e3;
    qsort(pm_tot, (size_t)rounds, sizeof(double), cmp_double);
    qsort(pango_tot, (size_t)rounds, sizeof(double), cmp_double);
    fprintf(stderr,
            "%s: %d paragraphs, %zu bytes, %d rounds\n"
            "  pamphlet (shape + Knuth-Plass + lines): median %.2f ms (min %.2f, max %.2f), %.1f us/paragraph, %d lines\n"
            "  Pango's own wrapping:                   median %.2f ms (min %.2f, max %.2f), %.1f us/paragraph, %d lines\n"
            "  ratio %.2f; %d paragraphs slower than Pango (worst x%.2f, line %d)\n",
            src, np, nbytes, rounds, pm_med, pm_tot[0] * 1e3, pm_tot[rounds - 1] * 1e3, pm_med * 1e3 / np, pm_lines,
            pango_med, pango_tot[0] * 1e3, pango_tot[rounds - 1] * 1e3, pango_med * 1e3 / np, pango_lines,
            pm_med / pango_med, slow, worst, ps[worst_i].b->line);
    printf("PARABENCH file=%s paras=%d bytes=%zu rounds=%d pm_ms=%.4f pm_min=%.4f pm_max=%.4f pango_ms=%.4f "
           "pango_min=%.4f pango_max=%.4f ratio=%.4f pm_us_para=%.2f pango_us_para=%.2f pm_lines=%d pango_lines=%d "
           "slow_paras=%d\n",
           src, np, nbytes, rounds, pm_med, pm_tot[0] * 1e3, pm_tot[rounds - 1] * 1e3, pango_med, pango_tot[0] * 1e3,
           pango_tot[rounds - 1] * 1e3, pm_med / pango_med, pm_med * 1e3 / np, pango_med * 1e3 / np, pm_lines,
           pango_lines, slow);
    return 0;
}
