/*
 * The translate_name hook runs in worker threads, concurrently: a plain
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

static unsigned long xlat_calls;

static int xlat_translate_name(request_rec *r)
{
    xlat_calls++; /* expect: global-race(xlat_calls) */
    ap_log_rerror(APLOG_MARK, APLOG_TRACE1, 0, r, "translate_name #%lu", xlat_calls); /* expect: global-race(xlat_calls) */
    return DECLINED;
}

static void xlat_register_hooks(apr_pool_t *p)
{
    ap_hook_translate_name(xlat_translate_name, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA xlat_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    xlat_register_hooks
};
