/* scan-flags: -j 2 */
/* Config-time side of the module: directive and post_config. */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"

extern const char *ex_prefix;
extern int ex_enabled;
int ex_handler(request_rec *r);

static const char *cmd_prefix(cmd_parms *cmd, void *dcfg, const char *arg)
{
    ex_prefix = arg;
    ex_enabled = 1;
    return NULL;
}

static int ex_post_config(apr_pool_t *pconf, apr_pool_t *plog,
                          apr_pool_t *ptemp, server_rec *s)
{
    if (!ex_prefix)
        ex_prefix = "/ex";
    return OK;
}

static const command_rec ex_cmds[] = {
    AP_INIT_TAKE1("ExPrefix", cmd_prefix, NULL, RSRC_CONF, "prefix"),
    {NULL}
};

static void ex_register_hooks(apr_pool_t *p)
{
    ap_hook_post_config(ex_post_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_handler(ex_handler, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA ex_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL,
    ex_cmds,
    ex_register_hooks
};
