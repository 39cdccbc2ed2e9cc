/*
 * Negative: post_config runs single-threaded at (re)configuration time; the
 * globals it writes are only read by the handler.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_connection.h"
#include "http_log.h"
#include "apr_strings.h"

static int cpc_generation;
static apr_time_t cpc_stamp;

static int cpc_post_config(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp, server_rec *s)
{
    cpc_generation++;
    cpc_stamp = apr_time_now();
    return OK;
}

static int cpc_handler(request_rec *r)
{
    if (!r->handler || strcmp(r->handler, "cpc") != 0)
        return DECLINED;
    ap_set_content_type(r, "text/plain");
    ap_rprintf(r, "%d %" APR_TIME_T_FMT "\n", cpc_generation, cpc_stamp);
    return OK;
}

static void cpc_register_hooks(apr_pool_t *p)
{
    ap_hook_post_config(cpc_post_config, NULL, NULL, APR_HOOK_MIDDLE);
        ap_hook_handler(cpc_handler, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA cpc_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    cpc_register_hooks
};
