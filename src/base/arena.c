/* arena.c - bump allocator (see arena.h), aborting malloc wrappers, and handing freed heap
 * pages back (pm_trim_heap). */
#include "base/arena.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef __GLIBC__ /* (defined by the headers above) */
#include <malloc.h>
#endif

#define PM_ARENA_BLOCK (64 * 1024)
#define PM_ALIGN 16

typedef struct pm_block_hdr {
    struct pm_block_hdr *next;
    size_t size, used;
    _Alignas(PM_ALIGN) unsigned char data[];
} pm_block_hdr;

struct pm_arena {
    pm_block_hdr *head;
    size_t total;
    size_t block;   /* size of a new block */
};

void pm_oom(size_t n)
{
    fprintf(stderr, "pamphlet: out of memory (asked for %zu bytes)\n", n);
    abort();
}

void *pm_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p) pm_oom(n);
    return p;
}

void *pm_xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q) pm_oom(n);
    return q;
}

void *pm_xcalloc(size_t n, size_t sz)
{
    void *p = calloc(n ? n : 1, sz ? sz : 1);
    if (!p) pm_oom(n * sz);
    return p;
}

char *pm_xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = pm_xmalloc(n);
    memcpy(d, s, n);
    return d;
}

static pm_block_hdr *pm_block_new(size_t size)
{
    pm_block_hdr *b = pm_xmalloc(sizeof *b + size);
    b->next = NULL;
    b->size = size;
    b->used = 0;
    return b;
}

pm_arena *pm_arena_new_sized(size_t block_size)
{
    pm_arena *a = pm_xcalloc(1, sizeof *a);
    a->block = block_size < 256 ? 256 : block_size;
    return a;
}

pm_arena *pm_arena_new(void)
{
    return pm_arena_new_sized(PM_ARENA_BLOCK);
}

void pm_arena_drop(pm_arena *a)
{
    if (!a) return;
    pm_block_hdr *b = a->head;
    while (b) {
        pm_block_hdr *n = b->next;
        free(b);
        b = n;
    }
    free(a);
}

void pm_arena_reset(pm_arena *a)
{
    pm_block_hdr *b = a->head;
    if (!b) return;
    /* keep only the last block in the chain (the first one allocated) */
    while (b->next) {
        pm_block_hdr *n = b->next;
        free(b);
        b = n;
    }
    b->used = 0;
    a->head = b;
    a->total = 0;
}

void *pm_arena_alloc(pm_arena *a, size_t n)
{
    size_t need = (n + PM_ALIGN - 1) & ~(size_t)(PM_ALIGN - 1);
    if (need < n) pm_oom(n);
    pm_block_hdr *b = a->head;
    if (!b || b->size - b->used < need) {
        size_t size = need > a->block / 4 ? need : a->block;
        if (need > a->block / 4 && b) {
            /* big allocation: own block, inserted behind the head so the head's
               free space stays usable */
            pm_block_hdr *big = pm_block_new(size);
            big->next = b->next;
            b->next = big;
            big->used = need;
            a->total += n;
            memset(big->data, 0, need);
            return big->data;
        }
        b = pm_block_new(size);
        b->next = a->head;
        a->head = b;
    }
    void *p = b->data + b->used;
    b->used += need;
    a->total += n;
    memset(p, 0, need);
    return p;
}

void *pm_arena_array(pm_arena *a, size_t n, size_t sz)
{
    if (sz && n > SIZE_MAX / sz) pm_oom(SIZE_MAX);
    return pm_arena_alloc(a, n * sz);
}

char *pm_arena_strndup(pm_arena *a, const char *s, size_t n)
{
    char *d = pm_arena_alloc(a, n + 1);
    memcpy(d, s, n);
    d[n] = 0;
    return d;
}

char *pm_arena_strdup(pm_arena *a, const char *s)
{
    return pm_arena_strndup(a, s, strlen(s));
}

char *pm_arena_printf(pm_arena *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) n = 0;
    char *d = pm_arena_alloc(a, (size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(d, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return d;
}

size_t pm_arena_used(const pm_arena *a)
{
    return a->total;
}

static int keep_heap;

void pm_keep_heap(int yes) { keep_heap = yes; }

/* A heap under this is kept: its free pages would be faulted in again by the write that
 * follows (a trap each, 1.8 us on the machine the benchmarks run on: Common Sense's
 * trims cost 3.6 ms of its 85), and a run that small peaks far from any limit. The
 * 400-page book's heap passes it, and its trims keep its peak under 50 MiB. */
#define TRIM_FROM (24u << 20)

void pm_trim_heap(void)
{
#ifdef __GLIBC__
    if (keep_heap) return;
    struct mallinfo2 mi = mallinfo2();
    if (mi.arena + mi.hblkhd >= TRIM_FROM) malloc_trim(0);
#endif
}