/*
 * The auth_checker hook runs in worker threads, concurrently: a plain
 * counter written there races (the write and the read in the log call are
 * both reported).
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_connection.h"
#include "http_log.h"
#include "apr_strings.h"

static unsigned long authz_calls;

static int authz_auth_checker(request_rec *r)
{
    authz_calls++; /* expect: global-race(authz_calls) */
    ap_log_rerror(APLOG_MARK, APLOG_TRACE1, 0, r, "auth_checker #%lu", authz_calls); /* expect: global-race(authz_calls) */
    return DECLINED;
}

static void authz_register_hooks(apr_pool_t *p)
{
    ap_hook_auth_checker(authz_auth_checker, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA authz_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    authz_register_hooks
};
