/* paragraph.c - one paragraph from rich text to justified lines (see paragraph.h).
 *
 * Phases, as in Typst's inline layout: prepare (hard breaks become U+200B), shape (Pango
 * itemizes, HarfBuzz shapes the whole paragraph once), collect (boxes/glue/penalties
 * measured from the shaped glyphs; hyphenation points from libhyphen only for paragraphs
 * that cannot be set well without them, as TeX's first pass decides), break (Knuth-Plass
 * in linebreak.c), finalize (each line's glyphs are cut out of the shaped runs, spaces
 * widened or narrowed by the line's adjustment ratio, a hyphen added where a word is
 * broken). Hyphens are measured, not reshaped: a break inside a ligature is not offered. */
#include "text/paragraph.h"

#include <glib.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/diag.h"

#define HYPHEN_PENALTY 50
#define EXHYPHEN_PENALTY 50
#define EMERGENCY_PENALTY 5000
#define SHY "\xC2\xAD"
#define ZWSP "\xE2\x80\x8B"

typedef struct hyphen_glyph {
    PangoGlyph glyph;
    double width;
} hyphen_glyph;

struct pm_setter {
    pm_fonts *fonts;
    const pm_spec *spec;
    pm_hyph *hyph;
    const char *file;
    PangoContext *ctx;
    GHashTable *hyphens; /* PangoFont* -> hyphen_glyph* */
    GHashTable *warned;  /* warning keys already printed */
    GHashTable *metrics; /* PangoFont* -> font_metrics* */
    GHashTable *cache;   /* GBytes key -> cached_para*, in watch mode */
    GHashTable *singles; /* "font|text" -> pm_line*: running heads repeat on every page */
    pm_arena *single_arena;
    unsigned gen;
    int nset, ncached;
};

/* A paragraph kept between the runs of watch mode, with the arena holding its lines. */
typedef struct cached_para {
    pm_arena *arena;
    pm_para para;
    unsigned gen;
} cached_para;

static void cached_free(void *p)
{
    cached_para *c = p;
    pm_arena_drop(c->arena);
    g_free(c);
}

pm_setter *pm_setter_new(pm_fonts *fonts, const pm_spec *spec, pm_hyph *hyph, const char *file)
{
    pm_setter *s = pm_xcalloc(1, sizeof *s);
    s->fonts = fonts;
    s->spec = spec;
    s->hyph = hyph;
    s->file = file;
    s->ctx = pm_fonts_context(fonts);
    s->hyphens = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free);
    s->warned = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    s->metrics = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free);
    s->singles = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    s->single_arena = pm_arena_new_sized(16384);
    return s;
}

void pm_setter_drop(pm_setter *s)
{
    if (!s) return;
    g_hash_table_destroy(s->hyphens);
    g_hash_table_destroy(s->warned);
    g_hash_table_destroy(s->metrics);
    g_hash_table_destroy(s->singles);
    pm_arena_drop(s->single_arena);
    if (s->cache) g_hash_table_destroy(s->cache);
    free(s);
}

void pm_setter_keep_paragraphs(pm_setter *s)
{
    if (!s->cache)
        s->cache = g_hash_table_new_full(g_bytes_hash, g_bytes_equal, (GDestroyNotify)g_bytes_unref, cached_free);
}

void pm_setter_begin_run(pm_setter *s, const char *file)
{
    s->file = file;
    g_hash_table_remove_all(s->warned);
    s->gen++;
    s->nset = s->ncached = 0;
}

static gboolean unused(gpointer key, gpointer value, gpointer ud)
{
    (void)key;
    return ((cached_para *)value)->gen != *(unsigned *)ud;
}

void pm_setter_end_run(pm_setter *s)
{
    if (s->cache) g_hash_table_foreach_remove(s->cache, unused, &s->gen);
}

int pm_setter_keeps(const pm_setter *s)
{
    return s->cache != NULL;
}

void pm_setter_counts(const pm_setter *s, int *set, int *cached)
{
    *set = s->nset;
    *cached = s->ncached;
}

/* Print a warning once per key. */
static int first_time(pm_setter *s, const char *key)
{
    if (g_hash_table_contains(s->warned, key)) return 0;
    g_hash_table_add(s->warned, g_strdup(key));
    return 1;
}

