/*
 * Two different mutexes "guard" the same global in two hooks: each access
 * is locked, but by different locks, so they do not exclude each other.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"
#include "apr_thread_mutex.h"

static apr_thread_mutex_t *in_lock, *out_lock;
static long balance;

static void tl_child_init(apr_pool_t *pchild, server_rec *s)
{
    apr_thread_mutex_create(&in_lock, APR_THREAD_MUTEX_DEFAULT, pchild);
    apr_thread_mutex_create(&out_lock, APR_THREAD_MUTEX_DEFAULT, pchild);
}

static int tl_post_read(request_rec *r)
{
    apr_thread_mutex_lock(in_lock);
    balance++; /* expect: global-race(balance) */
    apr_thread_mutex_unlock(in_lock);
    return DECLINED;
}

static int tl_log(request_rec *r)
{
    apr_thread_mutex_lock(out_lock);
    balance--; /* expect: global-race(balance) */
    apr_thread_mutex_unlock(out_lock);
    return DECLINED;
}

static void tl_register_hooks(apr_pool_t *p)
{
    ap_hook_child_init(tl_child_init, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_post_read_request(tl_post_read, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_log_transaction(tl_log, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA tl_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    tl_register_hooks
};
