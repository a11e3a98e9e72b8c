/* spec.c - layout spec loading: defaults, `extends:` chains, a schema of known keys. */
#include "input/spec.h"

#include <ctype.h>
#include <dirent.h>
#include <limits.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "base/colour.h"
#include "base/diag.h"
#include "base/fileio.h"
#include "base/yamltree.h"

#define PM_SPEC_MAX_BYTES (1u << 20)
#define PM_SPEC_MAX_CHAIN 8

/* ---- schema ---- */

typedef enum {
    F_LEN, F_NUM, F_INT, F_BOOL, F_STR, F_ENUM, F_MAP, F_INLINE, F_PAGESIZE, F_SHEET,
    F_SLOTS, F_COLOR, F_STYLE, F_WEIGHT, F_FAMILY, F_FALLBACK, F_FILL,
    F_OPTCOLOR,  /* a colour or "none" (rgb[0] = -1) */
    F_STYLES,    /* styles: class -> style */
    F_LEVEL,     /* h1, h2, h3 or none: 1..3 or 0 */
    F_FIRSTLINE  /* none, smallcaps (-1) or a number of words */
} ftype;

typedef struct field {
    const char *key;
    ftype type;
    size_t off;
    const struct field *sub;     /* F_MAP, F_INLINE: fields relative to off */
    const char *const *names;    /* F_ENUM: names, index = value */
    double lo, hi;               /* F_NUM, F_INT, F_LEN (pt) bounds */
} field;

#define END {NULL, 0, 0, NULL, NULL, 0, 0}

static const char *const align_names[] = {"justify", "left", "center", "right", NULL};
static const char *const numfmt_names[] = {"arabic", "roman", "Roman", "alpha", "Alpha", NULL};
static const char *const duplex_names[] = {"short", "long", NULL};
static const char *const blanks_names[] = {"before-last", "end", NULL};
static const char *const binding_names[] = {"left", "right", "auto", NULL};
static const char *const cover_image_names[] = {"frame", "full-page", NULL};
static const char *const cover_fit_names[] = {"contain", "fill", NULL};
static const char *const cover_title_names[] = {"above", "below", "over", NULL};
static const char *const place_names[] = {"top-left", "top-center", "top-right",
                                          "bottom-left", "bottom-center", "bottom-right", NULL};
static const char *const top_bottom_names[] = {"top", "bottom", NULL};
static const char *const fold_names[] = {"saddle", "zine8", "2up", "cut-stack", NULL};

