/*
 * Negative: open_logs runs single-threaded at (re)configuration time; the
 * globals it writes are only read by the handler.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_connection.h"
#include "http_log.h"
#include "apr_strings.h"

static int col_generation;
static apr_time_t col_stamp;

static int col_open_logs(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp, server_rec *s)
{
    col_generation++;
    col_stamp = apr_time_now();
    return OK;
}

static int col_handler(request_rec *r)
{
    if (!r->handler || strcmp(r->handler, "col") != 0)
        return DECLINED;
    ap_set_content_type(r, "text/plain");
    ap_rprintf(r, "%d %" APR_TIME_T_FMT "\n", col_generation, col_stamp);
    return OK;
}

static void col_register_hooks(apr_pool_t *p)
{
    ap_hook_open_logs(col_open_logs, NULL, NULL, APR_HOOK_MIDDLE);
        ap_hook_handler(col_handler, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA col_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    col_register_hooks
};
