/* fonts.c - fontconfig + Pango set-up over the project's own fonts (see fonts.h). */
#include "text/fonts.h"

#include <cairo.h>
#include <dirent.h>
#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>
#include <fontconfig/fontconfig.h>
#include <pango/pangocairo.h>
#include <pango/pangofc-fontmap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/arena.h"
#include "base/diag.h"
#include "base/fileio.h"

struct pm_fonts {
    FcConfig *config;
    PangoFontMap *map;
    PangoContext *ctx;
    char *dir;
    char families[1024];
    GHashTable *faces; /* PangoFont* -> pm_face* */
};

/* What drawing needs of a font, looked up once when a line first uses it, so a drawing
 * thread needs no Pango. (Issue 16: the same scaled font could serve shaping too, so that
 * each glyph is loaded once.) */
struct pm_face {
    PangoFont *font;         /* a reference */
    cairo_scaled_font_t *sf; /* Pango's cairo font for it, owned by the font */
    char *name;              /* pango_font_describe as a string */
};

static void face_free(void *v)
{
    pm_face *face = v;
    g_free(face->name);
    g_object_unref(face->font);
    free(face);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int has_fonts(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) return -1;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t l = strlen(e->d_name);
        if (l > 4 && (!strcasecmp(e->d_name + l - 4, ".otf") || !strcasecmp(e->d_name + l - 4, ".ttf"))) n++;
    }
    closedir(d);
    return n;
}

int pm_fonts_new(const char *dir, pm_fonts **out)
{
    *out = NULL;
    int nfonts = has_fonts(dir);
    if (nfonts < 0) {
        pm_error(dir, 0, 0, "cannot open the fonts folder");
        return PM_EIO;
    }
    if (nfonts == 0) {
        pm_error(dir, 0, 0, "no fonts (.otf or .ttf) in the fonts folder");
        return PM_EIO;
    }
    FcConfig *cfg = FcConfigCreate();
    const char *cache = pm_cache_dir(); /* the fonts' coverage read from a cache, not the files */
    if (cache) {
        char xml[4400];
        snprintf(xml, sizeof xml, "<fontconfig><cachedir>%s</cachedir></fontconfig>", cache);
        if (FcConfigParseAndLoadFromMemory(cfg, (const FcChar8 *)xml, FcFalse) &&
            FcConfigAppFontAddDir(cfg, (const FcChar8 *)dir))
            goto ready;
        FcConfigDestroy(cfg);
        cfg = FcConfigCreate();
    }
    /* no cache: add the files one by one, in sorted order */
    DIR *d = opendir(dir);
    if (!d) {
        pm_error(dir, 0, 0, "cannot open the fonts folder");
        FcConfigDestroy(cfg);
        return PM_EIO;
    }
    char *names[256];
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) && n < 256) {
        size_t l = strlen(e->d_name);
        if (l > 4 && (!strcasecmp(e->d_name + l - 4, ".otf") || !strcasecmp(e->d_name + l - 4, ".ttf")))
            names[n++] = pm_xstrdup(e->d_name);
    }
    closedir(d);
    qsort(names, (size_t)n, sizeof *names, cmp_str);
    int added = 0;
    for (int i = 0; i < n; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        if (FcConfigAppFontAddFile(cfg, (const FcChar8 *)path)) added++;
        free(names[i]);
    }
    if (!added) {
        pm_error(dir, 0, 0, "no fonts (.otf or .ttf) in the fonts folder could be read");
        FcConfigDestroy(cfg);
        return PM_EIO;
    }
ready:;
    /* Make it fontconfig's current configuration too: Pango's start-up thread then finds
       fontconfig initialised instead of loading the system configuration, which would
       cost the other core ~20 million instructions that pamphlet never uses. */
    FcConfigSetCurrent(cfg);
    pm_fonts *f = pm_xcalloc(1, sizeof *f);
    f->config = cfg;
    f->dir = pm_xstrdup(dir);
    f->map = pango_cairo_font_map_new_for_font_type(CAIRO_FONT_TYPE_FT);
    pango_fc_font_map_set_config(PANGO_FC_FONT_MAP(f->map), cfg);
    f->ctx = pango_font_map_create_context(f->map);
    pango_cairo_context_set_resolution(f->ctx, 72);
    pango_context_set_round_glyph_positions(f->ctx, FALSE);
    cairo_font_options_t *fo = cairo_font_options_create();
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    pango_cairo_context_set_font_options(f->ctx, fo);
    cairo_font_options_destroy(fo);
    f->faces = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, face_free);
    *out = f;
    return PM_OK;
}

void pm_fonts_drop(pm_fonts *f)
{
    if (!f) return;
    g_hash_table_destroy(f->faces);
    g_object_unref(f->ctx);
    g_object_unref(f->map);
    FcConfigDestroy(f->config);
    free(f->dir);
    free(f);
}

PangoContext *pm_fonts_context(pm_fonts *f) { return f->ctx; }
const char *pm_fonts_dir(const pm_fonts *f) { return f->dir; }

