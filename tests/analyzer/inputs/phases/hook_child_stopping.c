/*
 * child_stopping runs when a child is asked to stop (graceful restart),
 * from the thread that handles the signal, while worker threads are still
 * finishing their requests: its write races with the handler's read.
 * drop_privileges, by contrast, runs in the new child before any worker.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "mpm_common.h"
#include "apr_strings.h"

static int stopping;
static int privileges_dropped;

static void cs_child_stopping(apr_pool_t *pchild, int graceful)
{
    stopping = graceful ? 1 : 2; /* expect: global-race(stopping) */
}

static int cs_drop_privileges(apr_pool_t *pchild, server_rec *s)
{
    privileges_dropped = 1;
    return DECLINED;
}

static int cs_handler(request_rec *r)
{
    if (!r->handler || strcmp(r->handler, "stopping") != 0)
        return DECLINED;
    ap_set_content_type(r, "text/plain");
    ap_rprintf(r, "%d %d\n", stopping, privileges_dropped); /* expect: global-race(stopping) */
    return OK;
}

static void cs_register_hooks(apr_pool_t *p)
{
    ap_hook_child_stopping(cs_child_stopping, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_drop_privileges(cs_drop_privileges, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_handler(cs_handler, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA cs_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    cs_register_hooks
};
