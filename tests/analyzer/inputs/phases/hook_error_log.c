/*
 * The error_log hook is called from whichever thread logs an error,
 * including request threads: concurrent.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_connection.h"
#include "http_log.h"
#include "apr_strings.h"
#include "http_core.h"

static unsigned long errors_seen;

static void elog_error_log(const ap_errorlog_info *info, const char *errstr)
{
    if (info->level <= APLOG_ERR)
        errors_seen++; /* expect: global-race(errors_seen) */
}

static void elog_register_hooks(apr_pool_t *p)
{
    ap_hook_error_log(elog_error_log, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA elog_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    elog_register_hooks
};
