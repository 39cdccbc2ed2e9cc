/*
 * mod_rwcache.c — a read-mostly cache of rendered greetings.
 *
 * Feature: GET /cached?NAME answers "greeting=Hello, NAME! cached=yes|no".
 * Rendering is (pretend) expensive, so up to 64 greetings are kept; the
 * first request for a name renders and stores it, later ones are served
 * from the cache. When the cache is full, new names are rendered each time.
 *
 * Why it is safe: the cache is guarded by `cache_lock`, an
 * apr_thread_rwlock created at child_init: lookups hold it for reading
 * (many at once), inserts hold it for writing. The greeting is copied out
 * into r->pool before the lock is released; entries are fixed-size arrays,
 * so no pool is shared between threads.
 *
 *     <Location /cached>
 *         SetHandler rwcache
 *     </Location>
 */
#include "httpd.h"
#include "http_config.h"
#include "http_log.h"
#include "http_protocol.h"
#include "http_request.h"
#include "ap_config.h"

#include "apr_strings.h"
#include "apr_thread_rwlock.h"

#define RWCACHE_ENTRIES 64
#define RWCACHE_NAME_MAX 32
#define RWCACHE_TEXT_MAX 64

struct rwcache_entry {
    char name[RWCACHE_NAME_MAX];
    char text[RWCACHE_TEXT_MAX];
};

static apr_thread_rwlock_t *cache_lock; /* guards cache, cache_used */
static struct rwcache_entry cache[RWCACHE_ENTRIES];
static int cache_used;

static void rwcache_child_init(apr_pool_t *pchild, server_rec *s)
{
    apr_status_t rv = apr_thread_rwlock_create(&cache_lock, pchild);

    if (rv != APR_SUCCESS) {
        ap_log_error(APLOG_MARK, APLOG_CRIT, rv, s, "rwcache: no rwlock");
    }
}

/* Returns a copy of the cached greeting for name, or NULL. */
static const char *rwcache_lookup(request_rec *r, const char *name)
{
    const char *found = NULL;
    int i;

    apr_thread_rwlock_rdlock(cache_lock);
    for (i = 0; i < cache_used && found == NULL; i++) {
        if (strcmp(cache[i].name, name) == 0) {
            found = apr_pstrdup(r->pool, cache[i].text);
        }
    }
    apr_thread_rwlock_unlock(cache_lock);
    return found;
}

static void rwcache_store(const char *name, const char *text)
{
    int i, present = 0;

    apr_thread_rwlock_wrlock(cache_lock);
    for (i = 0; i < cache_used && !present; i++) {
        present = strcmp(cache[i].name, name) == 0;
    }
    if (!present && cache_used < RWCACHE_ENTRIES) {
        apr_cpystrn(cache[cache_used].name, name, RWCACHE_NAME_MAX);
        apr_cpystrn(cache[cache_used].text, text, RWCACHE_TEXT_MAX);
        cache_used++;
    }
    apr_thread_rwlock_unlock(cache_lock);
}

static int rwcache_handler(request_rec *r)
{
    const char *name, *text;
    int hit = 1;

    if (strcmp(r->handler, "rwcache") != 0) {
        return DECLINED;
    }
    name = r->args ? r->args : "";
    if (*name == '\0' || strlen(name) >= RWCACHE_NAME_MAX) {
        return HTTP_BAD_REQUEST;
    }
    text = rwcache_lookup(r, name);
    if (text == NULL) {
        hit = 0;
        text = apr_psprintf(r->pool, "Hello, %s!", name);
        rwcache_store(name, text);
    }
    ap_set_content_type(r, "text/plain");
    ap_rprintf(r, "greeting=%s cached=%s\n", ap_escape_html(r->pool, text),
               hit ? "yes" : "no");
    return OK;
}

static void rwcache_register_hooks(apr_pool_t *p)
{
    ap_hook_child_init(rwcache_child_init, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_handler(rwcache_handler, NULL, NULL, APR_HOOK_MIDDLE);
}

AP_DECLARE_MODULE(rwcache) = {
    STANDARD20_MODULE_STUFF,
    NULL,                  /* create per-dir config */
    NULL,                  /* merge per-dir config */
    NULL,                  /* create per-server config */
    NULL,                  /* merge per-server config */
    NULL,                  /* command table */
    rwcache_register_hooks /* register hooks */
};
