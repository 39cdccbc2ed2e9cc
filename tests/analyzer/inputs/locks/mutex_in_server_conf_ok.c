/*
 * Negative: the mutex lives in the server config (created at post_config
 * for each vhost) and every access takes conf->mutex.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"
#include "apr_global_mutex.h"

module AP_MODULE_DECLARE_DATA cm_module;

struct cm_conf {
    apr_global_mutex_t *mutex;
};

static unsigned long served; /* guarded by conf->mutex */

static void *cm_create_server(apr_pool_t *p, server_rec *s)
{
    return apr_pcalloc(p, sizeof(struct cm_conf));
}

static int cm_post_config(apr_pool_t *pconf, apr_pool_t *plog,
                          apr_pool_t *ptemp, server_rec *s)
{
    struct cm_conf *c = ap_get_module_config(s->module_config, &cm_module);
    return apr_global_mutex_create(&c->mutex, NULL, APR_LOCK_DEFAULT, pconf) ==
                   APR_SUCCESS
               ? OK
               : HTTP_INTERNAL_SERVER_ERROR;
}

static int cm_handler(request_rec *r)
{
    struct cm_conf *c = ap_get_module_config(r->server->module_config, &cm_module);
    apr_status_t rv;
    unsigned long n;

    if (!r->handler || strcmp(r->handler, "cm") != 0)
        return DECLINED;
    rv = apr_global_mutex_lock(c->mutex);
    if (rv != APR_SUCCESS) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, rv, r, "lock failed");
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    n = ++served;
    apr_global_mutex_unlock(c->mutex);
    ap_set_content_type(r, "text/plain");
    ap_rprintf(r, "%lu\n", n);
    return OK;
}

static void cm_register_hooks(apr_pool_t *p)
{
    ap_hook_post_config(cm_post_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_handler(cm_handler, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA cm_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL,
    cm_create_server,
    NULL, NULL,
    cm_register_hooks
};
