/*
 * The racing write is in a helper two calls below the handler: the finding
 * is reported in the helper, reached by handler -> serve -> note_error.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"

static int error_count;
static int last_error;

static void note_error(int status)
{
    error_count++; /* expect: global-race(error_count) */
    last_error = status; /* expect: global-race(last_error) */
}

static int serve(request_rec *r)
{
    if (r->method_number != M_GET) {
        note_error(HTTP_METHOD_NOT_ALLOWED);
        return HTTP_METHOD_NOT_ALLOWED;
    }
    ap_set_content_type(r, "text/plain");
    ap_rputs("ok\n", r);
    return OK;
}

static int errs_handler(request_rec *r)
{
    if (!r->handler || strcmp(r->handler, "errs") != 0)
        return DECLINED;
    return serve(r);
}

static void errs_register_hooks(apr_pool_t *p)
{
    ap_hook_handler(errs_handler, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA errs_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    errs_register_hooks
};
