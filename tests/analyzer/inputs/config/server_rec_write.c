/*
 * Writing fields of the shared server_rec itself at request time (it is
 * the virtual host's configuration, shared by all its threads).
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"

static int sr_post_read(request_rec *r)
{
    const char *admin = apr_table_get(r->headers_in, "X-Admin");

    if (admin)
        r->server->server_admin = apr_pstrdup(r->pool, admin); /* expect: config-mutation */
    r->server->timeout = apr_time_from_sec(5); /* expect: config-mutation */
    return DECLINED;
}

static void sr_register_hooks(apr_pool_t *p)
{
    ap_hook_post_read_request(sr_post_read, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA sr_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    sr_register_hooks
};
