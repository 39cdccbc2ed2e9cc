/*
 * Negative: a static const lookup table inside a request hook is read-only
 * data; sharing it between threads is fine.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"

static int weekday_fixups(request_rec *r)
{
    static const char *const names[7] = {"Sun", "Mon", "Tue", "Wed",
                                         "Thu", "Fri", "Sat"};
    apr_time_exp_t tm;

    if (apr_time_exp_gmt(&tm, r->request_time) != APR_SUCCESS)
        return DECLINED;
    apr_table_setn(r->subprocess_env, "WEEKDAY", names[tm.tm_wday % 7]);
    return DECLINED;
}

static void weekday_register_hooks(apr_pool_t *p)
{
    ap_hook_fixups(weekday_fixups, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA weekday_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    weekday_register_hooks
};
