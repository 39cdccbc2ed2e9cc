/*
 * The lock pointer may be NULL (the module creates no mutex when the MPM
 * is not threaded), so every lock and unlock is guarded by a NULL test of
 * the same pointer: `if (m) lock(m)` ... `if (m) unlock(m)`, in the
 * global, config-member, `!= NULL` and `== NULL` / `!m` spellings. The
 * accesses between them are protected; nothing leaks.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "ap_mpm.h"
#include "apr_thread_mutex.h"

module AP_MODULE_DECLARE_DATA ng_module;

struct ng_conf {
    apr_thread_mutex_t *mutex;
    long served;
};

static apr_thread_mutex_t *ng_lock;
static long ng_hits;
static long ng_bytes;

static void *ng_create_server(apr_pool_t *p, server_rec *s)
{
    return apr_pcalloc(p, sizeof(struct ng_conf));
}

static void ng_child_init(apr_pool_t *p, server_rec *s)
{
    int threaded = 0;
    struct ng_conf *conf = ap_get_module_config(s->module_config, &ng_module);
    ap_mpm_query(AP_MPMQ_IS_THREADED, &threaded);
    if (threaded) {
        apr_thread_mutex_create(&ng_lock, APR_THREAD_MUTEX_DEFAULT, p);
        apr_thread_mutex_create(&conf->mutex, APR_THREAD_MUTEX_DEFAULT, p);
    }
}

static int ng_log(request_rec *r)
{
    struct ng_conf *conf =
        ap_get_module_config(r->server->module_config, &ng_module);
    if (ng_lock)
        apr_thread_mutex_lock(ng_lock);
    ng_hits++;
    if (ng_lock)
        apr_thread_mutex_unlock(ng_lock);

    if (ng_lock != NULL)
        apr_thread_mutex_lock(ng_lock);
    ng_bytes += r->bytes_sent;
    if (!ng_lock) {
        ap_log_rerror(APLOG_MARK, APLOG_DEBUG, 0, r, "no lock: not threaded");
    }
    else {
        apr_thread_mutex_unlock(ng_lock);
    }

    if (conf->mutex)
        apr_thread_mutex_lock(conf->mutex);
    conf->served++;
    if (conf->mutex == NULL)
        return OK;
    apr_thread_mutex_unlock(conf->mutex);
    return OK;
}

static void ng_register_hooks(apr_pool_t *p)
{
    ap_hook_child_init(ng_child_init, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_log_transaction(ng_log, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA ng_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL,
    ng_create_server, NULL, NULL,
    ng_register_hooks
};
