/*
 * Negative: in a directive handler that runs while a request parses
 * .htaccess (OR_FILEINFO), cmd->pool and cmd->temp_pool are that request's
 * pools, and so is create_dir_config's pool: allocating from them is fine.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"

struct hp_dir {
    const char *charset;
    apr_array_header_t *aliases;
};

static void *hp_create_dir(apr_pool_t *p, char *dir)
{
    struct hp_dir *d = apr_pcalloc(p, sizeof(*d));
    d->aliases = apr_array_make(p, 2, sizeof(const char *));
    return d;
}

static const char *hp_cmd_charset(cmd_parms *cmd, void *mconfig, const char *arg)
{
    struct hp_dir *d = mconfig;
    char *tmp = apr_pstrdup(cmd->temp_pool, arg);

    ap_str_tolower(tmp);
    d->charset = apr_pstrdup(cmd->pool, tmp);
    *(const char **)apr_array_push(d->aliases) = apr_pstrcat(cmd->pool, "x-", tmp, NULL);
    return NULL;
}

static const command_rec hp_cmds[] = {
    AP_INIT_TAKE1("HpCharset", hp_cmd_charset, NULL, OR_FILEINFO, "charset"),
    {NULL}
};

static void hp_register_hooks(apr_pool_t *p)
{
}

module AP_MODULE_DECLARE_DATA hp_module = {
    STANDARD20_MODULE_STUFF,
    hp_create_dir,
    NULL, NULL, NULL,
    hp_cmds,
    hp_register_hooks
};
