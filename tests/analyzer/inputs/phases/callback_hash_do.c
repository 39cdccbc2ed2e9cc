/*
 * apr_hash_do runs its callback synchronously in the calling request
 * thread: the callback's global write is request-time.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"
#include "apr_hash.h"

static apr_hash_t *limits;
static long visited;

static int visit_limit(void *rec, const void *key, apr_ssize_t klen, const void *value)
{
    visited++; /* expect: global-race(visited) */
    return 1;
}

static int hd_post_config(apr_pool_t *pconf, apr_pool_t *plog,
                          apr_pool_t *ptemp, server_rec *s)
{
    limits = apr_hash_make(pconf);
    apr_hash_set(limits, "a", APR_HASH_KEY_STRING, "1");
    return OK;
}

static int hd_fixups(request_rec *r)
{
    apr_hash_do(visit_limit, r, limits);
    return DECLINED;
}

static void hd_register_hooks(apr_pool_t *p)
{
    ap_hook_post_config(hd_post_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_fixups(hd_fixups, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA hd_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    hd_register_hooks
};
