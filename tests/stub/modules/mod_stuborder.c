/*
 * mod_stuborder.c - hook-ordering partner of mod_stubtest: its fixups hook
 * has the LAST order but declares itself a predecessor of mod_stubtest.c,
 * so httpd's (APR's) sort must run it before all of mod_stubtest's fixups.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_request.h"

#include "apr_strings.h"

static int order_fixup(request_rec *r)
{
    const char *t;
    if (!r->uri || strncmp(r->uri, "/order", 6))
        return DECLINED;
    t = apr_table_get(r->notes, "stubtest-trace");
    apr_table_setn(r->notes, "stubtest-trace",
                   t ? apr_pstrcat(r->pool, t, " partner", NULL) : "partner");
    return DECLINED;
}

static void register_hooks(apr_pool_t *p)
{
    static const char *const succ[] = {"mod_stubtest.c", NULL};
    ap_hook_fixups(order_fixup, NULL, succ, APR_HOOK_LAST);
}

AP_DECLARE_MODULE(stuborder) = {
    STANDARD20_MODULE_STUFF, NULL, NULL, NULL, NULL, NULL, register_hooks};
