/*
 * mod_sessid.c — session ids for new visitors.
 *
 * Feature: GET /session issues a fresh 128-bit session id, as a cookie and
 * in the body:
 *
 *     session=3f2a9c10e4d1b7a05c66d2e18b0f9a47
 *
 * The generator is seeded once per child process at child_init.
 *
 * Seeded defect (unsafe under threads): sessid_new_id() draws the id from
 * rand(). rand() is not required to be thread-safe: its state is hidden and
 * process-wide (POSIX), or per-thread on some C libraries (the Windows CRT),
 * where every worker thread that did not call srand() itself replays the
 * same sequence from seed 1. glibc happens to serialise rand() with a lock,
 * so on Linux the ids stay distinct but are predictable. Client-observable
 * (Windows CRT, unlocked libcs): two clients receive the same session id.
 * Fix: apr_generate_random_bytes() (see safe/mod_reqinfo.c).
 *
 *     <Location /session>
 *         SetHandler sessid
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
#include <unistd.h>

#define SESSID_WORDS 4

static void sessid_child_init(apr_pool_t *pchild, server_rec *s)
{
    srand((unsigned int)time(NULL) ^ (unsigned int)getpid());
}

static const char *sessid_new_id(request_rec *r)
{
    unsigned int w[SESSID_WORDS];
    int i;

    for (i = 0; i < SESSID_WORDS; i++) {
        w[i] = (unsigned int)rand();
    }
    return apr_psprintf(r->pool, "%08x%08x%08x%08x", w[0], w[1], w[2], w[3]);
}

static int sessid_handler(request_rec *r)
{
    const char *id;

    if (strcmp(r->handler, "sessid") != 0) {
        return DECLINED;
    }
    id = sessid_new_id(r);
    apr_table_setn(r->headers_out, "Set-Cookie",
                   apr_pstrcat(r->pool, "SESSID=", id, "; HttpOnly", NULL));
    apr_table_setn(r->headers_out, "Cache-Control", "no-store");
    ap_set_content_type(r, "text/plain");
    ap_rprintf(r, "session=%s\n", id);
    return OK;
}

static void sessid_register_hooks(apr_pool_t *p)
{
    ap_hook_child_init(sessid_child_init, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_handler(sessid_handler, NULL, NULL, APR_HOOK_MIDDLE);
}

AP_DECLARE_MODULE(sessid) = {
    STANDARD20_MODULE_STUFF,
    NULL,                 /* create per-dir config */
    NULL,                 /* merge per-dir config */
    NULL,                 /* create per-server config */
    NULL,                 /* merge per-server config */
    NULL,                 /* command table */
    sessid_register_hooks /* register hooks */
};
