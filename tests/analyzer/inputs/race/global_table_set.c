/*
 * A global apr_table_t used as a "last seen" cache by a request hook:
 * apr_table_set on a shared table from many threads corrupts it.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"

static apr_table_t *last_ip_by_user;

static int lastip_post_config(apr_pool_t *pconf, apr_pool_t *plog,
                              apr_pool_t *ptemp, server_rec *s)
{
    last_ip_by_user = apr_table_make(pconf, 16);
    return OK;
}

static int lastip_auth_checker(request_rec *r)
{
    if (!r->user)
        return DECLINED;
    apr_table_set(last_ip_by_user, r->user, r->useragent_ip); /* expect: global-race(last_ip_by_user) */
    return DECLINED;
}

static void lastip_register_hooks(apr_pool_t *p)
{
    ap_hook_post_config(lastip_post_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_auth_checker(lastip_auth_checker, NULL, NULL, APR_HOOK_LAST);
}

module AP_MODULE_DECLARE_DATA lastip_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    lastip_register_hooks
};
