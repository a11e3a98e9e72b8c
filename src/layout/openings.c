/* openings.c - how the first paragraph of a section opens (`openings:` in a layout): a drop
 * cap over its first lines, and its first words (or its whole first line) in small caps.
 *
 * The drop cap is the paragraph's first letter (with an opening quotation mark before it),
 * taken out of its text and set on its own, in a size that makes its capital reach from
 * the cap height of the first line to the baseline of the n-th; the paragraph's first n
 * lines are set that much narrower (a shape, pm_para_style), and the initial hangs beside
 * the first line (vhung), on the n-th line's baseline. */
#include <math.h>
#include <string.h>

#include "layout/flow-imp.h"

/* Whether paragraph b (in frame fr, after what cursor c has passed) opens a section: the
 * first paragraph after a heading of a level the layout names, in the run of the text
 * (not in a quote, a list or a box); or one marked {.dropcap}. */
int pm_opens_section(const fstate *fs, const cursor *c, const pm_block *b, const cframe *fr)
{
    const pm_opening_spec *o = &fs->spec->opening;
    if ((!o->drop_lines && !o->first_line) || b->kind != PM_BLK_PARA || !b->text.len || fs->back) return 0;
    if (pm_attrs_has(&b->attrs, "nodropcap")) return 0;
    if (pm_attrs_has(&b->attrs, "dropcap")) return 1;
    return c->prev && c->prev->kind == PM_BLK_HEADING && c->prev->level <= o->after && !fr->quote && !fr->list &&
           !fr->boxed && !c->marker && !c->after_fig;
}

/* The bytes of the initial at the start of s: opening punctuation, then a letter or a
 * figure with its combining marks; 0 if s does not start so. */
static uint32_t initial_len(const char *s, uint32_t n)
{
    uint32_t i = 0;
    while (i < n) {
        gunichar ch = g_utf8_get_char(s + i);
        GUnicodeType t = g_unichar_type(ch);
        if (t != G_UNICODE_INITIAL_PUNCTUATION && t != G_UNICODE_OPEN_PUNCTUATION && ch != '"' && ch != '\'') break;
        i = (uint32_t)(g_utf8_next_char(s + i) - s);
    }
    if (i >= n || !g_unichar_isalnum(g_utf8_get_char(s + i))) return 0;
    i = (uint32_t)(g_utf8_next_char(s + i) - s);
    while (i < n && g_unichar_ismark(g_utf8_get_char(s + i))) i = (uint32_t)(g_utf8_next_char(s + i) - s);
    return i;
}

/* t without its first k bytes, with one more span (start, end, style) over what is left
 * (end 0: none); in the arena. */
static pm_text *cut_text(pm_arena *a, const pm_text *t, uint32_t k, uint32_t end, unsigned style)
{
    pm_text *o = pm_arena_alloc(a, sizeof *o);
    *o = *t;
    o->utf8 = t->utf8 + k;
    o->len = t->len - k;
    o->spans = pm_arena_array(a, t->nspans + 1, sizeof *o->spans);
    o->nspans = 0;
    if (end > 0) o->spans[o->nspans++] = (pm_span){0, end, style, NULL, 0};
    for (uint32_t i = 0; i < t->nspans; i++) {
        pm_span sp = t->spans[i];
        if (sp.end <= k) continue;
        sp.start = sp.start > k ? sp.start - k : 0;
        sp.end -= k;
        o->spans[o->nspans++] = sp;
    }
    o->line_starts = pm_arena_array(a, t->nline_starts + 1, sizeof *o->line_starts);
    o->nline_starts = 0;
    for (uint32_t i = 0; i < t->nline_starts; i++)
        if (t->line_starts[i] > k) o->line_starts[o->nline_starts++] = t->line_starts[i] - k;
    return o;
}

/* The end of the first n words of t (at a space). */
static uint32_t words_end(const pm_text *t, int n)
{
    uint32_t i = 0;
    while (i < t->len && t->utf8[i] == ' ') i++;
    for (int w = 0; w < n && i < t->len; w++) {
        while (i < t->len && t->utf8[i] != ' ') i++;
        if (w + 1 < n)
            while (i < t->len && t->utf8[i] == ' ') i++;
    }
    return i;
}

/* The bytes of the text a line holds (a hyphen the setter added is not in the text). */
static uint32_t line_bytes(const pm_line *l)
{
    uint32_t n = 0;
    for (int r = 0; r < l->nruns; r++) n += (uint32_t)l->runs[r].nbytes;
    return l->hyphenated && n >= 2 ? n - 2 : n;
}

/* The small caps over the whole first line: set, see where the line ends, span up to
 * there and set again (small caps are wider), until the span is the line (at most four
 * times; else the last span that the first line holds). */
