/* digest.c - the content digest of digest.h: zlib's CRC-32 per block, GLib's MD5 over
 * the CRCs. */
#include "base/digest.h"

#include <glib.h>
#include <stdio.h>
#include <string.h>
#include <zlib.h>

#define BLOCK 65536

void pm_digest16(const void *p, size_t n, const char *salt, unsigned char out[16])
{
    GChecksum *md5 = g_checksum_new(G_CHECKSUM_MD5);
    const unsigned char *b = p;
    for (size_t at = 0; at < n; at += BLOCK) {
        size_t len = n - at < BLOCK ? n - at : BLOCK;
        unsigned char c[4];
        uLong crc = crc32(0L, b + at, (uInt)len);
        for (int k = 0; k < 4; k++) c[k] = (unsigned char)(crc >> (8 * k));
        g_checksum_update(md5, c, 4);
    }
    char len[32];
    snprintf(len, sizeof len, "%zu:", n);
    g_checksum_update(md5, (const guchar *)len, (gssize)strlen(len));
    if (salt) g_checksum_update(md5, (const guchar *)salt, (gssize)strlen(salt));
    gsize dn = 16;
    g_checksum_get_digest(md5, out, &dn);
    g_checksum_free(md5);
}

void pm_digest_hex(const unsigned char d[16], char hex[33])
{
    for (int i = 0; i < 16; i++) snprintf(hex + 2 * i, 3, "%02x", d[i]);
}

uint64_t pm_hash64(uint64_t h, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++) h = (h ^ b[i]) * 1099511628211ull;
    return h;
}
