/* test_hyph.c - hyphenation points from libhyphen, and the cache of words kept between
 * runs: the same points with and without it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/diag.h"
#include "text/hyph.h"

static const char *words[] = {"revolution", "hyphenation", "consciously", "organize", "peasants",
                              "government", "международный", "workers’", "table"};

static int points(pm_hyph *h, const char *w, uint32_t *out)
{
    return pm_hyph_word(h, w, strlen(w), out, 32);
}

static void test_points(void **st)
{
    (void)st;
    pm_hyph *h = pm_hyph_load("en-US", "t.md", 1);
    assert_non_null(h);
    uint32_t p[32];
    int n = points(h, "hyphenation", p);
    /* hy-phen-ation: after "hy" (2) and "hyphen" (6); never closer than 2 / 3 to the ends */
    assert_true(n >= 2);
    assert_int_equal(p[0], 2);
    assert_int_equal(p[1], 6);
    for (int i = 0; i < n; i++) assert_true(p[i] >= 2 && p[i] <= strlen("hyphenation") - 3);
    assert_int_equal(points(h, "the", p), 0);  /* too short */
    n = points(h, "Revolution", p);            /* patterns are lowercase: case does not matter */
    uint32_t q[32];
    assert_int_equal(points(h, "revolution", q), n);
    assert_memory_equal(p, q, (size_t)n * sizeof *p);
    pm_hyph_drop(h);
}

static void test_cache_gives_the_same(void **st)
{
    (void)st;
    char dir[] = "/tmp/pm-hyph-XXXXXX";
    assert_non_null(mkdtemp(dir));
    setenv("XDG_CACHE_HOME", dir, 1);
    uint32_t first[9][32], again[9][32];
    int nfirst[9], nagain[9];
    pm_hyph *h = pm_hyph_load("en-US", "t.md", 1);
    for (int i = 0; i < 9; i++) nfirst[i] = points(h, words[i], first[i]);
    pm_hyph_drop(h); /* writes the words */
    char cmd[256];
    snprintf(cmd, sizeof cmd, "grep -q '^revolution\t' %s/pamphlet/hyph2-*.sorted", dir);
    assert_int_equal(system(cmd), 0);
    h = pm_hyph_load("en-US", "t.md", 1); /* finds them in the file */
    for (int i = 0; i < 9; i++) {
        nagain[i] = points(h, words[i], again[i]);
        assert_int_equal(nagain[i], nfirst[i]);
        assert_memory_equal(again[i], first[i], (size_t)nfirst[i] * sizeof(uint32_t));
    }
    uint32_t q[32];
    assert_true(points(h, "abolition", q) > 0); /* a new word: the file is written again */
    pm_hyph_drop(h);
    /* old and new words, in byte order (lookups are binary searches), each once */
    snprintf(cmd, sizeof cmd, "f=$(ls %s/pamphlet/hyph2-*.sorted) && LC_ALL=C sort -c -u \"$f\" && "
             "grep -q '^abolition\t' \"$f\" && grep -q '^revolution\t' \"$f\" && test $(wc -l < \"$f\") = 10",
             dir);
    assert_int_equal(system(cmd), 0);
    /* out of order, the file makes lookups miss, never give wrong points */
    snprintf(cmd, sizeof cmd, "f=$(ls %s/pamphlet/hyph2-*.sorted) && sort -r \"$f\" > \"$f.r\" && mv \"$f.r\" \"$f\"", dir);
    assert_int_equal(system(cmd), 0);
    h = pm_hyph_load("en-US", "t.md", 1);
    for (int i = 0; i < 9; i++) {
        nagain[i] = points(h, words[i], again[i]);
        assert_int_equal(nagain[i], nfirst[i]);
        assert_memory_equal(again[i], first[i], (size_t)nfirst[i] * sizeof(uint32_t));
    }
    pm_hyph_drop(h);
    /* a damaged cache file is not trusted beyond the word it is about */
    snprintf(cmd, sizeof cmd, "for f in %s/pamphlet/hyph2-*.sorted; do printf 'broken\\nrevolution\\t99,abc\\n' > \"$f\"; done",
             dir);
    assert_int_equal(system(cmd), 0);
    h = pm_hyph_load("en-US", "t.md", 1);
    uint32_t p[32];
    int n = points(h, "revolution", p);
    for (int i = 0; i < n; i++) assert_true(p[i] < strlen("revolution"));
    for (int i = 0; i < 9; i++)
        if (!strcmp(words[i], "revolution")) {
            assert_int_equal(n, nfirst[i]); /* the damaged line was not used */
            assert_memory_equal(p, first[i], (size_t)n * sizeof(uint32_t));
        }
    pm_hyph_drop(h);
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    assert_int_equal(system(cmd), 0);
}

static void test_unknown_language(void **st)
{
    (void)st;
    pm_diag_quiet(1);
    assert_null(pm_hyph_load("xx-YY", "t.md", 3));
    pm_diag_quiet(0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_points),
        cmocka_unit_test(test_cache_gives_the_same),
        cmocka_unit_test(test_unknown_language),
    };
    return cmocka_run_group_tests_name("hyphenation", tests, NULL, NULL);
}
