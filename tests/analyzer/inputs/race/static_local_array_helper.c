/*
 * A static local array in a helper of the handler (a byte histogram).
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"

static void histogram(const char *s)
{
    static unsigned seen[256];

    while (*s)
        seen[(unsigned char)*s++]++; /* expect: global-race(seen) */
}

static int histo_handler(request_rec *r)
{
    if (!r->handler || strcmp(r->handler, "histo") != 0)
        return DECLINED;
    histogram(r->uri);
    return HTTP_NO_CONTENT;
}

static void histo_register_hooks(apr_pool_t *p)
{
    ap_hook_handler(histo_handler, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA histo_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    histo_register_hooks
};
