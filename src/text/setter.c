/* setter.c - the paragraph setter's state and caches (see paragraph.h): the hyphen glyph
 * and metrics of each font, the warnings given in this run, the set paragraphs kept
 * between the runs of watch mode, and the single lines (running heads, markers) that come
 * again on many pages. pm_para_set and pm_para_single go through the caches to the
 * stages (para-imp.h). */
#include <fontconfig/fontconfig.h>
#include <glib.h>
#include <hb-ot.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/diag.h"
#include "text/para-imp.h"

/* A paragraph kept between the runs of watch mode, with the arena holding its lines, and
 * what the page builder asked of it besides: trials and settings at other loosenesses
 * (pm_para_try_kept, pm_para_break_kept). */
#define KEPT_LOOSE 4
typedef struct cached_para {
    pm_arena *arena;
    pm_para para;
    unsigned gen;
    int ntrials, nalts;
    int trial_loose[KEPT_LOOSE], alt_loose[KEPT_LOOSE];
    pm_para_trial trials[KEPT_LOOSE];
    pm_para alts[KEPT_LOOSE];
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
    s->marks = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free);
    s->metrics = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free);
    s->singles = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    s->single_arena = pm_arena_new_sized(16384);
    s->words = pm_words_new();
    s->fallbacks = pm_fonts_nfallbacks(fonts) > 0;
    return s;
}

void pm_setter_drop(pm_setter *s)
{
    if (!s) return;
    g_hash_table_destroy(s->hyphens);
    g_hash_table_destroy(s->marks);
    g_hash_table_destroy(s->warned);
    g_hash_table_destroy(s->metrics);
    g_hash_table_destroy(s->singles);
    pm_arena_drop(s->single_arena);
    pm_words_drop(s->words);
    free(s->missing);
    free(s->used);
    for (int i = 0; i < s->nother; i++) {
        free(s->other[i].lang);
        pm_hyph_drop(s->other[i].h);
    }
    free((char *)s->lang);
    if (s->cache) g_hash_table_destroy(s->cache);
    if (s->ascii_cs) FcCharSetDestroy(s->ascii_cs);
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
    s->nmissing = s->nused = 0;
    g_hash_table_remove_all(s->warned);
    s->gen++;
    s->nset = s->ncached = 0;
}

unsigned pm_setter_runs(const pm_setter *s) { return s->gen; }

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

void pm_setter_lang(pm_setter *s, const char *lang)
{
    free((char *)s->lang);
    s->lang = lang ? pm_xstrdup(lang) : NULL;
}

pm_hyph *pm_setter_hyph_for(pm_setter *s, const char *lang, int line)
{
    if (!lang || !s->lang || !g_ascii_strcasecmp(lang, s->lang)) return s->hyph;
    for (int i = 0; i < s->nother; i++)
        if (!g_ascii_strcasecmp(s->other[i].lang, lang)) return s->other[i].h;
    if (s->nother == 8) return NULL;
    s->other[s->nother].lang = pm_xstrdup(lang);
    s->other[s->nother].h = pm_hyph_load(lang, s->file, line);
    return s->other[s->nother++].h;
}

/* Count c in list (*v, *n, *cap). */
static void count_char(pm_missing **v, int *n, int *cap, gunichar c, int line, const pm_font_spec *font, int fb)
{
    for (int i = 0; i < *n; i++)
        if ((*v)[i].c == c) {
            (*v)[i].count++;
            return;
        }
    if (*n == *cap) {
        *cap = *cap ? 2 * *cap : 16;
        *v = pm_xrealloc(*v, (size_t)*cap * sizeof **v);
    }
    (*v)[(*n)++] = (pm_missing){c, 1, line, font, fb};
}

void pm_setter_missing(pm_setter *s, gunichar c, int line, const pm_font_spec *font)
{
    count_char(&s->missing, &s->nmissing, &s->capmissing, c, line, font, -1);
}

void pm_setter_fallen_back(pm_setter *s, gunichar c, int line, const pm_font_spec *font, int i)
{
    count_char(&s->used, &s->nused, &s->capused, c, line, font, i);
}

int pm_setter_find_fallbacks(pm_setter *s, const char *lang)
{
    if (!s->nmissing) return 0;
    gunichar *cs = pm_xmalloc((size_t)s->nmissing * sizeof *cs);
    for (int i = 0; i < s->nmissing; i++) cs[i] = s->missing[i].c;
    int found = pm_fonts_fallback(s->fonts, cs, s->nmissing, lang);
    free(cs);
    return found > 0;
}

