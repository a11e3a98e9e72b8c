/* test_spec.c - the layout-spec loader: units, defaults, inheritance, errors with lines. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/diag.h"
#include "input/spec.h"
#include "base/units.h"

static char msgs[8192];

static void sink(void *ud, pm_severity sev, const char *line)
{
    (void)ud;
    (void)sev;
    strncat(msgs, line, sizeof msgs - strlen(msgs) - 2);
    strcat(msgs, "\n");
}

static int setup(void **st)
{
    (void)st;
    msgs[0] = 0;
    pm_diag_set_sink(sink, NULL);
    return 0;
}

static pm_spec *parse(const char *file, const char *yaml, int *rc)
{
    pm_spec *s = NULL;
    *rc = pm_spec_parse(file, yaml, strlen(yaml), &s);
    return s;
}

static void test_units(void **st)
{
    pm_len l;
    const char *why;
    assert_int_equal(pm_len_parse("25.4mm", 0, &l, &why), 0);
    assert_true(fabs(l.v - 72) < 1e-9 && l.kind == PM_LEN_PT);
    assert_int_equal(pm_len_parse("2.54cm", 0, &l, &why), 0);
    assert_true(fabs(l.v - 72) < 1e-9);
    assert_int_equal(pm_len_parse("1in", 0, &l, &why), 0);
    assert_true(fabs(l.v - 72) < 1e-9);
    assert_int_equal(pm_len_parse("12 pt", 0, &l, &why), 0);
    assert_true(fabs(l.v - 12) < 1e-9);
    assert_int_equal(pm_len_parse("1pc", 0, &l, &why), 0);
    assert_true(fabs(l.v - 12) < 1e-9);
    assert_int_equal(pm_len_parse("1.5em", 0, &l, &why), 0);
    assert_int_equal(l.kind, PM_LEN_EM);
    assert_int_equal(pm_len_parse("80%", 0, &l, &why), 0);
    assert_int_equal(l.kind, PM_LEN_PERCENT);
    assert_true(fabs(pm_len_pt(l, 10, 200) - 160) < 1e-9);
    assert_int_equal(pm_len_parse("12", 0, &l, &why), -1);   /* no unit */
    assert_int_equal(pm_len_parse("12", 1, &l, &why), 0);    /* bare allowed */
    assert_int_equal(pm_len_parse("12furlongs", 0, &l, &why), -1);
    assert_int_equal(pm_len_parse("mm", 0, &l, &why), -1);
    assert_int_equal(pm_len_parse("12mm x", 0, &l, &why), -1);
    double w, h;
    assert_int_equal(pm_paper_size("a5", &w, &h), 0);
    assert_true(fabs(w - 419.5276) < 1e-3 && fabs(h - 595.2756) < 1e-3);
    assert_int_equal(pm_paper_size("Half-Letter", &w, &h), 0);
    assert_true(w == 396 && h == 612);
    assert_int_equal(pm_paper_size("A9000", &w, &h), -1);
}

