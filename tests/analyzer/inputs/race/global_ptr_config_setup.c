/*
 * Negative: a global pointer whose object is filled in at post_config and
 * only read at request time.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"

struct limits {
    apr_off_t max_body;
    int max_fields;
};

static struct limits *limits;

static int limits_post_config(apr_pool_t *pconf, apr_pool_t *plog,
                              apr_pool_t *ptemp, server_rec *s)
{
    limits = apr_pcalloc(pconf, sizeof(*limits));
    limits->max_body = 1 << 20;
    limits->max_fields = 64;
    return OK;
}

static int limits_header_parser(request_rec *r)
{
    const char *cl = apr_table_get(r->headers_in, "Content-Length");

    if (cl && apr_atoi64(cl) > limits->max_body)
        return HTTP_REQUEST_ENTITY_TOO_LARGE;
    if (apr_table_elts(r->headers_in)->nelts > limits->max_fields)
        return HTTP_BAD_REQUEST;
    return DECLINED;
}

static void limits_register_hooks(apr_pool_t *p)
{
    ap_hook_post_config(limits_post_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_header_parser(limits_header_parser, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA limits_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    limits_register_hooks
};
