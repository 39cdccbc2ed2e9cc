/*
 * A pool kept in the server config (conf->pool = pconf at create time) and
 * allocated from at request time: as shared as a global pool.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"

module AP_MODULE_DECLARE_DATA scp_module;

struct scp_conf {
    apr_pool_t *pool;
    int n;
};

static void *scp_create_server(apr_pool_t *p, server_rec *s)
{
    struct scp_conf *c = apr_pcalloc(p, sizeof(*c));
    c->pool = p;
    return c;
}

static int scp_handler(request_rec *r)
{
    struct scp_conf *c =
        ap_get_module_config(r->server->module_config, &scp_module);
    char *s;

    if (!r->handler || strcmp(r->handler, "scp") != 0)
        return DECLINED;
    s = apr_pstrdup(c->pool, r->uri); /* expect: shared-pool-alloc */
    ap_set_content_type(r, "text/plain");
    ap_rputs(s, r);
    return OK;
}

static void scp_register_hooks(apr_pool_t *p)
{
    ap_hook_handler(scp_handler, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA scp_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL,
    scp_create_server,
    NULL, NULL,
    scp_register_hooks
};