struct pm_shaped {
    pm_setter *s;
    const pm_text *src;
    pm_para_style st;
    char *text;           /* the source text with hard breaks (U+2028) as U+200B: the same
                             byte offsets as the source */
    uint32_t len;
    GList *pitems;        /* PangoItems, owned */
    PangoGlyphItem *runs; /* one per item, logical order */
    double **gx;          /* natural x of each glyph of each run */
    int nruns;
    uint32_t *cl_off;     /* cluster starts in logical order */
    double *cl_x;
    uint32_t ncl;
    double total_w;
    pm_item *items;
    uint32_t *item_end;
    size_t nitems, cap;
    int hyphenated;       /* items include hyphenation points */
    double ascent, descent, leading;
};

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

typedef struct font_metrics {
    double ascent, descent;
} font_metrics;

static void shape(pm_shaped *p)
{
    pm_setter *s = p->s;
    const pm_spec *spec = s->spec;
    const pm_font_spec *f = p->st.font;
    double size = pm_font_size(spec, f);
    PangoAttrList *l = pango_attr_list_new();
    PangoFontDescription *d = pm_fonts_desc(spec, f);
    add_attr(l, pango_attr_font_desc_new(d), 0, p->len);
    pango_font_description_free(d);
    apply_font_attrs(l, f, 0, p->len);
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
    p->pitems = pango_itemize(s->ctx, p->text, 0, (int)p->len, l, NULL);
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
        pango_shape_item(item, p->text, (int)p->len, NULL, gs, PANGO_SHAPE_NONE);
        if (tracking != 0) /* letter spacing after every cluster */
            for (int g = 0; g < gs->num_glyphs; g++)
                if (g + 1 == gs->num_glyphs || gs->log_clusters[g + 1] != gs->log_clusters[g])
                    gs->glyphs[g].geometry.width += (int)lround(tracking * PANGO_SCALE);
        p->runs[k].item = item;
        p->runs[k].glyphs = gs;
        ng += (size_t)gs->num_glyphs;
    }

    /* natural x of every glyph and the cluster table */
    p->cl_off = pm_xmalloc((ng + 1) * sizeof *p->cl_off);
    p->cl_x = pm_xmalloc((ng + 1) * sizeof *p->cl_x);
    double x = 0;
    for (int i = 0; i < n; i++) {
        PangoGlyphItem *gi = &p->runs[i];
        PangoGlyphString *gs = gi->glyphs;
        p->gx[i] = pm_xmalloc(((size_t)gs->num_glyphs + 1) * sizeof(double));
        for (int g = 0; g < gs->num_glyphs; g++) {
            p->gx[i][g] = x;
            uint32_t off = (uint32_t)(gi->item->offset + gs->log_clusters[g]);
            if (!p->ncl || p->cl_off[p->ncl - 1] < off) {
                p->cl_off[p->ncl] = off;
                p->cl_x[p->ncl] = x;
                p->ncl++;
            }
            x += gs->glyphs[g].geometry.width / (double)PANGO_SCALE;
        }
        p->gx[i][gs->num_glyphs] = x;
    }
    p->total_w = x;

    /* line height from the base font's metrics (cached per font) */
    p->leading = pm_font_leading(spec, f);
    PangoFont *base = n ? p->runs[0].item->analysis.font : NULL;
    font_metrics *fm = base ? g_hash_table_lookup(s->metrics, base) : NULL;
    if (base && !fm) {
        PangoFontMetrics *m = pango_font_get_metrics(base, NULL);
        fm = g_new(font_metrics, 1);
        fm->ascent = pango_font_metrics_get_ascent(m) / (double)PANGO_SCALE;
        fm->descent = pango_font_metrics_get_descent(m) / (double)PANGO_SCALE;
        pango_font_metrics_unref(m);
        g_hash_table_insert(s->metrics, base, fm);
    }
    p->ascent = fm ? fm->ascent : size * 0.8;
    p->descent = fm ? fm->descent : size * 0.2;
}

/* x of a byte offset in the unbroken paragraph */
static double x_at(const pm_shaped *p, uint32_t off)
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

