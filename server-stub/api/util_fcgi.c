/* util_fcgi.c — util_fcgi.h: FastCGI record header and begin-request body
 * packing, and name-value pair encoding of an environment table (FastCGI
 * 1.0 spec, section 3.4: lengths < 128 take one byte, others four bytes,
 * big-endian, with the top bit set).
 *
 * Contract: pure functions over the caller's structs, arrays and buffers;
 * no allocation, no shared state. Each exported function calls
 * MC_API_ENTER() once on entry.
 */
#include <string.h>

#include "apr_tables.h"

#include "httpd.h"
#include "http_log.h"
#include "util_fcgi.h"

#include "api_internal.h"

#undef APLOG_MODULE_INDEX
#define APLOG_MODULE_INDEX 0

AP_DECLARE(void) ap_fcgi_header_to_array(ap_fcgi_header *h, unsigned char a[])
{
    MC_API_ENTER();
    a[AP_FCGI_HDR_VERSION_OFFSET] = h->version;
    a[AP_FCGI_HDR_TYPE_OFFSET] = h->type;
    a[AP_FCGI_HDR_REQUEST_ID_B1_OFFSET] = h->requestIdB1;
    a[AP_FCGI_HDR_REQUEST_ID_B0_OFFSET] = h->requestIdB0;
    a[AP_FCGI_HDR_CONTENT_LEN_B1_OFFSET] = h->contentLengthB1;
    a[AP_FCGI_HDR_CONTENT_LEN_B0_OFFSET] = h->contentLengthB0;
    a[AP_FCGI_HDR_PADDING_LEN_OFFSET] = h->paddingLength;
    a[AP_FCGI_HDR_RESERVED_OFFSET] = h->reserved;
}

AP_DECLARE(void) ap_fcgi_header_from_array(ap_fcgi_header *h, unsigned char a[])
{
    MC_API_ENTER();
    h->version = a[AP_FCGI_HDR_VERSION_OFFSET];
    h->type = a[AP_FCGI_HDR_TYPE_OFFSET];
    h->requestIdB1 = a[AP_FCGI_HDR_REQUEST_ID_B1_OFFSET];
    h->requestIdB0 = a[AP_FCGI_HDR_REQUEST_ID_B0_OFFSET];
    h->contentLengthB1 = a[AP_FCGI_HDR_CONTENT_LEN_B1_OFFSET];
    h->contentLengthB0 = a[AP_FCGI_HDR_CONTENT_LEN_B0_OFFSET];
    h->paddingLength = a[AP_FCGI_HDR_PADDING_LEN_OFFSET];
    h->reserved = a[AP_FCGI_HDR_RESERVED_OFFSET];
}

AP_DECLARE(void)
ap_fcgi_header_fields_from_array(unsigned char *version, unsigned char *type,
                                 apr_uint16_t *request_id,
                                 apr_uint16_t *content_len,
                                 unsigned char *padding_len, unsigned char a[])
{
    MC_API_ENTER();
    *version = a[AP_FCGI_HDR_VERSION_OFFSET];
    *type = a[AP_FCGI_HDR_TYPE_OFFSET];
    *request_id = (apr_uint16_t)((a[AP_FCGI_HDR_REQUEST_ID_B1_OFFSET] << 8) |
                                 a[AP_FCGI_HDR_REQUEST_ID_B0_OFFSET]);
    *content_len = (apr_uint16_t)((a[AP_FCGI_HDR_CONTENT_LEN_B1_OFFSET] << 8) |
                                  a[AP_FCGI_HDR_CONTENT_LEN_B0_OFFSET]);
    *padding_len = a[AP_FCGI_HDR_PADDING_LEN_OFFSET];
}

AP_DECLARE(void)
ap_fcgi_begin_request_body_to_array(ap_fcgi_begin_request_body *h,
                                    unsigned char a[])
{
    MC_API_ENTER();
    a[AP_FCGI_BRB_ROLEB1_OFFSET] = h->roleB1;
    a[AP_FCGI_BRB_ROLEB0_OFFSET] = h->roleB0;
    a[AP_FCGI_BRB_FLAGS_OFFSET] = h->flags;
    memcpy(a + AP_FCGI_BRB_RESERVED0_OFFSET, h->reserved, sizeof(h->reserved));
}

