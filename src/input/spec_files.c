/* spec_files.c - where layouts and data files are found: next to the program, in the
 * data directory it was installed with, or by a name among the shipped layouts (with
 * the nearest one suggested when a name is not found). */
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/diag.h"
#include "base/fileio.h"
#include "input/spec-imp.h"

const char *pm_spec_exe_dir(void)
{
    static char dir[PATH_MAX];
    static int done;
    if (!done) {
        done = 1;
        ssize_t n = readlink("/proc/self/exe", dir, sizeof dir - 1);
        if (n > 0) {
            dir[n] = 0;
            char *slash = strrchr(dir, '/');
            if (slash) *slash = 0;
        } else {
            dir[0] = 0;
        }
    }
    return dir;
}

const char *pm_find_data(const char *sub, const char *name)
{
    static char buf[PATH_MAX];
    const char *env = getenv("PAMPHLET_DATADIR");
    /* BINDIR/../share/pamphlet: an installation moved elsewhere, or a packager's DESTDIR
       staging tree, finds its own data before the compiled-in folder */
    static char rel[PATH_MAX + 32];
    if (!rel[0] && pm_spec_exe_dir()[0]) snprintf(rel, sizeof rel, "%s/../share/pamphlet", pm_spec_exe_dir());
    const char *bases[] = {env, pm_spec_exe_dir(), rel, PM_DATADIR};
    for (size_t i = 0; i < sizeof bases / sizeof *bases; i++) {
        if (!bases[i] || !*bases[i]) continue;
        snprintf(buf, sizeof buf, "%s/%s%s%s", bases[i], sub, name ? "/" : "", name ? name : "");
        if (access(buf, R_OK) == 0) return buf;
    }
    return NULL;
}

static int cmp_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The layouts shipped (layouts/NAME.yaml in the data folder), as a hint with the nearest
 * to what was asked for. */
void pm_spec_hint_layouts(const char *asked)
{
    const char *dir = pm_find_data("layouts", NULL);
    DIR *d = dir ? opendir(dir) : NULL;
    if (!d) return;
    char *names[64];
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) && n < 64) {
        size_t l = strlen(e->d_name);
        if (l <= 5 || strcmp(e->d_name + l - 5, ".yaml") || e->d_name[0] == '.') continue;
        names[n] = pm_xstrdup(e->d_name);
        names[n++][l - 5] = 0;
    }
    closedir(d);
    if (!n) return;
    qsort(names, (size_t)n, sizeof *names, cmp_name);
    char list[1024] = "";
    for (int i = 0; i < n; i++) {
        size_t l = strlen(list);
        snprintf(list + l, sizeof list - l, "%s%s", i ? ", " : "", names[i]);
    }
    const char *base = strrchr(asked, '/');
    char want[256];
    snprintf(want, sizeof want, "%s", base ? base + 1 : asked);
    size_t wl = strlen(want);
    if (wl > 5 && !strcmp(want + wl - 5, ".yaml")) want[wl - 5] = 0;
    const char *near = pm_nearest(want, (const char *const *)names, n);
    if (near) pm_hint("did you mean '%s'? The shipped layouts: %s", near, list);
    else pm_hint("the shipped layouts: %s (or give the path of a layout file)", list);
    for (int i = 0; i < n; i++) free(names[i]);
}

/* Resolve a layout reference: a path as given (relative to rel_dir if not absolute), or a
 * name like "a5" / "a5.yaml" in the layout search path. New malloc'd string or NULL. */
const char *pm_spec_shipped_name(const char *ref)
{
    static char name[256];
    size_t n = strlen(ref);
    snprintf(name, sizeof name, "%s%s", ref, n > 5 && !strcmp(ref + n - 5, ".yaml") ? "" : ".yaml");
    return name;
}

char *pm_spec_resolve_layout(const char *ref, const char *rel_dir)
{
    char *p = pm_path_join(rel_dir, ref);
    if (access(p, R_OK) == 0) return p;
    free(p);
    if (!strchr(ref, '/')) {
        char name[256];
        snprintf(name, sizeof name, "%s", pm_spec_shipped_name(ref));
        if (rel_dir) {
            p = pm_path_join(rel_dir, name);
            if (access(p, R_OK) == 0) return p;
            free(p);
        }
        const char *found = pm_find_data("layouts", name);
        if (found) return pm_xstrdup(found);
    }
    return NULL;
}

