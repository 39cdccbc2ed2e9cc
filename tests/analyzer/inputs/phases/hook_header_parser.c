/*
 * The header_parser hook runs in worker threads, concurrently: a plain
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

static unsigned long hp_calls;

static int hp_header_parser(request_rec *r)
{
    hp_calls++; /* expect: global-race(hp_calls) */
    ap_log_rerror(APLOG_MARK, APLOG_TRACE1, 0, r, "header_parser #%lu", hp_calls); /* expect: global-race(hp_calls) */
    return DECLINED;
}

static void hp_register_hooks(apr_pool_t *p)
{
    ap_hook_header_parser(hp_header_parser, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA hp_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    hp_register_hooks
};
