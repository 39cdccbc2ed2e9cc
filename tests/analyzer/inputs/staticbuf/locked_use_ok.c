/*
 * Negative: the static buffer is only used with the caller holding the
 * mutex, and the caller copies the result before unlocking (the
 * serialised legacy-library pattern).
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"
#include "apr_thread_mutex.h"

static apr_thread_mutex_t *fmt_lock;

static const char *legacy_format(int v)
{
    static char out[32];
    apr_snprintf(out, sizeof(out), "<%d>", v);
    return out;
}

static void lf_child_init(apr_pool_t *pchild, server_rec *s)
{
    apr_thread_mutex_create(&fmt_lock, APR_THREAD_MUTEX_DEFAULT, pchild);
}

static int lf_log(request_rec *r)
{
    const char *copy;

    apr_thread_mutex_lock(fmt_lock);
    copy = apr_pstrdup(r->pool, legacy_format(r->status));
    apr_thread_mutex_unlock(fmt_lock);
    apr_table_setn(r->notes, "fmt", copy);
    return DECLINED;
}

static void lf_register_hooks(apr_pool_t *p)
{
    ap_hook_child_init(lf_child_init, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_log_transaction(lf_log, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA lf_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    lf_register_hooks
};
