/*
 * Negative: allocation from the request pool, the connection pool and a
 * sub-pool of the request pool at request time; from pconf at post_config.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"

static const char *prefix;

static int own_post_config(apr_pool_t *pconf, apr_pool_t *plog,
                           apr_pool_t *ptemp, server_rec *s)
{
    prefix = apr_pstrdup(pconf, "own:");
    return OK;
}

static int own_handler(request_rec *r)
{
    apr_pool_t *sub;
    char *a, *b;

    if (!r->handler || strcmp(r->handler, "own") != 0)
        return DECLINED;
    a = apr_pstrcat(r->pool, prefix, r->uri, NULL);
    b = apr_psprintf(r->connection->pool, "%ld", r->connection->id);
    apr_pool_create(&sub, r->pool);
    apr_palloc(sub, 128);
    apr_pool_destroy(sub);
    ap_set_content_type(r, "text/plain");
    ap_rprintf(r, "%s %s\n", a, b);
    return OK;
}

static void own_register_hooks(apr_pool_t *p)
{
    ap_hook_post_config(own_post_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_handler(own_handler, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA own_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    own_register_hooks
};
