/*
 * A hit counter: a plain global incremented by the content handler. Under a
 * threaded MPM two threads read the same old value and one increment is lost.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"

static long hits;

static int counter_handler(request_rec *r)
{
    long now;

    if (!r->handler || strcmp(r->handler, "counter") != 0)
        return DECLINED;
    now = ++hits; /* expect: global-race(hits) */
    ap_set_content_type(r, "text/plain");
    ap_rprintf(r, "%ld\n", now);
    return OK;
}

static void counter_register_hooks(apr_pool_t *p)
{
    ap_hook_handler(counter_handler, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA counter_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    counter_register_hooks
};
