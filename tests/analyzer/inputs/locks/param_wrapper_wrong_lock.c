/*
 * A lock wrapper that takes the mutex as a parameter is called with the
 * WRONG mutex for this counter: the lockset is b_lock, the counter's
 * other access holds a_lock.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"
#include "apr_thread_mutex.h"

static apr_thread_mutex_t *a_lock, *b_lock;
static long a_count;

static void lock_it(apr_thread_mutex_t *m)
{
    apr_thread_mutex_lock(m);
}

static void unlock_it(apr_thread_mutex_t *m)
{
    apr_thread_mutex_unlock(m);
}

static void wl_child_init(apr_pool_t *pchild, server_rec *s)
{
    apr_thread_mutex_create(&a_lock, APR_THREAD_MUTEX_DEFAULT, pchild);
    apr_thread_mutex_create(&b_lock, APR_THREAD_MUTEX_DEFAULT, pchild);
}

static int wl_fixups(request_rec *r)
{
    lock_it(a_lock);
    a_count++; /* expect: global-race(a_count) */
    unlock_it(a_lock);
    return DECLINED;
}

static int wl_log(request_rec *r)
{
    lock_it(b_lock);
    a_count--; /* expect: global-race(a_count) */
    unlock_it(b_lock);
    return DECLINED;
}

static void wl_register_hooks(apr_pool_t *p)
{
    ap_hook_child_init(wl_child_init, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_fixups(wl_fixups, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_log_transaction(wl_log, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA wl_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    wl_register_hooks
};
