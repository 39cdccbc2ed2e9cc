/*
 * Negative: C11 atomics: an _Atomic counter updated with atomic_fetch_add,
 * another with plain ++ (which is an atomic read-modify-write on an
 * _Atomic object), read with atomic_load.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"
#include <stdatomic.h>

static atomic_ulong served;
static _Atomic long errors;

static int c11_handler(request_rec *r)
{
    if (!r->handler || strcmp(r->handler, "c11") != 0)
        return DECLINED;
    atomic_fetch_add(&served, 1);
    if (r->method_number != M_GET) {
        errors++;
        return HTTP_METHOD_NOT_ALLOWED;
    }
    ap_set_content_type(r, "text/plain");
    ap_rprintf(r, "%lu %ld\n", (unsigned long)atomic_load(&served),
               (long)atomic_load_explicit(&errors, memory_order_relaxed));
    return OK;
}

static void c11_register_hooks(apr_pool_t *p)
{
    ap_hook_handler(c11_handler, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA c11_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    c11_register_hooks
};
