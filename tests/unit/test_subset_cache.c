/* test_subset_cache.c - font subsets kept between runs (src/output/subset_cache.c): the
 * key changes with everything the program depends on (the font file's path, face,
 * modification time, what is known of its bytes, the glyph set, CFF or not) and with
 * nothing else; a program reads back as written; a file cut short or changed reads as
 * none; the folder keeps at most 256. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "output/subset_cache.h"

static char dir[256], font[300];

static int setup(void **st)
{
    (void)st;
    snprintf(dir, sizeof dir, "%s/pm-subsets-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    assert_non_null(mkdtemp(dir));
    snprintf(font, sizeof font, "%s/font.otf", dir);
    FILE *f = fopen(font, "wb");
    assert_non_null(f);
    fputs("not really a font", f);
    fclose(f);
    return 0;
}

static int teardown(void **st)
{
    (void)st;
    DIR *d = opendir(dir);
    char p[600];
    for (struct dirent *e; d && (e = readdir(d));)
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
            snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
            unlink(p);
        }
    if (d) closedir(d);
    rmdir(dir);
    return 0;
}

static int nfiles(void)
{
    DIR *d = opendir(dir);
    int n = 0;
    for (struct dirent *e; d && (e = readdir(d));) n += strlen(e->d_name) == 32;
    if (d) closedir(d);
    return n;
}

static void test_key(void **st)
{
    (void)st;
    unsigned char used[8] = {1, 0, 1, 1, 0, 0, 0, 1}, other[8] = {1, 0, 1, 1, 0, 0, 1, 1};
    pm_subset_key a, b;
    assert_int_equal(pm_subset_key_of(font, 0, 42, 1, used, 8, &a), 1);
    assert_int_equal(pm_subset_key_of(font, 0, 42, 1, used, 8, &b), 1);
    assert_memory_equal(a.d, b.d, 16); /* the same again */
    assert_int_equal(pm_subset_key_of(font, 0, 42, 1, other, 8, &b), 1);
    assert_memory_not_equal(a.d, b.d, 16); /* another glyph */
    assert_int_equal(pm_subset_key_of(font, 1, 42, 1, used, 8, &b), 1);
    assert_memory_not_equal(a.d, b.d, 16); /* another face of the file */
    assert_int_equal(pm_subset_key_of(font, 0, 43, 1, used, 8, &b), 1);
    assert_memory_not_equal(a.d, b.d, 16); /* other bytes */
    assert_int_equal(pm_subset_key_of(font, 0, 42, 0, used, 8, &b), 1);
    assert_memory_not_equal(a.d, b.d, 16); /* TrueType rather than CFF */
    struct timespec t[2] = {{1000000000, 0}, {1000000000, 0}};
    assert_int_equal(utimensat(AT_FDCWD, font, t, 0), 0);
    assert_int_equal(pm_subset_key_of(font, 0, 42, 1, used, 8, &b), 1);
    assert_memory_not_equal(a.d, b.d, 16); /* the file replaced (another modification time) */
    char missing[400];
    snprintf(missing, sizeof missing, "%s/none.otf", dir);
    assert_int_equal(pm_subset_key_of(missing, 0, 42, 1, used, 8, &b), 0);
    assert_int_equal(pm_subset_key_of(NULL, 0, 42, 1, used, 8, &b), 0);
}

static void test_store_load(void **st)
{
    (void)st;
    unsigned char used[4] = {1, 1, 0, 1};
    pm_subset_key k;
    assert_int_equal(pm_subset_key_of(font, 0, 7, 1, used, 4, &k), 1);
    size_t nz = 0, raw = 0;
    assert_null(pm_subset_load(dir, &k, &nz, &raw)); /* none yet */
    static const unsigned char z[] = "a compressed program, or so";
    pm_subset_store(dir, &k, z, sizeof z, 1234);
    unsigned char *got = pm_subset_load(dir, &k, &nz, &raw);
    assert_non_null(got);
    assert_int_equal(nz, sizeof z);
    assert_int_equal(raw, 1234);
    assert_memory_equal(got, z, sizeof z);
    free(got);
    assert_int_equal(nfiles(), 1); /* (no temporary left) */

    /* a byte changed: not read */
    char path[600];
    DIR *d = opendir(dir);
    for (struct dirent *e; (e = readdir(d));)
        if (strlen(e->d_name) == 32) snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
    closedir(d);
    int fd = open(path, O_RDWR);
    assert_true(fd >= 0);
    assert_int_equal(pwrite(fd, "X", 1, 40), 1);
    close(fd);
    assert_null(pm_subset_load(dir, &k, &nz, &raw));
    /* cut short: not read */
    pm_subset_store(dir, &k, z, sizeof z, 1234);
    assert_non_null(got = pm_subset_load(dir, &k, &nz, &raw));
    free(got);
    assert_int_equal(truncate(path, 30), 0);
    assert_null(pm_subset_load(dir, &k, &nz, &raw));
}

static void test_prune(void **st)
{
    (void)st;
    unsigned char used[2] = {0, 0};
    for (int i = 0; i < 260; i++) {
        used[0] = (unsigned char)i;
        used[1] = (unsigned char)(i >> 8);
        pm_subset_key k;
        assert_int_equal(pm_subset_key_of(font, 0, 1, 1, used, 2, &k), 1);
        pm_subset_store(dir, &k, used, 2, 2);
    }
    assert_int_equal(nfiles(), 256);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_key, setup, teardown),
        cmocka_unit_test_setup_teardown(test_store_load, setup, teardown),
        cmocka_unit_test_setup_teardown(test_prune, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
