/* shape.c - the first stages of setting a paragraph (para-imp.h): prepare the text (hard
 * breaks become U+200B), itemize it (a paragraph in one font and Latin script as one
 * item made here, any other with Pango) and shape each item a word at a time (words.c),
 * then record the natural x of every glyph and cluster, which the later stages measure
 * with. Also the checks on what shaping gave: characters no font has, faces other than
 * the one asked for. pm_para_shape runs these and the first collection of items. */
#include <glib.h>
#include <math.h>
#include <pango/pangofc-font.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/diag.h"
#include "text/para-imp.h"

/* ---- prepare ---- */

static void prepare(pm_shaped *p)
{
    const pm_text *t = p->src;
    p->len = t->len;
    p->text = g_malloc(t->len + 1);
    memcpy(p->text, t->utf8, t->len);
    p->text[t->len] = 0;
    /* a hard line break becomes a zero-width space of the same length (E2 80 A8 ->
       E2 80 8B): Pango would otherwise start a new line of its own */
    for (uint32_t i = 0; i + 2 < p->len; i++)
        if ((unsigned char)p->text[i] == 0xE2 && (unsigned char)p->text[i + 1] == 0x80 &&
            (unsigned char)p->text[i + 2] == 0xA8)
            p->text[i + 2] = (char)0x8B;
}

/* ---- shape ---- */

static void add_attr(PangoAttrList *l, PangoAttribute *a, uint32_t start, uint32_t end)
{
    a->start_index = start;
    a->end_index = end;
    pango_attr_list_insert(l, a);
}

static void apply_font_attrs(PangoAttrList *l, const pm_font_spec *f, uint32_t start, uint32_t end)
{
    char feat[256];
    snprintf(feat, sizeof feat, "%s%s%s", f->features ? f->features : "",
             f->features && *f->features && f->smallcaps ? ", " : "", f->smallcaps ? "smcp=1" : "");
    if (*feat) add_attr(l, pango_attr_font_features_new(feat), start, end);
    if (f->uppercase)
        add_attr(l, pango_attr_text_transform_new(PANGO_TEXT_TRANSFORM_UPPERCASE), start, end);
}

/* The natural x of every glyph (runs side by side in logical order, each run's glyphs in
 * its visual order) and of every cluster start in logical order: the width of the text
 * before it, whatever its direction. */
static void measure(pm_shaped *p, size_t ng)
{
    p->cl_off = pm_xmalloc((ng + 1) * sizeof *p->cl_off);
    p->cl_x = pm_xmalloc((ng + 1) * sizeof *p->cl_x);
    double x = 0;
    for (int i = 0; i < p->nruns; i++) {
        PangoGlyphItem *gi = &p->runs[i];
        PangoGlyphString *gs = gi->glyphs;
        p->gx[i] = pm_xmalloc(((size_t)gs->num_glyphs + 1) * sizeof(double));
        int rtl = gi->item->analysis.level & 1;
        double lx = x; /* a right-to-left run's clusters: from its right end, logical order */
        for (int g = 0; g < gs->num_glyphs; g++) {
            p->gx[i][g] = x;
            int lg = rtl ? gs->num_glyphs - 1 - g : g;
            uint32_t off = (uint32_t)(gi->item->offset + gs->log_clusters[lg]);
            if (!p->ncl || p->cl_off[p->ncl - 1] < off) {
                p->cl_off[p->ncl] = off;
                p->cl_x[p->ncl] = rtl ? lx : x;
                p->ncl++;
            }
            if (rtl) lx += gs->glyphs[lg].geometry.width / (double)PANGO_SCALE;
            x += gs->glyphs[g].geometry.width / (double)PANGO_SCALE;
        }
        p->gx[i][gs->num_glyphs] = x;
    }
    p->total_w = x;
}

/* ---- itemize ---- */

