/*
 * The map_to_storage hook runs in worker threads, concurrently: a plain
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

static unsigned long mts_calls;

static int mts_map_to_storage(request_rec *r)
{
    mts_calls++; /* expect: global-race(mts_calls) */
    ap_log_rerror(APLOG_MARK, APLOG_TRACE1, 0, r, "map_to_storage #%lu", mts_calls); /* expect: global-race(mts_calls) */
    return DECLINED;
}

static void mts_register_hooks(apr_pool_t *p)
{
    ap_hook_map_to_storage(mts_map_to_storage, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA mts_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    mts_register_hooks
};
