/*
 * Negative: child_init runs once per child before its worker threads exist;
 * the globals it writes are only read by the handler.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_connection.h"
#include "http_log.h"
#include "apr_strings.h"

static int cci_generation;
static apr_time_t cci_stamp;

static void cci_child_init(apr_pool_t *pchild, server_rec *s)
{
    cci_generation++;
    cci_stamp = apr_time_now();
    
}

static int cci_handler(request_rec *r)
{
    if (!r->handler || strcmp(r->handler, "cci") != 0)
        return DECLINED;
    ap_set_content_type(r, "text/plain");
    ap_rprintf(r, "%d %" APR_TIME_T_FMT "\n", cci_generation, cci_stamp);
    return OK;
}

static void cci_register_hooks(apr_pool_t *p)
{
    ap_hook_child_init(cci_child_init, NULL, NULL, APR_HOOK_MIDDLE);
        ap_hook_handler(cci_handler, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA cci_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    cci_register_hooks
};
