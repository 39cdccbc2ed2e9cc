/*
 * mod_loadmon.c — a scheduling-latency monitor.
 *
 * Feature: each child process runs a sampler thread (started at child_init)
 * that sleeps 10 ms at a time and measures how late it wakes up, a cheap
 * proxy for CPU pressure. GET /loadmon reports the statistics:
 *
 *     samples=412
 *     last_us=85
 *     worst_us=2210
 *     avg_us=97
 *
 * Seeded defect (unsafe under threads): the sampler thread updates the
 * global `lm_stats` struct field by field with no lock, and
 * loadmon_handler() copies it, also with no lock. The handler can copy a
 * half-updated struct. Client-observable: a torn snapshot — last_us above
 * worst_us, or an average computed from a sample count and a total that do
 * not belong together. Fix: a mutex around the update and the copy, or
 * apr_atomic counters.
 *
 *     <Location /loadmon>
 *         SetHandler loadmon
 *     </Location>
 */
#include "httpd.h"
#include "http_config.h"
#include "http_log.h"
#include "http_protocol.h"
#include "http_request.h"
#include "ap_config.h"

#include "apr_atomic.h"
#include "apr_thread_proc.h"
#include "apr_time.h"

#define LM_PERIOD apr_time_from_msec(10)

struct lm_stats {
    apr_uint32_t samples;        /* wake-ups measured */
    apr_interval_time_t last_us; /* lateness of the newest one */
    apr_interval_time_t worst_us;
    apr_interval_time_t total_us;
};

/* Written by the sampler thread, read by every request. */
static struct lm_stats lm_stats;
/* Set at child_init (before workers start), used by the child-exit cleanup. */
static apr_thread_t *lm_thread;
static apr_uint32_t lm_stop; /* apr_atomic: asks the sampler to finish */

static void *APR_THREAD_FUNC lm_sampler(apr_thread_t *thread, void *data)
{
    while (!apr_atomic_read32(&lm_stop)) {
        apr_time_t start = apr_time_now();
        apr_interval_time_t late;

        apr_sleep(LM_PERIOD);
        late = apr_time_now() - start - LM_PERIOD;
        if (late < 0) {
            late = 0;
        }
        lm_stats.samples++;
        lm_stats.total_us += late;
        lm_stats.last_us = late;
        if (late > lm_stats.worst_us) {
            lm_stats.worst_us = late;
        }
    }
    apr_thread_exit(thread, APR_SUCCESS);
    return NULL;
}

static apr_status_t lm_stop_sampler(void *data)
{
    apr_status_t rv;

    apr_atomic_set32(&lm_stop, 1);
    return apr_thread_join(&rv, lm_thread);
}

static void loadmon_child_init(apr_pool_t *pchild, server_rec *s)
{
    apr_status_t rv =
        apr_thread_create(&lm_thread, NULL, lm_sampler, NULL, pchild);

    if (rv != APR_SUCCESS) {
        ap_log_error(APLOG_MARK, APLOG_ERR, rv, s, "loadmon: no sampler");
        return;
    }
    /* pre-cleanup: join before pchild destroys the thread's own pool */
    apr_pool_pre_cleanup_register(pchild, NULL, lm_stop_sampler);
}

static int loadmon_handler(request_rec *r)
{
    struct lm_stats snap;

    if (strcmp(r->handler, "loadmon") != 0) {
        return DECLINED;
    }
    snap = lm_stats;
    ap_set_content_type(r, "text/plain");
    apr_table_setn(r->headers_out, "Cache-Control", "no-store");
    ap_rprintf(r, "samples=%u\n", snap.samples);
    ap_rprintf(r, "last_us=%" APR_TIME_T_FMT "\n", snap.last_us);
    ap_rprintf(r, "worst_us=%" APR_TIME_T_FMT "\n", snap.worst_us);
    ap_rprintf(r, "avg_us=%" APR_TIME_T_FMT "\n",
               snap.samples ? snap.total_us / snap.samples : 0);
    return OK;
}

static void loadmon_register_hooks(apr_pool_t *p)
{
    ap_hook_child_init(loadmon_child_init, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_handler(loadmon_handler, NULL, NULL, APR_HOOK_MIDDLE);
}

AP_DECLARE_MODULE(loadmon) = {
    STANDARD20_MODULE_STUFF,
    NULL,                  /* create per-dir config */
    NULL,                  /* merge per-dir config */
    NULL,                  /* create per-server config */
    NULL,                  /* merge per-server config */
    NULL,                  /* command table */
    loadmon_register_hooks /* register hooks */
};
