/* test_impose.c - unit tests for the imposition arithmetic (src/impose/impose.c, paper.c):
 * page order with blanks, signatures, right-to-left binding, the sides turned for the
 * duplex edge, creep per sheet, the cells of every fold (saddle, 2up, cut-stack, zine8)
 * and where a page goes in its cell, the choice of sheet and bad options.
 *
 * Expected orders come from ref_order below, a line-by-line C transcription of
 * expected_order() in tests/tools/booklet_check.py (the acceptance checker), plus a few
 * orders written out by hand from the formulas in the imposition notes. The placement of
 * saddle pages is held against the formula the sheet writer used before the cells
 * (old_place). The folds are also checked as paper: which cell lies behind which when the
 * sheet is turned over on the duplex edge, and the piles cut-stack makes. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "impose/impose.h"
#include "base/diag.h"

#define MM(x) ((x) * 72.0 / 25.4)
#define A5W 419.5276
#define A5H 595.2756
#define A4W 841.8898 /* landscape */
#define A4H 595.2756

/* A saddle side's pages on the booklet's left and right (cells 0 and 1, before turning) */
#define LEFT(sd) ((sd)->cells[0].page)
#define RIGHT(sd) ((sd)->cells[1].page)

/* ---- diagnostics ---- */

static char diag_text[8192];
static int diag_errors_seen, diag_warnings_seen;

static void sink(void *ud, pm_severity sev, const char *line)
{
    (void)ud;
    size_t n = strlen(diag_text);
    snprintf(diag_text + n, sizeof diag_text - n, "%s\n", line);
    if (sev == PM_SEV_ERROR) diag_errors_seen++;
    if (sev == PM_SEV_WARNING) diag_warnings_seen++;
}

static void diag_clear(void)
{
    diag_text[0] = 0;
    diag_errors_seen = diag_warnings_seen = 0;
}

static int setup(void **state)
{
    (void)state;
    pm_diag_set_sink(sink, NULL);
    diag_clear();
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    pm_diag_set_sink(NULL, NULL);
    return 0;
}

/* ---- the reference: booklet_check.py's expected_order, transcribed ---- */

typedef struct { int fl, fr, bl, br; } ref_sheet;

/* Returns the number of sheets; *out is malloc'd. */
static int ref_order(int n, int sheets_per_sig, int blanks_end, int rtl, ref_sheet **out)
{
    int total = (n + 3) / 4 * 4;
    int *pages = calloc((size_t)total, sizeof *pages);
    if (n == 1) {
        pages[0] = 1; /* a single page stays the cover */
    } else if (!blanks_end && total > n) {
        int k = 0;
        for (int i = 1; i < n; i++) pages[k++] = i;
        for (int i = 0; i < total - n; i++) pages[k++] = 0;
        pages[k++] = n;
    } else {
        for (int i = 0; i < n; i++) pages[i] = i + 1;
    }
    int sig_pages = 4 * (sheets_per_sig ? sheets_per_sig : total / 4);
    int nsheets = 0;
    for (int base = 0; base < total; base += sig_pages) nsheets += sig_pages / 4;
    ref_sheet *o = calloc((size_t)nsheets, sizeof *o);
    int *sig = calloc((size_t)sig_pages, sizeof *sig);
    int s = 0;
    for (int base = 0; base < total; base += sig_pages) {
        for (int i = 0; i < sig_pages; i++) sig[i] = base + i < total ? pages[base + i] : 0;
        int P = sig_pages;
        for (int i = 0; i < P / 4; i++) {
            int fl = sig[P - 2 * i - 1], fr = sig[2 * i], bl = sig[2 * i + 1], br = sig[P - 2 * i - 2];
            if (rtl) {
                int t = fl;
                fl = fr;
                fr = t;
                t = bl;
                bl = br;
                br = t;
            }
            o[s++] = (ref_sheet){fl, fr, bl, br};
        }
    }
    free(sig);
    free(pages);
    *out = o;
    return nsheets;
}

static pm_booklet_opts opts(int signature, pm_blanks blanks, int rtl, pm_duplex duplex)
{
    pm_booklet_opts o;
    pm_booklet_opts_from_spec(NULL, &o);
    o.signature = signature;
    o.blanks = blanks;
    o.rtl = rtl;
    o.duplex = duplex;
    return o;
}

/* The checker's view of a side: the pages it finds on the left and right halves. */
static void shown(const pm_sheet_side *s, int *l, int *r)
{
    *l = s->turned ? RIGHT(s) : LEFT(s);
    *r = s->turned ? LEFT(s) : RIGHT(s);
}

/* A saddle side as cells on the A4 sheet: the left page against the middle from the left,
   the right page from the right; a turned side has them swapped and upside down. */
static void check_saddle_cells(const pm_sheet_side *sd, double creep)
{
    assert_int_equal(sd->ncells, 2);
    for (int k = 0; k < 2; k++) {
        const pm_cell *c = &sd->cells[k];
        int on_left = (k == 0) != (sd->turned != 0);
        assert_true(c->x == (on_left ? 0 : A4W / 2));
        assert_true(c->y == 0 && c->w == A4W / 2 && c->h == A4H);
        assert_int_equal(c->rotation, sd->turned ? 180 : 0);
        assert_int_equal(c->spine, k == 0 ? PM_SPINE_RIGHT : PM_SPINE_LEFT);
        assert_float_equal(c->creep, c->sheet_in_sig * creep, 1e-12);
    }
}

/* Impose n pages and hold everything against the reference and the checker's rules. */
static void check_order(int n, int signature, pm_blanks blanks, int rtl, pm_duplex duplex)
{
    pm_booklet_opts o = opts(signature, blanks, rtl, duplex);
    pm_imposition im;
    diag_clear();
    assert_int_equal(pm_impose_order(n, A5W, A5H, &o, &im), PM_OK);
    assert_int_equal(diag_errors_seen, 0);
    ref_sheet *ref;
    int nsheets = ref_order(n, signature, blanks == PM_BLANKS_END, rtl, &ref);
    assert_int_equal(im.npages, n);
    assert_int_equal(im.sheets, nsheets);
    assert_int_equal(im.nsides, 2 * nsheets);
    assert_int_equal(im.padded, 4 * nsheets);
    assert_int_equal(im.blanks, 4 * nsheets - n);
    int seen_count = 0;
    int *seen = calloc((size_t)n + 1, sizeof *seen);
    for (int s = 0; s < nsheets; s++) {
        const pm_sheet_side *f = &im.sides[2 * s], *b = &im.sides[2 * s + 1];
        assert_int_equal(LEFT(f), ref[s].fl);
        assert_int_equal(RIGHT(f), ref[s].fr);
        assert_int_equal(LEFT(b), ref[s].bl);
        assert_int_equal(RIGHT(b), ref[s].br);
        assert_int_equal(f->sheet, s);
        assert_int_equal(b->sheet, s);
        int in_sig = signature ? s % signature : s;
        for (int k = 0; k < 2; k++) {
            assert_int_equal(f->cells[k].sheet_in_sig, in_sig);
            assert_int_equal(b->cells[k].sheet_in_sig, in_sig);
            assert_int_equal(f->cells[k].folded, s);
            assert_int_equal(b->cells[k].folded, s);
        }
        assert_false(f->back);
        assert_true(b->back);
        check_saddle_cells(f, 0);
        check_saddle_cells(b, 0);
        int pg[4] = {LEFT(f), RIGHT(f), LEFT(b), RIGHT(b)};
        for (int k = 0; k < 4; k++) {
            assert_true(pg[k] >= 0 && pg[k] <= n);
            if (pg[k]) {
                assert_int_equal(seen[pg[k]], 0);
                seen[pg[k]] = 1;
                seen_count++;
            }
        }
        /* duplex: short never turns; long turns exactly one side, the back unless the
           back is empty and the front is not */
        if (duplex == PM_DUPLEX_SHORT) {
            assert_false(f->turned);
            assert_false(b->turned);
        } else {
            int back_empty = !LEFT(b) && !RIGHT(b), front_empty = !LEFT(f) && !RIGHT(f);
            assert_int_equal(f->turned + b->turned, 1);
            assert_int_equal(f->turned, back_empty && !front_empty);
            /* and booklet_check.py sees exactly one side turned whenever a side shows a page */
            int l, r, ft, bt;
            shown(f, &l, &r);
            ft = l == ref[s].fr && r == ref[s].fl && ref[s].fl != ref[s].fr;
            shown(b, &l, &r);
            bt = l == ref[s].br && r == ref[s].bl && ref[s].bl != ref[s].br;
            if (!(front_empty && back_empty)) assert_int_not_equal(ft, bt);
        }
    }
    assert_int_equal(seen_count, n); /* every page exactly once */
    free(seen);
    free(ref);
    pm_imposition_free(&im);
    assert_null(im.sides);
}

