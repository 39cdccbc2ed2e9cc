/*
 * Negative: the server config is written while it is built (create, merge,
 * RSRC_CONF directive, post_config) and only read at request time.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"

module AP_MODULE_DECLARE_DATA ro_module;

struct ro_conf {
    int enabled;
    const char *header;
    int nservers;
};

static void *ro_create_server(apr_pool_t *p, server_rec *s)
{
    struct ro_conf *c = apr_pcalloc(p, sizeof(*c));
    c->header = "X-Ro";
    return c;
}

static void *ro_merge_server(apr_pool_t *p, void *basev, void *addv)
{
    struct ro_conf *base = basev, *add = addv;
    struct ro_conf *c = apr_pcalloc(p, sizeof(*c));
    c->enabled = add->enabled || base->enabled;
    c->header = add->header ? add->header : base->header;
    return c;
}

static const char *ro_cmd_enable(cmd_parms *cmd, void *dcfg, int on)
{
    struct ro_conf *c = ap_get_module_config(cmd->server->module_config, &ro_module);
    c->enabled = on;
    return NULL;
}

static int ro_post_config(apr_pool_t *pconf, apr_pool_t *plog,
                          apr_pool_t *ptemp, server_rec *s)
{
    server_rec *v;
    for (v = s; v; v = v->next) {
        struct ro_conf *c = ap_get_module_config(v->module_config, &ro_module);
        c->nservers++;
    }
    return OK;
}

static int ro_fixups(request_rec *r)
{
    const struct ro_conf *c = ap_get_module_config(r->server->module_config, &ro_module);

    if (c->enabled)
        apr_table_setn(r->headers_out, c->header, apr_itoa(r->pool, c->nservers));
    return DECLINED;
}

static const command_rec ro_cmds[] = {
    AP_INIT_FLAG("RoEnable", ro_cmd_enable, NULL, RSRC_CONF, "enable"),
    {NULL}
};

static void ro_register_hooks(apr_pool_t *p)
{
    ap_hook_post_config(ro_post_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_fixups(ro_fixups, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA ro_module = {
    STANDARD20_MODULE_STUFF,
    NULL,
    NULL,
    ro_create_server,
    ro_merge_server,
    ro_cmds,
    ro_register_hooks
};
