/*
 * One handler for a directive allowed both in the server config and in
 * .htaccess (OR_FILEINFO). It writes the server config only when
 * cmd->path is NULL, i.e. in server context, which is read at startup;
 * an .htaccess directive always has a path and writes the fresh
 * per-directory config it was handed. Neither write is shared at request
 * time.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "apr_strings.h"

module AP_MODULE_DECLARE_DATA dsc_module;

struct dsc_conf {
    int enabled;
    int verbose;
    const char *label;
};

static void *dsc_create(apr_pool_t *p, char *dir)
{
    return apr_pcalloc(p, sizeof(struct dsc_conf));
}

static void *dsc_create_server(apr_pool_t *p, server_rec *s)
{
    return apr_pcalloc(p, sizeof(struct dsc_conf));
}

static const char *dsc_flag(cmd_parms *cmd, void *mconfig, int on)
{
    struct dsc_conf *conf = mconfig;
    if (cmd->path == NULL)
        conf = ap_get_module_config(cmd->server->module_config, &dsc_module);
    conf->enabled = on;
    return NULL;
}

static const char *dsc_verbose(cmd_parms *cmd, void *mconfig, int on)
{
    if (!cmd->path) {
        struct dsc_conf *sconf =
            ap_get_module_config(cmd->server->module_config, &dsc_module);
        sconf->verbose = on;
        return NULL;
    }
    ((struct dsc_conf *)mconfig)->verbose = on;
    return NULL;
}

static const char *dsc_label(cmd_parms *cmd, void *mconfig, const char *arg)
{
    struct dsc_conf *conf = mconfig;
    if (cmd->path != NULL) {
        conf->label = arg;
    }
    else {
        conf = ap_get_module_config(cmd->server->module_config, &dsc_module);
        conf->label = apr_pstrdup(cmd->pool, arg);
    }
    return NULL;
}

static const command_rec dsc_cmds[] = {
    AP_INIT_FLAG("DscEnable", dsc_flag, NULL, OR_FILEINFO, "on or off"),
    AP_INIT_FLAG("DscVerbose", dsc_verbose, NULL, OR_FILEINFO, "on or off"),
    AP_INIT_TAKE1("DscLabel", dsc_label, NULL, OR_FILEINFO, "a label"),
    {NULL}
};

static int dsc_fixups(request_rec *r)
{
    struct dsc_conf *conf = ap_get_module_config(r->per_dir_config, &dsc_module);
    if (conf->enabled && conf->label)
        apr_table_setn(r->notes, "dsc-label", conf->label);
    return DECLINED;
}

static void dsc_register_hooks(apr_pool_t *p)
{
    ap_hook_fixups(dsc_fixups, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA dsc_module = {
    STANDARD20_MODULE_STUFF,
    dsc_create, NULL,
    dsc_create_server, NULL,
    dsc_cmds,
    dsc_register_hooks
};
