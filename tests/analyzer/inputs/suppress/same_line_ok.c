/*
 * Negative: an approximate statistics counter whose races the author
 * accepts, suppressed on the same line with a reason.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"

static unsigned long approx_hits;

static int sl_log(request_rec *r)
{
    approx_hits++; /* modcert: ignore global-race: approximate statistic, lost updates are acceptable */ /* expect-suppressed: global-race(approx_hits) */
    return DECLINED;
}

static void sl_register_hooks(apr_pool_t *p)
{
    ap_hook_log_transaction(sl_log, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA sl_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    sl_register_hooks
};
