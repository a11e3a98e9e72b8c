/* test_content.c - the content parser: front matter, blocks, inline spans, errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "input/content.h"
#include "base/diag.h"

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

static pm_doc *parse(const char *text)
{
    pm_doc *d = NULL;
    int rc = pm_content_parse("dir/doc.md", text, strlen(text), &d);
    if (rc) fail_msg("parse failed (%d):\n%s", rc, msgs);
    return d;
}

static void expect_error(const char *text, size_t len, const char *needle)
{
    pm_doc *d = NULL;
    msgs[0] = 0;
    int rc = pm_content_parse("dir/doc.md", text, len, &d);
    assert_int_equal(rc, PM_EINPUT);
    assert_null(d);
    if (!strstr(msgs, needle)) fail_msg("expected '%s' in:\n%s", needle, msgs);
}

static void test_front_matter(void **st)
{
    pm_doc *d = parse("---\ntitle: \"1917\"\nsubtitle: A Part of Our Heritage\nauthor: Group\n"
                      "date: 2019\nlang: de-DE\ncover: img/c.jpg\n---\n# Heading\n\nText.\n");
    assert_string_equal(d->meta.title, "1917");
    assert_string_equal(d->meta.subtitle, "A Part of Our Heritage");
    assert_string_equal(d->meta.author, "Group");
    assert_string_equal(d->meta.date, "2019");
    assert_string_equal(d->meta.lang, "de-DE");
    assert_string_equal(d->meta.cover, "dir/img/c.jpg");
    assert_int_equal(d->meta.cover_line, 7);
    assert_int_equal(d->nblocks, 2);
    assert_int_equal(d->blocks[0].kind, PM_BLK_HEADING);
    assert_int_equal(d->blocks[0].line, 9); /* lines count from the top of the file */
    assert_int_equal(d->blocks[1].line, 11);
    pm_doc_drop(d);

    d = parse("No front matter here.\n");
    assert_string_equal(d->meta.lang, "en-US");
    assert_non_null(strstr(msgs, "no title"));
    pm_doc_drop(d);
}

static void test_front_matter_errors(void **st)
{
    const char *t = "---\ntitle: X\nsubtitel: Y\n---\nText.\n";
    expect_error(t, strlen(t), "dir/doc.md:3:1: error: unknown front matter key 'subtitel'");
    expect_error(t, strlen(t), "did you mean 'subtitle'?");
    t = "---\ntitle: [a, b]\n---\n";
    expect_error(t, strlen(t), "dir/doc.md:2:8: error: 'title' must be text");
    t = "---\ntitle: X\nText without an end\n";
    expect_error(t, strlen(t), "dir/doc.md:1:1: error: front matter is not closed");
    t = "---\ntitle: \"unclosed\n---\n";
    expect_error(t, strlen(t), "dir/doc.md:");
    t = "Line one\nline \xC3\x28 two\n";
    expect_error(t, strlen(t), "dir/doc.md:2:6: error: invalid UTF-8");
    const char nul[] = "Text\0more";
    expect_error(nul, sizeof nul - 1, "dir/doc.md:1:5: error: the file contains NUL bytes");
}

