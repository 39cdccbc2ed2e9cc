/*
 * A cache that keeps entries in a global pool, filled from a helper called
 * by the handler: apr_pcalloc and apr_pstrdup on the shared pool.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"
#include "apr_hash.h"

struct entry {
    const char *value;
    apr_time_t stored;
};

static apr_pool_t *cache_pool;

static struct entry *make_entry(const char *v)
{
    struct entry *e = apr_pcalloc(cache_pool, sizeof(*e)); /* expect: shared-pool-alloc */
    e->value = apr_pstrdup(cache_pool, v); /* expect: shared-pool-alloc */
    e->stored = apr_time_now();
    return e;
}

static int cache_post_config(apr_pool_t *pconf, apr_pool_t *plog,
                             apr_pool_t *ptemp, server_rec *s)
{
    return apr_pool_create(&cache_pool, pconf) == APR_SUCCESS ? OK : 500;
}

static int cache_handler(request_rec *r)
{
    struct entry *e;

    if (!r->handler || strcmp(r->handler, "cache") != 0)
        return DECLINED;
    e = make_entry(r->uri);
    ap_set_content_type(r, "text/plain");
    ap_rputs(e->value, r);
    return OK;
}

static void cache_register_hooks(apr_pool_t *p)
{
    ap_hook_post_config(cache_post_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_handler(cache_handler, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA cache_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    cache_register_hooks
};
