/* fuzz_common.h - shared by the libFuzzer harnesses (fuzz/fuzz_*.c): a quiet diagnostics
 * sink that still formats every message, and a scratch folder.
 *
 * The harnesses are built two ways (mk/fuzz.mk): with clang -fsanitize=fuzzer for `make
 * fuzz`, and with fuzz/driver.c (a plain main() running each file given once) for `make
 * fuzz-regress`, which replays every file in fuzz/regress/HARNESS/ under ASan + UBSan. */
#ifndef PM_FUZZ_COMMON_H
#define PM_FUZZ_COMMON_H

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/diag.h"

/* Every diagnostic is formatted (pm_vdiag runs in full) and then dropped; PM_FUZZ_VERBOSE=1
 * prints them, to see what an input does. */
static int fuzz_verbose = -1;

static inline void fuzz_sink(void *ud, pm_severity sev, const char *line)
{
    (void)ud;
    (void)sev;
    if (fuzz_verbose) fprintf(stderr, "%s\n", line);
}

static inline void fuzz_quiet_diagnostics(void)
{
    if (fuzz_verbose < 0) {
        const char *v = getenv("PM_FUZZ_VERBOSE");
        fuzz_verbose = v && *v == '1';
    }
    pm_diag_set_sink(fuzz_sink, NULL);
}

/* Standard input from /dev/null (a layout that says `extends: /dev/stdin` must not wait
 * for a terminal), standard output too unless verbose (the booklet's printing how-to). */
static inline void fuzz_quiet_stdio(void)
{
    int fd = open("/dev/null", O_RDWR);
    if (fd < 0) return;
    dup2(fd, 0);
    if (!fuzz_verbose) dup2(fd, 1);
    if (fd > 2) close(fd);
}

static char fuzz_scratch_dir[256];

static void fuzz_rm_tree(const char *path)
{
    DIR *d = opendir(path);
    if (d) {
        struct dirent *e;
        char sub[1024];
        while ((e = readdir(d))) {
            if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
            snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
            struct stat sb;
            if (lstat(sub, &sb) == 0 && S_ISDIR(sb.st_mode)) fuzz_rm_tree(sub);
            else unlink(sub);
        }
        closedir(d);
    }
    rmdir(path);
}

/* The scratch folder goes at exit (it holds copies of the test images). */
static void fuzz_scratch_remove(void)
{
    if (fuzz_scratch_dir[0]) fuzz_rm_tree(fuzz_scratch_dir);
}

/* A new scratch folder (on tmpfs when there is one), made once per process and removed
 * at its exit; NULL if none can be made. */
static inline const char *fuzz_scratch(void)
{
    char *dir = fuzz_scratch_dir;
    if (dir[0]) return dir;
    const char *bases[] = {getenv("PM_FUZZ_TMP"), "/dev/shm", getenv("TMPDIR"), "/tmp"};
    for (size_t i = 0; i < sizeof bases / sizeof *bases; i++) {
        if (!bases[i] || !*bases[i]) continue;
        snprintf(dir, sizeof fuzz_scratch_dir, "%s/pm-fuzz-XXXXXX", bases[i]);
        if (mkdtemp(dir)) {
            atexit(fuzz_scratch_remove);
            return dir;
        }
    }
    dir[0] = 0;
    return NULL;
}

/* The repository root (for layouts/ and fonts/): PAMPHLET_DATADIR, else the folder the
 * harness was built from (PM_FUZZ_ROOT, set by mk/fuzz.mk). */
static inline const char *fuzz_root(void)
{
    const char *e = getenv("PAMPHLET_DATADIR");
    if (e && *e) return e;
#ifdef PM_FUZZ_ROOT
    setenv("PAMPHLET_DATADIR", PM_FUZZ_ROOT, 1);
    return PM_FUZZ_ROOT;
#else
    return ".";
#endif
}

#endif
