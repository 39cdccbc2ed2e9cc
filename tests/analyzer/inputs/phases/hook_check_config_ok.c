/*
 * Negative: check_config runs single-threaded at (re)configuration time; the
 * globals it writes are only read by the handler.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_connection.h"
#include "http_log.h"
#include "apr_strings.h"

static int ccc_generation;
static apr_time_t ccc_stamp;

static int ccc_check_config(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp, server_rec *s)
{
    ccc_generation++;
    ccc_stamp = apr_time_now();
    return OK;
}

static int ccc_handler(request_rec *r)
{
    if (!r->handler || strcmp(r->handler, "ccc") != 0)
        return DECLINED;
    ap_set_content_type(r, "text/plain");
    ap_rprintf(r, "%d %" APR_TIME_T_FMT "\n", ccc_generation, ccc_stamp);
    return OK;
}

static void ccc_register_hooks(apr_pool_t *p)
{
    ap_hook_check_config(ccc_check_config, NULL, NULL, APR_HOOK_MIDDLE);
        ap_hook_handler(ccc_handler, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA ccc_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    ccc_register_hooks
};
