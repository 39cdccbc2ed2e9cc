/*
 * The check_authn hook runs in worker threads, concurrently: a plain counter
 * written there races (the write and the read in the log call are both
 * reported).
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_connection.h"
#include "http_log.h"
#include "apr_strings.h"

static unsigned long authn_calls;

static int authn_check_authn(request_rec *r)
{
    authn_calls++; /* expect: global-race(authn_calls) */
    ap_log_rerror(APLOG_MARK, APLOG_TRACE1, 0, r, "check_authn #%lu", authn_calls); /* expect: global-race(authn_calls) */
    return DECLINED;
}

static void authn_register_hooks(apr_pool_t *p)
{
    ap_hook_check_authn(authn_check_authn, NULL, NULL, APR_HOOK_MIDDLE, AP_AUTH_INTERNAL_PER_CONF);
}

module AP_MODULE_DECLARE_DATA authn_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    authn_register_hooks
};
