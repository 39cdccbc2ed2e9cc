/*
 * Negative: a cleanup on the child pool (registered in child_init) runs
 * when the child exits, after its worker threads have been joined.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"

static int child_alive;
static long child_requests_at_exit;

static apr_status_t child_exit(void *data)
{
    child_alive = 0;
    child_requests_at_exit = -1;
    return APR_SUCCESS;
}

static void ce_child_init(apr_pool_t *pchild, server_rec *s)
{
    child_alive = 1;
    apr_pool_cleanup_register(pchild, NULL, child_exit, apr_pool_cleanup_null);
}

static int ce_fixups(request_rec *r)
{
    apr_table_setn(r->notes, "alive", child_alive ? "1" : "0");
    return DECLINED;
}

static void ce_register_hooks(apr_pool_t *p)
{
    ap_hook_child_init(ce_child_init, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_fixups(ce_fixups, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA ce_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    ce_register_hooks
};
