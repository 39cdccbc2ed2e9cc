/* threads.c — httpd.h thread helpers: ap_thread_create, ap_thread_current
 * and friends (APR < 1.8 with a C11 thread-local, as on Debian 12).
 *
 * Contract: ap_thread_current() returns the apr_thread_t of the calling
 * thread when it was started by ap_thread_create() or registered with
 * ap_thread_current_create()/ap_thread_main_create(), else NULL. The
 * pointer lives in a thread-local variable that each thread writes only for
 * itself, so there is nothing shared. Hosts should start the threads that
 * serve requests with ap_thread_create() so modules can use it. Each
 * exported function calls MC_API_ENTER() once on entry.
 */
#include "apr_pools.h"
#include "apr_portable.h"
#include "apr_thread_proc.h"

#include "httpd.h"

#include "api_internal.h"

#if AP_HAS_THREAD_LOCAL

/* The calling thread's apr_thread_t (see contract). */
static _Thread_local apr_thread_t *current_thread;

struct thread_start {
    apr_thread_start_t func;
    void *data;
};

static void *APR_THREAD_FUNC thread_main(apr_thread_t *thread, void *data)
{
    struct thread_start *start = data;

    current_thread = thread;
    return start->func(thread, start->data);
}

AP_DECLARE(apr_status_t)
ap_thread_create(apr_thread_t **thread, apr_threadattr_t *attr,
                 apr_thread_start_t func, void *data, apr_pool_t *pool)
{
    struct thread_start *start;

    MC_API_ENTER();
    start = apr_palloc(pool, sizeof(*start));
    start->func = func;
    start->data = data;
    return apr_thread_create(thread, attr, thread_main, start, pool);
}

/* Register the calling (non-APR) thread: an apr_thread_t in its own
 * unmanaged pool. APR_EEXIST (and *current set) if already registered. */
static apr_status_t current_create(apr_thread_t **current,
                                   apr_threadattr_t *attr, apr_pool_t *pool)
{
    apr_abortfunc_t abort_fn = pool ? apr_pool_abort_get(pool) : NULL;
    apr_allocator_t *allocator = NULL;
    apr_os_thread_t *self;
    apr_pool_t *p = NULL;
    apr_status_t rv;

    if ((*current = current_thread) != NULL)
        return APR_EEXIST;
    if ((rv = apr_allocator_create(&allocator)) != APR_SUCCESS)
        return rv;
    rv = apr_pool_create_unmanaged_ex(&p, abort_fn, allocator);
    if (rv != APR_SUCCESS) {
        apr_allocator_destroy(allocator);
        return rv;
    }
    apr_allocator_owner_set(allocator, p);
    /* apr_os_thread_put keeps the pointer: the handle must live in p */
    self = apr_palloc(p, sizeof(*self));
    *self = apr_os_thread_current();
    if ((rv = apr_os_thread_put(current, self, p)) != APR_SUCCESS) {
        apr_pool_destroy(p);
        return rv;
    }
    current_thread = *current;
    return APR_SUCCESS;
}

AP_DECLARE(apr_status_t)
ap_thread_current_create(apr_thread_t **current, apr_threadattr_t *attr,
                         apr_pool_t *pool)
{
    MC_API_ENTER();
    return current_create(current, attr, pool);
}

/* A forked child keeps the parent's thread-local values: forget them. */
AP_DECLARE(void) ap_thread_current_after_fork(void)
{
    MC_API_ENTER();
    current_thread = NULL;
}

AP_DECLARE(apr_thread_t *) ap_thread_current(void)
{
    MC_API_ENTER();
    return current_thread;
}

/* Cleanup on the pool given to ap_thread_main_create: release the main
 * thread's registration (normally run by the main thread itself). */
static apr_status_t main_thread_cleanup(void *data)
{
    apr_thread_t *thd = data;

    if (current_thread == thd)
        current_thread = NULL;
    apr_pool_destroy(apr_thread_pool_get(thd));
    return APR_SUCCESS;
}

#endif /* AP_HAS_THREAD_LOCAL */

/* Register the process's main thread (detached attributes) for as long as
 * pool lives. */
AP_DECLARE(apr_status_t)
ap_thread_main_create(apr_thread_t **thread, apr_pool_t *pool)
{
    apr_threadattr_t *attr = NULL;
    apr_status_t rv;

    MC_API_ENTER();
    if ((rv = apr_threadattr_create(&attr, pool)) == APR_SUCCESS &&
        (rv = apr_threadattr_detach_set(attr, 1)) == APR_SUCCESS)
#if AP_HAS_THREAD_LOCAL
        rv = current_create(thread, attr, pool);
#else
        rv = APR_ENOTIMPL;
#endif
    if (rv != APR_SUCCESS) {
        *thread = NULL; /* as httpd, also for APR_EEXIST */
        return rv;
    }
#if AP_HAS_THREAD_LOCAL
    apr_pool_cleanup_register(pool, *thread, main_thread_cleanup,
                              apr_pool_cleanup_null);
#endif
    return APR_SUCCESS;
}