static void test_blocks(void **st)
{
    pm_doc *d = parse("---\ntitle: T\n---\n"
                      "Para with *em*, **strong**, `code` and [a link](https://x.org).\n"
                      "\n"
                      "![The caption, *with emphasis*](pics/a.jpg){width=60%}\n"
                      "\n"
                      "\\newpage\n"
                      "\n"
                      "- one\n"
                      "- two\n"
                      "  - nested\n"
                      "\n"
                      "3. three\n"
                      "4. four\n"
                      "\n"
                      "> quoted\n"
                      "\n"
                      "***\n"
                      "\n"
                      "## Sub heading\n"
                      "\n"
                      "## Sub heading\n");
    pm_block *b = d->blocks;
    size_t n = d->nblocks;
    assert_int_equal(n, 9); /* the top level: lists and the quote hold their blocks */
    assert_int_equal(b[0].kind, PM_BLK_PARA);
    const pm_text *t = &b[0].text;
    assert_string_equal(t->utf8, "Para with em, strong, code and a link.");
    unsigned seen = 0;
    for (uint32_t i = 0; i < t->nspans; i++) {
        const pm_span *sp = &t->spans[i];
        char word[32];
        snprintf(word, sizeof word, "%.*s", (int)(sp->end - sp->start), t->utf8 + sp->start);
        if (sp->style & PM_ST_ITALIC) assert_string_equal(word, "em");
        if (sp->style & PM_ST_BOLD) assert_string_equal(word, "strong");
        if (sp->style & PM_ST_CODE) assert_string_equal(word, "code");
        if (sp->style & PM_ST_LINK) {
            assert_string_equal(word, "a link");
            assert_string_equal(sp->url, "https://x.org");
        }
        seen |= sp->style;
    }
    assert_int_equal(seen, PM_ST_ITALIC | PM_ST_BOLD | PM_ST_CODE | PM_ST_LINK);
    assert_int_equal(b[1].kind, PM_BLK_FIGURE);
    assert_string_equal(b[1].text.utf8, "The caption, with emphasis");
    assert_string_equal(b[1].src, "pics/a.jpg");
    assert_string_equal(b[1].path, "dir/pics/a.jpg");
    assert_true(fabs(b[1].width - 0.6) < 1e-9);
    assert_int_equal(b[2].kind, PM_BLK_PAGEBREAK);
    /* - one / - two / - nested: a list of two items, the second holding a list */
    assert_int_equal(b[3].kind, PM_BLK_LIST);
    assert_true(b[3].tight);
    assert_int_equal(b[3].nkids, 2);
    const pm_block *one = &b[3].kids[0], *two = &b[3].kids[1];
    assert_int_equal(one->kind, PM_BLK_ITEM);
    assert_string_equal(one->marker, "\xE2\x80\xA2");
    assert_int_equal(one->nkids, 1);
    assert_string_equal(one->kids[0].text.utf8, "one");
    assert_int_equal(two->nkids, 2);
    assert_string_equal(two->kids[0].text.utf8, "two");
    assert_int_equal(two->kids[1].kind, PM_BLK_LIST);
    const pm_block *nested = &two->kids[1].kids[0];
    assert_string_equal(nested->marker, "\xE2\x80\x93"); /* a list in a list: the second bullet */
    assert_string_equal(nested->kids[0].text.utf8, "nested");
    assert_int_equal(b[4].kind, PM_BLK_LIST);
    assert_string_equal(b[4].kids[0].marker, "3.");
    assert_string_equal(b[4].kids[1].marker, "4.");
    assert_int_equal(b[5].kind, PM_BLK_QUOTE);
    assert_int_equal(b[5].nkids, 1);
    assert_string_equal(b[5].kids[0].text.utf8, "quoted");
    assert_int_equal(b[6].kind, PM_BLK_RULE);
    assert_int_equal(b[7].kind, PM_BLK_HEADING);
    assert_int_equal(b[7].level, 2);
    assert_string_equal(b[7].id, "sub-heading");
    assert_string_equal(b[8].id, "sub-heading-1"); /* as GitHub numbers a second one */

    /* the walk: leaves in document order, containers entered and left around them */
    static const char *const want[] = {"+list", "+item", "one", "-item", "+item", "two", "+list", "+item",
                                       "nested", "-item", "-list", "-item", "-list"};
    pm_walk w;
    pm_walk_init(&w, &b[3], 1);
    const pm_block *x;
    size_t k = 0;
    for (pm_walk_event ev; (ev = pm_walk_next(&w, &x)) != PM_WALK_END; k++) {
        assert_true(k < sizeof want / sizeof *want);
        char got[32];
        if (ev == PM_WALK_LEAF) snprintf(got, sizeof got, "%s", x->text.utf8);
        else snprintf(got, sizeof got, "%c%s", ev == PM_WALK_ENTER ? '+' : '-', x->kind == PM_BLK_LIST ? "list" : "item");
        assert_string_equal(got, want[k]);
    }
    assert_int_equal(k, sizeof want / sizeof *want);
    pm_doc_drop(d);
}

