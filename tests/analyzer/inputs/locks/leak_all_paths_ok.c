/*
 * Negative: the lock is released on every path: on the early error return,
 * through a goto-cleanup label, and at the end.
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

static void ok_child_init(apr_pool_t *pchild, server_rec *s)
{
    apr_thread_mutex_create(&db_lock, APR_THREAD_MUTEX_DEFAULT, pchild);
    sessions = apr_hash_make(pchild);
}

static int ok_handler(request_rec *r)
{
    const char *sid;
    int status = OK;

    if (!r->handler || strcmp(r->handler, "session") != 0)
        return DECLINED;
    apr_thread_mutex_lock(db_lock);
    sid = apr_hash_get(sessions, r->useragent_ip, APR_HASH_KEY_STRING);
    if (!sid) {
        apr_thread_mutex_unlock(db_lock);
        return HTTP_UNAUTHORIZED;
    }
    if (strlen(sid) > 64) {
        status = HTTP_BAD_REQUEST;
        goto out;
    }
    sid = apr_pstrdup(r->pool, sid);
out:
    apr_thread_mutex_unlock(db_lock);
    if (status != OK)
        return status;
    ap_set_content_type(r, "text/plain");
    ap_rputs(sid, r);
    return OK;
}

static void ok_register_hooks(apr_pool_t *p)
{
    ap_hook_child_init(ok_child_init, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_handler(ok_handler, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA ok_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    ok_register_hooks
};
