/*
 * Directive override classes at the edges: EXEC_ON_READ|RSRC_CONF is
 * config time; OR_AUTHCFG alone and ACCESS_CONF|OR_LIMIT allow .htaccess.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"

static int early_flag;
static const char *authcfg_note;
static const char *limit_note;

static const char *cmd_early(cmd_parms *cmd, void *d, int on)
{
    early_flag = on;
    return NULL;
}

static const char *cmd_authcfg(cmd_parms *cmd, void *d, const char *args)
{
    authcfg_note = args; /* expect: global-race(authcfg_note) */
    return NULL;
}

static const char *cmd_limit(cmd_parms *cmd, void *d, const char *a)
{
    limit_note = a; /* expect: global-race(limit_note) */
    return NULL;
}

static const command_rec edge_cmds[] = {
    AP_INIT_FLAG("EdgeEarly", cmd_early, NULL, RSRC_CONF | EXEC_ON_READ, "early"),
    AP_INIT_RAW_ARGS("EdgeAuth", cmd_authcfg, NULL, OR_AUTHCFG, "auth note"),
    AP_INIT_TAKE1("EdgeLimit", cmd_limit, NULL, ACCESS_CONF | OR_LIMIT, "limit note"),
    {NULL}
};

static void edge_register_hooks(apr_pool_t *p)
{
}

module AP_MODULE_DECLARE_DATA edge_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL,
    edge_cmds,
    edge_register_hooks
};
