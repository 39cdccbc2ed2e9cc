/*
 * A read/write pair: fixups writes the "last path" global, the handler
 * reads it. Both accesses race, so both lines are reported.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"

static char last_uri[256];

static int lastpath_fixups(request_rec *r)
{
    apr_cpystrn(last_uri, r->uri, sizeof(last_uri)); /* expect: global-race(last_uri) */
    return DECLINED;
}

static int lastpath_handler(request_rec *r)
{
    if (!r->handler || strcmp(r->handler, "lastpath") != 0)
        return DECLINED;
    ap_set_content_type(r, "text/plain");
    ap_rputs(last_uri, r); /* expect: global-race(last_uri) */
    return OK;
}

static void lastpath_register_hooks(apr_pool_t *p)
{
    ap_hook_fixups(lastpath_fixups, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_handler(lastpath_handler, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA lastpath_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    lastpath_register_hooks
};