static void test_defaults_and_values(void **st)
{
    int rc;
    pm_spec *s = parse("t.yaml",
                       "page:\n"
                       "  size: 5.5in x 8.5in\n"
                       "  margins: {top: 1cm, bottom: 20mm, inside: 0.5in, outside: 36pt}\n"
                       "fonts:\n"
                       "  body: {family: \"Linux Libertine O\", size: 11pt, leading: 1.3em}\n"
                       "paragraph: {indent: 2em, widows: 3, align: left, hyphenate: no}\n"
                       "headings:\n"
                       "  h2: {size: 1.2em, weight: bold, style: italic, space-before: 1em}\n"
                       "page-numbers: {format: Roman, start: 5}\n"
                       "booklet: {sheet: A4, duplex: long, creep: 0.1mm, binding: right}\n",
                       &rc);
    assert_int_equal(rc, PM_OK);
    assert_non_null(s);
    assert_true(s->page_w == 396 && s->page_h == 612);
    assert_true(fabs(pm_spec_len(s, s->margin_top, s->page_h) - 72 / 2.54) < 1e-9);
    assert_true(fabs(pm_spec_len(s, s->margin_inside, s->page_w) - 36) < 1e-9);
    assert_true(fabs(pm_font_size(s, &s->body) - 11) < 1e-9);
    assert_true(fabs(pm_font_leading(s, &s->body) - 14.3) < 1e-9); /* 1.3em of 11pt */
    assert_true(fabs(pm_spec_len(s, s->indent, 0) - 22) < 1e-9);  /* em of the body size */
    assert_int_equal(s->widows, 3);
    assert_int_equal(s->orphans, 2); /* default kept */
    assert_int_equal(s->align, PM_ALIGN_LEFT);
    assert_int_equal(s->hyphenate, 0);
    assert_true(fabs(pm_font_size(s, &s->h[1].font) - 13.2) < 1e-9);
    assert_int_equal(s->h[1].font.weight, 700);
    assert_int_equal(s->h[1].font.italic, 1);
    assert_int_equal(s->num_format, PM_NUM_ROMAN_UPPER);
    assert_int_equal(s->num_start, 5);
    assert_int_equal(s->booklet.duplex, PM_DUPLEX_LONG);
    assert_int_equal(s->booklet.rtl, 1);
    assert_true(fabs(s->booklet.sheet_w - 595.2756) < 1e-3);
    double x, y, w, h;
    pm_spec_text_area(s, 1, &x, &y, &w, &h);
    assert_true(fabs(x - 36) < 1e-9 && fabs(w - (396 - 72)) < 1e-9);
    pm_spec_text_area(s, 0, &x, &y, &w, &h); /* left page: outside margin on the left */
    assert_true(fabs(x - 36) < 1e-9);
    pm_spec_drop(s);
}

static void expect_error(const char *yaml, const char *needle)
{
    int rc;
    msgs[0] = 0;
    pm_spec *s = parse("bad.yaml", yaml, &rc);
    assert_null(s);
    assert_int_equal(rc, PM_EINPUT);
    if (!strstr(msgs, needle)) fail_msg("expected '%s' in:\n%s", needle, msgs);
}

static void test_errors_name_line_and_key(void **st)
{
    expect_error("page:\n  size: A5\n  margns: {top: 1cm}\n", "bad.yaml:3:3: error: unknown layout key 'page.margns'");
    expect_error("page:\n  size: A5\n  margns: {top: 1cm}\n", "did you mean 'margins'?");
    expect_error("fonts:\n  body:\n    size: 10 pt\n    leading: twelve\n", "bad.yaml:4:14: error: fonts.body.leading: 'twelve'");
    expect_error("fonts:\n  body: {size: 10furlongs}\n", "bad.yaml:2:16: error: fonts.body.size: '10furlongs': unknown unit");
    expect_error("paragraph:\n  indent: 12\n", "bad.yaml:2:11: error: paragraph.indent: '12': a length needs a unit");
    expect_error("paragraph:\n  widows: many\n", "bad.yaml:2:11: error: paragraph.widows: 'many' is not a number");
    expect_error("paragraph:\n  align: justified\n", "'justified' is not one of: justify, left, center, right");
    expect_error("paragraph:\n  hyphenate: maybe\n", "bad.yaml:2:14: error: paragraph.hyphenate: 'maybe' is not true or false");
    expect_error("page:\n  size: A9\n", "bad.yaml:2:9: error: page.size: 'A9'");
    expect_error("page: [1, 2]\n", "bad.yaml:1:7: error: page: expected a mapping");
    expect_error("page:\n  size: A5\n  size: A4\n", "bad.yaml:3:3: error: key 'size' appears twice (first on line 2)");
    expect_error("page:\n  size: [A5\n", "bad.yaml:3:1: error: YAML:");
    expect_error("a: &x {b: 1}\nc: *x\n", "error: YAML anchors (&x) are not supported");
    expect_error("page:\n  margins: {top: 300mm, bottom: 300mm}\n", "text area");
    expect_error("headings:\n  h4: {size: 9pt}\n", "unknown layout key 'headings.h4'");
    /* numbers beyond any range: refused before (long) of them, undefined, is taken */
    expect_error("paragraph:\n  widows: 1e300\n", "bad.yaml:2:11: error: paragraph.widows: 1e300 is out of range");
    expect_error("paragraph:\n  orphans: -1e300\n", "is out of range");
    expect_error("paragraph:\n  widows: nan\n", "paragraph.widows: 'nan' is not a number");
    expect_error("paragraph:\n  tolerance: nan\n", "paragraph.tolerance: 'nan' is not a number");
    /* relative lengths bounded, and what sizes come to checked */
    expect_error("fonts:\n  body: {size: 1e300em}\n", "bad.yaml:2:16: error: fonts.body.size: '1e300em' is out of range");
    /* ... naming the line that set the value, or the one it is relative to */
    expect_error("fonts:\n  body: {size: 90em}\n", "bad.yaml:2:16: error: fonts.body: comes to size 900.0 pt");
    expect_error("fonts:\n  caption: {leading: 0.01em}\n", "bad.yaml:2:22: error: fonts.caption: comes to");
    expect_error("headings:\n  h2:\n    size: 9pt\n    leading: 80em\n", "bad.yaml:4:14: error: headings.h2: comes to");
    expect_error("fonts:\n  caption:\n    tracking: 40em\n", "bad.yaml:3:15: error: fonts.caption: comes to");
    expect_error("page:\n  margins: {top: 5000%}\n", "is out of range (at most 1000%)");
}

