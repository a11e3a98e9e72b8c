/* subset_cache.c - font programs subset in earlier runs (see subset_cache.h), one file
 * each in the cache folder's subsets/: HarfBuzz's subsetting of a document's fonts was
 * 3.5-3.9 ms of every first build of Common Sense (on two threads), and a CLI run after
 * an edit nearly always uses the glyphs the run before it used.
 *
 * A file: a header (a magic string, the program's size uncompressed and compressed, a
 * hash of the compressed bytes), then the bytes as pdffont.c embeds them. One that does
 * not read back whole is ignored (and written again). The key names the font file by
 * path, face, size and modification time: a font replaced by another version is another
 * key. At most KEEP files stay: when a new one is written past that, the oldest go. */
#include "output/subset_cache.h"

#include <dirent.h>
#include <fcntl.h>
#include <hb.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/arena.h"
#include "base/digest.h"
#include "base/fileio.h"

#define MAGIC "pmsub01\n"
#define KEEP 256

typedef struct {
    char magic[8];
    uint64_t raw, nz, hash;
} header;

int pm_subset_key_of(const char *file, int index, unsigned long long content_id, int cff, const unsigned char *used,
                     unsigned nglyphs, pm_subset_key *k)
{
    struct stat st;
    if (!file || stat(file, &st) < 0) return 0;
    long long about[6] = {index, (long long)st.st_size, (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec,
                          (long long)content_id, cff};
    const char *hb = hb_version_string();
    pm_digest_part parts[4] = {{file, strlen(file) + 1}, {about, sizeof about}, {hb, strlen(hb)}, {used, nglyphs}};
    pm_digest16_parts(parts, 4, "pamphlet subset 1", k->d);
    return 1;
}

const char *pm_subset_dir(void)
{
    static char path[4200];
    const char *c = pm_cache_dir();
    if (!c) return NULL;
    snprintf(path, sizeof path, "%s/subsets", c);
    if (mkdir(path, 0700) < 0 && access(path, W_OK) < 0) return NULL;
    return path;
}

static void name_of(const char *dir, const pm_subset_key *k, char *out, size_t n)
{
    char hex[33];
    pm_digest_hex(k->d, hex);
    snprintf(out, n, "%s/%s", dir, hex);
}

unsigned char *pm_subset_load(const char *dir, const pm_subset_key *k, size_t *nz, size_t *raw)
{
    char path[4300];
    name_of(dir, k, path, sizeof path);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return NULL;
    header h;
    unsigned char *z = NULL;
    if (read(fd, &h, sizeof h) == (ssize_t)sizeof h && !memcmp(h.magic, MAGIC, 8) && h.nz && h.nz < (64u << 20)) {
        z = pm_xmalloc(h.nz);
        if (read(fd, z, h.nz) != (ssize_t)h.nz || pm_hash64(PM_HASH64_INIT, z, h.nz) != h.hash) {
            free(z);
            z = NULL;
        }
    }
    close(fd);
    if (z) {
        *nz = h.nz;
        *raw = h.raw;
    }
    return z;
}

/* The oldest files beyond KEEP removed (by modification time: a file is written once). */
static void prune(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) return;
    struct item {
        struct timespec t;
        char name[40];
    } *v = NULL;
    size_t n = 0, cap = 0;
    char path[4300];
    for (struct dirent *e; (e = readdir(d));) {
        struct stat st;
        if (strlen(e->d_name) != 32) continue; /* (the subsets: 32 hex digits) */
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (stat(path, &st) < 0) continue;
        if (n == cap) v = pm_xrealloc(v, (cap = cap * 2 + 64) * sizeof *v);
        v[n].t = st.st_mtim;
        snprintf(v[n].name, sizeof v[n].name, "%s", e->d_name);
        n++;
    }
    closedir(d);
    for (size_t drop = n > KEEP ? n - KEEP : 0; drop > 0; drop--) {
        size_t old = 0;
        for (size_t i = 1; i < n; i++)
            if (v[i].t.tv_sec < v[old].t.tv_sec ||
                (v[i].t.tv_sec == v[old].t.tv_sec && v[i].t.tv_nsec < v[old].t.tv_nsec))
                old = i;
        snprintf(path, sizeof path, "%s/%s", dir, v[old].name);
        unlink(path);
        v[old] = v[--n];
    }
    free(v);
}

void pm_subset_store(const char *dir, const pm_subset_key *k, const unsigned char *z, size_t nz, size_t raw)
{
    char path[4300], tmp[4400];
    name_of(dir, k, path, sizeof path);
    snprintf(tmp, sizeof tmp, "%s.%ld.tmp", path, (long)getpid());
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) return;
    header h = {.raw = raw, .nz = nz, .hash = pm_hash64(PM_HASH64_INIT, z, nz)};
    memcpy(h.magic, MAGIC, 8);
    int ok = write(fd, &h, sizeof h) == (ssize_t)sizeof h && write(fd, z, nz) == (ssize_t)nz;
    if (close(fd) < 0) ok = 0;
    if (!ok || rename(tmp, path) < 0) {
        unlink(tmp);
        return;
    }
    prune(dir);
}