static void test_inline_details(void **st)
{
    pm_doc *d = parse("---\ntitle: T\n---\n"
                      "\"Straight\" quotes -- and --- dashes,\n"
                      "a second source line,   spaces   collapsed, and a hard\\\n"
                      "break.[^n] Again.[^m]\n"
                      "\n"
                      "[^m]: Second note.\n"
                      "\n"
                      "[^n]: First note,\n"
                      "    with two lines.\n");
    const pm_text *t = &d->blocks[0].text;
    assert_string_equal(t->utf8, "\xE2\x80\x9CStraight\xE2\x80\x9D quotes \xE2\x80\x93 and \xE2\x80\x94 dashes, "
                                 "a second source line, spaces collapsed, and a hard\xE2\x80\xA8"
                                 "break.1 Again.2");
    /* source lines of offsets */
    assert_int_equal(pm_text_line_at(t, 0), 4);
    const char *second = strstr(t->utf8, "a second");
    assert_int_equal(pm_text_line_at(t, (uint32_t)(second - t->utf8)), 5);
    const char *third = strstr(t->utf8, "break");
    assert_int_equal(pm_text_line_at(t, (uint32_t)(third - t->utf8)), 6);
    /* footnotes numbered in order of reference */
    assert_int_equal(d->nnotes, 2);
    assert_int_equal(d->notes[0].number, 1);
    assert_string_equal(d->notes[0].text.utf8, "First note, with two lines.");
    assert_string_equal(d->notes[1].text.utf8, "Second note.");
    int refs = 0;
    for (uint32_t i = 0; i < t->nspans; i++)
        if (t->spans[i].style & PM_ST_SUPER) refs += t->spans[i].note;
    assert_int_equal(refs, 3);
    pm_doc_drop(d);
}

static void test_link_targets(void **st)
{
    pm_doc *d = parse("---\ntitle: T\n---\n# The Top\n\n"
                      "See [here](#later), [there](#teh-top) and [nowhere]().\n\n"
                      "## Later\n");
    /* forward links are fine; a near miss names the id it may mean */
    assert_null(strstr(msgs, "'#later'"));
    assert_non_null(strstr(msgs, "dir/doc.md:6:21: warning: a link to '#teh-top', but no heading has that id"));
    assert_non_null(strstr(msgs, "did you mean '#the-top'?"));
    /* an empty target: a warning, and the text is not a link */
    assert_non_null(strstr(msgs, "dir/doc.md:6:43: warning: a link with no target"));
    const pm_text *t = &d->blocks[1].text;
    int links = 0;
    for (uint32_t i = 0; i < t->nspans; i++)
        if (t->spans[i].style & PM_ST_LINK) {
            links++;
            assert_non_null(t->spans[i].url);
            assert_true(t->spans[i].url[0] != 0);
        }
    assert_int_equal(links, 2);
    assert_non_null(strstr(t->utf8, "nowhere"));
    pm_doc_drop(d);
}

/* Headings deeper than three levels: set as level 3, one warning per level. */
static void test_deep_headings(void **st)
{
    pm_doc *d = parse("---\ntitle: T\n---\n#### One\n\n#### Two\n\n##### Three\n");
    for (int i = 0; i < 3; i++) assert_int_equal(d->blocks[i].level, 3);
    const char *a = strstr(msgs, "heading level 4"), *b = a ? strstr(a + 1, "heading level 4") : NULL;
    assert_non_null(strstr(msgs, "dir/doc.md:4: warning: heading level 4 is set as level 3"));
    assert_null(b);
    assert_non_null(strstr(msgs, "dir/doc.md:8: warning: heading level 5"));
    pm_doc_drop(d);
}