/* The cover's and back cover's keys: defaults (today's cover), values, and bad values. */
static void test_cover_keys(void **st)
{
    int rc;
    pm_spec *s = parse("t.yaml", "page: {size: A5}\n", &rc);
    assert_int_equal(rc, PM_OK);
    assert_int_equal(s->cover_image, PM_COVER_FRAME);
    assert_int_equal(s->cover_fit, PM_FIT_CONTAIN);
    assert_int_equal(s->cover_title_at, PM_TITLE_ABOVE);
    assert_false(s->cover_band.set);
    assert_false(s->cover_background.set);
    assert_int_equal(s->issue_bottom, 0);
    assert_true(fabs(pm_spec_len(s, s->qr_size, 0) - 25 * 72 / 25.4) < 1e-9);
    assert_int_equal(s->qr_at, PM_AT_BOTTOM_CENTER);
    pm_spec_drop(s);
    s = parse("t.yaml",
              "cover:\n"
              "  image: full-page\n"
              "  image-fit: fill\n"
              "  title: over\n"
              "  title-band: \"#ff8000\"\n"
              "  title-band-opacity: 0.5\n"
              "  background: \"#000080\"\n"
              "  logo: {position: bottom-right, width: 20mm, height: 1cm}\n"
              "  issue: bottom\n"
              "back-cover:\n"
              "  qr: {size: 1in, position: top-left}\n",
              &rc);
    assert_int_equal(rc, PM_OK);
    assert_int_equal(s->cover_image, PM_COVER_FULL_PAGE);
    assert_int_equal(s->cover_fit, PM_FIT_FILL);
    assert_int_equal(s->cover_title_at, PM_TITLE_OVER);
    assert_true(s->cover_band.set && s->cover_band.rgb[0] == 1 && fabs(s->cover_band.rgb[1] - 128 / 255.0) < 1e-9);
    assert_true(s->cover_band_opacity == 0.5);
    assert_true(s->cover_background.set && s->cover_background.rgb[2] > 0.5);
    assert_int_equal(s->logo_at, PM_AT_BOTTOM_RIGHT);
    assert_true(fabs(pm_spec_len(s, s->logo_h, 0) - 72 / 2.54) < 1e-9);
    assert_int_equal(s->issue_bottom, 1);
    assert_true(fabs(pm_spec_len(s, s->qr_size, 0) - 72) < 1e-9);
    assert_int_equal(s->qr_at, PM_AT_TOP_LEFT);
    pm_spec_drop(s);
    /* a child layout may take a colour away again */
    s = parse("t.yaml", "cover: {background: \"#000080\"}\n", &rc);
    assert_true(s->cover_background.set);
    pm_spec_drop(s);
    s = parse("t.yaml", "cover: {background: \"#000080\", title-band: none}\n", &rc);
    assert_false(s->cover_band.set);
    pm_spec_drop(s);
    expect_error("cover:\n  image: poster\n", "bad.yaml:2:10: error: cover.image: 'poster' is not one of: frame, full-page");
    expect_error("cover:\n  title: on-top\n", "cover.title: 'on-top' is not one of: above, below, over");
    expect_error("cover:\n  background: bleu\n", "bad.yaml:2:15: error: cover.background: 'bleu' is not a colour");
    expect_error("cover:\n  title-band-opacity: 2\n", "cover.title-band-opacity: 2 is out of range (0 to 1)");
    expect_error("cover:\n  logo: {position: middle}\n", "cover.logo.position: 'middle' is not one of: top-left");
    expect_error("back-cover:\n  qr: {size: 2mm}\n", "bad.yaml:2:14: error: back-cover.qr.size: '2mm' is out of range");
    expect_error("back-cover:\n  qr: {colour: red}\n", "unknown layout key 'back-cover.qr.colour'");
}

