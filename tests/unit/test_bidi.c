/* test_bidi.c - unit tests of right-to-left setting (bidi.c, line.c, hangs.c): the visual
 * order rule on bare levels, then Hebrew and Arabic paragraphs set with Debian's Noto
 * fonts (fonts-noto-core, linked into a scratch fonts folder): lines within the measure,
 * glyphs in visual order, a left-to-right name and numbers inside a right-to-left line,
 * justified lines exactly the measure wide, the indent and ragged lines on the right,
 * and a full stop hanging into the left margin. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/arena.h"
#include "input/spec.h"
#include "text/bidi.h"
#include "text/fonts.h"
#include "text/paragraph.h"

#define NOTO "/usr/share/fonts/truetype/noto/"
#define EPS 1e-6

static const char *const font_files[] = {"NotoSansHebrew-Regular.ttf", "NotoSansArabic-Regular.ttf",
                                         "NotoSans-Regular.ttf"};

static const char HEBREW[] =
    "שלום עולם. זהו משפט ארוך בעברית שצריך להישבר לכמה שורות, כדי לבדוק את הסדר החזותי של "
    "המילים בשורה ואת היישור של השורות כולן.";
static const char ARABIC[] =
    "مرحبا بالعالم. هذه جملة طويلة باللغة العربية يجب أن تنكسر إلى عدة أسطر لاختبار الترتيب "
    "المرئي للكلمات في كل سطر من الفقرة.";
static const char MIXED[] = "ביום 12 במאי 1917 נאם John Smith בפני 3000 פועלים בעיר.";

typedef struct fixture {
    char dir[64];
    pm_fonts *fonts;
    pm_spec *spec;
    pm_setter *set;
    pm_arena *arena;
    pm_font_spec font;
} fixture;

/* One fonts set-up for all the tests: each would leave fontconfig a configuration. */
static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "/tmp/pm-bidi-XXXXXX");
    if (!mkdtemp(f->dir)) return -1;
    for (size_t i = 0; i < sizeof font_files / sizeof *font_files; i++) {
        char from[256], to[256];
        snprintf(from, sizeof from, NOTO "%s", font_files[i]);
        snprintf(to, sizeof to, "%s/%s", f->dir, font_files[i]);
        if (access(from, R_OK)) {
            fprintf(stderr, "test_bidi: %s is missing (install fonts-noto-core)\n", from);
            return -1;
        }
        if (symlink(from, to)) return -1;
    }
    if (pm_fonts_new(f->dir, &f->fonts)) return -1;
    f->spec = pm_spec_new_default();
    f->set = pm_setter_new(f->fonts, f->spec, NULL, "test.md");
    f->arena = pm_arena_new_sized(65536);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    pm_arena_drop(f->arena);
    pm_setter_drop(f->set);
    pm_spec_drop(f->spec);
    pm_fonts_drop(f->fonts);
    for (size_t i = 0; i < sizeof font_files / sizeof *font_files; i++) {
        char to[256];
        snprintf(to, sizeof to, "%s/%s", f->dir, font_files[i]);
        unlink(to);
    }
    rmdir(f->dir);
    free(f);
    return 0;
}

/* Set text in family at 12 pt. */
static pm_para set(fixture *f, const char *text, const char *family, pm_dir dir, pm_align align, double width,
                   double indent)
{
    memset(&f->font, 0, sizeof f->font);
    f->font.family = family;
    f->font.size = (pm_len){PM_LEN_PT, 12};
    f->font.leading = (pm_len){PM_LEN_PT, 16};
    f->font.weight = 400;
    static pm_text t; /* the lines refer to it while the test looks at them */
    memset(&t, 0, sizeof t);
    t.utf8 = text;
    t.len = (uint32_t)strlen(text);
    pm_para_style st = {.font = &f->font, .align = align, .width = width, .indent = indent, .dir = dir};
    pm_para p;
    pm_para_set(f->set, &t, &st, f->arena, &p);
    return p;
}

/* ---- a line's clusters in visual order ---- */

typedef struct vcl {
    double x;           /* of its first glyph */
    char text[16];
} vcl;

static int by_x(const void *a, const void *b)
{
    double d = ((const vcl *)a)->x - ((const vcl *)b)->x;
    return d < 0 ? -1 : d > 0;
}

/* The clusters of a line that have glyphs, sorted left to right; returns how many. */
static int clusters(const pm_line *l, vcl *out, int max)
{
    int n = 0;
    for (int r = 0; r < l->nruns; r++) {
        const pm_run *run = &l->runs[r];
        int g = 0, b = 0;
        for (int c = 0; c < run->nclusters; c++) {
            const pm_cluster *cl = &run->clusters[c];
            if (cl->num_glyphs > 0) {
                assert_true(n < max);
                assert_true(cl->num_bytes < (int)sizeof out[n].text);
                out[n].x = run->glyphs[g].x;
                memcpy(out[n].text, run->utf8 + b, (size_t)cl->num_bytes);
                out[n].text[cl->num_bytes] = 0;
                n++;
            }
            g += cl->num_glyphs;
            b += cl->num_bytes;
        }
    }
    qsort(out, (size_t)n, sizeof *out, by_x);
    return n;
}

