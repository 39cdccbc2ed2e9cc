/*
 * mod_hitcount.c — a page that counts its hits.
 *
 * Feature: every GET of a location handled by "hitcount" answers
 *
 *     hits=N
 *
 * where N is the number of hits the page has had since the server started
 * (this one included), so a monitoring probe can read traffic off the page.
 *
 * Seeded defect (unsafe under threads): the count is a plain global,
 * `hit_count`, read into a local at the top of hitcount_handler() and written
 * back after the page is produced. Under a threaded MPM two requests can read
 * the same value: both answer the same N and one hit is lost for good.
 * Client-observable: two responses carry the same N, and the count a final
 * request reads is below the number of hits sent. With one thread per process
 * (prefork) the read-modify-write cannot interleave and the page is right.
 * Fix: apr_atomic_inc32() (see safe/mod_atomichits.c).
 *
 *     <Location /hits>
 *         SetHandler hitcount
 *     </Location>
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "ap_config.h"

#include "apr_strings.h"

/* Hits since start-up. Written by every request: the seeded race. */
static unsigned long hit_count;

static int hitcount_handler(request_rec *r)
{
    unsigned long n;

    if (strcmp(r->handler, "hitcount") != 0) {
        return DECLINED;
    }
    if (r->method_number != M_GET) {
        return HTTP_METHOD_NOT_ALLOWED;
    }
    n = hit_count + 1;

    ap_set_content_type(r, "text/plain");
    apr_table_setn(r->headers_out, "Cache-Control", "no-store");
    ap_rprintf(r, "hits=%lu\n", n);

    hit_count = n; /* remember the new total for the next visitor */
    return OK;
}

static void hitcount_register_hooks(apr_pool_t *p)
{
    ap_hook_handler(hitcount_handler, NULL, NULL, APR_HOOK_MIDDLE);
}

AP_DECLARE_MODULE(hitcount) = {
    STANDARD20_MODULE_STUFF,
    NULL,                   /* create per-dir config */
    NULL,                   /* merge per-dir config */
    NULL,                   /* create per-server config */
    NULL,                   /* merge per-server config */
    NULL,                   /* command table */
    hitcount_register_hooks /* register hooks */
};
