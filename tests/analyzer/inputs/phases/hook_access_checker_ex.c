/*
 * The access_checker_ex hook runs in worker threads, concurrently: a plain
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

static unsigned long accex_calls;

static int accex_access_checker_ex(request_rec *r)
{
    accex_calls++; /* expect: global-race(accex_calls) */
    ap_log_rerror(APLOG_MARK, APLOG_TRACE1, 0, r, "access_checker_ex #%lu", accex_calls); /* expect: global-race(accex_calls) */
    return DECLINED;
}

static void accex_register_hooks(apr_pool_t *p)
{
    ap_hook_access_checker_ex(accex_access_checker_ex, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA accex_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    accex_register_hooks
};
