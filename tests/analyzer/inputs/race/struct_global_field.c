/*
 * A global struct whose fields are counters updated by the handler.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"

static struct {
    long get;
    long post;
    long other;
} method_stats;

static int mstats_handler(request_rec *r)
{
    if (!r->handler || strcmp(r->handler, "mstats") != 0)
        return DECLINED;
    if (r->method_number == M_GET)
        method_stats.get++; /* expect: global-race(method_stats) */
    else if (r->method_number == M_POST)
        method_stats.post++; /* expect: global-race(method_stats) */
    else
        method_stats.other++; /* expect: global-race(method_stats) */
    ap_set_content_type(r, "text/plain");
    ap_rputs("counted\n", r);
    return OK;
}

static void mstats_register_hooks(apr_pool_t *p)
{
    ap_hook_handler(mstats_handler, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA mstats_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    mstats_register_hooks
};
