/*
 * A global apr_array_header_t appended to by the handler: apr_array_push
 * reallocates and bumps nelts without any synchronisation.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"
#include "apr_tables.h"

static apr_array_header_t *slow_uris;

static int slowlog_post_config(apr_pool_t *pconf, apr_pool_t *plog,
                               apr_pool_t *ptemp, server_rec *s)
{
    slow_uris = apr_array_make(pconf, 32, sizeof(const char *));
    return OK;
}

static int slowlog_log(request_rec *r)
{
    if (apr_time_now() - r->request_time > apr_time_from_sec(2)) {
        const char **slot = apr_array_push(slow_uris); /* expect: global-race(slow_uris) */
        *slot = "slow";
    }
    return DECLINED;
}

static void slowlog_register_hooks(apr_pool_t *p)
{
    ap_hook_post_config(slowlog_post_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_log_transaction(slowlog_log, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA slowlog_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    slowlog_register_hooks
};