static const pm_text *first_line_caps(fstate *fs, const pm_text *t, const pm_para_style *st)
{
    const pm_text *best = t;
    uint32_t end = 0;
    for (int k = 0; k < 4; k++) {
        const pm_text *try = end ? cut_text(fs->a, t, 0, end, PM_ST_SMALLCAPS) : t;
        pm_shaped *sh = pm_para_shape(fs->set, try, st);
        pm_para pp;
        pm_para_break(fs->set, sh, 0, fs->a, &pp);
        pm_shaped_drop(sh);
        if (!pp.nlines) return best;
        uint32_t e = line_bytes(&pp.lines[0]);
        while (e < t->len && t->utf8[e] != ' ') e++; /* (a word broken at the line's end: all of it) */
        if (end && e >= end) best = try;
        if (e == end) break;
        end = e;
    }
    return best;
}

/* Cap height of a font: the ink of an H. */
static double cap_height(fstate *fs, const pm_font_spec *f)
{
    const pm_line *l = pm_para_single(fs->set, "H", f, fs->a);
    if (!l->nruns || !l->runs[0].nglyphs || !l->runs[0].face) return 0.7 * pm_font_size(fs->spec, f);
    cairo_text_extents_t e;
    cairo_scaled_font_glyph_extents(pm_face_cairo(l->runs[0].face), (const cairo_glyph_t *)l->runs[0].glyphs, 1, &e);
    return -e.y_bearing;
}

/* The initial (the first k bytes of t) set in the drop-cap font, sized to span n lines of
 * leading lead from the cap height of the body's first line. */
static const pm_line *set_initial(fstate *fs, const pm_text *t, uint32_t k, int n, double lead,
                                  const pm_font_spec *body)
{
    const pm_spec *sp = fs->spec;
    double want = (n - 1) * lead + cap_height(fs, body);
    double cap = cap_height(fs, &sp->opening.drop_font);
    if (cap <= 0) return NULL;
    pm_font_spec *f = pm_arena_alloc(fs->a, sizeof *f);
    *f = sp->opening.drop_font;
    f->size = (pm_len){PM_LEN_PT, pm_font_size(sp, f) * want / cap};
    f->leading = f->size;
    f->tracking = (pm_len){PM_LEN_PT, 0};
    pm_text *it = pm_arena_alloc(fs->a, sizeof *it);
    memset(it, 0, sizeof *it);
    it->utf8 = pm_arena_strndup(fs->a, t->utf8, k);
    it->len = k;
    it->line = t->line;
    pm_para_style st = {.font = f, .align = PM_ALIGN_LEFT, .width = 1e4, .quiet = 1};
    pm_shaped *sh = pm_para_shape(fs->set, it, &st); /* (not cached: the font is this paragraph's) */
    pm_para pp;
    pm_para_break(fs->set, sh, 0, fs->a, &pp);
    pm_shaped_drop(sh);
    return pp.nlines ? &pp.lines[0] : NULL;
}

const pm_text *pm_opening(fstate *fs, const pm_block *b, pm_para_style *st, double left, const vhung **initial,
                          int *lines)
{
    const pm_spec *sp = fs->spec;
    const pm_opening_spec *o = &sp->opening;
    const pm_text *t = &b->text;
    *initial = NULL;
    *lines = 0;
    int n = o->drop_lines ? o->drop_lines : pm_attrs_has(&b->attrs, "dropcap") ? 3 : 0;
    uint32_t k = n > 1 ? initial_len(t->utf8, t->len) : 0;
    if (k && k < t->len) {
        double lead = pm_flow_leading(fs, st->font);
        const pm_line *cap = set_initial(fs, t, k, n, lead, st->font);
        const pm_text *rest = cut_text(fs->a, t, k, 0, 0);
        if (cap) {
            double w = cap->width + 0.2 * pm_font_size(sp, st->font);
            double *shape = pm_arena_array(fs->a, (size_t)n + 1, sizeof *shape);
            for (int i = 0; i < n; i++) shape[i] = w;
            shape[n] = 0;
            pm_para_style ds = *st;
            ds.indent = 0;
            ds.shape = shape;
            ds.nshape = n + 1;
            pm_para probe;
            pm_para_set(fs->set, rest, &ds, fs->a, &probe);
            if (probe.nlines >= n) { /* (a paragraph shorter than its initial has none) */
                vhung *h = pm_arena_alloc(fs->a, sizeof *h);
                *h = (vhung){cap, left, (n - 1) * lead, PM_FL_INITIAL};
                *initial = h;
                *lines = n;
                *st = ds;
                t = rest;
            }
        }
    }
    if (o->first_line > 0) t = cut_text(fs->a, t, 0, words_end(t, o->first_line), PM_ST_SMALLCAPS);
    else if (o->first_line < 0) t = first_line_caps(fs, t, st);
    return t;
}
