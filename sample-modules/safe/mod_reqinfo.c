/*
 * mod_reqinfo.c — request information, with all state per request.
 *
 * Feature: the safe counterpart of the query echo, the time stamper, the
 * request tag and the session id (unsafe/mod_qecho.c, mod_stamp.c,
 * mod_reqtag.c, mod_sessid.c) in one page. GET /reqinfo?t=SECS&a=1&b=2
 * with an X-Request-Tag header answers
 *
 *     t=SECS
 *     a=1
 *     b=2
 *     params=3
 *     utc=1970-01-01 00:00:05
 *     tag=<the tag, lower case>
 *     id=<32 hex digits, fresh for every request>
 *
 * Why it is safe: the query is split with apr_strtok() and a local state
 * pointer, in a copy in r->pool; the time is converted with
 * apr_time_exp_gmt() into a local; the tag is normalised at
 * post_read_request into r->notes (one table per request); the id comes from
 * apr_generate_random_bytes(). No global is written after start-up.
 *
 *     <Location /reqinfo>
 *         SetHandler reqinfo
 *     </Location>
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "ap_config.h"

#include "apr_lib.h"
#include "apr_strings.h"
#include "apr_time.h"

#include <stdlib.h>

#define REQINFO_NOTE "reqinfo-tag"
#define REQINFO_ID_BYTES 16

static int reqinfo_post_read(request_rec *r)
{
    const char *tag = apr_table_get(r->headers_in, "X-Request-Tag");
    char *copy = apr_pstrndup(r->pool, tag ? tag : "-", 63);
    char *c;

    for (c = copy; *c != '\0'; c++) {
        *c = (char)apr_tolower(*c);
    }
    apr_table_setn(r->notes, REQINFO_NOTE, copy);
    return DECLINED;
}

/* Echoes every query parameter; returns the value of t= or -1. */
static apr_int64_t reqinfo_echo_args(request_rec *r, int *count)
{
    char *args = apr_pstrdup(r->pool, r->args ? r->args : "");
    char *state, *pair, *value;
    apr_int64_t t = -1;

    for (pair = apr_strtok(args, "&", &state); pair != NULL;
         pair = apr_strtok(NULL, "&", &state)) {
        value = strchr(pair, '=');
        if (value != NULL) {
            *value++ = '\0';
            ap_unescape_url(value);
        }
        ap_rprintf(r, "%s=%s\n", ap_escape_html(r->pool, pair),
                   value ? ap_escape_html(r->pool, value) : "");
        if (value != NULL && strcmp(pair, "t") == 0) {
            t = apr_atoi64(value);
        }
        (*count)++;
    }
    return t;
}

static void reqinfo_utc(request_rec *r, apr_int64_t t)
{
    apr_time_exp_t xt;

    if (t < 0 || apr_time_exp_gmt(&xt, apr_time_from_sec(t)) != APR_SUCCESS) {
        return;
    }
    ap_rprintf(r, "utc=%04d-%02d-%02d %02d:%02d:%02d\n", xt.tm_year + 1900,
               xt.tm_mon + 1, xt.tm_mday, xt.tm_hour, xt.tm_min, xt.tm_sec);
}

static int reqinfo_handler(request_rec *r)
{
    unsigned char raw[REQINFO_ID_BYTES];
    char hex[2 * REQINFO_ID_BYTES + 1];
    int count = 0, i;
    apr_int64_t t;
    const char *tag;

    if (strcmp(r->handler, "reqinfo") != 0) {
        return DECLINED;
    }
    if (apr_generate_random_bytes(raw, sizeof(raw)) != APR_SUCCESS) {
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    for (i = 0; i < REQINFO_ID_BYTES; i++) {
        apr_snprintf(hex + 2 * i, 3, "%02x", raw[i]);
    }
    ap_set_content_type(r, "text/plain");
    apr_table_setn(r->headers_out, "Cache-Control", "no-store");
    t = reqinfo_echo_args(r, &count);
    ap_rprintf(r, "params=%d\n", count);
    reqinfo_utc(r, t);
    tag = apr_table_get(r->notes, REQINFO_NOTE);
    ap_rprintf(r, "tag=%s\n", tag ? ap_escape_html(r->pool, tag) : "-");
    ap_rprintf(r, "id=%s\n", hex);
    return OK;
}

static void reqinfo_register_hooks(apr_pool_t *p)
{
    ap_hook_post_read_request(reqinfo_post_read, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_handler(reqinfo_handler, NULL, NULL, APR_HOOK_MIDDLE);
}

AP_DECLARE_MODULE(reqinfo) = {
    STANDARD20_MODULE_STUFF,
    NULL,                  /* create per-dir config */
    NULL,                  /* merge per-dir config */
    NULL,                  /* create per-server config */
    NULL,                  /* merge per-server config */
    NULL,                  /* command table */
    reqinfo_register_hooks /* register hooks */
};
