/*
 * Directive handlers whose override class allows them in .htaccess
 * (OR_FILEINFO, OR_ALL, OR_AUTHCFG|RSRC_CONF) are run while a request
 * parses a .htaccess file, concurrently in worker threads: the globals they
 * write race. The RSRC_CONF-only one does not.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"

static const char *default_charset;
static int nosniff;
static const char *auth_realm;
static int strict_mode;

static const char *cmd_charset(cmd_parms *cmd, void *dcfg, const char *arg)
{
    default_charset = arg; /* expect: global-race(default_charset) */
    return NULL;
}

static const char *cmd_nosniff(cmd_parms *cmd, void *dcfg, int on)
{
    nosniff = on; /* expect: global-race(nosniff) */
    return NULL;
}

static const char *cmd_realm(cmd_parms *cmd, void *dcfg, const char *arg)
{
    auth_realm = arg; /* expect: global-race(auth_realm) */
    return NULL;
}

static const char *cmd_strict(cmd_parms *cmd, void *dcfg, int on)
{
    strict_mode = on;
    return NULL;
}

static int hdrs_fixups(request_rec *r)
{
    if (nosniff) /* expect: global-race(nosniff) */
        apr_table_setn(r->headers_out, "X-Content-Type-Options", "nosniff");
    if (default_charset && !strict_mode) /* expect: global-race(default_charset) */
        apr_table_setn(r->notes, "charset", default_charset); /* expect: global-race(default_charset) */
    if (auth_realm) /* expect: global-race(auth_realm) */
        apr_table_setn(r->notes, "realm", auth_realm); /* expect: global-race(auth_realm) */
    return DECLINED;
}

static const command_rec hdrs_cmds[] = {
    AP_INIT_TAKE1("HdrsCharset", cmd_charset, NULL, OR_FILEINFO, "charset"),
    AP_INIT_FLAG("HdrsNoSniff", cmd_nosniff, NULL, OR_ALL, "nosniff"),
    AP_INIT_TAKE1("HdrsRealm", cmd_realm, NULL, OR_AUTHCFG | RSRC_CONF, "realm"),
    AP_INIT_FLAG("HdrsStrict", cmd_strict, NULL, RSRC_CONF, "strict"),
    {NULL}
};

static void hdrs_register_hooks(apr_pool_t *p)
{
    ap_hook_fixups(hdrs_fixups, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA hdrs_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL,
    hdrs_cmds,
    hdrs_register_hooks
};
