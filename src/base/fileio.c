/* fileio.c - bounded file reading and atomic output (see fileio.h). */
#define _GNU_SOURCE /* (renameat2) */
#include "base/fileio.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/arena.h"
#include "base/diag.h"

int pm_read_file(const char *path, size_t max_bytes, const char *what, char **data, size_t *len)
{
    *data = NULL;
    *len = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        pm_error(path, 0, 0, "cannot open %s file: %s", what, strerror(errno));
        return PM_EIO;
    }
    struct stat sb;
    int bad = fstat(fd, &sb) < 0 ? errno : 0; /* (sb is not set when fstat fails) */
    if (bad || S_ISDIR(sb.st_mode)) {
        pm_error(path, 0, 0, "cannot read %s file: %s", what, bad ? strerror(bad) : "it is a folder");
        close(fd);
        return PM_EIO;
    }
    if (S_ISREG(sb.st_mode) && (size_t)sb.st_size > max_bytes) {
        pm_error(path, 0, 0, "%s file is %lld bytes; the limit is %zu", what,
                 (long long)sb.st_size, max_bytes);
        close(fd);
        return PM_EINPUT;
    }
    size_t cap = S_ISREG(sb.st_mode) ? (size_t)sb.st_size + 1 : 65536, n = 0;
    char *buf = pm_xmalloc(cap);
    for (;;) {
        if (n + 1 >= cap) {
            if (cap > max_bytes + 1) {
                pm_error(path, 0, 0, "%s file is larger than the limit of %zu bytes", what,
                         max_bytes);
                free(buf);
                close(fd);
                return PM_EINPUT;
            }
            cap *= 2;
            buf = pm_xrealloc(buf, cap);
        }
        ssize_t r = read(fd, buf + n, cap - n - 1);
        if (r < 0) {
            if (errno == EINTR) continue;
            pm_error(path, 0, 0, "cannot read %s file: %s", what, strerror(errno));
            free(buf);
            close(fd);
            return PM_EIO;
        }
        if (r == 0) break;
        n += (size_t)r;
    }
    close(fd);
    if (n > max_bytes) {
        pm_error(path, 0, 0, "%s file is larger than the limit of %zu bytes", what, max_bytes);
        free(buf);
        return PM_EINPUT;
    }
    buf[n] = 0;
    *data = buf;
    *len = n;
    return PM_OK;
}

long long pm_source_epoch(void)
{
    static int warned;
    const char *e = getenv("SOURCE_DATE_EPOCH");
    if (!e || !*e) return -1;
    char *end;
    errno = 0;
    long long v = strtoll(e, &end, 10);
    if (errno || *end || v < 0) {
        if (!warned++) pm_warn("SOURCE_DATE_EPOCH", 0, 0, "'%s' is not a number of seconds; ignored", e);
        return -1;
    }
    return v;
}

const char *pm_cache_dir(void)
{
    static char path[4096];
    const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
    if (xdg && *xdg == '/') snprintf(path, sizeof path, "%s/pamphlet", xdg);
    else if (home && *home == '/') snprintf(path, sizeof path, "%s/.cache/pamphlet", home);
    else return NULL;
    if (access(path, W_OK) == 0) return path;
    char *slash = strrchr(path, '/');
    *slash = 0;
    mkdir(path, 0700); /* ~/.cache */
    *slash = '/';
    if (mkdir(path, 0700) < 0 && errno != EEXIST) return NULL;
    return access(path, W_OK) == 0 ? path : NULL;
}

char *pm_dirname(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash) return pm_xstrdup(".");
    if (slash == path) return pm_xstrdup("/");
    size_t n = (size_t)(slash - path);
    char *d = pm_xmalloc(n + 1);
    memcpy(d, path, n);
    d[n] = 0;
    return d;
}

char *pm_path_join(const char *dir, const char *path)
{
    if (path[0] == '/' || !dir || !*dir || !strcmp(dir, ".")) return pm_xstrdup(path);
    size_t a = strlen(dir), b = strlen(path);
    char *d = pm_xmalloc(a + b + 2);
    memcpy(d, dir, a);
    d[a] = '/';
    memcpy(d + a + 1, path, b + 1);
    return d;
}