#define FO(m) offsetof(pm_font_spec, m)
static const field font_fields[] = {
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
    {"font", F_INLINE, HO(font), font_fields},
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
    {"body", F_MAP, SO(body), font_fields},
    {"caption", F_MAP, SO(caption), font_fields},
    {"header", F_MAP, SO(running), font_fields},
    {"footnote", F_MAP, SO(footnote), font_fields},
    {"code", F_MAP, SO(code), font_fields},
    {"quote", F_MAP, SO(quote), font_fields},
    {"cover-title", F_MAP, SO(cover_title), font_fields},
    {"cover-subtitle", F_MAP, SO(cover_subtitle), font_fields},
    {"cover-author", F_MAP, SO(cover_author), font_fields},
    {"cover-date", F_MAP, SO(cover_date), font_fields},
    {"cover-issue", F_MAP, SO(cover_issue), font_fields},
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
static const field style_fields[] = {
    {"font", F_MAP, STO(font), font_fields},
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
    {"font", F_MAP, TO(font_set), font_fields},
    {"space", F_LEN, TO(space), .lo = 0, .hi = 500},
    END};

#define OO(m) (offsetof(pm_spec, opening) + offsetof(pm_opening_spec, m))
static const field dropcap_fields[] = {
    {"lines", F_INT, OO(drop_lines), .lo = 0, .hi = 6},
    {"font", F_MAP, OO(drop_set), font_fields},
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
    {"binding", F_ENUM, BO(rtl), .names = binding_names},
    END};

static const field fit_fields[] = {
    {"pages", F_INT, SO(fit_pages), .lo = 0, .hi = 100000},
    {"multiple-of-four", F_BOOL, SO(fit_four)},
    {"runt-lines", F_INT, SO(runt_lines), .lo = 0, .hi = 20},
    END};

static const field top_fields[] = {
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
    {"footnotes", F_MAP, 0, notes_fields},
    {"booklet", F_MAP, 0, booklet_fields},
    {"styles", F_STYLES, 0},
    {"toc", F_MAP, 0, toc_fields},
    {"openings", F_MAP, 0, opening_fields},
    {"fit", F_MAP, 0, fit_fields},
    {"system-fonts", F_BOOL, SO(system_fonts)},
    END};

/* ---- applying a YAML tree ---- */

typedef struct {
    pm_spec *s;
    const char *file;
    char path[256]; /* dotted key path for messages */
    int rc;
} apply_ctx;

static void bad(apply_ctx *c, const pm_ynode *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void bad(apply_ctx *c, const pm_ynode *n, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    pm_error(c->file, n->line, n->col, "%s: %s", c->path, msg);
    c->rc = PM_EINPUT;
}

static int want_scalar(apply_ctx *c, const pm_ynode *n)
{
    if (n->kind == PM_Y_SCALAR) return 1;
    bad(c, n, "expected a single value, found %s", pm_yaml_kind_name(n->kind));
    if (n->kind == PM_Y_MAP) pm_hint("braces make a mapping in YAML: quote a value that contains them, as in \"{page}\"");
    else if (n->kind == PM_Y_SEQ) pm_hint("brackets make a list in YAML: quote a value that contains them");
    return 0;
}

static int parse_bool(const char *s, int *out)
{
    static const char *t[] = {"true", "yes", "on"}, *f[] = {"false", "no", "off"};
    for (int i = 0; i < 3; i++) {
        if (!strcasecmp(s, t[i])) return *out = 1, 0;
        if (!strcasecmp(s, f[i])) return *out = 0, 0;
    }
    return -1;
}

static void names_list(const char *const *names, char *buf, size_t n)
{
    buf[0] = 0;
    for (int i = 0; names[i]; i++) {
        if (i) strncat(buf, ", ", n - strlen(buf) - 1);
        strncat(buf, names[i], n - strlen(buf) - 1);
    }
}

static void apply_map(apply_ctx *c, const field *fields, size_t base, const pm_ynode *map);
static void apply_styles(apply_ctx *c, const pm_ynode *v);

/* A font's size, leading or tracking: remember where it was set, since whether a
 * relative one is in range is known only when the whole layout is loaded. */
static void note_font_len(apply_ctx *c, const field *f, pm_len *dst, const pm_ynode *v)
{
    if (f < font_fields || f >= font_fields + sizeof font_fields / sizeof *font_fields) return;
    pm_font_spec *fs = (pm_font_spec *)((char *)dst - f->off);
    pm_spec_at *at = f->off == FO(size) ? &fs->size_at
                   : f->off == FO(leading) ? &fs->leading_at
                   : f->off == FO(tracking) ? &fs->tracking_at : NULL;
    if (at) *at = (pm_spec_at){c->file, v->line, v->col};
}

static void apply_len(apply_ctx *c, const field *f, pm_len *dst, const pm_ynode *v)
{
    if (!want_scalar(c, v)) return;
    pm_len l;
    const char *why;
    int bare_ok = !strcmp(v->str, "0");
    if (pm_len_parse(v->str, bare_ok, &l, &why) < 0) {
        bad(c, v, "'%s': %s", v->str, why);
        return;
    }
    if (l.kind == PM_LEN_PT && (f->lo != 0 || f->hi != 0) && (l.v < f->lo || l.v > f->hi)) {
        bad(c, v, "'%s' is out of range (%g pt to %g pt)", v->str, f->lo, f->hi);
        return;
    }
    /* relative lengths resolve later; bound them here so nothing downstream sees a
       length of 1e300 points (a size that comes to too much is caught in check_spec) */
    if ((l.kind == PM_LEN_EM && fabs(l.v) > 100) || (l.kind == PM_LEN_PERCENT && fabs(l.v) > 1000)) {
        bad(c, v, "'%s' is out of range (at most %s)", v->str, l.kind == PM_LEN_EM ? "100em" : "1000%");
        return;
    }
    if (l.v < 0 && f->lo >= 0) {
        bad(c, v, "'%s' must not be negative", v->str);
        return;
    }
    *dst = l;
    note_font_len(c, f, dst, v);
}

static int parse_size_pair(const char *s, double *w, double *h, const char **why)
{
    /* "148mm x 210mm" */
    const char *x = strpbrk(s, "x\xc3"); /* 'x' or the start of U+00D7 */
    char a[64], b[64];
    if (!x) return *why = "expected a paper name or 'WIDTH x HEIGHT'", -1;
    size_t n = (size_t)(x - s);
    if (n >= sizeof a) return *why = "too long", -1;
    memcpy(a, s, n);
    a[n] = 0;
    x += (unsigned char)*x == 0xc3 ? 2 : 1;
    snprintf(b, sizeof b, "%s", x);
    pm_len lw, lh;
    if (pm_len_parse(a, 0, &lw, why) < 0 || pm_len_parse(b, 0, &lh, why) < 0) return -1;
    if (lw.kind != PM_LEN_PT || lh.kind != PM_LEN_PT) return *why = "use absolute units", -1;
    if (lw.v < 72 || lh.v < 72 || lw.v > 14400 || lh.v > 14400)
        return *why = "each side must be between 1in and 200in", -1;
    *w = lw.v;
    *h = lh.v;
    return 0;
}

static int paper(const char *s, double *w, double *h, const char **why)
{
    char name[64];
    snprintf(name, sizeof name, "%s", s);
    int landscape = 0;
    char *sp = strchr(name, ' ');
    if (sp && !strcasecmp(sp + 1, "landscape")) {
        *sp = 0;
        landscape = 1;
    }
    if (pm_paper_size(name, w, h) == 0) {
        if (landscape) {
            double t = *w;
            *w = *h;
            *h = t;
        }
        return 0;
    }
    if (parse_size_pair(s, w, h, why) == 0) return 0;
    if (!strchr(s, 'x')) *why = "unknown paper size";
    return -1;
}

/* F_NUM, F_INT: a number within the field's bounds. */
static void apply_number(apply_ctx *c, const field *f, char *p, const pm_ynode *v)
{
    if (!want_scalar(c, v)) return;
    char *end;
    double d = strtod(v->str, &end);
    if (end == v->str || *end || d != d) { /* d != d: "nan" */
        bad(c, v, "'%s' is not a number", v->str);
        return;
    }
    /* the range first: (long)d of a value beyond long's range is undefined */
    if (d < f->lo || d > f->hi) {
        bad(c, v, "%s is out of range (%g to %g)", v->str, f->lo, f->hi);
        return;
    }
    if (f->type == F_INT && d != (double)(long)d) {
        bad(c, v, "'%s' must be a whole number", v->str);
        return;
    }
    if (f->type == F_INT) *(int *)p = (int)d;
    else *(double *)p = d;
}

/* F_FAMILY: a font family, with where it was given (checked against the fonts later). */
static void apply_family(apply_ctx *c, char *p, const pm_ynode *v)
{
    if (!want_scalar(c, v)) return;
    pm_font_spec *fs = (pm_font_spec *)(p - offsetof(pm_font_spec, family));
    fs->family = pm_arena_strdup(c->s->arena, v->str);
    fs->family_line = v->line;
    fs->family_file = c->file;
}

/* F_FALLBACK: a family or a list of them, searched in turn for characters the role's
 * family lacks. */
static void apply_fallback(apply_ctx *c, char *p, const pm_ynode *v)
{
    pm_font_spec *fs = (pm_font_spec *)(p - offsetof(pm_font_spec, fallback));
    size_t n = v->kind == PM_Y_SEQ ? v->n : 1;
    if (v->kind == PM_Y_MAP || n > 8) {
        bad(c, v, "expected a family or a list of at most 8 families, e.g. [Noto Sans Arabic, Noto Sans CJK SC]");
        return;
    }
    fs->nfallback = 0;
    for (size_t i = 0; i < n; i++) {
        const pm_ynode *x = v->kind == PM_Y_SEQ ? v->items[i] : v;
        if (!want_scalar(c, x)) return;
        if (!*x->str || strchr(x->str, ',')) {
            bad(c, x, "'%s' is not a family name", x->str);
            return;
        }
        fs->fallback[fs->nfallback++] = pm_arena_strdup(c->s->arena, x->str);
    }
}

/* F_ENUM: one of the field's names; its index is the value. */
static void apply_enum(apply_ctx *c, const field *f, char *p, const pm_ynode *v)
{
    if (!want_scalar(c, v)) return;
    for (int i = 0; f->names[i]; i++)
        if (!strcmp(v->str, f->names[i])) {
            *(int *)p = i;
            if (f->names == binding_names) { /* auto: by the document's direction */
                c->s->booklet.binding_given = i < 2;
                *(int *)p = i == 1;
            }
            return;
        }
    char buf[256];
    names_list(f->names, buf, sizeof buf);
    bad(c, v, "'%s' is not one of: %s", v->str, buf);
    int n = 0;
    while (f->names[n]) n++;
    const char *near = pm_nearest(v->str, (const char *const *)f->names, n);
    if (near) pm_hint("did you mean '%s'?", near);
}

/* F_STYLE: normal (or roman) or italic. */
static void apply_style(apply_ctx *c, char *p, const pm_ynode *v)
{
    if (!want_scalar(c, v)) return;
    if (!strcmp(v->str, "italic")) *(int *)p = 1;
    else if (!strcmp(v->str, "normal") || !strcmp(v->str, "roman")) *(int *)p = 0;
    else bad(c, v, "'%s' is not one of: normal, italic", v->str);
}

/* F_WEIGHT: a weight name or a number from 100 to 900. */
static void apply_weight(apply_ctx *c, char *p, const pm_ynode *v)
{
    if (!want_scalar(c, v)) return;
    static const struct { const char *n; int w; } ws[] = {
        {"thin", 100}, {"light", 300}, {"normal", 400}, {"regular", 400}, {"medium", 500},
        {"semibold", 600}, {"bold", 700}, {"heavy", 800}, {"black", 900}};
    for (size_t i = 0; i < sizeof ws / sizeof *ws; i++)
        if (!strcasecmp(v->str, ws[i].n)) {
            *(int *)p = ws[i].w;
            return;
        }
    char *end;
    long w = strtol(v->str, &end, 10);
    if (*end || w < 100 || w > 900) {
        bad(c, v, "'%s' is not a weight (normal, bold, or 100 to 900)", v->str);
        return;
    }
    *(int *)p = (int)w;
}

void pm_spec_add_cmyk(pm_spec *s, const pm_colour *c)
{
    for (int i = 0; i < s->ncmyk; i++)
        if (!memcmp(s->cmyk[i].cmyk, c->cmyk, sizeof c->cmyk)) return;
    if (s->ncmyk < PM_SPEC_MAX_CMYK) s->cmyk[s->ncmyk++] = *c;
}

/* F_COLOR, F_OPTCOLOR: a colour (base/colour.h: "#rrggbb", "#rgb", a CSS name, cmyk(...))
 * into three doubles from 0 to 1, for F_OPTCOLOR also "none" (-1); a CMYK colour is also
 * remembered in the spec's list of CMYK colours, which the PDF gets as inks. */
static void apply_color(apply_ctx *c, const field *f, char *p, const pm_ynode *v)
{
    if (!want_scalar(c, v)) return;
    double *rgb = (double *)p;
    if (f->type == F_OPTCOLOR && !strcmp(v->str, "none")) {
        rgb[0] = rgb[1] = rgb[2] = -1;
        return;
    }
    pm_colour col;
    char why[300];
    const char *near;
    if (pm_colour_parse(v->str, &col, why, sizeof why, &near) < 0) {
        bad(c, v, "%s%s", why, f->type == F_OPTCOLOR ? " (or none)" : "");
        if (near) pm_hint("did you mean '%s'?", near);
        return;
    }
    memcpy(p, col.rgb, sizeof col.rgb);
    if (col.is_cmyk) pm_spec_add_cmyk(c->s, &col);
}

/* F_LEVEL: h1, h2, h3 or none (1..3 or 0). */
static void apply_level(apply_ctx *c, char *p, const pm_ynode *v)
{
    static const char *const levels[] = {"none", "h1", "h2", "h3", NULL};
    if (!want_scalar(c, v)) return;
    for (int i = 0; levels[i]; i++)
        if (!strcmp(v->str, levels[i])) {
            *(int *)p = i;
            return;
        }
    bad(c, v, "'%s' is not one of: h1, h2, h3, none", v->str);
}

/* F_FIRSTLINE: none (0), smallcaps (-1) or a number of words (1 to 20). */
static void apply_firstline(apply_ctx *c, char *p, const pm_ynode *v)
{
    if (!want_scalar(c, v)) return;
    char *end;
    long n = strtol(v->str, &end, 10);
    if (!strcmp(v->str, "none")) *(int *)p = 0;
    else if (!strcmp(v->str, "smallcaps")) *(int *)p = -1;
    else if (end != v->str && !*end && n >= 1 && n <= 20) *(int *)p = (int)n;
    else bad(c, v, "'%s' is not one of: none, smallcaps, or a number of words (1 to 20)", v->str);
}

/* F_FILL: "none", or a colour as F_COLOR. */
static void apply_fill(apply_ctx *c, char *p, const pm_ynode *v)
{
    if (!want_scalar(c, v)) return;
    pm_fill_spec *f = (pm_fill_spec *)p;
    if (!strcmp(v->str, "none")) {
        f->set = 0;
        return;
    }
    int rc = c->rc;
    c->rc = PM_OK;
    static const field colour = {.type = F_COLOR};
    apply_color(c, &colour, (char *)f->rgb, v);
    if (c->rc == PM_OK) f->set = 1;
    else pm_hint("or none, for no colour");
    if (rc) c->rc = rc;
}

/* F_PAGESIZE: page.size, a paper name or 'WIDTH x HEIGHT'. */
static void apply_page_size(apply_ctx *c, const pm_ynode *v)
{
    if (!want_scalar(c, v)) return;
    const char *why = NULL;
    double w, h;
    if (paper(v->str, &w, &h, &why) < 0) {
        bad(c, v, "'%s': %s (known: %s, or like '148mm x 210mm')", v->str, why, pm_paper_names());
        return;
    }
    c->s->page_w = w;
    c->s->page_h = h;
}

/* F_SHEET: booklet.sheet, a paper size or auto (chosen from the page size). */
static void apply_sheet(apply_ctx *c, const pm_ynode *v)
{
    if (!want_scalar(c, v)) return;
    if (!strcmp(v->str, "auto")) {
        c->s->booklet.sheet = NULL;
        c->s->booklet.sheet_w = c->s->booklet.sheet_h = 0;
        return;
    }
    const char *why = NULL;
    double w, h;
    if (paper(v->str, &w, &h, &why) < 0) {
        bad(c, v, "'%s': %s (known: %s, or like '297mm x 420mm')", v->str, why, pm_paper_names());
        return;
    }
    c->s->booklet.sheet = pm_arena_strdup(c->s->arena, v->str);
    c->s->booklet.sheet_w = w;
    c->s->booklet.sheet_h = h;
}

/* A running head's template names fields in braces; an unknown one would be printed as
 * it is, braces and all, on every page: warn, with the nearest field as a hint. */
static void check_template(apply_ctx *c, const pm_ynode *k, const pm_ynode *v)
{
    static const char *const fields[] = {"title", "subtitle", "author", "date", "section", "page"};
    for (const char *p = strchr(v->str, '{'); p; p = strchr(p + 1, '{')) {
        const char *e = strchr(p, '}');
        if (!e) break;
        char name[64];
        size_t n = (size_t)(e - p - 1);
        if (n >= sizeof name) continue;
        memcpy(name, p + 1, n);
        name[n] = 0;
        int known = 0;
        for (size_t i = 0; i < sizeof fields / sizeof *fields; i++) known |= !strcmp(name, fields[i]);
        if (known) continue;
        pm_warn(c->file, v->line, v->col, "%s.%s: the template names an unknown field '{%s}'", c->path,
                k->str, name);
        const char *near = pm_nearest(name, fields, (int)(sizeof fields / sizeof *fields));
        if (near) pm_hint("did you mean '{%s}'? Fields: {title} {subtitle} {author} {date} {section} {page}", near);
        else pm_hint("fields: {title} {subtitle} {author} {date} {section} {page}");
    }
}

/* F_SLOTS: a running head's {left, center, right} templates; a parity given replaces
 * all three. */
static void apply_slots(apply_ctx *c, char *p, const pm_ynode *v)
{
    static const char *const pos[] = {"left", "center", "right", NULL};
    if (v->kind != PM_Y_MAP) {
        bad(c, v, "expected a mapping like {left: \"{title}\", right: \"{page}\"}");
        return;
    }
    const char **slots = (const char **)p;
    for (int i = 0; i < 3; i++) slots[i] = NULL;
    for (size_t i = 0; i < v->n; i++) {
        const pm_ynode *k = v->pairs[i].key, *val = v->pairs[i].val;
        int which = -1;
        for (int j = 0; pos[j]; j++)
            if (!strcmp(k->str, pos[j])) which = j;
        if (which < 0) {
            size_t plen = strlen(c->path);
            snprintf(c->path + plen, sizeof c->path - plen, ".%s", k->str);
            bad(c, k, "unknown key (known: left, center, right)");
            c->path[plen] = 0;
            continue;
        }
        if (!want_scalar(c, val)) continue;
        check_template(c, k, val);
        slots[which] = pm_arena_strdup(c->s->arena, val->str);
    }
}

/* Set the field f (at base in the spec) from the YAML value v, or report why not. */
static void apply_field(apply_ctx *c, const field *f, size_t base, const pm_ynode *v)
{
    char *p = (char *)c->s + base + f->off;
    switch (f->type) {
    case F_LEN: apply_len(c, f, (pm_len *)p, v); break;
    case F_NUM:
    case F_INT: apply_number(c, f, p, v); break;
    case F_BOOL:
        if (want_scalar(c, v) && parse_bool(v->str, (int *)p) < 0) bad(c, v, "'%s' is not true or false", v->str);
        break;
    case F_STR:
        if (want_scalar(c, v)) *(const char **)p = pm_arena_strdup(c->s->arena, v->str);
        break;
    case F_FAMILY: apply_family(c, p, v); break;
    case F_FALLBACK: apply_fallback(c, p, v); break;
    case F_ENUM: apply_enum(c, f, p, v); break;
    case F_STYLE: apply_style(c, p, v); break;
    case F_WEIGHT: apply_weight(c, p, v); break;
    case F_COLOR:
    case F_OPTCOLOR: apply_color(c, f, p, v); break;
    case F_LEVEL: apply_level(c, p, v); break;
    case F_FIRSTLINE: apply_firstline(c, p, v); break;
    case F_STYLES: apply_styles(c, v); break;
    case F_FILL: apply_fill(c, p, v); break;
    case F_PAGESIZE: apply_page_size(c, v); break;
    case F_SHEET: apply_sheet(c, v); break;
    case F_SLOTS: apply_slots(c, p, v); break;
    case F_MAP:
        if (v->kind != PM_Y_MAP) bad(c, v, "expected a mapping of keys, found %s", pm_yaml_kind_name(v->kind));
        else apply_map(c, f->sub, base + f->off, v);
        break;
    case F_INLINE: break; /* keys are looked up through the parent */
    }
}

/* Find key among fields, descending into F_INLINE groups. */
static const field *find_field(const field *fields, const char *key, size_t *base)
{
    for (const field *f = fields; f->key; f++) {
        if (f->type == F_INLINE) {
            size_t b = *base + f->off;
            const field *g = find_field(f->sub, key, &b);
            if (g) {
                *base = b;
                return g;
            }
        } else if (!strcmp(f->key, key)) {
            return f;
        }
    }
    return NULL;
}

static int collect_names(const field *fields, const char **out, int n, int max)
{
    for (const field *f = fields; f->key && n < max; f++) {
        if (f->type == F_INLINE) n = collect_names(f->sub, out, n, max);
        else out[n++] = f->key;
    }
    return n;
}

static void apply_map(apply_ctx *c, const field *fields, size_t base, const pm_ynode *map)
{
    size_t plen = strlen(c->path);
    for (size_t i = 0; i < map->n; i++) {
        const pm_ynode *k = map->pairs[i].key, *v = map->pairs[i].val;
        snprintf(c->path + plen, sizeof c->path - plen, "%s%s", plen ? "." : "", k->str);
        size_t b = base;
        const field *f = find_field(fields, k->str, &b);
        if (!f) {
            const char *names[64];
            int n = collect_names(fields, names, 0, 64);
            pm_error(c->file, k->line, k->col, "unknown layout key '%s'", c->path);
            const char *near = pm_nearest(k->str, names, n);
            if (near) pm_hint("did you mean '%s'?", near);
            else {
                char list[512] = "";
                for (int j = 0; j < n; j++) {
                    if (j) strncat(list, ", ", sizeof list - strlen(list) - 1);
                    strncat(list, names[j], sizeof list - strlen(list) - 1);
                }
                pm_hint("known keys here: %s", list);
            }
            c->rc = PM_EINPUT;
            continue;
        }
        if (f == &top_fields[0]) continue; /* extends */
        apply_field(c, f, b, v);
    }
    c->path[plen] = 0;
}

/* ---- styles and colours ---- */

static pm_font_spec unset_font(void)
{
    pm_font_spec f = {0};
    f.italic = f.smallcaps = f.uppercase = -1;
    f.tracking = (pm_len){PM_LEN_PT, NAN};
    f.color[0] = f.color[1] = f.color[2] = -1;
    return f;
}

static pm_style_spec unset_style(const char *name)
{
    pm_style_spec st = {0};
    st.name = name;
    st.font = unset_font();
    st.align = -1;
    st.tint[0] = st.tint[1] = st.tint[2] = -1;
    return st;
}

/* A class name as pandoc reads one: letters, digits, '-' and '_', not starting with a digit. */
static int is_class_name(const char *s)
{
    if (!*s || isdigit((unsigned char)*s) || *s == '-') return 0;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && *s != '-' && *s != '_') return 0;
    return 1;
}

/* Classes the page builder reads itself (the back cover, columns, side-by-side text). */
static const char *const builtin_classes[] = {"back-cover", "columns", "parallel", NULL};

static void apply_styles(apply_ctx *c, const pm_ynode *v)
{
    if (v->kind != PM_Y_MAP) {
        bad(c, v, "expected a mapping of classes to styles, like {box: {tint: \"#eeeeee\"}}");
        return;
    }
    pm_spec *s = c->s;
    size_t plen = strlen(c->path);
    for (size_t i = 0; i < v->n; i++) {
        const pm_ynode *k = v->pairs[i].key, *val = v->pairs[i].val;
        snprintf(c->path + plen, sizeof c->path - plen, ".%s", k->str);
        int builtin = 0;
        for (int b = 0; builtin_classes[b]; b++) builtin |= !strcmp(k->str, builtin_classes[b]);
        if (!is_class_name(k->str) || builtin) {
            bad(c, k, builtin ? "'%s' is a class the page builder reads itself; choose another name"
                              : "'%s' is not a class name (letters, digits, '-' and '_')", k->str);
            continue;
        }
        pm_style_spec *st = (pm_style_spec *)pm_spec_style(s, k->str);
        if (!st) {
            if (s->nstyles == PM_MAX_STYLES) {
                bad(c, k, "more than %d styles", PM_MAX_STYLES);
                continue;
            }
            st = &s->styles[s->nstyles++];
            *st = unset_style(pm_arena_strdup(s->arena, k->str));
        }
        st->at = (pm_spec_at){c->file, k->line, k->col};
        if (val->kind == PM_Y_SCALAR && !*val->str) continue; /* "center:" with nothing: known, plain */
        if (val->kind != PM_Y_MAP) {
            bad(c, val, "expected a mapping of style keys, found %s", pm_yaml_kind_name(val->kind));
            continue;
        }
        apply_map(c, style_fields, (size_t)((char *)st - (char *)s), val);
    }
    c->path[plen] = 0;
}

const pm_style_spec *pm_spec_style(const pm_spec *s, const char *cls)
{
    for (int i = 0; i < s->nstyles; i++)
        if (!strcmp(s->styles[i].name, cls)) return &s->styles[i];
    return NULL;
}

/* The keys o gives, over base (a role of s): sizes and leadings come out in points; a
 * size given without a leading scales the base's leading with it. */
static pm_font_spec merge_font(const pm_spec *s, const pm_font_spec *base, const pm_font_spec *o)
{
    pm_font_spec f = *base;
    double bs = pm_font_size(s, base), bl = pm_font_leading(s, base);
    f.size = (pm_len){PM_LEN_PT, bs};
    f.leading = (pm_len){PM_LEN_PT, bl};
    if (o->family) {
        f.family = o->family;
        f.family_line = o->family_line;
        f.family_file = o->family_file;
    }
    if (o->size.v > 0) {
        double ns = pm_len_pt(o->size, pm_spec_body_size(s), pm_spec_body_size(s));
        f.size = (pm_len){PM_LEN_PT, ns};
        f.leading = (pm_len){PM_LEN_PT, bl * ns / bs};
        f.size_at = f.leading_at = o->size_at;
    }
    if (o->leading.v > 0) {
        f.leading = (pm_len){PM_LEN_PT, pm_len_pt(o->leading, pm_len_pt(f.size, 0, 0), 0)};
        f.leading_at = o->leading_at;
    }
    if (o->weight) f.weight = o->weight;
    if (o->italic >= 0) f.italic = o->italic;
    if (o->smallcaps >= 0) f.smallcaps = o->smallcaps;
    if (o->uppercase >= 0) f.uppercase = o->uppercase;
    if (o->features) f.features = o->features;
    if (!isnan(o->tracking.v)) {
        f.tracking = o->tracking;
        f.tracking_at = o->tracking_at;
    }
    if (o->color[0] >= 0) memcpy(f.color, o->color, sizeof f.color);
    return f;
}

static int font_given(const pm_font_spec *o)
{
    return o->family || o->size.v > 0 || o->leading.v > 0 || o->weight || o->italic >= 0 || o->smallcaps >= 0 ||
           o->uppercase >= 0 || o->features || !isnan(o->tracking.v) || o->color[0] >= 0;
}

/* Fonts over other fonts, once the whole chain of layouts is applied. */
static void resolve_fonts(pm_spec *s)
{
    for (int i = 0; i < s->nstyles; i++) {
        pm_style_spec *st = &s->styles[i];
        st->has_font = font_given(&st->font);
        st->fonts[PM_STYLE_BODY] = merge_font(s, &s->body, &st->font);
        st->fonts[PM_STYLE_QUOTE] = merge_font(s, &s->quote, &st->font);
        for (int h = 0; h < 3; h++) st->fonts[PM_STYLE_H1 + h] = merge_font(s, &s->h[h].font, &st->font);
    }
    s->toc.font = merge_font(s, &s->body, &s->toc.font_set);
    s->opening.drop_font = merge_font(s, &s->body, &s->opening.drop_set);
}

const pm_font_spec *pm_style_font(const pm_spec *s, const pm_style_spec *st, const pm_font_spec *base)
{
    if (!st || !st->has_font) return base;
    if (base == &s->body) return &st->fonts[PM_STYLE_BODY];
    if (base == &s->quote) return &st->fonts[PM_STYLE_QUOTE];
    for (int h = 0; h < 3; h++)
        if (base == &s->h[h].font) return &st->fonts[PM_STYLE_H1 + h];
    return base;
}

int pm_color_parse(const char *str, double rgb[3])
{
    pm_colour c;
    char why[200];
    const char *near;
    if (pm_colour_parse(str, &c, why, sizeof why, &near) < 0) return -1;
    memcpy(rgb, c.rgb, sizeof c.rgb);
    return 0;
}

/* ---- defaults ---- */

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
#define STYLE(n) (st = &s->styles[s->nstyles++], (void)(*st = unset_style(n)))
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
    s->toc.font_set = unset_font();
    s->toc.space = EM(0.5);
    s->opening.after = 1;
    s->opening.drop_lines = 0;
    s->opening.drop_set = unset_font();
    s->opening.first_line = 0;
    resolve_fonts(s);
    return s;
}

