/* test_finish.c - the finishing pass's content rewriting (output/finish.h): neutral RGB
 * to DeviceGray, cmyk() colours to DeviceCMYK, everything else byte for byte. The pass
 * over whole PDFs is checked end to end (tests/e2e/test_print.sh). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "output/finish.h"

static int rewritten;

/* The rewrite of s as a new string. */
static char *recolour(const char *s, const pm_finish *f)
{
    pm_bytes out = {0};
    rewritten = pm_finish_recolour((const unsigned char *)s, strlen(s), f, &out);
    char *r = malloc(out.n + 1);
    memcpy(r, out.p, out.n);
    r[out.n] = 0;
    free(out.p);
    return r;
}

static void expect(const char *in, const char *want, int nrew, const pm_finish *f)
{
    static const pm_finish none = {0};
    char *got = recolour(in, f ? f : &none);
    if (strcmp(got, want)) fail_msg("'%s' -> '%s', expected '%s'", in, got, want);
    assert_int_equal(rewritten, nrew);
    free(got);
}

static void test_neutral_to_gray(void **st)
{
    (void)st;
    expect("0 0 0 rg /a0 gs\nBT", "0 g /a0 gs\nBT", 1, NULL);
    expect("0.2 0.2 0.2 RG 1 w", "0.2 G 1 w", 1, NULL);
    expect("1 1 1 rg 0 0 m", "1 g 0 0 m", 1, NULL);
    /* within half a step of 8 bits is neutral; more is colour */
    expect(".5 .5 .501 rg", ".5 g", 1, NULL);
    expect("0.5 0.5 0.51 rg", "0.5 0.5 0.51 rg", 0, NULL);
    expect("1 0 0 rg 0 0 0 RG", "1 0 0 rg 0 G", 1, NULL);
    /* the operands must be exactly three numbers */
    expect("0 0 0 0 rg", "0 0 0 0 rg", 0, NULL);
    expect("0 0 rg", "0 0 rg", 0, NULL);
    expect("/x 0 0 rg", "/x 0 0 rg", 0, NULL);
    /* other operators and their operands untouched */
    expect("0 0 0 sc 0 0 0 scn 0 g", "0 0 0 sc 0 0 0 scn 0 g", 0, NULL);
}

static void test_only_operators_change(void **st)
{
    (void)st;
    /* strings, hex strings, names, comments, dictionaries as they are */
    expect("(0 0 0 rg) Tj", "(0 0 0 rg) Tj", 0, NULL);
    expect("(a \\) 0 0 0 rg (b)) Tj 0 0 0 rg", "(a \\) 0 0 0 rg (b)) Tj 0 g", 1, NULL);
    expect("<303020> Tj % 0 0 0 rg\n0 0 0 RG", "<303020> Tj % 0 0 0 rg\n0 G", 1, NULL);
    expect("/Span << /ActualText <feff0066> /N 0 >> BDC 0 0 0 rg EMC",
           "/Span << /ActualText <feff0066> /N 0 >> BDC 0 g EMC", 1, NULL);
    expect("[(a) -20 (b)] TJ", "[(a) -20 (b)] TJ", 0, NULL);
    /* inline image data passes through even when it looks like operators */
    const char img[] = "BI /W 2 /H 1 /BPC 8 /CS /RGB ID 0 0 0 rg\xff\x00 EI 0 0 0 rg";
    pm_bytes out = {0};
    int n = pm_finish_recolour((const unsigned char *)img, sizeof img - 1, &(pm_finish){0}, &out);
    const char want[] = "BI /W 2 /H 1 /BPC 8 /CS /RGB ID 0 0 0 rg\xff\x00 EI 0 g";
    assert_int_equal(n, 1);
    assert_int_equal(out.n, sizeof want - 1);
    assert_memory_equal(out.p, want, sizeof want - 1);
    free(out.p);
}

static void test_cmyk_colours(void **st)
{
    (void)st;
    pm_colour red = {.rgb = {0.8, 0, 0}, .cmyk = {0, 1, 1, 0.2}, .is_cmyk = 1};
    pm_colour k = {.rgb = {0, 0, 0}, .cmyk = {0.6, 0.4, 0.4, 1}, .is_cmyk = 1};
    pm_colour both[] = {red, k};
    pm_finish f = {.cmyk = both, .ncmyk = 2};
    expect("0.8 0 0 rg", "0 1 1 0.2 k", 1, &f);
    expect("0.8 0 0 RG", "0 1 1 0.2 K", 1, &f);
    expect("0.7 0 0 rg", "0.7 0 0 rg", 0, &f);
    /* a cmyk() colour whose RGB is neutral cannot be told from black: black ink only */
    expect("0 0 0 rg", "0 g", 1, &f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_neutral_to_gray),
        cmocka_unit_test(test_only_operators_change),
        cmocka_unit_test(test_cmyk_colours),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
