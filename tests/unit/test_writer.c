/* test_writer.c - the writers' life after end(): passes over the finished temporary file
 * (pm_outfile_pass), commit only when every pass of every writer succeeded, the previous
 * output untouched and no temporary left behind when one fails; bytes held in memory with
 * holes; the reading PDF's check pass. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/diag.h"
#include "base/digest.h"
#include "base/fileio.h"
#include "output/writer.h"
#include "output/finish.h"
#include "output/pdfcontent.h"

static char msgs[4096];
static char dir[256];

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
    snprintf(dir, sizeof dir, "%s/pm-writer-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    assert_non_null(mkdtemp(dir));
    return 0;
}

/* Folder path and what it holds (a temporary's folder left by a failed test within it). */
static void remove_tree(const char *path)
{
    DIR *d = opendir(path);
    char p[1024];
    for (struct dirent *e; d && (e = readdir(d));)
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
            snprintf(p, sizeof p, "%s/%s", path, e->d_name);
            if (unlink(p) < 0) remove_tree(p);
        }
    if (d) closedir(d);
    rmdir(path);
}

static int teardown(void **st)
{
    (void)st;
    remove_tree(dir);
    return 0;
}

static void put(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static char *slurp(const char *path)
{
    static char buf[4096];
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = 0;
    return buf;
}

/* files and folders in dir whose name holds ".tmp-" */
static int temporaries(void)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int n = 0;
    while (d && (e = readdir(d))) n += strstr(e->d_name, ".tmp-") != NULL;
    if (d) closedir(d);
    return n;
}

/* a rewriting pass: the file upper-cased, with a line added (ud counts its runs) */
static int upper(void *ud, const pm_outfile *in, const char *out, const char *dest)
{
    (void)dest;
    ++*(int *)ud;
    assert_int_not_equal(access(out, F_OK), 0); /* the pass makes its file (see make_temp) */
    char *text = in->mem ? strndup((const char *)in->mem, in->nmem) : strdup(slurp(in->tmp));
    for (char *p = text; *p; p++)
        if (*p >= 'a' && *p <= 'z') *p -= 32;
    FILE *f = fopen(out, "wb");
    if (!f) return PM_EIO;
    fprintf(f, "%sPASSED\n", text);
    free(text);
    return fclose(f) ? PM_EIO : PM_OK;
}

static int refuse(void *ud, const pm_outfile *in, const char *out, const char *dest)
{
    (void)in;
    ++*(int *)ud;
    put(out, "half a file"); /* a pass that fails midway leaves a partial file */
    pm_error(dest, 0, 0, "the pass failed");
    return PM_EIO;
}

static int keep(void *ud, const pm_outfile *in, const char *out, const char *dest)
{
    (void)in;
    (void)out;
    (void)dest;
    ++*(int *)ud;
    return PM_PASS_SAME;
}

/* An outfile written with "text", in dir/name. */
static void written(pm_outfile *o, const char *name, const char *text)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    assert_int_equal(pm_outfile_begin(o, path), PM_OK);
    assert_null(o->tmp); /* none made yet */
    const char *tmp = pm_outfile_tmp(o);
    assert_non_null(tmp);
    assert_ptr_equal(pm_outfile_tmp(o), tmp);
    assert_int_not_equal(access(tmp, F_OK), 0); /* the writer makes the file */
    put(tmp, text);
}

