/*
 * A cleanup registered at request time on a shared pool (pconf kept in a
 * global, and the directive-time cmd->pool kept in a global): the cleanup
 * record is allocated from that pool (and accumulates until restart).
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"

static apr_pool_t *conf_pool;
static apr_pool_t *cmd_pool;

static apr_status_t noop(void *d)
{
    return APR_SUCCESS;
}

static const char *cmd_remember(cmd_parms *cmd, void *d, int on)
{
    cmd_pool = cmd->pool;
    return NULL;
}

static int rc_post_config(apr_pool_t *pconf, apr_pool_t *plog,
                          apr_pool_t *ptemp, server_rec *s)
{
    conf_pool = pconf;
    return OK;
}

static int rc_log(request_rec *r)
{
    apr_pool_cleanup_register(conf_pool, r, noop, apr_pool_cleanup_null); /* expect: shared-pool-alloc */
    if (cmd_pool)
        (void)apr_pstrdup(cmd_pool, r->uri); /* expect: shared-pool-alloc */
    return DECLINED;
}

static const command_rec rc_cmds[] = {
    AP_INIT_FLAG("RcRemember", cmd_remember, NULL, RSRC_CONF, "remember"),
    {NULL}
};

static void rc_register_hooks(apr_pool_t *p)
{
    ap_hook_post_config(rc_post_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_log_transaction(rc_log, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA rc_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL,
    rc_cmds,
    rc_register_hooks
};
