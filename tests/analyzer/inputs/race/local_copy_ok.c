/*
 * Negative: request-time code works on local copies of config-time
 * globals (struct assignment, memcpy, sizeof): nothing shared is written.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"

struct defaults {
    int timeout;
    char tag[32];
};

static struct defaults defaults_cfg;

static const char *cmd_tag(cmd_parms *cmd, void *d, const char *arg)
{
    apr_cpystrn(defaults_cfg.tag, arg, sizeof(defaults_cfg.tag));
    defaults_cfg.timeout = 30;
    return NULL;
}

static int lc_fixups(request_rec *r)
{
    struct defaults mine = defaults_cfg;
    struct defaults other;

    memcpy(&other, &defaults_cfg, sizeof(other));
    mine.timeout += 5;
    other.tag[0] = 'x';
    apr_table_setn(r->notes, "tag", apr_pstrndup(r->pool, mine.tag, sizeof(defaults_cfg.tag)));
    apr_table_setn(r->notes, "t", apr_itoa(r->pool, mine.timeout + other.timeout));
    return DECLINED;
}

static const command_rec lc_cmds[] = {
    AP_INIT_TAKE1("LcTag", cmd_tag, NULL, RSRC_CONF, "tag"),
    {NULL}
};

static void lc_register_hooks(apr_pool_t *p)
{
    ap_hook_fixups(lc_fixups, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA lc_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL,
    lc_cmds,
    lc_register_hooks
};