/* The line's text read from its right end to its left (or left to right). */
static void read_line(const pm_line *l, int right_to_left, char *buf, size_t size)
{
    vcl cl[512];
    int n = clusters(l, cl, 512);
    buf[0] = 0;
    for (int i = 0; i < n; i++) {
        const vcl *c = &cl[right_to_left ? n - 1 - i : i];
        assert_true(strlen(buf) + strlen(c->text) < size);
        strcat(buf, c->text);
    }
}

/* Left and right end of what a line draws. */
static void extent(const pm_line *l, double *x0, double *x1)
{
    *x0 = HUGE_VAL;
    *x1 = -HUGE_VAL;
    for (int r = 0; r < l->nruns; r++) {
        *x0 = fmin(*x0, l->runs[r].x0);
        *x1 = fmax(*x1, l->runs[r].x1);
        for (int g = 0; g < l->runs[r].nglyphs; g++) {
            assert_true(l->runs[r].glyphs[g].x >= l->runs[r].x0 - EPS);
            assert_true(l->runs[r].glyphs[g].x <= l->runs[r].x1 + EPS);
        }
    }
}

/* ---- tests ---- */

static void order_is(const unsigned char *levels, int n, const int *want)
{
    int got[16];
    pm_bidi_order(levels, n, got);
    for (int i = 0; i < n; i++) assert_int_equal(got[i], want[i]);
}

static void test_order(void **state)
{
    (void)state;
    order_is((const unsigned char[]){0, 0, 0}, 3, (const int[]){0, 1, 2});
    /* a right-to-left phrase in left-to-right text: only it turns round */
    order_is((const unsigned char[]){0, 1, 1, 0}, 4, (const int[]){0, 2, 1, 3});
    /* Hebrew, a number, Hebrew in a right-to-left paragraph */
    order_is((const unsigned char[]){1, 2, 1}, 3, (const int[]){2, 1, 0});
    /* two left-to-right pieces in a row keep their order among themselves */
    order_is((const unsigned char[]){1, 2, 2, 1}, 4, (const int[]){3, 1, 2, 0});
    /* a number (2) inside a right-to-left phrase (1) in left-to-right text (0) */
    order_is((const unsigned char[]){0, 1, 2, 1, 0}, 5, (const int[]){0, 3, 2, 1, 4});
}

/* A paragraph breaks into several lines, each read from right to left gives its logical
 * text, and together they are the paragraph. */
static void check_rtl_paragraph(fixture *f, const char *text, const char *family)
{
    const double measure = 180;
    pm_para p = set(f, text, family, PM_DIR_RTL, PM_ALIGN_JUSTIFY, measure, 0);
    assert_true(p.nlines >= 3);
    char all[2048] = "";
    for (int i = 0; i < p.nlines; i++) {
        const pm_line *l = &p.lines[i];
        assert_int_equal(l->dir, PM_DIR_RTL);
        assert_false(l->overfull);
        double x0, x1;
        extent(l, &x0, &x1);
        assert_true(x0 >= -l->hang_left - EPS);
        assert_true(x1 <= measure + l->hang_right + EPS);
        char buf[1024];
        read_line(l, 1, buf, sizeof buf);
        if (i) strcat(all, " ");
        strcat(all, buf);
    }
    assert_string_equal(all, text);
}

static void test_hebrew(void **state)
{
    check_rtl_paragraph(*state, HEBREW, "Noto Sans Hebrew");
}

static void test_arabic(void **state)
{
    check_rtl_paragraph(*state, ARABIC, "Noto Sans Arabic");
}

/* The first logical character is the right-most glyph of a right-to-left line. */
static void test_first_character_rightmost(void **state)
{
    fixture *f = *state;
    pm_para p = set(f, HEBREW, "Noto Sans Hebrew", PM_DIR_RTL, PM_ALIGN_JUSTIFY, 180, 0);
    vcl cl[256];
    int n = clusters(&p.lines[0], cl, 256);
    assert_true(n > 2);
    assert_string_equal(cl[n - 1].text, "ש");  /* שלום */
    assert_string_equal(cl[n - 2].text, "ל");
}