void pm_spec_drop(pm_spec *s)
{
    if (!s) return;
    pm_arena_drop(s->arena);
    free(s);
}

/* ---- finding files ---- */

static const char *exe_dir(void)
{
    static char dir[PATH_MAX];
    static int done;
    if (!done) {
        done = 1;
        ssize_t n = readlink("/proc/self/exe", dir, sizeof dir - 1);
        if (n > 0) {
            dir[n] = 0;
            char *slash = strrchr(dir, '/');
            if (slash) *slash = 0;
        } else {
            dir[0] = 0;
        }
    }
    return dir;
}

const char *pm_find_data(const char *sub, const char *name)
{
    static char buf[PATH_MAX];
    const char *env = getenv("PAMPHLET_DATADIR");
    /* BINDIR/../share/pamphlet: an installation moved elsewhere, or a packager's DESTDIR
       staging tree, finds its own data before the compiled-in folder */
    static char rel[PATH_MAX + 32];
    if (!rel[0] && exe_dir()[0]) snprintf(rel, sizeof rel, "%s/../share/pamphlet", exe_dir());
    const char *bases[] = {env, exe_dir(), rel, PM_DATADIR};
    for (size_t i = 0; i < sizeof bases / sizeof *bases; i++) {
        if (!bases[i] || !*bases[i]) continue;
        snprintf(buf, sizeof buf, "%s/%s%s%s", bases[i], sub, name ? "/" : "", name ? name : "");
        if (access(buf, R_OK) == 0) return buf;
    }
    return NULL;
}

