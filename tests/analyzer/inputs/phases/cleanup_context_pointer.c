/*
 * A request-pool cleanup gets a context allocated by the hook; the
 * context holds a pointer into a global table, and the cleanup writes the
 * entry without the table's lock. The pointer travels through a heap
 * struct, which the analysis does not follow (docs/scan.md, Limits).
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "apr_thread_mutex.h"

module AP_MODULE_DECLARE_DATA cc_module;

struct cc_entry {
    long busy;
    apr_time_t finished;
};

struct cc_ctx {
    struct cc_entry *entry;
};

static apr_thread_mutex_t *cc_lock;
static struct cc_entry cc_table[32];

static void cc_child_init(apr_pool_t *p, server_rec *s)
{
    apr_thread_mutex_create(&cc_lock, APR_THREAD_MUTEX_DEFAULT, p);
}

static apr_status_t cc_done(void *data)
{
    struct cc_ctx *ctx = data;
    ctx->entry->busy = 0; /* expect-fn: global-race: the entry pointer is stored in a heap context, not followed */
    ctx->entry->finished = apr_time_now();
    return APR_SUCCESS;
}

static int cc_fixups(request_rec *r)
{
    struct cc_ctx *ctx = apr_pcalloc(r->pool, sizeof *ctx);
    apr_thread_mutex_lock(cc_lock);
    ctx->entry = &cc_table[r->connection->id % 32];
    ctx->entry->busy = 1;
    apr_thread_mutex_unlock(cc_lock);
    apr_pool_cleanup_register(r->pool, ctx, cc_done, apr_pool_cleanup_null);
    return DECLINED;
}

static void cc_register_hooks(apr_pool_t *p)
{
    ap_hook_child_init(cc_child_init, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_fixups(cc_fixups, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA cc_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    cc_register_hooks
};
