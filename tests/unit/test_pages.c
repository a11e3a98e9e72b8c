/* test_pages.c - unit tests for the pure parts of the page builder (src/layout/): the page
 * breaker (pm_find_page) on hand-built vertical lists, the footnote accountant, the
 * sharing out of table column widths, and page number formats. No fonts, no document:
 * as test_linebreak.c does for lines, the lists here are built item by item. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "layout/flow-imp.h"

#define GRID 12.0 /* the grid */

/* A page breaker's world: a region of `lines` lines, no notes unless a test adds some. */
typedef struct world {
    fstate fs;
    region rg;
    notebox notes[4];
    pm_line note_lines[4][16];
    vlist vl;
    pm_line line;          /* a line with no notes */
    pm_line noted[4];      /* lines referring to note k + 1 */
    int refs[4];
    size_t floated[256];
} world;

static void world_init(world *w, int lines)
{
    memset(w, 0, sizeof *w);
    w->rg.w = 300;
    w->rg.h = lines * GRID;
    w->fs.rg = &w->rg;
    w->fs.L = GRID;
    w->fs.notes = w->notes;
    w->fs.note_sep = GRID;
    for (int k = 0; k < 4; k++) {
        w->refs[k] = k + 1;
        w->noted[k].notes = &w->refs[k];
        w->noted[k].nnotes = 1;
    }
}

/* Note k (1-based) of n lines of leading 10. */
static void add_note(world *w, int k, int n)
{
    notebox *nb = &w->notes[k - 1];
    nb->para.lines = w->note_lines[k - 1];
    nb->para.nlines = n;
    nb->para.leading = 10;
    nb->h = n * 10;
    if (w->fs.nnotes < k) w->fs.nnotes = k;
}

static void line(world *w, const pm_line *l)
{
    vitem *it = pm_vpush(&w->vl, V_LINE);
    it->h = GRID;
    it->line = l ? l : &w->line;
}

/* A paragraph of n lines: breaks allowed between lines but not within the first and
 * last two (orphans, widows), as pm_para_items builds it. */
static void para(world *w, int n)
{
    for (int i = 0; i < n; i++) {
        if (i) pm_vpenalty(&w->vl, i < 2 || n - i < 2 ? PM_INF_PENALTY : 0);
        line(w, NULL);
    }
}

static page_break find(world *w, size_t from, double used, int queued)
{
    page_break r;
    pm_acc_begin(&w->fs, &w->rg, &w->rg.acc);
    pm_find_page(&w->fs, &w->rg, &w->rg.acc, w->vl.v, w->vl.n, from, used, queued, w->floated, &r);
    return r;
}

/* Lines of the list in [from, to). */
static int count_lines(const world *w, size_t from, size_t to)
{
    int n = 0;
    for (size_t i = from; i < to && i < w->vl.n; i++) n += w->vl.v[i].kind == V_LINE;
    return n;
}

static void world_free(world *w)
{
    pm_vlist_free(&w->vl);
    pm_acc_free(&w->rg.acc);
}

/* A long paragraph fills the page exactly: ten lines on a ten-line page. */
static void test_full_page(void **st)
{
    world w;
    world_init(&w, 10);
    para(&w, 25);
    page_break r = find(&w, 0, 0, 0);
    assert_int_equal(count_lines(&w, 0, r.best), 10);
    assert_false(r.end);
    assert_false(r.forced);
    assert_true(r.shortfall < EPS);
    assert_true(r.ratio == 0);
    /* the next page starts after the break and takes the next ten */
    page_break r2 = find(&w, r.best + 1, 0, 0);
    assert_int_equal(count_lines(&w, r.best + 1, r2.best), 10);
    world_free(&w);
}

/* The whole list fits: the last page takes it all. */
static void test_end(void **st)
{
    world w;
    world_init(&w, 10);
    para(&w, 4);
    page_break r = find(&w, 0, 0, 0);
    assert_true(r.end);
    assert_int_equal(r.best, w.vl.n);
    world_free(&w);
}

