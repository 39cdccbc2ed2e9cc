/*
 * A task pushed onto an apr_thread_pool at request time runs on a pool
 * thread, concurrently with other tasks and requests.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"
#include "apr_thread_pool.h"

static apr_thread_pool_t *workers;
static long tasks_done;

static void *APR_THREAD_FUNC audit_task(apr_thread_t *t, void *param)
{
    tasks_done++; /* expect: global-race(tasks_done) */
    return NULL;
}

static void tp_child_init(apr_pool_t *pchild, server_rec *s)
{
    apr_thread_pool_create(&workers, 1, 4, pchild);
}

static int tp_log(request_rec *r)
{
    apr_thread_pool_push(workers, audit_task, NULL, APR_THREAD_TASK_PRIORITY_NORMAL, NULL);
    return DECLINED;
}

static void tp_register_hooks(apr_pool_t *p)
{
    ap_hook_child_init(tp_child_init, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_log_transaction(tp_log, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA tp_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    tp_register_hooks
};
