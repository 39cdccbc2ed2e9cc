/*
 * Negative: one global struct, two fields, each guarded by its own mutex
 * (accounts by acct_lock, the journal by jrnl_lock). Every access holds the
 * lock of the field it touches, so nothing races: locksets must be
 * tracked per field, not per struct.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"
#include "apr_thread_mutex.h"

static apr_thread_mutex_t *acct_lock, *jrnl_lock;
static struct {
    long balance;    /* guarded by acct_lock */
    int journal_len; /* guarded by jrnl_lock */
} book;

static void pf_child_init(apr_pool_t *pchild, server_rec *s)
{
    apr_thread_mutex_create(&acct_lock, APR_THREAD_MUTEX_DEFAULT, pchild);
    apr_thread_mutex_create(&jrnl_lock, APR_THREAD_MUTEX_DEFAULT, pchild);
}

static int pf_handler(request_rec *r)
{
    long bal;

    if (!r->handler || strcmp(r->handler, "book") != 0)
        return DECLINED;
    apr_thread_mutex_lock(acct_lock);
    bal = ++book.balance;
    apr_thread_mutex_unlock(acct_lock);
    ap_set_content_type(r, "text/plain");
    ap_rprintf(r, "%ld\n", bal);
    return OK;
}

static int pf_log(request_rec *r)
{
    apr_thread_mutex_lock(jrnl_lock);
    book.journal_len++;
    apr_thread_mutex_unlock(jrnl_lock);
    return DECLINED;
}

static void pf_register_hooks(apr_pool_t *p)
{
    ap_hook_child_init(pf_child_init, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_handler(pf_handler, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_log_transaction(pf_log, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA pf_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    pf_register_hooks
};
