/*
 * getenv is harmless at config time but races with setenv/putenv (which
 * httpd and CGI-ish modules use) at request time.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"
#include <stdlib.h>

static const char *home_at_start;

static int envx_pre_config(apr_pool_t *pconf, apr_pool_t *plog,
                           apr_pool_t *ptemp)
{
    home_at_start = getenv("HOME");
    return OK;
}

static int envx_fixups(request_rec *r)
{
    const char *tz = getenv("TZ"); /* expect: mt-unsafe-call(getenv) */

    if (tz)
        apr_table_setn(r->subprocess_env, "SERVER_TZ", apr_pstrdup(r->pool, tz));
    if (home_at_start)
        apr_table_setn(r->subprocess_env, "SERVER_HOME", home_at_start);
    return DECLINED;
}

static void envx_register_hooks(apr_pool_t *p)
{
    ap_hook_pre_config(envx_pre_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_fixups(envx_fixups, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA envx_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    envx_register_hooks
};
