/* request_util.c — pure helpers that only read request_rec fields:
 * ap_args_to_table (util_script.h) and ap_request_has_body (httpd.h).
 *
 * Contract: they read the caller's request and allocate from r->pool (the
 * request belongs to one thread). No shared state. Each exported function
 * calls MC_API_ENTER() once on entry.
 */
#include <string.h>

#include "apr_strings.h"
#include "apr_tables.h"

#include "httpd.h"
#include "http_config.h"
#include "util_script.h"

#include "api_internal.h"

/* Query "a=1&b&c=%20" -> {a: "1", b: "1", c: " "}; both names and values
 * are %-decoded like a URL path (ap_unescape_url); later keys win. */
AP_DECLARE(void) ap_args_to_table(request_rec *r, apr_table_t **table)
{
    apr_table_t *t = apr_table_make(r->pool, 10);
    char *args, *state = NULL, *key;

    MC_API_ENTER();
    *table = t;
    if (!r->args)
        return;
    args = apr_pstrdup(r->pool, r->args);
    for (key = apr_strtok(args, "&", &state); key;
         key = apr_strtok(NULL, "&", &state)) {
        char *value = strchr(key, '=');
        if (value)
            *value++ = '\0';
        else
            value = "1";
        mc__unescape_url(key);
        mc__unescape_url(value);
        apr_table_set(t, key, value);
    }
}

/* A body is expected unless HEAD: a kept body, any Transfer-Encoding, or a
 * valid Content-Length greater than zero. */
AP_DECLARE(int) ap_request_has_body(request_rec *r)
{
    const char *cl;
    apr_off_t len = 0;
    char *end = NULL;

    MC_API_ENTER();
    if (r->header_only)
        return 0;
    if (r->kept_body || apr_table_get(r->headers_in, "Transfer-Encoding"))
        return 1;
    cl = apr_table_get(r->headers_in, "Content-Length");
    return cl && apr_strtoff(&len, cl, &end, 10) == APR_SUCCESS && !*end &&
           len > 0;
}
