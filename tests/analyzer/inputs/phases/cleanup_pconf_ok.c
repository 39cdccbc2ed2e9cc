/*
 * Negative: a cleanup registered on pconf at post_config runs when the
 * configuration is torn down (restart/exit), single-threaded; so does a
 * cleanup on the process pool.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"

static void *shm_base;
static int generation;

static apr_status_t shm_reset(void *data)
{
    shm_base = NULL;
    generation++;
    return APR_SUCCESS;
}

static apr_status_t process_exit(void *data)
{
    generation = -1;
    return APR_SUCCESS;
}

static int shm_post_config(apr_pool_t *pconf, apr_pool_t *plog,
                           apr_pool_t *ptemp, server_rec *s)
{
    shm_base = apr_pcalloc(pconf, 4096);
    apr_pool_cleanup_register(pconf, NULL, shm_reset, apr_pool_cleanup_null);
    apr_pool_cleanup_register(s->process->pool, NULL, process_exit,
                              apr_pool_cleanup_null);
    return OK;
}

static int shm_handler(request_rec *r)
{
    if (!r->handler || strcmp(r->handler, "shm") != 0)
        return DECLINED;
    ap_set_content_type(r, "text/plain");
    ap_rprintf(r, "gen %d base %s\n", generation, shm_base ? "set" : "unset");
    return OK;
}

static void shm_register_hooks(apr_pool_t *p)
{
    ap_hook_post_config(shm_post_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_handler(shm_handler, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA shm_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    shm_register_hooks
};