static int cmp_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The layouts shipped (layouts/NAME.yaml in the data folder), as a hint with the nearest
 * to what was asked for. */
static void hint_shipped_layouts(const char *asked)
{
    const char *dir = pm_find_data("layouts", NULL);
    DIR *d = dir ? opendir(dir) : NULL;
    if (!d) return;
    char *names[64];
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) && n < 64) {
        size_t l = strlen(e->d_name);
        if (l <= 5 || strcmp(e->d_name + l - 5, ".yaml") || e->d_name[0] == '.') continue;
        names[n] = pm_xstrdup(e->d_name);
        names[n++][l - 5] = 0;
    }
    closedir(d);
    if (!n) return;
    qsort(names, (size_t)n, sizeof *names, cmp_name);
    char list[1024] = "";
    for (int i = 0; i < n; i++) {
        size_t l = strlen(list);
        snprintf(list + l, sizeof list - l, "%s%s", i ? ", " : "", names[i]);
    }
    const char *base = strrchr(asked, '/');
    char want[256];
    snprintf(want, sizeof want, "%s", base ? base + 1 : asked);
    size_t wl = strlen(want);
    if (wl > 5 && !strcmp(want + wl - 5, ".yaml")) want[wl - 5] = 0;
    const char *near = pm_nearest(want, (const char *const *)names, n);
    if (near) pm_hint("did you mean '%s'? The shipped layouts: %s", near, list);
    else pm_hint("the shipped layouts: %s (or give the path of a layout file)", list);
    for (int i = 0; i < n; i++) free(names[i]);
}

