/*
 * A global array of counters indexed by status class, incremented in the
 * logging hook.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"

static long status_class[6];

static int sclass_log(request_rec *r)
{
    int c = r->status / 100;

    if (c >= 1 && c <= 5)
        status_class[c]++; /* expect: global-race(status_class) */
    return DECLINED;
}

static void sclass_register_hooks(apr_pool_t *p)
{
    ap_hook_log_transaction(sclass_log, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA sclass_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    sclass_register_hooks
};
