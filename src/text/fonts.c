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
#include "text/fonts-imp.h"

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

static int is_font_file(const char *name, int collections)
{
    size_t l = strlen(name);
    if (l <= 4) return 0;
    const char *x = name + l - 4;
    return !strcasecmp(x, ".otf") || !strcasecmp(x, ".ttf") ||
           (collections && (!strcasecmp(x, ".ttc") || !strcasecmp(x, ".otc")));
}

/* Font files in dir (with deep, in its subfolders too, and collections); -1 if it cannot
 * be opened. */
static int has_fonts(const char *dir, int deep)
{
    DIR *d = opendir(dir);
    if (!d) return -1;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) && n < 100000) {
        if (e->d_name[0] == '.') continue;
        if (is_font_file(e->d_name, deep)) {
            n++;
        } else if (deep) {
            char sub[4096];
            struct stat st;
            snprintf(sub, sizeof sub, "%s/%s", dir, e->d_name);
            if (!stat(sub, &st) && S_ISDIR(st.st_mode)) {
                int k = has_fonts(sub, deep);
                if (k > 0) n += k;
            }
        }
    }
    closedir(d);
    return n;
}

/* Bitmap fonts (colour emoji: CBDT, sbix) come in fixed sizes; fontconfig hands Pango
 * the strike's size (109 px for Noto Color Emoji) unless told to scale the strike to the
 * size asked for. These are the rules of fontconfig's 10-scale-bitmap-fonts.conf, which
 * a configuration of our own does not load. */
static const char BITMAP_RULES[] =
    "<match target=\"font\"><test name=\"outline\" compare=\"eq\"><bool>false</bool></test>"
    "<edit name=\"pixelsizefixupfactor\" mode=\"assign\"><divide><name target=\"pattern\">pixelsize</name>"
    "<name target=\"font\">pixelsize</name></divide></edit></match>"
    "<match target=\"font\"><test name=\"outline\" compare=\"eq\"><bool>false</bool></test>"
    "<test name=\"pixelsizefixupfactor\" compare=\"not_eq\"><double>1.0</double></test>"
    "<edit name=\"matrix\" mode=\"assign\"><times><name>matrix</name><matrix><name>pixelsizefixupfactor</name>"
    "<double>0</double><double>0</double><name>pixelsizefixupfactor</name></matrix></times></edit>"
    "<edit name=\"size\" mode=\"assign\"><divide><name>size</name><name>pixelsizefixupfactor</name></divide>"
    "</edit></match>";

/* A new fontconfig configuration with the bitmap rules, and the cache folder if any. */
static FcConfig *new_config(const char *cache)
{
    FcConfig *cfg = FcConfigCreate();
    char xml[8192];
    snprintf(xml, sizeof xml, "<fontconfig>%s%s%s%s</fontconfig>", cache ? "<cachedir>" : "", cache ? cache : "",
             cache ? "</cachedir>" : "", BITMAP_RULES);
    if (!FcConfigParseAndLoadFromMemory(cfg, (const FcChar8 *)xml, FcFalse)) {
        FcConfigDestroy(cfg);
        return NULL;
    }
    return cfg;
}

int pm_fonts_new(const char *dir, pm_fonts **out)
{
    return pm_fonts_open(dir, NULL, 0, out);
}

/* The project's folder dir into cfg, as pm_fonts_new always did: through the cache when
 * there is one, else the files of the folder one by one, in sorted order. */
static int add_project_dir(FcConfig **cfgp, const char *dir, const char *cache, int system)
{
    FcConfig *cfg = *cfgp;
    if (cache && FcConfigAppFontAddDir(cfg, (const FcChar8 *)dir)) return PM_OK;
    if (cache && !system) { /* (a failed try leaves nothing behind: start again) */
        FcConfigDestroy(cfg);
        *cfgp = cfg = new_config(NULL);
        if (!cfg) *cfgp = cfg = FcConfigCreate();
    }
    /* no cache: add the files one by one, in sorted order */
    DIR *d = opendir(dir);
    if (!d) {
        pm_error(dir, 0, 0, "cannot open the fonts folder");
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
        return PM_EIO;
    }
    return PM_OK;
}