/* A temporary name beside path, in a new malloc'd string, for a file not made yet (NULL
 * after a diagnostic): a folder of our own beside path (".name.tmp-XXXXXX", 0700) and
 * the name in it. Whoever writes the file makes it (fopen, libqpdf): ext4 writes out on
 * close a file that was opened with O_TRUNC when it existed already, even empty (its
 * auto_da_alloc), 0.4 ms, and the next run then took 1-3 ms more to remove it (its blocks
 * allocated); a file made new is neither. The folder keeps the name ours (no one else can
 * make a file or a link there first), as mkstemp's O_EXCL did. */
static char *make_temp(const char *path)
{
    char *dir = pm_dirname(path);
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t n = strlen(dir) + 2 * strlen(base) + 32;
    char *tmp = pm_xmalloc(n);
    snprintf(tmp, n, "%s/.%s.tmp-XXXXXX", dir, base);
    free(dir);
    if (!mkdtemp(tmp)) {
        pm_error(path, 0, 0, "cannot write output: %s", strerror(errno));
        free(tmp);
        return NULL;
    }
    size_t at = strlen(tmp);
    snprintf(tmp + at, n - at, "/%s", base);
    return tmp;
}

/* The temporary file (if it was made) and its folder removed. */
static void drop_temp(const char *tmp)
{
    unlink(tmp);
    char *dir = pm_dirname(tmp);
    rmdir(dir);
    free(dir);
}

int pm_outfile_begin(pm_outfile *o, const char *path)
{
    /* Only a regular file (or nothing) may be replaced: renaming over a folder fails only
       at commit, after other outputs of the run may already be in place, and renaming
       over /dev/null or a pipe would replace it with a file. */
    struct stat dst;
    o->tmp = o->path = NULL;
    o->mem = NULL;
    o->nmem = 0;
    o->holes = NULL;
    o->nholes = 0;
    if (stat(path, &dst) == 0 && !S_ISREG(dst.st_mode)) {
        pm_error(path, 0, 0, "cannot write output: %s", S_ISDIR(dst.st_mode)
                 ? "it is a folder; give a file name" : "it is not a regular file");
        return PM_EIO;
    }
    char *dir = pm_dirname(path);
    int bad = access(dir, W_OK | X_OK) < 0 ? errno : 0;
    free(dir);
    if (bad) {
        pm_error(path, 0, 0, "cannot write output: %s", strerror(bad));
        return PM_EIO;
    }
    o->path = pm_xstrdup(path);
    return PM_OK;
}

const char *pm_outfile_tmp(pm_outfile *o)
{
    if (!o->tmp && o->path) o->tmp = make_temp(o->path);
    return o->tmp;
}

int pm_outfile_pass(pm_outfile *o, const pm_pass *p)
{
    if (!o->path) return PM_EIO;
    char *next = p->check ? NULL : make_temp(o->path);
    if (!next && !p->check) {
        pm_outfile_abort(o);
        return PM_EIO;
    }
    int rc = p->run(p->ud, o, next, o->path);
    if (rc == PM_PASS_SAME || rc) {
        if (next) drop_temp(next);
        free(next);
        if (rc == PM_PASS_SAME) return PM_OK;
        pm_outfile_abort(o);
        return rc;
    }
    if (!next) return PM_OK; /* (a check that said nothing) */
    if (o->tmp) drop_temp(o->tmp);
    free(o->tmp);
    o->tmp = next;
    o->mem = NULL; /* the pass's file is the finished one now */
    o->nmem = 0;
    o->nholes = 0;
    return PM_OK;
}

void pm_outfile_hold(pm_outfile *o, const unsigned char *bytes, size_t n)
{
    o->mem = bytes;
    o->nmem = n;
    o->holes = NULL;
    o->nholes = 0;
}

void pm_outfile_hold_holes(pm_outfile *o, const pm_outfile_hole *holes, int n)
{
    o->holes = holes;
    o->nholes = n;
}

