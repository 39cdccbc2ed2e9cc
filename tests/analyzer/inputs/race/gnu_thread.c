/*
 * Negative: GNU __thread storage for a per-thread last-error string, also
 * as a function-scope static.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"

static __thread const char *last_err;

static const char *classify(request_rec *r)
{
    static __thread int calls;

    calls++;
    if (r->status >= 500)
        last_err = "server";
    else if (r->status >= 400)
        last_err = "client";
    else
        last_err = NULL;
    return last_err;
}

static int gnutls_log(request_rec *r)
{
    const char *c = classify(r);

    if (c)
        apr_table_setn(r->notes, "err-class", c);
    return DECLINED;
}

static void gnutls_register_hooks(apr_pool_t *p)
{
    ap_hook_log_transaction(gnutls_log, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA gnutls_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    gnutls_register_hooks
};
