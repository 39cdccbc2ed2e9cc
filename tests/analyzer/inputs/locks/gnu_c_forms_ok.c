/*
 * Negative, and a robustness check: GNU C forms real modules use: a lock
 * macro built on a statement expression, _Generic, compound literals,
 * a computed goto and a switch with fall-through, all around properly
 * locked accesses.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"
#include "apr_thread_mutex.h"

#define WITH_LOCK(m, expr)                                                     \
    ({                                                                         \
        apr_thread_mutex_lock(m);                                              \
        __typeof__(expr) v_ = (expr);                                          \
        apr_thread_mutex_unlock(m);                                            \
        v_;                                                                    \
    })
#define KIND(x) _Generic((x), long: "long", int: "int", default: "other")

struct range {
    int lo, hi;
};

static apr_thread_mutex_t *mu;
static long counter; /* guarded by mu */

static void gc_child_init(apr_pool_t *pchild, server_rec *s)
{
    apr_thread_mutex_create(&mu, APR_THREAD_MUTEX_DEFAULT, pchild);
}

static int gc_fixups(request_rec *r)
{
    static void *const targets[] = {&&small, &&big};
    long n = WITH_LOCK(mu, ++counter);
    struct range range = (struct range){.lo = 0, .hi = 10};
    int score = 0;

    switch (r->method_number) {
    case M_GET:
        score++;
        /* fall through */
    case M_OPTIONS:
        score++;
        break;
    default:
        break;
    }
    goto *targets[n > range.hi];
small:
    apr_table_setn(r->notes, "kind", KIND(n));
    return DECLINED;
big:
    apr_table_setn(r->notes, "score", apr_itoa(r->pool, score));
    return DECLINED;
}

static void gc_register_hooks(apr_pool_t *p)
{
    ap_hook_child_init(gc_child_init, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_fixups(gc_fixups, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA gnuc_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    gc_register_hooks
};