/* The layout key of a font role, e.g. "body" in fonts.body. */
static const char *role_key(const pm_spec *sp, const pm_font_spec *f)
{
    if (f == &sp->quote) return "quote";
    if (f == &sp->caption) return "caption";
    if (f == &sp->footnote) return "footnote";
    if (f == &sp->code) return "code";
    if (f == &sp->running) return "header";
    if (f >= &sp->cover_title && f <= &sp->cover_issue) return "cover-title";
    return "body";
}

/* A font that has the characters of a script (in Debian's fonts-noto-core,
   fonts-droid-fallback for Chinese and Japanese, fonts-nanum for Korean), for the hint. */
static const char *font_for(gunichar c)
{
    if ((c >= 0x1F000 && c <= 0x1FAFF) || (c >= 0x2600 && c <= 0x27BF)) return "Noto Color Emoji";
    if ((c >= 0x0600 && c <= 0x08FF) || (c >= 0xFB50 && c <= 0xFDFF) || (c >= 0xFE70 && c <= 0xFEFF))
        return "Noto Naskh Arabic"; /* (its punctuation and vowel marks too) */
    if ((c >= 0x0590 && c <= 0x05FF) || (c >= 0xFB1D && c <= 0xFB4F)) return "Noto Serif Hebrew";
    if ((c >= 0xAC00 && c <= 0xD7AF) || (c >= 0x3130 && c <= 0x318F))
        return "NanumGothic"; /* (Hangul: Droid Sans Fallback has none) */
    if ((c >= 0x2E80 && c <= 0x9FFF) || (c >= 0xFF00 && c <= 0xFFEF)) return "Droid Sans Fallback";
    switch (g_unichar_get_script(c)) {
    case G_UNICODE_SCRIPT_ARABIC: return "Noto Sans Arabic";
    case G_UNICODE_SCRIPT_HEBREW: return "Noto Sans Hebrew";
    case G_UNICODE_SCRIPT_HAN:
    case G_UNICODE_SCRIPT_HIRAGANA:
    case G_UNICODE_SCRIPT_KATAKANA:
    case G_UNICODE_SCRIPT_BOPOMOFO: return "Droid Sans Fallback";
    case G_UNICODE_SCRIPT_HANGUL: return "NanumGothic";
    case G_UNICODE_SCRIPT_DEVANAGARI: return "Noto Sans Devanagari";
    case G_UNICODE_SCRIPT_BENGALI: return "Noto Sans Bengali";
    case G_UNICODE_SCRIPT_THAI: return "Noto Sans Thai";
    case G_UNICODE_SCRIPT_ETHIOPIC: return "Noto Sans Ethiopic";
    case G_UNICODE_SCRIPT_ARMENIAN: return "Noto Sans Armenian";
    case G_UNICODE_SCRIPT_GEORGIAN: return "Noto Sans Georgian";
    default: return "Noto Sans";
    }
}

/* The characters of v[0..n) set in fallback fb (-1: left out), for a warning: "'한'
 * U+D55C 3× (line 12), ..." (the first 40), how many there are, how often they come, the
 * line of the first, and the role to name in the hint: the body's, if it has any. */
static GString *char_list(const pm_setter *s, const pm_missing *v, int n, int fb, int *chars, int *times,
                          int *line, const pm_font_spec **role)
{
    GString *m = g_string_new(NULL);
    *chars = *times = *line = 0;
    *role = NULL;
    for (int i = 0; i < n; i++) {
        if (v[i].fallback != fb) continue;
        if (!*chars) {
            *line = v[i].line;
            *role = v[i].font;
        }
        if (v[i].font == &s->spec->body) *role = &s->spec->body;
        *times += v[i].count;
        if (++*chars > 40) continue;
        char u[8] = {0};
        g_unichar_to_utf8(v[i].c, u);
        g_string_append_printf(m, "%s'%s' U+%04X %d× (line %d)", m->len ? ", " : "", u, v[i].c, v[i].count, v[i].line);
    }
    if (*chars > 40) g_string_append_printf(m, ", and %d more", *chars - 40);
    return m;
}

