/* spec.h - the layout spec: a YAML file resolved to the numbers the page builder uses.
 *
 * A spec starts from built-in defaults, then applies the files of its `extends:` chain
 * from the root down. Lengths keep their unit (pt, em, %) until they are used, so that a
 * child layout which changes the body size also moves everything measured in ems.
 * Unknown keys, wrong types and bad units are errors naming file, line and key. */
#ifndef PM_SPEC_H
#define PM_SPEC_H

#include "base/arena.h"
#include "base/colour.h"
#include "base/units.h"

/* left, center and right are visual, in text of either direction; start and end are the
   sides where a line begins and ends (left and right in left-to-right text, right and left
   in right-to-left text). */
typedef enum {
    PM_ALIGN_JUSTIFY, PM_ALIGN_LEFT, PM_ALIGN_CENTER, PM_ALIGN_RIGHT, PM_ALIGN_START, PM_ALIGN_END
} pm_align;
typedef enum { PM_NUM_ARABIC, PM_NUM_ROMAN, PM_NUM_ROMAN_UPPER, PM_NUM_ALPHA, PM_NUM_ALPHA_UPPER } pm_numfmt;
typedef enum { PM_DUPLEX_SHORT, PM_DUPLEX_LONG } pm_duplex;
typedef enum { PM_BLANKS_BEFORE_LAST, PM_BLANKS_END } pm_blanks;

/* Where a value was set in a layout file (line 0: a built-in default). */
typedef struct pm_spec_at {
    const char *file;
    int line, col;
} pm_spec_at;

typedef struct pm_font_spec {
    const char *family;
    int family_line;  /* where family was set (0 = built-in default) */
    const char *family_file;
    pm_len size;      /* em: of the body size */
    pm_len leading;   /* baseline to baseline; em: of this font's size */
    int weight;       /* 400 normal, 700 bold (100..900) */
    int italic;
    int smallcaps;
    const char *features; /* OpenType features, e.g. "onum=1" */
    pm_len tracking;  /* letter spacing; em of this font's size */
    double color[3];  /* RGB 0..1 */
    int uppercase;
    pm_spec_at size_at, leading_at, tracking_at; /* for messages about what they come to */
} pm_font_spec;

typedef struct pm_heading_spec {
    pm_font_spec font;
    pm_len space_before, space_after; /* em: of the body size */
    pm_align align;
    int page_break;   /* start a new page */
    int hyphenate;
    int numbered_in_outline;
    int span;         /* in columns: across all of them (default: level 1 does) */
} pm_heading_spec;

/* Running header or footer: slot[page parity][position] is a template with {title},
 * {subtitle}, {author}, {section}, {page} (parity 0 = even/left pages, 1 = odd/right). */
typedef struct pm_running_spec {
    const char *slot[2][3];
    pm_len offset;    /* header: text top to header baseline; footer: text bottom to footer baseline */
    int rule;         /* thin rule between it and the text */
    int on_blank;     /* also on pages with no text (default no) */
} pm_running_spec;

typedef struct pm_booklet_spec {
    const char *sheet;  /* paper name or "WxH"; NULL = automatic */
    double sheet_w, sheet_h; /* resolved from sheet (0 = automatic) */
    pm_duplex duplex;
    pm_blanks blanks;
    int signature;      /* sheets per signature, 0 = one signature */
    pm_len creep;       /* paper thickness */
    int marks;
    pm_len printer_margin;
    int rtl;            /* binding on the right */
} pm_booklet_spec;

#define PM_SPEC_MAX_CMYK 32

