/*
 * The server config is handed to a helper that updates it: the write is in
 * the helper, reached from the handler with the shared config as argument.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"

module AP_MODULE_DECLARE_DATA hc_module;

struct hc_conf {
    int failures;
    apr_time_t last_failure;
};

static void *hc_create_server(apr_pool_t *p, server_rec *s)
{
    return apr_pcalloc(p, sizeof(struct hc_conf));
}

static void record_failure(struct hc_conf *c, apr_time_t when)
{
    c->failures++; /* expect: config-mutation */
    c->last_failure = when; /* expect: config-mutation */
}

static int hc_log(request_rec *r)
{
    struct hc_conf *c = ap_get_module_config(r->server->module_config, &hc_module);

    if (r->status >= 500)
        record_failure(c, r->request_time);
    return DECLINED;
}

static void hc_register_hooks(apr_pool_t *p)
{
    ap_hook_log_transaction(hc_log, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA hc_module = {
    STANDARD20_MODULE_STUFF,
    NULL,
    NULL,
    hc_create_server,
    NULL,
    NULL,
    hc_register_hooks
};