/* A warning for each system font the text was set in: which characters. */
static void fallback_summary(pm_setter *s)
{
    for (int i = 0; s->nused && i < pm_fonts_nfallbacks(s->fonts); i++) {
        int chars, times, line;
        const pm_font_spec *role;
        GString *m = char_list(s, s->used, s->nused, i, &chars, &times, &line, &role);
        const char *family = pm_fonts_fallback_family(s->fonts, i);
        if (chars) {
            pm_warn(s->file, line, 0,
                    "%d character%s no font of the layout has %s set in the system font '%s' (%s) (%d time%s): %s",
                    chars, chars == 1 ? "" : "s", chars == 1 ? "is" : "are", family,
                    pm_fonts_fallback_file(s->fonts, i), times, times == 1 ? "" : "s", m->str);
            pm_hint("add it to the layout, so that the PDF is the same on every machine: e.g. fonts: {%s: "
                    "{fallback: [%s]}}, with its files in a --fonts folder or 'system-fonts: true'",
                    role_key(s->spec, role), family);
        }
        g_string_free(m, TRUE);
    }
    s->nused = 0;
}

void pm_setter_summary(pm_setter *s)
{
    fallback_summary(s);
    if (!s->nmissing) return;
    int chars, total, line;
    const pm_font_spec *role;
    GString *m = char_list(s, s->missing, s->nmissing, -1, &chars, &total, &line, &role);
    pm_warn(s->file, line, 0, "%d character%s no font has %s left out of the PDF (%d time%s): %s", chars,
            chars == 1 ? "" : "s", chars == 1 ? "is" : "are", total, total == 1 ? "" : "s", m->str);
    GString *fams = g_string_new(NULL); /* a family for each script, in the order met */
    for (int i = 0; i < s->nmissing; i++) {
        const char *f = font_for(s->missing[i].c);
        if (!strcmp(f, "Noto Sans") && s->nmissing > 1) continue; /* (punctuation shared by scripts) */
        int seen = 0;
        for (int j = 0; j < i && !seen; j++) seen = font_for(s->missing[j].c) == f;
        if (!seen) g_string_append_printf(fams, "%s%s", fams->len ? ", " : "", f);
    }
    if (!fams->len) g_string_append(fams, "Noto Sans");
    pm_hint("add fonts that have them to the layout, e.g. fonts: {%s: {fallback: [%s]}}, with their files in a "
            "--fonts folder or 'system-fonts: true'", role_key(s->spec, role), fams->str);
    g_string_free(fams, TRUE);
    g_string_free(m, TRUE);
    s->nmissing = 0;
}

/* Print a warning once per key. */
int pm_setter_first_time(pm_setter *s, const char *key)
{
    if (g_hash_table_contains(s->warned, key)) return 0;
    g_hash_table_add(s->warned, g_strdup(key));
    return 1;
}

/* The glyph of the character utf8 in gi's font, shaped once; 0 if the font lacks it. */
static int shape_one(PangoGlyphItem *gi, const char *utf8, pm_hyphen_glyph *h)
{
    PangoGlyphString *gs = pango_glyph_string_new();
    PangoAnalysis an = gi->item->analysis;
    an.extra_attrs = NULL;
    int n = (int)strlen(utf8);
    pango_shape_with_flags(utf8, n, utf8, n, &an, gs, PANGO_SHAPE_NONE);
    int ok = gs->num_glyphs > 0 && !(gs->glyphs[0].glyph & PANGO_GLYPH_UNKNOWN_FLAG);
    if (gs->num_glyphs > 0) {
        h->glyph = gs->glyphs[0].glyph;
        h->width = gs->glyphs[0].geometry.width / (double)PANGO_SCALE;
        h->utf8 = utf8;
    }
    pango_glyph_string_free(gs);
    return ok;
}

/* A glyph of gi's font shaped once and kept in table t (by font): shaped from shape, its
 * text utf8. */
static const pm_hyphen_glyph *glyph_once(GHashTable *t, PangoGlyphItem *gi, const char *shape, const char *utf8)
{
    PangoFont *font = gi->item->analysis.font;
    pm_hyphen_glyph *h = g_hash_table_lookup(t, font);
    if (h) return h;
    h = g_new0(pm_hyphen_glyph, 1);
    shape_one(gi, shape, h);
    h->utf8 = utf8;
    g_hash_table_insert(t, font, h);
    return h;
}

/* The hyphen of a font. */
const pm_hyphen_glyph *pm_setter_hyphen(pm_setter *s, PangoGlyphItem *gi)
{
    return glyph_once(s->hyphens, gi, "-", SHY);
}

