/* fallback.c - the last resort: characters of a document that no font of the layout has
 * are looked for in the fonts installed on this machine (fontconfig's own configuration
 * of the system), and each font found is added to the run's configuration (fonts.c) for
 * those characters only, so that they are set rather than left out (Typst's
 * text(fallback: true) does as much). See fonts.h.
 *
 * Each font is added with a character set of only the characters it was chosen for, none
 * of which a font of the layout has: so it can never take a character from the layout's
 * fonts, nor from another fallback, whatever order Pango sorts them in. And the font a
 * character gets depends only on the character and the document's language (the first
 * font that has it in fontconfig's order for its language), not on the other characters
 * missing with it: a watch session that added fallbacks run after run sets every
 * character in the font a fresh run would. */
#include <pango/pangofc-font.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "text/fonts-imp.h"

/* (A character no installed font has is in f->none, whatever the language: the fonts of
 * FcFontSort untrimmed are all the system's.) */
void pm_fonts_fallback_drop(pm_fonts *f)
{
    for (int i = 0; i < f->nfb; i++) {
        free(f->fb[i].family);
        free(f->fb[i].file);
        FcCharSetDestroy(f->fb[i].chars);
    }
    free(f->fb);
    f->fb = NULL;
    f->nfb = 0;
    if (f->none) FcCharSetDestroy(f->none);
    f->none = NULL;
    free(f->fb_lang);
    f->fb_lang = NULL;
    if (f->fb_fonts) g_hash_table_destroy(f->fb_fonts);
    f->fb_fonts = NULL;
    if (f->sys) FcConfigDestroy(f->sys);
    f->sys = NULL;
}

/* lang as fontconfig names its languages ("pt_BR" -> "pt-br") into out; "" if none. */
static void fc_lang(const char *lang, char *out, size_t n)
{
    snprintf(out, n, "%s", lang ? lang : "");
    for (char *p = out; *p; p++) *p = *p == '_' ? '-' : (char)g_ascii_tolower(*p);
}

/* The language to look for c's font in: the document's when its alphabet (fontconfig's
 * orthographies) has c, so that Chinese characters in a Japanese text get Japanese
 * forms; else the language Pango takes as its script's sample (Korean for Hangul,
 * Arabic for Persian letters in an English text), simplified Chinese for Chinese
 * characters; NULL for symbols and punctuation. */
static const char *lang_for(gunichar c, const char *doc)
{
    if (doc[0]) {
        const FcCharSet *cs = FcLangGetCharSet((const FcChar8 *)doc);
        if (!cs) { /* "fa-ir": try "fa" */
            char base[16];
            snprintf(base, sizeof base, "%.*s", (int)strcspn(doc, "-"), doc);
            cs = FcLangGetCharSet((const FcChar8 *)base);
        }
        if (cs && FcCharSetHasChar(cs, c)) return doc;
    }
    GUnicodeScript script = g_unichar_get_script(c);
    if (script == G_UNICODE_SCRIPT_HAN) return "zh-cn"; /* (Pango names none: the widest read) */
    PangoLanguage *l = pango_script_get_sample_language((PangoScript)script);
    return l ? pango_language_to_string(l) : NULL;
}

/* Pango sets text only in OpenType and TrueType fonts, and not a variable font's whole
 * (its named instances are listed apart): as pango_fc_is_supported_font_format. */
static int usable(FcPattern *p)
{
    FcChar8 *format;
    FcBool variable = FcFalse;
    if (FcPatternGetString(p, FC_FONTFORMAT, 0, &format) != FcResultMatch) return 0;
    FcPatternGetBool(p, FC_VARIABLE, 0, &variable);
    return !variable && (!g_ascii_strcasecmp((const char *)format, "TrueType") ||
                         !g_ascii_strcasecmp((const char *)format, "CFF"));
}

/* The system's fonts in fontconfig's order for a language (NULL: none), as it would
 * offer them for text in it: its aliases and preferences applied. */
static FcFontSet *sorted_for(FcConfig *sys, const char *lang)
{
    FcPattern *p = FcPatternCreate();
    if (lang) FcPatternAddString(p, FC_LANG, (const FcChar8 *)lang);
    FcConfigSubstitute(sys, p, FcMatchPattern);
    FcDefaultSubstitute(p);
    FcResult res;
    FcFontSet *set = FcFontSort(sys, p, FcFalse, NULL, &res);
    FcPatternDestroy(p);
    return set;
}

