/*
 * Negative: the same helper shape, but used only at config time
 * (post_config logs the startup summary once).
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"

static const char *summary(server_rec *s)
{
    static char buf[128];

    apr_snprintf(buf, sizeof(buf), "%s:%u", s->server_hostname ? s->server_hostname : "-",
                 (unsigned)s->port);
    return buf;
}

static int sum_post_config(apr_pool_t *pconf, apr_pool_t *plog,
                           apr_pool_t *ptemp, server_rec *s)
{
    ap_log_error(APLOG_MARK, APLOG_NOTICE, 0, s, "started %s", summary(s));
    return OK;
}

static void sum_register_hooks(apr_pool_t *p)
{
    ap_hook_post_config(sum_post_config, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA sum_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    sum_register_hooks
};
