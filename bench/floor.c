/* floor.c - the floor for this stack, for `make bench`: the same paragraphs laid out
 * with Pango's own line-by-line wrapping (justified, no hyphenation) on A5 pages and
 * written with Cairo. Nothing else: no Markdown, no headings, no images, no line
 * breaking of its own, no booklet. Same fonts, same text area, same body font as
 * layouts/a5.yaml.
 *
 *   floor [--fonts DIR] CONTENT.md OUT.pdf      (DIR defaults to fonts/)
 *
 * Prints the number of pages written.
 *
 * To be a floor and not a straw man, it sets fonts up as src/text/fonts.c does (fontconfig
 * made fontconfig's current configuration, so no system configuration is read, and a
 * fontconfig cache of the folder in $XDG_CACHE_HOME/pamphlet, the same cache the program
 * uses) and measures in points with unhinted, unrounded metrics. It does nothing the
 * program does not also do: the front matter is skipped, not parsed; every block of
 * lines between blank lines is one paragraph, markup left in as text (image lines too);
 * the pages are filled top to bottom with no page-breaking decisions; nothing is freed
 * at exit. */
#include <cairo-pdf.h>
#include <errno.h>
#include <fontconfig/fontconfig.h>
#include <pango/pangocairo.h>
#include <pango/pangofc-fontmap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MM (72.0 / 25.4)

/* layouts/a5.yaml: A5 page, margins top 15, bottom 20, inside 17, outside 15 mm; body
 * Linux Libertine O 10/13 pt; first-line indent 1.2em; justified. */
#define PAGE_W (148 * MM)
#define PAGE_H (210 * MM)
#define M_TOP (15 * MM)
#define M_BOTTOM (20 * MM)
#define M_INSIDE (17 * MM)
#define M_OUTSIDE (15 * MM)
#define BODY_FAMILY "Linux Libertine O"
#define BODY_SIZE 10.0
#define LEADING 13.0
#define INDENT 12.0

/* as cache_dir() in src/text/fonts.c */
static const char *cache_dir(void)
{
    static char path[4096];
    const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
    if (xdg && *xdg == '/') snprintf(path, sizeof path, "%s/pamphlet", xdg);
    else if (home && *home == '/') snprintf(path, sizeof path, "%s/.cache/pamphlet", home);
    else return NULL;
    if (access(path, W_OK) == 0) return path;
    char *slash = strrchr(path, '/');
    *slash = 0;
    mkdir(path, 0700);
    *slash = '/';
    if (mkdir(path, 0700) < 0 && errno != EEXIST) return NULL;
    return access(path, W_OK) == 0 ? path : NULL;
}

static FcConfig *font_config(const char *dir)
{
    FcConfig *cfg = FcConfigCreate();
    const char *cache = cache_dir();
    if (cache) {
        char xml[4400];
        snprintf(xml, sizeof xml, "<fontconfig><cachedir>%s</cachedir></fontconfig>", cache);
        if (FcConfigParseAndLoadFromMemory(cfg, (const FcChar8 *)xml, FcFalse) &&
            FcConfigAppFontAddDir(cfg, (const FcChar8 *)dir)) {
            FcConfigSetCurrent(cfg); /* as src/text/fonts.c: Pango's FcInit thread has nothing to load */
            return cfg;
        }
        FcConfigDestroy(cfg);
        cfg = FcConfigCreate();
    }
    if (!FcConfigAppFontAddDir(cfg, (const FcChar8 *)dir)) return NULL;
    FcConfigSetCurrent(cfg);
    return cfg;
}