/* ---- tests ---- */

static void test_defaults(void **state)
{
    (void)state;
    pm_booklet_opts o;
    memset(&o, 0x55, sizeof o);
    pm_booklet_opts_from_spec(NULL, &o);
    assert_true(o.sheet_w == 0 && o.sheet_h == 0);
    assert_int_equal(o.duplex, PM_DUPLEX_SHORT);
    assert_int_equal(o.blanks, PM_BLANKS_BEFORE_LAST);
    assert_int_equal(o.signature, 0);
    assert_true(o.creep == 0);
    assert_int_equal(o.marks, 0);
    assert_int_equal(o.rtl, 0);
    assert_float_equal(o.printer_margin, MM(5), 1e-9);

    /* the built-in spec gives the same */
    pm_spec *s = pm_spec_new_default();
    pm_booklet_opts d;
    pm_booklet_opts_from_spec(s, &d);
    assert_true(d.sheet_w == 0 && d.sheet_h == 0);
    assert_int_equal(d.duplex, PM_DUPLEX_SHORT);
    assert_int_equal(d.blanks, PM_BLANKS_BEFORE_LAST);
    assert_true(d.creep == 0);
    assert_float_equal(d.printer_margin, MM(5), 1e-6);

    /* from a layout: lengths resolved, a portrait sheet turned landscape */
    s->booklet.sheet_w = 841.8898;
    s->booklet.sheet_h = 1190.5512;
    s->booklet.duplex = PM_DUPLEX_LONG;
    s->booklet.blanks = PM_BLANKS_END;
    s->booklet.signature = 4;
    s->booklet.creep = (pm_len){PM_LEN_PT, MM(0.1)};
    s->booklet.printer_margin = (pm_len){PM_LEN_PT, MM(3)};
    s->booklet.marks = 1;
    s->booklet.rtl = 1;
    pm_booklet_opts_from_spec(s, &d);
    assert_float_equal(d.sheet_w, 1190.5512, 1e-9);
    assert_float_equal(d.sheet_h, 841.8898, 1e-9);
    assert_int_equal(d.duplex, PM_DUPLEX_LONG);
    assert_int_equal(d.blanks, PM_BLANKS_END);
    assert_int_equal(d.signature, 4);
    assert_float_equal(d.creep, MM(0.1), 1e-9);
    assert_float_equal(d.printer_margin, MM(3), 1e-9);
    assert_int_equal(d.marks, 1);
    assert_int_equal(d.rtl, 1);
    pm_spec_drop(s);
}

/* Orders written out by hand (imposition notes), independent of the reference. */
static void test_known_orders(void **state)
{
    (void)state;
    pm_booklet_opts o = opts(0, PM_BLANKS_BEFORE_LAST, 0, PM_DUPLEX_SHORT);
    pm_imposition im;
    static const int p8[] = {8, 1, 2, 7, 6, 3, 4, 5};
    assert_int_equal(pm_impose_order(8, A5W, A5H, &o, &im), PM_OK);
    assert_int_equal(im.nsides, 4);
    assert_int_equal(im.blanks, 0);
    for (int s = 0; s < 4; s++) {
        assert_int_equal(LEFT(&im.sides[s]), p8[2 * s]);
        assert_int_equal(RIGHT(&im.sides[s]), p8[2 * s + 1]);
    }
    pm_imposition_free(&im);

    static const int p12[] = {12, 1, 2, 11, 10, 3, 4, 9, 8, 5, 6, 7};
    assert_int_equal(pm_impose_order(12, A5W, A5H, &o, &im), PM_OK);
    for (int s = 0; s < 6; s++) {
        assert_int_equal(LEFT(&im.sides[s]), p12[2 * s]);
        assert_int_equal(RIGHT(&im.sides[s]), p12[2 * s + 1]);
    }
    pm_imposition_free(&im);

    /* 5 pages, blanks before the last: 1 2 3 4 _ _ _ 5 */
    static const int p5[] = {5, 1, 2, 0, 0, 3, 4, 0};
    assert_int_equal(pm_impose_order(5, A5W, A5H, &o, &im), PM_OK);
    assert_int_equal(im.blanks, 3);
    for (int s = 0; s < 4; s++) {
        assert_int_equal(LEFT(&im.sides[s]), p5[2 * s]);
        assert_int_equal(RIGHT(&im.sides[s]), p5[2 * s + 1]);
    }
    pm_imposition_free(&im);

    /* the same at the end: 1 2 3 4 5 _ _ _ */
    static const int p5e[] = {0, 1, 2, 0, 0, 3, 4, 5};
    o.blanks = PM_BLANKS_END;
    assert_int_equal(pm_impose_order(5, A5W, A5H, &o, &im), PM_OK);
    for (int s = 0; s < 4; s++) {
        assert_int_equal(LEFT(&im.sides[s]), p5e[2 * s]);
        assert_int_equal(RIGHT(&im.sides[s]), p5e[2 * s + 1]);
    }
    pm_imposition_free(&im);

    /* one page: the last page too, but it stays the cover (never the back), whatever
       the blanks and the binding */
    for (int blanks = 0; blanks < 2; blanks++)
        for (int rtl = 0; rtl < 2; rtl++) {
            o.blanks = (pm_blanks)blanks;
            o.rtl = rtl;
            assert_int_equal(pm_impose_order(1, A5W, A5H, &o, &im), PM_OK);
            assert_int_equal(im.sheets, 1);
            assert_int_equal(im.blanks, 3);
            assert_int_equal(LEFT(&im.sides[0]), rtl ? 1 : 0);
            assert_int_equal(RIGHT(&im.sides[0]), rtl ? 0 : 1);
            assert_int_equal(LEFT(&im.sides[1]), 0);
            assert_int_equal(RIGHT(&im.sides[1]), 0);
            pm_imposition_free(&im);
        }
    o.blanks = PM_BLANKS_BEFORE_LAST;
    o.rtl = 0;
    assert_int_equal(pm_impose_order(1, A5W, A5H, &o, &im), PM_OK);
    assert_int_equal(LEFT(&im.sides[1]), 0);
    assert_int_equal(RIGHT(&im.sides[1]), 0);
    pm_imposition_free(&im);

    /* right-to-left 8 pages: fronts [1|8] [3|6], backs [7|2] [5|4] */
    static const int r8[] = {1, 8, 7, 2, 3, 6, 5, 4};
    o.rtl = 1;
    assert_int_equal(pm_impose_order(8, A5W, A5H, &o, &im), PM_OK);
    for (int s = 0; s < 4; s++) {
        assert_int_equal(LEFT(&im.sides[s]), r8[2 * s]);
        assert_int_equal(RIGHT(&im.sides[s]), r8[2 * s + 1]);
    }
    pm_imposition_free(&im);
}

static void test_counts_against_reference(void **state)
{
    (void)state;
    static const int counts[] = {1, 2, 3, 4, 5, 8, 12, 19, 50};
    for (size_t i = 0; i < sizeof counts / sizeof *counts; i++)
        for (int blanks = 0; blanks < 2; blanks++)
            for (int rtl = 0; rtl < 2; rtl++)
                for (int dup = 0; dup < 2; dup++)
                    check_order(counts[i], 0, (pm_blanks)blanks, rtl, (pm_duplex)dup);
}

