/*
 * Negative: both hooks take the two mutexes in the same order.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"
#include "apr_thread_mutex.h"

static apr_thread_mutex_t *users_lock, *stats_lock;
static long user_count;    /* guarded by users_lock */
static long request_count; /* guarded by stats_lock */

static void lc_child_init(apr_pool_t *pchild, server_rec *s)
{
    apr_thread_mutex_create(&users_lock, APR_THREAD_MUTEX_DEFAULT, pchild);
    apr_thread_mutex_create(&stats_lock, APR_THREAD_MUTEX_DEFAULT, pchild);
}

static int lc_authn(request_rec *r)
{
    apr_thread_mutex_lock(users_lock);
    apr_thread_mutex_lock(stats_lock);
    user_count++;
    request_count++;
    apr_thread_mutex_unlock(stats_lock);
    apr_thread_mutex_unlock(users_lock);
    return DECLINED;
}

static int lc_log(request_rec *r)
{
    apr_thread_mutex_lock(users_lock);
    apr_thread_mutex_lock(stats_lock);
    request_count += user_count;
    apr_thread_mutex_unlock(stats_lock);
    apr_thread_mutex_unlock(users_lock);
    return DECLINED;
}

static void lc_register_hooks(apr_pool_t *p)
{
    ap_hook_child_init(lc_child_init, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_check_authn(lc_authn, NULL, NULL, APR_HOOK_MIDDLE, AP_AUTH_INTERNAL_PER_CONF);
    ap_hook_log_transaction(lc_log, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA lc_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    lc_register_hooks
};
