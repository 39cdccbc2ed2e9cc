/*
 * An output filter registered with ap_register_output_filter runs in the
 * request's thread: concurrent. Its globals race; the per-filter context
 * (f->ctx) does not.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"
#include "util_filter.h"
#include "apr_buckets.h"

struct count_ctx {
    apr_off_t bytes;
};

static apr_off_t total_bytes;

static apr_status_t bytecount_out_filter(ap_filter_t *f, apr_bucket_brigade *bb)
{
    struct count_ctx *ctx = f->ctx;
    apr_bucket *b;

    if (!ctx)
        f->ctx = ctx = apr_pcalloc(f->r->pool, sizeof(*ctx));
    for (b = APR_BRIGADE_FIRST(bb); b != APR_BRIGADE_SENTINEL(bb);
         b = APR_BUCKET_NEXT(b)) {
        if (b->length != (apr_size_t)-1) {
            ctx->bytes += b->length;
            total_bytes += b->length; /* expect: global-race(total_bytes) */
        }
    }
    return ap_pass_brigade(f->next, bb);
}

static void bytecount_insert(request_rec *r)
{
    ap_add_output_filter("BYTECOUNT", NULL, r, r->connection);
}

static void bytecount_register_hooks(apr_pool_t *p)
{
    ap_register_output_filter("BYTECOUNT", bytecount_out_filter, NULL,
                              AP_FTYPE_RESOURCE);
    ap_hook_insert_filter(bytecount_insert, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA bytecount_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    bytecount_register_hooks
};