static void test_blank_counts(void **state)
{
    (void)state;
    static const int counts[][2] = {{1, 3}, {2, 2}, {3, 1}, {4, 0}, {5, 3}, {8, 0}, {12, 0}, {19, 1}, {50, 2}};
    for (size_t i = 0; i < sizeof counts / sizeof *counts; i++) {
        pm_booklet_opts o = opts(0, PM_BLANKS_END, 0, PM_DUPLEX_SHORT);
        pm_imposition im;
        assert_int_equal(pm_impose_order(counts[i][0], A5W, A5H, &o, &im), PM_OK);
        assert_int_equal(im.blanks, counts[i][1]);
        assert_int_equal(im.padded, counts[i][0] + counts[i][1]);
        pm_imposition_free(&im);
    }
}

static void test_signatures(void **state)
{
    (void)state;
    static const int counts[] = {1, 2, 3, 4, 5, 8, 12, 19, 50};
    static const int sigs[] = {1, 2, 3, 5};
    for (size_t i = 0; i < sizeof counts / sizeof *counts; i++)
        for (size_t k = 0; k < sizeof sigs / sizeof *sigs; k++)
            for (int blanks = 0; blanks < 2; blanks++)
                for (int dup = 0; dup < 2; dup++) {
                    diag_clear();
                    check_order(counts[i], sigs[k], (pm_blanks)blanks, 0, (pm_duplex)dup);
                    check_order(counts[i], sigs[k], (pm_blanks)blanks, 1, (pm_duplex)dup);
                }

    /* 50 pages in signatures of 3 sheets: 52 padded, 4 signatures of 12 + 1 of 4 padded
       to 12 at its end */
    pm_booklet_opts o = opts(3, PM_BLANKS_BEFORE_LAST, 0, PM_DUPLEX_SHORT);
    pm_imposition im;
    assert_int_equal(pm_impose_order(50, A5W, A5H, &o, &im), PM_OK);
    assert_int_equal(im.sheets, 15);
    assert_int_equal(im.padded, 60);
    assert_int_equal(im.blanks, 10);
    /* first signature: sheet 0 front [12|1] */
    assert_int_equal(LEFT(&im.sides[0]), 12);
    assert_int_equal(RIGHT(&im.sides[0]), 1);
    /* second signature starts at 13: sheet 3 front [24|13], back [14|23] */
    assert_int_equal(LEFT(&im.sides[6]), 24);
    assert_int_equal(RIGHT(&im.sides[6]), 13);
    assert_int_equal(LEFT(&im.sides[7]), 14);
    assert_int_equal(RIGHT(&im.sides[7]), 23);
    assert_int_equal(im.sides[6].cells[0].sheet_in_sig, 0);
    /* last signature holds 49, _, _, 50 then 8 blanks: sheet 12 front [_|49] back [_|_],
       sheet 13 back [50|_], sheet 14 all blank */
    assert_int_equal(LEFT(&im.sides[24]), 0);
    assert_int_equal(RIGHT(&im.sides[24]), 49);
    assert_int_equal(LEFT(&im.sides[25]), 0);
    assert_int_equal(RIGHT(&im.sides[25]), 0);
    assert_int_equal(LEFT(&im.sides[27]), 50);
    assert_int_equal(RIGHT(&im.sides[27]), 0);
    for (int s = 28; s < 30; s++) assert_true(!LEFT(&im.sides[s]) && !RIGHT(&im.sides[s]));
    pm_imposition_free(&im);

    /* signatures of 1 sheet: every sheet its own signature, none nested */
    o.signature = 1;
    assert_int_equal(pm_impose_order(50, A5W, A5H, &o, &im), PM_OK);
    assert_int_equal(im.sheets, 13);
    for (int s = 0; s < im.nsides; s++) assert_int_equal(im.sides[s].cells[0].sheet_in_sig, 0);
    assert_int_equal(LEFT(&im.sides[2]), 8); /* sheet 1 front [8|5] */
    assert_int_equal(RIGHT(&im.sides[2]), 5);
    pm_imposition_free(&im);

    /* signature 0 is "one signature" */
    o.signature = 0;
    assert_int_equal(pm_impose_order(50, A5W, A5H, &o, &im), PM_OK);
    assert_int_equal(im.sheets, 13);
    assert_int_equal(im.sides[24].cells[0].sheet_in_sig, 12);
    pm_imposition_free(&im);

    /* a signature bigger than the booklet works (as the checker pads it) with a warning */
    diag_clear();
    o.signature = 5;
    assert_int_equal(pm_impose_order(8, A5W, A5H, &o, &im), PM_OK);
    assert_int_equal(im.sheets, 5);
    assert_int_equal(diag_warnings_seen, 1);
    assert_non_null(strstr(diag_text, "warning"));
    pm_imposition_free(&im);
}

static void test_creep(void **state)
{
    (void)state;
    pm_booklet_opts o = opts(0, PM_BLANKS_BEFORE_LAST, 0, PM_DUPLEX_SHORT);
    o.creep = MM(0.1);
    pm_imposition im;
    assert_int_equal(pm_impose_order(50, A5W, A5H, &o, &im), PM_OK);
    for (int s = 0; s < im.nsides; s++) {
        assert_int_equal(im.sides[s].cells[0].sheet_in_sig, s / 2);
        assert_float_equal(im.sides[s].cells[0].creep, (s / 2) * MM(0.1), 1e-9);
        check_saddle_cells(&im.sides[s], MM(0.1));
    }
    assert_true(im.sides[0].cells[0].creep == 0 && im.sides[1].cells[0].creep == 0); /* the outermost sheet stays */
    assert_float_equal(im.sides[im.nsides - 1].cells[0].creep, 12 * MM(0.1), 1e-9);
    pm_imposition_free(&im);

    /* per signature: restarts at 0 on every signature's outer sheet */
    o.signature = 3;
    assert_int_equal(pm_impose_order(50, A5W, A5H, &o, &im), PM_OK);
    for (int s = 0; s < im.nsides; s++) assert_float_equal(im.sides[s].cells[0].creep, ((s / 2) % 3) * MM(0.1), 1e-9);
    pm_imposition_free(&im);

    /* no creep: nothing moves */
    o.creep = 0;
    assert_int_equal(pm_impose_order(50, A5W, A5H, &o, &im), PM_OK);
    for (int s = 0; s < im.nsides; s++) assert_true(im.sides[s].cells[0].creep == 0);
    pm_imposition_free(&im);
}

