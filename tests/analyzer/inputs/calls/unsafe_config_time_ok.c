/*
 * Negative: MT-unsafe calls made only at config time (pre_config,
 * post_config, a RSRC_CONF directive) and in child_init, before any worker
 * thread exists.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"
#include <stdlib.h>
#include <time.h>

static char startup[64];
static char *first_dir;

static const char *cmd_dirs(cmd_parms *cmd, void *dcfg, const char *arg)
{
    char *copy = apr_pstrdup(cmd->pool, arg);
    first_dir = strtok(copy, ":");
    return NULL;
}

static int boot_post_config(apr_pool_t *pconf, apr_pool_t *plog,
                            apr_pool_t *ptemp, server_rec *s)
{
    time_t t = time(NULL);
    strftime(startup, sizeof(startup), "%c", localtime(&t));
    return OK;
}

static void boot_child_init(apr_pool_t *pchild, server_rec *s)
{
    srand((unsigned)rand());
    if (getenv("BOOT_DEBUG"))
        ap_log_error(APLOG_MARK, APLOG_NOTICE, 0, s, "boot debug");
}

static int boot_handler(request_rec *r)
{
    if (!r->handler || strcmp(r->handler, "boot") != 0)
        return DECLINED;
    ap_set_content_type(r, "text/plain");
    ap_rprintf(r, "%s %s\n", startup, first_dir ? first_dir : "-");
    return OK;
}

static const command_rec boot_cmds[] = {
    AP_INIT_TAKE1("BootDirs", cmd_dirs, NULL, RSRC_CONF, "dirs"),
    {NULL}
};

static void boot_register_hooks(apr_pool_t *p)
{
    ap_hook_post_config(boot_post_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_child_init(boot_child_init, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_handler(boot_handler, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA boot_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL,
    boot_cmds,
    boot_register_hooks
};
