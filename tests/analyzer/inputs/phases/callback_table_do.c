/*
 * A callback handed to apr_table_do runs synchronously inside the caller,
 * here a request hook: its global write is request-time too (the callback
 * is an address-taken function passed to a library call).
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"

static long cookie_headers;

static int count_cookie(void *rec, const char *key, const char *value)
{
    if (strcasecmp(key, "Cookie") == 0)
        cookie_headers++; /* expect: global-race(cookie_headers) */
    return 1;
}

static int ck_header_parser(request_rec *r)
{
    apr_table_do(count_cookie, r, r->headers_in, NULL);
    return DECLINED;
}

static void ck_register_hooks(apr_pool_t *p)
{
    ap_hook_header_parser(ck_header_parser, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA ck_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    ck_register_hooks
};
