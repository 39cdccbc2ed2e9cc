/*
 * mod_mcdeadlock.c — test-only module for `modcert stress`: requests with
 * an even token length take lock A then B, the others B then A, with a
 * pause in between: concurrent requests deadlock. Handler: mcdeadlock.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "apr_thread_mutex.h"
#include "apr_atomic.h"

#include <string.h>
#include <unistd.h>

static apr_thread_mutex_t *lock_a, *lock_b; /* created in child_init */
static volatile apr_uint32_t turn;

static void take_both(apr_thread_mutex_t *first, apr_thread_mutex_t *second)
{
    apr_thread_mutex_lock(first);
    usleep(20000);
    apr_thread_mutex_lock(second);
    apr_thread_mutex_unlock(second);
    apr_thread_mutex_unlock(first);
}

static int mcdeadlock_handler(request_rec *r)
{
    if (!r->handler || strcmp(r->handler, "mcdeadlock") != 0)
        return DECLINED;
    if (apr_atomic_inc32(&turn) % 2)
        take_both(lock_a, lock_b);
    else
        take_both(lock_b, lock_a);
    ap_set_content_type(r, "text/plain");
    ap_rputs("ok\n", r);
    return OK;
}

static void mcdeadlock_child_init(apr_pool_t *p, server_rec *s)
{
    apr_thread_mutex_create(&lock_a, APR_THREAD_MUTEX_DEFAULT, p);
    apr_thread_mutex_create(&lock_b, APR_THREAD_MUTEX_DEFAULT, p);
}

static void mcdeadlock_hooks(apr_pool_t *p)
{
    ap_hook_child_init(mcdeadlock_child_init, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_handler(mcdeadlock_handler, NULL, NULL, APR_HOOK_MIDDLE);
}

AP_DECLARE_MODULE(mcdeadlock) = {
    STANDARD20_MODULE_STUFF, NULL, NULL, NULL, NULL, NULL, mcdeadlock_hooks};
