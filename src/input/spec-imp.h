/* spec-imp.h - inside the layout loader (spec.c, spec_schema.c, spec_defaults.c): the
 * schema's types, its tables, and what the defaults share with the styles. */
#ifndef PM_SPEC_IMP_H
#define PM_SPEC_IMP_H

#include <stddef.h>

#include "input/spec.h"

/* ---- the schema: each known key, its type and where it goes ---- */

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

/* spec_schema.c: the tables (the top one is the whole layout file) */
extern const field pm_top_fields[];
extern const field pm_font_fields[];   /* a font's keys (their bounds are checked after) */
extern const size_t pm_font_fields_n;
extern const field pm_style_fields[];  /* a style's keys (styles: class -> style) */
extern const char *const pm_binding_names[];

/* spec.c: a font and a style whose every key is unset (to be merged over their base);
 * the styles' fonts resolved over the roles they start from */
pm_font_spec pm_spec_unset_font(void);
pm_style_spec pm_spec_unset_style(const char *name);
void pm_spec_resolve_fonts(pm_spec *s);

/* spec_files.c: the folder the program runs from; a layout named by path or shipped name
 * (relative to rel_dir, or NULL), malloc'ed, or NULL; a hint naming the shipped layouts
 * and the nearest to what was asked */
const char *pm_spec_exe_dir(void);
char *pm_spec_resolve_layout(const char *ref, const char *rel_dir);
/* The file name a layout asked for by name has among the shipped ones ("a5" and "a5.yaml":
   "a5.yaml"); in a static buffer. */
const char *pm_spec_shipped_name(const char *ref);
void pm_spec_hint_layouts(const char *asked);

#endif