int pm_fonts_open(const char *dir, const char *extra, int system, pm_fonts **out)
{
    *out = NULL;
    int nfonts = has_fonts(dir, 0);
    if (nfonts < 0) {
        pm_error(dir, 0, 0, "cannot open the fonts folder");
        return PM_EIO;
    }
    if (nfonts == 0) {
        pm_error(dir, 0, 0, "no fonts (.otf or .ttf) in the fonts folder");
        return PM_EIO;
    }
    const char *cache = pm_cache_dir(); /* the fonts' coverage read from a cache, not the files */
    if (cache && strlen(cache) >= 4096) cache = NULL;
    FcConfig *cfg = NULL;
    if (system) { /* the system's font folders (read through fontconfig's own caches), not
                     its configuration: no aliases or substitutions, only the fonts */
        cfg = new_config(cache); /* (our cache folder first: fontconfig writes to the first) */
        const char *xml = "<fontconfig><dir>/usr/share/fonts</dir><dir>/usr/local/share/fonts</dir>"
                          "<dir prefix=\"xdg\">fonts</dir><cachedir>/var/cache/fontconfig</cachedir>"
                          "<cachedir prefix=\"xdg\">fontconfig</cachedir>"
                          /* a fallback with no bold face (Droid Sans Fallback) is emboldened in
                             bold text, as fontconfig's 90-synthetic.conf does */
                          "<match target=\"font\"><test name=\"weight\" compare=\"less_eq\"><const>medium</const>"
                          "</test><test target=\"pattern\" name=\"weight\" compare=\"more_eq\"><const>bold</const>"
                          "</test><edit name=\"embolden\" mode=\"assign\"><bool>true</bool></edit>"
                          "<edit name=\"weight\" mode=\"assign\"><const>bold</const></edit></match></fontconfig>";
        /* (its fonts are read when it becomes current, below, as the project's config's are) */
        if (cfg && !FcConfigParseAndLoadFromMemory(cfg, (const FcChar8 *)xml, FcFalse)) {
            FcConfigDestroy(cfg);
            cfg = NULL;
        }
    } else {
        cfg = new_config(cache);
    }
    if (!cfg) cfg = FcConfigCreate();
    int rc = add_project_dir(&cfg, dir, cache, system);
    /* --fonts folders: with their subfolders, collections (.ttc) too */
    char *where = pm_xstrdup(dir);
    for (const char *e = extra; !rc && e && *e;) {
        const char *c = strchr(e, ':');
        size_t n = c ? (size_t)(c - e) : strlen(e);
        char *one = pm_xmalloc(n + 1);
        memcpy(one, e, n);
        one[n] = 0;
        int k = has_fonts(one, 1);
        if (k < 0) {
            pm_error(one, 0, 0, "cannot open the fonts folder");
            rc = PM_EIO;
        } else if (k == 0) {
            pm_error(one, 0, 0, "no fonts (.otf, .ttf, .ttc) in this folder or its subfolders");
            rc = PM_EIO;
        } else if (!FcConfigAppFontAddDir(cfg, (const FcChar8 *)one)) {
            pm_error(one, 0, 0, "the fonts in this folder could not be read");
            rc = PM_EIO;
        }
        char *w = g_strdup_printf("%s, %s", where, one);
        free(where);
        where = pm_xstrdup(w);
        g_free(w);
        free(one);
        e = c ? c + 1 : e + n;
    }
    if (rc) {
        FcConfigDestroy(cfg);
        free(where);
        return rc;
    }
    if (system) {
        char *w = g_strdup_printf("%s and the system's fonts", where);
        free(where);
        where = pm_xstrdup(w);
        g_free(w);
    }
    /* Make it fontconfig's current configuration too: Pango's start-up thread then finds
       fontconfig initialised instead of loading the system configuration, which would
       cost the other core ~20 million instructions that pamphlet never uses. */
    FcConfigSetCurrent(cfg);
    pm_fonts *f = pm_xcalloc(1, sizeof *f);
    f->config = cfg;
    f->dir = pm_xstrdup(dir);
    f->extra = extra && *extra ? pm_xstrdup(extra) : NULL;
    f->system = system;
    f->where = where;
    FcFontSet *app = FcConfigGetFonts(cfg, FcSetApplication);
    f->nbase = app ? app->nfont : 0;
    pm_fonts_new_map(f);
    *out = f;
    return PM_OK;
}

