/* imgcache.h - images by path, loaded once per run and kept between the runs of watch
 * mode while their files do not change (same size, modification time and inode). */
#ifndef PM_IMGCACHE_H
#define PM_IMGCACHE_H

#include "image/image.h"

typedef struct pm_imgcache pm_imgcache;

pm_imgcache *pm_imgcache_new(const pm_image_limits *lim);
void pm_imgcache_drop(pm_imgcache *c);

/* The image at path (borrowed: valid until the cache is dropped or the next
 * pm_imgcache_sweep). Errors name ref_file:ref_line, as pm_image_load. */
int pm_imgcache_get(pm_imgcache *c, const char *path, const char *ref_file, int ref_line, pm_image **out);

/* The file at path changed: load it again when next asked for (watch mode: a file
 * rewritten in place within one tick of the clock keeps its size and time). */
void pm_imgcache_forget(pm_imgcache *c, const char *path);

/* Start a run: images not asked for again before the next sweep are released then. */
void pm_imgcache_begin(pm_imgcache *c);
void pm_imgcache_sweep(pm_imgcache *c);

/* Let every image go now (a session of one run, its layout done: the writers hold their
 * own references to what they still need). */
void pm_imgcache_clear(pm_imgcache *c);

/* Paths of the images asked for since pm_imgcache_begin, also those that could not be
 * loaded (for watch mode). Valid until the next pm_imgcache_begin. */
int pm_imgcache_paths(pm_imgcache *c, const char ***paths);

#endif