static void test_bad_options(void **state)
{
    (void)state;
    pm_imposition im;
    pm_booklet_opts o = opts(-1, PM_BLANKS_BEFORE_LAST, 0, PM_DUPLEX_SHORT);
    diag_clear();
    assert_int_equal(pm_impose_order(8, A5W, A5H, &o, &im), PM_EUSAGE);
    assert_int_equal(diag_errors_seen, 1);
    assert_non_null(strstr(diag_text, "signature"));
    assert_null(im.sides);
    pm_imposition_free(&im); /* harmless after a failure */

    o = opts(0, PM_BLANKS_BEFORE_LAST, 0, PM_DUPLEX_SHORT);
    o.creep = -0.5;
    diag_clear();
    assert_int_equal(pm_impose_order(8, A5W, A5H, &o, &im), PM_EUSAGE);
    assert_non_null(strstr(diag_text, "creep"));

    o = opts(0, PM_BLANKS_BEFORE_LAST, 0, PM_DUPLEX_SHORT);
    o.printer_margin = -1;
    diag_clear();
    assert_int_equal(pm_impose_order(8, A5W, A5H, &o, &im), PM_EUSAGE);
    assert_non_null(strstr(diag_text, "margin"));

    o = opts(0, PM_BLANKS_BEFORE_LAST, 0, PM_DUPLEX_SHORT);
    o.sheet_w = -10;
    o.sheet_h = 100;
    diag_clear();
    assert_int_equal(pm_impose_order(8, A5W, A5H, &o, &im), PM_EUSAGE);

    o = opts(0, PM_BLANKS_BEFORE_LAST, 0, PM_DUPLEX_SHORT);
    o.duplex = (pm_duplex)7;
    diag_clear();
    assert_int_equal(pm_impose_order(8, A5W, A5H, &o, &im), PM_EUSAGE);
    o = opts(0, PM_BLANKS_BEFORE_LAST, 0, PM_DUPLEX_SHORT);
    o.blanks = (pm_blanks)-1;
    diag_clear();
    assert_int_equal(pm_impose_order(8, A5W, A5H, &o, &im), PM_EUSAGE);

    /* no pages, negative pages */
    o = opts(0, PM_BLANKS_BEFORE_LAST, 0, PM_DUPLEX_SHORT);
    diag_clear();
    assert_int_not_equal(pm_impose_order(0, A5W, A5H, &o, &im), PM_OK);
    assert_int_equal(diag_errors_seen, 1);
    assert_null(im.sides);
    diag_clear();
    assert_int_not_equal(pm_impose_order(-4, A5W, A5H, &o, &im), PM_OK);
    assert_int_equal(diag_errors_seen, 1);

    /* signature 0 is fine: one signature */
    diag_clear();
    assert_int_equal(pm_impose_order(8, A5W, A5H, &o, &im), PM_OK);
    assert_int_equal(diag_errors_seen + diag_warnings_seen, 0);
    pm_imposition_free(&im);
}

/* ---- sheets ---- */

static const double A3[2] = {841.8898, 1190.5512}, A4[2] = {595.2756, 841.8898}, A5[2] = {419.5276, 595.2756},
                    A6[2] = {297.6378, 419.5276}, B5[2] = {498.8976, 708.6614}, LETTER[2] = {612, 792},
                    HALF_LETTER[2] = {396, 612}, TABLOID[2] = {792, 1224};

static void expect_sheet(const pm_booklet_opts *o, double w, double h, const double want[2], double scale)
{
    double sw = -1, sh = -1, sc = -1;
    pm_booklet_sheet(o, w, h, &sw, &sh, &sc);
    assert_float_equal(sw, want[1], 0.01); /* landscape: the long side across */
    assert_float_equal(sh, want[0], 0.01);
    assert_float_equal(sc, scale, 0.0005);
}

static void test_sheet_choice(void **state)
{
    (void)state;
    pm_booklet_opts o;
    pm_booklet_opts_from_spec(NULL, &o);
    expect_sheet(&o, A5[0], A5[1], A4, 1);                   /* A5 -> A4 */
    expect_sheet(&o, HALF_LETTER[0], HALF_LETTER[1], LETTER, 1); /* half-letter -> Letter */
    expect_sheet(&o, A6[0], A6[1], A5, 1);                   /* A6 -> A5 landscape */
    expect_sheet(&o, A4[0], A4[1], A3, 1);                   /* A4 -> A3 */
    expect_sheet(&o, LETTER[0], LETTER[1], TABLOID, 1);      /* Letter -> Tabloid (11x17) */
    expect_sheet(&o, B5[0], B5[1], A3, 1);                   /* B5: smallest metric sheet */
    expect_sheet(&o, MM(140), MM(200), A4, 1);               /* odd metric size that fits A4 */
    expect_sheet(&o, MM(150), MM(200), A3, 1);               /* just too wide for A4 */
    expect_sheet(&o, 432, 648, TABLOID, 1);                  /* 6 x 9 in: inch sheets */
    expect_sheet(&o, 5.5 * 72, 8 * 72, LETTER, 1);           /* 5.5 x 8 in */
    expect_sheet(&o, A5[1], A5[0], A3, 1);                   /* landscape A5: two side by side need A3 */

    /* too big for any sheet: the largest of the family, scaled down */
    double sw, sh, sc;
    pm_booklet_sheet(&o, A3[0], A3[1], &sw, &sh, &sc);
    assert_float_equal(sw, A3[1], 0.01);
    assert_true(sc < 1);
    assert_float_equal(sc, fmin(A3[1] / 2 / A3[0], A3[0] / A3[1]), 1e-6); /* 0.7071 */
    pm_booklet_sheet(&o, TABLOID[0], TABLOID[1], &sw, &sh, &sc);
    assert_float_equal(sw, TABLOID[1], 0.01);
    assert_float_equal(sc, fmin(TABLOID[1] / 2 / TABLOID[0], TABLOID[0] / TABLOID[1]), 1e-6);

    /* a given sheet is kept (landscape) and the pages shrink when they must */
    o.sheet_w = A4[1];
    o.sheet_h = A4[0];
    expect_sheet(&o, A5[0], A5[1], A4, 1);
    expect_sheet(&o, A6[0], A6[1], A4, 1); /* small pages: 100% */
    pm_booklet_sheet(&o, A4[0], A4[1], &sw, &sh, &sc);
    assert_float_equal(sc, A4[0] / A4[1], 1e-6);
    o.sheet_w = A3[0]; /* given portrait: still used landscape */
    o.sheet_h = A3[1];
    expect_sheet(&o, A5[0], A5[1], A3, 1);
    expect_sheet(&o, A4[0], A4[1], A3, 1);
    o.sheet_w = LETTER[1];
    o.sheet_h = LETTER[0];
    pm_booklet_sheet(&o, A5[0], A5[1], &sw, &sh, &sc); /* A5 on Letter: too wide for half */
    assert_float_equal(sc, 396 / A5[0], 1e-6);
}

/* ---- a page in its cell ---- */

/* The sheet writer's placement before the cells (dev_booklet.c's place() at f73bfaa), for
   a page on the left or right half of a landscape sheet, the whole side turned by the
   caller when it must be. The cells must give exactly the same numbers, bit for bit: the
   sample booklets stay byte-identical. */
typedef struct { double x, y, s, cx0, cy0, cx1, cy1; } old_placement;
static double old_fit_scale(double sw, double sh, double w, double h)
{
    double s = fmin((sw / 2 + 0.5) / w, (sh + 0.5) / h);
    return s >= 1 ? 1 : fmin(sw / 2 / w, sh / h);
}
static void old_place(double sw, double sh, int right, double w, double h, double creep, old_placement *p)
{
    p->s = old_fit_scale(fmax(sw, sh), fmin(sw, sh), w, h);
    double pw = w * p->s, ph = h * p->s, cx = sw / 2;
    p->y = (sh - ph) / 2;
    p->x = right ? cx - creep : cx - pw + creep;
    p->cx0 = right ? cx : fmax(p->x, 0);
    p->cx1 = right ? fmin(p->x + pw, sw) : cx;
    p->cy0 = fmax(p->y, 0);
    p->cy1 = fmin(p->y + ph, sh);
}

static void test_saddle_placement_as_before(void **state)
{
    (void)state;
    static const double sizes[][2] = {{A5W, A5H}, {297.6378, 419.5276}, {595.2756, 841.8898}, {396, 612}, {430, 500}};
    static const double creeps[] = {0, MM(0.1), MM(0.37), MM(2)};
    static const double sheets[][2] = {{A4W, A4H}, {1190.5512, 841.8898}, {792, 612}};
    for (size_t sh = 0; sh < 3; sh++)
        for (size_t i = 0; i < 5; i++)
            for (int dup = 0; dup < 2; dup++) {
                pm_booklet_opts o = opts(0, PM_BLANKS_BEFORE_LAST, 0, (pm_duplex)dup);
                o.sheet_w = sheets[sh][0];
                o.sheet_h = sheets[sh][1];
                o.creep = creeps[i % 4];
                pm_imposition im;
                assert_int_equal(pm_impose_order(12, sizes[i][0], sizes[i][1], &o, &im), PM_OK);
                assert_true(im.sheet_w == sheets[sh][0] && im.sheet_h == sheets[sh][1]);
                for (int s = 0; s < im.nsides; s++)
                    for (int k = 0; k < 2; k++) {
                        const pm_cell *c = &im.sides[s].cells[k];
                        old_placement want;
                        old_place(im.sheet_w, im.sheet_h, k, sizes[i][0], sizes[i][1], c->creep, &want);
                        pm_place got;
                        pm_cell_place(c, im.sheet_w, im.sheet_h, sizes[i][0], sizes[i][1], &got);
                        /* a turned side was drawn in the sheet turned about its centre */
                        assert_int_equal(got.rotation, im.sides[s].turned ? 180 : 0);
                        if (im.sides[s].turned) assert_true(got.rx == im.sheet_w && got.ry == im.sheet_h);
                        assert_true(got.x == want.x && got.y == want.y && got.s == want.s);
                        assert_true(got.cx0 == want.cx0 && got.cx1 == want.cx1);
                        assert_true(got.cy0 == want.cy0 && got.cy1 == want.cy1);
                    }
                pm_imposition_free(&im);
            }
}

