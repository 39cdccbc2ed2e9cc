/*
 * Replacing the module's server config pointer at request time
 * (ap_set_module_config on r->server->module_config): every thread of the
 * vhost sees the swap mid-request.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"

module AP_MODULE_DECLARE_DATA swap_module;

struct swap_conf {
    const char *backend;
};

static void *swap_create_server(apr_pool_t *p, server_rec *s)
{
    return apr_pcalloc(p, sizeof(struct swap_conf));
}

static int swap_handler(request_rec *r)
{
    struct swap_conf *c;

    if (!r->handler || strcmp(r->handler, "swap") != 0 || !r->args)
        return DECLINED;
    c = apr_pcalloc(r->pool, sizeof(*c));
    c->backend = r->args;
    ap_set_module_config(r->server->module_config, &swap_module, c); /* expect: config-mutation */
    ap_set_content_type(r, "text/plain");
    ap_rputs("swapped\n", r);
    return OK;
}

static void swap_register_hooks(apr_pool_t *p)
{
    ap_hook_handler(swap_handler, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA swap_module = {
    STANDARD20_MODULE_STUFF,
    NULL,
    NULL,
    swap_create_server,
    NULL,
    NULL,
    swap_register_hooks
};
