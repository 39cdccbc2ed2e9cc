/*
 * Negative: a pthread rwlock: rdlock for lookups, wrlock for updates.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"
#include <pthread.h>

static pthread_rwlock_t map_lock = PTHREAD_RWLOCK_INITIALIZER;
static char target[256] = "/index.html"; /* guarded by map_lock */

static int prw_translate(request_rec *r)
{
    if (strcmp(r->uri, "/") != 0)
        return DECLINED;
    pthread_rwlock_rdlock(&map_lock);
    r->uri = apr_pstrdup(r->pool, target);
    pthread_rwlock_unlock(&map_lock);
    return DECLINED;
}

static int prw_handler(request_rec *r)
{
    if (!r->handler || strcmp(r->handler, "retarget") != 0 || !r->args)
        return DECLINED;
    pthread_rwlock_wrlock(&map_lock);
    apr_cpystrn(target, r->args, sizeof(target));
    pthread_rwlock_unlock(&map_lock);
    return HTTP_NO_CONTENT;
}

static void prw_register_hooks(apr_pool_t *p)
{
    ap_hook_translate_name(prw_translate, NULL, NULL, APR_HOOK_FIRST);
    ap_hook_handler(prw_handler, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA prw_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    prw_register_hooks
};
