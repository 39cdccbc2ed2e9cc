/*
 * A function pointer stored in a global at config time and called at
 * request time: the target chosen at post_config runs at request time.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"

typedef int (*impl_fn)(request_rec *r);

static long fast_calls;
static impl_fn impl;

static int fast_impl(request_rec *r)
{
    fast_calls++; /* expect: global-race(fast_calls) */
    ap_rputs("fast\n", r);
    return OK;
}

static int gp_post_config(apr_pool_t *pconf, apr_pool_t *plog,
                          apr_pool_t *ptemp, server_rec *s)
{
    impl = fast_impl;
    return OK;
}

static int gp_handler(request_rec *r)
{
    if (!r->handler || strcmp(r->handler, "impl") != 0)
        return DECLINED;
    ap_set_content_type(r, "text/plain");
    return impl(r);
}

static void gp_register_hooks(apr_pool_t *p)
{
    ap_hook_post_config(gp_post_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_handler(gp_handler, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA gp_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    gp_register_hooks
};
