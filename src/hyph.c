/* hyph.c - libhyphen wrapper with a word cache (see hyph.h). */
#include "hyph.h"

#include <ctype.h>
#include <glib.h>
#include <hyphen.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arena.h"
#include "diag.h"

struct pm_hyph {
    HyphenDict *dict;
    char path[512];
    pthread_t loader;   /* parsing the patterns */
    int loading;        /* loader not joined yet */
    int left, right;
    GHashTable *cache; /* lowercased word -> packed offsets (first byte = count) */
};

static const char *hyph_dirs[] = {"/usr/share/hyphen", "/usr/local/share/hyphen"};

static int find_dict(const char *name, char *path, size_t n)
{
    for (size_t i = 0; i < sizeof hyph_dirs / sizeof *hyph_dirs; i++) {
        snprintf(path, n, "%s/hyph_%s.dic", hyph_dirs[i], name);
        if (access(path, R_OK) == 0) return 1;
    }
    return 0;
}

static void *load_patterns(void *arg)
{
    pm_hyph *h = arg;
    h->dict = hnj_hyphen_load(h->path);
    return NULL;
}

/* The patterns, once the loader is done; NULL if they could not be read. */
static HyphenDict *dict_of(pm_hyph *h)
{
    if (h->loading) {
        pthread_join(h->loader, NULL);
        h->loading = 0;
        if (!h->dict) pm_warn(h->path, 0, 0, "cannot read the hyphenation patterns; the text is not hyphenated");
    }
    return h->dict;
}

pm_hyph *pm_hyph_load(const char *lang, const char *file, int line)
{
    char tag[64];
    snprintf(tag, sizeof tag, "%s", lang && *lang ? lang : "en-US");
    /* en-us / en_US -> en_US */
    char *p = tag;
    for (; *p && *p != '-' && *p != '_'; p++) *p = (char)tolower((unsigned char)*p);
    if (*p) {
        *p++ = '_';
        for (; *p; p++) *p = (char)toupper((unsigned char)*p);
    }
    char path[512];
    int found = find_dict(tag, path, sizeof path);
    if (!found) {
        char base[64];
        snprintf(base, sizeof base, "%s", tag);
        char *us = strchr(base, '_');
        if (us) *us = 0;
        found = find_dict(base, path, sizeof path);
        if (!found && !strcmp(base, "en")) found = find_dict("en_US", path, sizeof path);
    }
    if (!found) {
        pm_warn(file, line, 0, "no hyphenation dictionary for language '%s'; the text is not hyphenated",
                lang);
        pm_hint("install Debian's hyphen-* package for it (e.g. apt-get install hyphen-%s)", tag);
        return NULL;
    }
    pm_hyph *h = pm_xcalloc(1, sizeof *h);
    snprintf(h->path, sizeof h->path, "%s", path);
    h->loading = pthread_create(&h->loader, NULL, load_patterns, h) == 0;
    if (!h->loading) load_patterns(h);
    h->left = 2;
    h->right = 3;
    h->cache = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    return h;
}

void pm_hyph_drop(pm_hyph *h)
{
    if (!h) return;
    dict_of(h);
    if (h->dict) hnj_hyphen_free(h->dict);
    g_hash_table_destroy(h->cache);
    free(h);
}

void pm_hyph_set_min(pm_hyph *h, int left, int right)
{
    if (!h) return;
    if (h->left != left || h->right != right) g_hash_table_remove_all(h->cache);
    h->left = left;
    h->right = right;
}

int pm_hyph_word(pm_hyph *h, const char *word, size_t len, uint32_t *offsets, int max)
{
    if (!h || len < 4 || len > 200 || !dict_of(h)) return 0;
    char *lower = g_utf8_strdown(word, (gssize)len);
    unsigned char *hit = g_hash_table_lookup(h->cache, lower);
    if (!hit) {
        size_t ll = strlen(lower);
        /* character start offsets in the original word, to map back (lowercasing may
           change byte lengths, but not the number of characters for these scripts) */
        glong nchars = g_utf8_strlen(lower, (gssize)ll);
        char *hyphens = pm_xcalloc(ll + 5, 1);
        char **rep = NULL;
        int *pos = NULL, *cut = NULL;
        unsigned char buf[64];
        int n = 0;
        if (hnj_hyphen_hyphenate3(h->dict, lower, (int)ll, hyphens, NULL, &rep, &pos, &cut,
                                  h->left, h->right, h->left, h->right) == 0) {
            /* UTF-8 dictionaries index hyphens[] by character */
            for (glong i = 0; i < nchars - 1 && n < 63; i++) {
                if (!(hyphens[i] & 1)) continue;
                if (rep && rep[i]) continue; /* spelling-changing break: not expressible */
                buf[1 + n++] = (unsigned char)(i + 1); /* break after character i */
            }
        }
        if (rep) {
            for (size_t i = 0; i < ll; i++) free(rep[i]);
            free(rep);
        }
        free(pos);
        free(cut);
        free(hyphens);
        buf[0] = (unsigned char)n;
        hit = g_memdup2(buf, (gsize)n + 1);
        g_hash_table_insert(h->cache, lower, hit);
        lower = NULL;
    }
    g_free(lower);
    /* character index -> byte offset in the original word */
    int n = 0;
    int ci = 0;
    const char *s = word, *end = word + len;
    int k = 1;
    while (s < end && k <= hit[0] && n < max) {
        s = g_utf8_next_char(s);
        ci++;
        if (ci == hit[k]) {
            offsets[n++] = (uint32_t)(s - word);
            k++;
        }
    }
    return n;
}
