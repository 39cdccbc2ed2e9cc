/*
 * The guard is inverted: the server config is written when cmd->path is
 * NOT NULL, which is exactly the .htaccess case (and <Directory>): every
 * .htaccess parse writes the shared server config at request time.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"

module AP_MODULE_DECLARE_DATA dsw_module;

struct dsw_conf {
    int enabled;
};

static void *dsw_create(apr_pool_t *p, char *dir)
{
    return apr_pcalloc(p, sizeof(struct dsw_conf));
}

static void *dsw_create_server(apr_pool_t *p, server_rec *s)
{
    return apr_pcalloc(p, sizeof(struct dsw_conf));
}

static const char *dsw_flag(cmd_parms *cmd, void *mconfig, int on)
{
    struct dsw_conf *conf = mconfig;
    if (cmd->path)
        conf = ap_get_module_config(cmd->server->module_config, &dsw_module);
    conf->enabled = on; /* expect: config-mutation(enabled) */
    return NULL;
}

static const command_rec dsw_cmds[] = {
    AP_INIT_FLAG("DswEnable", dsw_flag, NULL, OR_FILEINFO, "on or off"),
    {NULL}
};

static void dsw_register_hooks(apr_pool_t *p)
{
}

module AP_MODULE_DECLARE_DATA dsw_module = {
    STANDARD20_MODULE_STUFF,
    dsw_create, NULL,
    dsw_create_server, NULL,
    dsw_cmds,
    dsw_register_hooks
};
