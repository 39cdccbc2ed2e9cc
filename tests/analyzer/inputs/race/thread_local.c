/*
 * Negative: C11 _Thread_local storage: each worker thread has its own
 * scratch counter and buffer.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"

static _Thread_local unsigned long thread_requests;
static _Thread_local char scratch[256];

static int tls_handler(request_rec *r)
{
    if (!r->handler || strcmp(r->handler, "tls") != 0)
        return DECLINED;
    thread_requests++;
    apr_snprintf(scratch, sizeof(scratch), "%lu", thread_requests);
    ap_set_content_type(r, "text/plain");
    ap_rputs(scratch, r);
    return OK;
}

static void tls_register_hooks(apr_pool_t *p)
{
    ap_hook_handler(tls_handler, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA tls_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    tls_register_hooks
};
