/* spec_schema.c - the layout file's schema: every key a layout may set, its type, its
 * bounds and where in pm_spec it goes (spec-imp.h). spec.c applies a YAML tree by it. */
#include <stddef.h>

#include "input/spec-imp.h"

static const char *const align_names[] = {"justify", "left", "center", "right", NULL};
static const char *const numfmt_names[] = {"arabic", "roman", "Roman", "alpha", "Alpha", NULL};
static const char *const duplex_names[] = {"short", "long", NULL};
static const char *const blanks_names[] = {"before-last", "end", NULL};
const char *const pm_binding_names[] = {"left", "right", "auto", NULL};
static const char *const cover_image_names[] = {"frame", "full-page", NULL};
static const char *const cover_fit_names[] = {"contain", "fill", NULL};
static const char *const cover_title_names[] = {"above", "below", "over", NULL};
static const char *const place_names[] = {"top-left", "top-center", "top-right",
                                          "bottom-left", "bottom-center", "bottom-right", NULL};
static const char *const top_bottom_names[] = {"top", "bottom", NULL};
static const char *const fold_names[] = {"saddle", "zine8", "2up", "cut-stack", NULL};

#define FO(m) offsetof(pm_font_spec, m)
const field pm_font_fields[] = {
    {"family", F_FAMILY, FO(family)},
    {"fallback", F_FALLBACK, FO(fallback)},
    {"size", F_LEN, FO(size), .lo = 1, .hi = 400},
    {"leading", F_LEN, FO(leading), .lo = 1, .hi = 500},
    {"weight", F_WEIGHT, FO(weight)},
    {"style", F_STYLE, FO(italic)},
    {"small-caps", F_BOOL, FO(smallcaps)},
    {"features", F_STR, FO(features)},
    {"tracking", F_LEN, FO(tracking), .lo = -50, .hi = 50},
    {"color", F_COLOR, FO(color)},
    {"uppercase", F_BOOL, FO(uppercase)},
    END};

#define HO(m) offsetof(pm_heading_spec, m)
static const field heading_fields[] = {
    {"font", F_INLINE, HO(font), pm_font_fields},
    {"space-before", F_LEN, HO(space_before), .lo = 0, .hi = 1000},
    {"space-after", F_LEN, HO(space_after), .lo = 0, .hi = 1000},
    {"align", F_ENUM, HO(align), .names = align_names},
    {"page-break", F_BOOL, HO(page_break)},
    {"hyphenate", F_BOOL, HO(hyphenate)},
    {"span", F_BOOL, HO(span)},
    {"numbering", F_STR, HO(numbering)},
    END};

#define RO(m) offsetof(pm_running_spec, m)
static const field running_fields[] = {
    {"odd", F_SLOTS, RO(slot[1])},
    {"even", F_SLOTS, RO(slot[0])},
    {"offset", F_LEN, RO(offset), .lo = 0, .hi = 500},
    {"rule", F_BOOL, RO(rule)},
    {"on-blank-pages", F_BOOL, RO(on_blank)},
    END};

#define SO(m) offsetof(pm_spec, m)
static const field margin_fields[] = {
    {"top", F_LEN, SO(margin_top), .lo = 0, .hi = 2000},
    {"bottom", F_LEN, SO(margin_bottom), .lo = 0, .hi = 2000},
    {"inside", F_LEN, SO(margin_inside), .lo = 0, .hi = 2000},
    {"outside", F_LEN, SO(margin_outside), .lo = 0, .hi = 2000},
    END};

static const field page_fields[] = {
    {"size", F_PAGESIZE, 0},
    {"margins", F_MAP, 0, margin_fields},
    {"facing", F_BOOL, SO(facing)},
    {"columns", F_INT, SO(columns), .lo = 1, .hi = 4},
    {"column-gap", F_LEN, SO(column_gap), .lo = 0, .hi = 500},
    {"column-rule", F_BOOL, SO(column_rule)},
    {"bleed", F_LEN, SO(bleed), .lo = 0, .hi = 36},
    END};

static const field fonts_fields[] = {
    {"body", F_MAP, SO(body), pm_font_fields},
    {"caption", F_MAP, SO(caption), pm_font_fields},
    {"header", F_MAP, SO(running), pm_font_fields},
    {"footnote", F_MAP, SO(footnote), pm_font_fields},
    {"code", F_MAP, SO(code), pm_font_fields},
    {"quote", F_MAP, SO(quote), pm_font_fields},
    {"cover-title", F_MAP, SO(cover_title), pm_font_fields},
    {"cover-subtitle", F_MAP, SO(cover_subtitle), pm_font_fields},
    {"cover-author", F_MAP, SO(cover_author), pm_font_fields},
    {"cover-date", F_MAP, SO(cover_date), pm_font_fields},
    {"cover-issue", F_MAP, SO(cover_issue), pm_font_fields},
    END};

