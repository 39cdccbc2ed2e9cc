/*
 * Negative: GCC/clang __atomic builtins on a plain global.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"

static unsigned long requests;
static int draining;

static int gcc_atomic_handler(request_rec *r)
{
    unsigned long n;

    if (!r->handler || strcmp(r->handler, "gccatomic") != 0)
        return DECLINED;
    if (__atomic_load_n(&draining, __ATOMIC_ACQUIRE))
        return HTTP_SERVICE_UNAVAILABLE;
    n = __atomic_add_fetch(&requests, 1, __ATOMIC_RELAXED);
    if (n > 1000000)
        __atomic_store_n(&draining, 1, __ATOMIC_RELEASE);
    ap_set_content_type(r, "text/plain");
    ap_rprintf(r, "%lu\n", n);
    return OK;
}

static void gcc_atomic_register_hooks(apr_pool_t *p)
{
    ap_hook_handler(gcc_atomic_handler, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA gcc_atomic_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    gcc_atomic_register_hooks
};
