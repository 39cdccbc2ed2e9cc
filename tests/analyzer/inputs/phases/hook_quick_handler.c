/*
 * The quick_handler hook runs in worker threads, concurrently: a plain
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

static unsigned long qh_calls;

static int qh_quick_handler(request_rec *r, int lookup_uri)
{
    qh_calls++; /* expect: global-race(qh_calls) */
    ap_log_rerror(APLOG_MARK, APLOG_TRACE1, 0, r, "quick_handler #%lu", qh_calls); /* expect: global-race(qh_calls) */
    return DECLINED;
}

static void qh_register_hooks(apr_pool_t *p)
{
    ap_hook_quick_handler(qh_quick_handler, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA qh_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    qh_register_hooks
};
