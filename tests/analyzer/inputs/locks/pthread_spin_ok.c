/*
 * Negative: a pthread spinlock initialised in child_init guards a tiny
 * critical section.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"
#include <pthread.h>

static pthread_spinlock_t ring_lock;
static int ring[16]; /* guarded by ring_lock */
static unsigned ring_pos; /* guarded by ring_lock */

static void spin_child_init(apr_pool_t *pchild, server_rec *s)
{
    pthread_spin_init(&ring_lock, PTHREAD_PROCESS_PRIVATE);
}

static int spin_log(request_rec *r)
{
    pthread_spin_lock(&ring_lock);
    ring[ring_pos++ % 16] = r->status;
    pthread_spin_unlock(&ring_lock);
    return DECLINED;
}

static void spin_register_hooks(apr_pool_t *p)
{
    ap_hook_child_init(spin_child_init, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_log_transaction(spin_log, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA spin_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    spin_register_hooks
};