/* Resolve a layout reference: a path as given (relative to rel_dir if not absolute), or a
 * name like "a5" / "a5.yaml" in the layout search path. New malloc'd string or NULL. */
static char *resolve_layout(const char *ref, const char *rel_dir)
{
    char *p = pm_path_join(rel_dir, ref);
    if (access(p, R_OK) == 0) return p;
    free(p);
    if (!strchr(ref, '/')) {
        char name[256];
        size_t n = strlen(ref);
        snprintf(name, sizeof name, "%s%s", ref, n > 5 && !strcmp(ref + n - 5, ".yaml") ? "" : ".yaml");
        if (rel_dir) {
            p = pm_path_join(rel_dir, name);
            if (access(p, R_OK) == 0) return p;
            free(p);
        }
        const char *found = pm_find_data("layouts", name);
        if (found) return pm_xstrdup(found);
    }
    return NULL;
}

/* ---- loading ---- */

/* files being loaded, innermost last: a layout may not extend one of them */
typedef struct chain {
    const char *files[PM_SPEC_MAX_CHAIN];
    int n;
} chain;

static int load_chain(pm_spec *s, chain *ch, const char *file, const char *text, size_t len);

static int load_file(pm_spec *s, chain *ch, const char *path, const char *from, int from_line)
{
    char *data;
    size_t len;
    int rc = pm_read_file(path, PM_SPEC_MAX_BYTES, "layout", &data, &len);
    if (rc) {
        if (from) pm_hint("named by 'extends:' in %s:%d", from, from_line);
        return rc;
    }
    const char *file = pm_arena_strdup(s->arena, path);
    rc = load_chain(s, ch, file, data, len);
    free(data);
    return rc;
}

