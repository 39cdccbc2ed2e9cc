/*
 * An apr_global_mutex taken through a wrapper that locks and returns, with
 * an error path that returns before the matching unlock wrapper.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"
#include "apr_global_mutex.h"

static apr_global_mutex_t *shm_mutex;
static long shm_counter; /* guarded by shm_mutex */

static apr_status_t shm_lock(void)
{
    return apr_global_mutex_lock(shm_mutex);
}

static void shm_unlock(void)
{
    apr_global_mutex_unlock(shm_mutex);
}

static int gw_post_config(apr_pool_t *pconf, apr_pool_t *plog,
                          apr_pool_t *ptemp, server_rec *s)
{
    return apr_global_mutex_create(&shm_mutex, NULL, APR_LOCK_DEFAULT, pconf) ==
                   APR_SUCCESS
               ? OK
               : HTTP_INTERNAL_SERVER_ERROR;
}

static int gw_log(request_rec *r)
{
    shm_lock();
    if (r->status >= 500)
        return DECLINED; /* expect: lock-leak */
    shm_counter++;
    shm_unlock();
    return DECLINED;
}

static void gw_register_hooks(apr_pool_t *p)
{
    ap_hook_post_config(gw_post_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_log_transaction(gw_log, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA gw_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    gw_register_hooks
};
