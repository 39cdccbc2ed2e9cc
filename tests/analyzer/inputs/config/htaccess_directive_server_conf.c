/*
 * A directive allowed in .htaccess (OR_FILEINFO) runs while a request
 * parses the .htaccess file: writing the *server* config there mutates an
 * object shared by all threads. Writing its own per-directory config
 * (mconfig, freshly created for this parse) is fine.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"

module AP_MODULE_DECLARE_DATA ht_module;

struct ht_srv {
    int seen_htaccess;
};

struct ht_dir {
    const char *type;
};

static void *ht_create_dir(apr_pool_t *p, char *dir)
{
    return apr_pcalloc(p, sizeof(struct ht_dir));
}

static void *ht_create_server(apr_pool_t *p, server_rec *s)
{
    return apr_pcalloc(p, sizeof(struct ht_srv));
}

static const char *ht_cmd_type(cmd_parms *cmd, void *mconfig, const char *arg)
{
    struct ht_dir *d = mconfig;
    struct ht_srv *s = ap_get_module_config(cmd->server->module_config, &ht_module);

    d->type = arg;
    s->seen_htaccess = 1; /* expect: config-mutation */
    return NULL;
}

static const command_rec ht_cmds[] = {
    AP_INIT_TAKE1("HtType", ht_cmd_type, NULL, OR_FILEINFO, "a type"),
    {NULL}
};

static void ht_register_hooks(apr_pool_t *p)
{

}

module AP_MODULE_DECLARE_DATA ht_module = {
    STANDARD20_MODULE_STUFF,
    ht_create_dir,
    NULL,
    ht_create_server,
    NULL,
    ht_cmds,
    ht_register_hooks
};