static int is_cluster_start(const pm_shaped *p, uint32_t off)
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
static int run_at(const pm_shaped *p, uint32_t off)
{
    for (int i = 0; i < p->nruns; i++) {
        const PangoItem *it = p->runs[i].item;
        if (off >= (uint32_t)it->offset && off < (uint32_t)(it->offset + it->length)) return i;
    }
    return p->nruns ? p->nruns - 1 : -1;
}

static const hyphen_glyph *hyphen_for(pm_setter *s, PangoGlyphItem *gi)
{
    PangoFont *font = gi->item->analysis.font;
    hyphen_glyph *h = g_hash_table_lookup(s->hyphens, font);
    if (h) return h;
    h = g_new0(hyphen_glyph, 1);
    PangoGlyphString *gs = pango_glyph_string_new();
    PangoAnalysis an = gi->item->analysis;
    an.extra_attrs = NULL;
    pango_shape_with_flags("-", 1, "-", 1, &an, gs, PANGO_SHAPE_NONE);
    if (gs->num_glyphs > 0) {
        h->glyph = gs->glyphs[0].glyph;
        h->width = gs->glyphs[0].geometry.width / (double)PANGO_SCALE;
    }
    pango_glyph_string_free(gs);
    g_hash_table_insert(s->hyphens, font, h);
    return h;
}

static double hyphen_width_at(pm_shaped *p, uint32_t off)
{
    int r = run_at(p, off);
    return r >= 0 ? hyphen_for(p->s, &p->runs[r])->width : pm_font_size(p->s->spec, p->st.font) / 3;
}

/* ---- collect: boxes, glue, penalties ---- */

static void push(pm_shaped *p, pm_item it, uint32_t end)
{
    if (p->nitems == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 128;
        p->items = pm_xrealloc(p->items, p->cap * sizeof *p->items);
        p->item_end = pm_xrealloc(p->item_end, p->cap * sizeof *p->item_end);
    }
    p->items[p->nitems] = it;
    p->item_end[p->nitems] = end;
    p->nitems++;
}

static void box(pm_shaped *p, uint32_t a, uint32_t b)
{
    if (b <= a) return;
    push(p, (pm_item){.type = PM_ITEM_BOX, .width = x_at(p, b) - x_at(p, a), .pos = a}, b);
}

static void penalty(pm_shaped *p, uint32_t pos, uint32_t end, int value, double width, int flagged)
{
    push(p, (pm_item){.type = PM_ITEM_PENALTY, .penalty = value, .width = width,
                      .flagged = (unsigned char)flagged, .pos = pos}, end);
}

static void glue(pm_shaped *p, uint32_t pos, uint32_t end, double w, double st, double sh)
{
    push(p, (pm_item){.type = PM_ITEM_GLUE, .width = w, .stretch = st, .shrink = sh, .pos = pos}, end);
}

/* Split boxes wider than the line at character boundaries (the last resort for URLs
 * and other unbreakable strings), with a warning. */
static void split_wide_boxes(pm_shaped *p)
{
    double w = p->st.width;
    PangoLogAttr *la = NULL;
    uint32_t *char_off = NULL;
    int nchars = 0;
    for (size_t i = 0; i < p->nitems; i++) {
        pm_item *it = &p->items[i];
        if (it->type != PM_ITEM_BOX || it->width <= w + 0.01 || p->item_end[i] <= it->pos) continue;
        if (!la) { /* grapheme boundaries, computed only when needed */
            nchars = (int)g_utf8_strlen(p->text, p->len);
            la = g_new(PangoLogAttr, (size_t)nchars + 1);
            pango_get_log_attrs(p->text, (int)p->len, -1, pango_language_get_default(), la, nchars + 1);
            char_off = pm_xmalloc(((size_t)nchars + 1) * sizeof *char_off);
            const char *q = p->text;
            for (int c = 0; c <= nchars; c++) {
                char_off[c] = (uint32_t)(q - p->text);
                if (c < nchars) q = g_utf8_next_char(q);
            }
        }
        uint32_t a = it->pos, b = p->item_end[i];
        char key[64];
        snprintf(key, sizeof key, "wide:%p:%u", (void *)p->src, a);
        if (!p->st.quiet && first_time(p->s, key)) {
            char word[48];
            uint32_t n = b - a < 40 ? b - a : 40;
            while (n > 0 && (p->text[a + n] & 0xC0) == 0x80) n--; /* whole characters */
            memcpy(word, p->text + a, n);
            word[n] = 0;
            pm_warn(p->s->file, pm_text_line_at(p->src, a), 0,
                    "'%s%s' is wider than the line (%.1f pt > %.1f pt); it is broken where it must be",
                    word, b - a > n ? "..." : "", it->width, w);
        }
        /* rebuild: character-sized boxes with emergency penalties between them */
        size_t nrest = p->nitems - i - 1;
        pm_item *rest = pm_xmalloc(nrest * sizeof *rest + 1);
        uint32_t *rest_end = pm_xmalloc(nrest * sizeof *rest_end + 1);
        memcpy(rest, p->items + i + 1, nrest * sizeof *rest);
        memcpy(rest_end, p->item_end + i + 1, nrest * sizeof *rest_end);
        p->nitems = i;
        uint32_t start = a;
        for (int c = 0; c < nchars; c++) {
            uint32_t o = char_off[c];
            if (o <= a || o >= b) continue;
            if (!la[c].is_cursor_position || !is_cluster_start(p, o)) continue;
            box(p, start, o);
            penalty(p, o, o, EMERGENCY_PENALTY, 0, 0);
            start = o;
        }
        box(p, start, b);
        size_t resume = p->nitems;
        for (size_t k = 0; k < nrest; k++) push(p, rest[k], rest_end[k]);
        free(rest);
        free(rest_end);
        i = resume - 1;
    }
    g_free(la);
    free(char_off);
}