/* Colours: #rgb, #rrggbb, CSS names, cmyk(...); mistakes named with a hint. */
static void test_colours(void **st)
{
    (void)st;
    int rc;
    pm_spec *s = parse("c.yaml", "fonts:\n  body: {color: \"#f00\"}\n  caption: {color: DarkRed}\n"
                                 "  footnote: {color: \"cmyk(0%, 100%, 100%, 20%)\"}\n  code: {color: \"#336699\"}\n", &rc);
    assert_int_equal(rc, PM_OK);
    assert_true(s->body.color[0] == 1 && s->body.color[1] == 0 && s->body.color[2] == 0);
    assert_true(fabs(s->caption.color[0] - 0x8b / 255.0) < 1e-9 && s->caption.color[1] == 0);
    assert_true(fabs(s->footnote.color[0] - 0.8) < 1e-9 && s->footnote.color[1] == 0);
    assert_true(fabs(s->code.color[2] - 0x99 / 255.0) < 1e-9);
    assert_int_equal(s->ncmyk, 1);
    assert_true(s->cmyk[0].is_cmyk && s->cmyk[0].cmyk[1] == 1 && fabs(s->cmyk[0].cmyk[3] - 0.2) < 1e-9);
    pm_spec_drop(s);
    expect_error("fonts:\n  body: {color: darkrde}\n", "bad.yaml:2:17: error: fonts.body.color: 'darkrde' is not a colour");
    expect_error("fonts:\n  body: {color: darkrde}\n", "did you mean 'darkred'?");
    expect_error("fonts:\n  body: {color: \"#12345\"}\n", "'#12345' is not a colour");
    expect_error("fonts:\n  body: {color: \"cmyk(0, 1, 1)\"}\n", "is not a CMYK colour");
    expect_error("fonts:\n  body:\n    color: #333\n", "no colour given (in YAML a '#' starts a comment");
    /* YAML's words explained */
    expect_error("fonts:\n  body: {color: #333}\n", "'#' starts a comment in YAML");
    expect_error("header:\n  odd: {right: {page}}\n", "quote a value that contains them");
}

/* What YAML reports in its own words gets a hint in ours. */
static void test_yaml_hints(void **st)
{
    (void)st;
    expect_error("page:\n  size: A5: big\n", "quote a value that contains ': ', as in  size: \"A5: big\"");
    int rc;
    msgs[0] = 0;
    pm_spec *s = parse("h.yaml", "header:\n  odd: {right: \"{sectoin} {page}\"}\n", &rc);
    assert_int_equal(rc, PM_OK); /* a warning */
    pm_spec_drop(s);
    if (!strstr(msgs, "h.yaml:2:16: warning: header.odd.right")) fail_msg("%s", msgs);
    assert_non_null(strstr(msgs, "h.yaml:2:16: warning: header.odd.right: the template names an unknown field '{sectoin}'"));
    assert_non_null(strstr(msgs, "did you mean '{section}'?"));
    assert_null(strstr(msgs, "{page}'"));
}

static void test_billion_laughs_refused(void **st)
{
    const char *yaml = "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
                       "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
                       "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n";
    expect_error(yaml, "not supported");
    /* deep nesting is capped */
    char deep[400] = "";
    for (int i = 0; i < 60; i++) strcat(deep, "[");
    expect_error(deep, "nested deeper than");
}

static char tmpdir[64];

