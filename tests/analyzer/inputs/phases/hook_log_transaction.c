/*
 * The log_transaction hook runs in worker threads, concurrently: a plain
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

static unsigned long logt_calls;

static int logt_log_transaction(request_rec *r)
{
    logt_calls++; /* expect: global-race(logt_calls) */
    ap_log_rerror(APLOG_MARK, APLOG_TRACE1, 0, r, "log_transaction #%lu", logt_calls); /* expect: global-race(logt_calls) */
    return DECLINED;
}

static void logt_register_hooks(apr_pool_t *p)
{
    ap_hook_log_transaction(logt_log_transaction, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA logt_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    logt_register_hooks
};