/* A font map made ahead of need (pm_fonts_warm), taken by the next pm_fonts_new_map. */
static PangoFontMap *g_warm_map;

void pm_fonts_warm(void)
{
    static int done;
    if (done++) return;
    /* an empty configuration current meanwhile: Pango's thread's FcInit then finds one and
       returns (else it loads the system's, ~20 million instructions never used) */
    FcConfig *empty = FcConfigCreate();
    FcConfigSetCurrent(empty); /* (it holds a reference now; pm_fonts_open sets ours) */
    FcConfigDestroy(empty);
    g_warm_map = pango_cairo_font_map_new_for_font_type(CAIRO_FONT_TYPE_FT);
}

void pm_fonts_warm_release(void)
{
    if (!g_warm_map) return;
    /* (Pango's clearing waits for its fontconfig thread: the process must not end while
       that thread is starting, which the sanitizers report as a leak of its start) */
    pango_fc_font_map_cache_clear(PANGO_FC_FONT_MAP(g_warm_map));
    g_object_unref(g_warm_map);
    g_warm_map = NULL;
}

void pm_fonts_new_map(pm_fonts *f)
{
    if (f->faces) g_hash_table_destroy(f->faces);
    if (f->ctx) g_object_unref(f->ctx);
    if (f->map) g_object_unref(f->map);
    f->map = g_warm_map ? g_warm_map : pango_cairo_font_map_new_for_font_type(CAIRO_FONT_TYPE_FT);
    g_warm_map = NULL;
    pango_fc_font_map_set_config(PANGO_FC_FONT_MAP(f->map), f->config);
    f->ctx = pango_font_map_create_context(f->map);
    pango_cairo_context_set_resolution(f->ctx, 72);
    pango_context_set_round_glyph_positions(f->ctx, FALSE);
    cairo_font_options_t *fo = cairo_font_options_create();
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    pango_cairo_context_set_font_options(f->ctx, fo);
    cairo_font_options_destroy(fo);
    f->faces = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, face_free);
}

void pm_fonts_drop(pm_fonts *f)
{
    if (!f) return;
    pm_fonts_fallback_drop(f);
    g_hash_table_destroy(f->faces);
    g_object_unref(f->ctx);
    g_object_unref(f->map);
    FcConfigDestroy(f->config);
    free(f->dir);
    free(f->extra);
    free(f->where);
    free(f);
}

PangoContext *pm_fonts_context(pm_fonts *f)
{
    if (f->stale) { /* fonts were added (fallback.c): Pango reads them once per font map */
        pm_fonts_new_map(f);
        if (f->fb_fonts) g_hash_table_remove_all(f->fb_fonts); /* (keyed by the old fonts) */
        f->stale = 0;
    }
    return f->ctx;
}
const char *pm_fonts_where(const pm_fonts *f) { return f->where; }

int pm_fonts_same(const pm_fonts *f, const char *extra, int system)
{
    if (extra && !*extra) extra = NULL;
    return f->system == system && (f->extra ? extra && !strcmp(f->extra, extra) : !extra);
}

static int cmp_name(const void *a, const void *b)
{
    return strcmp((*(pm_face *const *)a)->name, (*(pm_face *const *)b)->name);
}

