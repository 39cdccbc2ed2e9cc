/*
 * Data kept across restarts with ap_retained_data_create: the pointer is
 * a global set at post_config, and the retained struct is read by every
 * request (fine: only startup writes it). A handler that bumps a field of
 * it writes process-wide state every thread shares; reading the other
 * members next to it is not a race (different members).
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "apr_strings.h"

module AP_MODULE_DECLARE_DATA rt_module;

struct rt_retained {
    int generation;
    apr_time_t first_start;
    long served;
};

static struct rt_retained *rt_data;

static int rt_post_config(apr_pool_t *pconf, apr_pool_t *plog,
                          apr_pool_t *ptemp, server_rec *s)
{
    const char *key = "rt_module-retained";
    rt_data = ap_retained_data_get(key);
    if (!rt_data) {
        rt_data = ap_retained_data_create(key, sizeof(*rt_data));
        rt_data->first_start = apr_time_now();
    }
    rt_data->generation++;
    return OK;
}

static int rt_handler(request_rec *r)
{
    if (strcmp(r->handler, "rt-status"))
        return DECLINED;
    rt_data->served++; /* expect: global-race(rt_data) */
    ap_rprintf(r, "generation %d since %" APR_TIME_T_FMT "\n",
               rt_data->generation, rt_data->first_start);
    return OK;
}

static void rt_register_hooks(apr_pool_t *p)
{
    ap_hook_post_config(rt_post_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_handler(rt_handler, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA rt_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    rt_register_hooks
};