/* A widow is not allowed: an 11-line paragraph on a 10-line page leaves two lines over,
 * so the page ends after nine; with no glue to stretch it is a line short. */
static void test_widow_moves_break(void **st)
{
    world w;
    world_init(&w, 10);
    para(&w, 11);
    page_break r = find(&w, 0, 0, 0);
    assert_int_equal(count_lines(&w, 0, r.best), 9);
    assert_true(fabs(r.shortfall - GRID) < EPS);
    world_free(&w);
}

/* Glue between paragraphs stretches to take up the missing line (flush bottom), at most
 * twice its stretch; when it cannot fill the page it does not stretch at all. */
static void test_glue_stretches(void **st)
{
    world w;
    world_init(&w, 10);
    para(&w, 5);
    pm_vglue(&w.vl, 0, GRID * 0.75);
    para(&w, 6); /* 5 + 6 = 11 lines: no break fills the page */
    page_break r = find(&w, 0, 0, 0);
    /* breaks after 7, 8 or 9 lines leave 3, 2 or 1 lines for 9 pt of stretch: after 9,
       badness 100 * (12 / 9)^3 = 237 is the least, and the glue stretches by 12 / 9 */
    assert_int_equal(count_lines(&w, 0, r.best), 9);
    assert_true(fabs(r.shortfall - GRID) < EPS);
    assert_true(fabs(r.cost - 100 * pow(12.0 / 9, 3)) < 1e-6);
    assert_true(fabs(r.ratio - 12.0 / 9) < 1e-9);
    world_free(&w);

    world_init(&w, 10);
    para(&w, 5);
    pm_vglue(&w.vl, 0, GRID * 0.25); /* 3 pt cannot take up 12 */
    para(&w, 6);
    r = find(&w, 0, 0, 0);
    assert_int_equal(count_lines(&w, 0, r.best), 9);
    assert_true(r.ratio == 0); /* short, on the grid, rather than half a line off it */
    world_free(&w);
}

/* A forced break (\newpage) ends the page there. */
static void test_forced(void **st)
{
    world w;
    world_init(&w, 10);
    para(&w, 3);
    pm_vpenalty(&w.vl, -PM_INF_PENALTY);
    para(&w, 3);
    page_break r = find(&w, 0, 0, 0);
    assert_true(r.forced);
    assert_int_equal(count_lines(&w, 0, r.best), 3);
    assert_int_equal(w.vl.v[r.best].penalty, -PM_INF_PENALTY);
    world_free(&w);
}

/* A figure taller than the room left floats: the text after it fills the page, and the
 * figure is listed as floated. A figure met while others wait floats too. */
static void test_figure_floats(void **st)
{
    world w;
    world_init(&w, 10);
    vfig fig = {.h = 5 * GRID};
    para(&w, 8);
    pm_vglue(&w.vl, 0, 0);
    vitem *f = pm_vpush(&w.vl, V_FIGURE);
    f->h = 5 * GRID;
    f->fig = &fig;
    size_t fig_at = w.vl.n - 1;
    pm_vglue(&w.vl, 0, GRID * 0.25);
    para(&w, 8);
    page_break r = find(&w, 0, 0, 0);
    assert_int_equal(r.nfloated, 1);
    assert_int_equal(w.floated[0], fig_at);
    assert_int_equal(count_lines(&w, 0, r.best), 10); /* 8 + 2 of the next paragraph */
    /* with figures waiting (queued), even one that fits floats */
    world w2;
    world_init(&w2, 20);
    para(&w2, 2);
    pm_vglue(&w2.vl, 0, 0);
    vitem *g = pm_vpush(&w2.vl, V_FIGURE);
    g->h = 2 * GRID;
    g->fig = &fig;
    para(&w2, 2);
    r = find(&w2, 0, 0, 1);
    assert_int_equal(r.nfloated, 1);
    r = find(&w2, 0, 0, 0);
    assert_int_equal(r.nfloated, 0);
    world_free(&w);
    world_free(&w2);
}

