/*
 * Negative: legacy __sync builtins: a counter and a one-shot flag.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"

static long uploads;
static int warned;

static int sync_fixups(request_rec *r)
{
    if (r->method_number != M_PUT)
        return DECLINED;
    __sync_fetch_and_add(&uploads, 1);
    if (__sync_bool_compare_and_swap(&warned, 0, 1))
        ap_log_rerror(APLOG_MARK, APLOG_NOTICE, 0, r, "first upload seen");
    return DECLINED;
}

static void sync_register_hooks(apr_pool_t *p)
{
    ap_hook_fixups(sync_fixups, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA sync_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    sync_register_hooks
};