static int same_item(const PangoItem *a, const PangoItem *b)
{
    const PangoAnalysis *x = &a->analysis, *y = &b->analysis;
    if (a->offset != b->offset || a->length != b->length || a->num_chars != b->num_chars || x->font != y->font ||
        x->level != y->level || x->gravity != y->gravity || x->flags != y->flags || x->script != y->script ||
        x->language != y->language || g_slist_length(x->extra_attrs) != g_slist_length(y->extra_attrs))
        return 0;
    for (GSList *i = x->extra_attrs, *j = y->extra_attrs; i; i = i->next, j = j->next)
        if (!pango_attribute_equal(i->data, j->data)) return 0;
    return 1;
}

static void check_itemize(pm_setter *s, const pm_shaped *p, PangoAttrList *l, const PangoItem *mine)
{
    GList *items = pango_itemize_with_base_dir(s->ctx, PANGO_DIRECTION_LTR, p->text, 0, (int)p->len, l, NULL);
    int same = g_list_length(items) == 1 && same_item(items->data, mine);
    if (!same) {
        const PangoItem *a = items->data;
        fprintf(stderr, "pango_itemize / one item: %u items; offset %d/%d length %d/%d chars %d/%d font %p/%p level %d/%d "
                        "gravity %d/%d flags %d/%d script %d/%d language %s/%s attributes %u/%u\n",
                g_list_length(items), a->offset, mine->offset, a->length, mine->length, a->num_chars, mine->num_chars,
                (void *)a->analysis.font, (void *)mine->analysis.font, a->analysis.level, mine->analysis.level,
                a->analysis.gravity, mine->analysis.gravity, a->analysis.flags, mine->analysis.flags,
                a->analysis.script, mine->analysis.script, pango_language_to_string(a->analysis.language),
                pango_language_to_string(mine->analysis.language), g_slist_length(a->analysis.extra_attrs),
                g_slist_length(mine->analysis.extra_attrs));
    }
    g_list_free_full(items, (GDestroyNotify)pango_item_free);
    if (same) return;
    fprintf(stderr, "pamphlet: internal error: \"%.*s\" itemized as one item is not what pango_itemize gives\n",
            (int)p->len, p->text);
    abort();
}

/* Characters that Pango puts in one item with the Latin text around them, left to right,
 * in the font that has them: Latin, common and inherited (combining) characters below
 * the General Punctuation block and that block's dashes, quotes and ellipsis; no
 * direction marks, joiners, separators or emoji (the script, bidi and emoji iterators of
 * pango_itemize would split there). */
static int simple_char(gunichar c, int *latin)
{
    if (c >= 0x2000) return (c >= 0x2010 && c <= 0x2027) || (c >= 0x2030 && c <= 0x205E);
    GUnicodeScript sc = g_unichar_get_script(c);
    *latin |= sc == G_UNICODE_SCRIPT_LATIN;
    return (sc == G_UNICODE_SCRIPT_LATIN || sc == G_UNICODE_SCRIPT_COMMON || sc == G_UNICODE_SCRIPT_INHERITED) &&
           c != 0x061C;
}

/* Whether Pango would choose a font for c (it keeps the current one for spaces,
 * controls and separators: pango 1.50 itemize.c). */
static int chooses_font(gunichar c)
{
    GUnicodeType t = g_unichar_type(c);
    return g_unichar_isgraph(c) && t != G_UNICODE_SPACE_SEPARATOR && t != G_UNICODE_LINE_SEPARATOR &&
           t != G_UNICODE_PARAGRAPH_SEPARATOR;
}

int pm_text_simple(const char *text, size_t len, PangoScript *script, gunichar *first, int *nchars)
{
    const char *end = text + len;
    int latin = 0;
    *first = 0;
    *nchars = 0;
    for (const char *q = text; q < end; q = g_utf8_next_char(q), ++*nchars) {
        gunichar c = g_utf8_get_char(q);
        if (!simple_char(c, &latin)) return 0;
        if (!*first && chooses_font(c)) *first = c;
    }
    *script = latin ? PANGO_SCRIPT_LATIN : PANGO_SCRIPT_COMMON;
    return 1;
}

