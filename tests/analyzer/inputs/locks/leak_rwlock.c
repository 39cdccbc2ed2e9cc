/*
 * A read lock of an rwlock not released when the look-up misses.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"
#include "apr_thread_rwlock.h"
#include "apr_hash.h"

static apr_thread_rwlock_t *map_lock;
static apr_hash_t *aliases; /* guarded by map_lock */

static int rl_post_config(apr_pool_t *pconf, apr_pool_t *plog,
                          apr_pool_t *ptemp, server_rec *s)
{
    aliases = apr_hash_make(pconf);
    return apr_thread_rwlock_create(&map_lock, pconf) == APR_SUCCESS ? OK : 500;
}

static int rl_translate(request_rec *r)
{
    const char *to;

    apr_thread_rwlock_rdlock(map_lock);
    to = apr_hash_get(aliases, r->uri, APR_HASH_KEY_STRING);
    if (!to)
        return DECLINED; /* expect: lock-leak */
    r->filename = apr_pstrdup(r->pool, to);
    apr_thread_rwlock_unlock(map_lock);
    return OK;
}

static void rl_register_hooks(apr_pool_t *p)
{
    ap_hook_post_config(rl_post_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_translate_name(rl_translate, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA rl_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    rl_register_hooks
};