static int load_chain(pm_spec *s, chain *ch, const char *file, const char *text, size_t len)
{
    if (ch->n >= PM_SPEC_MAX_CHAIN) {
        pm_error(file, 0, 0, "layouts extend each other more than %d deep", PM_SPEC_MAX_CHAIN);
        return PM_EINPUT;
    }
    char *real = realpath(file, NULL);
    const char *key = real ? pm_arena_strdup(s->arena, real) : file;
    free(real);
    for (int i = 0; i < ch->n; i++)
        if (!strcmp(ch->files[i], key)) {
            pm_error(file, 0, 0, "layout extends itself (through %s)", ch->files[ch->n - 1]);
            return PM_EINPUT;
        }
    pm_ynode *root = NULL;
    int rc = pm_yaml_parse(file, text, len, 0, s->arena, &root);
    if (rc) return rc;
    if (root && root->kind != PM_Y_MAP) {
        pm_error(file, root->line, root->col, "a layout must be a mapping of keys (like 'page:')");
        return PM_EINPUT;
    }
    pm_ynode *ext = pm_yaml_lookup(root, "extends");
    if (ext) {
        if (ext->kind != PM_Y_SCALAR) {
            pm_error(file, ext->line, ext->col, "extends: expected a layout name or path");
            return PM_EINPUT;
        }
        char *dir = pm_dirname(file);
        char *parent = resolve_layout(ext->str, dir);
        free(dir);
        if (!parent) {
            pm_error(file, ext->line, ext->col, "extends: cannot find layout '%s'", ext->str);
            return PM_EIO;
        }
        char *preal = realpath(parent, NULL);
        int loop = 0;
        if (preal) {
            loop = !strcmp(preal, key);
            for (int i = 0; i < ch->n; i++) loop |= !strcmp(ch->files[i], preal);
            free(preal);
        }
        if (loop) {
            pm_error(file, ext->line, ext->col, "extends: '%s' is already in this chain of layouts "
                     "(layouts cannot extend each other in a circle)", ext->str);
            free(parent);
            return PM_EINPUT;
        }
        ch->files[ch->n++] = key;
        rc = load_file(s, ch, parent, file, ext->line);
        ch->n--;
        free(parent);
        if (rc) return rc;
    }
    if (s->nfiles < 8) s->files[s->nfiles++] = file;
    s->file = file;
    if (!root) return PM_OK;
    apply_ctx c = {.s = s, .file = file};
    apply_map(&c, top_fields, 0, root);
    return c.rc;
}

