/* subset_cache.h - font programs subset in earlier runs, kept in the cache folder
 * (subset_cache.c), for pdffont.c: a run after an edit that brought no new glyph (most
 * edits) subsets no font again. */
#ifndef PM_SUBSET_CACHE_H
#define PM_SUBSET_CACHE_H

#include <stddef.h>

/* A subset's name: a digest of the font file (its path, face index, size, modification
   time, and what the caller knows of its bytes), its glyph set, the program's kind and
   HarfBuzz's version. */
typedef struct pm_subset_key {
    unsigned char d[16];
} pm_subset_key;

/* The key of file's face `index` subset to the glyphs used (used[g] nonzero, for g below
   nglyphs); 0 if the file cannot be looked at (then nothing is kept for it). */
int pm_subset_key_of(const char *file, int index, unsigned long long content_id, int cff, const unsigned char *used,
                     unsigned nglyphs, pm_subset_key *k);
/* The folder the subsets are kept in (made if need be), or NULL: then none are. Main
   thread; the name stays valid for the run. */
const char *pm_subset_dir(void);
/* The compressed program kept under k in dir: malloc'd bytes (*nz of them) and the
   program's size uncompressed in *raw; NULL if none is kept, or the file is not whole. */
unsigned char *pm_subset_load(const char *dir, const pm_subset_key *k, size_t *nz, size_t *raw);
/* Keep a program under k (written to a temporary beside it, then renamed: a reader never
   sees half a file); the oldest go when the folder holds more than it should. Any
   thread; failures are silent (the cache is only a cache). */
void pm_subset_store(const char *dir, const pm_subset_key *k, const unsigned char *z, size_t nz, size_t raw);

#endif