static const field para_fields[] = {
    {"indent", F_LEN, SO(indent), .lo = 0, .hi = 500},
    {"spacing", F_LEN, SO(para_space), .lo = 0, .hi = 500},
    {"align", F_ENUM, SO(align), .names = align_names},
    {"hyphenate", F_BOOL, SO(hyphenate)},
    {"hyphenate-capitalized", F_BOOL, SO(hyphenate_caps)},
    {"widows", F_INT, SO(widows), .lo = 1, .hi = 10},
    {"orphans", F_INT, SO(orphans), .lo = 1, .hi = 10},
    {"indent-after-heading", F_BOOL, SO(indent_after_heading)},
    {"tolerance", F_NUM, SO(tolerance), .lo = 10, .hi = 10000},
    {"flush-bottom", F_BOOL, SO(flush_bottom)},
    END};

static const field headings_fields[] = {
    {"h1", F_MAP, SO(h[0]), heading_fields},
    {"h2", F_MAP, SO(h[1]), heading_fields},
    {"h3", F_MAP, SO(h[2]), heading_fields},
    {"numbering", F_STR, SO(numbering)},
    END};

/* a style's fields, relative to the style (apply_map is given the style's offset) */
#define STO(m) offsetof(pm_style_spec, m)
const field pm_style_fields[] = {
    {"font", F_MAP, STO(font), pm_font_fields},
    {"align", F_ENUM, STO(align), .names = align_names},
    {"space-before", F_LEN, STO(space_before), .lo = 0, .hi = 500},
    {"space-after", F_LEN, STO(space_after), .lo = 0, .hi = 500},
    {"indent", F_LEN, STO(indent), .lo = 0, .hi = 500},
    {"padding", F_LEN, STO(padding), .lo = 0, .hi = 200},
    {"border", F_LEN, STO(border), .lo = 0, .hi = 20},
    {"border-color", F_COLOR, STO(border_color)},
    {"rule", F_LEN, STO(rule), .lo = 0, .hi = 20},
    {"rules", F_LEN, STO(rules), .lo = 0, .hi = 20},
    {"rule-color", F_COLOR, STO(rule_color)},
    {"tint", F_OPTCOLOR, STO(tint)},
    {"keep-together", F_BOOL, STO(keep)},
    {"span", F_BOOL, STO(span)},
    END};

#define TO(m) (offsetof(pm_spec, toc) + offsetof(pm_toc_spec, m))
static const field toc_fields[] = {
    {"title", F_STR, TO(title)},
    {"levels", F_INT, TO(levels), .lo = 1, .hi = 3},
    {"indent", F_LEN, TO(indent), .lo = 0, .hi = 500},
    {"leaders", F_BOOL, TO(leaders)},
    {"font", F_MAP, TO(font_set), pm_font_fields},
    {"space", F_LEN, TO(space), .lo = 0, .hi = 500},
    END};

#define OO(m) (offsetof(pm_spec, opening) + offsetof(pm_opening_spec, m))
static const field dropcap_fields[] = {
    {"lines", F_INT, OO(drop_lines), .lo = 0, .hi = 6},
    {"font", F_MAP, OO(drop_set), pm_font_fields},
    END};

static const field opening_fields[] = {
    {"after", F_LEVEL, OO(after)},
    {"drop-cap", F_MAP, 0, dropcap_fields},
    {"first-line", F_FIRSTLINE, OO(first_line)},
    END};

static const field numbers_fields[] = {
    {"format", F_ENUM, SO(num_format), .names = numfmt_names},
    {"start", F_INT, SO(num_start), .lo = -100000, .hi = 100000},
    END};

static const field logo_fields[] = {
    {"position", F_ENUM, SO(logo_at), .names = place_names},
    {"width", F_LEN, SO(logo_w), .lo = 1, .hi = 5000},
    {"height", F_LEN, SO(logo_h), .lo = 1, .hi = 5000},
    END};

