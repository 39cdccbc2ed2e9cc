/*
 * mod_stamp.c — a time stamper.
 *
 * Feature: clients (log shippers, embedded devices without a calendar) send
 * a Unix time and get it back rendered in UTC, field by field:
 *
 *     GET /stamp?t=86400
 *     t=86400
 *     utc=1970-01-02 00:00:00
 *     weekday=Fri
 *     yearday=2
 *
 * Seeded defect (unsafe under threads): stamp_handler() converts with
 * gmtime(), whose result lives in one static struct tm shared by every
 * thread of the process, and reads the fields while producing the page.
 * Another request calling gmtime() in between overwrites them.
 * Client-observable: a response renders the time another client sent, so
 * two responses show the same utc= although they sent different t=.
 * Fix: apr_time_exp_gmt() or gmtime_r() into a local (see safe/mod_reqinfo.c).
 *
 *     <Location /stamp>
 *         SetHandler stamp
 *     </Location>
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "ap_config.h"

#include "apr_strings.h"

#include <stdlib.h>
#include <time.h>

static const char *const stamp_weekdays[7] = {"Sun", "Mon", "Tue", "Wed",
                                              "Thu", "Fri", "Sat"};

static int stamp_parse(request_rec *r, time_t *when)
{
    char *end;
    long long v;

    if (r->args == NULL || strncmp(r->args, "t=", 2) != 0) {
        return HTTP_BAD_REQUEST;
    }
    v = strtoll(r->args + 2, &end, 10);
    if (end == r->args + 2 || *end != '\0' || v < 0) {
        return HTTP_BAD_REQUEST;
    }
    *when = (time_t)v;
    return OK;
}

static int stamp_handler(request_rec *r)
{
    time_t when;
    struct tm *tm;
    int status;

    if (strcmp(r->handler, "stamp") != 0) {
        return DECLINED;
    }
    status = stamp_parse(r, &when);
    if (status != OK) {
        return status;
    }
    tm = gmtime(&when);
    if (tm == NULL) {
        return HTTP_BAD_REQUEST;
    }
    ap_set_content_type(r, "text/plain");
    ap_rprintf(r, "t=%" APR_INT64_T_FMT "\n", (apr_int64_t)when);
    ap_rprintf(r, "utc=%04d-%02d-%02d %02d:%02d:%02d\n", tm->tm_year + 1900,
               tm->tm_mon + 1, tm->tm_mday, tm->tm_hour, tm->tm_min,
               tm->tm_sec);
    ap_rprintf(r, "weekday=%s\n", stamp_weekdays[tm->tm_wday]);
    ap_rprintf(r, "yearday=%d\n", tm->tm_yday + 1);
    return OK;
}

static void stamp_register_hooks(apr_pool_t *p)
{
    ap_hook_handler(stamp_handler, NULL, NULL, APR_HOOK_MIDDLE);
}

AP_DECLARE_MODULE(stamp) = {
    STANDARD20_MODULE_STUFF,
    NULL,                /* create per-dir config */
    NULL,                /* merge per-dir config */
    NULL,                /* create per-server config */
    NULL,                /* merge per-server config */
    NULL,                /* command table */
    stamp_register_hooks /* register hooks */
};
