/*
 * Negative: a lock-free "max concurrent" tracker with apr_atomic_cas32 and
 * apr_atomic_dec32.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"
#include "apr_atomic.h"

static volatile apr_uint32_t active;
static volatile apr_uint32_t peak;

static int peak_post_read(request_rec *r)
{
    apr_uint32_t now = apr_atomic_inc32(&active) + 1;
    apr_uint32_t old;

    do {
        old = apr_atomic_read32(&peak);
        if (now <= old)
            break;
    } while (apr_atomic_cas32(&peak, now, old) != old);
    return DECLINED;
}

static int peak_log(request_rec *r)
{
    apr_atomic_dec32(&active);
    return DECLINED;
}

static void peak_register_hooks(apr_pool_t *p)
{
    ap_hook_post_read_request(peak_post_read, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_log_transaction(peak_log, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA peak_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    peak_register_hooks
};
