/* arena.h - bump allocator for short-lived nodes.
 *
 * Everything allocated from one arena dies together with pm_arena_drop(): a document's
 * blocks and strings, a paragraph's items, a layout's page frames. Allocation never
 * fails: on out-of-memory the program prints a message and aborts (as Redis does), so
 * callers need no error path for it. */
#ifndef PM_ARENA_H
#define PM_ARENA_H

#include <stddef.h>

typedef struct pm_arena pm_arena;

/* A new, empty arena. Never NULL. Release with pm_arena_drop(). */
pm_arena *pm_arena_new(void);
/* The same with blocks of about block_size bytes (for many small arenas). */
pm_arena *pm_arena_new_sized(size_t block_size);
/* Release an arena and everything allocated from it. NULL is fine. */
void pm_arena_drop(pm_arena *a);
/* Forget everything allocated so far but keep the first block for reuse. */
void pm_arena_reset(pm_arena *a);

/* n bytes, zeroed, aligned for any type; owned by the arena. */
void *pm_arena_alloc(pm_arena *a, size_t n);
/* Array of n elements of size sz, zeroed; aborts on overflow. */
void *pm_arena_array(pm_arena *a, size_t n, size_t sz);
/* Copy of s (NUL-terminated) / of n bytes of s plus a NUL, owned by the arena. */
char *pm_arena_strdup(pm_arena *a, const char *s);
char *pm_arena_strndup(pm_arena *a, const char *s, size_t n);
/* printf into the arena. */
char *pm_arena_printf(pm_arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Bytes handed out so far (for benchmarks and tests). */
size_t pm_arena_used(const pm_arena *a);

/* Out of memory (n bytes asked for): said on stderr, and the program aborts. */
__attribute__((noreturn)) void pm_oom(size_t n);
/* malloc/realloc/calloc that abort on out-of-memory. */
void *pm_xmalloc(size_t n);
void *pm_xrealloc(void *p, size_t n);
void *pm_xcalloc(size_t n, size_t sz);
char *pm_xstrdup(const char *s);

/* Give the pages of freed heap memory back to the system (glibc's malloc_trim: every
 * thread's arena, holes between blocks in use too), before a step that needs much new
 * memory at once: libqpdf writing a PDF copies a photo's bytes three times over, and on
 * top of the heap's free pages those copies were the run's peak. It walks every free
 * block (0.4-0.6 ms): worth it before a large write only, and only for a large heap
 * (24 MiB and more: arena.c). Nothing elsewhere than glibc. */
void pm_trim_heap(void);
/* A session that runs again (watch mode) keeps its freed pages for the next run instead:
 * pm_trim_heap does nothing. A rebuild of Common Sense faulted in 1,900 pages again, each
 * a trap into the kernel (a few microseconds on a virtual machine), ~4 ms of 25. */
void pm_keep_heap(int yes);

#endif
