/*
 * The lock is taken on one branch only: the write after the if/else runs
 * with the lock held on one path and without it on the other.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"
#include "apr_thread_mutex.h"

static apr_thread_mutex_t *mu;
static long posts;

static void ob_child_init(apr_pool_t *pchild, server_rec *s)
{
    apr_thread_mutex_create(&mu, APR_THREAD_MUTEX_DEFAULT, pchild);
}

static int ob_fixups(request_rec *r)
{
    int locked = 0;

    if (r->method_number == M_POST) {
        apr_thread_mutex_lock(mu);
        locked = 1;
    }
    posts++; /* expect: global-race(posts) */
    if (locked)
        apr_thread_mutex_unlock(mu);
    return DECLINED;
}

static void ob_register_hooks(apr_pool_t *p)
{
    ap_hook_child_init(ob_child_init, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_fixups(ob_fixups, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA ob_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    ob_register_hooks
};
