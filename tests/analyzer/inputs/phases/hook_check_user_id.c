/*
 * The check_user_id hook runs in worker threads, concurrently: a plain
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

static unsigned long cuid_calls;

static int cuid_check_user_id(request_rec *r)
{
    cuid_calls++; /* expect: global-race(cuid_calls) */
    ap_log_rerror(APLOG_MARK, APLOG_TRACE1, 0, r, "check_user_id #%lu", cuid_calls); /* expect: global-race(cuid_calls) */
    return DECLINED;
}

static void cuid_register_hooks(apr_pool_t *p)
{
    ap_hook_check_user_id(cuid_check_user_id, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA cuid_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    cuid_register_hooks
};
