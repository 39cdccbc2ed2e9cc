/*
 * The child pool (pchild) kept in a global at child_init is shared by all
 * worker threads of the child: allocating from it per request races.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"

static apr_pool_t *child_pool;

static void cp_child_init(apr_pool_t *pchild, server_rec *s)
{
    child_pool = pchild;
}

static int cp_log(request_rec *r)
{
    const char *line = apr_psprintf(child_pool, "%s %d", r->uri, r->status); /* expect: shared-pool-alloc */
    ap_log_rerror(APLOG_MARK, APLOG_DEBUG, 0, r, "%s", line);
    return DECLINED;
}

static void cp_register_hooks(apr_pool_t *p)
{
    ap_hook_child_init(cp_child_init, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_log_transaction(cp_log, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA cp_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    cp_register_hooks
};
