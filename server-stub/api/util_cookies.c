/* util_cookies.c — util_cookies.h: writing, removing and reading RFC 2109
 * (Set-Cookie) and RFC 2965 (Set-Cookie2) cookies (httpd 2.4 semantics).
 *
 * Contract: strings are allocated from r->pool; the tables written are the
 * caller's (normally the request's own headers_out/err_headers_out), and
 * ap_cookie_read(remove=1) replaces r->headers_in by a new table. A request
 * belongs to one thread, so no synchronisation is needed. httpd logs each
 * written cookie at debug level; the stub does not (one API call must stay
 * one perturbation point). Each exported function calls MC_API_ENTER() once.
 */
#include <stdarg.h>
#include <string.h>

#include "apr_lib.h"
#include "apr_strings.h"
#include "apr_tables.h"

#include "httpd.h"
#include "http_log.h"
#include "util_cookies.h"

#include "api_internal.h"

#undef APLOG_MODULE_INDEX
#define APLOG_MODULE_INDEX 0

/* "name=val;[Max-Age=N;]attrs" — attrs default to DEFAULT_ATTRS. */
static const char *cookie_text(apr_pool_t *p, const char *name, const char *val,
                               const char *attrs, long maxage)
{
    const char *age = maxage ? apr_psprintf(p, "Max-Age=%ld;", maxage) : "";

    return apr_pstrcat(p, name, "=", val, ";", age,
                       attrs && *attrs ? attrs : DEFAULT_ATTRS, NULL);
}

/* Add header=text to every table of the NULL-terminated list. */
static void add_to_tables(const char *header, const char *text, va_list ap)
{
    apr_table_t *t;

    while ((t = va_arg(ap, apr_table_t *)) != NULL)
        apr_table_addn(t, header, text);
}

AP_DECLARE(apr_status_t)
ap_cookie_write(request_rec *r, const char *name, const char *val,
                const char *attrs, long maxage, ...)
{
    va_list ap;

    MC_API_ENTER();
    va_start(ap, maxage);
    add_to_tables(SET_COOKIE, cookie_text(r->pool, name, val, attrs, maxage),
                  ap);
    va_end(ap);
    return APR_SUCCESS;
}

AP_DECLARE(apr_status_t)
ap_cookie_write2(request_rec *r, const char *name2, const char *val,
                 const char *attrs2, long maxage, ...)
{
    va_list ap;

    MC_API_ENTER();
    va_start(ap, maxage);
    add_to_tables(SET_COOKIE2, cookie_text(r->pool, name2, val, attrs2, maxage),
                  ap);
    va_end(ap);
    return APR_SUCCESS;
}

/* "name=;Max-Age=0;attrs" — attrs (even "") default to CLEAR_ATTRS only
 * when NULL, as in httpd. */
static const char *removal_text(apr_pool_t *p, const char *name,
                                const char *attrs)
{
    return apr_pstrcat(p, name, "=;Max-Age=0;", attrs ? attrs : CLEAR_ATTRS,
                       NULL);
}

AP_DECLARE(apr_status_t)
ap_cookie_remove(request_rec *r, const char *name, const char *attrs, ...)
{
    va_list ap;

    MC_API_ENTER();
    va_start(ap, attrs);
    add_to_tables(SET_COOKIE, removal_text(r->pool, name, attrs), ap);
    va_end(ap);
    return APR_SUCCESS;
}

AP_DECLARE(apr_status_t)
ap_cookie_remove2(request_rec *r, const char *name2, const char *attrs2, ...)
{
    va_list ap;

    MC_API_ENTER();
    va_start(ap, attrs2);
    add_to_tables(SET_COOKIE2, removal_text(r->pool, name2, attrs2), ap);
    va_end(ap);
    return APR_SUCCESS;
}

/* One Cookie/Cookie2 header value: remember the value of our cookie (a
 * second, different value marks it duplicated), and rebuild the header
 * without our cookie and the "$Path"-style attributes that follow it. Kept
 * pieces are joined with their original separator (none before the first),
 * and keep their leading white space, as httpd 2.4.71 does. */
static int scan_cookie_header(void *data, const char *key, const char *val)
{
    ap_cookie_do *v = data;
    apr_pool_t *p = v->r->pool;
    const char *prefix = apr_pstrcat(p, v->name ? v->name : "", "=", NULL);
    apr_size_t plen = strlen(prefix);
    char *copy = apr_pstrdup(p, val), *group_state = NULL, *group;
    const char *kept = "", *sep = "";
    int others = 0, eating = 0;

    for (group = apr_strtok(copy, ",", &group_state); group;
         group = apr_strtok(NULL, ",", &group_state), sep = ",") {
        char *pair_state = NULL, *pair;
        for (pair = apr_strtok(group, ";", &pair_state); pair;
             pair = apr_strtok(NULL, ";", &pair_state), sep = ";") {
            const char *t = pair;
            while (apr_isspace(*t))
                ++t;
            if (strncmp(t, prefix, plen) == 0) {
                if (v->encoded && strcmp(v->encoded, t + plen) != 0)
                    v->duplicated = 1;
                v->encoded = apr_pstrdup(p, t + plen);
                eating = 1;
                continue;
            }
            if (*t != '$') {
                ++others;
                eating = 0;
            }
            if (!eating)
                kept = apr_pstrcat(p, kept, *kept ? sep : "", pair, NULL);
        }
    }
    if (others)
        apr_table_addn(v->new_cookies, key, kept);
    return 1;
}

AP_DECLARE(apr_status_t)
ap_cookie_read(request_rec *r, const char *name, const char **val, int remove)
{
    ap_cookie_do v;

    MC_API_ENTER();
    memset(&v, 0, sizeof(v));
    v.r = r;
    v.name = name;
    v.new_cookies = apr_table_make(r->pool, 4);
    apr_table_do(scan_cookie_header, &v, r->headers_in, "Cookie", "Cookie2",
                 NULL);
    if (v.duplicated) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                      "ap_cookie: cookie '%s' came twice from the "
                      "client: %s",
                      name, r->uri);
        return APR_EGENERAL;
    }
    if (remove) {
        apr_table_unset(r->headers_in, "Cookie");
        apr_table_unset(r->headers_in, "Cookie2");
        r->headers_in =
            apr_table_overlay(r->pool, r->headers_in, v.new_cookies);
    }
    *val = v.encoded;
    return APR_SUCCESS;
}

/* A usable cookie name: non-empty, without '=', ';' or '&'. */
AP_DECLARE(apr_status_t) ap_cookie_check_string(const char *string)
{
    MC_API_ENTER();
    if (!string || !*string || strpbrk(string, "=;&"))
        return APR_EGENERAL;
    return APR_SUCCESS;
}
