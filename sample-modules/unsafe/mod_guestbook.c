/*
 * mod_guestbook.c — a guestbook that signs visitors in.
 *
 * Feature: GET /sign?NAME records a signature line and answers it:
 *
 *     entry=NAME signed the guestbook on Thu, 26 Nov 2026 10:00:00 GMT from
 *     127.0.0.1
 *
 * Seeded defect (unsafe under threads): to make entries "outlive the
 * request", guestbook_post_config() keeps pconf in the global `guest_pool`
 * and guestbook_handler() allocates each entry from it with apr_psprintf().
 * APR pools are not thread-safe: two threads allocating from one pool at
 * once can be handed the same memory (or corrupt the pool's free lists), and
 * the pool also grows for the life of the server. Client-observable: an
 * entry echoes another visitor's name, is garbled, or the process crashes
 * (dropped connection). Fix: allocate from r->pool; data that must outlive
 * the request belongs in a mutex-guarded store with its own sub-pool.
 *
 *     <Location /sign>
 *         SetHandler guestbook
 *     </Location>
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "ap_config.h"

#include "apr_strings.h"
#include "apr_date.h"
#include "apr_time.h"

/* Set once at post_config (config phase), then shared by every request. */
static apr_pool_t *guest_pool;

static int guestbook_post_config(apr_pool_t *pconf, apr_pool_t *plog,
                                 apr_pool_t *ptemp, server_rec *s)
{
    guest_pool = pconf;
    return OK;
}

static int guestbook_handler(request_rec *r)
{
    char *name, *entry;
    char date[APR_RFC822_DATE_LEN];

    if (strcmp(r->handler, "guestbook") != 0) {
        return DECLINED;
    }
    name = apr_pstrdup(r->pool, r->args ? r->args : "anonymous");
    ap_unescape_url(name);
    apr_rfc822_date(date, r->request_time);
    entry = apr_psprintf(guest_pool, "%s signed the guestbook on %s from %s",
                         name, date, r->useragent_ip);

    ap_set_content_type(r, "text/plain");
    apr_table_setn(r->headers_out, "Cache-Control", "no-store");
    ap_rprintf(r, "entry=%s\n", ap_escape_html(r->pool, entry));
    return OK;
}

static void guestbook_register_hooks(apr_pool_t *p)
{
    ap_hook_post_config(guestbook_post_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_handler(guestbook_handler, NULL, NULL, APR_HOOK_MIDDLE);
}

AP_DECLARE_MODULE(guestbook) = {
    STANDARD20_MODULE_STUFF,
    NULL,                    /* create per-dir config */
    NULL,                    /* merge per-dir config */
    NULL,                    /* create per-server config */
    NULL,                    /* merge per-server config */
    NULL,                    /* command table */
    guestbook_register_hooks /* register hooks */
};
