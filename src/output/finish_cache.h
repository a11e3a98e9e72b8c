/* finish_cache.h - the finishing pass's recoloured page content, kept by the bytes cairo
 * wrote (finish_cache.c). The reading PDF's writer hands each page's output to the cache
 * as cairo writes it, on the drawing thread, which recolours the content streams there
 * while the layout goes on; the pass then finds each page's content done. In watch mode
 * the cache lives as long as the session: a page whose content is as before is not
 * recoloured again. Results depend only on the stream's bytes and the colour settings
 * (a change of settings empties the cache), so the output is the same either way. */
#ifndef PM_FINISH_CACHE_H
#define PM_FINISH_CACHE_H

#include <stddef.h>

#include "output/finish.h"

typedef struct pm_finish_cache pm_finish_cache;

/* keep: a watch session's (results stay for the next run); else each result is handed
   over and forgotten when the pass takes it, so that a run's recoloured pages are not
   held twice while the PDF is written. */
pm_finish_cache *pm_finish_cache_new(int keep);
void pm_finish_cache_drop(pm_finish_cache *c);

/* A run begins: results made under other colour settings are dropped; those not used by
   the end of the run (pm_finish_cache_sweep) go. */
void pm_finish_cache_begin(pm_finish_cache *c, const pm_finish *f);
void pm_finish_cache_sweep(pm_finish_cache *c);

/* cairo's output so far, [0, n): the content streams complete since *from are
   recoloured and kept; *from moves past them. Never fails: a stream it cannot read is
   left to the pass. Not thread-safe: one writer at a time, and not during lookups. */
void pm_finish_cache_scan(pm_finish_cache *c, const unsigned char *pdf, size_t n, size_t *from, const pm_finish *f);

/* The result for a content stream's stored bytes: 1 and *out (the recoloured stream,
   deflated; the caller's to free) if it was rewritten, 0 if it is kept as it is, -1 if it
   cannot be read, -2 if the cache does not have it. pdf: cairo's output the scans read,
   complete, where it is now (a cache for one run keeps no copy of the bytes it scanned). */
int pm_finish_cache_get(pm_finish_cache *c, const unsigned char *pdf, const unsigned char *raw, size_t n,
                        pm_bytes *out);
/* The same, and *at: where the bytes are in pdf when the cache scanned them there (a
   one-run cache), else (size_t)-1. */
int pm_finish_cache_get_at(pm_finish_cache *c, const unsigned char *pdf, const unsigned char *raw, size_t n,
                           pm_bytes *out, size_t *at);

/* The pass's own recolouring of one Flate content stream (the cache makes its results
   with it): 1 and *out (deflated) if rewritten, 0 if unchanged, -1 if not inflatable. */
int pm_finish_recolour_stream(const unsigned char *raw, size_t n, int flate, const pm_finish *f, pm_bytes *out);

#endif
