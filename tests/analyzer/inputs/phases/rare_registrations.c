/*
 * Less common request-time registrations: an output filter registered with
 * ap_register_output_filter_protocol and its filter_init callback, an
 * optional hook (mod_status's status_hook via APR_OPTIONAL_HOOK), and the
 * generate_log_id hook. A monitor hook runs in the parent: not concurrent.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"
#include "util_filter.h"
#include "mod_status.h"
#include "mpm_common.h"

static long filter_inits;
static long status_calls;
static long ids;
static long monitor_ticks;

static int proto_init(ap_filter_t *f)
{
    filter_inits++; /* expect: global-race(filter_inits) */
    return OK;
}

static apr_status_t proto_filter(ap_filter_t *f, apr_bucket_brigade *bb)
{
    return ap_pass_brigade(f->next, bb);
}

static int my_status_hook(request_rec *r, int flags)
{
    status_calls++; /* expect: global-race(status_calls) */
    ap_rprintf(r, "my module: %ld inits\n", filter_inits); /* expect: global-race(filter_inits) */
    return OK;
}

static int my_log_id(const conn_rec *c, const request_rec *r, const char **id)
{
    *id = apr_ltoa(r->pool, ++ids); /* expect: global-race(ids) */
    return OK;
}

static int my_monitor(apr_pool_t *p, server_rec *s)
{
    monitor_ticks++;
    return DECLINED;
}

static void rare_register_hooks(apr_pool_t *p)
{
    ap_register_output_filter_protocol("PROTO", proto_filter, proto_init,
                                       AP_FTYPE_PROTOCOL, AP_FILTER_PROTO_CHANGE);
    APR_OPTIONAL_HOOK(ap, status_hook, my_status_hook, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_generate_log_id(my_log_id, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_monitor(my_monitor, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA rare_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    rare_register_hooks
};
