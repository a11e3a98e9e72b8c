/* floor.c - the floor for this stack, for `make bench`: the same paragraphs laid out
 * with Pango's own line-by-line wrapping (justified, no hyphenation) on A5 pages and
 * written with Cairo. Nothing else: no Markdown, no headings, no images, no line
 * breaking of its own, no booklet. Same fonts (fontconfig pointed at fonts/), same text
 * area, same body font as layouts/a5.yaml.
 *
 *   floor CONTENT.md OUT.pdf
 */
#include <cairo-pdf.h>
#include <fontconfig/fontconfig.h>
#include <pango/pangocairo.h>
#include <pango/pangofc-fontmap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MM (72.0 / 25.4)

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: floor CONTENT.md OUT.pdf\n");
        return 2;
    }
    FILE *f = fopen(argv[1], "rb");
    if (!f) return 3;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *text = malloc((size_t)n + 1);
    if (fread(text, 1, (size_t)n, f) != (size_t)n) return 3;
    text[n] = 0;
    fclose(f);
    /* skip front matter */
    char *body = text;
    if (!strncmp(body, "---\n", 4)) {
        char *e = strstr(body + 4, "\n---\n");
        if (e) body = e + 5;
    }

    FcConfig *cfg = FcConfigCreate();
    FcConfigAppFontAddDir(cfg, (const FcChar8 *)"fonts");
    PangoFontMap *fm = pango_cairo_font_map_new_for_font_type(CAIRO_FONT_TYPE_FT);
    pango_fc_font_map_set_config(PANGO_FC_FONT_MAP(fm), cfg);
    PangoContext *ctx = pango_font_map_create_context(fm);
    pango_cairo_context_set_resolution(ctx, 72);
    pango_context_set_round_glyph_positions(ctx, FALSE);
    cairo_font_options_t *fo = cairo_font_options_create();
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    pango_cairo_context_set_font_options(ctx, fo);
    PangoFontDescription *desc = pango_font_description_from_string("Linux Libertine O 10");
    pango_font_description_set_absolute_size(desc, 10 * PANGO_SCALE);

    double pw = 148 * MM, ph = 210 * MM, top = 15 * MM, bottom = 20 * MM, in = 17 * MM, out = 15 * MM;
    double tw = pw - in - out, th = ph - top - bottom, lead = 13;
    cairo_surface_t *s = cairo_pdf_surface_create(argv[2], pw, ph);
    cairo_t *cr = cairo_create(s);
    double y = top;
    int page = 0;
    /* paragraphs: blocks separated by blank lines, markup left as it is */
    char *save = NULL;
    for (char *p = strtok_r(body, "\n", &save); p;) {
        GString *para = g_string_new(NULL);
        while (p && *p) {
            if (para->len) g_string_append_c(para, ' ');
            g_string_append(para, p);
            char *next = save && *save == '\n' ? NULL : strtok_r(NULL, "\n", &save);
            if (!next) {
                p = strtok_r(NULL, "\n", &save);
                break;
            }
            p = next;
        }
        PangoLayout *lay = pango_layout_new(ctx);
        pango_layout_set_font_description(lay, desc);
        pango_layout_set_width(lay, (int)(tw * PANGO_SCALE));
        pango_layout_set_justify(lay, TRUE);
        pango_layout_set_indent(lay, 12 * PANGO_SCALE);
        pango_layout_set_spacing(lay, 0);
        pango_layout_set_text(lay, para->str, (int)para->len);
        PangoLayoutIter *it = pango_layout_get_iter(lay);
        do {
            if (y + lead > top + th) {
                cairo_show_page(cr);
                page++;
                y = top;
            }
            PangoRectangle logical;
            pango_layout_iter_get_line_extents(it, NULL, &logical);
            PangoLayoutLine *line = pango_layout_iter_get_line_readonly(it);
            double x = (page % 2 ? out : in) + logical.x / (double)PANGO_SCALE;
            cairo_move_to(cr, x, y + 10);
            pango_cairo_show_layout_line(cr, line);
            y += lead;
        } while (pango_layout_iter_next_line(it));
        pango_layout_iter_free(it);
        g_object_unref(lay);
        g_string_free(para, TRUE);
    }
    cairo_show_page(cr);
    cairo_destroy(cr);
    cairo_surface_finish(s);
    int st = cairo_surface_status(s) != CAIRO_STATUS_SUCCESS;
    cairo_surface_destroy(s);
    printf("%d\n", page + 1);
    return st;
}
