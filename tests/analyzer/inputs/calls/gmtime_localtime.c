/*
 * gmtime and localtime return a pointer to one static struct tm shared by
 * all threads: a concurrent request overwrites the fields being formatted.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"
#include <time.h>

static int stamp_fixups(request_rec *r)
{
    time_t now = (time_t)apr_time_sec(r->request_time);
    struct tm *utc = gmtime(&now); /* expect: mt-unsafe-call(gmtime) */
    struct tm *local;
    char buf[64];

    strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", utc);
    apr_table_set(r->headers_out, "X-Stamp-UTC", buf);
    local = localtime(&now); /* expect: mt-unsafe-call(localtime) */
    strftime(buf, sizeof(buf), "%H:%M", local);
    apr_table_set(r->headers_out, "X-Stamp-Local", buf);
    return DECLINED;
}

static void stamp_register_hooks(apr_pool_t *p)
{
    ap_hook_fixups(stamp_fixups, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA stamp_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    stamp_register_hooks
};
