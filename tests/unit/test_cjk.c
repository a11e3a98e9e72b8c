/* test_cjk.c - unit tests of Chinese and Japanese line breaking (items.c): breaks
 * between characters, kinsoku (no line starts with closing punctuation or a small kana,
 * none ends with an opening bracket), justification by the spacing between characters,
 * no hyphenation. Set with Droid Sans Fallback (Debian's fonts-droid-fallback), linked
 * into a scratch fonts folder. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <glib.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/arena.h"
#include "input/spec.h"
#include "text/fonts.h"
#include "text/hyph.h"
#include "text/paragraph.h"

#define FONT "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"
#define EPS 1e-6

static const char CHINESE[] =
    "我们的小册子是为工会、租户团体、教会和杂志制作者准备的。他们在每次编辑后重新生成，并在办公室复印机上"
    "打印。「排版」很重要，因为读者需要清楚地阅读文字（无论是哪一种语言）。";
static const char JAPANESE[] =
    "私たちのパンフレットは、労働組合や教会のために作られています。「ちょっと待って」と彼は言った。"
    "ファイルを編集するたびに、もう一度作り直します。キャッシュはショートカットです。（注意してください）";

/* No line may start with these, nor end with the opening ones. */
static const char NO_START[] = "、。，．：；？！）」』】〉》ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶー々";
static const char NO_END[] = "（「『【〈《";

typedef struct fixture {
    char dir[64], link[128];
    pm_fonts *fonts;
    pm_spec *spec;
    pm_hyph *hyph;
    pm_setter *set, *set_hyph;
    pm_arena *arena;
    pm_font_spec font;
    pm_text text;
} fixture;

/* One fonts set-up for all the tests (each would leave fontconfig a configuration). */
static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "/tmp/pm-cjk-XXXXXX");
    if (!mkdtemp(f->dir)) return -1;
    if (access(FONT, R_OK)) {
        fprintf(stderr, "test_cjk: %s is missing (install fonts-droid-fallback)\n", FONT);
        return -1;
    }
    snprintf(f->link, sizeof f->link, "%s/DroidSansFallbackFull.ttf", f->dir);
    if (symlink(FONT, f->link) || pm_fonts_new(f->dir, &f->fonts)) return -1;
    f->spec = pm_spec_new_default();
    f->hyph = pm_hyph_load("en-US", "test.md", 1);
    if (!f->hyph) return -1;
    f->set = pm_setter_new(f->fonts, f->spec, NULL, "test.md");
    f->set_hyph = pm_setter_new(f->fonts, f->spec, f->hyph, "test.md");
    f->arena = pm_arena_new_sized(65536);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    pm_arena_drop(f->arena);
    pm_setter_drop(f->set);
    pm_setter_drop(f->set_hyph);
    pm_hyph_drop(f->hyph);
    pm_spec_drop(f->spec);
    pm_fonts_drop(f->fonts);
    unlink(f->link);
    rmdir(f->dir);
    free(f);
    return 0;
}

static pm_para set(fixture *f, pm_setter *s, const char *text, pm_align align, double width, int hyphenate)
{
    memset(&f->font, 0, sizeof f->font);
    f->font.family = "Droid Sans Fallback";
    f->font.size = (pm_len){PM_LEN_PT, 12};
    f->font.leading = (pm_len){PM_LEN_PT, 16};
    f->font.weight = 400;
    memset(&f->text, 0, sizeof f->text);
    f->text.utf8 = text;
    f->text.len = (uint32_t)strlen(text);
    pm_para_style st = {.font = &f->font, .align = align, .width = width, .hyphenate = hyphenate};
    pm_para p;
    pm_para_set(s, &f->text, &st, f->arena, &p);
    return p;
}

/* A line's text (runs and clusters in order: left to right here) and its extent. */
static void line_text(const pm_line *l, char *buf, size_t size, double *x0, double *x1)
{
    buf[0] = 0;
    *x0 = HUGE_VAL;
    *x1 = -HUGE_VAL;
    for (int r = 0; r < l->nruns; r++) {
        const pm_run *run = &l->runs[r];
        assert_true(strlen(buf) + (size_t)run->nbytes < size);
        strncat(buf, run->utf8, (size_t)run->nbytes);
        *x0 = fmin(*x0, run->x0);
        *x1 = fmax(*x1, run->x1);
    }
}

