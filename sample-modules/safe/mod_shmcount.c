/*
 * mod_shmcount.c — a hit counter shared by all processes of the server.
 *
 * Feature: GET /shm-hits answers "hits=N", N counting the hits of every
 * child process together (the count lives in shared memory), this one
 * included.
 *
 * Why it is safe: the counter is a word in an anonymous shared-memory
 * segment created at post_config, and every increment happens while holding
 * `shm_mutex`, an apr_global_mutex (ap_global_mutex_create, so the `Mutex`
 * directive can pick the mechanism) that excludes both the other threads of
 * this process and the other processes. Each child re-opens the mutex at
 * child_init, as APR requires.
 *
 *     <Location /shm-hits>
 *         SetHandler shmcount
 *     </Location>
 */
#include "httpd.h"
#include "http_config.h"
#include "http_core.h"
#include "http_log.h"
#include "http_protocol.h"
#include "http_request.h"
#include "ap_config.h"
#include "util_mutex.h"

#include "apr_global_mutex.h"
#include "apr_shm.h"

static const char *const shm_mutex_type = "shmcount";

/* Set at post_config (config phase); the counter they point to is shared
 * and only touched with shm_mutex held. */
static apr_global_mutex_t *shm_mutex;
static apr_shm_t *shm_segment;
static apr_uint64_t *shm_hits;

static int shmcount_pre_config(apr_pool_t *pconf, apr_pool_t *plog,
                               apr_pool_t *ptemp)
{
    return ap_mutex_register(pconf, shm_mutex_type, NULL, APR_LOCK_DEFAULT, 0);
}

static int shmcount_post_config(apr_pool_t *pconf, apr_pool_t *plog,
                                apr_pool_t *ptemp, server_rec *s)
{
    apr_status_t rv;

    if (ap_state_query(AP_SQ_MAIN_STATE) == AP_SQ_MS_CREATE_PRE_CONFIG) {
        return OK; /* the first, dry configuration pass */
    }
    rv = apr_shm_create(&shm_segment, sizeof(*shm_hits), NULL, pconf);
    if (rv != APR_SUCCESS) {
        ap_log_error(APLOG_MARK, APLOG_CRIT, rv, s, "shmcount: no shm");
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    shm_hits = apr_shm_baseaddr_get(shm_segment);
    *shm_hits = 0;
    rv = ap_global_mutex_create(&shm_mutex, NULL, shm_mutex_type, NULL, s,
                                pconf, 0);
    return rv == APR_SUCCESS ? OK : HTTP_INTERNAL_SERVER_ERROR;
}

static void shmcount_child_init(apr_pool_t *pchild, server_rec *s)
{
    apr_status_t rv = apr_global_mutex_child_init(
        &shm_mutex, apr_global_mutex_lockfile(shm_mutex), pchild);

    if (rv != APR_SUCCESS) {
        ap_log_error(APLOG_MARK, APLOG_CRIT, rv, s, "shmcount: mutex");
    }
}

static int shmcount_handler(request_rec *r)
{
    apr_uint64_t n;

    if (strcmp(r->handler, "shmcount") != 0) {
        return DECLINED;
    }
    if (apr_global_mutex_lock(shm_mutex) != APR_SUCCESS) {
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    n = ++*shm_hits;
    apr_global_mutex_unlock(shm_mutex);

    ap_set_content_type(r, "text/plain");
    apr_table_setn(r->headers_out, "Cache-Control", "no-store");
    ap_rprintf(r, "hits=%" APR_UINT64_T_FMT "\n", n);
    return OK;
}

static void shmcount_register_hooks(apr_pool_t *p)
{
    ap_hook_pre_config(shmcount_pre_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_post_config(shmcount_post_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_child_init(shmcount_child_init, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_handler(shmcount_handler, NULL, NULL, APR_HOOK_MIDDLE);
}

AP_DECLARE_MODULE(shmcount) = {
    STANDARD20_MODULE_STUFF,
    NULL,                   /* create per-dir config */
    NULL,                   /* merge per-dir config */
    NULL,                   /* create per-server config */
    NULL,                   /* merge per-server config */
    NULL,                   /* command table */
    shmcount_register_hooks /* register hooks */
};
