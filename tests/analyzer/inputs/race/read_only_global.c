/*
 * Negative: an initialised global that nothing ever writes (not declared
 * const, but never modified) is only read at request time.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"

static int max_age = 3600;
static char cache_control_fmt[] = "max-age=%d";

static int maxage_fixups(request_rec *r)
{
    apr_table_setn(r->headers_out, "Cache-Control",
                   apr_psprintf(r->pool, cache_control_fmt, max_age));
    return DECLINED;
}

static void maxage_register_hooks(apr_pool_t *p)
{
    ap_hook_fixups(maxage_fixups, NULL, NULL, APR_HOOK_LAST);
}

module AP_MODULE_DECLARE_DATA maxage_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    maxage_register_hooks
};
