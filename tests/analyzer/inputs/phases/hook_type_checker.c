/*
 * The type_checker hook runs in worker threads, concurrently: a plain
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

static unsigned long tc_calls;

static int tc_type_checker(request_rec *r)
{
    tc_calls++; /* expect: global-race(tc_calls) */
    ap_log_rerror(APLOG_MARK, APLOG_TRACE1, 0, r, "type_checker #%lu", tc_calls); /* expect: global-race(tc_calls) */
    return DECLINED;
}

static void tc_register_hooks(apr_pool_t *p)
{
    ap_hook_type_checker(tc_type_checker, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA tc_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    tc_register_hooks
};