static int in_span(const pm_text *t, uint32_t off, unsigned style)
{
    for (uint32_t i = 0; i < t->nspans && t->spans[i].start <= off; i++)
        if ((t->spans[i].style & style) && off < t->spans[i].end) return 1;
    return 0;
}

/* Hyphenation points of the word starting at w (letters and inner apostrophes), as byte
 * offsets in the text, ascending. *end gets the word's end. */
static int word_points(pm_shaped *p, uint32_t w, uint32_t *end, uint32_t *pts, int max)
{
    const char *text = p->text, *s = text + w, *e = text + p->len;
    int has_shy = 0;
    while (s < e) {
        gunichar d = g_utf8_get_char(s);
        if (d == 0xAD) has_shy = 1;
        else if (!g_unichar_isalpha(d) && d != 0x2019 && d != '\'') break;
        s = g_utf8_next_char(s);
    }
    *end = (uint32_t)(s - text);
    gunichar first = g_utf8_get_char(text + w);
    if (has_shy || (!p->s->spec->hyphenate_caps && g_unichar_isupper(first))) return 0;
    /* compounds with hyphens break only at their hyphens; never next to digits */
    if (w > 0) {
        gunichar before = g_utf8_get_char(g_utf8_prev_char(text + w));
        if (before == '-' || g_unichar_isdigit(before)) return 0;
    }
    if (s < e && (*s == '-' || g_unichar_isdigit(g_utf8_get_char(s)))) return 0;
    if (in_span(p->src, w, PM_ST_CODE | PM_ST_LINK | PM_ST_SUPER)) return 0;
    int n = 0;
    const char *q = text + w;
    while (q < s && n < max - 4) { /* each apostrophe-free piece on its own */
        const char *r = q;
        while (r < s) {
            gunichar d = g_utf8_get_char(r);
            if (d == 0x2019 || d == '\'') break;
            r = g_utf8_next_char(r);
        }
        int k = pm_hyph_word(p->s->hyph, q, (size_t)(r - q), pts + n, max - 4 - n);
        for (int i = 0; i < k; i++) pts[n + i] += (uint32_t)(q - text);
        n += k;
        q = r < s ? g_utf8_next_char(r) : r;
    }
    return n;
}

/* ---- margin kerning ---- */

/* Share of a character's width it may hang into the right margin at a line's end (the
 * values of microtype's defaults for Latin text, rounded): punctuation that would leave
 * a visible notch in a justified edge. */
static double hang_right_share(gunichar c)
{
    switch (c) {
    case '.': case ',': case '-': case 0x2010: case 0x2019: case 0x201D: case '\'': case '"': return 0.7;
    case 0x2013: case ':': case ';': return 0.5;
    case 0x2014: return 0.3;
    case '!': case '?': return 0.2;
    default: return 0;
    }
}