/* Whether a role's size, leading and tracking come to sensible points; if not, an error
 * naming the line that set the value, or the one it is relative to. */
static int check_font(const pm_spec *s, const pm_font_spec *f, const char *role, const char *role2)
{
    double size = pm_font_size(s, f), lead = pm_font_leading(s, f);
    double track = pm_len_pt(f->tracking, size, size);
    int bad_size = !(size >= 1 && size <= 400), bad_lead = !(lead >= 1 && lead <= 500);
    if (!bad_size && !bad_lead && fabs(track) <= 50) return PM_OK;
    pm_spec_at at = bad_size ? f->size_at : bad_lead ? f->leading_at : f->tracking_at;
    if (!at.line) at = f->size_at;
    if (!at.line) at = s->body.size_at;
    if (!at.line) at = (pm_spec_at){s->file, 0, 0};
    pm_error(at.file, at.line, at.col, "%s%s: comes to size %.1f pt, leading %.1f pt, tracking %.1f pt; the "
             "size must be 1 to 400 pt, the leading 1 to 500 pt, the tracking at most 50 pt",
             role, role2, size, lead, track);
    return PM_EINPUT;
}

static int check_spec(pm_spec *s)
{
    double x, y, w, h;
    pm_spec_text_area(s, 1, &x, &y, &w, &h);
    if (w < 72 || h < 72) {
        pm_error(s->file, 0, 0, "the margins leave a text area of %.0f x %.0f pt; at least 72 x 72 pt is needed", w, h);
        return PM_EINPUT;
    }
    /* sizes in em or % were range-checked only as numbers: check what they come to */
    struct { const pm_font_spec *f; const char *role; } fs[] = {
        {&s->body, "fonts.body"}, {&s->caption, "fonts.caption"}, {&s->running, "fonts.header"},
        {&s->footnote, "fonts.footnote"}, {&s->code, "fonts.code"}, {&s->quote, "fonts.quote"},
        {&s->cover_title, "fonts.cover-title"}, {&s->cover_subtitle, "fonts.cover-subtitle"},
        {&s->cover_author, "fonts.cover-author"}, {&s->cover_date, "fonts.cover-date"},
        {&s->cover_issue, "fonts.cover-issue"}, {&s->h[0].font, "headings.h1"}, {&s->h[1].font, "headings.h2"}, {&s->h[2].font, "headings.h3"},
        {&s->toc.font, "toc.font"}, {&s->opening.drop_font, "openings.drop-cap.font"}};
    for (size_t i = 0; i < sizeof fs / sizeof *fs; i++)
        if (check_font(s, fs[i].f, fs[i].role, "")) return PM_EINPUT;
    for (int i = 0; i < s->nstyles; i++)
        for (int b = 0; b < PM_STYLE_BASES; b++)
            if (check_font(s, &s->styles[i].fonts[b], "styles.", s->styles[i].name)) return PM_EINPUT;
    return PM_OK;
}

