/*
 * s->process->pool reached from the request (r->server->process->pool):
 * the process-lifetime pool shared by every thread.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"

static int proc_fixups(request_rec *r)
{
    apr_pool_t *pp = r->server->process->pool;
    char *note = apr_psprintf(r->server->process->pool, "seen %s", r->uri); /* expect: shared-pool-alloc */
    void *scratch = apr_palloc(pp, 64); /* expect: shared-pool-alloc */

    apr_table_setn(r->notes, "proc", note);
    return scratch ? DECLINED : HTTP_INTERNAL_SERVER_ERROR;
}

static void proc_register_hooks(apr_pool_t *p)
{
    ap_hook_fixups(proc_fixups, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA proc_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    proc_register_hooks
};