/* ... and into the left margin at a line's start: opening quotes. */
static double hang_left_share(gunichar c)
{
    return c == 0x2018 || c == 0x201C || c == 0x201E ? 0.7 : 0;
}

/* Set each item's hang (linebreak.h): a break after such punctuation, a hyphen added at
 * a hyphenation point, a word that opens with a quote. Justified left-to-right text only:
 * a ragged edge has no line for punctuation to stand out from, and in a paragraph with
 * right-to-left runs a line's first and last characters need not be at its edges. */
static void set_hangs(pm_shaped *p)
{
    /* a line's logical ends are its visual ones only in left-to-right text */
    int rtl = 0;
    for (int r = 0; r < p->nruns; r++) rtl |= p->runs[r].item->analysis.level & 1;
    for (size_t i = 0; i < p->nitems; i++) {
        pm_item *it = &p->items[i];
        it->hang_left = it->hang_right = 0;
        if (p->st.align != PM_ALIGN_JUSTIFY || p->st.code || rtl) continue;
        if (it->type == PM_ITEM_PENALTY && it->penalty <= -PM_INF_PENALTY) continue; /* ends a ragged line */
        uint32_t pos = it->pos;
        if (it->type == PM_ITEM_BOX) {
            if (p->item_end[i] <= pos) continue;
            const char *c = p->text + pos, *next = g_utf8_next_char(c);
            double share = hang_left_share(g_utf8_get_char(c));
            if (share > 0) it->hang_left = share * (x_at(p, (uint32_t)(next - p->text)) - x_at(p, pos));
        } else if (it->type == PM_ITEM_PENALTY && it->flagged && it->width > 0) {
            it->hang_right = 0.7 * it->width; /* the hyphen added there */
        } else if (pos > 0 && pos <= p->len) {
            const char *prev = g_utf8_prev_char(p->text + pos);
            double share = hang_right_share(g_utf8_get_char(prev));
            if (share > 0) it->hang_right = share * (x_at(p, pos) - x_at(p, (uint32_t)(prev - p->text)));
        }
    }
}

static void collect(pm_shaped *p, int hyphenate)
{
    p->nitems = 0;
    p->hyphenated = hyphenate;
    int justify = p->st.align == PM_ALIGN_JUSTIFY;
    double em = pm_font_size(p->s->spec, p->st.font);
    double rag = 3 * em; /* stretch of a ragged line end */
    const char *text = p->text;
    if (p->st.indent > 0) push(p, (pm_item){.type = PM_ITEM_BOX, .width = p->st.indent, .pos = 0}, 0);
    uint32_t word = 0;
    uint32_t pts[64];
    int npts = 0, next_pt = 0;
    uint32_t word_end = 0;
    for (uint32_t b = 0; b < p->len;) {
        gunichar c = g_utf8_get_char(text + b);
        uint32_t e = (uint32_t)(g_utf8_next_char(text + b) - text);
        gunichar nc = e < p->len ? g_utf8_get_char(text + e) : 0;
        if (hyphenate && b >= word_end && g_unichar_isalpha(c) && !p->st.code) {
            npts = word_points(p, b, &word_end, pts, 64);
            next_pt = 0;
        }
        if (next_pt < npts && pts[next_pt] == b) { /* a hyphenation point before this character */
            next_pt++;
            if (is_cluster_start(p, b)) {
                box(p, word, b);
                penalty(p, b, b, HYPHEN_PENALTY, hyphen_width_at(p, b), 1);
                word = b;
            }
        }
        if (c == ' ' && !p->st.code) {
            box(p, word, b);
            double w = x_at(p, e) - x_at(p, b);
            if (justify) {
                glue(p, b, e, w, w * 0.5, w * 0.4);
            } else {
                glue(p, b, b, 0, rag, 0);
                penalty(p, b, b, 0, 0, 0);
                glue(p, b, e, w, -rag, 0);
            }
            word = e;
        } else if ((c == 0xA0 || c == 0x202F) && !p->st.code) { /* no-break spaces */
            box(p, word, b);
            double w = x_at(p, e) - x_at(p, b);
            penalty(p, b, b, PM_INF_PENALTY, 0, 0);
            glue(p, b, e, w, justify ? w * 0.5 : 0, justify ? w * 0.4 : 0);
            word = e;
        } else if (c == 0xAD) { /* a soft hyphen in the source */
            box(p, word, b);
            if (is_cluster_start(p, b) && b > 0 && e < p->len) penalty(p, b, e, HYPHEN_PENALTY, hyphen_width_at(p, b), 1);
            word = b;
        } else if (c == 0x200B) { /* hard line break (from U+2028), or a plain break opportunity */
            box(p, word, b);
            if (!memcmp(p->src->utf8 + b, "\xE2\x80\xA8", 3)) { /* \hfil\break */
                penalty(p, b, b, PM_INF_PENALTY, 0, 0);
                glue(p, b, b, 0, PM_FIL_STRETCH, 0);
                penalty(p, b, e, -PM_INF_PENALTY, 0, 0);
            } else {
                penalty(p, b, e, 0, 0, 0);
            }
            word = e;
        } else if ((c == '-' || c == 0x2010 || c == 0x2013) && b > 0 && e < p->len && g_unichar_isalnum(nc) &&
                   !p->st.code) { /* after a hyphen or en dash inside a word */
            box(p, word, e);
            penalty(p, e, e, EXHYPHEN_PENALTY, 0, 1);
            word = e;
        } else if ((c == 0x2014 || c == '/') && e < p->len && nc != ' ' && !p->st.code) { /* after — or / */
            box(p, word, e);
            penalty(p, e, e, c == '/' ? 200 : 50, 0, 0);
            word = e;
        }
        b = e;
    }
    box(p, word, p->len);
    penalty(p, p->len, p->len, PM_INF_PENALTY, 0, 0); /* TeX's \parfillskip ending */
    glue(p, p->len, p->len, 0, PM_FIL_STRETCH, 0);
    penalty(p, p->len, p->len, -PM_INF_PENALTY, 0, 0);
    split_wide_boxes(p);
    set_hangs(p);
}

