/*
 * Negative: an 8 KiB scratch buffer on a request hook's stack is well under
 * any thread stack limit, and the 256 KiB one is allocated from r->pool.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"

static int small_handler(request_rec *r)
{
    char line[8192];
    char *big;

    if (!r->handler || strcmp(r->handler, "small") != 0)
        return DECLINED;
    big = apr_palloc(r->pool, 256 * 1024);
    apr_snprintf(line, sizeof(line), "%s", r->uri);
    apr_cpystrn(big, line, 256 * 1024);
    ap_set_content_type(r, "text/plain");
    ap_rputs(big, r);
    return OK;
}

static void small_register_hooks(apr_pool_t *p)
{
    ap_hook_handler(small_handler, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA small_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    small_register_hooks
};
