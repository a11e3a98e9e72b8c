/* spec_defaults.c - the layout every layout file starts from (today's a5 design, the
 * shipped styles), and releasing a layout. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "input/spec-imp.h"

static pm_len PT(double v) { return (pm_len){PM_LEN_PT, v}; }
static pm_len EM(double v) { return (pm_len){PM_LEN_EM, v}; }
static pm_len PCT(double v) { return (pm_len){PM_LEN_PERCENT, v}; }
static pm_len MM(double v) { return (pm_len){PM_LEN_PT, v * 72.0 / 25.4}; }

static pm_font_spec font(const char *family, double size, double leading)
{
    pm_font_spec f = {0};
    f.family = family;
    f.size = PT(size);
    f.leading = PT(leading);
    f.weight = 400;
    f.features = "";
    f.color[0] = f.color[1] = f.color[2] = 0;
    return f;
}

/* The styles every layout has (layouts/a5.yaml lists them with their values). */
static void default_styles(pm_spec *s)
{
    static const double ink[3] = {0.2, 0.2, 0.2};
    pm_style_spec *st;
#define STYLE(n) (st = &s->styles[s->nstyles++], (void)(*st = pm_spec_unset_style(n)))
    STYLE("box"); /* a panel: "Know your rights" */
    st->tint[0] = 0xf1 / 255.0, st->tint[1] = 0xee / 255.0, st->tint[2] = 0xe6 / 255.0;
    st->border = PT(0.6);
    memcpy(st->border_color, ink, sizeof ink);
    st->padding = EM(0.8);
    st->space_before = st->space_after = EM(1);
    STYLE("pullquote"); /* a sentence lifted out, large */
    st->font.size = EM(1.3);
    st->font.italic = 1;
    st->align = PM_ALIGN_CENTER;
    st->rules = PT(0.6);
    memcpy(st->rule_color, ink, sizeof ink);
    st->indent = EM(1.5);
    st->padding = EM(0.6);
    st->space_before = st->space_after = EM(1);
    st->keep = 1;
    STYLE("aside"); /* a note beside the argument: a rule at its left, smaller */
    st->font.size = EM(0.9);
    st->rule = PT(1.5);
    st->rule_color[0] = st->rule_color[1] = st->rule_color[2] = 0x8c / 255.0;
    st->padding = EM(0.8);
    st->space_before = st->space_after = EM(0.5);
    STYLE("center");
    st->align = PM_ALIGN_CENTER;
    STYLE("right");
    st->align = PM_ALIGN_RIGHT;
    STYLE("signature"); /* who signs, after a letter or a statement */
    st->align = PM_ALIGN_RIGHT;
    st->space_before = EM(1);
    STYLE("dateline"); /* place and date, above a letter */
    st->align = PM_ALIGN_RIGHT;
    st->space_before = st->space_after = EM(1);
#undef STYLE
}

pm_spec *pm_spec_new_default(void)
{
    pm_spec *s = pm_xcalloc(1, sizeof *s);
    s->arena = pm_arena_new();
    s->file = "(defaults)";
    pm_paper_size("A5", &s->page_w, &s->page_h);
    s->margin_top = MM(15);
    s->margin_bottom = MM(20);
    s->margin_inside = MM(17);
    s->margin_outside = MM(15);
    s->facing = 1;
    s->columns = 1;
    s->column_gap = MM(5);

    const char *serif = "Linux Libertine O", *sans = "Linux Biolinum O";
    s->body = font(serif, 10, 13);
    s->caption = font(serif, 8.5, 11);
    s->caption.italic = 1;
    s->running = font(sans, 8, 10);
    s->footnote = font(serif, 8, 10);
    s->code = font("Linux Libertine Mono O", 8.5, 11);
    s->quote = font(serif, 9.5, 12.5);
    s->cover_title = font(sans, 30, 34);
    s->cover_title.weight = 700;
    s->cover_subtitle = font(serif, 15, 19);
    s->cover_subtitle.italic = 1;
    s->cover_author = font(sans, 11, 14);
    s->cover_date = font(sans, 10, 13);
    s->cover_issue = font(sans, 10, 13);
    s->qr_text = s->cover_issue;

    s->indent = EM(1.2);
    s->para_space = PT(0);
    s->align = PM_ALIGN_JUSTIFY;
    s->hyphenate = 1;
    s->widows = 2;
    s->orphans = 2;
    s->tolerance = 200;
    s->flush_bottom = 1;

    static const double hs[3] = {14, 11.5, 10}, hl[3] = {17, 14, 13};
    static const double hb[3] = {2, 1.3, 1}, ha[3] = {0.8, 0.5, 0.3};
    for (int i = 0; i < 3; i++) {
        s->h[i].font = font(sans, hs[i], hl[i]);
        s->h[i].font.weight = 700;
        s->h[i].space_before = EM(hb[i]);
        s->h[i].space_after = EM(ha[i]);
        s->h[i].align = PM_ALIGN_START;
        s->h[i].span = i == 0;
    }
    s->header.slot[1][2] = "{section}";
    s->header.slot[0][0] = "{title}";
    s->header.offset = MM(6);
    s->footer.slot[1][2] = "{page}";
    s->footer.slot[0][0] = "{page}";
    s->footer.offset = MM(9);

    s->num_format = PM_NUM_ARABIC;
    s->num_start = 1;
    s->cover = 1;
    s->cover_image_height = PCT(45);
    s->cover_band_opacity = 0.8;
    s->logo_at = PM_AT_TOP_LEFT;
    s->logo_w = MM(30);
    s->logo_h = MM(15);
    s->back_last_section = 0;
    s->qr_size = MM(25);
    s->qr_at = PM_AT_BOTTOM_CENTER;
    s->runt_lines = 3;

    s->fig_max_width = PCT(100);
    s->fig_max_height = PCT(60);
    s->fig_space = EM(1);
    s->caption_gap = PT(4);
    s->caption_align = PM_ALIGN_CENTER;
    s->list_indent = EM(1.5);
    s->list_item_space = PT(0);
    s->quote_indent = EM(1.5);
    s->quote_space = EM(0.5);
    s->code_space = EM(0.5);
    s->note_space = EM(1);

    s->booklet.duplex = PM_DUPLEX_SHORT;
    s->booklet.blanks = PM_BLANKS_BEFORE_LAST;
    s->booklet.creep = PT(0);
    s->booklet.printer_margin = MM(5);

    default_styles(s);
    s->toc.title = "Contents";
    s->toc.levels = 2;
    s->toc.indent = EM(1.5);
    s->toc.leaders = 1;
    s->toc.font_set = pm_spec_unset_font();
    s->toc.space = EM(0.5);
    s->opening.after = 1;
    s->opening.drop_lines = 0;
    s->opening.drop_set = pm_spec_unset_font();
    s->opening.first_line = 0;
    pm_spec_resolve_fonts(s);
    return s;
}

void pm_spec_drop(pm_spec *s)
{
    if (!s) return;
    pm_arena_drop(s->arena);
    free(s);
}