void pm_outfile_read(const pm_outfile *o, size_t at, void *buf, size_t n)
{
    unsigned char *b = buf;
    memcpy(b, o->mem + at, n);
    for (int i = 0; i < o->nholes; i++) {
        const pm_outfile_hole *h = &o->holes[i];
        size_t from = h->at > at ? h->at : at, to = h->at + h->n < at + n ? h->at + h->n : at + n;
        if (from < to) memcpy(b + (from - at), h->bytes + (from - h->at), to - from);
    }
}

/* Write the held bytes, runs of mem and of holes, to f. */
static int write_held(const pm_outfile *o, FILE *f)
{
    size_t at = 0;
    for (int i = 0; i < o->nholes; i++) {
        const pm_outfile_hole *h = &o->holes[i];
        if (fwrite(o->mem + at, 1, h->at - at, f) != h->at - at || fwrite(h->bytes, 1, h->n, f) != h->n) return 0;
        at = h->at + h->n;
    }
    return fwrite(o->mem + at, 1, o->nmem - at, f) == o->nmem - at;
}

/* Write the bytes held in memory to the temporary. */
static int spill(pm_outfile *o)
{
    const char *tmp = pm_outfile_tmp(o);
    if (!tmp) return PM_EIO;
    FILE *f = fopen(tmp, "wb");
    int ok = f && write_held(o, f);
    if (f && fclose(f) != 0) ok = 0;
    if (!ok) {
        pm_error(o->path, 0, 0, "cannot write output: %s", strerror(errno));
        return PM_EIO;
    }
    o->mem = NULL;
    o->nmem = 0;
    o->nholes = 0;
    return PM_OK;
}

FILE *pm_outfile_open(pm_outfile *o, const char *path, const char *what)
{
    if (pm_outfile_begin(o, path)) return NULL;
    const char *tmp = pm_outfile_tmp(o);
    FILE *fp = tmp ? fopen(tmp, "wb") : NULL;
    if (!fp) {
        if (tmp) pm_error(path, 0, 0, "cannot write the %s: %s", what, strerror(errno));
        pm_outfile_abort(o);
    }
    return fp;
}

/* The temporary put in place of path, atomically, with path's permissions if it exists.
 * Where there is a previous file, the two are exchanged (renameat2's RENAME_EXCHANGE)
 * and the previous one, now under the temporary name, removed: a rename over an
 * existing file makes ext4 start writing the new file's blocks out first (its
 * auto_da_alloc, for a crash in the next seconds), 0.6 ms a file here, two of them in
 * each watch rebuild; the kernel writes them out in its own time instead (a PDF is made
 * again from its source). The temporary's folder is removed. */
static int put_in_place(const char *tmp, const char *path)
{
    struct stat st;
    int exists = lstat(path, &st) == 0;
    if (exists && S_ISREG(st.st_mode)) chmod(tmp, st.st_mode & 07777);
    int rc = -1;
#ifdef RENAME_EXCHANGE
    /* (a regular file only: a folder would be exchanged too) */
    if (exists && S_ISREG(st.st_mode) && renameat2(AT_FDCWD, tmp, AT_FDCWD, path, RENAME_EXCHANGE) == 0) rc = 0;
#endif
    if (rc < 0 && (rc = rename(tmp, path)) < 0) return rc;
    drop_temp(tmp);
    return 0;
}

int pm_outfile_commit(pm_outfile *o)
{
    int rc = PM_OK;
    if (!o->path) return PM_EIO;
    if (!o->mem && !o->tmp) /* (nothing written: an empty file, as asked) */
        pm_outfile_hold(o, (const unsigned char *)"", 0);
    if (o->mem && spill(o)) {
        if (o->tmp) drop_temp(o->tmp);
        rc = PM_EIO;
    } else if (put_in_place(o->tmp, o->path) < 0) {
        pm_error(o->path, 0, 0, "cannot write output: %s", strerror(errno));
        drop_temp(o->tmp);
        rc = PM_EIO;
    }
    free(o->tmp);
    free(o->path);
    o->tmp = o->path = NULL;
    return rc;
}

void pm_outfile_abort(pm_outfile *o)
{
    if (o->tmp) drop_temp(o->tmp);
    free(o->tmp);
    free(o->path);
    o->tmp = o->path = NULL;
    o->mem = NULL;
    o->nmem = 0;
    o->nholes = 0;
}
