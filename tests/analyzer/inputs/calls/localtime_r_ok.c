/*
 * Negative: gmtime_r / localtime_r with caller storage, and APR's
 * apr_time_exp_lt / apr_rfc822_date.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"
#include "apr_date.h"
#include <time.h>

static int stamp2_fixups(request_rec *r)
{
    time_t now = (time_t)apr_time_sec(r->request_time);
    struct tm utc, local;
    apr_time_exp_t xt;
    char buf[64];
    char *date = apr_palloc(r->pool, APR_RFC822_DATE_LEN);

    gmtime_r(&now, &utc);
    strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &utc);
    apr_table_set(r->headers_out, "X-Stamp-UTC", buf);
    localtime_r(&now, &local);
    apr_time_exp_lt(&xt, r->request_time);
    apr_table_set(r->headers_out, "X-Hour",
                  apr_itoa(r->pool, xt.tm_hour + local.tm_isdst * 0));
    apr_rfc822_date(date, r->request_time);
    apr_table_setn(r->headers_out, "X-Date", date);
    return DECLINED;
}

static void stamp2_register_hooks(apr_pool_t *p)
{
    ap_hook_fixups(stamp2_fixups, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA stamp2_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    stamp2_register_hooks
};
