/*
 * mod_lineno_ctx.c — line numbers for responses, with the state in f->ctx.
 *
 * Feature: `SetOutputFilter LINENO_CTX` prefixes every line of a response
 * with its number ("1: ", "2: ", ...), however the response is split into
 * brigades; the "lineno-ctx-report" handler streams a 40-line report in four
 * flushed sections to show it off (the safe twin of unsafe/mod_lineno.c).
 *
 * Why it is safe: the filter's position (line number, whether the next byte
 * starts a line) lives in a struct allocated from r->pool on the first call
 * and kept in f->ctx, which belongs to this response's filter instance.
 *
 *     <Location /report-ctx>
 *         SetHandler lineno-ctx-report
 *         SetOutputFilter LINENO_CTX
 *     </Location>
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "util_filter.h"
#include "ap_config.h"

#include "apr_buckets.h"
#include "apr_strings.h"

#define LINENO_CTX_SECTIONS 4
#define LINENO_CTX_ITEMS 10

struct lineno_ctx {
    unsigned int line_no; /* lines numbered so far in this response */
    int at_line_start;    /* the next byte starts a new line */
};

static void lineno_ctx_copy(struct lineno_ctx *ctx, apr_bucket_brigade *out,
                            const char *data, apr_size_t len)
{
    apr_size_t i, start = 0;

    for (i = 0; i < len; i++) {
        if (ctx->at_line_start) {
            apr_brigade_printf(out, NULL, NULL, "%u: ", ++ctx->line_no);
            ctx->at_line_start = 0;
        }
        if (data[i] == '\n') {
            apr_brigade_write(out, NULL, NULL, data + start, i + 1 - start);
            start = i + 1;
            ctx->at_line_start = 1;
        }
    }
    if (start < len) {
        apr_brigade_write(out, NULL, NULL, data + start, len - start);
    }
}

static apr_status_t lineno_ctx_filter(ap_filter_t *f, apr_bucket_brigade *bb)
{
    struct lineno_ctx *ctx = f->ctx;
    apr_bucket_brigade *out;
    apr_status_t rv = APR_SUCCESS;

    if (ctx == NULL) { /* first brigade of this response */
        f->ctx = ctx = apr_pcalloc(f->r->pool, sizeof(*ctx));
        ctx->at_line_start = 1;
        apr_table_unset(f->r->headers_out, "Content-Length");
    }
    out = apr_brigade_create(f->r->pool, f->c->bucket_alloc);
    while (!APR_BRIGADE_EMPTY(bb) && rv == APR_SUCCESS) {
        apr_bucket *b = APR_BRIGADE_FIRST(bb);
        const char *data;
        apr_size_t len;

        if (APR_BUCKET_IS_METADATA(b)) {
            APR_BUCKET_REMOVE(b);
            APR_BRIGADE_INSERT_TAIL(out, b);
            continue;
        }
        rv = apr_bucket_read(b, &data, &len, APR_BLOCK_READ);
        if (rv == APR_SUCCESS) {
            lineno_ctx_copy(ctx, out, data, len);
        }
        apr_bucket_delete(b);
    }
    if (rv != APR_SUCCESS) {
        return rv;
    }
    return ap_pass_brigade(f->next, out);
}

static int lineno_ctx_report_handler(request_rec *r)
{
    int s, i;

    if (strcmp(r->handler, "lineno-ctx-report") != 0) {
        return DECLINED;
    }
    ap_set_content_type(r, "text/plain");
    for (s = 1; s <= LINENO_CTX_SECTIONS; s++) {
        for (i = 1; i <= LINENO_CTX_ITEMS; i++) {
            ap_rprintf(r, "section %d item %d\n", s, i);
        }
        ap_rflush(r); /* stream each section as soon as it is ready */
    }
    return OK;
}

static void lineno_ctx_register_hooks(apr_pool_t *p)
{
    ap_register_output_filter("LINENO_CTX", lineno_ctx_filter, NULL,
                              AP_FTYPE_RESOURCE);
    ap_hook_handler(lineno_ctx_report_handler, NULL, NULL, APR_HOOK_MIDDLE);
}

AP_DECLARE_MODULE(lineno_ctx) = {
    STANDARD20_MODULE_STUFF,
    NULL,                     /* create per-dir config */
    NULL,                     /* merge per-dir config */
    NULL,                     /* create per-server config */
    NULL,                     /* merge per-server config */
    NULL,                     /* command table */
    lineno_ctx_register_hooks /* register hooks */
};
