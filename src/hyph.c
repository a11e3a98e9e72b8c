/* hyph.c - libhyphen wrapper with a word cache (see hyph.h). */
#include "hyph.h"

#include <ctype.h>
#include <glib.h>
#include <hyphen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arena.h"
#include "diag.h"

struct pm_hyph {
    HyphenDict *dict;
    int left, right;
    GHashTable *cache; /* lowercased word -> packed offsets (first byte = count) */
};

static const char *hyph_dirs[] = {"/usr/share/hyphen", "/usr/local/share/hyphen"};

static HyphenDict *try_load(const char *name)
{
    char path[512];
    for (size_t i = 0; i < sizeof hyph_dirs / sizeof *hyph_dirs; i++) {
        snprintf(path, sizeof path, "%s/hyph_%s.dic", hyph_dirs[i], name);
        if (access(path, R_OK) == 0) {
            HyphenDict *d = hnj_hyphen_load(path);
            if (d) return d;
        }
    }
    return NULL;
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
    HyphenDict *d = try_load(tag);
    if (!d) {
        char base[64];
        snprintf(base, sizeof base, "%s", tag);
        char *us = strchr(base, '_');
        if (us) *us = 0;
        d = try_load(base);
        if (!d && !strcmp(base, "en")) d = try_load("en_US");
    }
    if (!d) {
        pm_warn(file, line, 0, "no hyphenation dictionary for language '%s'; the text is not hyphenated",
                lang);
        pm_hint("install Debian's hyphen-* package for it (e.g. apt-get install hyphen-%s)", tag);
        return NULL;
    }
    pm_hyph *h = pm_xcalloc(1, sizeof *h);
    h->dict = d;
    h->left = 2;
    h->right = 3;
    h->cache = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    return h;
}

void pm_hyph_drop(pm_hyph *h)
{
    if (!h) return;
    hnj_hyphen_free(h->dict);
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
    if (!h || len < 4 || len > 200) return 0;
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
