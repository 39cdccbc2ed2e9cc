/*
 * The server config is one object per virtual host, shared by every thread
 * serving that host: counting into it at request time is a data race.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"

module AP_MODULE_DECLARE_DATA vc_module;

struct vc_conf {
    const char *label;
    long served;
    apr_time_t last;
};

static void *vc_create_server(apr_pool_t *p, server_rec *s)
{
    struct vc_conf *c = apr_pcalloc(p, sizeof(*c));
    c->label = s->server_hostname;
    return c;
}

static int vc_handler(request_rec *r)
{
    struct vc_conf *c = ap_get_module_config(r->server->module_config, &vc_module);

    if (!r->handler || strcmp(r->handler, "vc") != 0)
        return DECLINED;
    c->served++; /* expect: config-mutation */
    c->last = r->request_time; /* expect: config-mutation */
    ap_set_content_type(r, "text/plain");
    ap_rprintf(r, "%s\n", c->label ? c->label : "-");
    return OK;
}

static void vc_register_hooks(apr_pool_t *p)
{
    ap_hook_handler(vc_handler, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA vc_module = {
    STANDARD20_MODULE_STUFF,
    NULL,
    NULL,
    vc_create_server,
    NULL,
    NULL,
    vc_register_hooks
};