void pm_fonts_report(pm_fonts *f, FILE *fp)
{
    fprintf(fp, "  fonts from:        %s\n", f->where);
    guint n = 0;
    pm_face **v = NULL;
    GPtrArray *arr = g_ptr_array_new();
    GHashTableIter it;
    gpointer k, val;
    g_hash_table_iter_init(&it, f->faces);
    while (g_hash_table_iter_next(&it, &k, &val)) g_ptr_array_add(arr, val);
    n = arr->len;
    v = (pm_face **)arr->pdata;
    qsort(v, n, sizeof *v, cmp_name);
    for (guint i = 0; i < n; i++) {
        FcPattern *pat = pango_fc_font_get_pattern(PANGO_FC_FONT(v[i]->font));
        FcChar8 *file = NULL;
        if (pat) FcPatternGetString(pat, FC_FILE, 0, &file);
        fprintf(fp, "  %s %-30s %s\n", i ? "                  " : "fonts used:       ", v[i]->name,
                file ? (const char *)file : "");
    }
    g_ptr_array_free(arr, TRUE);
}
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
    if (fs->nfallback) { /* Pango takes a list of families: each character from the first that has it */
        char fam[1024];
        snprintf(fam, sizeof fam, "%s", fs->family ? fs->family : "serif");
        for (int i = 0; i < fs->nfallback; i++) {
            strncat(fam, ",", sizeof fam - strlen(fam) - 1);
            strncat(fam, fs->fallback[i], sizeof fam - strlen(fam) - 1);
        }
        pango_font_description_set_family(d, fam);
    } else {
        pango_font_description_set_family(d, fs->family ? fs->family : "serif");
    }
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
    for (int i = 0; set && i < f->nbase && k < 256; i++) {
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

/* The faces of a family, e.g. "Regular, Italic, Bold, Bold Italic" (in out). */
static const char *family_faces(pm_fonts *f, const char *family, char *out, size_t n)
{
    FcFontSet *set = FcConfigGetFonts(f->config, FcSetApplication);
    out[0] = 0;
    for (int i = 0; set && i < f->nbase; i++) {
        FcChar8 *fam, *style;
        if (FcPatternGetString(set->fonts[i], FC_FAMILY, 0, &fam) != FcResultMatch ||
            strcasecmp((const char *)fam, family) || FcPatternGetString(set->fonts[i], FC_STYLE, 0, &style) != FcResultMatch)
            continue;
        int w = 0;
        FcPatternGetInteger(set->fonts[i], FC_WEIGHT, 0, &w);
        char one[128];
        snprintf(one, sizeof one, "%s%s (%d)", out[0] ? ", " : "", (const char *)style, FcWeightToOpenType(w));
        if (!strstr(out, one + (out[0] ? 2 : 0))) strncat(out, one, n - strlen(out) - 1);
    }
    return out;
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
            pm_error(file, line, 0, "%s: font family '%s' is not in %s", role, fs->family, f->where);
            rc = PM_EINPUT;
        } else if (bold != want_bold || (slant != FC_SLANT_ROMAN) != (fs->italic != 0)) {
            pm_error(file, line, 0, "%s: '%s' has no %s%s face", role, fs->family, want_bold ? "bold" : "regular",
                     fs->italic ? " italic" : "");
            rc = PM_EINPUT;
        }
        if (rc) pm_hint("families available: %s", pm_fonts_families(f));
        else if (abs(FcWeightToOpenType(weight) - fs->weight) >= 100) { /* light set as regular */
            char faces[512];
            pm_warn(file, line, 0, "%s: '%s' has no face of weight %d; it is set in weight %d (the faces it has: %s)",
                    role, fs->family, fs->weight, FcWeightToOpenType(weight), family_faces(f, fs->family, faces, sizeof faces));
        }
    }
    if (got) FcPatternDestroy(got);
    for (int i = 0; !rc && i < fs->nfallback; i++) { /* a fallback that is not there: a warning */
        FcPattern *fp = FcPatternCreate();
        FcPatternAddString(fp, FC_FAMILY, (const FcChar8 *)fs->fallback[i]);
        FcConfigSubstitute(f->config, fp, FcMatchPattern);
        FcDefaultSubstitute(fp);
        FcPattern *m = FcFontMatch(f->config, fp, &res);
        FcChar8 *fam = NULL;
        if (!m || FcPatternGetString(m, FC_FAMILY, 0, &fam) != FcResultMatch || strcasecmp((const char *)fam, fs->fallback[i])) {
            pm_warn(file, line, 0, "%s: the fallback family '%s' is not in %s", role, fs->fallback[i], f->where);
            pm_hint("add its font files with --fonts DIR%s", f->system ? "" : ", or say 'system-fonts: true' in the layout to use the fonts installed on this machine");
        }
        if (m) FcPatternDestroy(m);
        FcPatternDestroy(fp);
    }
    return rc;
}