AP_DECLARE(void)
ap_fcgi_fill_in_header(ap_fcgi_header *header, unsigned char type,
                       apr_uint16_t request_id, apr_uint16_t content_len,
                       unsigned char padding_len)
{
    MC_API_ENTER();
    header->version = AP_FCGI_VERSION_1;
    header->type = type;
    header->requestIdB1 = (unsigned char)(request_id >> 8);
    header->requestIdB0 = (unsigned char)(request_id & 0xff);
    header->contentLengthB1 = (unsigned char)(content_len >> 8);
    header->contentLengthB0 = (unsigned char)(content_len & 0xff);
    header->paddingLength = padding_len;
    header->reserved = 0;
}

AP_DECLARE(void)
ap_fcgi_fill_in_request_body(ap_fcgi_begin_request_body *brb, int role,
                             unsigned char flags)
{
    MC_API_ENTER();
    brb->roleB1 = (unsigned char)((role >> 8) & 0xff);
    brb->roleB0 = (unsigned char)(role & 0xff);
    brb->flags = flags;
    memset(brb->reserved, 0, sizeof(brb->reserved));
}

static apr_size_t len_bytes(apr_size_t len)
{
    return (len >> 7) == 0 ? 1 : 4;
}

/* Encoded size of one entry. */
static apr_size_t entry_size(const apr_table_entry_t *e)
{
    apr_size_t kl = strlen(e->key);
    apr_size_t vl = e->val ? strlen(e->val) : 0;

    return len_bytes(kl) + kl + len_bytes(vl) + vl;
}

/* Size of the next record's worth of entries (within maxlen, capped at
 * AP_FCGI_MAX_CONTENT_LEN); advances *starting_elem past them. Entries
 * without a key are skipped. */
AP_DECLARE(apr_size_t)
ap_fcgi_encoded_env_len(apr_table_t *env, apr_size_t maxlen, int *starting_elem)
{
    const apr_array_header_t *arr = apr_table_elts(env);
    const apr_table_entry_t *elts = (const apr_table_entry_t *)arr->elts;
    apr_size_t total = 0;
    int i;

    MC_API_ENTER();
    if (maxlen > AP_FCGI_MAX_CONTENT_LEN)
        maxlen = AP_FCGI_MAX_CONTENT_LEN;
    for (i = *starting_elem; i < arr->nelts; ++i, ++*starting_elem) {
        apr_size_t n;
        if (!elts[i].key)
            continue;
        n = entry_size(&elts[i]);
        if (total + n > maxlen)
            break;
        total += n;
    }
    return total;
}

static unsigned char *put_len(unsigned char *d, apr_size_t len)
{
    if ((len >> 7) == 0) {
        *d++ = (unsigned char)len;
        return d;
    }
    *d++ = (unsigned char)(((len >> 24) & 0x7f) | 0x80);
    *d++ = (unsigned char)((len >> 16) & 0xff);
    *d++ = (unsigned char)((len >> 8) & 0xff);
    *d++ = (unsigned char)(len & 0xff);
    return d;
}

/* Encode entries from *starting_elem while they fit in buflen. */
AP_DECLARE(apr_status_t)
ap_fcgi_encode_env(request_rec *r, apr_table_t *env, void *buffer,
                   apr_size_t buflen, int *starting_elem)
{
    const apr_array_header_t *arr = apr_table_elts(env);
    const apr_table_entry_t *elts = (const apr_table_entry_t *)arr->elts;
    unsigned char *d = buffer;
    apr_size_t used = 0;
    int i;

    MC_API_ENTER();
    for (i = *starting_elem; i < arr->nelts; ++i, ++*starting_elem) {
        apr_size_t kl, vl, n;
        if (!elts[i].key)
            continue;
        n = entry_size(&elts[i]);
        if (used + n > buflen)
            return used ? APR_SUCCESS : APR_ENOSPC;
        kl = strlen(elts[i].key);
        vl = elts[i].val ? strlen(elts[i].val) : 0;
        d = put_len(d, kl);
        d = put_len(d, vl);
        memcpy(d, elts[i].key, kl);
        d += kl;
        if (vl)
            memcpy(d, elts[i].val, vl);
        d += vl;
        used += n;
    }
    return APR_SUCCESS;
}
