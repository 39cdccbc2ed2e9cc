/*
 * Negative: byte accounting with apr_atomic_add32 / apr_atomic_read32, and
 * apr_atomic_set32 to reset; the initial value is set in post_config.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"
#include "apr_atomic.h"

static volatile apr_uint32_t bytes_out;
static volatile apr_uint32_t resets;

static int bytes_post_config(apr_pool_t *pconf, apr_pool_t *plog,
                             apr_pool_t *ptemp, server_rec *s)
{
    bytes_out = 0;
    return OK;
}

static int bytes_log(request_rec *r)
{
    apr_atomic_add32(&bytes_out, (apr_uint32_t)r->bytes_sent);
    if (apr_atomic_read32(&bytes_out) > 0x7fffffffu) {
        apr_atomic_set32(&bytes_out, 0);
        apr_atomic_inc32(&resets);
    }
    return DECLINED;
}

static void bytes_register_hooks(apr_pool_t *p)
{
    ap_hook_post_config(bytes_post_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_log_transaction(bytes_log, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA bytes_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    bytes_register_hooks
};