/* Sheet point of page point (u, v) under matrix m. */
static void apply(const double m[6], double u, double v, double *x, double *y)
{
    *x = m[0] * u + m[2] * v + m[4];
    *y = m[1] * u + m[3] * v + m[5];
}

/* The matrix puts the page inside its cell, turned as the cell says, against its spine. */
static void test_place_matrix(void **state)
{
    (void)state;
    double sw = 600, sh = 400, w = 100, h = 150;
    static const int rots[] = {0, 90, 180, 270};
    static const pm_spine spines[] = {PM_SPINE_LEFT, PM_SPINE_RIGHT, PM_SPINE_NONE};
    for (int r = 0; r < 4; r++)
        for (int sp = 0; sp < 3; sp++) {
            int across = rots[r] % 180;
            /* a cell with room to spare in both directions, off the origin */
            pm_cell c = {.page = 1, .x = 120, .y = 40, .w = across ? 200 : 130, .h = across ? 130 : 200,
                         .rotation = rots[r], .spine = spines[sp]};
            pm_place p;
            double m[6], x, y;
            pm_cell_place(&c, sw, sh, w, h, &p);
            assert_float_equal(p.s, 1, 1e-12);
            pm_place_matrix(&p, m);
            /* all four corners inside the cell */
            double corners[4][2] = {{0, 0}, {w, 0}, {0, h}, {w, h}}, x0 = 1e9, x1 = -1e9, y0 = 1e9, y1 = -1e9;
            for (int k = 0; k < 4; k++) {
                apply(m, corners[k][0], corners[k][1], &x, &y);
                x0 = fmin(x0, x), x1 = fmax(x1, x), y0 = fmin(y0, y), y1 = fmax(y1, y);
            }
            assert_true(x0 >= c.x - 1e-9 && x1 <= c.x + c.w + 1e-9 && y0 >= c.y - 1e-9 && y1 <= c.y + c.h + 1e-9);
            assert_float_equal(x1 - x0, across ? h : w, 1e-9);
            /* the page's own "right" (its +u axis) runs along the sheet turned clockwise */
            double ux = m[0], uy = m[1];
            static const double dir[4][2] = {{1, 0}, {0, 1}, {-1, 0}, {0, -1}};
            assert_float_equal(ux, dir[r][0], 1e-12);
            assert_float_equal(uy, dir[r][1], 1e-12);
            /* the spine edge of the page touches the cell's edge there; centred otherwise */
            double ex, ey;
            if (spines[sp] != PM_SPINE_NONE) {
                double u = spines[sp] == PM_SPINE_LEFT ? 0 : w;
                apply(m, u, h / 2, &ex, &ey);
                int side = (spines[sp] == PM_SPINE_LEFT ? 0 : 2) + r; /* 0 left, 1 top, 2 right, 3 bottom */
                switch (side % 4) {
                case 0: assert_float_equal(ex, c.x, 1e-9); break;
                case 1: assert_float_equal(ey, c.y, 1e-9); break;
                case 2: assert_float_equal(ex, c.x + c.w, 1e-9); break;
                case 3: assert_float_equal(ey, c.y + c.h, 1e-9); break;
                }
            } else {
                apply(m, w / 2, h / 2, &ex, &ey);
                assert_float_equal(ex, c.x + c.w / 2, 1e-9);
                assert_float_equal(ey, c.y + c.h / 2, 1e-9);
            }
            /* creep moves the page across its spine by that much; the clip stays on the cell */
            c.creep = 7;
            pm_place q;
            pm_cell_place(&c, sw, sh, w, h, &q);
            if (spines[sp] != PM_SPINE_NONE) {
                assert_float_equal(fabs(q.x - p.x), 7, 1e-9);
                assert_true(q.cx0 >= (q.x < p.x ? p.cx0 - 7 - 1e-9 : p.cx0 - 1e-9));
            }
        }
    /* a page larger than its cell shrinks to fit */
    pm_cell c = {.page = 1, .x = 0, .y = 0, .w = 50, .h = 75};
    pm_place p;
    pm_cell_place(&c, sw, sh, w, h, &p);
    assert_float_equal(p.s, 0.5, 1e-12);
}

/* ---- the folds ---- */

static pm_booklet_opts fold_opts(pm_fold fold, pm_duplex duplex, int rtl)
{
    pm_booklet_opts o = opts(0, PM_BLANKS_BEFORE_LAST, rtl, duplex);
    o.fold = fold;
    return o;
}

static const pm_cell *cell_at(const pm_sheet_side *sd, double x, double y)
{
    for (int i = 0; i < sd->ncells; i++) {
        const pm_cell *c = &sd->cells[i];
        if (x > c->x && x < c->x + c->w && y > c->y && y < c->y + c->h) return c;
    }
    return NULL;
}

/* The page's spine on the sheet: the x of its edge against the fold (pages upright or
   upside down). */
static double spine_x(const pm_cell *c)
{
    int right = c->spine == PM_SPINE_RIGHT;
    if (c->rotation == 180) right = !right;
    return right ? c->x + c->w : c->x;
}

/* Every printed sheet as paper: turned over on the duplex edge, what lies behind each
   page must be the other side of its leaf (pages 2k+1 and 2k+2), the same way up, with
   its spine on the same fold. n must need no blanks. */
static void check_as_paper(const pm_imposition *im, pm_duplex duplex)
{
    int landscape = im->sheet_w >= im->sheet_h;
    int book = (duplex == PM_DUPLEX_SHORT) == landscape; /* turned about a vertical axis */
    for (int s = 0; s + 1 < im->nsides; s += 2) {
        const pm_sheet_side *f = &im->sides[s], *b = &im->sides[s + 1];
        assert_int_equal(f->sheet, b->sheet);
        assert_true(!f->back && b->back);
        for (int i = 0; i < f->ncells; i++) {
            const pm_cell *c = &f->cells[i];
            double cx = c->x + c->w / 2, cy = c->y + c->h / 2;
            const pm_cell *d = cell_at(b, book ? im->sheet_w - cx : cx, book ? cy : im->sheet_h - cy);
            assert_non_null(d);
            if (!c->page) {
                assert_int_equal(d->page, 0);
                continue;
            }
            assert_int_equal(d->page, c->page % 2 ? c->page + 1 : c->page - 1);
            assert_int_equal(d->folded, c->folded);
            assert_int_equal(d->rotation, book ? c->rotation : (c->rotation + 180) % 360);
            double sx = spine_x(c);
            assert_float_equal(spine_x(d), book ? im->sheet_w - sx : sx, 1e-9);
        }
    }
}

/* Every reading page exactly once on every copy. */
static void check_each_page(const pm_imposition *im, int copies)
{
    int *seen = calloc((size_t)im->npages + 1, sizeof *seen);
    for (int i = 0; i < im->ncells; i++) {
        int p = im->cells[i].page;
        assert_true(p >= 0 && p <= im->npages);
        seen[p]++;
    }
    for (int p = 1; p <= im->npages; p++) assert_int_equal(seen[p], copies);
    free(seen);
}

