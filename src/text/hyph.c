/* hyph.c - libhyphen wrapper with a word cache (see hyph.h). */
#include "text/hyph.h"

#include <ctype.h>
#include <dirent.h>
#include <fcntl.h>
#include <glib.h>
#include <hyphen.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/arena.h"
#include "base/digest.h"
#include "base/diag.h"
#include "base/fileio.h"
#include "base/thread.h"

/* The patterns of one dictionary file, parsed once for the life of the process (a
 * watch session switching languages back and forth reads each file once; a one-shot run
 * does not spend time freeing them at exit). */
typedef struct patterns {
    char path[512];
    HyphenDict *dict;
    pthread_t loader;   /* parsing the patterns */
    int started;        /* loading has begun */
    int loading;        /* loader not joined yet */
    int failed;
} patterns;

static patterns loaded[8];
static int nloaded;

/* The words hyphenated in earlier runs are kept in a file, one "word<TAB>1,4,7" line per
 * word, sorted by byte order, so that a run maps it and finds its words by binary search
 * instead of reading them all in (a file of 30,000 words took 5 ms to read, a tenth of
 * a run). A file out of order or damaged only makes lookups miss. */
struct pm_hyph {
    patterns *pat;
    int nouns;         /* the language capitalizes its nouns (German): capitalized words are
                          words like any other, not names */
    int left, right;
    GHashTable *cache; /* this session's new words: lowercased word -> packed offsets
                          (first byte = count) */
    char words[4200];  /* the words file for this dictionary and minimums, or "" */
    const char *map;   /* the words file as it was when loaded (read-only), or NULL */
    size_t maplen;
    int dirty;         /* words were added */
    GHashTable *seen;  /* words asked about, as written (seen_word -> packed offsets,
                          the cache's form, copied); the cache above holds them lowercased */
};

/* A word as it was asked about: the same words come again and again (12,331 asks for
 * 5,525 words in Common Sense), and one hash of its bytes finds them, where each ask
 * lowercased the word into a new string first. */
typedef struct {
    const char *word;
    size_t len;
} seen_word;

static guint seen_hash(gconstpointer k)
{
    const seen_word *w = k;
    return (guint)pm_hash64(PM_HASH64_INIT, w->word, w->len);
}

static gboolean seen_equal(gconstpointer a, gconstpointer b)
{
    const seen_word *x = a, *y = b;
    return x->len == y->len && !memcmp(x->word, y->word, x->len);
}

static void seen_put(pm_hyph *h, const char *w, size_t len, const unsigned char *hit)
{
    if (!h->seen) h->seen = g_hash_table_new_full(seen_hash, seen_equal, g_free, g_free);
    seen_word *k = g_malloc(sizeof *k + len);
    memcpy(k + 1, w, len);
    *k = (seen_word){(const char *)(k + 1), len};
    g_hash_table_insert(h->seen, k, g_memdup2(hit, (gsize)hit[0] + 1));
}

#define MAX_WORDS 200000

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
    pm_thread_name("pm-hyph-load");
    patterns *pt = arg;
    pt->dict = hnj_hyphen_load(pt->path);
    return NULL;
}

static void start_loading(patterns *pt)
{
    if (pt->started) return;
    pt->started = 1;
    pt->loading = pthread_create(&pt->loader, NULL, load_patterns, pt) == 0;
    if (!pt->loading) load_patterns(pt);
}

/* The patterns of a file (not loaded yet). */
static patterns *patterns_for(const char *path)
{
    for (int i = 0; i < nloaded; i++)
        if (!strcmp(loaded[i].path, path)) return &loaded[i];
    patterns *pt = &loaded[nloaded < 8 ? nloaded++ : 7];
    if (pt->loading) pthread_join(pt->loader, NULL);
    if (pt->dict) hnj_hyphen_free(pt->dict); /* (more than 8 languages) */
    memset(pt, 0, sizeof *pt);
    snprintf(pt->path, sizeof pt->path, "%s", path);
    return pt;
}

