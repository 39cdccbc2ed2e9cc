/*
 * Negative: the counter is guarded by an apr_thread_mutex created in
 * child_init; every request-time access holds it.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"
#include "apr_thread_mutex.h"

static apr_thread_mutex_t *hits_lock;
static long hits; /* guarded by hits_lock */

static void tm_child_init(apr_pool_t *pchild, server_rec *s)
{
    apr_thread_mutex_create(&hits_lock, APR_THREAD_MUTEX_DEFAULT, pchild);
}

static int tm_handler(request_rec *r)
{
    long now;

    if (!r->handler || strcmp(r->handler, "tm") != 0)
        return DECLINED;
    apr_thread_mutex_lock(hits_lock);
    now = ++hits;
    apr_thread_mutex_unlock(hits_lock);
    ap_set_content_type(r, "text/plain");
    ap_rprintf(r, "%ld\n", now);
    return OK;
}

static void tm_register_hooks(apr_pool_t *p)
{
    ap_hook_child_init(tm_child_init, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_handler(tm_handler, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA tm_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    tm_register_hooks
};
