/*
 * A per-client rate limiter in the style of mod_evasive: most of it is
 * done right (a mutex-guarded hash in a child sub-pool, an atomic counter,
 * config-time directives), with three defects a reviewer would miss:
 *  - an .htaccess-allowed directive writes a global that requests read;
 *  - the "last sweep" time is written under the lock but read without it;
 *  - the log line is formatted with localtime().
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"
#include "apr_hash.h"
#include "apr_atomic.h"
#include "apr_thread_mutex.h"
#include <time.h>

struct client {
    int hits;
    apr_time_t window_start;
};

static int max_hits = 50;                 /* RSRC_CONF only */
static const char *exempt_prefix;         /* written from .htaccess! */
static apr_pool_t *clients_pool;          /* guarded by clients_lock */
static apr_hash_t *clients;               /* guarded by clients_lock */
static apr_thread_mutex_t *clients_lock;
static apr_time_t last_sweep;             /* guarded by clients_lock */
static volatile apr_uint32_t blocked_total;

static const char *cmd_max_hits(cmd_parms *cmd, void *d, const char *arg)
{
    max_hits = atoi(arg);
    return max_hits > 0 ? NULL : "RateLimitHits must be positive";
}

static const char *cmd_exempt(cmd_parms *cmd, void *d, const char *arg)
{
    exempt_prefix = arg; /* expect: global-race(exempt_prefix) */
    return NULL;
}

static void rl_child_init(apr_pool_t *pchild, server_rec *s)
{
    apr_pool_create(&clients_pool, pchild);
    clients = apr_hash_make(clients_pool);
    apr_thread_mutex_create(&clients_lock, APR_THREAD_MUTEX_DEFAULT, pchild);
}

/* Called with clients_lock held. */
static void sweep(apr_time_t now)
{
    apr_hash_clear(clients);
    apr_pool_clear(clients_pool);
    clients = apr_hash_make(clients_pool);
    last_sweep = now;
}

static int rl_access(request_rec *r)
{
    struct client *c;
    int over;

    if (exempt_prefix && strncmp(r->uri, exempt_prefix, strlen(exempt_prefix)) == 0) /* expect: global-race(exempt_prefix) */
        return DECLINED;
    if (r->request_time - last_sweep > apr_time_from_sec(60)) { /* expect: global-race(last_sweep) */
        apr_thread_mutex_lock(clients_lock);
        sweep(r->request_time);
        apr_thread_mutex_unlock(clients_lock);
    }
    apr_thread_mutex_lock(clients_lock);
    c = apr_hash_get(clients, r->useragent_ip, APR_HASH_KEY_STRING);
    if (!c) {
        c = apr_pcalloc(clients_pool, sizeof(*c));
        c->window_start = r->request_time;
        apr_hash_set(clients, apr_pstrdup(clients_pool, r->useragent_ip),
                     APR_HASH_KEY_STRING, c);
    }
    over = ++c->hits > max_hits;
    apr_thread_mutex_unlock(clients_lock);
    if (!over)
        return DECLINED;
    apr_atomic_inc32(&blocked_total);
    return HTTP_TOO_MANY_REQUESTS;
}

static int rl_log(request_rec *r)
{
    time_t t = (time_t)apr_time_sec(r->request_time);
    char when[32];

    if (r->status != HTTP_TOO_MANY_REQUESTS)
        return DECLINED;
    strftime(when, sizeof(when), "%H:%M:%S", localtime(&t)); /* expect: mt-unsafe-call(localtime) */
    ap_log_rerror(APLOG_MARK, APLOG_NOTICE, 0, r, "rate limited at %s (%u total)",
                  when, apr_atomic_read32(&blocked_total));
    return DECLINED;
}

static const command_rec rl_cmds[] = {
    AP_INIT_TAKE1("RateLimitHits", cmd_max_hits, NULL, RSRC_CONF, "hits per minute"),
    AP_INIT_TAKE1("RateLimitExempt", cmd_exempt, NULL, OR_AUTHCFG, "exempt URI prefix"),
    {NULL}
};

static void rl_register_hooks(apr_pool_t *p)
{
    ap_hook_child_init(rl_child_init, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_access_checker(rl_access, NULL, NULL, APR_HOOK_FIRST);
    ap_hook_log_transaction(rl_log, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA ratelimit_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL,
    rl_cmds,
    rl_register_hooks
};
