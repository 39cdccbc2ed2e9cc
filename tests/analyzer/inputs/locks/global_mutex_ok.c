/*
 * Negative: an apr_global_mutex (the usual httpd cross-process+thread lock)
 * guards a counter.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"
#include "apr_global_mutex.h"

static apr_global_mutex_t *gm;
static unsigned long tokens; /* guarded by gm */

static int gmx_post_config(apr_pool_t *pconf, apr_pool_t *plog,
                           apr_pool_t *ptemp, server_rec *s)
{
    return apr_global_mutex_create(&gm, NULL, APR_LOCK_DEFAULT, pconf) ==
                   APR_SUCCESS
               ? OK
               : HTTP_INTERNAL_SERVER_ERROR;
}

static void gmx_child_init(apr_pool_t *pchild, server_rec *s)
{
    apr_global_mutex_child_init(&gm, apr_global_mutex_lockfile(gm), pchild);
}

static int gmx_handler(request_rec *r)
{
    unsigned long t;

    if (!r->handler || strcmp(r->handler, "gmx") != 0)
        return DECLINED;
    if (apr_global_mutex_lock(gm) != APR_SUCCESS)
        return HTTP_INTERNAL_SERVER_ERROR;
    t = tokens++;
    apr_global_mutex_unlock(gm);
    ap_set_content_type(r, "text/plain");
    ap_rprintf(r, "token %lu\n", t);
    return OK;
}

static void gmx_register_hooks(apr_pool_t *p)
{
    ap_hook_post_config(gmx_post_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_child_init(gmx_child_init, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_handler(gmx_handler, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA gmx_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    gmx_register_hooks
};
