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
typedef enum { PM_FOLD_SADDLE, PM_FOLD_ZINE8, PM_FOLD_2UP, PM_FOLD_CUT_STACK } pm_fold;

/* The cover's picture: in a frame in the text area, or over the whole page. */
typedef enum { PM_COVER_FRAME, PM_COVER_FULL_PAGE } pm_cover_image;
/* A framed picture: whole, as large as the frame lets it (contain), or filling the frame
 * (text width x image-height), cropped (fill). */
typedef enum { PM_FIT_CONTAIN, PM_FIT_FILL } pm_cover_fit;
/* The title (with the subtitle) and the picture: above it, below it, over it. */
typedef enum { PM_TITLE_ABOVE, PM_TITLE_BELOW, PM_TITLE_OVER } pm_cover_title;
/* Where a logo or a QR code goes in the text area (v / 3: top, bottom; v % 3: left,
 * center, right). */
typedef enum {
    PM_AT_TOP_LEFT, PM_AT_TOP_CENTER, PM_AT_TOP_RIGHT, PM_AT_BOTTOM_LEFT, PM_AT_BOTTOM_CENTER, PM_AT_BOTTOM_RIGHT
} pm_corner;

/* A colour that may be left out ("none"). */
typedef struct pm_fill_spec {
    int set;
    double rgb[3];
} pm_fill_spec;

/* Where a value was set in a layout file (line 0: a built-in default). */
typedef struct pm_spec_at {
    const char *file;
    int line, col;
} pm_spec_at;

typedef struct pm_font_spec {
    const char *family;
    int family_line;  /* where family was set (0 = built-in default) */
    const char *family_file;
    const char *fallback[8]; /* families searched, in order, for characters family lacks */
    int nfallback;
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
    const char *numbering; /* this level's number, like "1.1" (NULL: as headings.numbering;
                              "": none) */
    pm_len space_before, space_after; /* em: of the body size */
    pm_align align;
    int page_break;   /* start a new page */
    int hyphenate;
    int numbered_in_outline;
    int span;         /* in columns: across all of them (default: level 1 does) */
} pm_heading_spec;

/* Running header or footer: slot[page parity][position] is a template with {title},
 * {subtitle}, {author}, {section}, {page} (parity 0 = even/left pages, 1 = odd/right). */
/* A style: what a class ('::: box', '{.center}') asks of the blocks it marks. A div with a
 * style is a box: its text is indented by the indent, border (or rule) and padding, and
 * the space around it comes in whole lines of the grid. Unset values are negative (the
 * font: its keys not given are NULL, 0, -1 or NaN). */
#define PM_MAX_STYLES 32
enum { PM_STYLE_BODY, PM_STYLE_QUOTE, PM_STYLE_H1, PM_STYLE_H2, PM_STYLE_H3, PM_STYLE_BASES };
typedef struct pm_style_spec {
    const char *name;            /* the class, without its dot */
    pm_spec_at at;               /* where it was defined (line 0: built in) */
    pm_font_spec font;           /* the font keys it gives */
    int align;                   /* pm_align, or -1: as the text around it */
    pm_len space_before, space_after; /* outside it, rounded up to whole lines */
    pm_len indent;               /* the whole box narrower by this on each side */
    pm_len padding;              /* between its edges and its text */
    pm_len border;               /* a frame around it (0: none) */
    double border_color[3];
    pm_len rule;                 /* a rule down its left side (0: none) */
    pm_len rules;                /* rules above and below it (0: none) */
    double rule_color[3];        /* of rule and rules */
    double tint[3];              /* background; tint[0] < 0: none */
    int keep;                    /* keep-together: never broken over a page */
    int span;                    /* in columns: set across all of them */
    int has_font;                /* (resolved) it gives font keys */
    pm_font_spec fonts[PM_STYLE_BASES]; /* (resolved) its font over body, quote, h1..h3 */
} pm_style_spec;

/* The contents list ([[toc]], front matter 'toc: true'). */
typedef struct pm_toc_spec {
    const char *title;           /* set as a level-1 heading; "" none */
    int levels;                  /* headings of levels 1..levels are listed */
    pm_len indent;               /* each level below the first indented by this */
    int leaders;                 /* dot leaders to the page numbers */
    pm_font_spec font, font_set; /* entries (resolved over the body font); the keys given */
    pm_len space;                /* above a level-1 entry (but the first), whole lines */
} pm_toc_spec;

/* How the first paragraph of a section opens. */
typedef struct pm_opening_spec {
    int after;                   /* after headings of levels 1..after (0: only {.dropcap}) */
    int drop_lines;              /* a drop cap over this many lines (0: none) */
    pm_font_spec drop_font, drop_set; /* the initial's font (resolved over the body font, its
                                         size found from the lines); the keys given */
    int first_line;              /* small caps: 0 none, -1 the whole first line, N words */
} pm_opening_spec;

