/* spec.c - loading a layout: a YAML tree applied by the schema (spec_schema.c) over the
 * defaults (spec_defaults.c), `extends:` chains (files found by spec_files.c), the styles,
 * and the checks of the whole. */
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
#include "input/spec-imp.h"

#define PM_SPEC_MAX_BYTES (1u << 20)
#define PM_SPEC_MAX_CHAIN 8

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
    if (f < pm_font_fields || f >= pm_font_fields + pm_font_fields_n) return;
    pm_font_spec *fs = (pm_font_spec *)((char *)dst - f->off);
    pm_spec_at *at = f->off == offsetof(pm_font_spec, size) ? &fs->size_at
                   : f->off == offsetof(pm_font_spec, leading) ? &fs->leading_at
                   : f->off == offsetof(pm_font_spec, tracking) ? &fs->tracking_at : NULL;
    if (at) *at = (pm_spec_at){c->file, v->line, v->col};
}

/* Where the lengths the running heads' room depends on were set (check_running_room). */
static void note_running_len(apply_ctx *c, pm_len *dst, const pm_ynode *v)
{
    pm_spec *s = c->s;
    pm_spec_at at = {c->file, v->line, v->col};
    if (dst == &s->margin_top) s->margin_top_at = at;
    else if (dst == &s->margin_bottom) s->margin_bottom_at = at;
    else if (dst == &s->header.offset) s->header.offset_at = at;
    else if (dst == &s->footer.offset) s->footer.offset_at = at;
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
    note_running_len(c, dst, v);
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
            if (f->names == pm_binding_names) { /* auto: by the document's direction */
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
        if (f == &pm_top_fields[0]) continue; /* extends */
        apply_field(c, f, b, v);
    }
    c->path[plen] = 0;
}

/* ---- styles and colours ---- */

pm_font_spec pm_spec_unset_font(void)
{
    pm_font_spec f = {0};
    f.italic = f.smallcaps = f.uppercase = -1;
    f.tracking = (pm_len){PM_LEN_PT, NAN};
    f.color[0] = f.color[1] = f.color[2] = -1;
    return f;
}

pm_style_spec pm_spec_unset_style(const char *name)
{
    pm_style_spec st = {0};
    st.name = name;
    st.font = pm_spec_unset_font();
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
            *st = pm_spec_unset_style(pm_arena_strdup(s->arena, k->str));
        }
        st->at = (pm_spec_at){c->file, k->line, k->col};
        if (val->kind == PM_Y_SCALAR && !*val->str) continue; /* "center:" with nothing: known, plain */
        if (val->kind != PM_Y_MAP) {
            bad(c, val, "expected a mapping of style keys, found %s", pm_yaml_kind_name(val->kind));
            continue;
        }
        apply_map(c, pm_style_fields, (size_t)((char *)st - (char *)s), val);
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
void pm_spec_resolve_fonts(pm_spec *s)
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
        char *parent = pm_spec_resolve_layout(ext->str, dir);
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
    apply_map(&c, pm_top_fields, 0, root);
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

/* Whether a running head or foot has anything to show. */
static int shows(const pm_running_spec *r)
{
    for (int f = 0; f < 2; f++)
        for (int p = 0; p < 3; p++)
            if (r->slot[f][p] && *r->slot[f][p]) return 1;
    return 0;
}

/* A running head whose offset puts it past the page's edge (a small margin, a large
 * offset) would be cut off by the printer: a warning, with what would make room. */
/* Where to point a running head's warning: the margin or the offset, whichever a later
 * file of the chain set (the one the user most likely just changed); the margin if the
 * same file set both; the layout file if neither was set in one. */
static pm_spec_at culprit(const pm_spec *s, pm_spec_at margin, pm_spec_at offset)
{
    int mi = -1, oi = -1;
    for (int i = 0; i < s->nfiles; i++) {
        if (margin.line && margin.file == s->files[i]) mi = i;
        if (offset.line && offset.file == s->files[i]) oi = i;
    }
    if (margin.line && mi >= oi) return margin;
    if (offset.line) return offset;
    return (pm_spec_at){s->file, 0, 0};
}

static void check_running_room(const pm_spec *s, double ty, double th)
{
    double size = pm_font_size(s, &s->running);
    double top = ty - pm_spec_len(s, s->header.offset, s->page_h) - 0.75 * size; /* (its ascent) */
    double bottom = ty + th + pm_spec_len(s, s->footer.offset, s->page_h) + 0.25 * size; /* (its descent) */
    if (shows(&s->header) && top < 0) {
        pm_spec_at at = culprit(s, s->margin_top_at, s->header.offset_at);
        pm_warn(at.file, at.line, at.col, "header: the running head reaches %.1f pt above the page's top edge", -top);
        pm_hint("make page.margins.top larger or header.offset smaller");
    }
    if (shows(&s->footer) && bottom > s->page_h) {
        pm_spec_at at = culprit(s, s->margin_bottom_at, s->footer.offset_at);
        pm_warn(at.file, at.line, at.col, "footer: the running foot reaches %.1f pt below the page's bottom edge",
                bottom - s->page_h);
        pm_hint("make page.margins.bottom larger or footer.offset smaller");
    }
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
    check_running_room(s, y, h);
    return PM_OK;
}

int pm_spec_parse(const char *file, const char *text, size_t len, pm_spec **out)
{
    pm_spec *s = pm_spec_new_default();
    *out = NULL;
    chain ch = {.n = 0};
    int rc = load_chain(s, &ch, pm_arena_strdup(s->arena, file), text, len);
    if (!rc) pm_spec_resolve_fonts(s);
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

char *pm_spec_path(const char *name_or_path) { return pm_spec_resolve_layout(name_or_path, NULL); }

int pm_spec_load(const char *name_or_path, pm_spec **out) { return pm_spec_load_asked(name_or_path, NULL, 0, out); }

int pm_spec_load_asked(const char *name_or_path, const char *file, int line, pm_spec **out)
{
    *out = NULL;
    char *path = pm_spec_resolve_layout(name_or_path, NULL);
    if (!path) {
        if (file)
            pm_error(file, line, 0,
                     "cannot find the layout '%s' (not a file beside the content, and no layouts/%s in %s or %s)",
                     name_or_path, pm_spec_shipped_name(name_or_path), pm_spec_exe_dir(), PM_DATADIR);
        else
            pm_error(name_or_path, 0, 0, "cannot find this layout (not a file, and no layouts/%s in %s or %s)",
                     pm_spec_shipped_name(name_or_path), pm_spec_exe_dir(), PM_DATADIR);
        pm_spec_hint_layouts(name_or_path);
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