static int in_set(const char *set, gunichar c)
{
    for (const char *q = set; *q; q = g_utf8_next_char(q))
        if (g_utf8_get_char(q) == c) return 1;
    return 0;
}

/* Every line within the measure, kinsoku kept, no character lost; returns the line count. */
static int check_lines(const pm_para *p, const char *text, double measure, int justified)
{
    char all[4096] = "";
    for (int i = 0; i < p->nlines; i++) {
        const pm_line *l = &p->lines[i];
        char buf[1024];
        double x0, x1;
        line_text(l, buf, sizeof buf, &x0, &x1);
        assert_true(buf[0]);
        assert_false(l->hyphenated);
        assert_true(x0 >= -EPS && x1 <= measure + EPS);
        if (justified && i + 1 < p->nlines) assert_true(fabs(x1 - measure) < EPS); /* the full measure */
        if (i > 0 && in_set(NO_START, g_utf8_get_char(buf))) fail_msg("line %d starts with a closing mark: %s", i, buf);
        if (i + 1 < p->nlines && in_set(NO_END, g_utf8_get_char(g_utf8_prev_char(buf + strlen(buf)))))
            fail_msg("line %d ends with an opening bracket: %s", i, buf);
        strcat(all, buf);
    }
    assert_string_equal(all, text); /* no spaces to drop: every character is on a line */
    return p->nlines;
}

static void test_chinese_justified(void **state)
{
    fixture *f = *state;
    pm_para p = set(f, f->set, CHINESE, PM_ALIGN_JUSTIFY, 200, 0);
    assert_true(check_lines(&p, CHINESE, 200, 1) >= 4);
    for (int i = 0; i + 1 < p.nlines; i++) assert_true(p.lines[i].ratio > 0); /* spacing stretched */
}

/* Many measures, so that many line ends fall next to brackets, stops and small kana. */
static void test_kinsoku(void **state)
{
    fixture *f = *state;
    int lines = 0;
    for (double w = 80; w <= 320; w += 3) {
        pm_para p = set(f, f->set, JAPANESE, PM_ALIGN_JUSTIFY, w, 0);
        lines += check_lines(&p, JAPANESE, w, 1);
        p = set(f, f->set, CHINESE, PM_ALIGN_JUSTIFY, w, 0);
        lines += check_lines(&p, CHINESE, w, 1);
    }
    assert_true(lines > 500);
}

static void test_ragged(void **state)
{
    fixture *f = *state;
    for (double w = 100; w <= 250; w += 10) {
        pm_para p = set(f, f->set, JAPANESE, PM_ALIGN_LEFT, w, 0);
        assert_true(check_lines(&p, JAPANESE, w, 0) >= 3);
        for (int i = 0; i < p.nlines; i++) assert_true(p.lines[i].ratio == 0);
    }
}

/* Hyphenation asked for: Chinese and Japanese get none, an English word among them does. */
static void test_no_hyphenation(void **state)
{
    fixture *f = *state;
    for (double w = 80; w <= 200; w += 6) {
        pm_para p = set(f, f->set_hyph, JAPANESE, PM_ALIGN_JUSTIFY, w, 1);
        check_lines(&p, JAPANESE, w, 1);
    }
    static const char mixed[] = "这是一个很长的英文单词：internationalization，它出现在中文句子中间。";
    int hyphenated = 0;
    for (double w = 60; w <= 200; w += 2) {
        pm_para p = set(f, f->set_hyph, mixed, PM_ALIGN_JUSTIFY, w, 1);
        for (int i = 0; i < p.nlines; i++) {
            if (!p.lines[i].hyphenated) continue;
            hyphenated++;
            char buf[1024];
            double x0, x1;
            line_text(&p.lines[i], buf, sizeof buf, &x0, &x1);
            /* ends in letters of the English word and the soft hyphen standing for the hyphen */
            size_t n = strlen(buf);
            assert_true(n > 3 && !strcmp(buf + n - 2, "\xC2\xAD") && g_ascii_isalpha(buf[n - 3]));
        }
    }
    assert_true(hyphenated > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_chinese_justified),
        cmocka_unit_test(test_kinsoku),
        cmocka_unit_test(test_ragged),
        cmocka_unit_test(test_no_hyphenation),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
