/*
 * Negative: the server config holds mutable state AND the mutex that
 * guards it (created at post_config); every request-time write holds the
 * mutex. Serialised by design, as mod_auth_digest and mod_ldap do.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"
#include "apr_thread_mutex.h"

module AP_MODULE_DECLARE_DATA gl_module;

struct gl_conf {
    apr_thread_mutex_t *lock;
    long nonces_issued; /* guarded by lock */
};

static void *gl_create_server(apr_pool_t *p, server_rec *s)
{
    return apr_pcalloc(p, sizeof(struct gl_conf));
}

static int gl_post_config(apr_pool_t *pconf, apr_pool_t *plog,
                          apr_pool_t *ptemp, server_rec *s)
{
    struct gl_conf *c = ap_get_module_config(s->module_config, &gl_module);
    apr_thread_mutex_create(&c->lock, APR_THREAD_MUTEX_DEFAULT, pconf);
    return OK;
}

static int gl_fixups(request_rec *r)
{
    struct gl_conf *c = ap_get_module_config(r->server->module_config, &gl_module);
    long n;

    apr_thread_mutex_lock(c->lock);
    n = ++c->nonces_issued;
    apr_thread_mutex_unlock(c->lock);
    apr_table_setn(r->notes, "nonce", apr_ltoa(r->pool, n));
    return DECLINED;
}

static void gl_register_hooks(apr_pool_t *p)
{
    ap_hook_post_config(gl_post_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_fixups(gl_fixups, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA gl_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL,
    gl_create_server,
    NULL, NULL,
    gl_register_hooks
};