static void write_file(const char *name, const char *text)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void test_inheritance(void **st)
{
    strcpy(tmpdir, "/tmp/pm-spec-XXXXXX");
    assert_non_null(mkdtemp(tmpdir));
    write_file("base.yaml", "page: {size: A5}\nfonts:\n  body: {size: 9pt, leading: 12pt}\nparagraph: {indent: 1em}\n");
    write_file("child.yaml", "extends: base.yaml\nfonts:\n  body: {size: 12pt}\n");
    write_file("grandchild.yaml", "extends: child\npage: {size: A4}\n");
    write_file("cycle1.yaml", "extends: cycle2.yaml\n");
    write_file("cycle2.yaml", "extends: cycle1.yaml\n");
    write_file("badparent.yaml", "extends: base.yaml\nparagraph: {indnt: 1em}\n");
    write_file("missing.yaml", "# a comment\nextends: nowhere.yaml\n");
    char path[256];
    pm_spec *s;
    snprintf(path, sizeof path, "%s/grandchild.yaml", tmpdir);
    assert_int_equal(pm_spec_load(path, &s), PM_OK);
    assert_true(fabs(s->page_w - 595.2756) < 1e-3);                  /* grandchild */
    assert_true(fabs(pm_font_size(s, &s->body) - 12) < 1e-9);        /* child */
    assert_true(fabs(pm_font_leading(s, &s->body) - 12) < 1e-9);     /* base */
    assert_true(fabs(pm_spec_len(s, s->indent, 0) - 12) < 1e-9);     /* base's 1em of the child's size */
    assert_int_equal(s->nfiles, 3);
    assert_non_null(strstr(s->files[0], "base.yaml"));
    assert_non_null(strstr(s->files[2], "grandchild.yaml"));
    pm_spec_drop(s);

    msgs[0] = 0;
    snprintf(path, sizeof path, "%s/cycle1.yaml", tmpdir);
    assert_int_not_equal(pm_spec_load(path, &s), PM_OK);
    assert_non_null(strstr(msgs, "in a circle")); /* at the extends: that closes it */
    assert_non_null(strstr(msgs, "cycle2.yaml:1:10: error: extends: 'cycle1.yaml'"));

    msgs[0] = 0;
    snprintf(path, sizeof path, "%s/badparent.yaml", tmpdir);
    assert_int_equal(pm_spec_load(path, &s), PM_EINPUT);
    assert_non_null(strstr(msgs, "badparent.yaml:2:13: error: unknown layout key 'paragraph.indnt'"));

    msgs[0] = 0;
    snprintf(path, sizeof path, "%s/missing.yaml", tmpdir);
    assert_int_equal(pm_spec_load(path, &s), PM_EIO);
    assert_non_null(strstr(msgs, "missing.yaml:2:10: error: extends: cannot find layout 'nowhere.yaml'"));
}

/* Styles: built in, defined and changed by layouts, their fonts over the roles'; colours;
 * the contents list's and the openings' keys. */