/* Heading ids as GitHub makes them: the links written for a README work. */
static void test_github_ids(void **st)
{
    pm_doc *d = parse("---\ntitle: T\n---\n# What's new?\n\n## \xC3\x87" "a va \xE2\x80\x94 bien\n\n"
                      "## \xC3\x9C" "ber_alles 2.0\n\n## \xD9\x84\xD9\x88\xD8\xAD\xD8\xA9\n\n## !!!\n\n"
                      "## What's new?\n\nSee [new](#whats-new) and [again](#whats-new-1).\n");
    static const char *const want[] = {"whats-new", "\xC3\xA7" "a-va--bien", "\xC3\xBC" "ber_alles-20",
                                       "\xD9\x84\xD9\x88\xD8\xAD\xD8\xA9", "section", "whats-new-1"};
    for (int i = 0; i < 6; i++) {
        assert_int_equal(d->blocks[i].kind, PM_BLK_HEADING);
        assert_string_equal(d->blocks[i].id, want[i]);
    }
    assert_null(strstr(msgs, "no heading has that id"));
    pm_doc_drop(d);
}

/* Notes numbered again (by the order a layout printed them): every reference's digits,
 * the spans after it moved along (a number of two digits becomes one), the notes in the
 * new order with their numbers. */
static void test_renumber_notes(void **st)
{
    char md[2048] = "---\ntitle: T\n---\n";
    for (int i = 1; i <= 10; i++) snprintf(md + strlen(md), sizeof md - strlen(md), "W%d[^n%d] **b%d**\n", i, i, i);
    for (int i = 1; i <= 10; i++) snprintf(md + strlen(md), sizeof md - strlen(md), "\n[^n%d]: Note %d.\n", i, i);
    pm_doc *d = parse(md);
    assert_int_equal(d->nnotes, 10);
    int order[10] = {10, 1, 2, 3, 4, 5, 6, 7, 8, 9};
    assert_true(pm_doc_renumber_notes(d, order, 10));
    const pm_text *t = &d->blocks[0].text;
    assert_string_equal(t->utf8, "W12 b1 W23 b2 W34 b3 W45 b4 W56 b5 W67 b6 W78 b7 W89 b8 W910 b9 W101 b10");
    for (uint32_t i = 0; i < t->nspans; i++) { /* each span still covers its text */
        const pm_span *s = &t->spans[i];
        if (s->style & PM_ST_BOLD) assert_true(t->utf8[s->start] == 'b');
        if (s->note) {
            char num[8];
            snprintf(num, sizeof num, "%d", s->note);
            assert_int_equal(s->end - s->start, strlen(num));
            assert_memory_equal(t->utf8 + s->start, num, strlen(num));
        }
    }
    assert_string_equal(d->notes[0].text.utf8, "Note 10.");
    assert_int_equal(d->notes[0].number, 1);
    assert_string_equal(d->notes[9].text.utf8, "Note 9.");
    assert_false(pm_doc_renumber_notes(d, (int[]){1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 10)); /* in order: no change */
    pm_doc_drop(d);
}

static void test_table(void **st)
{
    pm_doc *d = parse("---\ntitle: T\n---\n"
                      "| Name | Count | Note |\n"
                      "|:-----|------:|:----:|\n"
                      "| *a* | 1 | x |\n"
                      "| b |\n");
    assert_int_equal(d->nblocks, 1);
    const pm_block *b = &d->blocks[0];
    assert_int_equal(b->kind, PM_BLK_TABLE);
    assert_int_equal(b->line, 4);
    assert_int_equal(b->ncols, 3);
    assert_int_equal(b->nrows, 3);
    assert_int_equal(b->header_rows, 1);
    assert_string_equal(b->aligns, "lrc");
    /* the header's cells are bold all through */
    assert_string_equal(b->cells[1].utf8, "Count");
    assert_true(b->cells[1].nspans >= 1 && (b->cells[1].spans[0].style & PM_ST_BOLD));
    assert_int_equal(b->cells[1].spans[0].end, 5);
    /* inline markup in a cell; a short row gets empty cells */
    assert_string_equal(b->cells[3].utf8, "a");
    assert_true(b->cells[3].spans[0].style & PM_ST_ITALIC);
    assert_string_equal(b->cells[6].utf8, "b");
    assert_string_equal(b->cells[7].utf8, "");
    assert_string_equal(b->cells[8].utf8, "");
    assert_int_equal(b->cells[8].len, 0);
    assert_null(strstr(msgs, "table"));
    pm_doc_drop(d);
}

static void test_figure_width_errors(void **st)
{
    const char *t = "---\ntitle: T\n---\n![c](a.jpg){width=wide}\n";
    expect_error(t, strlen(t), "dir/doc.md:4: error: figure width 'wide'");
    pm_doc *d = parse("---\ntitle: T\n---\n![c](a.jpg){width=40mm}\n\nText ![inline](b.png) image.\n");
    assert_true(fabs(d->blocks[0].width + 40 * 72 / 25.4) < 1e-9);
    assert_int_equal(d->blocks[1].kind, PM_BLK_PARA);
    assert_string_equal(d->blocks[1].text.utf8, "Text inline image.");
    assert_non_null(strstr(msgs, "dir/doc.md:6: warning: an image inside a paragraph is not placed"));
    pm_doc_drop(d);
}

/* Hostile input: limits with a message, never a crash (see fuzz/regress/content/). */
static void test_limits(void **st)
{
    expect_error("", 0, "doc.md:1: error: the file is empty");
    expect_error("\n  \n\t\n", 4, "the file is empty");

    /* nesting: refused before the walk of the tree could overflow the stack */
    size_t n = 100000;
    char *deep = malloc(n + 16);
    memset(deep, '>', n);
    strcpy(deep + n, " x\n");
    expect_error(deep, strlen(deep), "doc.md:1: error: block quotes, lists and divs are nested more than 12 deep");
    char q[64] = "";
    for (int i = 0; i < 12; i++) strcat(q, ">"); /* 12 is fine */
    strcat(q, " x\n");
    pm_doc *d = parse(q);
    const pm_block *in = &d->blocks[0];
    for (int i = 0; i < 12; i++) {
        assert_int_equal(in->kind, PM_BLK_QUOTE);
        in = in->kids;
    }
    assert_int_equal(in->kind, PM_BLK_PARA);
    pm_doc_drop(d);
    char *p = deep;
    for (int i = 0; i < 5000; i++) p += sprintf(p, "*a **b ");
    for (int i = 0; i < 5000; i++) p += sprintf(p, "** b*");
    expect_error(deep, strlen(deep), "inline markup are nested more than 32 deep");
    free(deep);

    /* one paragraph over 1 MiB */
    size_t big = PM_BLOCK_MAX_BYTES + 100;
    char *para = malloc(big + 8);
    for (size_t i = 0; i < big; i++) para[i] = i % 7 == 6 ? (i % 70 == 69 ? '\n' : ' ') : 'a';
    strcpy(para + big, "\n");
    expect_error(para, strlen(para), "doc.md:1: error: this paragraph is");
    free(para);
}

/* Spans and source lines stay inside the text after trailing blanks are trimmed. */
static void test_trimmed_end(void **st)
{
    pm_doc *d = parse("a *b  `   `*\n");
    const pm_text *t = &d->blocks[0].text;
    for (uint32_t i = 0; i < t->nspans; i++) {
        assert_true(t->spans[i].start < t->spans[i].end);
        assert_true(t->spans[i].end <= t->len);
    }
    pm_doc_drop(d);
    d = parse(", \n` \n`\n");
    t = &d->blocks[0].text;
    for (uint32_t i = 0; i < t->nline_starts; i++) assert_true(t->line_starts[i] <= t->len);
    pm_doc_drop(d);
    /* line numbers by bisection: one per source line of a long paragraph */
    char text[4096] = "";
    for (int i = 0; i < 300; i++) strcat(text, "w\n");
    d = parse(text);
    t = &d->blocks[0].text;
    assert_int_equal(pm_text_line_at(t, 0), 1);
    assert_int_equal(pm_text_line_at(t, 2), 2);
    assert_int_equal(pm_text_line_at(t, 2 * 299), 300);
    assert_int_equal(pm_text_line_at(t, t->len), 300);
    pm_doc_drop(d);
}

/* Fenced divs (pandoc's ::: class), their nesting, and attributes after headings and
 * paragraphs. */
static void test_divs_and_attrs(void **st)
{
    msgs[0] = 0;
    pm_doc *d = parse("---\ntitle: T\n---\n"
                      "# Contact us {#contact .back-cover short=\"Contact\"}\n" /* line 4 */
                      "\n"
                      "::: box\n"
                      "Inside **the** box.\n"
                      "\n"
                      "::: {.pullquote #pq lang=es}\n"
                      "Nested.\n"
                      ":::\n"
                      ":::\n"
                      "\n"
                      "```\n"
                      "::: not a fence\n"
                      "```\n"
                      "\n"
                      "Set in the middle. {.center}\n"
                      "\n"
                      "Braces {x} and {a}\n"
                      "\n"
                      "::::: columns :::::\n"
                      "text\n");
    const pm_block *b = d->blocks;
    assert_int_equal(d->nblocks, 6);
    assert_int_equal(b[0].kind, PM_BLK_HEADING);
    assert_string_equal(b[0].text.utf8, "Contact us");
    assert_int_equal(b[0].text.len, 10);
    assert_string_equal(b[0].id, "contact");
    assert_true(pm_attrs_has(&b[0].attrs, "back-cover"));
    assert_string_equal(pm_attrs_get(&b[0].attrs, "short"), "Contact");
    assert_int_equal(b[1].kind, PM_BLK_DIV);
    assert_true(pm_attrs_has(&b[1].attrs, "box"));
    assert_int_equal(b[1].line, 6);
    assert_int_equal(b[1].nkids, 2);
    assert_string_equal(b[1].kids[0].text.utf8, "Inside the box.");
    const pm_block *pq = &b[1].kids[1];
    assert_int_equal(pq->kind, PM_BLK_DIV);
    assert_true(pm_attrs_has(&pq->attrs, "pullquote"));
    assert_string_equal(pq->attrs.id, "pq");
    assert_string_equal(pm_attrs_get(&pq->attrs, "lang"), "es");
    assert_string_equal(pq->kids[0].text.utf8, "Nested.");
    assert_int_equal(pq->kids[0].line, 10); /* lines are those of the file */
    assert_int_equal(b[2].kind, PM_BLK_CODE);
    assert_string_equal(b[2].text.utf8, "::: not a fence");
    assert_string_equal(b[3].text.utf8, "Set in the middle.");
    assert_true(pm_attrs_has(&b[3].attrs, "center"));
    assert_string_equal(b[4].text.utf8, "Braces {x} and {a}"); /* not attributes */
    assert_int_equal(b[4].attrs.nclasses, 0);
    assert_int_equal(b[5].kind, PM_BLK_DIV); /* not closed: to the end, with a warning */
    assert_true(pm_attrs_has(&b[5].attrs, "columns"));
    assert_non_null(strstr(msgs, "doc.md:22:1: warning: this div ('::: columns') is not closed"));
    pm_doc_drop(d);

    msgs[0] = 0;
    d = parse("Text\n\n:::\n\nMore\n");
    assert_non_null(strstr(msgs, "doc.md:3:1: warning: a closing ':::' with no div open"));
    pm_doc_drop(d);
}

/* Where attributes were written; a div indented under a list item is in the item; the
 * contents list as a paragraph '[[toc]]' or from the front matter. */
static void test_attr_places_and_toc(void **st)
{
    pm_doc *d = parse("---\ntitle: T\n---\n"
                      "# Über die *Lage* {.unnumbered}\n"          /* line 4 */
                      "\n"
                      "A paragraph\nover two lines. {.right}\n"    /* lines 6, 7 */
                      "\n"
                      "1. An item.\n"                               /* line 9 */
                      "\n"
                      "   ::: aside\n"                              /* line 11 */
                      "   In the item.\n"
                      "   :::\n"
                      "\n"
                      "2. Another.\n"
                      "\n"
                      "[[toc]]\n"
                      "\n"
                      "[[toc]] is not alone here.\n");
    const pm_block *b = d->blocks;
    assert_int_equal(d->nblocks, 5);
    assert_int_equal(b[0].attrs.line, 4);
    assert_int_equal(b[0].attrs.col, 19); /* characters, not bytes */
    assert_int_equal(b[1].attrs.line, 7);
    assert_int_equal(b[1].attrs.col, 17);
    assert_int_equal(b[2].kind, PM_BLK_LIST);
    assert_int_equal(b[2].nkids, 2); /* one list: the div did not end it */
    const pm_block *item = &b[2].kids[0];
    assert_int_equal(item->nkids, 2);
    assert_int_equal(item->kids[1].kind, PM_BLK_DIV);
    assert_int_equal(item->kids[1].attrs.line, 11);
    assert_int_equal(item->kids[1].attrs.col, 4);
    assert_string_equal(item->kids[1].kids[0].text.utf8, "In the item.");
    assert_int_equal(b[3].kind, PM_BLK_TOC);
    assert_int_equal(b[4].kind, PM_BLK_PARA);
    pm_doc_drop(d);

    d = parse("---\ntitle: T\ntoc: true\n---\n# One\n\nText.\n");
    assert_int_equal(d->meta.toc, 1);
    assert_int_equal(d->nblocks, 4); /* the list first, on a page of its own */
    assert_int_equal(d->blocks[0].kind, PM_BLK_TOC);
    assert_int_equal(d->blocks[1].kind, PM_BLK_PAGEBREAK);
    assert_int_equal(d->blocks[2].kind, PM_BLK_HEADING);
    pm_doc_drop(d);

    d = parse("---\ntitle: T\ntoc: true\n---\n# One\n\n[[toc]]\n\nText.\n"); /* placed: not twice */
    assert_int_equal(d->nblocks, 3);
    assert_int_equal(d->blocks[1].kind, PM_BLK_TOC);
    pm_doc_drop(d);

    const char *t = "---\ntitle: T\ntoc: maybe\n---\nText.\n";
    expect_error(t, strlen(t), "dir/doc.md:3:6: error: toc: 'maybe' is not true or false");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_front_matter, setup),
        cmocka_unit_test_setup(test_front_matter_errors, setup),
        cmocka_unit_test_setup(test_blocks, setup),
        cmocka_unit_test_setup(test_inline_details, setup),
        cmocka_unit_test_setup(test_link_targets, setup),
        cmocka_unit_test_setup(test_github_ids, setup),
        cmocka_unit_test_setup(test_deep_headings, setup),
        cmocka_unit_test_setup(test_renumber_notes, setup),
        cmocka_unit_test_setup(test_table, setup),
        cmocka_unit_test_setup(test_figure_width_errors, setup),
        cmocka_unit_test_setup(test_limits, setup),
        cmocka_unit_test_setup(test_trimmed_end, setup),
        cmocka_unit_test_setup(test_divs_and_attrs, setup),
        cmocka_unit_test_setup(test_attr_places_and_toc, setup),
    };
    return cmocka_run_group_tests_name("content parser", tests, NULL, NULL);
}