/* A code line's continuation mark: drawn (as wide as a backslash in the font), its text ↵. */
const pm_hyphen_glyph *pm_setter_mark(pm_setter *s, PangoGlyphItem *gi)
{
    return glyph_once(s->marks, gi, "\\", "\xE2\x86\xB5");
}

typedef struct font_metrics {
    double ascent, descent;
    double strike_pos, strike_thick;
} font_metrics;

/* A font's ascent, descent and strikethrough, as pango_font_get_metrics gives them (Pango
 * 1.50's get_face_metrics: HarfBuzz's font extents and OS/2 strikeout values), read from
 * HarfBuzz directly: pango_font_get_metrics also lays out a sample text to find an
 * average character width that nothing here uses (5 % of a run's instructions for the
 * eight fonts of 1917). With PAMPHLET_CHECK_WORDS=1 both are read and compared. */
static void hb_metrics(PangoFont *font, font_metrics *fm)
{
    hb_font_t *hf = pango_font_get_hb_font(font);
    hb_font_extents_t e;
    hb_font_get_extents_for_direction(hf, HB_DIRECTION_LTR, &e);
    fm->ascent = e.ascender / (double)PANGO_SCALE;
    fm->descent = -e.descender / (double)PANGO_SCALE;
    hb_position_t v;
    fm->strike_thick = (hb_ot_metrics_get_position(hf, HB_OT_METRICS_TAG_STRIKEOUT_SIZE, &v) && v ? v : PANGO_SCALE) /
                       (double)PANGO_SCALE;
    fm->strike_pos = hb_ot_metrics_get_position(hf, HB_OT_METRICS_TAG_STRIKEOUT_OFFSET, &v) && v
                         ? v / (double)PANGO_SCALE
                         : (double)(e.ascender / 2) / PANGO_SCALE;
}

static void check_metrics(PangoFont *font, const font_metrics *fm)
{
    PangoFontMetrics *m = pango_font_get_metrics(font, NULL);
    font_metrics p = {pango_font_metrics_get_ascent(m) / (double)PANGO_SCALE,
                      pango_font_metrics_get_descent(m) / (double)PANGO_SCALE,
                      pango_font_metrics_get_strikethrough_position(m) / (double)PANGO_SCALE,
                      pango_font_metrics_get_strikethrough_thickness(m) / (double)PANGO_SCALE};
    pango_font_metrics_unref(m);
    if (p.ascent != fm->ascent || p.descent != fm->descent || p.strike_pos != fm->strike_pos ||
        p.strike_thick != fm->strike_thick) {
        fprintf(stderr, "pamphlet: internal error: font metrics from HarfBuzz (%g %g %g %g) are not Pango's (%g %g %g %g)\n",
                fm->ascent, fm->descent, fm->strike_pos, fm->strike_thick, p.ascent, p.descent, p.strike_pos,
                p.strike_thick);
        abort();
    }
}

static const font_metrics *metrics_of(pm_setter *s, PangoFont *font)
{
    font_metrics *fm = g_hash_table_lookup(s->metrics, font);
    if (!fm) {
        fm = g_new(font_metrics, 1);
        hb_metrics(font, fm);
        if (pm_words_checking(s->words)) check_metrics(font, fm);
        g_hash_table_insert(s->metrics, font, fm);
    }
    return fm;
}

void pm_setter_metrics(pm_setter *s, PangoFont *font, double *ascent, double *descent)
{
    const font_metrics *fm = metrics_of(s, font);
    *ascent = fm->ascent;
    *descent = fm->descent;
}

void pm_setter_strike(pm_setter *s, PangoFont *font, double size, double *pos, double *thickness)
{
    const font_metrics *fm = metrics_of(s, font);
    *pos = fm->strike_pos > 0.1 * size && fm->strike_pos < 0.5 * size ? fm->strike_pos : 0.25 * size;
    *thickness = fm->strike_thick > 0.02 * size && fm->strike_thick < 0.2 * size ? fm->strike_thick : 0.05 * size;
}

