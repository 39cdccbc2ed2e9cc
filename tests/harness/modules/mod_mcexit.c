/*
 * mod_mcexit.c — test-only module for `modcert stress`: serves "ok" and
 * calls exit(3) on its 20th request, as a module that "handles" a fatal
 * condition by ending the process would. Handler: mcexit.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "apr_atomic.h"

#include <stdlib.h>
#include <string.h>

static volatile apr_uint32_t served;

static void give_up(void)
{
    exit(3);
}

static int mcexit_handler(request_rec *r)
{
    if (!r->handler || strcmp(r->handler, "mcexit") != 0)
        return DECLINED;
    if (apr_atomic_inc32(&served) == 19)
        give_up();
    ap_set_content_type(r, "text/plain");
    ap_rputs("ok\n", r);
    return OK;
}

static void mcexit_hooks(apr_pool_t *p)
{
    ap_hook_handler(mcexit_handler, NULL, NULL, APR_HOOK_MIDDLE);
}

AP_DECLARE_MODULE(mcexit) = {
    STANDARD20_MODULE_STUFF, NULL, NULL, NULL, NULL, NULL, mcexit_hooks};