gunichar pm_text_first(const char *text, size_t len)
{
    for (const char *q = text, *end = text + len; q < end; q = g_utf8_next_char(q))
        if (chooses_font(g_utf8_get_char(q))) return g_utf8_get_char(q);
    return 0;
}

void pm_ascii_coverage(FcCharSet *cs, uint64_t has[2])
{
    has[0] = has[1] = 0;
    for (unsigned c = 0; c < 128; c++)
        if (FcCharSetHasChar(cs, c)) has[c / 64] |= 1ull << c % 64;
}

int pm_text_covered(const char *text, size_t len, FcCharSet *cs, const uint64_t ascii[2], int every)
{
    for (const char *q = text, *end = text + len; q < end; q = g_utf8_next_char(q)) {
        gunichar c = g_utf8_get_char(q);
        if (every ? c == ' ' : !chooses_font(c)) continue;
        if (!(c < 128 ? (int)(ascii[c / 64] >> c % 64 & 1) : FcCharSetHasChar(cs, c))) return 0;
    }
    return 1;
}

PangoFontset *pm_para_fontset(pm_setter *s, PangoAttrList *l, PangoLanguage **lang, GSList **extra)
{
    PangoAttrIterator *it = pango_attr_list_get_iterator(l);
    PangoFontDescription *d = pango_font_description_new();
    *lang = pango_context_get_language(s->ctx); /* (NULL: itemizing takes the default) */
    if (!*lang) *lang = pango_language_get_default();
    *extra = NULL;
    pango_attr_iterator_get_font(it, d, NULL, extra);
    pango_attr_iterator_destroy(it);
    int ok = 1;
    for (GSList *e = *extra; e; e = e->next)
        ok &= ((PangoAttribute *)e->data)->klass->type == PANGO_ATTR_FONT_FEATURES;
    PangoFontset *fs = ok ? pango_context_load_fontset(s->ctx, d, *lang) : NULL;
    pango_font_description_free(d);
    if (!fs) {
        g_slist_free_full(*extra, (GDestroyNotify)pango_attribute_destroy);
        *extra = NULL;
    }
    return fs;
}

FcCharSet *pm_font_coverage(PangoFont *font)
{
    FcCharSet *cs = NULL;
    if (!font || !PANGO_IS_FC_FONT(font) ||
        FcPatternGetCharSet(PANGO_FC_FONT(font)->font_pattern, FC_CHARSET, 0, &cs) != FcResultMatch)
        return NULL;
    return cs;
}

PangoItem *pm_one_item(PangoFont *font, PangoLanguage *lang, GSList *extra, PangoScript script, int len, int nchars)
{
    PangoItem *item = pango_item_new();
    item->offset = 0;
    item->length = len;
    item->num_chars = nchars;
    item->analysis.font = font;
    item->analysis.level = 0;
    item->analysis.gravity = PANGO_GRAVITY_SOUTH;
    item->analysis.script = script;
    item->analysis.language = lang;
    item->analysis.extra_attrs = extra;
    return item;
}

/* A paragraph in one font and no spans, all of it simple_char and in the font Pango
 * finds for its first letter, is one item: made here without pango_itemize (its script,
 * bidi, emoji and font iterators over every character were 7 % of a run's instructions).
 * NULL when the paragraph is not such a one. PAMPHLET_CHECK_WORDS=1 compares the item
 * with pango_itemize's. */