/* Everything that decides how a paragraph is set, as bytes. */
static GBytes *cache_key(const pm_text *t, const pm_para_style *st)
{
    GByteArray *k = g_byte_array_sized_new(t->len + t->nspans * 16 + 64);
    struct {
        const void *font;
        double width, indent, tolerance;
        int32_t align, hyphenate, code, dir, nshape;
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
    head.dir = st->dir;
    head.nshape = st->nshape;
    head.len = t->len;
    g_byte_array_append(k, (const guint8 *)&head, sizeof head);
    if (st->nshape > 0) g_byte_array_append(k, (const guint8 *)st->shape, (guint)(st->nshape * sizeof *st->shape));
    g_byte_array_append(k, (const guint8 *)t->utf8, t->len);
    if (st->lang) g_byte_array_append(k, (const guint8 *)st->lang, (guint)strlen(st->lang) + 1);
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

/* The kept paragraph of text set in style st, in watch mode (NULL otherwise). */
static cached_para *kept(pm_setter *s, const pm_text *text, const pm_para_style *st)
{
    if (!s->cache) return NULL;
    GBytes *key = cache_key(text, st);
    cached_para *c = g_hash_table_lookup(s->cache, key);
    g_bytes_unref(key);
    return c;
}

void pm_para_try_kept(pm_setter *s, const pm_text *text, const pm_para_style *st, pm_shaped **p, int looseness,
                      pm_para_trial *out)
{
    pm_para_try_kept_each(s, text, st, p, &looseness, 1, out);
}

void pm_para_try_kept_each(pm_setter *s, const pm_text *text, const pm_para_style *st, pm_shaped **p,
                           const int *loose, int n, pm_para_trial *out)
{
    cached_para *c = kept(s, text, st);
    int todo[PM_LB_MAX_EACH], ntodo = 0;
    for (int k = 0; k < n && k < PM_LB_MAX_EACH; k++) {
        int i = 0;
        while (c && i < c->ntrials && c->trial_loose[i] != loose[k]) i++;
        if (c && i < c->ntrials) out[k] = c->trials[i];
        else todo[ntodo++] = k;
    }
    if (!ntodo) return;
    int l[PM_LB_MAX_EACH];
    pm_para_trial t[PM_LB_MAX_EACH];
    for (int j = 0; j < ntodo; j++) l[j] = loose[todo[j]];
    if (!*p) *p = pm_para_shape(s, text, st);
    pm_para_try_each(s, *p, l, ntodo, t);
    for (int j = 0; j < ntodo; j++) {
        out[todo[j]] = t[j];
        if (c && c->ntrials < KEPT_LOOSE) {
            c->trial_loose[c->ntrials] = l[j];
            c->trials[c->ntrials++] = t[j];
        }
    }
}

void pm_para_break_kept(pm_setter *s, const pm_text *text, const pm_para_style *st, pm_shaped **p, int looseness,
                        pm_arena *a, pm_para *out)
{
    cached_para *c = kept(s, text, st);
    for (int i = 0; c && i < c->nalts; i++)
        if (c->alt_loose[i] == looseness) {
            *out = c->alts[i];
            return;
        }
    if (!*p) *p = pm_para_shape(s, text, st);
    int keep = c && c->nalts < KEPT_LOOSE;
    pm_para_break(s, *p, looseness, keep ? c->arena : a, out);
    if (keep) {
        c->alt_loose[c->nalts] = looseness;
        c->alts[c->nalts++] = *out;
    }
}

pm_line *pm_para_single(pm_setter *s, const char *utf8, const pm_font_spec *font, pm_arena *a)
{
    return pm_para_single_dir(s, utf8, font, PM_DIR_LTR, a);
}

pm_line *pm_para_single_dir(pm_setter *s, const char *utf8, const pm_font_spec *font, pm_dir dir, pm_arena *a)
{
    (void)a; /* the lines belong to the setter: the same string comes again on many pages */
    char *key = dir == PM_DIR_RTL ? g_strdup_printf("%p|r|%s", (const void *)font, utf8)
                                  : g_strdup_printf("%p|%s", (const void *)font, utf8);
    pm_line *l = g_hash_table_lookup(s->singles, key);
    if (l) {
        g_free(key);
        return l;
    }
    pm_text t = {0};
    t.utf8 = utf8;
    t.len = (uint32_t)strlen(utf8);
    pm_para_style st = {.font = font, .align = PM_ALIGN_LEFT, .width = 1e6, .dir = dir};
    pm_shaped *p = pm_para_shape(s, &t, &st);
    if (dir == PM_DIR_RTL) p->st.width = p->total_w; /* its glyphs from x = 0, as a left-to-right line's */
    pm_para para;
    pm_para_break(s, p, 0, s->single_arena, &para);
    pm_shaped_drop(p);
    l = para.nlines ? &para.lines[0] : pm_arena_alloc(s->single_arena, sizeof *l);
    g_hash_table_insert(s->singles, key, l);
    return l;
}
