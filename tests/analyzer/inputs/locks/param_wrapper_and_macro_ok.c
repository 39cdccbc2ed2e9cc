/*
 * Negative: lock wrappers that take the mutex as a parameter, and lock
 * macros wrapped in do { } while (0).
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"
#include "apr_thread_mutex.h"

#define LOCK(m) do { apr_thread_mutex_lock(m); } while (0)
#define UNLOCK(m) do { apr_thread_mutex_unlock(m); } while (0)

static apr_thread_mutex_t *a_lock, *b_lock;
static long a_count; /* guarded by a_lock */
static long b_count; /* guarded by b_lock */

static void lock_it(apr_thread_mutex_t *m)
{
    apr_thread_mutex_lock(m);
}

static void unlock_it(apr_thread_mutex_t *m)
{
    apr_thread_mutex_unlock(m);
}

static void pw_child_init(apr_pool_t *pchild, server_rec *s)
{
    apr_thread_mutex_create(&a_lock, APR_THREAD_MUTEX_DEFAULT, pchild);
    apr_thread_mutex_create(&b_lock, APR_THREAD_MUTEX_DEFAULT, pchild);
}

static int pw_log(request_rec *r)
{
    lock_it(a_lock);
    a_count++;
    unlock_it(a_lock);
    LOCK(b_lock);
    b_count++;
    UNLOCK(b_lock);
    return DECLINED;
}

static void pw_register_hooks(apr_pool_t *p)
{
    ap_hook_child_init(pw_child_init, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_log_transaction(pw_log, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA pw_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    pw_register_hooks
};