/* x of the first cluster of needle in a line's left-to-right clusters, or NAN. */
static double find(const pm_line *l, const char *needle)
{
    vcl cl[256];
    int n = clusters(l, cl, 256);
    for (int i = 0; i < n; i++) {
        char buf[256] = "";
        for (int j = i; j < n && strlen(buf) < strlen(needle); j++) strcat(buf, cl[j].text);
        if (!strcmp(buf, needle)) return cl[i].x;
    }
    return NAN;
}

/* A Hebrew line with an English name and numbers: they read left to right inside it;
 * the Hebrew words right to left ("םאנ" is נאם as it stands from left to right). */
static void test_mixed_line(void **state)
{
    fixture *f = *state;
    pm_para p = set(f, MIXED, "Noto Sans Hebrew", PM_DIR_RTL, PM_ALIGN_JUSTIFY, 1000, 0);
    assert_int_equal(p.nlines, 1);
    const pm_line *l = &p.lines[0];
    char buf[512];
    read_line(l, 0, buf, sizeof buf);
    assert_string_equal(buf, ".ריעב םילעופ 3000 ינפב John Smith םאנ 1917 יאמב 12 םויב");
    double name = find(l, "John Smith"), said = find(l, "םאנ"), year = find(l, "1917");
    double before = find(l, "ינפב"), day = find(l, "12"), first = find(l, "םויב");
    assert_false(isnan(name) || isnan(said) || isnan(year) || isnan(before) || isnan(day) || isnan(first));
    assert_true(before < name && name < said && said < year && year < day && day < first);
    /* the last line of a paragraph starts at the right */
    double x0, x1;
    extent(l, &x0, &x1);
    assert_true(fabs(x1 - 1000) < EPS);
    assert_true(fabs(l->width - 1000) < EPS);
}

/* A justified right-to-left line is exactly the measure wide; the first line's indent is
 * on the right (and in its width, which reaches the right edge); the last line, ragged,
 * starts at the right too. */
static void test_justified(void **state)
{
    fixture *f = *state;
    const double measure = 180, indent = 12;
    pm_para p = set(f, HEBREW, "Noto Sans Hebrew", PM_DIR_RTL, PM_ALIGN_JUSTIFY, measure, indent);
    assert_true(p.nlines >= 3);
    for (int i = 0; i < p.nlines; i++) {
        const pm_line *l = &p.lines[i];
        double x0, x1;
        extent(l, &x0, &x1);
        double right = (i == 0 ? measure - indent : measure) + l->hang_right;
        assert_true(fabs(x1 - right) < EPS);
        /* its width reaches the right edge, where it starts (the indent is in it, as a
           left-to-right first line's is) */
        assert_true(fabs(l->width - fmax(measure, right)) < EPS);
        if (i + 1 < p.nlines) {
            assert_true(l->ratio != 0);
            assert_true(fabs(x0 + l->hang_left) < EPS);
        } else {
            assert_true(x0 > 10); /* ragged, on the left */
        }
    }
}

/* Ragged right-to-left text: start (the default of headings) is the right; left, center
 * and right mean what they say. */
static void test_ragged(void **state)
{
    fixture *f = *state;
    const double measure = 180;
    const pm_align aligns[] = {PM_ALIGN_START, PM_ALIGN_RIGHT, PM_ALIGN_LEFT, PM_ALIGN_END, PM_ALIGN_CENTER};
    for (size_t a = 0; a < sizeof aligns / sizeof *aligns; a++) {
        pm_para p = set(f, HEBREW, "Noto Sans Hebrew", PM_DIR_RTL, aligns[a], measure, 0);
        assert_true(p.nlines >= 3);
        for (int i = 0; i < p.nlines; i++) {
            double x0, x1;
            extent(&p.lines[i], &x0, &x1);
            assert_true(x1 - x0 < measure - 1); /* ragged: none is stretched to the full measure */
            if (aligns[a] == PM_ALIGN_START || aligns[a] == PM_ALIGN_RIGHT) assert_true(fabs(x1 - measure) < EPS);
            else if (aligns[a] == PM_ALIGN_CENTER) assert_true(fabs(x0 - (measure - x1)) < EPS);
            else assert_true(fabs(x0) < EPS);
        }
    }
    /* in left-to-right text start is the left */
    pm_para p = set(f, "A line of text that is long enough to be broken into some lines here.", "Noto Sans",
                    PM_DIR_LTR, PM_ALIGN_START, 120, 0);
    assert_true(p.nlines >= 2);
    for (int i = 0; i < p.nlines; i++) assert_true(fabs(p.lines[i].runs[0].x0) < EPS);
}

/* Margin kerning, mirrored: the full stop that ends a right-to-left line hangs into the
 * left margin. */
