/*
 * The post_read_request hook runs in worker threads, concurrently: a plain
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

static unsigned long prr_calls;

static int prr_post_read_request(request_rec *r)
{
    prr_calls++; /* expect: global-race(prr_calls) */
    ap_log_rerror(APLOG_MARK, APLOG_TRACE1, 0, r, "post_read_request #%lu", prr_calls); /* expect: global-race(prr_calls) */
    return DECLINED;
}

static void prr_register_hooks(apr_pool_t *p)
{
    ap_hook_post_read_request(prr_post_read_request, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA prr_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    prr_register_hooks
};