static GList *itemize_one(pm_setter *s, const pm_shaped *p, PangoAttrList *l)
{
    PangoScript script;
    gunichar first;
    int nchars;
    if (!pm_text_simple(p->text, p->len, &script, &first, &nchars) || !first) return NULL;
    PangoLanguage *lang;
    GSList *extra;
    PangoFontset *fs = pm_para_fontset(s, l, &lang, &extra);
    PangoFont *font = fs ? pango_fontset_get_font(fs, first) : NULL;
    if (fs) g_object_unref(fs);
    /* the font's coverage as Pango's fontset reads it (pango_font_has_char builds a
       coverage table on every call) */
    FcCharSet *cs = pm_font_coverage(font);
    if (cs && cs != s->ascii_cs) { /* (a coverage asked about for the first time) */
        if (s->ascii_cs) FcCharSetDestroy(s->ascii_cs);
        s->ascii_cs = FcCharSetCopy(cs);
        pm_ascii_coverage(cs, s->ascii_has);
    }
    if (!cs || !pm_text_covered(p->text, p->len, cs, s->ascii_has, 0)) {
        g_slist_free_full(extra, (GDestroyNotify)pango_attribute_destroy);
        if (font) g_object_unref(font);
        return NULL;
    }
    PangoItem *item = pm_one_item(font, lang, extra, script, (int)p->len, nchars); /* (the font's reference
                                                                                       pango_fontset_get_font gave) */
    GList *items = g_list_append(NULL, item);
    if (pm_words_checking(s->words)) check_itemize(s, p, l, item);
    return items;
}

/* The attributes of a paragraph set in font f, before its spans. */
PangoAttrList *pm_font_attrs(const pm_spec *spec, const pm_font_spec *f, uint32_t len)
{
    PangoAttrList *l = pango_attr_list_new();
    PangoFontDescription *d = pm_fonts_desc(spec, f);
    add_attr(l, pango_attr_font_desc_new(d), 0, len);
    pango_font_description_free(d);
    apply_font_attrs(l, f, 0, len);
    return l;
}

static void shape(pm_shaped *p)
{
    pm_setter *s = p->s;
    const pm_spec *spec = s->spec;
    const pm_font_spec *f = p->st.font;
    double size = pm_font_size(spec, f);
    PangoAttrList *l = pm_font_attrs(spec, f, p->len);
    const pm_text *t = p->src;
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
            double cs = pm_font_size(spec, &spec->code) / pm_spec_body_size(spec);
            add_attr(l, pango_attr_scale_new(cs), a, b);
        }
        if (sp->style & PM_ST_SMALLCAPS) add_attr(l, pango_attr_font_features_new("smcp=1"), a, b);
        if (sp->style & PM_ST_SUPER) {
            add_attr(l, pango_attr_scale_new(0.68), a, b);
            add_attr(l, pango_attr_rise_new((int)lround(size * 0.36 * PANGO_SCALE)), a, b);
        }
    }
    /* Itemize and shape directly: a PangoLayout would also compute line breaks and ink
       extents that are not used here. */
    PangoDirection dir = p->st.dir == PM_DIR_RTL ? PANGO_DIRECTION_RTL : PANGO_DIRECTION_LTR;
    p->pitems = dir == PANGO_DIRECTION_LTR && !t->nspans && !f->uppercase ? itemize_one(s, p, l) : NULL;
    if (!p->pitems) p->pitems = pango_itemize_with_base_dir(s->ctx, dir, p->text, 0, (int)p->len, l, NULL);
    pango_attr_list_unref(l);
    int n = (int)g_list_length(p->pitems);
    p->runs = pm_xcalloc((size_t)n + 1, sizeof *p->runs);
    p->gx = pm_xcalloc((size_t)n + 1, sizeof *p->gx);
    p->nruns = n;
    size_t ng = 0;
    int k = 0;
    double tracking = pm_len_pt(f->tracking, size, size);
    for (GList *it = p->pitems; it; it = it->next, k++) {
        PangoItem *item = it->data;
        PangoGlyphString *gs = pango_glyph_string_new();
        pm_words_shape(s->words, item, p->text, (int)p->len, gs);
        if (tracking != 0) /* letter spacing after every cluster */
            for (int g = 0; g < gs->num_glyphs; g++)
                if (g + 1 == gs->num_glyphs || gs->log_clusters[g + 1] != gs->log_clusters[g])
                    gs->glyphs[g].geometry.width += (int)lround(tracking * PANGO_SCALE);
        for (int g = 0; g < gs->num_glyphs; g++) /* a character no font has leaves no gap */
            if (gs->glyphs[g].glyph & PANGO_GLYPH_UNKNOWN_FLAG) gs->glyphs[g].geometry.width = 0;
        p->runs[k].item = item;
        p->runs[k].glyphs = gs;
        ng += (size_t)gs->num_glyphs;
        if (item->analysis.level & 1) p->bidi = 1;
    }
    if (p->st.dir == PM_DIR_RTL) p->bidi = 1;
    measure(p, ng);

    /* line height from the base font's metrics (cached per font) */
    p->leading = pm_font_leading(spec, f);
    PangoFont *base = n ? p->runs[0].item->analysis.font : NULL;
    if (base) {
        pm_setter_metrics(s, base, &p->ascent, &p->descent);
    } else {
        p->ascent = size * 0.8;
        p->descent = size * 0.2;
    }
}