/* The words hyphenated in earlier runs (the editing loop hyphenates the same words
 * again and again): a cache file per dictionary file version. Returns how many. */
/* Maps the words file; returns 1 if it holds any words. (hyph2-: words of 8-bit
   dictionaries were hyphenated wrongly before, so files of that version are not read.) */
static int map_words(pm_hyph *h, const char *dict_path)
{
    const char *dir = pm_cache_dir();
    struct stat st;
    if (!dir || stat(dict_path, &st) < 0) return 0;
    const char *base = strrchr(dict_path, '/');
    snprintf(h->words, sizeof h->words, "%s/hyph2-%s-%lld-%lld-%d%d.sorted", dir, base ? base + 1 : dict_path,
             (long long)st.st_size, (long long)st.st_mtime, h->left, h->right);
    int fd = open(h->words, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return 0;
    void *m = MAP_FAILED;
    if (fstat(fd, &st) == 0 && st.st_size > 0 && (unsigned long long)st.st_size < (64u << 20))
        m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (m == MAP_FAILED) return 0;
    h->map = m;
    h->maplen = (size_t)st.st_size;
    return 1;
}

static void unmap_words(pm_hyph *h)
{
    if (h->map) munmap((void *)h->map, h->maplen);
    h->map = NULL;
    h->maplen = 0;
}

/* A word the file can hold: no bytes below a space (the tab ends a word in a line). */
static int storable(const char *w)
{
    for (const unsigned char *p = (const unsigned char *)w; *p; p++)
        if (*p < 0x20) return 0;
    return 1;
}

/* key against the word of the line [l, l + n) (ended by a tab): <0, 0, >0. */
static int cmp_line(const char *key, const char *l, size_t n)
{
    size_t i = 0;
    for (; key[i] && i < n && l[i] != '\t'; i++)
        if (key[i] != l[i]) return (unsigned char)key[i] < (unsigned char)l[i] ? -1 : 1;
    int kend = !key[i], lend = i == n || l[i] == '\t';
    return kend && lend ? 0 : kend ? -1 : 1;
}

/* Parses "1,4,7" (ended by the line's end) into packed offsets; 0 if malformed. */
static int parse_points(const char *p, const char *end, unsigned char *buf)
{
    int k = 0;
    while (p < end && k < 63) {
        int v = 0, digits = 0;
        for (; p < end && *p >= '0' && *p <= '9' && digits < 4; p++, digits++) v = v * 10 + (*p - '0');
        if (!digits || v < 1 || v > 255) return 0;
        buf[1 + k++] = (unsigned char)v;
        if (p < end && *p++ != ',') return 0;
    }
    buf[0] = (unsigned char)k;
    return 1;
}

/* Looks the word up in the mapped file: 1 and its packed offsets in buf if found. */
static int find_mapped(const pm_hyph *h, const char *key, unsigned char *buf)
{
    const char *m = h->map;
    size_t lo = 0, hi = h->maplen;
    while (lo < hi) {
        size_t s = lo + (hi - lo) / 2;
        while (s > lo && m[s - 1] != '\n') s--;
        const char *nl = memchr(m + s, '\n', h->maplen - s);
        size_t e = nl ? (size_t)(nl - m) : h->maplen;
        int c = cmp_line(key, m + s, e - s);
        if (!c) {
            const char *tab = memchr(m + s, '\t', e - s);
            return tab && parse_points(tab + 1, m + e, buf);
        }
        if (c < 0) hi = s;
        else lo = e + 1;
    }
    return 0;
}

static int cmp_lines(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Writes the file again: its old lines and this session's words, sorted. */
static void write_words(pm_hyph *h)
{
    if (!h->dirty || !h->words[0]) return;
    GPtrArray *lines = g_ptr_array_new_with_free_func(g_free);
    for (size_t s = 0; s < h->maplen && lines->len < MAX_WORDS;) {
        const char *nl = memchr(h->map + s, '\n', h->maplen - s);
        size_t e = nl ? (size_t)(nl - h->map) : h->maplen;
        if (memchr(h->map + s, '\t', e - s)) g_ptr_array_add(lines, g_strndup(h->map + s, e - s));
        s = e + 1;
    }
    GHashTableIter it;
    gpointer k, v;
    g_hash_table_iter_init(&it, h->cache);
    while (g_hash_table_iter_next(&it, &k, &v) && lines->len < MAX_WORDS) {
        const unsigned char *p = v;
        if (!storable(k)) continue;
        GString *l = g_string_new(k);
        g_string_append_c(l, '\t');
        for (int i = 1; i <= p[0]; i++) g_string_append_printf(l, i > 1 ? ",%d" : "%d", p[i]);
        g_ptr_array_add(lines, g_string_free(l, FALSE));
    }
    qsort(lines->pdata, lines->len, sizeof(char *), cmp_lines);
    pm_outfile o;
    int was = pm_diag_mute(1); /* a cache that cannot be written is no one's concern */
    FILE *f = pm_outfile_open(&o, h->words, "hyphenation cache");
    pm_diag_mute(was);
    if (f) {
        const char *prev = NULL;
        for (guint i = 0; i < lines->len; i++) {
            const char *l = lines->pdata[i];
            size_t w = strcspn(l, "\t");
            if (prev && !strncmp(prev, l, w + 1)) continue; /* the same word twice */
            fputs(l, f);
            fputc('\n', f);
            prev = l;
        }
        if (fclose(f) == 0) pm_outfile_commit(&o);
        else pm_outfile_abort(&o);
    }
    g_ptr_array_free(lines, TRUE);
}

/* The patterns, once the loader is done; NULL if they could not be read. */
static HyphenDict *dict_of(pm_hyph *h)
{
    patterns *pt = h->pat;
    start_loading(pt);
    if (pt->loading) {
        pthread_join(pt->loader, NULL);
        pt->loading = 0;
        if (!pt->dict) {
            pt->failed = 1;
            pm_warn(pt->path, 0, 0, "cannot read the hyphenation patterns; the text is not hyphenated");
        }
    }
    return pt->dict;
}

/* Languages that are not hyphenated: their words are not broken at line ends (Chinese,
 * Japanese, Korean, Vietnamese, Thai, Lao, Khmer, Burmese: no breaks inside syllables or
 * between characters in their own ways; Arabic, Hebrew and the other right-to-left
 * scripts are justified without hyphens). */
static int not_hyphenated(const char *base)
{
    static const char *const none[] = {"zh", "ja", "ko", "vi", "th", "lo", "km", "my", "ar", "he", "iw", "fa",
                                       "ur", "yi", "ps", "dv", "ckb", "sd", "ug", "bo", "dz", NULL};
    for (int i = 0; none[i]; i++)
        if (!strcmp(base, none[i])) return 1;
    return 0;
}

/* The Debian package with the patterns for a language (checked with apt-cache on Debian
 * 12), or NULL. */
static const char *debian_package(const char *base, const char *region, char *buf, size_t n)
{
    static const char *const have[] = {"af", "as", "be", "bg", "bn", "ca", "cs", "da", "de", "el", "es", "fr",
                                       "gl", "gu", "hi", "hr", "hu", "id", "is", "it", "kn", "lt", "lv", "ml",
                                       "mn", "mr", "nl", "no", "or", "pa", "pl", "ro", "ru", "sk", "sl", "sr",
                                       "sv", "ta", "te", "uk", "zu", NULL};
    if (!strcmp(base, "en")) return !strcmp(region, "GB") ? "hyphen-en-gb" : "hyphen-en-us";
    if (!strcmp(base, "pt")) return !strcmp(region, "BR") ? "hyphen-pt-br" : "hyphen-pt-pt";
    if (!strcmp(base, "nb") || !strcmp(base, "nn")) return "hyphen-no";
    for (int i = 0; have[i]; i++)
        if (!strcmp(base, have[i])) {
            snprintf(buf, n, "hyphen-%s", base);
            return buf;
        }
    return NULL;
}

/* Any dictionary of a language: hyph_LL_*.dic, the first in byte order. */
static int find_any_region(const char *base, char *path, size_t n)
{
    for (size_t i = 0; i < sizeof hyph_dirs / sizeof *hyph_dirs; i++) {
        DIR *d = opendir(hyph_dirs[i]);
        if (!d) continue;
        char best[256] = "", pre[32];
        snprintf(pre, sizeof pre, "hyph_%s_", base);
        struct dirent *e;
        while ((e = readdir(d))) {
            size_t l = strlen(e->d_name);
            if (!strncmp(e->d_name, pre, strlen(pre)) && l > 4 && !strcmp(e->d_name + l - 4, ".dic") &&
                (!best[0] || strcmp(e->d_name, best) < 0) && l < sizeof best)
                snprintf(best, sizeof best, "%s", e->d_name);
        }
        closedir(d);
        if (best[0]) {
            snprintf(path, n, "%s/%s", hyph_dirs[i], best);
            return 1;
        }
    }
    return 0;
}

pm_hyph *pm_hyph_load(const char *lang, const char *file, int line)
{
    char tag[64];
    snprintf(tag, sizeof tag, "%s", lang && *lang ? lang : "en-US");
    /* language and region: en-us / en_US -> en, US (a script subtag, sr-Latn, is dropped) */
    char base[16], region[16] = "";
    size_t bl = strcspn(tag, "-_");
    snprintf(base, sizeof base, "%.*s", (int)(bl < 15 ? bl : 15), tag);
    for (char *q = base; *q; q++) *q = (char)tolower((unsigned char)*q);
    for (const char *q = tag + bl; *q;) {
        q++;
        size_t k = strcspn(q, "-_");
        if (k == 2 || (k == 3 && isdigit((unsigned char)q[0]))) {
            snprintf(region, sizeof region, "%.*s", (int)k, q);
            for (char *r = region; *r; r++) *r = (char)toupper((unsigned char)*r);
            break;
        }
        q += k;
    }
    if (not_hyphenated(base)) return NULL;
    /* found by language and region either way: es-MX -> es_MX, es; es -> es, es_ES, any es_* */
    char name[96], path[512];
    int found = 0;
    if (region[0]) {
        snprintf(name, sizeof name, "%s_%s", base, region);
        found = find_dict(name, path, sizeof path);
    }
    if (!found) found = find_dict(base, path, sizeof path);
    if (!found) {
        char up[16];
        snprintf(up, sizeof up, "%s", base);
        for (char *q = up; *q; q++) *q = (char)toupper((unsigned char)*q);
        snprintf(name, sizeof name, "%s_%s", base, !strcmp(base, "en") ? "US" : up);
        found = find_dict(name, path, sizeof path);
    }
    if (!found) found = find_any_region(base, path, sizeof path);
    if (!found) {
        char buf[64];
        const char *pkg = debian_package(base, region, buf, sizeof buf);
        pm_warn(file, line, 0, "no hyphenation dictionary for language '%s'; the text is not hyphenated", lang);
        if (pkg) pm_hint("install Debian's %s package (apt-get install %s)", pkg, pkg);
        else pm_hint("Debian has no hyphenation patterns for '%s'; put a hyph_%s.dic in /usr/local/share/hyphen, "
                     "or say 'hyphenate: false' under paragraph: in the layout", base, base);
        return NULL;
    }
    pm_hyph *h = pm_xcalloc(1, sizeof *h);
    h->pat = patterns_for(path);
    h->nouns = !strcmp(base, "de") || !strcmp(base, "lb") || !strcmp(base, "nds") || !strcmp(base, "gsw");
    h->left = 2;
    h->right = 3;
    h->cache = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    /* with no words from earlier runs the patterns will surely be needed: start
       loading them now, on another thread */
    if (!map_words(h, path)) start_loading(h->pat);
    return h;
}

void pm_hyph_drop(pm_hyph *h)
{
    if (!h) return;
    write_words(h);
    if (h->pat->loading) dict_of(h); /* the patterns stay loaded for the process */
    unmap_words(h);
    g_hash_table_destroy(h->cache);
    if (h->seen) g_hash_table_destroy(h->seen);
    free(h);
}

void pm_hyph_set_min(pm_hyph *h, int left, int right)
{
    if (!h) return;
    if (h->left != left || h->right != right) {
        g_hash_table_remove_all(h->cache);
        if (h->seen) g_hash_table_remove_all(h->seen);
        unmap_words(h);
        h->words[0] = 0; /* the cache file is for the default minimums */
    }
    h->left = left;
    h->right = right;
}

/* The breaks hit (packed: a count, then character indexes) as byte offsets in word. */
static int offsets_of(const unsigned char *hit, const char *word, size_t len, uint32_t *offsets, int max)
{
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

int pm_hyph_word(pm_hyph *h, const char *word, size_t len, uint32_t *offsets, int max)
{
    if (!h || len < 4 || len > 200) return 0;
    seen_word key = {word, len};
    const unsigned char *seen = h->seen ? g_hash_table_lookup(h->seen, &key) : NULL;
    if (seen) return offsets_of(seen, word, len, offsets, max);
    char *lower = g_utf8_strdown(word, (gssize)len);
    unsigned char *hit = g_hash_table_lookup(h->cache, lower);
    unsigned char found[64];
    if (!hit && h->map && find_mapped(h, lower, found)) hit = found;
    if (!hit && !dict_of(h)) {
        g_free(lower);
        return 0;
    }
    if (!hit) {
        h->dirty |= storable(lower);
        size_t ll = strlen(lower);
        /* character start offsets in the original word, to map back (lowercasing may
           change byte lengths, but not the number of characters for these scripts) */
        glong nchars = g_utf8_strlen(lower, (gssize)ll);
        char *hyphens = pm_xcalloc(ll + 5, 1);
        char **rep = NULL;
        int *pos = NULL, *cut = NULL;
        unsigned char buf[64];
        int n = 0;
        /* a dictionary in an 8-bit charset (Debian's German one is ISO8859-1) takes the
           word in that charset: one byte a character, so hyphens[] still counts characters */
        HyphenDict *dict = h->pat->dict;
        char *conv = NULL;
        if (!dict->utf8 && dict->cset[0]) {
            gsize cl = 0;
            conv = g_convert(lower, (gssize)ll, dict->cset, "UTF-8", NULL, &cl, NULL);
            if (conv && cl != (gsize)nchars) {
                g_free(conv);
                conv = NULL;
            }
        }
        int ok = dict->utf8 || !dict->cset[0] || conv;
        if (ok && hnj_hyphen_hyphenate3(dict, conv ? conv : lower, conv ? (int)nchars : (int)ll, hyphens, NULL,
                                        &rep, &pos, &cut, h->left, h->right, h->left, h->right) == 0) {
            /* UTF-8 dictionaries index hyphens[] by character */
            for (glong i = 0; i < nchars - 1 && n < 63; i++) {
                if (!(hyphens[i] & 1)) continue;
                if (rep && rep[i]) continue; /* spelling-changing break: not expressible */
                buf[1 + n++] = (unsigned char)(i + 1); /* break after character i */
            }
        }
        if (rep) {
            for (size_t i = 0; i < (conv ? (size_t)nchars : ll); i++) free(rep[i]);
            free(rep);
        }
        g_free(conv);
        free(pos);
        free(cut);
        free(hyphens);
        buf[0] = (unsigned char)n;
        hit = g_memdup2(buf, (gsize)n + 1);
        g_hash_table_insert(h->cache, lower, hit);
        lower = NULL;
    }
    g_free(lower);
    seen_put(h, word, len, hit);
    return offsets_of(hit, word, len, offsets, max);
}

int pm_hyph_capitalized_nouns(const pm_hyph *h)
{
    return h && h->nouns;
}
