/* digest.h - a cheap content digest for the identifiers an output carries (a PDF's
 * trailer /ID, the XMP DocumentID): same bytes, same digest, so two runs stay
 * byte-identical. Not for security. */
#ifndef PM_DIGEST_H
#define PM_DIGEST_H

#include <stddef.h>
#include <stdint.h>

/* 16 bytes from n bytes at p and a salt string (may be NULL): a CRC-32 of every 64 KB
 * block, the length and the salt, joined by MD5. Any change to the bytes changes its
 * block's CRC; the CRCs cost a fifth of an MD5 over the whole, which matters for a PDF
 * with a photo of several megabytes. */
void pm_digest16(const void *p, size_t n, const char *salt, unsigned char out[16]);
/* The same digest of bytes given in parts, one after the other (a file held in memory
 * with runs of it elsewhere: base/fileio.h's holes). */
typedef struct pm_digest_part {
    const void *p;
    size_t n;
} pm_digest_part;
void pm_digest16_parts(const pm_digest_part *parts, int nparts, const char *salt, unsigned char out[16]);

/* The 16 bytes as 32 lower-case hex digits and a NUL. */
void pm_digest_hex(const unsigned char d[16], char hex[33]);

/* FNV-1a over n bytes at p, going on from h (start from PM_HASH64_INIT): for in-memory
 * keys and "same as last time" checks (the layout's files, a cache's settings). */
#define PM_HASH64_INIT 1469598103934665603ull
uint64_t pm_hash64(uint64_t h, const void *p, size_t n);
/* The same kind of key, eight bytes at a time (for large inputs: a page's glyphs); not the
 * same values as pm_hash64. */
uint64_t pm_hash64w(uint64_t h, const void *p, size_t n);

#endif
