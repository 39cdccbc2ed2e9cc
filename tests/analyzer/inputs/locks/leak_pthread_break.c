/*
 * A pthread mutex left locked when the loop breaks out early: reported at
 * the return that is reached with the lock held.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"
#include <pthread.h>

static pthread_mutex_t list_lock = PTHREAD_MUTEX_INITIALIZER;
static char blocked[8][64]; /* guarded by list_lock */
static int nblocked;           /* guarded by list_lock */

static int pl_access(request_rec *r)
{
    int i;

    for (i = 0; i < 8; i++) {
        pthread_mutex_lock(&list_lock);
        if (i < nblocked && strcmp(blocked[i], r->useragent_ip) == 0)
            break;
        pthread_mutex_unlock(&list_lock);
    }
    return i < 8 ? HTTP_FORBIDDEN : DECLINED; /* expect: lock-leak */
}

static int pl_handler(request_rec *r)
{
    if (!r->handler || strcmp(r->handler, "block") != 0)
        return DECLINED;
    pthread_mutex_lock(&list_lock);
    if (nblocked < 8)
        apr_cpystrn(blocked[nblocked++], r->useragent_ip, sizeof(blocked[0]));
    pthread_mutex_unlock(&list_lock);
    return HTTP_NO_CONTENT;
}

static void pl_register_hooks(apr_pool_t *p)
{
    ap_hook_access_checker(pl_access, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_handler(pl_handler, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA pl_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    pl_register_hooks
};
