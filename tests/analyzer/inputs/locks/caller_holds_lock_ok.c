/*
 * Negative: the caller holds the mutex around the call; the helper's
 * accesses are protected by the caller's lock (interprocedural lockset).
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"
#include "apr_thread_mutex.h"

static apr_thread_mutex_t *tally_lock;
static long tally[8]; /* guarded by tally_lock, taken by callers */

static void tally_add(int slot)
{
    tally[slot & 7]++;
}

static void tl_child_init(apr_pool_t *pchild, server_rec *s)
{
    apr_thread_mutex_create(&tally_lock, APR_THREAD_MUTEX_DEFAULT, pchild);
}

static int tl_log(request_rec *r)
{
    apr_thread_mutex_lock(tally_lock);
    tally_add(r->status / 100);
    apr_thread_mutex_unlock(tally_lock);
    return DECLINED;
}

static int tl_fixups(request_rec *r)
{
    apr_thread_mutex_lock(tally_lock);
    tally_add(0);
    apr_thread_mutex_unlock(tally_lock);
    return DECLINED;
}

static void tl_register_hooks(apr_pool_t *p)
{
    ap_hook_child_init(tl_child_init, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_fixups(tl_fixups, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_log_transaction(tl_log, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA tl_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    tl_register_hooks
};
