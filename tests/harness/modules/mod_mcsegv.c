/*
 * mod_mcsegv.c — test-only module for `modcert stress`: serves "ok" and,
 * from its 20th request on, writes through a null pointer (a segfault
 * under load). Handler name: mcsegv.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "apr_atomic.h"

#include <string.h>

static volatile apr_uint32_t served;
static int *volatile no_slot; /* never set: NULL */

static void store_result(int *slot, int value)
{
    *slot = value; /* slot is NULL from the 20th request: the crash */
}

static int mcsegv_handler(request_rec *r)
{
    int result = 0;
    int *slot = &result;
    if (!r->handler || strcmp(r->handler, "mcsegv") != 0)
        return DECLINED;
    if (apr_atomic_inc32(&served) >= 20)
        slot = no_slot;
    store_result(slot, 1);
    ap_set_content_type(r, "text/plain");
    ap_rprintf(r, "ok %d\n", result);
    return OK;
}

static void mcsegv_hooks(apr_pool_t *p)
{
    ap_hook_handler(mcsegv_handler, NULL, NULL, APR_HOOK_MIDDLE);
}

AP_DECLARE_MODULE(mcsegv) = {
    STANDARD20_MODULE_STUFF, NULL, NULL, NULL, NULL, NULL, mcsegv_hooks};
