/*
 * Every kind of APR allocation from pools that outlive the request and are
 * shared: the config pool kept in a global, process->pconf.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"
#include "apr_hash.h"
#include "apr_tables.h"

static apr_pool_t *gpool;

static int alloc_post_config(apr_pool_t *pconf, apr_pool_t *plog,
                             apr_pool_t *ptemp, server_rec *s)
{
    gpool = pconf;
    return OK;
}

static int alloc_handler(request_rec *r)
{
    apr_pool_t *pc = r->server->process->pconf;
    char *a, *b, *c;

    if (!r->handler || strcmp(r->handler, "alloc") != 0)
        return DECLINED;
    a = apr_pstrndup(gpool, r->uri, 16); /* expect: shared-pool-alloc */
    b = apr_pstrcat(gpool, a, "/", NULL); /* expect: shared-pool-alloc */
    c = apr_pmemdup(gpool, b, 4); /* expect: shared-pool-alloc */
    (void)apr_table_make(gpool, 4); /* expect: shared-pool-alloc */
    (void)apr_array_make(gpool, 4, sizeof(int)); /* expect: shared-pool-alloc */
    (void)apr_hash_make(gpool); /* expect: shared-pool-alloc */
    (void)apr_palloc(pc, 8); /* expect: shared-pool-alloc */
    ap_set_content_type(r, "text/plain");
    ap_rputs(c, r);
    return OK;
}

static void alloc_register_hooks(apr_pool_t *p)
{
    ap_hook_post_config(alloc_post_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_handler(alloc_handler, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA alloc_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    alloc_register_hooks
};
