/*
 * A switch whose error case returns while the lock is held.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"
#include "apr_thread_mutex.h"

static apr_thread_mutex_t *sw_lock;
static long counts[3]; /* guarded by sw_lock */

static void sw_child_init(apr_pool_t *pchild, server_rec *s)
{
    apr_thread_mutex_create(&sw_lock, APR_THREAD_MUTEX_DEFAULT, pchild);
}

static int sw_fixups(request_rec *r)
{
    apr_thread_mutex_lock(sw_lock);
    switch (r->method_number) {
    case M_GET:
        counts[0]++;
        break;
    case M_POST:
        counts[1]++;
        break;
    case M_DELETE:
        return HTTP_METHOD_NOT_ALLOWED; /* expect: lock-leak */
    default:
        counts[2]++;
    }
    apr_thread_mutex_unlock(sw_lock);
    return DECLINED;
}

static void sw_register_hooks(apr_pool_t *p)
{
    ap_hook_child_init(sw_child_init, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_fixups(sw_fixups, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA sw_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    sw_register_hooks
};
