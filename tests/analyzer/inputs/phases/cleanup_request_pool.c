/*
 * A cleanup registered on r->pool runs when the request pool is destroyed,
 * in the worker thread that served the request: concurrent.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"

static long open_requests;
static long closed_requests;

static apr_status_t inflight_done(void *data)
{
    closed_requests++; /* expect: global-race(closed_requests) */
    return APR_SUCCESS;
}

static int inflight_post_read(request_rec *r)
{
    open_requests++; /* expect: global-race(open_requests) */
    apr_pool_cleanup_register(r->pool, r, inflight_done,
                              apr_pool_cleanup_null);
    return DECLINED;
}

static void inflight_register_hooks(apr_pool_t *p)
{
    ap_hook_post_read_request(inflight_post_read, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA inflight_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    inflight_register_hooks
};
