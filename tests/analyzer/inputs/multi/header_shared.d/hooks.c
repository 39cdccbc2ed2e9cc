/* scan-flags: -j 2 */
/*
 * Two-file module with a private header: hooks.c registers the hooks,
 * stats.c owns the state. The request
 * counter is locked, the error counter is not.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "shared.h"

static void hs_child_init(apr_pool_t *pchild, server_rec *s)
{
    apr_thread_mutex_create(&hs_lock, APR_THREAD_MUTEX_DEFAULT, pchild);
}

static int hs_log(request_rec *r)
{
    hs_count_request();
    if (r->status >= 500)
        hs_count_error();
    return DECLINED;
}

static void hs_register_hooks(apr_pool_t *p)
{
    ap_hook_child_init(hs_child_init, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_log_transaction(hs_log, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA hs_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL,
    NULL,
    hs_register_hooks
};
