/*
 * A pthread spinlock with a goto-error path that skips the unlock, and a
 * loop whose "continue" skips it.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"
#include <pthread.h>

static pthread_spinlock_t sl;
static int ring[8]; /* guarded by sl */
static int pos;     /* guarded by sl */

static void sg_child_init(apr_pool_t *pchild, server_rec *s)
{
    pthread_spin_init(&sl, PTHREAD_PROCESS_PRIVATE);
}

static int sg_log(request_rec *r)
{
    pthread_spin_lock(&sl);
    if (r->status == 0)
        goto fail;
    ring[pos++ & 7] = r->status;
    pthread_spin_unlock(&sl);
    return DECLINED;
fail:
    return HTTP_INTERNAL_SERVER_ERROR; /* expect: lock-leak */
}

static void sg_register_hooks(apr_pool_t *p)
{
    ap_hook_child_init(sg_child_init, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_log_transaction(sg_log, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA sg_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    sg_register_hooks
};
