/*
 * mod_mchang.c — test-only module for `modcert stress`: serves "ok", but
 * its 5th request hangs in the handler for 60 s (longer than the load
 * client's 20 s request timeout and the tests' run bounds) while every
 * other request is answered at once: one request times out, the server is
 * neither dead nor deadlocked. Handler name: mchang.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "apr_atomic.h"
#include "apr_time.h"

#include <string.h>

static volatile apr_uint32_t served;

static void wait_for_nothing(void)
{
    for (int i = 0; i < 600; i++)
        apr_sleep(apr_time_from_msec(100)); /* the hang: 60 s in all */
}

static int mchang_handler(request_rec *r)
{
    if (!r->handler || strcmp(r->handler, "mchang") != 0)
        return DECLINED;
    if (apr_atomic_inc32(&served) == 4)
        wait_for_nothing();
    ap_set_content_type(r, "text/plain");
    ap_rputs("ok\n", r);
    return OK;
}

static void mchang_hooks(apr_pool_t *p)
{
    ap_hook_handler(mchang_handler, NULL, NULL, APR_HOOK_MIDDLE);
}

AP_DECLARE_MODULE(mchang) = {
    STANDARD20_MODULE_STUFF, NULL, NULL, NULL, NULL, NULL, mchang_hooks};
