/* imgcache.c - images by path with file-change checks (see imgcache.h). */
#include "image/imgcache.h"

#include <glib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/arena.h"
#include "base/diag.h"

typedef struct entry {
    pm_image *img;
    struct stat st;
    unsigned gen;
} entry;

struct pm_imgcache {
    GHashTable *map; /* path -> entry* */
    pm_image_limits lim;
    unsigned gen;
    GPtrArray *used; /* paths asked for this run (also those that failed), owned */
};

static void entry_free(void *p)
{
    entry *e = p;
    pm_image_drop(e->img);
    g_free(e);
}

pm_imgcache *pm_imgcache_new(const pm_image_limits *lim)
{
    pm_imgcache *c = pm_xcalloc(1, sizeof *c);
    c->map = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, entry_free);
    if (lim) c->lim = *lim;
    else pm_image_limits_default(&c->lim);
    c->used = g_ptr_array_new_with_free_func(g_free);
    return c;
}

void pm_imgcache_drop(pm_imgcache *c)
{
    if (!c) return;
    g_hash_table_destroy(c->map);
    g_ptr_array_free(c->used, TRUE);
    free(c);
}

static int same_file(const struct stat *a, const struct stat *b)
{
    return a->st_ino == b->st_ino && a->st_dev == b->st_dev && a->st_size == b->st_size &&
           a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec;
}

int pm_imgcache_get(pm_imgcache *c, const char *path, const char *ref_file, int ref_line, pm_image **out)
{
    *out = NULL;
    int known = 0;
    for (guint i = 0; i < c->used->len && !known; i++) known = !strcmp(c->used->pdata[i], path);
    if (!known) g_ptr_array_add(c->used, g_strdup(path));
    struct stat st;
    int have = stat(path, &st) == 0;
    entry *e = g_hash_table_lookup(c->map, path);
    if (e && (!have || !same_file(&e->st, &st))) {
        g_hash_table_remove(c->map, path);
        e = NULL;
    }
    if (!e) {
        pm_image *img;
        int rc = pm_image_load(path, ref_file, ref_line, &c->lim, &img);
        if (rc) return rc;
        e = g_new0(entry, 1);
        e->img = img;
        if (have) e->st = st;
        g_hash_table_insert(c->map, g_strdup(path), e);
    }
    e->gen = c->gen;
    *out = e->img;
    return PM_OK;
}

void pm_imgcache_forget(pm_imgcache *c, const char *path)
{
    g_hash_table_remove(c->map, path);
}

void pm_imgcache_begin(pm_imgcache *c)
{
    c->gen++;
    g_ptr_array_set_size(c->used, 0);
}

static gboolean stale(gpointer key, gpointer value, gpointer ud)
{
    (void)key;
    return ((entry *)value)->gen != *(unsigned *)ud;
}

void pm_imgcache_sweep(pm_imgcache *c)
{
    g_hash_table_foreach_remove(c->map, stale, &c->gen);
}

void pm_imgcache_clear(pm_imgcache *c) { g_hash_table_remove_all(c->map); }

int pm_imgcache_paths(pm_imgcache *c, const char ***paths)
{
    *paths = (const char **)c->used->pdata;
    return (int)c->used->len;
}
