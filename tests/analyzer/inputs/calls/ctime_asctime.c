/*
 * ctime and asctime format into one static buffer.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"
#include <time.h>

static int when_log(request_rec *r)
{
    time_t t = (time_t)apr_time_sec(r->request_time);
    struct tm tm;

    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, "started %s", ctime(&t)); /* expect: mt-unsafe-call(ctime) */
    gmtime_r(&t, &tm);
    apr_table_set(r->notes, "when", asctime(&tm)); /* expect: mt-unsafe-call(asctime) */
    return DECLINED;
}

static void when_register_hooks(apr_pool_t *p)
{
    ap_hook_log_transaction(when_log, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA when_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    when_register_hooks
};
