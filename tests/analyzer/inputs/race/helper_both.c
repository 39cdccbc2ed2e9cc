/*
 * A helper called from post_config (harmless) and from the handler: it is
 * reachable at request time, so its writes race. Only one finding per
 * access site, whatever the number of roots.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"

static apr_time_t last_reset;
static long served;

static void reset_stats(void)
{
    served = 0; /* expect: global-race(served) */
    last_reset = apr_time_now(); /* expect: global-race(last_reset) */
}

static int rs_post_config(apr_pool_t *pconf, apr_pool_t *plog,
                          apr_pool_t *ptemp, server_rec *s)
{
    reset_stats();
    return OK;
}

static int rs_handler(request_rec *r)
{
    if (!r->handler || strcmp(r->handler, "resetstats") != 0)
        return DECLINED;
    if (r->args && strcmp(r->args, "reset") == 0)
        reset_stats();
    ap_set_content_type(r, "text/plain");
    ap_rputs("done\n", r);
    return OK;
}

static void rs_register_hooks(apr_pool_t *p)
{
    ap_hook_post_config(rs_post_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_handler(rs_handler, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA rs_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    rs_register_hooks
};
