/*
 * 2.4-style module declaration (AP_DECLARE_MODULE), hooks registered from
 * a helper that register_hooks calls, and register_hooks defined after the
 * module record.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"

static long late_hits;

static int late_fixups(request_rec *r)
{
    late_hits++; /* expect: global-race(late_hits) */
    return DECLINED;
}

static void register_request_hooks(void)
{
    ap_hook_fixups(late_fixups, NULL, NULL, APR_HOOK_MIDDLE);
}

static void late_register_hooks(apr_pool_t *p);

AP_DECLARE_MODULE(late) = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    late_register_hooks
};

static void late_register_hooks(apr_pool_t *p)
{
    register_request_hooks();
}