static void test_styles(void **st)
{
    int rc;
    pm_spec *s = pm_spec_new_default();
    const pm_style_spec *box = pm_spec_style(s, "box");
    assert_non_null(box);
    assert_true(fabs(box->tint[0] - 0xf1 / 255.0) < 1e-9);
    assert_null(pm_spec_style(s, "nothing"));
    assert_ptr_equal(pm_style_font(s, box, &s->body), &s->body); /* no font of its own */
    const pm_style_spec *pq = pm_spec_style(s, "pullquote");
    const pm_font_spec *f = pm_style_font(s, pq, &s->body);
    assert_true(fabs(pm_font_size(s, f) - 13) < 1e-9);
    assert_true(fabs(pm_font_leading(s, f) - 16.9) < 1e-9); /* the body's leading, scaled */
    assert_int_equal(f->italic, 1);
    assert_string_equal(f->family, s->body.family);
    assert_ptr_equal(pm_style_font(s, pq, &s->caption), &s->caption); /* (not a role it covers) */
    pm_spec_drop(s);

    s = parse("child.yaml", "fonts:\n  body: {size: 11pt}\n"
                            "styles:\n"
                            "  box: {tint: none}\n"
                            "  notice:\n"
                            "    font: {weight: bold, color: navy}\n"
                            "    border-color: \"#036\"\n"
                            "    keep-together: true\n"
                            "  plain:\n"
                            "headings: {numbering: \"1.1\", h3: {numbering: \"a)\"}}\n"
                            "toc: {levels: 3, title: Inhalt, font: {size: 9pt}}\n"
                            "openings: {after: h2, drop-cap: {lines: 2}, first-line: 3}\n",
              &rc);
    assert_int_equal(rc, PM_OK);
    box = pm_spec_style(s, "box");
    assert_true(box->tint[0] < 0);      /* changed by the child */
    assert_true(box->border.v > 0);     /* the rest as it was */
    const pm_style_spec *n = pm_spec_style(s, "notice");
    assert_non_null(n);
    assert_int_equal(n->keep, 1);
    assert_true(fabs(n->border_color[1] - 0x33 / 255.0) < 1e-9 && fabs(n->border_color[2] - 0x66 / 255.0) < 1e-9);
    assert_int_equal(n->at.line, 5);
    f = pm_style_font(s, n, &s->body);
    assert_int_equal(f->weight, 700);
    assert_true(fabs(f->color[2] - 128 / 255.0) < 1e-9);
    assert_true(fabs(pm_font_size(s, f) - 11) < 1e-9); /* the body's size, as the child set it */
    assert_non_null(pm_spec_style(s, "plain"));
    assert_int_equal(pm_spec_style(s, "plain")->align, -1);
    assert_string_equal(s->numbering, "1.1");
    assert_string_equal(s->h[2].numbering, "a)");
    assert_null(s->h[1].numbering);
    assert_int_equal(s->toc.levels, 3);
    assert_string_equal(s->toc.title, "Inhalt");
    assert_true(fabs(pm_font_size(s, &s->toc.font) - 9) < 1e-9);
    assert_int_equal(s->opening.after, 2);
    assert_int_equal(s->opening.drop_lines, 2);
    assert_int_equal(s->opening.first_line, 3);
    pm_spec_drop(s);

    double rgb[3];
    assert_int_equal(pm_color_parse("#abc", rgb), 0);
    assert_true(fabs(rgb[0] - 0xaa / 255.0) < 1e-9 && fabs(rgb[2] - 0xcc / 255.0) < 1e-9);
    assert_int_equal(pm_color_parse("DarkRed", rgb), 0);
    assert_true(fabs(rgb[0] - 0x8b / 255.0) < 1e-9 && rgb[1] == 0);
    assert_int_equal(pm_color_parse("#12345", rgb), -1);
    assert_int_equal(pm_color_parse("#12345g", rgb), -1);
    assert_int_equal(pm_color_parse("blurple", rgb), -1);

    expect_error("styles:\n  box: {bordr: 1pt}\n", "bad.yaml:2:9: error: unknown layout key 'styles.box.bordr'");
    expect_error("styles:\n  box: {bordr: 1pt}\n", "did you mean 'border'?");
    expect_error("styles:\n  box: {tint: \"#12345\"}\n", "bad.yaml:2:15: error: styles.box.tint: '#12345' is not a colour");
    expect_error("styles:\n  columns: {align: center}\n", "bad.yaml:2:3: error: styles.columns: 'columns' is a class");
    expect_error("styles:\n  2col: {align: center}\n", "'2col' is not a class name");
    expect_error("styles: [box]\n", "styles: expected a mapping of classes to styles");
    expect_error("styles:\n  box: {font: {size: 90em}}\n", "bad.yaml:2:22: error: styles.box: comes to size 900.0 pt");
    expect_error("openings: {first-line: lots}\n", "openings.first-line: 'lots' is not one of: none, smallcaps");
    expect_error("openings: {after: h4}\n", "openings.after: 'h4' is not one of: h1, h2, h3, none");
    expect_error("toc: {levels: 4}\n", "toc.levels: 4 is out of range");
}

static void test_shipped_layouts(void **st)
{
    pm_spec *s;
    assert_int_equal(pm_spec_load("layouts/a5.yaml", &s), PM_OK);
    assert_true(fabs(s->page_w - 419.5276) < 1e-3);
    pm_spec_drop(s);
    assert_int_equal(pm_spec_load("layouts/half-letter.yaml", &s), PM_OK);
    assert_true(s->page_w == 396 && s->page_h == 612);
    assert_true(fabs(s->booklet.sheet_w - 792) < 1e-9 || fabs(s->booklet.sheet_h - 792) < 1e-9);
    pm_spec_drop(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_units, setup),
        cmocka_unit_test_setup(test_defaults_and_values, setup),
        cmocka_unit_test_setup(test_errors_name_line_and_key, setup),
        cmocka_unit_test_setup(test_cover_keys, setup),
        cmocka_unit_test_setup(test_colours, setup),
        cmocka_unit_test_setup(test_yaml_hints, setup),
        cmocka_unit_test_setup(test_billion_laughs_refused, setup),
        cmocka_unit_test_setup(test_inheritance, setup),
        cmocka_unit_test_setup(test_shipped_layouts, setup),
        cmocka_unit_test_setup(test_styles, setup),
    };
    return cmocka_run_group_tests_name("layout spec", tests, NULL, NULL);
}
