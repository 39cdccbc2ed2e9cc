/*
 * The check_authz hook runs in worker threads, concurrently: a plain counter
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

static unsigned long chkauthz_calls;

static int chkauthz_check_authz(request_rec *r)
{
    chkauthz_calls++; /* expect: global-race(chkauthz_calls) */
    ap_log_rerror(APLOG_MARK, APLOG_TRACE1, 0, r, "check_authz #%lu", chkauthz_calls); /* expect: global-race(chkauthz_calls) */
    return DECLINED;
}

static void chkauthz_register_hooks(apr_pool_t *p)
{
    ap_hook_check_authz(chkauthz_check_authz, NULL, NULL, APR_HOOK_MIDDLE, AP_AUTH_INTERNAL_PER_CONF);
}

module AP_MODULE_DECLARE_DATA chkauthz_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    chkauthz_register_hooks
};
