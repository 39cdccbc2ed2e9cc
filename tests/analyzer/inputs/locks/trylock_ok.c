/*
 * Negative: apr_thread_mutex_trylock: the counter is touched only on the
 * branch where the lock was obtained.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"
#include "apr_thread_mutex.h"

static apr_thread_mutex_t *tl_mu;
static long sampled; /* guarded by tl_mu */

static void try_child_init(apr_pool_t *pchild, server_rec *s)
{
    apr_thread_mutex_create(&tl_mu, APR_THREAD_MUTEX_DEFAULT, pchild);
}

static int try_log(request_rec *r)
{
    if (apr_thread_mutex_trylock(tl_mu) == APR_SUCCESS) {
        sampled++;
        apr_thread_mutex_unlock(tl_mu);
    }
    return DECLINED;
}

static void try_register_hooks(apr_pool_t *p)
{
    ap_hook_child_init(try_child_init, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_log_transaction(try_log, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA try_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    try_register_hooks
};
