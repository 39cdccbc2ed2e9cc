/*
 * A global written in child_init (fine: before the workers) and also by
 * the handler (a race): only the handler's accesses are reported.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"

static apr_time_t last_touch;

static void lt_child_init(apr_pool_t *pchild, server_rec *s)
{
    last_touch = apr_time_now();
}

static int lt_handler(request_rec *r)
{
    if (!r->handler || strcmp(r->handler, "touch") != 0)
        return DECLINED;
    last_touch = r->request_time; /* expect: global-race(last_touch) */
    return HTTP_NO_CONTENT;
}

static void lt_register_hooks(apr_pool_t *p)
{
    ap_hook_child_init(lt_child_init, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_handler(lt_handler, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA lt_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    lt_register_hooks
};
