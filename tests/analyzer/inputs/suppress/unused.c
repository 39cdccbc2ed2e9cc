/*
 * A suppression left behind after the code was fixed (the counter is now
 * atomic): it matches nothing and is itself reported.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"
#include "apr_atomic.h"

static volatile apr_uint32_t fixed_hits;

static int us_log(request_rec *r)
{
    apr_atomic_inc32(&fixed_hits); /* modcert: ignore global-race: benign counter */ /* expect: unused-suppression */
    return DECLINED;
}

static void us_register_hooks(apr_pool_t *p)
{
    ap_hook_log_transaction(us_log, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA us_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    us_register_hooks
};
