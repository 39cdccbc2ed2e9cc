/*
 * The inversion is hidden in a helper: the handler holds a pthread mutex
 * and calls a helper that takes an apr mutex; the cleanup path takes the
 * apr mutex and then the pthread mutex.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"
#include "apr_thread_mutex.h"
#include <pthread.h>

static pthread_mutex_t conf_lock = PTHREAD_MUTEX_INITIALIZER;
static apr_thread_mutex_t *log_lock;
static int reloads;    /* guarded by conf_lock */
static long log_lines; /* guarded by log_lock */

static void note_line(void)
{
    apr_thread_mutex_lock(log_lock); /* expect: lock-order */
    log_lines++;
    apr_thread_mutex_unlock(log_lock);
}

static void oh_child_init(apr_pool_t *pchild, server_rec *s)
{
    apr_thread_mutex_create(&log_lock, APR_THREAD_MUTEX_DEFAULT, pchild);
}

static int oh_handler(request_rec *r)
{
    if (!r->handler || strcmp(r->handler, "reload") != 0)
        return DECLINED;
    pthread_mutex_lock(&conf_lock);
    reloads++;
    note_line();
    pthread_mutex_unlock(&conf_lock);
    return HTTP_NO_CONTENT;
}

static apr_status_t oh_request_done(void *data)
{
    apr_thread_mutex_lock(log_lock);
    pthread_mutex_lock(&conf_lock); /* expect: lock-order */
    log_lines += reloads;
    pthread_mutex_unlock(&conf_lock);
    apr_thread_mutex_unlock(log_lock);
    return APR_SUCCESS;
}

static int oh_post_read(request_rec *r)
{
    apr_pool_cleanup_register(r->pool, NULL, oh_request_done,
                              apr_pool_cleanup_null);
    return DECLINED;
}

static void oh_register_hooks(apr_pool_t *p)
{
    ap_hook_child_init(oh_child_init, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_post_read_request(oh_post_read, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_handler(oh_handler, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA oh_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    oh_register_hooks
};
