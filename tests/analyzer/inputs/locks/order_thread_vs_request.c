/*
 * A module thread takes an rwlock (write) then a global mutex; the handler
 * takes the global mutex then the rwlock (read): an inversion across the
 * thread and request phases.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"
#include "apr_thread_proc.h"
#include "apr_thread_rwlock.h"
#include "apr_global_mutex.h"

static apr_thread_rwlock_t *cfg_rw;
static apr_global_mutex_t *shm_mx;
static int version;      /* guarded by cfg_rw */
static long shm_version; /* guarded by shm_mx */

static void *APR_THREAD_FUNC reloader(apr_thread_t *t, void *d)
{
    apr_thread_rwlock_wrlock(cfg_rw);
    version++;
    apr_global_mutex_lock(shm_mx); /* expect: lock-order */
    shm_version = version;
    apr_global_mutex_unlock(shm_mx);
    apr_thread_rwlock_unlock(cfg_rw);
    return NULL;
}

static int xo_post_config(apr_pool_t *pconf, apr_pool_t *plog,
                          apr_pool_t *ptemp, server_rec *s)
{
    return apr_global_mutex_create(&shm_mx, NULL, APR_LOCK_DEFAULT, pconf) ==
                   APR_SUCCESS
               ? OK
               : HTTP_INTERNAL_SERVER_ERROR;
}

static void xo_child_init(apr_pool_t *pchild, server_rec *s)
{
    apr_thread_t *t;

    apr_global_mutex_child_init(&shm_mx, apr_global_mutex_lockfile(shm_mx), pchild);
    apr_thread_rwlock_create(&cfg_rw, pchild);
    apr_thread_create(&t, NULL, reloader, NULL, pchild);
}

static int xo_fixups(request_rec *r)
{
    int v;

    apr_global_mutex_lock(shm_mx);
    apr_thread_rwlock_rdlock(cfg_rw); /* expect: lock-order */
    v = version + (int)shm_version;
    apr_thread_rwlock_unlock(cfg_rw);
    apr_global_mutex_unlock(shm_mx);
    apr_table_setn(r->notes, "v", apr_itoa(r->pool, v));
    return DECLINED;
}

static void xo_register_hooks(apr_pool_t *p)
{
    ap_hook_post_config(xo_post_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_child_init(xo_child_init, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_fixups(xo_fixups, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA xo_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    xo_register_hooks
};
