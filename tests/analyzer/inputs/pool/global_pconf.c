/*
 * pconf kept in a global at post_config and allocated from by the handler:
 * APR pools are not thread-safe, and the memory also grows until restart.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"

static apr_pool_t *module_pool;

static int keep_post_config(apr_pool_t *pconf, apr_pool_t *plog,
                            apr_pool_t *ptemp, server_rec *s)
{
    module_pool = pconf;
    return OK;
}

static int keep_handler(request_rec *r)
{
    char *copy;

    if (!r->handler || strcmp(r->handler, "keep") != 0)
        return DECLINED;
    copy = apr_pstrdup(module_pool, r->uri); /* expect: shared-pool-alloc */
    ap_set_content_type(r, "text/plain");
    ap_rputs(copy, r);
    return OK;
}

static void keep_register_hooks(apr_pool_t *p)
{
    ap_hook_post_config(keep_post_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_handler(keep_handler, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA keep_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    keep_register_hooks
};
