/*
 * A suppression at config time, where there is no finding to suppress
 * (post_config is single-threaded): reported as unused.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"

static int generation;

static int cfg_post_config(apr_pool_t *pconf, apr_pool_t *plog,
                           apr_pool_t *ptemp, server_rec *s)
{
    generation++; /* modcert: ignore global-race: only at startup */ /* expect: unused-suppression */
    return OK;
}

static int cfg_fixups(request_rec *r)
{
    apr_table_setn(r->notes, "gen", apr_itoa(r->pool, generation));
    return DECLINED;
}

static void cfg_register_hooks(apr_pool_t *p)
{
    ap_hook_post_config(cfg_post_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_fixups(cfg_fixups, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA cfg_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    cfg_register_hooks
};
