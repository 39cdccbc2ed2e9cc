/*
 * An optional function exported with APR_REGISTER_OPTIONAL_FN can be called
 * by any other module at request time (as mod_ssl's ssl_var_lookup is):
 * treat it as a concurrent root.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"
#include "apr_optional.h"

APR_DECLARE_OPTIONAL_FN(int, quota_charge, (request_rec *r, apr_off_t bytes));

static apr_off_t quota_used;
static apr_off_t quota_limit = 1 << 30;

static int quota_charge(request_rec *r, apr_off_t bytes)
{
    if (quota_used + bytes > quota_limit) /* expect: global-race(quota_used) */
        return HTTP_INSUFFICIENT_STORAGE;
    quota_used += bytes; /* expect: global-race(quota_used) */
    return OK;
}

static void quota_register_hooks(apr_pool_t *p)
{
    APR_REGISTER_OPTIONAL_FN(quota_charge);
}

module AP_MODULE_DECLARE_DATA quota_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    quota_register_hooks
};
