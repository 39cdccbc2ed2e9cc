/*
 * Negative: only the server-config slots and a RSRC_CONF directive write
 * the globals; the handler only reads them.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"

module AP_MODULE_DECLARE_DATA srv_module;

struct srv_conf {
    int enabled;
};

static int vhosts;
static int any_enabled;

static void *srv_create_server(apr_pool_t *p, server_rec *s)
{
    struct srv_conf *c = apr_pcalloc(p, sizeof(*c));

    vhosts++;
    return c;
}

static void *srv_merge_server(apr_pool_t *p, void *basev, void *addv)
{
    struct srv_conf *add = addv;

    if (add->enabled)
        any_enabled = 1;
    return add;
}

static const char *srv_cmd_enable(cmd_parms *cmd, void *dummy, int on)
{
    struct srv_conf *c =
        ap_get_module_config(cmd->server->module_config, &srv_module);

    c->enabled = on;
    if (on)
        any_enabled = 1;
    return NULL;
}

static int srv_handler(request_rec *r)
{
    if (!r->handler || strcmp(r->handler, "srv") != 0)
        return DECLINED;
    ap_set_content_type(r, "text/plain");
    ap_rprintf(r, "%d vhosts, enabled=%d\n", vhosts, any_enabled);
    return OK;
}

static const command_rec srv_cmds[] = {
    AP_INIT_FLAG("SrvEnable", srv_cmd_enable, NULL, RSRC_CONF, "enable"),
    {NULL}
};

static void srv_register_hooks(apr_pool_t *p)
{
    ap_hook_handler(srv_handler, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA srv_module = {
    STANDARD20_MODULE_STUFF,
    NULL,
    NULL,
    srv_create_server,
    srv_merge_server,
    srv_cmds,
    srv_register_hooks
};
