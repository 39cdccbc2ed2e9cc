/*
 * The writer holds the mutex but the reader does not: the unlocked read
 * races with the locked write. Only the line that needs a change (the
 * read) is reported.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"
#include "apr_thread_mutex.h"

static apr_thread_mutex_t *lock;
static long total_ms; /* guarded by lock ... except in the handler */

static void lr_child_init(apr_pool_t *pchild, server_rec *s)
{
    apr_thread_mutex_create(&lock, APR_THREAD_MUTEX_DEFAULT, pchild);
}

static int lr_log(request_rec *r)
{
    apr_thread_mutex_lock(lock);
    total_ms += (long)apr_time_as_msec(apr_time_now() - r->request_time);
    apr_thread_mutex_unlock(lock);
    return DECLINED;
}

static int lr_handler(request_rec *r)
{
    if (!r->handler || strcmp(r->handler, "totalms") != 0)
        return DECLINED;
    ap_set_content_type(r, "text/plain");
    ap_rprintf(r, "%ld\n", total_ms); /* expect: global-race(total_ms) */
    return OK;
}

static void lr_register_hooks(apr_pool_t *p)
{
    ap_hook_child_init(lr_child_init, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_log_transaction(lr_log, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_handler(lr_handler, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA lr_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    lr_register_hooks
};