/* ---- missing glyphs and faces ---- */

static void check_glyphs(pm_shaped *p)
{
    pm_setter *s = p->s;
    for (int i = 0; i < p->nruns; i++) {
        PangoGlyphItem *gi = &p->runs[i];
        PangoGlyphString *gs = gi->glyphs;
        for (int g = 0; g < gs->num_glyphs; g++) {
            PangoGlyph gl = gs->glyphs[g].glyph;
            if (!(gl & PANGO_GLYPH_UNKNOWN_FLAG)) continue;
            gunichar c = gl & ~PANGO_GLYPH_UNKNOWN_FLAG;
            if (c == 0x200B || c == 0xAD || c == 0x2028 || c < 0x20) continue;
            uint32_t off = (uint32_t)(gi->item->offset + gs->log_clusters[g]);
            int line = pm_text_line_at(p->src, off);
            char key[64];
            snprintf(key, sizeof key, "glyph:%u:%d", c, line);
            if (!first_time(s, key)) continue;
            char u[8] = {0};
            g_unichar_to_utf8(c, u);
            pm_warn(s->file, line, 0, "no font has the character '%s' (U+%04X); it is left out of the PDF",
                    u, c);
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
        if (!first_time(s, key)) continue; /* each font is checked once per request */
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
            if (!g_ascii_strcasecmp(gf, family) && first_time(s, key)) {
                char *name = pango_font_description_to_string(got);
                pm_warn(s->file, pm_text_line_at(p->src, so), 0, "'%s' has no %s%s face; this text is set in %s",
                        family, bold ? "bold" : "regular", italic ? " italic" : "", name);
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
    if (!s->hyph) p->st.hyphenate = 0;
    prepare(p);
    shape(p);
    check_glyphs(p);
    collect(p, 0); /* hyphenation points only if the paragraph needs them (pm_para_break) */
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
    g_free(p->text);
    free(p);
}

/* ---- finalize: lines ---- */

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

static void build_line(pm_shaped *p, pm_arena *a, size_t from, size_t brk, double ratio, int line_no,
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
    if (p->st.nshape) first_x += p->st.shape[line_no < p->st.nshape ? line_no : p->st.nshape - 1];
    double x0 = x_at(p, ls);
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
                    const hyphen_glyph *h = hyphen_for(p->s, gi);
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
        const hyphen_glyph *h = hyphen_for(p->s, last_gi);
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
            lk->x0 = dx + first_x + x_at(p, a0) - x0 + shift_at(sh, nsh, a0);
            lk->x1 = dx + first_x + x_at(p, a1) - x0 + shift_at(sh, nsh, a1);
            /* a copy: in watch mode the line outlives the document it was set from */
            lk->url = pm_arena_strdup(a, sp->url);
        }
    }
    free(sh);
}

static int breaks_in(pm_setter *s, pm_shaped *p, pm_lb_params *lp, const double *widths, size_t nw,
                     pm_lb_result *res);

/* Choose the breaks: TeX's first pass (no hyphenation, within the pretolerance) and,
 * if that fails, the hyphenation points and the full passes. Returns 0 and the breaks
 * in res (freed by the caller), or -1. */
static int choose_breaks(pm_setter *s, pm_shaped *p, int looseness, pm_lb_result *res)
{
    pm_lb_params lp;
    pm_lb_defaults(&lp);
    lp.tolerance = p->st.tolerance;
    lp.looseness = looseness;
    lp.emergency_stretch = 2 * pm_font_size(s->spec, p->st.font);
    double one = p->st.width, *widths = &one;
    size_t nw = 1;
    if (p->st.nshape > 0) { /* each line as wide as its shape leaves it */
        nw = (size_t)p->st.nshape;
        widths = pm_xmalloc(nw * sizeof *widths);
        for (size_t k = 0; k < nw; k++) widths[k] = p->st.width - p->st.shape[k];
    }
    int rc = breaks_in(s, p, &lp, widths, nw, res);
    if (widths != &one) free(widths);
    return rc;
}

/* choose_breaks with the lines' widths. */
static int breaks_in(pm_setter *s, pm_shaped *p, pm_lb_params *lpp, const double *widths, size_t nw,
                     pm_lb_result *res)
{
    pm_lb_params lp = *lpp;
    memset(res, 0, sizeof *res);
    if (!p->hyphenated && lp.looseness && p->st.hyphenate) collect(p, 1); /* all the breaks there are */
    if (!p->hyphenated) {
        /* Most paragraphs that pass the first pass never need their hyphenation points
           looked up. */
        pm_lb_params first = lp;
        first.tolerance = lp.pretolerance;
        first.pretolerance = -1;
        first.emergency_stretch = 0;
        if (!p->st.hyphenate) first = lp;
        if (pm_linebreak(p->items, p->nitems, widths, nw, &first, res) == 0 &&
            (!p->st.hyphenate || res->pass == 2))
            return 0;
        pm_lb_result_free(res);
        if (p->st.hyphenate) collect(p, 1);
    }
    lp.pretolerance = -1; /* the first pass is known to fail */
    if (pm_linebreak(p->items, p->nitems, widths, nw, &lp, res) < 0 || !res->n) {
        pm_lb_result_free(res);
        return -1;
    }
    return 0;
}

void pm_para_break(pm_setter *s, pm_shaped *p, int looseness, pm_arena *a, pm_para *out)
{
    memset(out, 0, sizeof *out);
    out->leading = p->leading;
    pm_lb_result res;
    if (choose_breaks(s, p, looseness, &res) < 0) {
        out->lines = pm_arena_alloc(a, sizeof(pm_line));
        return;
    }
    out->pass = res.pass;
    out->demerits = res.demerits;
    out->lines = pm_arena_array(a, res.n, sizeof(pm_line));
    size_t from = 0;
    for (size_t k = 0; k < res.n; k++) {
        pm_break *b = &res.breaks[k];
        build_line(p, a, from, b->item, b->ratio, (int)k, b->overfull, &out->lines[k]);
        out->nlines++;
        from = b->item + 1; /* the next line starts after discardable items */
    }
    pm_lb_result_free(&res);
}

void pm_para_try(pm_setter *s, pm_shaped *p, int looseness, pm_para_trial *out)
{
    memset(out, 0, sizeof *out);
    pm_lb_result res;
    if (choose_breaks(s, p, looseness, &res) < 0) return;
    out->nlines = (int)res.n;
    out->pass = res.pass;
    out->demerits = res.demerits;
    out->max_ratio = -HUGE_VAL;
    out->min_ratio = HUGE_VAL;
    for (size_t k = 0; k < res.n; k++) {
        const pm_break *b = &res.breaks[k];
        if (b->overfull) out->overfull = 1;
        if (k + 1 < res.n || res.n == 1) { /* the last line is not justified */
            out->max_ratio = fmax(out->max_ratio, b->ratio);
            out->min_ratio = fmin(out->min_ratio, b->ratio);
        }
    }
    /* the last line's natural width: from the first box after the second-to-last break */
    size_t from = res.n > 1 ? res.breaks[res.n - 2].item + 1 : 0;
    double w = 0;
    for (size_t i = from; i < res.breaks[res.n - 1].item; i++)
        if (p->items[i].type != PM_ITEM_PENALTY && p->items[i].stretch < PM_FIL_STRETCH &&
            (p->items[i].type == PM_ITEM_BOX || w > 0))
            w += p->items[i].width;
    out->last_width = w;
    pm_lb_result_free(&res);
}

/* Everything that decides how a paragraph is set, as bytes. */
static GBytes *cache_key(const pm_text *t, const pm_para_style *st)
{
    GByteArray *k = g_byte_array_sized_new(t->len + t->nspans * 16 + 64);
    struct {
        const void *font;
        double width, indent, tolerance;
        int32_t align, hyphenate, code, nshape;
        uint32_t len;
    } head;
    memset(&head, 0, sizeof head); /* padding too: the key is compared as bytes */
    head.font = st->font;
    head.width = st->width;
    head.indent = st->indent;
    head.tolerance = st->tolerance;
    head.align = st->align;
    head.hyphenate = st->hyphenate;
    head.code = st->code;
    head.nshape = st->nshape;
    head.len = t->len;
    g_byte_array_append(k, (const guint8 *)&head, sizeof head);
    if (st->nshape > 0) g_byte_array_append(k, (const guint8 *)st->shape, (guint)(st->nshape * sizeof *st->shape));
    g_byte_array_append(k, (const guint8 *)t->utf8, t->len);
    for (uint32_t i = 0; i < t->nspans; i++) {
        const pm_span *sp = &t->spans[i];
        uint32_t v[4] = {sp->start, sp->end, sp->style, (uint32_t)sp->note};
        g_byte_array_append(k, (const guint8 *)v, sizeof v);
        if (sp->url) g_byte_array_append(k, (const guint8 *)sp->url, (guint)strlen(sp->url) + 1);
    }
    return g_byte_array_free_to_bytes(k);
}

void pm_para_set(pm_setter *s, const pm_text *text, const pm_para_style *st, pm_arena *a, pm_para *out)
{
    cached_para *c = NULL;
    GBytes *key = NULL;
    if (s->cache) {
        key = cache_key(text, st);
        c = g_hash_table_lookup(s->cache, key);
        if (c) {
            g_bytes_unref(key);
            c->gen = s->gen;
            *out = c->para;
            s->ncached++;
            return;
        }
        c = g_new0(cached_para, 1);
        c->arena = pm_arena_new_sized(8192);
        c->gen = s->gen;
        a = c->arena;
    }
    pm_shaped *p = pm_para_shape(s, text, st);
    pm_para_break(s, p, 0, a, out);
    pm_shaped_drop(p);
    s->nset++;
    if (c) {
        c->para = *out;
        g_hash_table_insert(s->cache, key, c);
    }
}

pm_line *pm_para_single(pm_setter *s, const char *utf8, const pm_font_spec *font, pm_arena *a)
{
    (void)a; /* the lines belong to the setter: the same string comes again on many pages */
    char *key = g_strdup_printf("%p|%s", (const void *)font, utf8);
    pm_line *l = g_hash_table_lookup(s->singles, key);
    if (l) {
        g_free(key);
        return l;
    }
    pm_text t = {0};
    t.utf8 = utf8;
    t.len = (uint32_t)strlen(utf8);
    pm_para_style st = {.font = font, .align = PM_ALIGN_LEFT, .width = 1e6};
    pm_shaped *p = pm_para_shape(s, &t, &st);
    pm_para para;
    pm_para_break(s, p, 0, s->single_arena, &para);
    pm_shaped_drop(p);
    l = para.nlines ? &para.lines[0] : pm_arena_alloc(s->single_arena, sizeof *l);
    g_hash_table_insert(s->singles, key, l);
    return l;
}