int main(int argc, char **argv)
{
    const char *fonts = "fonts";
    if (argc == 5 && !strcmp(argv[1], "--fonts")) {
        fonts = argv[2];
        argv += 2;
        argc -= 2;
    }
    if (argc != 3) {
        fprintf(stderr, "usage: floor [--fonts DIR] CONTENT.md OUT.pdf\n");
        return 2;
    }
    FILE *f = fopen(argv[1], "rb");
    if (!f) {
        perror(argv[1]);
        return 3;
    }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *text = malloc((size_t)n + 1);
    if (!text || fread(text, 1, (size_t)n, f) != (size_t)n) return 3;
    text[n] = 0;
    fclose(f);
    /* skip front matter */
    char *body = text;
    if (!strncmp(body, "---\n", 4)) {
        char *e = strstr(body + 4, "\n---\n");
        if (e) body = e + 5;
    }

    FcConfig *cfg = font_config(fonts);
    if (!cfg) {
        fprintf(stderr, "floor: no fonts in %s\n", fonts);
        return 3;
    }
    PangoFontMap *fm = pango_cairo_font_map_new_for_font_type(CAIRO_FONT_TYPE_FT);
    pango_fc_font_map_set_config(PANGO_FC_FONT_MAP(fm), cfg);
    PangoContext *ctx = pango_font_map_create_context(fm);
    pango_cairo_context_set_resolution(ctx, 72);
    pango_context_set_round_glyph_positions(ctx, FALSE);
    cairo_font_options_t *fo = cairo_font_options_create();
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    pango_cairo_context_set_font_options(ctx, fo);
    PangoFontDescription *desc = pango_font_description_new();
    pango_font_description_set_family(desc, BODY_FAMILY);
    pango_font_description_set_absolute_size(desc, BODY_SIZE * PANGO_SCALE);

    double tw = PAGE_W - M_INSIDE - M_OUTSIDE, bottom = PAGE_H - M_BOTTOM;
    cairo_surface_t *s = cairo_pdf_surface_create(argv[2], PAGE_W, PAGE_H);
    cairo_t *cr = cairo_create(s);
    double y = M_TOP;
    int page = 0;
    GString *para = g_string_new(NULL);
    char *p = body;
    while (*p) {
        /* one paragraph: the lines up to a blank line, joined with spaces */
        g_string_truncate(para, 0);
        while (*p == '\n') p++;
        while (*p && *p != '\n') {
            char *eol = strchr(p, '\n');
            size_t len = eol ? (size_t)(eol - p) : strlen(p);
            if (para->len) g_string_append_c(para, ' ');
            g_string_append_len(para, p, (gssize)len);
            p += len;
            if (*p == '\n') p++;
        }
        if (!para->len) continue;
        PangoLayout *lay = pango_layout_new(ctx);
        pango_layout_set_font_description(lay, desc);
        pango_layout_set_width(lay, (int)(tw * PANGO_SCALE));
        pango_layout_set_justify(lay, TRUE);
        pango_layout_set_indent(lay, (int)(INDENT * PANGO_SCALE));
        pango_layout_set_text(lay, para->str, (int)para->len);
        PangoLayoutIter *it = pango_layout_get_iter(lay);
        do {
            if (y + LEADING > bottom) {
                cairo_show_page(cr);
                page++;
                y = M_TOP;
            }
            PangoRectangle logical;
            pango_layout_iter_get_line_extents(it, NULL, &logical);
            PangoLayoutLine *line = pango_layout_iter_get_line_readonly(it);
            /* page 0 is a right-hand page: inside margin on the left */
            double x = (page % 2 ? M_OUTSIDE : M_INSIDE) + logical.x / (double)PANGO_SCALE;
            cairo_move_to(cr, x, y + BODY_SIZE);
            pango_cairo_show_layout_line(cr, line);
            y += LEADING;
        } while (pango_layout_iter_next_line(it));
        pango_layout_iter_free(it);
        g_object_unref(lay);
    }
    cairo_show_page(cr);
    cairo_destroy(cr);
    cairo_surface_finish(s);
    int st = cairo_surface_status(s) != CAIRO_STATUS_SUCCESS;
    if (st) fprintf(stderr, "floor: %s: %s\n", argv[2], cairo_status_to_string(cairo_surface_status(s)));
    cairo_surface_destroy(s);
    printf("%d\n", page + 1);
    return st ? 3 : 0;
}