/* x of a byte offset in the unbroken paragraph */
double pm_shaped_x_at(const pm_shaped *p, uint32_t off)
{
    if (off >= p->len || !p->ncl) return p->total_w;
    uint32_t lo = 0, hi = p->ncl;
    while (hi - lo > 1) {
        uint32_t mid = (lo + hi) / 2;
        if (p->cl_off[mid] <= off) lo = mid;
        else hi = mid;
    }
    if (p->cl_off[lo] >= off) return p->cl_x[lo];
    /* inside a cluster (a ligature): interpolate by bytes */
    uint32_t a = p->cl_off[lo], b = lo + 1 < p->ncl ? p->cl_off[lo + 1] : p->len;
    double xa = p->cl_x[lo], xb = lo + 1 < p->ncl ? p->cl_x[lo + 1] : p->total_w;
    return xa + (xb - xa) * (double)(off - a) / (double)(b - a);
}

int pm_shaped_cluster_start(const pm_shaped *p, uint32_t off)
{
    uint32_t lo = 0, hi = p->ncl;
    while (lo < hi) {
        uint32_t mid = (lo + hi) / 2;
        if (p->cl_off[mid] < off) lo = mid + 1;
        else hi = mid;
    }
    return lo < p->ncl && p->cl_off[lo] == off;
}

/* The run holding a byte offset. */
int pm_shaped_run_at(const pm_shaped *p, uint32_t off)
{
    for (int i = 0; i < p->nruns; i++) {
        const PangoItem *it = p->runs[i].item;
        if (off >= (uint32_t)it->offset && off < (uint32_t)(it->offset + it->length)) return i;
    }
    return p->nruns ? p->nruns - 1 : -1;
}

/* ---- missing glyphs and faces ---- */

/* The characters of a run set in a system font (the last resort, fonts.h), counted for
 * pm_setter_summary. */
static void note_fallback(pm_shaped *p, const PangoGlyphItem *gi)
{
    int fb = pm_fonts_fallback_index(p->s->fonts, gi->item->analysis.font);
    if (fb < 0) return;
    const char *t = p->text + gi->item->offset, *end = t + gi->item->length;
    for (; t < end; t = g_utf8_next_char(t)) {
        gunichar c = g_utf8_get_char(t);
        if (pm_fonts_fallback_has(p->s->fonts, fb, c))
            pm_setter_fallen_back(p->s, c, pm_text_line_at(p->src, (uint32_t)(t - p->text)), p->st.font, fb);
    }
}

