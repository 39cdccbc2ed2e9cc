/*
 * httpd's own globals are not shared by design unless listed in
 * analyzer/data/host-globals.txt: a handler that lowers the server's
 * MaxConnectionsPerChild for "its" child writes a process-wide variable
 * every other thread reads.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "mpm_common.h"

module AP_MODULE_DECLARE_DATA hg_module;

static int hg_handler(request_rec *r)
{
    if (strcmp(r->handler, "hg-recycle"))
        return DECLINED;
    if (ap_max_requests_per_child == 0) /* expect: global-race(ap_max_requests_per_child) */
        ap_max_requests_per_child = 1; /* expect: global-race(ap_max_requests_per_child) */
    return OK;
}

static void hg_register_hooks(apr_pool_t *p)
{
    ap_hook_handler(hg_handler, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA hg_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    hg_register_hooks
};
