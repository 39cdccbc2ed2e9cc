/*
 * Negative: a local variable shadows a global of the same name; only the
 * local is written at request time.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"

static int hits;

static int sh_handler(request_rec *r)
{
    int hits = 0;

    if (!r->handler || strcmp(r->handler, "shadow") != 0)
        return DECLINED;
    hits++;
    ap_set_content_type(r, "text/plain");
    ap_rprintf(r, "%d\n", hits);
    return OK;
}

static int sh_post_config(apr_pool_t *pconf, apr_pool_t *plog,
                          apr_pool_t *ptemp, server_rec *s)
{
    hits = 1;
    return OK;
}

static void sh_register_hooks(apr_pool_t *p)
{
    ap_hook_post_config(sh_post_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_handler(sh_handler, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA sh_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    sh_register_hooks
};