static void test_pass_rewrites_before_commit(void **st)
{
    (void)st;
    char dest[512];
    snprintf(dest, sizeof dest, "%s/out.pdf", dir);
    put(dest, "previous\n");
    chmod(dest, 0600);
    pm_outfile o;
    written(&o, "out.pdf", "new text\n");
    int runs = 0;
    pm_pass p = {"upper", upper, &runs};
    assert_int_equal(pm_outfile_pass(&o, &p), PM_OK);
    assert_int_equal(pm_outfile_pass(&o, &p), PM_OK); /* passes chain: the second reads the first's output */
    assert_int_equal(runs, 2);
    assert_string_equal(slurp(dest), "previous\n"); /* nothing in place before commit */
    assert_int_equal(temporaries(), 1);             /* the first temporaries are gone */
    assert_int_equal(pm_outfile_commit(&o), PM_OK);
    assert_string_equal(slurp(dest), "NEW TEXT\nPASSED\nPASSED\n");
    struct stat sb;
    assert_int_equal(stat(dest, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600); /* the destination's permissions kept */
    assert_int_equal(temporaries(), 0);
}

static void test_failed_pass_keeps_previous(void **st)
{
    (void)st;
    char dest[512];
    snprintf(dest, sizeof dest, "%s/out.pdf", dir);
    put(dest, "previous\n");
    pm_outfile o;
    written(&o, "out.pdf", "new\n");
    int runs = 0;
    pm_pass p = {"refuse", refuse, &runs};
    assert_int_equal(pm_outfile_pass(&o, &p), PM_EIO);
    assert_int_equal(runs, 1);
    assert_non_null(strstr(msgs, "out.pdf: error: the pass failed"));
    assert_null(o.tmp);
    assert_int_equal(pm_outfile_commit(&o), PM_EIO); /* nothing to commit */
    pm_outfile_abort(&o);                            /* and a second abort is harmless */
    assert_string_equal(slurp(dest), "previous\n");
    assert_int_equal(temporaries(), 0);
}

static void test_pass_same_keeps_file(void **st)
{
    (void)st;
    char dest[512];
    snprintf(dest, sizeof dest, "%s/out.pdf", dir);
    pm_outfile o;
    written(&o, "out.pdf", "as written\n");
    int runs = 0;
    pm_pass p = {"keep", keep, &runs};
    assert_int_equal(pm_outfile_pass(&o, &p), PM_OK);
    assert_int_equal(runs, 1);
    assert_int_equal(temporaries(), 1);
    assert_int_equal(pm_outfile_commit(&o), PM_OK);
    assert_string_equal(slurp(dest), "as written\n");
    assert_int_equal(temporaries(), 0);
}

/* A file held in memory: a pass that keeps it leaves it there and commit writes it out;
 * a pass that rewrites it reads the bytes, and its file is what commit puts in place. */
static void test_held_in_memory(void **st)
{
    (void)st;
    char dest[512];
    snprintf(dest, sizeof dest, "%s/out.pdf", dir);
    put(dest, "previous\n");
    static const char bytes[] = "from memory\n";
    pm_outfile o;
    written(&o, "out.pdf", "");
    pm_outfile_hold(&o, (const unsigned char *)bytes, strlen(bytes));
    int runs = 0;
    pm_pass k = {"keep", keep, &runs}, u = {"upper", upper, &runs};
    assert_int_equal(pm_outfile_pass(&o, &k), PM_OK);
    assert_ptr_equal(o.mem, bytes);
    assert_string_equal(slurp(dest), "previous\n");
    assert_int_equal(pm_outfile_commit(&o), PM_OK);
    assert_string_equal(slurp(dest), "from memory\n");
    written(&o, "out.pdf", "");
    pm_outfile_hold(&o, (const unsigned char *)bytes, strlen(bytes));
    assert_int_equal(pm_outfile_pass(&o, &u), PM_OK);
    assert_null(o.mem); /* the pass's file is the finished one */
    assert_int_equal(pm_outfile_commit(&o), PM_OK);
    assert_string_equal(slurp(dest), "FROM MEMORY\nPASSED\n");
    assert_int_equal(runs, 2);
    assert_int_equal(temporaries(), 0);
}

/* Held bytes with holes (runs of them elsewhere): read, written out and digested as the
 * whole bytes would be, wherever the holes are. */
static void test_held_with_holes(void **st)
{
    (void)st;
    char dest[512];
    snprintf(dest, sizeof dest, "%s/out.pdf", dir);
    static const char whole[] = "%PDF-1.5 a photo here: ABCDEFGH, and another: XY\n%%EOF\n";
    size_t n = strlen(whole), a = strchr(whole, 'A') - whole, x = strchr(whole, 'X') - whole;
    char *mem = calloc(1, n); /* the holes left as zeros */
    memcpy(mem, whole, n);
    memset(mem + a, 0, 8);
    memset(mem + x, 0, 2);
    pm_outfile_hole holes[] = {{a, 8, (const unsigned char *)whole + a}, {x, 2, (const unsigned char *)whole + x}};
    pm_outfile o;
    written(&o, "out.pdf", "");
    pm_outfile_hold(&o, (const unsigned char *)mem, n);
    pm_outfile_hold_holes(&o, holes, 2);
    for (size_t from = 0; from < n; from++) /* every run of it */
        for (size_t len = 0; from + len <= n; len++) {
            char buf[128];
            pm_outfile_read(&o, from, buf, len);
            assert_memory_equal(buf, whole + from, len);
        }
    assert_int_equal(pm_pdf_check_pass.run(NULL, &o, dest, dest), PM_PASS_SAME);
    unsigned char d1[16], d2[16];
    pm_digest16(whole, n, "salt", d1);
    pm_digest_part parts[] = {{mem, a}, {whole + a, 8}, {mem + a + 8, x - a - 8}, {whole + x, 2}, {mem + x + 2, n - x - 2}};
    pm_digest16_parts(parts, 5, "salt", d2);
    assert_memory_equal(d1, d2, 16);
    assert_int_equal(pm_outfile_commit(&o), PM_OK);
    assert_string_equal(slurp(dest), whole);
    free(mem);
    /* the digest's 64 KB blocks run on across parts */
    size_t big = 200000;
    unsigned char *b = malloc(big);
    for (size_t i = 0; i < big; i++) b[i] = (unsigned char)(i * 7 + i / 977);
    pm_digest16(b, big, NULL, d1);
    size_t cuts[] = {0, 1, 65535, 65536, 65537, 131072, 199999, 200000};
    for (size_t i = 0; i < sizeof cuts / sizeof *cuts; i++)
        for (size_t k = i; k < sizeof cuts / sizeof *cuts; k++) {
            pm_digest_part p3[] = {{b, cuts[i]}, {b + cuts[i], cuts[k] - cuts[i]}, {b + cuts[k], big - cuts[k]}};
            pm_digest16_parts(p3, 3, NULL, d2);
            assert_memory_equal(d1, d2, 16);
        }
    free(b);
    assert_int_equal(temporaries(), 0);
}

/* A writer with one file and passes; commit() renames it, drop() aborts it. */
typedef struct {
    pm_writer super;
    pm_outfile out;
    int commits;
} file_writer;

static int fw_commit(pm_writer *w)
{
    file_writer *f = (file_writer *)w;
    f->commits++;
    return pm_outfile_commit(&f->out);
}

static void fw_drop(pm_writer *w) { pm_outfile_abort(&((file_writer *)w)->out); }

static void fw_init(file_writer *f, const char *name, const char *text)
{
    memset(f, 0, sizeof *f);
    f->super.name = name;
    f->super.commit = fw_commit;
    f->super.drop = fw_drop;
    f->super.out = &f->out;
    written(&f->out, name, text);
}

static void test_no_commit_unless_every_pass_succeeds(void **st)
{
    (void)st;
    char a[512], b[512];
    snprintf(a, sizeof a, "%s/a.pdf", dir);
    snprintf(b, sizeof b, "%s/b.pdf", dir);
    put(a, "old a\n");
    put(b, "old b\n");
    file_writer wa, wb;
    fw_init(&wa, "a.pdf", "new a\n");
    fw_init(&wb, "b.pdf", "new b\n");
    int ups = 0, fails = 0;
    pm_writer_add_pass(&wa.super, (pm_pass){"upper", upper, &ups});
    pm_writer_add_pass(&wb.super, (pm_pass){"refuse", refuse, &fails});
    pm_writer *ws[] = {&wa.super, &wb.super};
    assert_int_equal(pm_writers_commit(ws, 2), PM_EIO);
    assert_int_equal(ups, 1);
    assert_int_equal(fails, 1);
    assert_int_equal(wa.commits + wb.commits, 0); /* the first writer's pass succeeded: still not committed */
    fw_drop(&wa.super);
    fw_drop(&wb.super);
    assert_string_equal(slurp(a), "old a\n");
    assert_string_equal(slurp(b), "old b\n");
    assert_int_equal(temporaries(), 0);

    /* the same writers when every pass succeeds: both in place, rewritten */
    fw_init(&wa, "a.pdf", "new a\n");
    fw_init(&wb, "b.pdf", "new b\n");
    pm_writer_add_pass(&wa.super, (pm_pass){"upper", upper, &ups});
    pm_writer_add_pass(&wb.super, (pm_pass){"keep", keep, &ups});
    assert_int_equal(pm_writers_commit(ws, 2), PM_OK);
    assert_int_equal(wa.commits + wb.commits, 2);
    assert_string_equal(slurp(a), "NEW A\nPASSED\n");
    assert_string_equal(slurp(b), "new b\n");
    assert_int_equal(temporaries(), 0);
}

static void test_pdf_check_pass(void **st)
{
    (void)st;
    char in[512], out[512];
    snprintf(in, sizeof in, "%s/in.pdf", dir);
    snprintf(out, sizeof out, "%s/out.pdf", dir);
    const pm_pass *p = &pm_pdf_check_pass;
    pm_outfile o = {.tmp = in};
    static const char whole[] = "%PDF-1.5\n1 0 obj\n<< >>\nendobj\ntrailer\n<< >>\nstartxref\n9\n%%EOF\n";
    put(in, whole);
    assert_int_equal(p->run(p->ud, &o, out, "x.pdf"), PM_PASS_SAME);
    assert_string_equal(msgs, "");
    /* the same, held in memory (the file at in is not read) */
    put(in, "");
    pm_outfile_hold(&o, (const unsigned char *)whole, strlen(whole));
    assert_int_equal(p->run(p->ud, &o, out, "x.pdf"), PM_PASS_SAME);
    pm_outfile_hold(&o, (const unsigned char *)whole, 20);
    assert_int_equal(p->run(p->ud, &o, out, "x.pdf"), PM_EIO);
    assert_non_null(strstr(msgs, "no %%EOF at its end"));
    msgs[0] = 0;
    pm_outfile_hold(&o, NULL, 0);
    put(in, "%PDF-1.5\n1 0 obj\n<< >>\nendobj\ntrailer\n<< >>\nstartxr"); /* cut short */
    assert_int_equal(p->run(p->ud, &o, out, "x.pdf"), PM_EIO);
    assert_non_null(strstr(msgs, "x.pdf: error: the PDF came out incomplete (no %%EOF at its end)"));
    msgs[0] = 0;
    put(in, "PNG\n%%EOF\n");
    assert_int_equal(p->run(p->ud, &o, out, "x.pdf"), PM_EIO);
    assert_non_null(strstr(msgs, "no PDF header"));
    /* a long file: %%EOF is looked for at its end only */
    FILE *f = fopen(in, "wb");
    fputs("%PDF-1.5\n%%EOF\n", f);
    for (int i = 0; i < 1000; i++) fputs("0123456789\n", f);
    fclose(f);
    msgs[0] = 0;
    assert_int_equal(p->run(p->ud, &o, out, "x.pdf"), PM_EIO);
    /* the reading PDF's writer runs it */
    pm_writer *w = pm_pdf_writer_new(out, NULL, 0);
    assert_non_null(w);
    assert_non_null(w->out);
    assert_int_equal(w->npasses, 1);
    assert_ptr_equal(w->passes[0].run, pm_pdf_check_pass.run);
    w->drop(w);
    /* with the finishing pass: the check first (cairo's file is whole), then finishing */
    pm_finish fin = {0};
    w = pm_pdf_writer_new(out, &fin, 0);
    assert_non_null(w);
    assert_int_equal(w->npasses, 2);
    assert_ptr_equal(w->passes[0].run, pm_pdf_check_pass.run);
    assert_ptr_equal(w->passes[1].run, pm_finish_pass(&fin).run);
    w->drop(w);
}

/* Numbers in page content: at most 3 decimals, rounded half away from zero, no trailing
 * zeros, no "-0", each followed by a space. */
static void test_pdf_numbers(void **st)
{
    (void)st;
    static const struct {
        double v;
        const char *s;
    } cases[] = {{0, "0 "}, {1, "1 "}, {-1, "-1 "}, {0.5, "0.5 "}, {12.3456, "12.346 "}, {-12.3456, "-12.346 "},
                 {-0.0004, "0 "}, {595.2755, "595.276 "}, {1e6, "1000000 "}, {0.0005, "0.001 "}, {41.1, "41.1 "}};
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        pm_pbuf b = {0};
        pm_pbuf_num(&b, cases[i].v);
        pm_pbuf_put(&b, "", 1);
        assert_string_equal(b.p, cases[i].s);
        free(b.p);
    }
}

/* The direct writer writes its PDF in a pass of its own (after the layout has gone), then
 * the reading PDF's check pass looks at it; nothing before the pass. */
static void test_direct_writer_passes(void **st)
{
    (void)st;
    char path[300];
    snprintf(path, sizeof path, "%s/direct.pdf", dir);
    pm_finish fin = {0};
    pm_writer *w = pm_direct_writer_new(path, &fin, 0);
    assert_non_null(w);
    assert_int_equal(w->npasses, 2);
    assert_ptr_equal(w->passes[1].run, pm_pdf_check_pass.run);
    w->drop(w); /* (no file was made: nothing left behind) */
    DIR *dd = opendir(dir);
    int files = 0;
    for (struct dirent *e; (e = readdir(dd));) files += e->d_name[0] != '.';
    closedir(dd);
    assert_int_equal(files, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_pass_rewrites_before_commit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_failed_pass_keeps_previous, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pass_same_keeps_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_held_in_memory, setup, teardown),
        cmocka_unit_test_setup_teardown(test_held_with_holes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_no_commit_unless_every_pass_succeeds, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pdf_check_pass, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pdf_numbers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_direct_writer_passes, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
