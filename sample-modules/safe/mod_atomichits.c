/*
 * mod_atomichits.c — a page that counts its hits, thread-safely.
 *
 * Feature: every GET answers "hits=N", N being the number of hits since the
 * server started, this one included (the safe twin of unsafe/mod_hitcount.c).
 *
 * Why it is safe: the count is incremented with apr_atomic_inc32(), which
 * returns the old value; the page prints old + 1, so every request sees its
 * own distinct number and none is lost, whatever the MPM. (The count is per
 * child process; the tests run one process.)
 *
 *     <Location /atomic-hits>
 *         SetHandler atomichits
 *     </Location>
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "ap_config.h"

#include "apr_atomic.h"

/* Hits since start-up; only touched through apr_atomic_*. */
static volatile apr_uint32_t atomic_hits;

static int atomichits_handler(request_rec *r)
{
    apr_uint32_t n;

    if (strcmp(r->handler, "atomichits") != 0) {
        return DECLINED;
    }
    if (r->method_number != M_GET) {
        return HTTP_METHOD_NOT_ALLOWED;
    }
    n = apr_atomic_inc32(&atomic_hits) + 1;

    ap_set_content_type(r, "text/plain");
    apr_table_setn(r->headers_out, "Cache-Control", "no-store");
    ap_rprintf(r, "hits=%u\n", n);
    return OK;
}

static void atomichits_register_hooks(apr_pool_t *p)
{
    ap_hook_handler(atomichits_handler, NULL, NULL, APR_HOOK_MIDDLE);
}

AP_DECLARE_MODULE(atomichits) = {
    STANDARD20_MODULE_STUFF,
    NULL,                     /* create per-dir config */
    NULL,                     /* merge per-dir config */
    NULL,                     /* create per-server config */
    NULL,                     /* merge per-server config */
    NULL,                     /* command table */
    atomichits_register_hooks /* register hooks */
};
