/*
 * A three-lock cycle: fixups takes a then b, log_transaction b then c, a
 * cleanup c then a. No pair is ever inverted, yet three threads can
 * deadlock. The check looks at pairs of locks only: a known false negative.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"
#include "apr_thread_mutex.h"

static apr_thread_mutex_t *la, *lb, *lc;
static long shared_sum; /* guarded by all three */

static void cy_child_init(apr_pool_t *pchild, server_rec *s)
{
    apr_thread_mutex_create(&la, APR_THREAD_MUTEX_DEFAULT, pchild);
    apr_thread_mutex_create(&lb, APR_THREAD_MUTEX_DEFAULT, pchild);
    apr_thread_mutex_create(&lc, APR_THREAD_MUTEX_DEFAULT, pchild);
}

static apr_status_t cy_done(void *d)
{
    apr_thread_mutex_lock(lc);
    apr_thread_mutex_lock(la); /* expect-fn: lock-order: cycles of three locks are not detected (pairwise inversions only) */
    apr_thread_mutex_unlock(la);
    apr_thread_mutex_unlock(lc);
    return APR_SUCCESS;
}

static int cy_fixups(request_rec *r)
{
    apr_thread_mutex_lock(la);
    apr_thread_mutex_lock(lb); /* expect-fn: lock-order: cycles of three locks are not detected (pairwise inversions only) */
    apr_thread_mutex_unlock(lb);
    apr_thread_mutex_unlock(la);
    apr_pool_cleanup_register(r->pool, NULL, cy_done, apr_pool_cleanup_null);
    return DECLINED;
}

static int cy_log(request_rec *r)
{
    apr_thread_mutex_lock(lb);
    apr_thread_mutex_lock(lc); /* expect-fn: lock-order: cycles of three locks are not detected (pairwise inversions only) */
    apr_thread_mutex_unlock(lc);
    apr_thread_mutex_unlock(lb);
    return DECLINED;
}

static void cy_register_hooks(apr_pool_t *p)
{
    ap_hook_child_init(cy_child_init, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_fixups(cy_fixups, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_log_transaction(cy_log, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA cy_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    cy_register_hooks
};
