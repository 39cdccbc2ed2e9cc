/*
 * The unsafe call is in a helper reached only from an output filter: the
 * filter is a request-time root, the path is filter -> helper.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"
#include "util_filter.h"
#include <time.h>

static const char *footer_time(apr_pool_t *p, apr_time_t t)
{
    time_t secs = (time_t)apr_time_sec(t);
    return apr_pstrdup(p, asctime(gmtime(&secs))); /* expect: mt-unsafe-call(asctime), mt-unsafe-call(gmtime) */
}

static apr_status_t footer_filter(ap_filter_t *f, apr_bucket_brigade *bb)
{
    apr_bucket *eos = APR_BRIGADE_LAST(bb);

    if (!APR_BRIGADE_EMPTY(bb) && APR_BUCKET_IS_EOS(eos)) {
        const char *s = footer_time(f->r->pool, f->r->request_time);
        apr_bucket *b = apr_bucket_immortal_create(s, strlen(s), f->c->bucket_alloc);
        APR_BUCKET_INSERT_BEFORE(eos, b);
    }
    return ap_pass_brigade(f->next, bb);
}

static void footer_register_hooks(apr_pool_t *p)
{
    ap_register_output_filter("FOOTER", footer_filter, NULL, AP_FTYPE_RESOURCE);
}

module AP_MODULE_DECLARE_DATA footer_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    footer_register_hooks
};
