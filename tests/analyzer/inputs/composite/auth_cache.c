/*
 * An authn provider with a credential cache (rwlock: readers look up,
 * writers insert). Defects: a statistics counter bumped under the *read*
 * lock, crypt() instead of crypt_r(), and an early return that keeps the
 * read lock when the user name is empty.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"
#include "apr_hash.h"
#include "apr_thread_rwlock.h"
#include "mod_auth.h"
#include <crypt.h>

static apr_thread_rwlock_t *cache_lock;
static apr_hash_t *cache;      /* user -> hash, guarded by cache_lock */
static apr_pool_t *cache_pool; /* guarded by cache_lock (write) */
static long cache_hits;        /* meant to be guarded by cache_lock */

static void ac_child_init(apr_pool_t *pchild, server_rec *s)
{
    apr_pool_create(&cache_pool, pchild);
    cache = apr_hash_make(cache_pool);
    apr_thread_rwlock_create(&cache_lock, pchild);
}

static const char *lookup(const char *user)
{
    const char *h;

    apr_thread_rwlock_rdlock(cache_lock);
    if (!*user)
        return NULL; /* expect: lock-leak */
    h = apr_hash_get(cache, user, APR_HASH_KEY_STRING);
    if (h)
        cache_hits++; /* expect: global-race(cache_hits) */
    apr_thread_rwlock_unlock(cache_lock);
    return h;
}

static void store(const char *user, const char *hash)
{
    apr_thread_rwlock_wrlock(cache_lock);
    apr_hash_set(cache, apr_pstrdup(cache_pool, user), APR_HASH_KEY_STRING,
                 apr_pstrdup(cache_pool, hash));
    apr_thread_rwlock_unlock(cache_lock);
}

static authn_status ac_check_password(request_rec *r, const char *user,
                                      const char *password)
{
    const char *stored = lookup(user);
    const char *computed;

    if (!stored) {
        stored = apr_table_get(r->subprocess_env, "AUTH_HASH");
        if (!stored)
            return AUTH_USER_NOT_FOUND;
        store(user, stored);
    }
    computed = crypt(password, stored); /* expect: mt-unsafe-call(crypt) */
    return computed && strcmp(computed, stored) == 0 ? AUTH_GRANTED : AUTH_DENIED;
}

static const authn_provider ac_provider = {
    &ac_check_password,
    NULL,
};

static void ac_register_hooks(apr_pool_t *p)
{
    ap_register_auth_provider(p, AUTHN_PROVIDER_GROUP, "cache",
                              AUTHN_PROVIDER_VERSION, &ac_provider,
                              AP_AUTH_INTERNAL_PER_CONF);
    ap_hook_child_init(ac_child_init, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA authcache_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    ac_register_hooks
};
