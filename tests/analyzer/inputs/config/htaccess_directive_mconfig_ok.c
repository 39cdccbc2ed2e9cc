/*
 * Negative: .htaccess-allowed directives (OR_OPTIONS, OR_LIMIT) that only
 * write the per-directory config they are given (mconfig).
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"

struct hd_dir {
    int cache;
    int max;
};

static void *hd_create_dir(apr_pool_t *p, char *dir)
{
    return apr_pcalloc(p, sizeof(struct hd_dir));
}

static const char *hd_cmd_cache(cmd_parms *cmd, void *mconfig, int on)
{
    struct hd_dir *d = mconfig;
    d->cache = on;
    return NULL;
}

static const char *hd_cmd_max(cmd_parms *cmd, void *mconfig, const char *arg)
{
    ((struct hd_dir *)mconfig)->max = atoi(arg);
    return NULL;
}

static const command_rec hd_cmds[] = {
    AP_INIT_FLAG("HdCache", hd_cmd_cache, NULL, OR_OPTIONS, "cache"),
    AP_INIT_TAKE1("HdMax", hd_cmd_max, NULL, OR_LIMIT, "max"),
    {NULL}
};

static void hd_register_hooks(apr_pool_t *p)
{

}

module AP_MODULE_DECLARE_DATA hd_module = {
    STANDARD20_MODULE_STUFF,
    hd_create_dir,
    NULL,
    NULL,
    NULL,
    hd_cmds,
    hd_register_hooks
};