static void test_2up(void **state)
{
    (void)state;
    static const int counts[] = {1, 4, 5, 8, 12, 19, 50};
    for (size_t i = 0; i < sizeof counts / sizeof *counts; i++)
        for (int dup = 0; dup < 2; dup++)
            for (int rtl = 0; rtl < 2; rtl++) {
                int n = counts[i];
                pm_booklet_opts o = fold_opts(PM_FOLD_2UP, (pm_duplex)dup, rtl);
                pm_imposition im;
                assert_int_equal(pm_impose_order(n, A6[0], A6[1], &o, &im), PM_OK);
                /* A6 pages: a portrait A4, its halves A5 booklet sheets */
                assert_float_equal(im.sheet_w, 595.2756, 1e-3);
                assert_float_equal(im.sheet_h, 841.8898, 1e-3);
                assert_float_equal(im.scale, 1, 1e-12);
                assert_int_equal(im.slots, 2);
                ref_sheet *ref;
                int nsheets = ref_order(n, 0, 0, rtl, &ref);
                assert_int_equal(im.sheets, nsheets);
                assert_int_equal(im.folded, nsheets);
                assert_int_equal(im.nsides, 2 * nsheets);
                check_each_page(&im, 2);
                for (int s = 0; s < nsheets; s++) {
                    const pm_sheet_side *f = &im.sides[2 * s], *b = f + 1;
                    assert_int_equal(f->ncells, 4);
                    for (int copy = 0; copy < 2; copy++) {
                        /* cells 2k, 2k+1: the booklet's left and right pages of copy k */
                        assert_int_equal(f->cells[2 * copy].page, ref[s].fl);
                        assert_int_equal(f->cells[2 * copy + 1].page, ref[s].fr);
                        assert_int_equal(b->cells[2 * copy].page, ref[s].bl);
                        assert_int_equal(b->cells[2 * copy + 1].page, ref[s].br);
                    }
                    /* one copy above the other, each across the whole width */
                    if (!f->turned) {
                        assert_true(f->cells[0].y == 0 && f->cells[2].y == im.sheet_h / 2);
                        assert_true(f->cells[0].x == 0 && f->cells[1].x == im.sheet_w / 2);
                    }
                    /* a portrait sheet: the short edge turns it top to bottom, so a side must be
                       upside down; the long edge turns it like a book page */
                    int empty_back = !ref[s].bl && !ref[s].br;
                    assert_int_equal(f->turned + b->turned, dup == PM_DUPLEX_SHORT);
                    if (dup == PM_DUPLEX_SHORT) assert_int_equal(f->turned, empty_back);
                }
                if (n % 4 == 0) check_as_paper(&im, (pm_duplex)dup);
                free(ref);
                pm_imposition_free(&im);
            }
}

/* Cut the printed stack into its slots' piles, lay pile 1 on pile 2 on ...: the folded
   sheets in the booklet's order, empty ones only at the end. */
static void check_piles(const pm_imposition *im, const ref_sheet *ref, int nref)
{
    int S = im->slots, M = im->sheets, k = 0;
    for (int j = 0; j < S; j++)
        for (int m = 0; m < M; m++, k++) {
            const pm_sheet_side *f = &im->sides[2 * m], *b = f + 1;
            /* the slot's cells on the front come in slot order, two each */
            const pm_cell *fl = &f->cells[2 * j], *fr = fl + 1;
            assert_int_equal(fl->folded, k);
            assert_int_equal(fr->folded, k);
            int bl = -1, br = -1;
            for (int i = 0; i < b->ncells; i++)
                if (b->cells[i].folded == k) {
                    if (b->cells[i].spine == PM_SPINE_RIGHT) bl = b->cells[i].page;
                    else br = b->cells[i].page;
                }
            if (k < nref) {
                assert_int_equal(fl->page, ref[k].fl);
                assert_int_equal(fr->page, ref[k].fr);
                assert_int_equal(bl, ref[k].bl);
                assert_int_equal(br, ref[k].br);
            } else {
                assert_true(!fl->page && !fr->page && !bl && !br);
            }
        }
    assert_int_equal(k - nref, im->blank_folded);
}

static void test_cut_stack(void **state)
{
    (void)state;
    static const double A7[2] = {209.7638, 297.6378};
    static const int counts[] = {1, 3, 8, 12, 16, 19, 32, 50};
    for (int size = 0; size < 2; size++)
        for (size_t i = 0; i < sizeof counts / sizeof *counts; i++)
            for (int dup = 0; dup < 2; dup++)
                for (int sig = 0; sig < 3; sig += 2) {
                    int n = counts[i];
                    const double *pg = size ? A7 : A6;
                    pm_booklet_opts o = fold_opts(PM_FOLD_CUT_STACK, (pm_duplex)dup, n % 2);
                    o.signature = sig;
                    pm_imposition im;
                    diag_clear();
                    assert_int_equal(pm_impose_order(n, pg[0], pg[1], &o, &im), PM_OK);
                    /* A6 pages: A4 portrait, two A5 slots one above the other; A7: A4
                       landscape, four A6 slots */
                    assert_float_equal(fmax(im.sheet_w, im.sheet_h), 841.8898, 1e-3);
                    assert_int_equal(im.sheet_w < im.sheet_h, size == 0);
                    assert_int_equal(im.slot_cols, size ? 2 : 1);
                    assert_int_equal(im.slot_rows, 2);
                    assert_int_equal(im.slots, size ? 4 : 2);
                    ref_sheet *ref;
                    int nref = ref_order(n, sig, 0, n % 2, &ref);
                    assert_int_equal(im.folded, nref);
                    assert_int_equal(im.sheets, (nref + im.slots - 1) / im.slots);
                    assert_int_equal(im.blanks, 4 * nref - n);
                    check_each_page(&im, 1);
                    check_piles(&im, ref, nref);
                    if (n % (4 * im.slots) == 0 && !sig) check_as_paper(&im, (pm_duplex)dup);
                    /* a single page is on the front of the first sheet, as the cover */
                    if (n == 1) assert_int_equal(im.sides[0].cells[n % 2 ? 0 : 1].page, 1);
                    free(ref);
                    pm_imposition_free(&im);
                }

    /* A5 pages: the smallest sheet with two slots is A3; on a given A4, one slot, scaled to fit none:
       as a saddle sheet */
    pm_booklet_opts o = fold_opts(PM_FOLD_CUT_STACK, PM_DUPLEX_SHORT, 0);
    pm_imposition im;
    assert_int_equal(pm_impose_order(8, A5W, A5H, &o, &im), PM_OK);
    assert_float_equal(im.sheet_h, 1190.5512, 1e-3);
    assert_int_equal(im.slots, 2);
    pm_imposition_free(&im);
    o.sheet_w = A4W;
    o.sheet_h = A4H;
    assert_int_equal(pm_impose_order(8, A5W, A5H, &o, &im), PM_OK);
    assert_int_equal(im.slots, 1);
    assert_true(im.sheet_w > im.sheet_h);
    assert_int_equal(im.sheets, 2);
    pm_imposition_free(&im);
}

