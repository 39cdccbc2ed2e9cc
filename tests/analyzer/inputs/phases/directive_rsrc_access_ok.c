/*
 * Negative: directive handlers allowed only in the main config
 * (RSRC_CONF, ACCESS_CONF, or both) run at config time, single-threaded.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"

static const char *greeting = "hello";
static int greet_count_limit;
static const char *greet_footer;

static const char *cmd_greeting(cmd_parms *cmd, void *dcfg, const char *arg)
{
    greeting = apr_pstrdup(cmd->pool, arg);
    return NULL;
}

static const char *cmd_limit(cmd_parms *cmd, void *dcfg, const char *arg)
{
    greet_count_limit = atoi(arg);
    return NULL;
}

static const char *cmd_footer(cmd_parms *cmd, void *dcfg, const char *arg)
{
    greet_footer = arg;
    return NULL;
}

static const command_rec greet_cmds[] = {
    AP_INIT_TAKE1("Greeting", cmd_greeting, NULL, RSRC_CONF, "the greeting"),
    AP_INIT_TAKE1("GreetLimit", cmd_limit, NULL, ACCESS_CONF, "a limit"),
    AP_INIT_TAKE1("GreetFooter", cmd_footer, NULL, RSRC_CONF | ACCESS_CONF,
                  "a footer"),
    {NULL}
};

static int greet_handler(request_rec *r)
{
    if (!r->handler || strcmp(r->handler, "greet") != 0)
        return DECLINED;
    ap_set_content_type(r, "text/plain");
    ap_rprintf(r, "%s (%d)%s\n", greeting, greet_count_limit,
               greet_footer ? greet_footer : "");
    return OK;
}

static void greet_register_hooks(apr_pool_t *p)
{
    ap_hook_handler(greet_handler, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA greet_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL,
    greet_cmds,
    greet_register_hooks
};
