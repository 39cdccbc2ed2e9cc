/*
 * The helper is called once with the lock held and once without: the
 * access is reported (reached unlocked from the second caller).
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"
#include "apr_thread_mutex.h"

static apr_thread_mutex_t *mx;
static long pending;

static void bump_pending(void)
{
    pending++; /* expect: global-race(pending) */
}

static void mc_child_init(apr_pool_t *pchild, server_rec *s)
{
    apr_thread_mutex_create(&mx, APR_THREAD_MUTEX_DEFAULT, pchild);
}

static int mc_fixups(request_rec *r)
{
    apr_thread_mutex_lock(mx);
    bump_pending();
    apr_thread_mutex_unlock(mx);
    return DECLINED;
}

static int mc_log(request_rec *r)
{
    bump_pending();
    return DECLINED;
}

static void mc_register_hooks(apr_pool_t *p)
{
    ap_hook_child_init(mc_child_init, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_fixups(mc_fixups, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_log_transaction(mc_log, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA mc_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    mc_register_hooks
};
