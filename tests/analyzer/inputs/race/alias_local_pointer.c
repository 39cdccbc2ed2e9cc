/*
 * The global is updated through a local pointer that holds its address.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"

static long bytes_in;

static int alias_post_read(request_rec *r)
{
    long *counter = &bytes_in;
    const char *cl = apr_table_get(r->headers_in, "Content-Length");

    if (cl)
        *counter += atol(cl); /* expect: global-race(bytes_in) */
    return DECLINED;
}

static void alias_register_hooks(apr_pool_t *p)
{
    ap_hook_post_read_request(alias_post_read, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA alias_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    alias_register_hooks
};
