/*
 * mod_quota.c — per-client request quotas.
 *
 * Feature: GET /quota?client=NAME counts one use of NAME's quota and
 * answers how much is used:
 *
 *     client=NAME used=3 limit=1000000
 *
 * Up to 64 clients are tracked in a table guarded by `quota_lock`, a thread
 * mutex created at child_init.
 *
 * Seeded defect (lock leak): quota_handler() returns 400 Bad Request for a
 * missing or too long client name — from inside the critical section,
 * without unlocking `quota_lock`. The mutex stays held forever: every later
 * request (on any thread, including the same one) blocks on it.
 * Client-observable: after one bad request, every request to the page hangs
 * until the client gives up. This is not threaded-only: one thread deadlocks
 * on its next request. Fix: validate before locking, or unlock on every path.
 *
 *     <Location /quota>
 *         SetHandler quota
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

#define QUOTA_CLIENTS 64
#define QUOTA_NAME_MAX 32
#define QUOTA_LIMIT 1000000L

struct quota_slot {
    char name[QUOTA_NAME_MAX];
    long used;
};

static apr_thread_mutex_t *quota_lock; /* guards quota_table; child_init */
static struct quota_slot quota_table[QUOTA_CLIENTS];

static void quota_child_init(apr_pool_t *pchild, server_rec *s)
{
    if (apr_thread_mutex_create(&quota_lock, APR_THREAD_MUTEX_DEFAULT,
                                pchild) != APR_SUCCESS) {
        ap_log_error(APLOG_MARK, APLOG_CRIT, 0, s, "quota: no mutex");
    }
}

static int quota_handler(request_rec *r)
{
    const char *name;
    struct quota_slot *slot = NULL;
    long used;
    int i;

    if (strcmp(r->handler, "quota") != 0) {
        return DECLINED;
    }
    name = r->args && strncmp(r->args, "client=", 7) == 0 ? r->args + 7 : "";

    apr_thread_mutex_lock(quota_lock);
    if (*name == '\0' || strlen(name) >= QUOTA_NAME_MAX) {
        return HTTP_BAD_REQUEST;
    }
    for (i = 0; i < QUOTA_CLIENTS && slot == NULL; i++) {
        if (quota_table[i].name[0] == '\0') {
            apr_cpystrn(quota_table[i].name, name, QUOTA_NAME_MAX);
        }
        if (strcmp(quota_table[i].name, name) == 0) {
            slot = &quota_table[i];
        }
    }
    if (slot == NULL) {
        apr_thread_mutex_unlock(quota_lock);
        return HTTP_SERVICE_UNAVAILABLE;
    }
    used = ++slot->used;
    apr_thread_mutex_unlock(quota_lock);

    if (used > QUOTA_LIMIT) {
        return HTTP_TOO_MANY_REQUESTS;
    }
    ap_set_content_type(r, "text/plain");
    ap_rprintf(r, "client=%s used=%ld limit=%ld\n",
               ap_escape_html(r->pool, name), used, QUOTA_LIMIT);
    return OK;
}

static void quota_register_hooks(apr_pool_t *p)
{
    ap_hook_child_init(quota_child_init, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_handler(quota_handler, NULL, NULL, APR_HOOK_MIDDLE);
}

AP_DECLARE_MODULE(quota) = {
    STANDARD20_MODULE_STUFF,
    NULL,                /* create per-dir config */
    NULL,                /* merge per-dir config */
    NULL,                /* create per-server config */
    NULL,                /* merge per-server config */
    NULL,                /* command table */
    quota_register_hooks /* register hooks */
};