static void check_glyphs(pm_shaped *p)
{
    pm_setter *s = p->s;
    for (int i = 0; i < p->nruns; i++) {
        PangoGlyphItem *gi = &p->runs[i];
        PangoGlyphString *gs = gi->glyphs;
        if (s->fallbacks) note_fallback(p, gi);
        for (int g = 0; g < gs->num_glyphs; g++) {
            PangoGlyph gl = gs->glyphs[g].glyph;
            if (!(gl & PANGO_GLYPH_UNKNOWN_FLAG)) continue;
            gunichar c = gl & ~PANGO_GLYPH_UNKNOWN_FLAG;
            if (c == 0x200B || c == 0xAD || c == 0x2028 || c < 0x20) continue;
            uint32_t off = (uint32_t)(gi->item->offset + gs->log_clusters[g]);
            pm_setter_missing(s, c, pm_text_line_at(p->src, off), p->st.font);
        }
        /* the face Pango found must be the one asked for (no silent substitution) */
        PangoFont *font = gi->item->analysis.font;
        const char *family = p->st.font->family;
        int italic = p->st.font->italic;
        int bold = p->st.font->weight >= 600;
        /* style requested for this run: from the spans covering its start */
        uint32_t so = (uint32_t)gi->item->offset;
        for (uint32_t k = 0; k < p->src->nspans && p->src->spans[k].start <= so; k++) {
            const pm_span *sp = &p->src->spans[k];
            if (so >= sp->end) continue;
            if (sp->style & PM_ST_ITALIC) italic = !p->st.font->italic;
            if (sp->style & PM_ST_BOLD) bold = 1;
            if (sp->style & PM_ST_CODE) {
                family = s->spec->code.family;
                italic = bold = 0;
            }
        }
        char key[256];
        snprintf(key, sizeof key, "face:%p:%s:%d:%d", (void *)font, family, bold, italic);
        if (!pm_setter_first_time(s, key)) continue; /* each font is checked once per request */
        PangoFontDescription *d = pango_font_description_new();
        pango_font_description_set_family(d, family);
        pango_font_description_set_weight(d, bold ? PANGO_WEIGHT_BOLD : (PangoWeight)p->st.font->weight);
        pango_font_description_set_style(d, italic ? PANGO_STYLE_ITALIC : PANGO_STYLE_NORMAL);
        if (!pm_fonts_matches(font, d)) {
            /* fallback for a few characters (a Greek letter in another family) is fine;
               a different weight or style of the requested family is not */
            PangoFontDescription *got = pango_font_describe(font);
            const char *gf = pango_font_description_get_family(got);
            snprintf(key, sizeof key, "noface:%s:%d:%d", family, bold, italic);
            if (!g_ascii_strcasecmp(gf, family) && pm_setter_first_time(s, key)) {
                /* (the face, not its size: Pango's to the last bit, "Gentium 9.7744140625") */
                pango_font_description_unset_fields(got, PANGO_FONT_MASK_SIZE);
                char *name = pango_font_description_to_string(got);
                pm_warn(s->file, pm_text_line_at(p->src, so), 0, "'%s' has no %s%s face; this text is set in %s",
                        family, bold || p->st.font->weight >= PANGO_WEIGHT_SEMIBOLD ? "bold" : "regular",
                        italic ? " italic" : "", name);
                g_free(name);
            }
            pango_font_description_free(got);
        }
        pango_font_description_free(d);
    }
}

/* ---- public: shape ---- */

pm_shaped *pm_para_shape(pm_setter *s, const pm_text *text, const pm_para_style *st)
{
    pm_shaped *p = pm_xcalloc(1, sizeof *p);
    p->s = s;
    p->src = text;
    p->st = *st;
    if (p->st.tolerance <= 0) p->st.tolerance = s->spec->tolerance;
    p->hyph = p->st.hyphenate ? pm_setter_hyph_for(s, st->lang, text->line) : NULL;
    if (!p->hyph) p->st.hyphenate = 0;
    prepare(p);
    shape(p);
    check_glyphs(p);
    pm_shaped_collect(p, 0); /* hyphenation points only if the paragraph needs them (pm_para_break) */
    return p;
}

void pm_shaped_drop(pm_shaped *p)
{
    if (!p) return;
    for (int i = 0; i < p->nruns; i++) {
        free(p->gx[i]);
        pango_glyph_string_free(p->runs[i].glyphs);
    }
    g_list_free_full(p->pitems, (GDestroyNotify)pango_item_free);
    free(p->gx);
    free(p->runs);
    free(p->cl_off);
    free(p->cl_x);
    free(p->items);
    free(p->item_end);
    free(p->cjk);
    g_free(p->text);
    free(p);
}
