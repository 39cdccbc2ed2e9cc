/*
 * Negative: a producer/consumer queue between the request threads and a
 * module thread, guarded by one mutex with a condition variable.
 * apr_thread_cond_wait releases and re-acquires the mutex: the accesses
 * after it still hold the lock.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"
#include "apr_thread_proc.h"
#include "apr_thread_mutex.h"
#include "apr_thread_cond.h"

#define QMAX 32
static apr_thread_mutex_t *q_lock;
static apr_thread_cond_t *q_nonempty;
static const char *queue[QMAX]; /* guarded by q_lock */
static int q_len;               /* guarded by q_lock */

static void *APR_THREAD_FUNC consumer(apr_thread_t *t, void *data)
{
    for (;;) {
        const char *item;

        apr_thread_mutex_lock(q_lock);
        while (q_len == 0)
            apr_thread_cond_wait(q_nonempty, q_lock);
        item = queue[--q_len];
        apr_thread_mutex_unlock(q_lock);
        if (!item)
            break;
    }
    return NULL;
}

static void cq_child_init(apr_pool_t *pchild, server_rec *s)
{
    apr_thread_t *t;

    apr_thread_mutex_create(&q_lock, APR_THREAD_MUTEX_DEFAULT, pchild);
    apr_thread_cond_create(&q_nonempty, pchild);
    apr_thread_create(&t, NULL, consumer, NULL, pchild);
}

static int cq_log(request_rec *r)
{
    apr_thread_mutex_lock(q_lock);
    if (q_len < QMAX)
        queue[q_len++] = "logged";
    apr_thread_cond_signal(q_nonempty);
    apr_thread_mutex_unlock(q_lock);
    return DECLINED;
}

static void cq_register_hooks(apr_pool_t *p)
{
    ap_hook_child_init(cq_child_init, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_log_transaction(cq_log, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA cq_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    cq_register_hooks
};
