/*
 * Field-level precision: one field of a global struct is updated with
 * apr_atomic_inc32 (fine), another with a plain ++ (a race). Also pointer
 * atomics (apr_atomic_casptr / xchgptr) on a global pointer (fine).
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"
#include "apr_atomic.h"

static struct {
    volatile apr_uint32_t hits;
    unsigned long misses;
} cache_stats;
static volatile void *current_gen;

static int fs_log(request_rec *r)
{
    void *old;

    if (r->status == HTTP_OK)
        apr_atomic_inc32(&cache_stats.hits);
    else
        cache_stats.misses++; /* expect: global-race(cache_stats) */
    old = apr_atomic_casptr(&current_gen, r, NULL);
    if (old)
        (void)apr_atomic_xchgptr(&current_gen, NULL);
    return DECLINED;
}

static void fs_register_hooks(apr_pool_t *p)
{
    ap_hook_log_transaction(fs_log, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA fs_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    fs_register_hooks
};
