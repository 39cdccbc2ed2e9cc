/* md5_base64.c — util_md5.h digests and httpd.h base64 helpers.
 *
 * Contract: results are allocated from the caller's pool (one per thread);
 * ap_md5contextTo64 finalises the caller's context. No shared state:
 * thread-safe. Each exported function calls MC_API_ENTER() once on entry.
 */
#include <string.h>

#include "apr_base64.h"
#include "apr_md5.h"
#include "apr_strings.h"

#include "httpd.h"
#include "util_md5.h"

#include "api_internal.h"

static char *md5_hex(apr_pool_t *p, const unsigned char *buf, apr_size_t len)
{
    unsigned char hash[APR_MD5_DIGESTSIZE];
    char *out = apr_palloc(p, 2 * APR_MD5_DIGESTSIZE + 1);
    int i;

    apr_md5(hash, buf, len);
    for (i = 0; i < APR_MD5_DIGESTSIZE; ++i) {
        out[2 * i] = MC__HEX_LOWER[hash[i] >> 4];
        out[2 * i + 1] = MC__HEX_LOWER[hash[i] & 0xf];
    }
    out[2 * APR_MD5_DIGESTSIZE] = '\0';
    return out;
}

AP_DECLARE(char *)
ap_md5_binary(apr_pool_t *a, const unsigned char *buf, int len)
{
    MC_API_ENTER();
    return md5_hex(a, buf, len < 0 ? 0 : (apr_size_t)len);
}

AP_DECLARE(char *) ap_md5(apr_pool_t *a, const unsigned char *string)
{
    MC_API_ENTER();
    return md5_hex(a, string, strlen((const char *)string));
}

/* Base64 of the final digest: 22 significant characters plus "==". */
static char *context_to_64(apr_pool_t *p, apr_md5_ctx_t *context)
{
    unsigned char digest[APR_MD5_DIGESTSIZE];
    char *out = apr_palloc(p, apr_base64_encode_len(APR_MD5_DIGESTSIZE));

    apr_md5_final(digest, context);
    apr_base64_encode_binary(out, digest, APR_MD5_DIGESTSIZE);
    return out;
}

AP_DECLARE(char *) ap_md5contextTo64(apr_pool_t *p, apr_md5_ctx_t *context)
{
    MC_API_ENTER();
    return context_to_64(p, context);
}

/* Reads infile from its current position to EOF. */
AP_DECLARE(char *) ap_md5digest(apr_pool_t *p, apr_file_t *infile)
{
    apr_md5_ctx_t ctx;
    char buf[4096];
    apr_size_t n = sizeof(buf);

    MC_API_ENTER();
    apr_md5_init(&ctx);
    while (apr_file_read(infile, buf, &n) == APR_SUCCESS && n > 0) {
        apr_md5_update(&ctx, buf, n);
        n = sizeof(buf);
    }
    return context_to_64(p, &ctx);
}

AP_DECLARE(char *) ap_pbase64decode(apr_pool_t *p, const char *bufcoded)
{
    char *decoded;
    int len;

    MC_API_ENTER();
    decoded = apr_palloc(p, apr_base64_decode_len(bufcoded) + 1);
    len = apr_base64_decode(decoded, bufcoded);
    decoded[len] = '\0';
    return decoded;
}

AP_DECLARE(char *) ap_pbase64encode(apr_pool_t *p, char *string)
{
    int len = (int)strlen(string);
    char *encoded;

    MC_API_ENTER();
    encoded = apr_palloc(p, apr_base64_encode_len(len));
    apr_base64_encode(encoded, string, len);
    return encoded;
}
