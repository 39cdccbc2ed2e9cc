/* mc_file.c — whole-file I/O, atomic writes, SHA-256 via libsodium. */
#include "mc_file.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

mc_status mc_file_read(const char *path, char **out, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return MC_ERR_IO;
    size_t cap = 4096, n = 0;
    char *data = mc_xmalloc(cap);
    for (;;) {
        if (cap - n < 4096) {
            cap *= 2;
            data = mc_xrealloc(data, cap);
        }
        size_t got = fread(data + n, 1, cap - n - 1, f);
        n += got;
        if (got == 0)
            break;
    }
    int err = ferror(f);
    fclose(f);
    if (err) {
        free(data);
        return MC_ERR_IO;
    }
    data[n] = '\0';
    *out = data;
    if (len)
        *len = n;
    return MC_OK;
}

mc_status mc_file_write_atomic(const char *path, const void *data, size_t len)
{
    size_t plen = strlen(path) + 32;
    char *tmp = mc_xmalloc(plen);
    snprintf(tmp, plen, "%s.tmp.%ld", path, (long)getpid());
    FILE *f = fopen(tmp, "wb");
    if (!f) {
        free(tmp);
        return MC_ERR_IO;
    }
    int ok = fwrite(data, 1, len, f) == len;
    ok = (fflush(f) == 0) && ok;
    ok = (fsync(fileno(f)) == 0) && ok;
    ok = (fclose(f) == 0) && ok;
    if (!ok || rename(tmp, path) != 0) {
        unlink(tmp);
        free(tmp);
        return MC_ERR_IO;
    }
    free(tmp);
    return MC_OK;
}

static void to_hex(const unsigned char *d, size_t n, char *hex)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        hex[2 * i] = digits[d[i] >> 4];
        hex[2 * i + 1] = digits[d[i] & 15];
    }
    hex[2 * n] = '\0';
}

void mc_sha256_hex(const void *data, size_t len, char hex[65])
{
    unsigned char d[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(d, data, len);
    to_hex(d, sizeof d, hex);
}

mc_status mc_file_sha256(const char *path, char hex[65])
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return MC_ERR_IO;
    crypto_hash_sha256_state st;
    crypto_hash_sha256_init(&st);
    unsigned char chunk[65536];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0)
        crypto_hash_sha256_update(&st, chunk, got);
    int err = ferror(f);
    fclose(f);
    if (err)
        return MC_ERR_IO;
    unsigned char d[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_final(&st, d);
    to_hex(d, sizeof d, hex);
    return MC_OK;
}

mc_status mc_mkdirs(const char *path)
{
    char *p = mc_xstrdup(path);
    for (char *s = p + 1; *s; s++) {
        if (*s != '/')
            continue;
        *s = '\0';
        if (mkdir(p, 0777) != 0 && errno != EEXIST) {
            free(p);
            return MC_ERR_IO;
        }
        *s = '/';
    }
    mc_status st = MC_OK;
    if (mkdir(p, 0777) != 0 && errno != EEXIST)
        st = MC_ERR_IO;
    free(p);
    return st;
}