static void test_hang(void **state)
{
    fixture *f = *state;
    const char *text = "אני כאן. הוא שם. היא פה. הם באו. הן הלכו. אנחנו נשארנו. אתם ראיתם. אתן שמעתן. "
                       "כולם ידעו. איש לא אמר. הכל נגמר. ומה עכשיו. נחכה ונראה.";
    int found = 0;
    for (double measure = 90; measure <= 200; measure += 5) {
        pm_para p = set(f, text, "Noto Sans Hebrew", PM_DIR_RTL, PM_ALIGN_JUSTIFY, measure, 0);
        for (int i = 0; i + 1 < p.nlines; i++) {
            const pm_line *l = &p.lines[i];
            vcl cl[256];
            int n = clusters(l, cl, 256);
            double x0, x1;
            extent(l, &x0, &x1);
            assert_true(fabs(x1 - measure - l->hang_right) < EPS);
            if (strcmp(cl[0].text, ".")) {
                assert_true(l->hang_left == 0);
                continue;
            }
            assert_true(n > 1);
            found++;
            assert_true(l->hang_left > 0.5);      /* 70 % of the full stop's width */
            assert_true(l->hang_right == 0);
            assert_true(fabs(cl[0].x + l->hang_left) < 0.5); /* the stop is in the margin */
            assert_true(fabs(x0 + l->hang_left) < EPS);
        }
    }
    assert_true(found >= 3);
    /* ragged text does not hang */
    pm_para p = set(f, text, "Noto Sans Hebrew", PM_DIR_RTL, PM_ALIGN_START, 120, 0);
    for (int i = 0; i < p.nlines; i++) assert_true(p.lines[i].hang_left == 0 && p.lines[i].hang_right == 0);
}

/* A Hebrew phrase in a left-to-right paragraph reads right to left in place, a number in
 * it left to right. */
static void test_rtl_in_ltr(void **state)
{
    fixture *f = *state;
    pm_para p = set(f, "Say שלום 2024 עולם to them.", "Noto Sans", PM_DIR_LTR, PM_ALIGN_LEFT, 1000, 0);
    assert_int_equal(p.nlines, 1);
    char buf[256];
    read_line(&p.lines[0], 0, buf, sizeof buf);
    assert_string_equal(buf, "Say םלוע 2024 םולש to them.");
    assert_int_equal(p.lines[0].dir, PM_DIR_LTR);
}

/* Lines ending at a soft hyphen inside an English word among Hebrew ones, in either
 * direction: the hyphen shows at the word's end, in the room the line breaker kept for
 * it, overlapping nothing. */
static void test_hyphen(void **state)
{
    fixture *f = *state;
    /* \u00AD: a soft hyphen */
    const char *text = "ביום ההוא באו extra\u00ADordinary revo\u00ADlution\u00ADary workers מכל העיר "
                       "והקשיבו ל\u00ADcomrades שלהם, ואז inter\u00ADnational soli\u00ADdarity הגיעה.";
    int found[2] = {0, 0}, found_he = 0;
    for (int d = 0; d < 2; d++)
        for (double measure = 60; measure <= 200; measure += 4) {
            pm_para p = set(f, text, "Noto Sans Hebrew", d ? PM_DIR_RTL : PM_DIR_LTR, PM_ALIGN_JUSTIFY, measure, 0);
            for (int i = 0; i + 1 < p.nlines; i++) {
                const pm_line *l = &p.lines[i];
                if (!l->hyphenated || l->overfull) continue;
                found[d]++;
                double x0, x1;
                extent(l, &x0, &x1);
                assert_true(x0 >= -l->hang_left - EPS && x1 <= measure + l->hang_right + EPS);
                vcl cl[256];
                int n = clusters(l, cl, 256);
                int hy = -1;
                for (int k = 0; k < n; k++)
                    if (!strcmp(cl[k].text, "\xC2\xAD")) hy = k;
                assert_true(hy >= 0);
                for (int k = 1; k < n; k++) assert_true(cl[k].x - cl[k - 1].x > 1.0);
                /* next to the letter before it: on the right of a Latin one, on the left
                   of the Hebrew lamed in "ל\u00ADcomrades" */
                if (hy > 0 && (unsigned char)cl[hy - 1].text[0] < 0x80) continue;
                assert_true(hy + 1 < n);
                assert_string_equal(cl[hy + 1].text, "ל");
                found_he++;
            }
        }
    assert_true(found[0] >= 2);
    assert_true(found[1] >= 2);
    assert_true(found_he >= 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_order),
        cmocka_unit_test(test_hebrew),
        cmocka_unit_test(test_arabic),
        cmocka_unit_test(test_first_character_rightmost),
        cmocka_unit_test(test_mixed_line),
        cmocka_unit_test(test_justified),
        cmocka_unit_test(test_ragged),
        cmocka_unit_test(test_hang),
        cmocka_unit_test(test_rtl_in_ltr),
        cmocka_unit_test(test_hyphen),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
