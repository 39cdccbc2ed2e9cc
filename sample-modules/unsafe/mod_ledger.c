/*
 * mod_ledger.c — a tiny ledger with a journal of transfers.
 *
 * Feature: GET /ledger?N moves N units from the reserve to the pool account
 * and records the transfer in a journal; the answer shows both balances and
 * the journal length:
 *
 *     reserve=999990 pool=10 journal=1
 *
 * After each request, the log_transaction hook compacts the journal and
 * notes the pool balance at that point.
 *
 * Seeded defect (lock-order inversion): ledger_handler() takes
 * `accounts_lock` then `journal_lock`; ledger_log() takes `journal_lock`
 * then `accounts_lock`. Each order alone is fine; under a threaded MPM one
 * thread in the handler and one in the logger can each hold the first lock
 * and wait forever for the other's. Client-observable: requests hang until
 * the client times out, and soon every worker thread is stuck. Fix: one
 * global order (accounts before journal) everywhere.
 *
 *     <Location /ledger>
 *         SetHandler ledger
 *     </Location>
 */
#include "httpd.h"
#include "http_config.h"
#include "http_log.h"
#include "http_protocol.h"
#include "http_request.h"
#include "ap_config.h"

#include "apr_strings.h"
#include "apr_thread_mutex.h"

#include <stdlib.h>

#define LEDGER_JOURNAL_MAX 64

/* Created at child_init, before the worker threads start. */
static apr_thread_mutex_t *accounts_lock; /* guards ledger.reserve/pool */
static apr_thread_mutex_t *journal_lock;  /* guards ledger.journal* */

static struct {
    long reserve;
    long pool;
    long journal[LEDGER_JOURNAL_MAX];
    int journal_len;
    long last_logged_pool;
} ledger = {1000000, 0, {0}, 0, 0};

static void ledger_child_init(apr_pool_t *pchild, server_rec *s)
{
    if (apr_thread_mutex_create(&accounts_lock, APR_THREAD_MUTEX_DEFAULT,
                                pchild) != APR_SUCCESS ||
        apr_thread_mutex_create(&journal_lock, APR_THREAD_MUTEX_DEFAULT,
                                pchild) != APR_SUCCESS) {
        ap_log_error(APLOG_MARK, APLOG_CRIT, 0, s, "ledger: no mutex");
    }
}

static int ledger_handler(request_rec *r)
{
    long amount, reserve, pool;
    int entries;

    if (strcmp(r->handler, "ledger") != 0) {
        return DECLINED;
    }
    amount = r->args ? strtol(r->args, NULL, 10) : 1;
    if (amount <= 0) {
        return HTTP_BAD_REQUEST;
    }
    apr_thread_mutex_lock(accounts_lock);
    ledger.reserve -= amount;
    ledger.pool += amount;
    reserve = ledger.reserve;
    pool = ledger.pool;
    apr_thread_mutex_lock(journal_lock);
    if (ledger.journal_len < LEDGER_JOURNAL_MAX) {
        ledger.journal[ledger.journal_len++] = amount;
    }
    entries = ledger.journal_len;
    apr_thread_mutex_unlock(journal_lock);
    apr_thread_mutex_unlock(accounts_lock);

    ap_set_content_type(r, "text/plain");
    ap_rprintf(r, "reserve=%ld pool=%ld journal=%d\n", reserve, pool, entries);
    return OK;
}

static int ledger_log(request_rec *r)
{
    const char *summary = "";
    int i;

    if (r->handler == NULL || strcmp(r->handler, "ledger") != 0) {
        return DECLINED;
    }
    apr_thread_mutex_lock(journal_lock);
    for (i = 0; i < ledger.journal_len; i++) {
        summary = apr_psprintf(r->pool, "%s %ld", summary, ledger.journal[i]);
    }
    if (ledger.journal_len == LEDGER_JOURNAL_MAX) {
        ledger.journal_len = 0; /* compact: the totals are in the accounts */
    }
    apr_thread_mutex_lock(accounts_lock);
    ledger.last_logged_pool = ledger.pool;
    apr_thread_mutex_unlock(accounts_lock);
    apr_thread_mutex_unlock(journal_lock);
    ap_log_rerror(APLOG_MARK, APLOG_DEBUG, 0, r, "ledger: journal%s", summary);
    return OK;
}

static void ledger_register_hooks(apr_pool_t *p)
{
    ap_hook_child_init(ledger_child_init, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_handler(ledger_handler, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_log_transaction(ledger_log, NULL, NULL, APR_HOOK_MIDDLE);
}

AP_DECLARE_MODULE(ledger) = {
    STANDARD20_MODULE_STUFF,
    NULL,                 /* create per-dir config */
    NULL,                 /* merge per-dir config */
    NULL,                 /* create per-server config */
    NULL,                 /* merge per-server config */
    NULL,                 /* command table */
    ledger_register_hooks /* register hooks */
};
