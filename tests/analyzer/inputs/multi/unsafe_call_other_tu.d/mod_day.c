/* scan-flags: -j 2 */
/* The module: the handler calls format_day() from util.c. */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"
#include <time.h>

const char *format_day(apr_pool_t *p, time_t t);
const char *startup_banner(apr_pool_t *p);

static int day_post_config(apr_pool_t *pconf, apr_pool_t *plog,
                           apr_pool_t *ptemp, server_rec *s)
{
    ap_log_error(APLOG_MARK, APLOG_NOTICE, 0, s, "%s", startup_banner(ptemp));
    return OK;
}

static int day_handler(request_rec *r)
{
    if (!r->handler || strcmp(r->handler, "day") != 0)
        return DECLINED;
    ap_set_content_type(r, "text/plain");
    ap_rputs(format_day(r->pool, (time_t)apr_time_sec(r->request_time)), r);
    return OK;
}

static void day_register_hooks(apr_pool_t *p)
{
    ap_hook_post_config(day_post_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_handler(day_handler, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA day_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    day_register_hooks
};
