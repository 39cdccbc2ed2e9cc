/*
 * Negative: one suppression naming two check ids (comma-separated) covers
 * both findings of the next line.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"
#include <time.h>

static struct tm *last_tm;

static int mi_log(request_rec *r)
{
    time_t t = (time_t)apr_time_sec(r->request_time);

    /* modcert: ignore global-race, mt-unsafe-call: debugging aid, compiled out in production builds */
    last_tm = gmtime(&t); /* expect-suppressed: global-race(last_tm), mt-unsafe-call(gmtime) */
    return DECLINED;
}

static void mi_register_hooks(apr_pool_t *p)
{
    ap_hook_log_transaction(mi_log, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA mi_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    mi_register_hooks
};