/* The first usable font of set that has c, or NULL. */
static FcPattern *first_with(FcFontSet *set, gunichar c)
{
    for (int i = 0; set && i < set->nfont; i++) {
        FcCharSet *cs;
        if (FcPatternGetCharSet(set->fonts[i], FC_CHARSET, 0, &cs) == FcResultMatch && FcCharSetHasChar(cs, c) &&
            usable(set->fonts[i]))
            return set->fonts[i];
    }
    return NULL;
}

/* The bold face of the family of font pattern p among the system's fonts: upright, the
 * weight nearest bold (and at least bold), usable; NULL if the family has none. */
static FcPattern *bold_of(pm_fonts *f, FcPattern *p)
{
    FcChar8 *family = NULL;
    if (FcPatternGetString(p, FC_FAMILY, 0, &family) != FcResultMatch) return NULL;
    FcFontSet *all = FcConfigGetFonts(f->sys, FcSetSystem);
    FcPattern *best = NULL;
    int best_w = 0;
    for (int i = 0; all && i < all->nfont; i++) {
        FcPattern *q = all->fonts[i];
        FcChar8 *fam = NULL;
        int w = 0, slant = 0;
        if (FcPatternGetString(q, FC_FAMILY, 0, &fam) != FcResultMatch || strcmp((const char *)fam, (const char *)family))
            continue;
        FcPatternGetInteger(q, FC_WEIGHT, 0, &w);
        FcPatternGetInteger(q, FC_SLANT, 0, &slant);
        if (w < FC_WEIGHT_BOLD || slant != FC_SLANT_ROMAN || !usable(q)) continue;
        if (!best || w < best_w) best = q, best_w = w;
    }
    return best;
}

/* The fallback for the face of font pattern p, added if new (with its bold after it). */
static int fallback_for(pm_fonts *f, FcPattern *p)
{
    FcChar8 *file = NULL, *family = NULL;
    int index = 0;
    FcPatternGetString(p, FC_FILE, 0, &file);
    FcPatternGetString(p, FC_FAMILY, 0, &family);
    FcPatternGetInteger(p, FC_INDEX, 0, &index);
    for (int i = 0; i < f->nfb; i++)
        if (f->fb[i].of < 0 && !strcmp(f->fb[i].file, (const char *)file) && f->fb[i].index == index) return i;
    FcPattern *b = bold_of(f, p);
    FcChar8 *bfile = file;
    int bindex = index;
    if (b) {
        FcPatternGetString(b, FC_FILE, 0, &bfile);
        FcPatternGetInteger(b, FC_INDEX, 0, &bindex);
    }
    const char *fam = family ? (const char *)family : "?";
    f->fb = pm_xrealloc(f->fb, (size_t)(f->nfb + 2) * sizeof *f->fb);
    f->fb[f->nfb] = (pm_fallback){pm_xstrdup(fam), pm_xstrdup((const char *)file), index, FcCharSetCreate(), -1,
                                  f->nfb + 1, NULL};
    f->fb[f->nfb + 1] = (pm_fallback){pm_xstrdup(fam), pm_xstrdup((const char *)bfile), bindex, FcCharSetCreate(),
                                      f->nfb, -1, b};
    f->nfb += 2;
    return f->nfb - 2;
}

/* The pattern of fallback i into the configuration's application fonts: the system's
 * pattern of the face with only the characters it is chosen for. A bold with no face of
 * its own is the regular face asking to be emboldened (as fontconfig's 90-synthetic.conf
 * does), so that bold text in it is not set regular. */
static void put_pattern(pm_fonts *f, int i, FcPattern *face)
{
    FcPattern *p = FcPatternDuplicate(face);
    FcPatternDel(p, FC_CHARSET);
    FcPatternAddCharSet(p, FC_CHARSET, f->fb[i].chars);
    if (f->fb[i].of >= 0 && !f->fb[i].face) {
        FcPatternDel(p, FC_WEIGHT);
        FcPatternAddInteger(p, FC_WEIGHT, FC_WEIGHT_BOLD);
        FcPatternDel(p, FC_EMBOLDEN);
        FcPatternAddBool(p, FC_EMBOLDEN, FcTrue);
    }
    FcFontSet *app = FcConfigGetFonts(f->config, FcSetApplication);
    int at = f->nbase + i;
    if (at < app->nfont) { /* more characters for a font added before */
        FcPatternDestroy(app->fonts[at]);
        app->fonts[at] = p;
    } else {
        FcFontSetAdd(app, p);
    }
}

