/*
 * Negative: a new root pool (parent NULL) created per request, and a
 * sub-pool of the connection pool: neither is shared with other threads.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"

static int rp_handler(request_rec *r)
{
    apr_pool_t *scratch, *csub;
    char *s;

    if (!r->handler || strcmp(r->handler, "rootpool") != 0)
        return DECLINED;
    if (apr_pool_create(&scratch, NULL) != APR_SUCCESS)
        return HTTP_INTERNAL_SERVER_ERROR;
    s = apr_psprintf(scratch, "%s!", r->uri);
    apr_pool_create(&csub, r->connection->pool);
    ap_set_content_type(r, "text/plain");
    ap_rputs(apr_pstrdup(csub, s), r);
    apr_pool_destroy(csub);
    apr_pool_destroy(scratch);
    return OK;
}

static void rp_register_hooks(apr_pool_t *p)
{
    ap_hook_handler(rp_handler, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA rp_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    rp_register_hooks
};
