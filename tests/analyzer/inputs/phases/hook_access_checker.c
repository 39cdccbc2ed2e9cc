/*
 * The access_checker hook runs in worker threads, concurrently: a plain
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

static unsigned long acc_calls;

static int acc_access_checker(request_rec *r)
{
    acc_calls++; /* expect: global-race(acc_calls) */
    ap_log_rerror(APLOG_MARK, APLOG_TRACE1, 0, r, "access_checker #%lu", acc_calls); /* expect: global-race(acc_calls) */
    return DECLINED;
}

static void acc_register_hooks(apr_pool_t *p)
{
    ap_hook_access_checker(acc_access_checker, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA acc_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    acc_register_hooks
};
