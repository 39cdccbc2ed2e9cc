/*
 * Negative: apr_threadkey per-thread data. The key is created in
 * child_init (before workers start); each thread then reads and writes only
 * its own slot.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"
#include "apr_thread_proc.h"

static apr_threadkey_t *scratch_key;

static void tk_child_init(apr_pool_t *pchild, server_rec *s)
{
    if (apr_threadkey_private_create(&scratch_key, NULL, pchild) != APR_SUCCESS)
        ap_log_error(APLOG_MARK, APLOG_ERR, 0, s, "threadkey create failed");
}

static int tk_handler(request_rec *r)
{
    void *slot = NULL;
    long *count;

    if (!r->handler || strcmp(r->handler, "tk") != 0)
        return DECLINED;
    apr_threadkey_private_get(&slot, scratch_key);
    count = slot;
    if (!count) {
        count = calloc(1, sizeof(*count));
        apr_threadkey_private_set(count, scratch_key);
    }
    if (count)
        (*count)++;
    ap_set_content_type(r, "text/plain");
    ap_rprintf(r, "%ld\n", count ? *count : 0L);
    return OK;
}

static void tk_register_hooks(apr_pool_t *p)
{
    ap_hook_child_init(tk_child_init, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_handler(tk_handler, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA tk_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    tk_register_hooks
};
