/*
 * Negative: the global pool is used only at config time (post_config and a
 * RSRC_CONF directive) and in child_init.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"

static apr_pool_t *cfg_pool;
static const char *names[8];
static int nnames;

static const char *cmd_name(cmd_parms *cmd, void *dcfg, const char *arg)
{
    if (nnames < 8)
        names[nnames++] = apr_pstrdup(cmd->pool, arg);
    return NULL;
}

static int names_post_config(apr_pool_t *pconf, apr_pool_t *plog,
                             apr_pool_t *ptemp, server_rec *s)
{
    cfg_pool = pconf;
    if (nnames == 0)
        names[nnames++] = apr_pstrdup(cfg_pool, "default");
    return OK;
}

static void names_child_init(apr_pool_t *pchild, server_rec *s)
{
    (void)apr_palloc(cfg_pool, 16);
}

static int names_handler(request_rec *r)
{
    int i;

    if (!r->handler || strcmp(r->handler, "names") != 0)
        return DECLINED;
    ap_set_content_type(r, "text/plain");
    for (i = 0; i < nnames; i++)
        ap_rprintf(r, "%s\n", names[i]);
    return OK;
}

static const command_rec names_cmds[] = {
    AP_INIT_TAKE1("Name", cmd_name, NULL, RSRC_CONF, "a name"),
    {NULL}
};

static void names_register_hooks(apr_pool_t *p)
{
    ap_hook_post_config(names_post_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_child_init(names_child_init, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_handler(names_handler, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA names_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL,
    names_cmds,
    names_register_hooks
};
