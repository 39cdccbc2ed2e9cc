/*
 * The fixups hook runs in worker threads, concurrently: a plain counter
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

static unsigned long fx_calls;

static int fx_fixups(request_rec *r)
{
    fx_calls++; /* expect: global-race(fx_calls) */
    ap_log_rerror(APLOG_MARK, APLOG_TRACE1, 0, r, "fixups #%lu", fx_calls); /* expect: global-race(fx_calls) */
    return DECLINED;
}

static void fx_register_hooks(apr_pool_t *p)
{
    ap_hook_fixups(fx_fixups, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA fx_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    fx_register_hooks
};
