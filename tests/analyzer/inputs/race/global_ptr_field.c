/*
 * A global pointer to a heap object: the pointer itself is set once at
 * config time, but the object it points to is written by every request.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"

struct traffic {
    apr_off_t bytes;
    long requests;
};

static struct traffic *traffic;

static int traffic_post_config(apr_pool_t *pconf, apr_pool_t *plog,
                               apr_pool_t *ptemp, server_rec *s)
{
    traffic = apr_pcalloc(pconf, sizeof(*traffic));
    traffic->requests = 0;
    return OK;
}

static int traffic_log(request_rec *r)
{
    traffic->requests++; /* expect: global-race(traffic) */
    traffic->bytes += r->bytes_sent; /* expect: global-race(traffic) */
    return DECLINED;
}

static void traffic_register_hooks(apr_pool_t *p)
{
    ap_hook_post_config(traffic_post_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_log_transaction(traffic_log, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA traffic_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    traffic_register_hooks
};
