/*
 * The lock result is checked, but a failure is only logged and the code
 * carries on (the shape of a CACHE_LOCK() macro: NULL-guarded, status
 * logged). The author treats the table as locked afterwards; the accesses
 * up to the guarded unlock count as protected and nothing leaks. (A
 * failure branch that returns, or an `if (lock(m) == APR_SUCCESS) {...}`
 * body, keeps its meaning: see leak_early_return.c, trylock_ok.c.)
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_global_mutex.h"

module AP_MODULE_DECLARE_DATA lf_module;

struct lf_conf {
    apr_global_mutex_t *lock;
    long *uploads; /* shared memory, set up at post_config */
};

#define LF_LOCK(c)                                                    \
    do {                                                              \
        if ((c)->lock) {                                              \
            apr_status_t st_ = apr_global_mutex_lock((c)->lock);      \
            if (st_ != APR_SUCCESS) {                                 \
                ap_log_error(APLOG_MARK, APLOG_CRIT, st_, NULL,       \
                             "lf: cannot lock the upload table");     \
            }                                                         \
        }                                                             \
    } while (0)

#define LF_UNLOCK(c)                                                  \
    do {                                                              \
        if ((c)->lock)                                                \
            apr_global_mutex_unlock((c)->lock);                       \
    } while (0)

static long lf_total;

static void *lf_create_server(apr_pool_t *p, server_rec *s)
{
    return apr_pcalloc(p, sizeof(struct lf_conf));
}

static int lf_fixups(request_rec *r)
{
    struct lf_conf *conf =
        ap_get_module_config(r->server->module_config, &lf_module);
    apr_status_t rv;
    LF_LOCK(conf);
    conf->uploads[0]++;
    LF_UNLOCK(conf);

    rv = apr_global_mutex_lock(conf->lock);
    if (rv != APR_SUCCESS)
        ap_log_rerror(APLOG_MARK, APLOG_ERR, rv, r, "lf: lock failed");
    lf_total++;
    apr_global_mutex_unlock(conf->lock);
    return DECLINED;
}

static void lf_register_hooks(apr_pool_t *p)
{
    ap_hook_fixups(lf_fixups, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA lf_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL,
    lf_create_server, NULL, NULL,
    lf_register_hooks
};