static void test_zine8(void **state)
{
    (void)state;
    static const double A7[2] = {209.7638, 297.6378};
    /* bottom row left to right, then the top row (turned) */
    static const int ltr[8] = {6, 7, 8, 1, 5, 4, 3, 2};
    for (int n = 1; n <= 8; n++)
        for (int blanks = 0; blanks < 2; blanks++)
            for (int rtl = 0; rtl < 2; rtl++) {
                pm_booklet_opts o = fold_opts(PM_FOLD_ZINE8, PM_DUPLEX_SHORT, rtl);
                o.blanks = (pm_blanks)blanks;
                pm_imposition im;
                assert_int_equal(pm_impose_order(n, A7[0], A7[1], &o, &im), PM_OK);
                assert_float_equal(im.sheet_w, A4W, 1e-3); /* A7 pages: a landscape A4 */
                assert_float_equal(im.sheet_h, A4H, 1e-3);
                assert_float_equal(im.scale, 1, 1e-12);
                assert_int_equal(im.sheets, 1);
                assert_int_equal(im.nsides, 1);
                assert_int_equal(im.blanks, 8 - n);
                assert_false(im.sides[0].turned);
                check_each_page(&im, 1);
                /* positions 1..8 of the zine, blanks as in a booklet */
                int pos[9] = {0};
                for (int p = 1; p < n; p++) pos[p] = p;
                if (n == 1) pos[1] = 1;
                else pos[blanks == PM_BLANKS_END ? n : 8] = n;
                const pm_sheet_side *sd = &im.sides[0];
                for (int i = 0; i < 8; i++) {
                    int col = i % 4, row = i < 4 ? 1 : 0, at = rtl ? 3 - col : col;
                    const pm_cell *c = cell_at(sd, (at + 0.5) * im.sheet_w / 4, (row + 0.5) * im.sheet_h / 2);
                    assert_non_null(c);
                    assert_int_equal(c->page, pos[ltr[i]]);
                    assert_int_equal(c->rotation, row ? 0 : 180);
                    assert_float_equal(c->w, im.sheet_w / 4, 1e-9);
                    assert_float_equal(c->h, im.sheet_h / 2, 1e-9);
                    /* spines on the folds at a quarter and three quarters of the width */
                    assert_float_equal(spine_x(c), (at < 2 ? 1 : 3) * im.sheet_w / 4, 1e-9);
                    assert_float_equal(c->creep, 0, 0);
                }
                /* the leaves: 1|2 and 5|6 across the long fold at the two ends, 3|4 and 7|8
                   side by side across the middle */
                for (int p = 1; p <= 8; p += 2) {
                    const pm_cell *a = NULL, *b = NULL;
                    for (int i = 0; i < 8; i++) {
                        if (ltr[i] == p) a = cell_at(sd, ((rtl ? 3 - i % 4 : i % 4) + 0.5) * im.sheet_w / 4,
                                                    (i < 4 ? 1.5 : 0.5) * im.sheet_h / 2);
                        if (ltr[i] == p + 1) b = cell_at(sd, ((rtl ? 3 - i % 4 : i % 4) + 0.5) * im.sheet_w / 4,
                                                        (i < 4 ? 1.5 : 0.5) * im.sheet_h / 2);
                    }
                    assert_non_null(a);
                    assert_non_null(b);
                    if (p == 1 || p == 5) assert_true(a->x == b->x && a->y != b->y && (a->x == 0 || a->x + a->w > im.sheet_w - 1e-9));
                    else assert_true(a->y == b->y && fabs(fmin(a->x, b->x) + a->w - im.sheet_w / 2) < 1e-9);
                }
                pm_imposition_free(&im);
            }

    /* more than 8 pages: an error that says what to do */
    pm_booklet_opts o = fold_opts(PM_FOLD_ZINE8, PM_DUPLEX_SHORT, 0);
    pm_imposition im;
    diag_clear();
    assert_int_equal(pm_impose_order(9, A7[0], A7[1], &o, &im), PM_EUSAGE);
    assert_non_null(strstr(diag_text, "8 pages"));
    assert_non_null(strstr(diag_text, "--fold saddle"));
    assert_null(im.sides);
    /* no backs to print */
    o.sides = PM_SIDES_BACK;
    diag_clear();
    assert_int_equal(pm_impose_order(8, A7[0], A7[1], &o, &im), PM_EUSAGE);
    assert_non_null(strstr(diag_text, "one side"));
    /* signature and creep mean nothing on one sheet: said, and ignored */
    o = fold_opts(PM_FOLD_ZINE8, PM_DUPLEX_LONG, 0);
    o.signature = 2;
    o.creep = MM(0.1);
    diag_clear();
    assert_int_equal(pm_impose_order(8, A7[0], A7[1], &o, &im), PM_OK);
    assert_int_equal(diag_warnings_seen, 1);
    assert_non_null(strstr(diag_text, "signature and creep ignored"));
    assert_int_equal(im.nsides, 1);
    assert_false(im.sides[0].turned);
    pm_imposition_free(&im);
    /* A5 pages: no standard metric sheet holds 4 x 2 of them: A3, scaled */
    assert_int_equal(pm_impose_order(8, A5W, A5H, &o, &im), PM_OK);
    assert_float_equal(im.sheet_w, 1190.5512, 1e-3);
    assert_float_equal(im.scale, fmin(1190.5512 / 4 / A5W, 841.8898 / 2 / A5H), 1e-9);
    pm_imposition_free(&im);
}

/* The saddle booklet, too, as paper, and a single page never on a back, in every fold. */
static void test_saddle_as_paper(void **state)
{
    (void)state;
    for (int n = 4; n <= 48; n += 4)
        for (int dup = 0; dup < 2; dup++)
            for (int rtl = 0; rtl < 2; rtl++) {
                pm_booklet_opts o = fold_opts(PM_FOLD_SADDLE, (pm_duplex)dup, rtl);
                o.signature = n % 8 ? 0 : 2;
                pm_imposition im;
                assert_int_equal(pm_impose_order(n, A5W, A5H, &o, &im), PM_OK);
                check_as_paper(&im, (pm_duplex)dup);
                pm_imposition_free(&im);
            }
    for (int f = PM_FOLD_SADDLE; f <= PM_FOLD_CUT_STACK; f++)
        for (int dup = 0; dup < 2; dup++)
            for (int rtl = 0; rtl < 2; rtl++) {
                pm_booklet_opts o = fold_opts((pm_fold)f, (pm_duplex)dup, rtl);
                pm_imposition im;
                assert_int_equal(pm_impose_order(1, 297.6378, 419.5276, &o, &im), PM_OK);
                int where = 0;
                for (int s = 0; s < im.nsides; s++)
                    for (int i = 0; i < im.sides[s].ncells; i++)
                        if (im.sides[s].cells[i].page) {
                            assert_false(im.sides[s].back);
                            assert_int_equal(im.sides[s].sheet, 0);
                            where++;
                        }
                assert_int_equal(where, f == PM_FOLD_2UP ? 2 : 1);
                pm_imposition_free(&im);
            }
}

static void test_written_sides(void **state)
{
    (void)state;
    pm_booklet_opts o = fold_opts(PM_FOLD_SADDLE, PM_DUPLEX_LONG, 0);
    pm_imposition im;
    int *idx;
    assert_int_equal(pm_impose_order(12, A5W, A5H, &o, &im), PM_OK);
    assert_int_equal(pm_imposition_written_sides(&im, &o, &idx), 6);
    for (int i = 0; i < 6; i++) assert_int_equal(idx[i], i);
    free(idx);
    o.sides = PM_SIDES_FRONT;
    assert_int_equal(pm_imposition_written_sides(&im, &o, &idx), 3);
    for (int i = 0; i < 3; i++) assert_int_equal(idx[i], 2 * i);
    free(idx);
    o.sides = PM_SIDES_BACK;
    assert_int_equal(pm_imposition_written_sides(&im, &o, &idx), 3);
    for (int i = 0; i < 3; i++) {
        assert_int_equal(idx[i], 2 * i + 1);
        assert_true(im.sides[idx[i]].turned); /* the backs as a duplex printer would get them */
    }
    free(idx);
    pm_imposition_free(&im);
    o.sides = (pm_sides)5;
    diag_clear();
    assert_int_equal(pm_impose_order(12, A5W, A5H, &o, &im), PM_EUSAGE);
    o.sides = PM_SIDES_BOTH;
    o.fold = (pm_fold)9;
    assert_int_equal(pm_impose_order(12, A5W, A5H, &o, &im), PM_EUSAGE);
    assert_non_null(strstr(diag_text, "fold"));
}

