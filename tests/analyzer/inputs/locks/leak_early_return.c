/*
 * An early error return leaves the mutex locked: the next request that
 * wants the lock blocks forever (a deadlock only under load).
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"
#include "apr_thread_mutex.h"
#include "apr_hash.h"

static apr_thread_mutex_t *db_lock;
static apr_hash_t *sessions; /* guarded by db_lock */

static void er_child_init(apr_pool_t *pchild, server_rec *s)
{
    apr_thread_mutex_create(&db_lock, APR_THREAD_MUTEX_DEFAULT, pchild);
    sessions = apr_hash_make(pchild);
}

static int er_handler(request_rec *r)
{
    const char *sid;

    if (!r->handler || strcmp(r->handler, "session") != 0)
        return DECLINED;
    apr_thread_mutex_lock(db_lock);
    sid = apr_hash_get(sessions, r->useragent_ip, APR_HASH_KEY_STRING);
    if (!sid)
        return HTTP_UNAUTHORIZED; /* expect: lock-leak */
    sid = apr_pstrdup(r->pool, sid);
    apr_thread_mutex_unlock(db_lock);
    ap_set_content_type(r, "text/plain");
    ap_rputs(sid, r);
    return OK;
}

static void er_register_hooks(apr_pool_t *p)
{
    ap_hook_child_init(er_child_init, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_handler(er_handler, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA er_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    er_register_hooks
};
