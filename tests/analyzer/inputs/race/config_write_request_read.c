/*
 * Negative: a global written only at config time (post_config runs before
 * any worker thread exists) and only read by the handler is not a race.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"

static const char *banner;
static int banner_len;

static int banner_post_config(apr_pool_t *pconf, apr_pool_t *plog,
                              apr_pool_t *ptemp, server_rec *s)
{
    banner = apr_psprintf(pconf, "served by %s", ap_get_server_banner());
    banner_len = (int)strlen(banner);
    return OK;
}

static int banner_handler(request_rec *r)
{
    if (!r->handler || strcmp(r->handler, "banner") != 0)
        return DECLINED;
    ap_set_content_type(r, "text/plain");
    ap_rwrite(banner, banner_len, r);
    return OK;
}

static void banner_register_hooks(apr_pool_t *p)
{
    ap_hook_post_config(banner_post_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_handler(banner_handler, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA banner_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    banner_register_hooks
};