const pm_face *pm_fonts_face(pm_fonts *f, PangoFont *font)
{
    pm_face *face = g_hash_table_lookup(f->faces, font);
    if (face) return face;
    face = pm_xcalloc(1, sizeof *face);
    face->font = g_object_ref(font);
    face->sf = pango_cairo_font_get_scaled_font(PANGO_CAIRO_FONT(font));
    PangoFontDescription *d = pango_font_describe(font);
    face->name = pango_font_description_to_string(d);
    pango_font_description_free(d);
    g_hash_table_insert(f->faces, font, face);
    return face;
}

cairo_scaled_font_t *pm_face_cairo(const pm_face *face) { return face ? face->sf : NULL; }
const char *pm_face_name(const pm_face *face) { return face ? face->name : ""; }
PangoFont *pm_face_font(const pm_face *face) { return face ? face->font : NULL; }

PangoFontDescription *pm_fonts_desc(const pm_spec *s, const pm_font_spec *fs)
{
    PangoFontDescription *d = pango_font_description_new();
    pango_font_description_set_family(d, fs->family ? fs->family : "serif");
    pango_font_description_set_weight(d, (PangoWeight)fs->weight);
    pango_font_description_set_style(d, fs->italic ? PANGO_STYLE_ITALIC : PANGO_STYLE_NORMAL);
    pango_font_description_set_absolute_size(d, pm_font_size(s, fs) * PANGO_SCALE);
    return d;
}

int pm_fonts_matches(PangoFont *font, const PangoFontDescription *want)
{
    if (!font) return 0;
    PangoFontDescription *got = pango_font_describe(font);
    int ok = !strcasecmp(pango_font_description_get_family(got), pango_font_description_get_family(want));
    int wg = pango_font_description_get_weight(got), ww = pango_font_description_get_weight(want);
    if ((wg >= 600) != (ww >= 600)) ok = 0;
    PangoStyle sg = pango_font_description_get_style(got), sw = pango_font_description_get_style(want);
    if ((sg != PANGO_STYLE_NORMAL) != (sw != PANGO_STYLE_NORMAL)) ok = 0;
    pango_font_description_free(got);
    return ok;
}

const char *pm_fonts_families(pm_fonts *f)
{
    if (f->families[0]) return f->families;
    /* the families of the fonts in the folder (not Pango's generic aliases) */
    FcFontSet *set = FcConfigGetFonts(f->config, FcSetApplication);
    const char *names[256];
    int k = 0;
    for (int i = 0; set && i < set->nfont && k < 256; i++) {
        FcChar8 *fam;
        if (FcPatternGetString(set->fonts[i], FC_FAMILY, 0, &fam) != FcResultMatch) continue;
        int dup = 0;
        for (int j = 0; j < k && !dup; j++) dup = !strcmp(names[j], (const char *)fam);
        if (!dup) names[k++] = (const char *)fam;
    }
    qsort(names, (size_t)k, sizeof *names, cmp_str);
    for (int i = 0; i < k; i++) {
        if (i) strncat(f->families, ", ", sizeof f->families - strlen(f->families) - 1);
        strncat(f->families, names[i], sizeof f->families - strlen(f->families) - 1);
    }
    return f->families;
}

int pm_fonts_check_role(pm_fonts *f, const pm_spec *s, const pm_font_spec *fs, const char *role)
{
    const char *file = fs->family_file ? fs->family_file : s->file;
    int line = fs->family_line;
    /* Ask fontconfig directly, as Pango would: no font needs to be opened for this, so a
       role the pamphlet never uses costs nothing more. */
    FcPattern *pat = FcPatternCreate();
    FcPatternAddString(pat, FC_FAMILY, (const FcChar8 *)(fs->family ? fs->family : ""));
    FcPatternAddInteger(pat, FC_WEIGHT, FcWeightFromOpenType(fs->weight));
    FcPatternAddInteger(pat, FC_SLANT, fs->italic ? FC_SLANT_ITALIC : FC_SLANT_ROMAN);
    FcConfigSubstitute(f->config, pat, FcMatchPattern);
    FcDefaultSubstitute(pat);
    FcResult res;
    FcPattern *got = FcFontMatch(f->config, pat, &res);
    FcPatternDestroy(pat);
    FcChar8 *family = NULL;
    int weight = 0, slant = 0, rc = PM_OK;
    if (!got || FcPatternGetString(got, FC_FAMILY, 0, &family) != FcResultMatch) {
        pm_error(file, line, 0, "%s: cannot load any font for '%s'", role, fs->family);
        rc = PM_EINPUT;
    } else {
        FcPatternGetInteger(got, FC_WEIGHT, 0, &weight);
        FcPatternGetInteger(got, FC_SLANT, 0, &slant);
        int bold = FcWeightToOpenType(weight) >= 600, want_bold = fs->weight >= 600;
        if (strcasecmp((const char *)family, fs->family)) {
            pm_error(file, line, 0, "%s: font family '%s' is not in %s", role, fs->family, f->dir);
            rc = PM_EINPUT;
        } else if (bold != want_bold || (slant != FC_SLANT_ROMAN) != (fs->italic != 0)) {
            pm_error(file, line, 0, "%s: '%s' has no %s%s face", role, fs->family, want_bold ? "bold" : "regular",
                     fs->italic ? " italic" : "");
            rc = PM_EINPUT;
        }
        if (rc) pm_hint("families available: %s", pm_fonts_families(f));
    }
    if (got) FcPatternDestroy(got);
    return rc;
}