int pm_fonts_fallback(pm_fonts *f, const gunichar *cs, int n, const char *lang)
{
    if (f->system || !n || !FcConfigGetFonts(f->config, FcSetApplication)) return 0;
    char doc[32];
    fc_lang(lang, doc, sizeof doc);
    if (f->nfb && strcmp(f->fb_lang, doc)) return 0; /* (the caller starts again: pm_fonts_fallback_lang) */
    free(f->fb_lang);
    f->fb_lang = pm_xstrdup(doc);
    if (!f->none) f->none = FcCharSetCreate();
    int todo = 0;
    for (int i = 0; i < n; i++) todo += !FcCharSetHasChar(f->none, cs[i]);
    if (!todo) return 0;
    if (!f->sys) f->sys = FcInitLoadConfigAndFonts();
    if (!f->sys) return 0;
    typedef struct { const char *lang; FcFontSet *set; } by_lang;
    by_lang sorted[16]; /* the order of the system's fonts for each language met */
    int nsorted = 0, found = 0;
    int *changed = pm_xcalloc((size_t)f->nfb + 2 * (size_t)n, sizeof *changed);
    FcPattern **face = pm_xcalloc((size_t)f->nfb + 2 * (size_t)n, sizeof *face);
    for (int i = 0; i < n; i++) {
        if (FcCharSetHasChar(f->none, cs[i])) continue;
        const char *l = lang_for(cs[i], doc);
        int k = 0;
        while (k < nsorted && (l ? !sorted[k].lang || strcmp(sorted[k].lang, l) : sorted[k].lang != NULL)) k++;
        if (k == nsorted && nsorted < 16) sorted[nsorted++] = (by_lang){l, sorted_for(f->sys, l)};
        FcPattern *p = k < nsorted ? first_with(sorted[k].set, cs[i]) : NULL;
        if (!p) {
            FcCharSetAddChar(f->none, cs[i]);
            continue;
        }
        int j = fallback_for(f, p), b = f->fb[j].bold;
        FcCharSetAddChar(f->fb[j].chars, cs[i]);
        changed[j] = 1;
        face[j] = p;
        FcCharSet *bcs = NULL; /* (a bold face without c: bold c is set in the regular) */
        if (!f->fb[b].face || (FcPatternGetCharSet(f->fb[b].face, FC_CHARSET, 0, &bcs) == FcResultMatch &&
                               FcCharSetHasChar(bcs, cs[i]))) {
            FcCharSetAddChar(f->fb[b].chars, cs[i]);
            changed[b] = 1;
            face[b] = f->fb[b].face ? f->fb[b].face : p;
        }
        found++;
    }
    for (int j = 0; j < f->nfb; j++)
        if (changed[j]) put_pattern(f, j, face[j]);
    for (int k = 0; k < nsorted; k++)
        if (sorted[k].set) FcFontSetDestroy(sorted[k].set);
    free(changed);
    free(face);
    if (found) f->stale = 1; /* a new font map when the next setter asks for the context */
    return found;
}

int pm_fonts_nfallbacks(const pm_fonts *f) { return f->nfb; }
const char *pm_fonts_fallback_lang(const pm_fonts *f) { return f->nfb ? f->fb_lang : NULL; }
const char *pm_fonts_fallback_family(const pm_fonts *f, int i) { return f->fb[i].family; }
const char *pm_fonts_fallback_file(const pm_fonts *f, int i) { return f->fb[i].file; }
int pm_fonts_fallback_has(const pm_fonts *f, int i, gunichar c) { return FcCharSetHasChar(f->fb[i].chars, c); }

int pm_fonts_fallback_index(pm_fonts *f, PangoFont *font)
{
    if (!f->nfb || !font) return -1;
    if (!f->fb_fonts) f->fb_fonts = g_hash_table_new(g_direct_hash, g_direct_equal);
    gpointer v;
    if (g_hash_table_lookup_extended(f->fb_fonts, font, NULL, &v)) return GPOINTER_TO_INT(v) - 1;
    int idx = -1;
    FcPattern *p = pango_fc_font_get_pattern(PANGO_FC_FONT(font));
    FcChar8 *file = NULL;
    int index = 0;
    if (p && FcPatternGetString(p, FC_FILE, 0, &file) == FcResultMatch) {
        FcPatternGetInteger(p, FC_INDEX, 0, &index);
        for (int i = 0; i < f->nfb && idx < 0; i++)
            if (!strcmp(f->fb[i].file, (const char *)file) && f->fb[i].index == index) idx = i;
        if (idx >= 0 && f->fb[idx].of >= 0) idx = f->fb[idx].of; /* a bold counts as its regular */
    }
    g_hash_table_insert(f->fb_fonts, font, GINT_TO_POINTER(idx + 1));
    return idx;
}
