/*
 * A write under the *read* lock of an rwlock: readers share the lock, so
 * two of them writing at once race. The write is reported (and the reads
 * are not: they hold the lock in a mode that excludes the writer).
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"
#include "apr_thread_rwlock.h"

static apr_thread_rwlock_t *stats_lock;
static long lookups; /* meant to be guarded by stats_lock */
static const char *names[4] = {"a", "b", "c", "d"};

static void rws_child_init(apr_pool_t *pchild, server_rec *s)
{
    apr_thread_rwlock_create(&stats_lock, pchild);
}

static int rws_translate(request_rec *r)
{
    const char *n;

    apr_thread_rwlock_rdlock(stats_lock);
    n = names[r->uri[0] & 3];
    lookups++; /* expect: global-race(lookups) */
    apr_thread_rwlock_unlock(stats_lock);
    apr_table_setn(r->notes, "name", n);
    return DECLINED;
}

static void rws_register_hooks(apr_pool_t *p)
{
    ap_hook_child_init(rws_child_init, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_translate_name(rws_translate, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA rws_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    rws_register_hooks
};
