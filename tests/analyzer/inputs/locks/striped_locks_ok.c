/*
 * Negative: striped locks: an array of mutexes, the bucket's mutex guards
 * the bucket's counter.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"
#include "apr_thread_mutex.h"

#define NSTRIPES 16
static apr_thread_mutex_t *stripe_lock[NSTRIPES];
static long stripe_count[NSTRIPES]; /* [i] guarded by stripe_lock[i] */

static void st_child_init(apr_pool_t *pchild, server_rec *s)
{
    int i;
    for (i = 0; i < NSTRIPES; i++)
        apr_thread_mutex_create(&stripe_lock[i], APR_THREAD_MUTEX_DEFAULT, pchild);
}

static int st_log(request_rec *r)
{
    unsigned h = (unsigned)r->connection->id % NSTRIPES;

    apr_thread_mutex_lock(stripe_lock[h]);
    stripe_count[h]++;
    apr_thread_mutex_unlock(stripe_lock[h]);
    return DECLINED;
}

static void st_register_hooks(apr_pool_t *p)
{
    ap_hook_child_init(st_child_init, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_log_transaction(st_log, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA st_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    st_register_hooks
};
