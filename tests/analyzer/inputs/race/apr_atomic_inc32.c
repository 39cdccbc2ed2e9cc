/*
 * Negative: the hit counter done right with apr_atomic_inc32 and
 * apr_atomic_read32.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"
#include "apr_atomic.h"

static volatile apr_uint32_t hits;

static int ahits_handler(request_rec *r)
{
    if (!r->handler || strcmp(r->handler, "ahits") != 0)
        return DECLINED;
    apr_atomic_inc32(&hits);
    ap_set_content_type(r, "text/plain");
    ap_rprintf(r, "%u\n", apr_atomic_read32(&hits));
    return OK;
}

static void ahits_register_hooks(apr_pool_t *p)
{
    ap_hook_handler(ahits_handler, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA ahits_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    ahits_register_hooks
};