/* Footnotes take their room at the foot: a line that refers to a 3-line note (30 pt plus
 * a 12 pt separator, 48 pt on the grid = 4 lines) leaves room for 6 lines of text. */
static void test_note_takes_room(void **st)
{
    world w;
    world_init(&w, 10);
    add_note(&w, 1, 3);
    for (int i = 0; i < 20; i++) {
        if (i) pm_vpenalty(&w.vl, 0);
        line(&w, i == 1 ? &w.noted[0] : NULL);
    }
    page_break r = find(&w, 0, 0, 0);
    assert_int_equal(count_lines(&w, 0, r.best), 6);
    assert_int_equal(r.notes.nparts, 1);
    assert_int_equal(w.rg.acc.parts[0].no, 1);
    assert_int_equal(w.rg.acc.parts[0].to, 3);
    assert_true(fabs(r.notes.h - (GRID + 30)) < EPS);
    assert_true(fabs(pm_acc_height(&w.fs, &w.rg.acc) - 4 * GRID) < EPS);
    world_free(&w);
}

/* A note too long for the room left is split: at least two lines on each side, and the
 * rest carried to the next region. */
static void test_note_split(void **st)
{
    world w;
    world_init(&w, 10);
    add_note(&w, 1, 9);
    for (int i = 0; i < 30; i++) {
        if (i) pm_vpenalty(&w.vl, 0);
        line(&w, i == 4 ? &w.noted[0] : NULL);
    }
    page_break r = find(&w, 0, 0, 0);
    assert_int_equal(r.notes.nparts, 1);
    const note_part *p = &w.rg.acc.parts[0];
    assert_true(p->to >= 2 && p->to <= 9 - 2);
    assert_true(r.notes.split);
    /* never after a hyphenated line */
    world w2;
    world_init(&w2, 10);
    add_note(&w2, 1, 9);
    for (int k = 0; k < 9; k++) w2.note_lines[0][k].hyphenated = 1;
    for (int i = 0; i < 30; i++) {
        if (i) pm_vpenalty(&w2.vl, 0);
        line(&w2, i == 4 ? &w2.noted[0] : NULL);
    }
    r = find(&w2, 0, 0, 0);
    for (int k = 0; k < r.notes.nparts; k++) assert_int_equal(w2.rg.acc.parts[k].to, 9); /* whole, elsewhere */
    world_free(&w);
    world_free(&w2);
}

/* The rest of a carried note comes first at the foot of the next region. */
static void test_carried_note(void **st)
{
    world w;
    world_init(&w, 10);
    add_note(&w, 1, 6);
    w.rg.carry_note = 1;
    w.rg.carry_from = 4;
    para(&w, 20);
    page_break r = find(&w, 0, 0, 0);
    assert_true(r.notes.nparts >= 1);
    assert_int_equal(w.rg.acc.parts[0].no, 1);
    assert_int_equal(w.rg.acc.parts[0].from, 4);
    assert_int_equal(w.rg.acc.parts[0].to, 6);
    /* 2 lines of 10 + 12 separator = 32 -> 3 grid lines: 7 left for text */
    assert_int_equal(count_lines(&w, 0, r.best), 7);
    world_free(&w);
}

/* Column widths: they fill the room, no column gets less than its widest word, and the
 * column whose cells are long gets the most. */
static void test_share_columns(void **st)
{
    enum { NR = 4, NC = 3 };
    double cn[NR * NC] = {
        40, 400, 60, /* one long cell per row in column 1 */
        40, 380, 50,
        30, 420, 60,
        40, 350, 55,
    };
    double nat[NC] = {40, 420, 60}, minw[NC] = {30, 60, 40}, w[NC];
    double avail = 250;
    pm_share_columns(NR, NC, cn, nat, minw, avail, w);
    double sum = 0;
    for (int c = 0; c < NC; c++) {
        assert_true(w[c] >= minw[c] - 1e-9);
        assert_true(w[c] <= nat[c] + 0.05);
        sum += w[c];
    }
    assert_true(fabs(sum - avail) < 1.0);
    assert_true(w[1] > w[0] && w[1] > w[2]);
}

