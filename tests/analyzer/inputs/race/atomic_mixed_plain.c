/*
 * Atomic updates are fine, but the same counter is also reset with a plain
 * store at request time: that store races with the atomic updates.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"
#include "apr_atomic.h"

static volatile apr_uint32_t window_hits;

static int window_handler(request_rec *r)
{
    if (!r->handler || strcmp(r->handler, "window") != 0)
        return DECLINED;
    if (r->args && strcmp(r->args, "reset") == 0)
        window_hits = 0; /* expect: global-race(window_hits) */
    else
        apr_atomic_inc32(&window_hits);
    ap_set_content_type(r, "text/plain");
    ap_rprintf(r, "%u\n", apr_atomic_read32(&window_hits));
    return OK;
}

static void window_register_hooks(apr_pool_t *p)
{
    ap_hook_handler(window_handler, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA window_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    window_register_hooks
};
