/*
 * Negative: the module locks through small wrapper functions that lock and
 * return (and unlock and return), as many modules do to hide #ifdef
 * APR_HAS_THREADS.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"
#include "apr_thread_mutex.h"

static apr_thread_mutex_t *cache_mutex;
static const char *cached_value; /* guarded by cache_mutex */
static apr_time_t cached_at;     /* guarded by cache_mutex */

static void cache_lock(void)
{
#if APR_HAS_THREADS
    apr_thread_mutex_lock(cache_mutex);
#endif
}

static void cache_unlock(void)
{
#if APR_HAS_THREADS
    apr_thread_mutex_unlock(cache_mutex);
#endif
}

static void wr_child_init(apr_pool_t *pchild, server_rec *s)
{
    apr_thread_mutex_create(&cache_mutex, APR_THREAD_MUTEX_DEFAULT, pchild);
}

static int wr_handler(request_rec *r)
{
    const char *v;

    if (!r->handler || strcmp(r->handler, "wrapcache") != 0)
        return DECLINED;
    cache_lock();
    if (!cached_value || r->request_time - cached_at > apr_time_from_sec(60)) {
        cached_value = "fresh";
        cached_at = r->request_time;
    }
    v = cached_value;
    cache_unlock();
    ap_set_content_type(r, "text/plain");
    ap_rputs(v, r);
    return OK;
}

static void wr_register_hooks(apr_pool_t *p)
{
    ap_hook_child_init(wr_child_init, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_handler(wr_handler, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA wr_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    wr_register_hooks
};
