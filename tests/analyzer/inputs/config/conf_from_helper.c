/*
 * The server config is fetched by a helper that returns it; the caller
 * writes through the returned pointer.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"

module AP_MODULE_DECLARE_DATA gc_module;

struct gc_conf {
    long requests;
};

static void *gc_create_server(apr_pool_t *p, server_rec *s)
{
    return apr_pcalloc(p, sizeof(struct gc_conf));
}

static struct gc_conf *get_conf(request_rec *r)
{
    return ap_get_module_config(r->server->module_config, &gc_module);
}

static int gc_log(request_rec *r)
{
    get_conf(r)->requests++; /* expect: config-mutation */
    return DECLINED;
}

static void gc_register_hooks(apr_pool_t *p)
{
    ap_hook_log_transaction(gc_log, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA gc_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL,
    gc_create_server,
    NULL, NULL,
    gc_register_hooks
};
