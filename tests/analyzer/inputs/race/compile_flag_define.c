/* scan-flags: -- -DMOD_STATS_ENABLED=1 */
/*
 * The racing counter only exists when the module is built with
 * -DMOD_STATS_ENABLED: the flags after `--` reach the parser (without them
 * this file has no finding at all).
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"

#if MOD_STATS_ENABLED
static long stat_hits;
#endif

static int flag_log(request_rec *r)
{
#if MOD_STATS_ENABLED
    stat_hits++; /* expect: global-race(stat_hits) */
#endif
    return DECLINED;
}

static void flag_register_hooks(apr_pool_t *p)
{
    ap_hook_log_transaction(flag_log, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA flag_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    flag_register_hooks
};
