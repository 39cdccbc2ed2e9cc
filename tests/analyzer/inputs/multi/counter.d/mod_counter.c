/* scan-flags: -j 2 */
/*
 * Two-file module, file 1: the module record and the handler, which calls
 * count_hit() defined in stats.c. The race is reported in stats.c.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"

long count_hit(void);

static int mc_handler(request_rec *r)
{
    if (!r->handler || strcmp(r->handler, "mcounter") != 0)
        return DECLINED;
    ap_set_content_type(r, "text/plain");
    ap_rprintf(r, "%ld\n", count_hit());
    return OK;
}

static void mc_register_hooks(apr_pool_t *p)
{
    ap_hook_handler(mc_handler, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA mcounter_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    mc_register_hooks
};
