/*
 * mod_qecho.c — a query-string echo page.
 *
 * Feature: a debugging aid for form authors. GET /echo?a=1&b=two answers
 * every query parameter on its own line, URL-decoded, then their number:
 *
 *     a=1
 *     b=two
 *     params=2
 *
 * Seeded defect (unsafe under threads): qecho_handler() splits the query
 * string with strtok(), which keeps its position in a hidden static pointer
 * shared by every thread of the process. When two requests parse at once,
 * strtok(NULL, "&") continues inside the OTHER request's query string (and
 * writes NULs into it). Client-observable: a response echoes a parameter
 * that came from another request, loses one of its own, or reports a wrong
 * parameter count. Fix: apr_strtok() with a caller-owned state pointer (see
 * safe/mod_reqinfo.c).
 *
 *     <Location /echo>
 *         SetHandler qecho
 *     </Location>
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "ap_config.h"

#include "apr_strings.h"

#include <string.h>

static void qecho_pair(request_rec *r, char *pair)
{
    char *value = strchr(pair, '=');

    if (value != NULL) {
        *value++ = '\0';
        ap_unescape_url(value);
    } else {
        value = "";
    }
    ap_unescape_url(pair);
    ap_rprintf(r, "%s=%s\n", ap_escape_html(r->pool, pair),
               ap_escape_html(r->pool, value));
}

static int qecho_handler(request_rec *r)
{
    char *args, *pair;
    int count = 0;

    if (strcmp(r->handler, "qecho") != 0) {
        return DECLINED;
    }
    if (r->method_number != M_GET) {
        return HTTP_METHOD_NOT_ALLOWED;
    }
    ap_set_content_type(r, "text/plain");
    args = apr_pstrdup(r->pool, r->args ? r->args : "");

    pair = strtok(args, "&");
    while (pair != NULL) {
        qecho_pair(r, pair);
        count++;
        pair = strtok(NULL, "&");
    }
    ap_rprintf(r, "params=%d\n", count);
    return OK;
}

static void qecho_register_hooks(apr_pool_t *p)
{
    ap_hook_handler(qecho_handler, NULL, NULL, APR_HOOK_MIDDLE);
}

AP_DECLARE_MODULE(qecho) = {
    STANDARD20_MODULE_STUFF,
    NULL,                /* create per-dir config */
    NULL,                /* merge per-dir config */
    NULL,                /* create per-server config */
    NULL,                /* merge per-server config */
    NULL,                /* command table */
    qecho_register_hooks /* register hooks */
};
