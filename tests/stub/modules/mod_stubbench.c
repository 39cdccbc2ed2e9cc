/*
 * mod_stubbench.c - the trivial handler of bench/stub/run.sh: "hello\n" as
 * text/plain for SetHandler stubbench. No state, no locks: it measures the
 * host, not the module.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"

#include <string.h>

static int bench_handler(request_rec *r)
{
    if (!r->handler || strcmp(r->handler, "stubbench"))
        return DECLINED;
    ap_set_content_type(r, "text/plain");
    ap_rputs("hello\n", r);
    return OK;
}

static void register_hooks(apr_pool_t *p)
{
    ap_hook_handler(bench_handler, NULL, NULL, APR_HOOK_MIDDLE);
}

AP_DECLARE_MODULE(stubbench) = {
    STANDARD20_MODULE_STUFF, NULL, NULL, NULL, NULL, NULL, register_hooks};
