/*
 * An input filter (ap_register_input_filter) reading request bodies: runs
 * concurrently; the "largest body seen" global races.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"
#include "util_filter.h"
#include "apr_buckets.h"

static apr_off_t largest_body;

static apr_status_t bodysize_in_filter(ap_filter_t *f, apr_bucket_brigade *bb,
                                       ap_input_mode_t mode,
                                       apr_read_type_e block,
                                       apr_off_t readbytes)
{
    apr_status_t rv = ap_get_brigade(f->next, bb, mode, block, readbytes);
    apr_off_t len = 0;

    if (rv == APR_SUCCESS && apr_brigade_length(bb, 0, &len) == APR_SUCCESS &&
        len > largest_body) /* expect: global-race(largest_body) */
        largest_body = len; /* expect: global-race(largest_body) */
    return rv;
}

static void bodysize_register_hooks(apr_pool_t *p)
{
    ap_register_input_filter("BODYSIZE", bodysize_in_filter, NULL,
                             AP_FTYPE_RESOURCE);
}

module AP_MODULE_DECLARE_DATA bodysize_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    bodysize_register_hooks
};