static void test_numbers(void **st)
{
    static const struct {
        int n, fmt;
        const char *want;
    } cases[] = {
        {1, PM_NUM_ARABIC, "1"},       {42, PM_NUM_ARABIC, "42"},       {4, PM_NUM_ROMAN, "iv"},
        {1994, PM_NUM_ROMAN, "mcmxciv"}, {3999, PM_NUM_ROMAN_UPPER, "MMMCMXCIX"}, {4000, PM_NUM_ROMAN, "4000"},
        {0, PM_NUM_ROMAN, "0"},        {1, PM_NUM_ALPHA, "a"},          {26, PM_NUM_ALPHA, "z"},
        {27, PM_NUM_ALPHA, "aa"},      {28, PM_NUM_ALPHA_UPPER, "AB"},  {0, PM_NUM_ALPHA, "0"},
        {-3, PM_NUM_ARABIC, "-3"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char buf[32];
        pm_format_number(cases[i].n, cases[i].fmt, buf, sizeof buf);
        assert_string_equal(buf, cases[i].want);
    }
    char small[4];
    pm_format_number(3888, PM_NUM_ROMAN, small, sizeof small); /* MMMDCCCLXXXVIII, cut, terminated */
    assert_int_equal(strlen(small), 3);
}

/* A box's START and END marks weigh nothing: a box that is not kept together breaks where
 * text would; one kept together is never broken, so the page ends before it (after the
 * glue that sets it apart); the break right after a kept box is legal again. */
static void test_box_keep(void **st)
{
    for (int keep = 0; keep < 2; keep++) {
        world w;
        world_init(&w, 10);
        vbox box = {.keep = keep};
        para(&w, 6);
        pm_vglue(&w.vl, GRID, 0);
        size_t start = w.vl.n;
        pm_vpush(&w.vl, V_BOX_START)->box = &box;
        pm_vpenalty(&w.vl, PM_INF_PENALTY);
        para(&w, 6);
        pm_vpenalty(&w.vl, PM_INF_PENALTY);
        pm_vpush(&w.vl, V_BOX_END)->box = &box;
        pm_vglue(&w.vl, 0, 0);
        para(&w, 3);
        page_break r = find(&w, 0, 0, 0);
        if (keep) {
            assert_int_equal(r.best, start - 1); /* at the glue before the box */
            assert_int_equal(count_lines(&w, 0, r.best), 6);
        } else {
            assert_true(r.best > start);         /* inside it: 6 + 1 space + 3 lines */
            assert_int_equal(count_lines(&w, 0, r.best), 9);
        }
        page_break r2 = find(&w, r.best + 1, 0, 0);
        assert_true(r2.end);
        world_free(&w);
    }
    /* a glue right after a box's END is a legal break (as after a line) */
    world w;
    world_init(&w, 10);
    vbox box = {.keep = 1};
    pm_vpush(&w.vl, V_BOX_START)->box = &box;
    para(&w, 3);
    pm_vpush(&w.vl, V_BOX_END)->box = &box;
    size_t after = w.vl.n;
    pm_vglue(&w.vl, 0, 0);
    assert_true(vlist_legal(w.vl.v, 0, after));
    world_free(&w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_full_page),       cmocka_unit_test(test_end),
        cmocka_unit_test(test_widow_moves_break), cmocka_unit_test(test_glue_stretches),
        cmocka_unit_test(test_forced),          cmocka_unit_test(test_figure_floats),
        cmocka_unit_test(test_note_takes_room), cmocka_unit_test(test_note_split),
        cmocka_unit_test(test_carried_note),    cmocka_unit_test(test_share_columns),
        cmocka_unit_test(test_numbers),         cmocka_unit_test(test_box_keep),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
