/*
 * Negative: a helper that writes globals is called only from post_config
 * and from a RSRC_CONF directive, both config time.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"

static int ttl_seconds = 60;
static int ttl_set;

static void set_ttl(int v)
{
    ttl_seconds = v;
    ttl_set = 1;
}

static const char *cmd_ttl(cmd_parms *cmd, void *dummy, const char *arg)
{
    set_ttl(atoi(arg));
    return NULL;
}

static int ttl_post_config(apr_pool_t *pconf, apr_pool_t *plog,
                           apr_pool_t *ptemp, server_rec *s)
{
    if (!ttl_set)
        set_ttl(300);
    return OK;
}

static int ttl_fixups(request_rec *r)
{
    apr_table_setn(r->headers_out, "X-TTL",
                   apr_itoa(r->pool, ttl_seconds));
    return DECLINED;
}

static const command_rec ttl_cmds[] = {
    AP_INIT_TAKE1("TTLSeconds", cmd_ttl, NULL, RSRC_CONF, "cache TTL"),
    {NULL}
};

static void ttl_register_hooks(apr_pool_t *p)
{
    ap_hook_post_config(ttl_post_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_fixups(ttl_fixups, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA ttl_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL,
    ttl_cmds,
    ttl_register_hooks
};