int pm_spec_parse(const char *file, const char *text, size_t len, pm_spec **out)
{
    pm_spec *s = pm_spec_new_default();
    *out = NULL;
    chain ch = {.n = 0};
    int rc = load_chain(s, &ch, pm_arena_strdup(s->arena, file), text, len);
    if (!rc) resolve_fonts(s);
    if (!rc) rc = check_spec(s);
    s->qr_text = s->cover_issue;
    s->qr_text.uppercase = s->qr_text.smallcaps = 0;
    if (rc) {
        pm_spec_drop(s);
        return rc;
    }
    *out = s;
    return PM_OK;
}

int pm_spec_load(const char *name_or_path, pm_spec **out)
{
    *out = NULL;
    char *path = resolve_layout(name_or_path, NULL);
    if (!path) {
        pm_error(name_or_path, 0, 0, "cannot find this layout (not a file, and no layouts/%s.yaml in %s or %s)",
                 name_or_path, exe_dir(), PM_DATADIR);
        hint_shipped_layouts(name_or_path);
        return PM_EIO;
    }
    char *data;
    size_t len;
    int rc = pm_read_file(path, PM_SPEC_MAX_BYTES, "layout", &data, &len);
    if (!rc) {
        rc = pm_spec_parse(path, data, len, out);
        free(data);
    }
    free(path);
    return rc;
}

/* ---- resolved values ---- */

double pm_spec_body_size(const pm_spec *s)
{
    return pm_len_pt(s->body.size, 10, 10);
}

double pm_font_size(const pm_spec *s, const pm_font_spec *f)
{
    if (f == &s->body) return pm_spec_body_size(s); /* its em is not itself */
    return pm_len_pt(f->size, pm_spec_body_size(s), pm_spec_body_size(s));
}

double pm_font_leading(const pm_spec *s, const pm_font_spec *f)
{
    double sz = pm_font_size(s, f);
    return pm_len_pt(f->leading, sz, sz);
}

double pm_spec_len(const pm_spec *s, pm_len l, double whole)
{
    return pm_len_pt(l, pm_spec_body_size(s), whole);
}

void pm_spec_text_area(const pm_spec *s, int right_page, double *x, double *y, double *w, double *h)
{
    double in = pm_spec_len(s, s->margin_inside, s->page_w);
    double out = pm_spec_len(s, s->margin_outside, s->page_w);
    double top = pm_spec_len(s, s->margin_top, s->page_h);
    double bot = pm_spec_len(s, s->margin_bottom, s->page_h);
    *x = (!s->facing || right_page) ? in : out;
    *y = top;
    *w = s->page_w - in - out;
    *h = s->page_h - top - bot;
}