typedef struct pm_running_spec {
    const char *slot[2][3];
    pm_len offset;    /* header: text top to header baseline; footer: text bottom to footer baseline */
    pm_spec_at offset_at; /* where offset was set (line 0: built in) */
    int rule;         /* thin rule between it and the text */
    int on_blank;     /* also on pages with no text (default no) */
} pm_running_spec;

typedef struct pm_booklet_spec {
    const char *sheet;  /* paper name or "WxH"; NULL = automatic */
    double sheet_w, sheet_h; /* resolved from sheet (0 = automatic) */
    pm_fold fold;
    pm_duplex duplex;
    pm_blanks blanks;
    int signature;      /* sheets per signature, 0 = one signature */
    pm_len creep;       /* paper thickness */
    int marks;
    pm_len printer_margin;
    int rtl;            /* binding on the right */
    int binding_given;  /* the layout says left or right (not auto: the document's
                           direction decides) */
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
    pm_spec_at margin_top_at, margin_bottom_at; /* where they were set (for the running heads' check) */
    int facing;
    int columns;                /* text columns on a page (1: none) */
    pm_len column_gap;          /* between columns */
    int column_rule;            /* a thin rule in each gap */
    pm_len bleed;               /* beyond the trimmed page on each side, in the reading PDF
                                   (output/finish.h); 0: none */

    /* fonts by role */
    pm_font_spec body, caption, running, footnote, code, quote; /* running: header and footer */
    pm_font_spec cover_title, cover_subtitle, cover_author, cover_date, cover_issue;
    pm_font_spec qr_text;       /* the text under the back cover's QR code: cover_issue's
                                   font, never in capitals (a URL's case matters) */

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
    const char *numbering;      /* heading numbers, like "1.1" (levels 1 and 2); NULL none */
    pm_running_spec header, footer;

    pm_style_spec styles[PM_MAX_STYLES]; /* by class */
    int nstyles;
    pm_toc_spec toc;
    pm_opening_spec opening;

    pm_numfmt num_format;
    int num_start;              /* number of the first page (the cover counts) */

    int cover;                  /* build a cover page from the front matter */
    pm_len cover_image_height;  /* %: of the page height */
    pm_cover_image cover_image;
    pm_cover_fit cover_fit;
    pm_cover_title cover_title_at;
    pm_fill_spec cover_band;    /* behind the title (and the foot) set over the picture */
    double cover_band_opacity;  /* 0..1 */
    pm_fill_spec cover_background; /* a colour field over the whole cover */
    pm_corner logo_at;           /* the front matter's logo: where, and the box it fits in */
    pm_len logo_w, logo_h;
    int issue_bottom;           /* the front matter's issue line at the foot (else the top) */
    int back_last_section;      /* pin the last section to the last page */
    pm_len qr_size;             /* the back cover's QR code: the symbol's side (the quiet
                                   zone of 4 modules around it comes on top) */
    pm_corner qr_at;

    pm_len fig_max_width, fig_max_height; /* %: of the text width / height */
    pm_len fig_space;           /* above and below a figure */
    pm_len caption_gap;         /* image to caption */
    pm_align caption_align;

    pm_len list_indent, list_item_space;
    pm_len quote_indent;
    pm_len quote_space;         /* above and below a block quote (whole lines of the grid) */
    pm_len code_space;          /* above and below a code block (whole lines of the grid) */

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
    int system_fonts;           /* also the system's fonts (fontconfig), after the project's
                                   and --fonts folders */
} pm_spec;

/* A spec with the built-in defaults (an A5 pamphlet). Never fails. */
pm_spec *pm_spec_new_default(void);
/* The file pm_spec_load(name_or_path) would read (a file, or a shipped layout by name),
 * newly allocated; NULL if there is none (pm_spec_load then says so). */
char *pm_spec_path(const char *name_or_path);
/* Load a layout by path or by name ("a5" finds layouts/a5.yaml in the layout search
 * path). Returns PM_OK and a new spec, or PM_EINPUT / PM_EIO with diagnostics. */
int pm_spec_load(const char *name_or_path, pm_spec **out);
/* The same, for a layout named at file:line (the content's front matter): when it cannot
   be found, the error names that line. */
int pm_spec_load_asked(const char *name_or_path, const char *file, int line, pm_spec **out);
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

/* The style a class names, or NULL. */
const pm_style_spec *pm_spec_style(const pm_spec *s, const char *cls);
/* A style's font over base (a role of s: body, quote, or a heading's font): base itself
 * when the style gives no font keys or base is another role. */
const pm_font_spec *pm_style_font(const pm_spec *s, const pm_style_spec *st, const pm_font_spec *base);
/* Colour "#rrggbb", "#rgb" or a CSS name into rgb (0..1). Returns 0, or -1. */
int pm_color_parse(const char *str, double rgb[3]);

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
