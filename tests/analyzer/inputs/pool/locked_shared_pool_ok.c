/*
 * Negative: a shared pool used at request time only while holding the
 * mutex that guards it (as mod_ldap's cache does): serialised, not a race.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"
#include "apr_thread_mutex.h"

static apr_pool_t *store_pool;       /* guarded by store_mutex after config */
static apr_thread_mutex_t *store_mutex;
static const char *last_stored;      /* guarded by store_mutex */

static void store_child_init(apr_pool_t *pchild, server_rec *s)
{
    apr_pool_create(&store_pool, pchild);
    apr_thread_mutex_create(&store_mutex, APR_THREAD_MUTEX_DEFAULT, pchild);
}

static int store_log(request_rec *r)
{
    apr_thread_mutex_lock(store_mutex);
    last_stored = apr_pstrdup(store_pool, r->uri);
    apr_thread_mutex_unlock(store_mutex);
    return DECLINED;
}

static void store_register_hooks(apr_pool_t *p)
{
    ap_hook_child_init(store_child_init, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_log_transaction(store_log, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA store_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    store_register_hooks
};
