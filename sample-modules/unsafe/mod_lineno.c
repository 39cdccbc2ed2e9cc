/*
 * mod_lineno.c — an output filter that numbers the lines of a response.
 *
 * Feature: `SetOutputFilter LINENO` prefixes every line of a response with
 * its number ("1: ", "2: ", ...), whatever produced it and however it is
 * split into brigades. The module also has a "lineno-report" handler that
 * streams a 40-line report in four flushed sections, to show it off:
 *
 *     1: section 1 item 1
 *     ...
 *     40: section 4 item 10
 *
 * Seeded defect (unsafe under threads): the filter keeps its position (the
 * line number and whether the next byte starts a line) in two static
 * variables, `line_no` and `at_line_start`, instead of in f->ctx. A filter
 * is called once per brigade and the state must survive between calls —
 * but the statics are shared by every response being filtered at the same
 * time. Client-observable: line numbers skip, repeat or restart in the
 * middle of a response. Fix: a struct in f->ctx (see safe/mod_lineno_ctx.c).
 *
 *     <Location /report>
 *         SetHandler lineno-report
 *         SetOutputFilter LINENO
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

#define LINENO_SECTIONS 4
#define LINENO_ITEMS 10

/* Position in "the" response being numbered. */
static unsigned int line_no;
static int at_line_start;

static void lineno_copy(apr_bucket_brigade *out, const char *data,
                        apr_size_t len)
{
    apr_size_t i, start = 0;

    for (i = 0; i < len; i++) {
        if (at_line_start) {
            apr_brigade_printf(out, NULL, NULL, "%u: ", ++line_no);
            at_line_start = 0;
        }
        if (data[i] == '\n') {
            apr_brigade_write(out, NULL, NULL, data + start, i + 1 - start);
            start = i + 1;
            at_line_start = 1;
        }
    }
    if (start < len) {
        apr_brigade_write(out, NULL, NULL, data + start, len - start);
    }
}

static apr_status_t lineno_filter(ap_filter_t *f, apr_bucket_brigade *bb)
{
    apr_bucket_brigade *out;
    apr_status_t rv = APR_SUCCESS;

    if (f->ctx == NULL) { /* first brigade of this response */
        f->ctx = f;
        line_no = 0;
        at_line_start = 1;
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
            lineno_copy(out, data, len);
        }
        apr_bucket_delete(b);
    }
    if (rv != APR_SUCCESS) {
        return rv;
    }
    return ap_pass_brigade(f->next, out);
}

static int lineno_report_handler(request_rec *r)
{
    int s, i;

    if (strcmp(r->handler, "lineno-report") != 0) {
        return DECLINED;
    }
    ap_set_content_type(r, "text/plain");
    for (s = 1; s <= LINENO_SECTIONS; s++) {
        for (i = 1; i <= LINENO_ITEMS; i++) {
            ap_rprintf(r, "section %d item %d\n", s, i);
        }
        ap_rflush(r); /* stream each section as soon as it is ready */
    }
    return OK;
}

static void lineno_register_hooks(apr_pool_t *p)
{
    ap_register_output_filter("LINENO", lineno_filter, NULL, AP_FTYPE_RESOURCE);
    ap_hook_handler(lineno_report_handler, NULL, NULL, APR_HOOK_MIDDLE);
}

AP_DECLARE_MODULE(lineno) = {
    STANDARD20_MODULE_STUFF,
    NULL,                 /* create per-dir config */
    NULL,                 /* merge per-dir config */
    NULL,                 /* create per-server config */
    NULL,                 /* merge per-server config */
    NULL,                 /* command table */
    lineno_register_hooks /* register hooks */
};