static const field cover_fields[] = {
    {"enabled", F_BOOL, SO(cover)},
    {"image", F_ENUM, SO(cover_image), .names = cover_image_names},
    {"image-height", F_LEN, SO(cover_image_height), .lo = 0, .hi = 5000},
    {"image-fit", F_ENUM, SO(cover_fit), .names = cover_fit_names},
    {"title", F_ENUM, SO(cover_title_at), .names = cover_title_names},
    {"title-band", F_FILL, SO(cover_band)},
    {"title-band-opacity", F_NUM, SO(cover_band_opacity), .lo = 0, .hi = 1},
    {"background", F_FILL, SO(cover_background)},
    {"logo", F_MAP, 0, logo_fields},
    {"issue", F_ENUM, SO(issue_bottom), .names = top_bottom_names},
    END};

static const field qr_fields[] = {
    {"size", F_LEN, SO(qr_size), .lo = 36, .hi = 1000},
    {"position", F_ENUM, SO(qr_at), .names = place_names},
    END};

static const field back_fields[] = {
    {"last-section", F_BOOL, SO(back_last_section)},
    {"qr", F_MAP, 0, qr_fields},
    END};

static const field figure_fields[] = {
    {"max-width", F_LEN, SO(fig_max_width), .lo = 1, .hi = 5000},
    {"max-height", F_LEN, SO(fig_max_height), .lo = 1, .hi = 5000},
    {"space", F_LEN, SO(fig_space), .lo = 0, .hi = 500},
    {"caption-gap", F_LEN, SO(caption_gap), .lo = 0, .hi = 500},
    {"caption-align", F_ENUM, SO(caption_align), .names = align_names},
    END};

static const field list_fields[] = {
    {"indent", F_LEN, SO(list_indent), .lo = 0, .hi = 500},
    {"item-spacing", F_LEN, SO(list_item_space), .lo = 0, .hi = 500},
    END};

static const field quote_fields[] = {
    {"indent", F_LEN, SO(quote_indent), .lo = 0, .hi = 500},
    {"space", F_LEN, SO(quote_space), .lo = 0, .hi = 500},
    END};

static const field code_block_fields[] = {
    {"space", F_LEN, SO(code_space), .lo = 0, .hi = 500},
    END};

static const field notes_fields[] = {
    {"space", F_LEN, SO(note_space), .lo = 0, .hi = 500},
    END};

#define BO(m) (offsetof(pm_spec, booklet) + offsetof(pm_booklet_spec, m))
static const field booklet_fields[] = {
    {"sheet", F_SHEET, 0},
    {"fold", F_ENUM, BO(fold), .names = fold_names},
    {"duplex", F_ENUM, BO(duplex), .names = duplex_names},
    {"blanks", F_ENUM, BO(blanks), .names = blanks_names},
    {"signature", F_INT, BO(signature), .lo = 0, .hi = 1000},
    {"creep", F_LEN, BO(creep), .lo = 0, .hi = 5},
    {"marks", F_BOOL, BO(marks)},
    {"printer-margin", F_LEN, BO(printer_margin), .lo = 0, .hi = 100},
    {"binding", F_ENUM, BO(rtl), .names = pm_binding_names},
    END};

static const field fit_fields[] = {
    {"pages", F_INT, SO(fit_pages), .lo = 0, .hi = 100000},
    {"multiple-of-four", F_BOOL, SO(fit_four)},
    {"runt-lines", F_INT, SO(runt_lines), .lo = 0, .hi = 20},
    END};

const field pm_top_fields[] = {
    {"extends", F_STR, 0}, /* handled before the rest */
    {"page", F_MAP, 0, page_fields},
    {"fonts", F_MAP, 0, fonts_fields},
    {"paragraph", F_MAP, 0, para_fields},
    {"headings", F_MAP, 0, headings_fields},
    {"header", F_MAP, SO(header), running_fields},
    {"footer", F_MAP, SO(footer), running_fields},
    {"page-numbers", F_MAP, 0, numbers_fields},
    {"cover", F_MAP, 0, cover_fields},
    {"back-cover", F_MAP, 0, back_fields},
    {"figures", F_MAP, 0, figure_fields},
    {"lists", F_MAP, 0, list_fields},
    {"quotes", F_MAP, 0, quote_fields},
    {"code-blocks", F_MAP, 0, code_block_fields},
    {"footnotes", F_MAP, 0, notes_fields},
    {"booklet", F_MAP, 0, booklet_fields},
    {"styles", F_STYLES, 0},
    {"toc", F_MAP, 0, toc_fields},
    {"openings", F_MAP, 0, opening_fields},
    {"fit", F_MAP, 0, fit_fields},
    {"system-fonts", F_BOOL, SO(system_fonts)},
    END};

const size_t pm_font_fields_n = sizeof pm_font_fields / sizeof *pm_font_fields;
