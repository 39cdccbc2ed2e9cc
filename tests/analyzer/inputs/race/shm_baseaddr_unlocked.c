/*
 * A counter in shared memory, incremented by the handler through the
 * segment's base address without the global mutex that guards it
 * elsewhere. The pointer comes from a library call at request time
 * (apr_shm_baseaddr_get), which the analysis does not map back to the
 * shared segment.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "apr_shm.h"
#include "apr_global_mutex.h"

module AP_MODULE_DECLARE_DATA sb_module;

struct sb_counts {
    apr_uint64_t hits;
};

static apr_shm_t *sb_shm;
static apr_global_mutex_t *sb_mutex;

static int sb_post_config(apr_pool_t *pconf, apr_pool_t *plog,
                          apr_pool_t *ptemp, server_rec *s)
{
    if (apr_shm_create(&sb_shm, sizeof(struct sb_counts), NULL, pconf) !=
        APR_SUCCESS)
        return HTTP_INTERNAL_SERVER_ERROR;
    return apr_global_mutex_create(&sb_mutex, NULL, APR_LOCK_DEFAULT,
                                   pconf) == APR_SUCCESS
               ? OK
               : HTTP_INTERNAL_SERVER_ERROR;
}

static void sb_child_init(apr_pool_t *p, server_rec *s)
{
    apr_global_mutex_child_init(&sb_mutex, NULL, p);
}

static int sb_handler(request_rec *r)
{
    struct sb_counts *c = apr_shm_baseaddr_get(sb_shm);
    if (strcmp(r->handler, "sb-hits"))
        return DECLINED;
    c->hits++; /* expect-fn: global-race: a pointer returned by a library call (apr_shm_baseaddr_get) is not mapped to the shared segment */
    ap_rprintf(r, "%" APR_UINT64_T_FMT "\n", c->hits);
    return OK;
}

static int sb_log(request_rec *r)
{
    struct sb_counts *c = apr_shm_baseaddr_get(sb_shm);
    apr_global_mutex_lock(sb_mutex);
    c->hits += 0;
    apr_global_mutex_unlock(sb_mutex);
    return DECLINED;
}

static void sb_register_hooks(apr_pool_t *p)
{
    ap_hook_post_config(sb_post_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_child_init(sb_child_init, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_handler(sb_handler, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_log_transaction(sb_log, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA sb_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    sb_register_hooks
};