typedef struct pm_spec {
    pm_arena *arena;
    const char *file;           /* the file loaded (last of the chain), or "(defaults)" */
    const char *files[8];       /* the chain, root first (for watch mode) */
    int nfiles;

    /* page */
    double page_w, page_h;
    pm_len margin_top, margin_bottom, margin_inside, margin_outside; /* %: of page width */
    int facing;
    int columns;                /* text columns on a page (1: none) */
    pm_len column_gap;          /* between columns */
    int column_rule;            /* a thin rule in each gap */
    pm_len bleed;               /* beyond the trimmed page on each side, in the reading PDF
                                   (output/finish.h); 0: none */

    /* fonts by role */
    pm_font_spec body, caption, running, footnote, code, quote; /* running: header and footer */
    pm_font_spec cover_title, cover_subtitle, cover_author, cover_date;

    /* paragraphs */
    pm_len indent;              /* first-line indent (em: of body size) */
    pm_len para_space;          /* space between paragraphs */
    pm_align align;
    int hyphenate;
    int hyphenate_caps;         /* also hyphenate capitalised words */
    int widows, orphans;
    int indent_after_heading;
    double tolerance;           /* line-breaking tolerance (TeX \tolerance) */
    int flush_bottom;           /* the space between paragraphs may stretch so that facing
                                   pages end on one baseline (TeX's \flushbottom) */

    pm_heading_spec h[3];
    pm_running_spec header, footer;

    pm_numfmt num_format;
    int num_start;              /* number of the first page (the cover counts) */

    int cover;                  /* build a cover page from the front matter */
    pm_len cover_image_height;  /* %: of the page height */
    int back_last_section;      /* pin the last section to the last page */

    pm_len fig_max_width, fig_max_height; /* %: of the text width / height */
    pm_len fig_space;           /* above and below a figure */
    pm_len caption_gap;         /* image to caption */
    pm_align caption_align;

    pm_len list_indent, list_item_space;
    pm_len quote_indent;
    pm_len quote_space;         /* above and below a block quote (whole lines of the grid) */

    pm_len note_space;          /* text to footnote separator */

    pm_booklet_spec booklet;

    /* colours given as CMYK (cmyk(...)): each one's rgb is what the frames carry; the PDF
       gets their inks from the finishing pass (output/finish.c) */
    pm_colour cmyk[PM_SPEC_MAX_CMYK];
    int ncmyk;

    /* fitting the page count (layout/fit.c) */
    int fit_pages;              /* this many pages (0: as they come) */
    int fit_four;               /* the nearest multiple of four (a booklet without blanks) */
    int runt_lines;             /* a last page with fewer lines is pulled back (0: never) */
} pm_spec;

/* A spec with the built-in defaults (an A5 pamphlet). Never fails. */
pm_spec *pm_spec_new_default(void);
/* Load a layout by path or by name ("a5" finds layouts/a5.yaml in the layout search
 * path). Returns PM_OK and a new spec, or PM_EINPUT / PM_EIO with diagnostics. */
int pm_spec_load(const char *name_or_path, pm_spec **out);
/* Apply YAML text as a layout on top of base (used by pm_spec_load and tests). file names
 * the text in messages; its folder anchors a relative `extends:`. */
int pm_spec_parse(const char *file, const char *text, size_t len, pm_spec **out);
void pm_spec_drop(pm_spec *s);
/* Remember a CMYK colour (a layout's cmyk(...)); one the same as an earlier one is kept
 * once, and past PM_SPEC_MAX_CMYK the rest print as their RGB. */
void pm_spec_add_cmyk(pm_spec *s, const pm_colour *c);

/* Folders searched for layouts by name, and for fonts: the folder of the running program,
 * then the install data dir. Returns a path in a static buffer, or NULL if not found. */
const char *pm_find_data(const char *sub, const char *name);

/* Resolved helpers. */
double pm_spec_body_size(const pm_spec *s);
/* Font size / leading of a role in points. */
double pm_font_size(const pm_spec *s, const pm_font_spec *f);
double pm_font_leading(const pm_spec *s, const pm_font_spec *f);
/* Length in points: em against the body size, % against whole. */
double pm_spec_len(const pm_spec *s, pm_len l, double whole);
/* Text area of a page: x from the left edge for a page that is a right (odd) page or not. */
void pm_spec_text_area(const pm_spec *s, int right_page, double *x, double *y, double *w, double *h);

#endif