static void test_fold_sheets(void **state)
{
    (void)state;
    static const double A7[2] = {209.7638, 297.6378}, QL[2] = {306, 396};
    pm_booklet_opts o;
    pm_booklet_opts_from_spec(NULL, &o);
    double sw, sh, sc;
    o.fold = PM_FOLD_2UP;
    pm_booklet_sheet(&o, A6[0], A6[1], &sw, &sh, &sc); /* A6 booklet: A4 portrait */
    assert_float_equal(sw, 595.2756, 0.01);
    assert_float_equal(sh, 841.8898, 0.01);
    assert_float_equal(sc, 1, 1e-12);
    pm_booklet_sheet(&o, QL[0], QL[1], &sw, &sh, &sc); /* quarter-letter: Letter portrait */
    assert_float_equal(sw, 612, 0.01);
    assert_float_equal(sh, 792, 0.01);
    assert_float_equal(sc, 1, 1e-12);
    pm_booklet_sheet(&o, A5W, A5H, &sw, &sh, &sc); /* A5: A3 portrait */
    assert_float_equal(sh, 1190.5512, 0.01);
    o.sheet_w = A4W; /* A5 on a given A4: portrait all the same, scaled */
    o.sheet_h = A4H;
    pm_booklet_sheet(&o, A5W, A5H, &sw, &sh, &sc);
    assert_true(sw < sh);
    assert_float_equal(sc, fmin(A4H / 2 / A5W, A4W / 2 / A5H), 1e-9);
    o.sheet_w = o.sheet_h = 0;
    o.fold = PM_FOLD_ZINE8;
    pm_booklet_sheet(&o, A7[0], A7[1], &sw, &sh, &sc);
    assert_float_equal(sw, A4W, 0.01);
    assert_float_equal(sc, 1, 1e-12);
    pm_booklet_sheet(&o, 198, 306, &sw, &sh, &sc); /* 2.75 x 4.25 in, an eighth of Letter... */
    assert_float_equal(sw, 792, 0.01);              /* ...on Letter, landscape */
    assert_float_equal(sc, 1, 1e-12);
    o.fold = PM_FOLD_CUT_STACK;
    pm_booklet_sheet(&o, A7[0], A7[1], &sw, &sh, &sc); /* small pages: at least A4, as many slots as fit */
    assert_float_equal(sw, A4W, 0.01);
    int cols, rows;
    pm_fold_grid(&o, A7[0], A7[1], sw, sh, &cols, &rows);
    assert_true(cols == 2 && rows == 2);
    o.sheet_w = 1190.5512; /* A7 on a given A3: 8 slots */
    o.sheet_h = 841.8898;
    pm_booklet_sheet(&o, A7[0], A7[1], &sw, &sh, &sc);
    pm_fold_grid(&o, A7[0], A7[1], sw, sh, &cols, &rows);
    assert_int_equal(cols * rows, 8);
    /* the saddle sheet is unchanged by all this */
    o.sheet_w = o.sheet_h = 0;
    o.fold = PM_FOLD_SADDLE;
    pm_booklet_sheet(&o, A5W, A5H, &sw, &sh, &sc);
    assert_float_equal(sw, A4W, 0.01);
    pm_fold_grid(&o, A5W, A5H, sw, sh, &cols, &rows);
    assert_true(cols == 1 && rows == 1);
}

/* Marks stay outside the pages; cut lines and the slit are where the folds need them. */
static void test_sheet_lines(void **state)
{
    (void)state;
    static const double A7[2] = {209.7638, 297.6378};
    pm_booklet_opts o = opts(0, PM_BLANKS_BEFORE_LAST, 0, PM_DUPLEX_SHORT);
    pm_imposition im;
    pm_mark_line *l;
    int nmarks, n;
    /* saddle, A5 on A3: three fold/crop marks above and below, two crop marks each side */
    o.sheet_w = 1190.5512;
    o.sheet_h = 841.8898;
    assert_int_equal(pm_impose_order(8, A5W, A5H, &o, &im), PM_OK);
    n = pm_sheet_lines(&im, A5W, A5H, 1, &l, &nmarks);
    assert_int_equal(n, 10);
    assert_int_equal(nmarks, 10);
    double x0 = im.sheet_w / 2 - A5W, x1 = im.sheet_w / 2 + A5W, y0 = (im.sheet_h - A5H) / 2, y1 = y0 + A5H;
    for (int i = 0; i < n; i++) {
        assert_false(l[i].cut);
        /* no point of a mark inside the pages */
        for (double t = 0; t <= 1; t += 0.25) {
            double x = l[i].x0 + t * (l[i].x1 - l[i].x0), y = l[i].y0 + t * (l[i].y1 - l[i].y0);
            assert_false(x > x0 + 1e-9 && x < x1 - 1e-9 && y > y0 + 1e-9 && y < y1 - 1e-9);
            assert_true(x >= 0 && x <= im.sheet_w && y >= 0 && y <= im.sheet_h);
        }
    }
    free(l);
    /* no marks asked for, or no room (A5 on A4): none */
    n = pm_sheet_lines(&im, A5W, A5H, 0, &l, &nmarks);
    assert_int_equal(n, 0);
    free(l);
    pm_imposition_free(&im);
    o.sheet_w = o.sheet_h = 0;
    assert_int_equal(pm_impose_order(8, A5W, A5H, &o, &im), PM_OK);
    n = pm_sheet_lines(&im, A5W, A5H, 1, &l, &nmarks);
    assert_int_equal(n, 0);
    free(l);
    pm_imposition_free(&im);
    /* cut-stack, A7 on A4: one cut down the middle, one across */
    o.fold = PM_FOLD_CUT_STACK;
    assert_int_equal(pm_impose_order(16, A7[0], A7[1], &o, &im), PM_OK);
    n = pm_sheet_lines(&im, A7[0], A7[1], 0, &l, &nmarks);
    assert_int_equal(n, 2);
    assert_int_equal(nmarks, 0);
    assert_true(l[0].cut && l[0].x0 == im.sheet_w / 2 && l[0].x1 == im.sheet_w / 2 && l[0].y0 == 0 && l[0].y1 == im.sheet_h);
    assert_true(l[1].cut && l[1].y0 == im.sheet_h / 2 && l[1].x0 == 0 && l[1].x1 == im.sheet_w);
    free(l);
    pm_imposition_free(&im);
    /* 2up: one cut across; zine8: the slit along the middle half of the long centre line */
    o.fold = PM_FOLD_2UP;
    assert_int_equal(pm_impose_order(8, 297.6378, 419.5276, &o, &im), PM_OK);
    n = pm_sheet_lines(&im, 297.6378, 419.5276, 0, &l, &nmarks);
    assert_int_equal(n, 1);
    assert_true(l[0].cut && l[0].y0 == im.sheet_h / 2 && l[0].y1 == im.sheet_h / 2);
    free(l);
    pm_imposition_free(&im);
    o.fold = PM_FOLD_ZINE8;
    assert_int_equal(pm_impose_order(8, A7[0], A7[1], &o, &im), PM_OK);
    n = pm_sheet_lines(&im, A7[0], A7[1], 0, &l, &nmarks);
    assert_int_equal(n, 1);
    assert_true(l[0].cut && l[0].y0 == im.sheet_h / 2 && l[0].x0 == im.sheet_w / 4 && l[0].x1 == 3 * im.sheet_w / 4);
    free(l);
    pm_imposition_free(&im);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_known_orders),
        cmocka_unit_test(test_counts_against_reference),
        cmocka_unit_test(test_blank_counts),
        cmocka_unit_test(test_signatures),
        cmocka_unit_test(test_creep),
        cmocka_unit_test(test_bad_options),
        cmocka_unit_test(test_sheet_choice),
        cmocka_unit_test(test_saddle_placement_as_before),
        cmocka_unit_test(test_place_matrix),
        cmocka_unit_test(test_2up),
        cmocka_unit_test(test_cut_stack),
        cmocka_unit_test(test_zine8),
        cmocka_unit_test(test_saddle_as_paper),
        cmocka_unit_test(test_written_sides),
        cmocka_unit_test(test_fold_sheets),
        cmocka_unit_test(test_sheet_lines),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
