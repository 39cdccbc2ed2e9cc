/* scan-flags: -j 2 */
/*
 * The log hook (in this file) writes a global defined in state.c; the
 * handler (also here) reads it. Linked by extern across translation units.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"

extern int ew_last_status;

static int ew_log(request_rec *r)
{
    ew_last_status = r->status; /* expect: global-race(ew_last_status) */
    return DECLINED;
}

static int ew_handler(request_rec *r)
{
    if (!r->handler || strcmp(r->handler, "laststatus") != 0)
        return DECLINED;
    ap_set_content_type(r, "text/plain");
    ap_rprintf(r, "%d\n", ew_last_status); /* expect: global-race(ew_last_status) */
    return OK;
}

static void ew_register_hooks(apr_pool_t *p)
{
    ap_hook_log_transaction(ew_log, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_handler(ew_handler, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA ew_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    ew_register_hooks
};
