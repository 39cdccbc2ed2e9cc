/*
 * Negative: an apr_thread_rwlock: readers hold the read lock, the writer
 * the write lock.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"
#include "apr_thread_rwlock.h"

static apr_thread_rwlock_t *rules_lock;
static const char *current_rule = "allow"; /* guarded by rules_lock */

static void rw_child_init(apr_pool_t *pchild, server_rec *s)
{
    apr_thread_rwlock_create(&rules_lock, pchild);
}

static int rw_access(request_rec *r)
{
    int deny;

    apr_thread_rwlock_rdlock(rules_lock);
    deny = strcmp(current_rule, "deny") == 0;
    apr_thread_rwlock_unlock(rules_lock);
    return deny ? HTTP_FORBIDDEN : DECLINED;
}

static int rw_handler(request_rec *r)
{
    if (!r->handler || strcmp(r->handler, "rules") != 0 || !r->args)
        return DECLINED;
    apr_thread_rwlock_wrlock(rules_lock);
    current_rule = strcmp(r->args, "deny") == 0 ? "deny" : "allow";
    apr_thread_rwlock_unlock(rules_lock);
    ap_set_content_type(r, "text/plain");
    ap_rputs("updated\n", r);
    return OK;
}

static void rw_register_hooks(apr_pool_t *p)
{
    ap_hook_child_init(rw_child_init, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_access_checker(rw_access, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_handler(rw_handler, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA rw_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    rw_register_hooks
};
