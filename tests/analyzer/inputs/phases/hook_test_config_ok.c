/*
 * Negative: test_config runs single-threaded at (re)configuration time; the
 * globals it writes are only read by the handler.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_connection.h"
#include "http_log.h"
#include "apr_strings.h"

static int ctc_generation;
static apr_time_t ctc_stamp;

static void ctc_test_config(apr_pool_t *pconf, server_rec *s)
{
    ctc_generation++;
    ctc_stamp = apr_time_now();
    
}

static int ctc_handler(request_rec *r)
{
    if (!r->handler || strcmp(r->handler, "ctc") != 0)
        return DECLINED;
    ap_set_content_type(r, "text/plain");
    ap_rprintf(r, "%d %" APR_TIME_T_FMT "\n", ctc_generation, ctc_stamp);
    return OK;
}

static void ctc_register_hooks(apr_pool_t *p)
{
    ap_hook_test_config(ctc_test_config, NULL, NULL, APR_HOOK_MIDDLE);
        ap_hook_handler(ctc_handler, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA ctc_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    ctc_register_hooks
};
