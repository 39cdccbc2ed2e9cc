/*
 * The insert_filter hook runs in worker threads, concurrently: a plain
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

static unsigned long insf_calls;

static void insf_insert_filter(request_rec *r)
{
    insf_calls++; /* expect: global-race(insf_calls) */
    ap_log_rerror(APLOG_MARK, APLOG_TRACE1, 0, r, "insert_filter #%lu", insf_calls); /* expect: global-race(insf_calls) */
    
}

static void insf_register_hooks(apr_pool_t *p)
{
    ap_hook_insert_filter(insf_insert_filter, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA insf_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    insf_register_hooks
};
