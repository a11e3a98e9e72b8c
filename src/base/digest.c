/* digest.c - the content digest of digest.h: zlib's CRC-32 per block, GLib's MD5 over
 * the CRCs. */
#include "base/digest.h"

#include <glib.h>
#include <stdio.h>
#include <string.h>
#include <zlib.h>

#define BLOCK 65536

static void put_crc(GChecksum *md5, uLong crc)
{
    unsigned char c[4];
    for (int k = 0; k < 4; k++) c[k] = (unsigned char)(crc >> (8 * k));
    g_checksum_update(md5, c, 4);
}

void pm_digest16_parts(const pm_digest_part *parts, int nparts, const char *salt, unsigned char out[16])
{
    GChecksum *md5 = g_checksum_new(G_CHECKSUM_MD5);
    size_t n = 0, in_block = 0;
    uLong crc = crc32(0L, Z_NULL, 0);
    for (int k = 0; k < nparts; k++) { /* the blocks run on across the parts */
        const unsigned char *b = parts[k].p;
        for (size_t at = 0; at < parts[k].n;) {
            size_t len = parts[k].n - at < BLOCK - in_block ? parts[k].n - at : BLOCK - in_block;
            crc = crc32(crc, b + at, (uInt)len);
            at += len;
            in_block += len;
            n += len;
            if (in_block < BLOCK) continue;
            put_crc(md5, crc);
            crc = crc32(0L, Z_NULL, 0);
            in_block = 0;
        }
    }
    if (in_block) put_crc(md5, crc);
    char len[32];
    snprintf(len, sizeof len, "%zu:", n);
    g_checksum_update(md5, (const guchar *)len, (gssize)strlen(len));
    if (salt) g_checksum_update(md5, (const guchar *)salt, (gssize)strlen(salt));
    gsize dn = 16;
    g_checksum_get_digest(md5, out, &dn);
    g_checksum_free(md5);
}

void pm_digest16(const void *p, size_t n, const char *salt, unsigned char out[16])
{
    pm_digest_part one = {p, n};
    pm_digest16_parts(&one, 1, salt, out);
}

void pm_digest_hex(const unsigned char d[16], char hex[33])
{
    for (int i = 0; i < 16; i++) snprintf(hex + 2 * i, 3, "%02x", d[i]);
}

uint64_t pm_hash64w(uint64_t h, const void *p, size_t n)
{
    const unsigned char *b = p;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, b + i, 8);
        h = (h ^ w) * 0x9e3779b97f4a7c15ull;
        h ^= h >> 29;
    }
    for (; i < n; i++) h = (h ^ b[i]) * 1099511628211ull;
    return h ^ (h >> 32);
}

uint64_t pm_hash64(uint64_t h, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++) h = (h ^ b[i]) * 1099511628211ull;
    return h;
}
