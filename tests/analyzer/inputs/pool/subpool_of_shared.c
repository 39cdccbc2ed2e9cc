/*
 * Creating a sub-pool of a shared pool at request time modifies the
 * parent's list of children: same hazard as allocating from it.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"

static apr_pool_t *gp;

static int sp_post_config(apr_pool_t *pconf, apr_pool_t *plog,
                          apr_pool_t *ptemp, server_rec *s)
{
    gp = pconf;
    return OK;
}

static int sp_post_read(request_rec *r)
{
    apr_pool_t *tmp;

    if (apr_pool_create(&tmp, gp) != APR_SUCCESS) /* expect: shared-pool-alloc */
        return HTTP_INTERNAL_SERVER_ERROR;
    apr_pool_destroy(tmp);
    return DECLINED;
}

static void sp_register_hooks(apr_pool_t *p)
{
    ap_hook_post_config(sp_post_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_post_read_request(sp_post_read, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA sp_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    sp_register_hooks
};
