/* outputs.c - refusing outputs that are inputs or other outputs (see outputs.h). */
#include "app/outputs.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/arena.h"
#include "base/diag.h"
#include "base/fileio.h"

/* Where a path leads: the file itself when it exists, else its folder and name. */
typedef struct place {
    int exists;
    struct stat st;      /* the file's, when it exists */
    int dir_ok;
    struct stat dir;     /* its folder's */
    const char *name;    /* the last part of the path */
} place;

static void locate(const char *path, place *p)
{
    memset(p, 0, sizeof *p);
    p->exists = stat(path, &p->st) == 0;
    char *dir = pm_dirname(path);
    p->dir_ok = stat(dir, &p->dir) == 0;
    free(dir);
    const char *slash = strrchr(path, '/');
    p->name = slash ? slash + 1 : path;
}

static int same_inode(const struct stat *a, const struct stat *b)
{
    return a->st_dev == b->st_dev && a->st_ino == b->st_ino;
}

/* Whether two paths name the same file. */
static int same_file(const place *a, const place *b)
{
    if (a->exists || b->exists) return a->exists && b->exists && same_inode(&a->st, &b->st);
    return a->dir_ok && b->dir_ok && same_inode(&a->dir, &b->dir) && !strcmp(a->name, b->name);
}

/* Whether the file at p is one --png would write into the folder at png: page-NNN.png
 * there (NNN: three digits or more). */
static int png_page_in(const place *p, const place *png)
{
    if (!png->exists || !p->dir_ok || !same_inode(&p->dir, &png->st)) return 0;
    const char *n = p->name;
    if (strncmp(n, "page-", 5)) return 0;
    size_t digits = strspn(n + 5, "0123456789");
    return digits >= 3 && !strcmp(n + 5 + digits, ".png");
}

/* Whether output o would write the file at p. */
static int writes(const pm_output *o, const place *op, const place *p)
{
    return o->png_folder ? png_page_in(p, op) : same_file(op, p);
}

int pm_outputs_check(const pm_output *outs, int nouts, const pm_input *ins, int nins, int each_other)
{
    int rc = PM_OK;
    place *op = pm_xcalloc((size_t)(nouts ? nouts : 1), sizeof *op);
    for (int i = 0; i < nouts; i++) locate(outs[i].path, &op[i]);
    for (int i = 0; i < nouts; i++) {
        for (int k = 0; k < nins; k++) {
            place ip;
            locate(ins[k].path, &ip);
            if (!ip.exists || !writes(&outs[i], &op[i], &ip)) continue;
            int other = !outs[i].png_folder && strcmp(outs[i].path, ins[k].path);
            pm_error(outs[i].png_folder ? ins[k].path : outs[i].path, 0, 0, "%s (%s) would overwrite %s%s%s",
                     outs[i].what, outs[i].option, ins[k].what, other ? ", " : "", other ? ins[k].path : "");
            if (outs[i].png_folder) pm_hint("write the page PNGs into another folder");
            else pm_hint("give %s a file name of its own", outs[i].what);
            rc = PM_EUSAGE;
        }
        for (int k = 0; each_other && k < i; k++) {
            int clash = outs[k].png_folder ? writes(&outs[k], &op[k], &op[i])
                      : outs[i].png_folder ? writes(&outs[i], &op[i], &op[k])
                                           : same_file(&op[i], &op[k]);
            if (!clash) continue;
            pm_error(outs[outs[k].png_folder ? i : outs[i].png_folder ? k : i].path, 0, 0,
                     "%s (%s) would overwrite %s (%s): they name the same file", outs[i].what, outs[i].option,
                     outs[k].what, outs[k].option);
            pm_hint("give each output a file name of its own");
            rc = PM_EUSAGE;
        }
    }
    free(op);
    return rc;
}

static void add_folder(pm_input **ins, int *nins, const char *dir, const char *what, int depth)
{
    DIR *d = depth < 8 ? opendir(dir) : NULL;
    if (!d) return;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        char *path = pm_path_join(dir, e->d_name);
        struct stat st;
        int ok = stat(path, &st) == 0;
        if (ok && S_ISDIR(st.st_mode)) {
            add_folder(ins, nins, path, what, depth + 1);
            free(path);
        } else if (ok && S_ISREG(st.st_mode)) {
            *ins = pm_xrealloc(*ins, (size_t)(*nins + 1) * sizeof **ins);
            (*ins)[(*nins)++] = (pm_input){what, path};
        } else {
            free(path);
        }
    }
    closedir(d);
}

void pm_inputs_add_folder(pm_input **ins, int *nins, const char *dir, const char *what)
{
    add_folder(ins, nins, dir, what, 0);
}

void pm_inputs_free(pm_input *ins, int nins, int start)
{
    for (int i = start; i < nins; i++) free((char *)ins[i].path);
    free(ins);
}
