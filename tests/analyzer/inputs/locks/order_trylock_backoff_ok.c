/*
 * Negative: the reverse order uses a trylock and backs off when it fails,
 * the standard way to avoid the deadlock: a trylock never waits.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"
#include "apr_thread_mutex.h"

static apr_thread_mutex_t *a_mx, *b_mx;
static long a_val; /* guarded by a_mx */
static long b_val; /* guarded by b_mx */

static void tb_child_init(apr_pool_t *pchild, server_rec *s)
{
    apr_thread_mutex_create(&a_mx, APR_THREAD_MUTEX_DEFAULT, pchild);
    apr_thread_mutex_create(&b_mx, APR_THREAD_MUTEX_DEFAULT, pchild);
}

static int tb_fixups(request_rec *r)
{
    apr_thread_mutex_lock(a_mx);
    apr_thread_mutex_lock(b_mx);
    a_val++;
    b_val++;
    apr_thread_mutex_unlock(b_mx);
    apr_thread_mutex_unlock(a_mx);
    return DECLINED;
}

static int tb_log(request_rec *r)
{
    apr_thread_mutex_lock(b_mx);
    if (apr_thread_mutex_trylock(a_mx) == APR_SUCCESS) {
        a_val += b_val;
        apr_thread_mutex_unlock(a_mx);
    }
    apr_thread_mutex_unlock(b_mx);
    return DECLINED;
}

static void tb_register_hooks(apr_pool_t *p)
{
    ap_hook_child_init(tb_child_init, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_fixups(tb_fixups, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_log_transaction(tb_log, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA tb_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    tb_register_hooks
};
