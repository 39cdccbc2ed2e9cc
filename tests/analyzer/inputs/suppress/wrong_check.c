/*
 * A suppression naming the wrong check id does not hide the finding, and
 * since it matched nothing it is reported as unused.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"

static long wrong_id_hits;

static int wc_log(request_rec *r)
{
    wrong_id_hits++; /* modcert: ignore mt-unsafe-call: counter is advisory */ /* expect: global-race(wrong_id_hits), unused-suppression */
    return DECLINED;
}

static void wc_register_hooks(apr_pool_t *p)
{
    ap_hook_log_transaction(wc_log, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA wc_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    wc_register_hooks
};
