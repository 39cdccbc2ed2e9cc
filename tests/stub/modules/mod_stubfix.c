/*
 * mod_stubfix.c - a test module for host behaviours modules rely on without
 * calling them directly (tests/stub/stub_tests.py: stub_thread_current,
 * stub_runtime_dir, stub_tsan_tz). Handlers:
 *   stubfix-thread  ap_thread_current() in the request thread: "current=1
 *                   same=1" when it is the calling thread's apr_thread_t;
 *                   also what child_init saw.
 *   stubfix-mutex   locks and unlocks the file-based global mutex created in
 *                   post_config; prints the lock file's name.
 *   stubfix-form    POST ?NUM,SIZE: ap_parse_form_data with those limits;
 *                   prints the status and the pairs.
 *   stubfix-tz      16 threads call localtime_r() at the same moment and
 *                   read the zone name it returns (the first local-time
 *                   conversions of the process when it is the first
 *                   request); prints the zone names.
 * Built twice: mod_stubfix.so and a TSan twin mod_stubfix.tsan.so.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_log.h"
#include "http_protocol.h"
#include "util_mutex.h"

#include "apr_buckets.h"
#include "apr_global_mutex.h"
#include "apr_portable.h"
#include "apr_strings.h"
#include "apr_thread_proc.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define MUTEX_TYPE "stubfix-file"
#define TZ_THREADS 16

module AP_MODULE_DECLARE_DATA stubfix_module;

/* Written in post_config / child_init (single-threaded), read by requests. */
static apr_global_mutex_t *file_mutex;
static const char *file_mutex_name;
static const char *mutex_error = "not created";
static int child_init_current = -1;

static int stubfix_pre_config(apr_pool_t *pconf, apr_pool_t *plog,
                              apr_pool_t *ptemp)
{
    /* fcntl: a mechanism that needs a lock file */
    return ap_mutex_register(pconf, MUTEX_TYPE, NULL, APR_LOCK_FCNTL, 0) ==
                   APR_SUCCESS
               ? OK
               : HTTP_INTERNAL_SERVER_ERROR;
}

static int stubfix_post_config(apr_pool_t *pconf, apr_pool_t *plog,
                               apr_pool_t *ptemp, server_rec *s)
{
    char err[128];
    apr_status_t rv = ap_global_mutex_create(&file_mutex, &file_mutex_name,
                                             MUTEX_TYPE, NULL, s, pconf, 0);
    if (rv != APR_SUCCESS) {
        file_mutex = NULL;
        mutex_error = apr_pstrdup(pconf, apr_strerror(rv, err, sizeof(err)));
        ap_log_error(APLOG_MARK, APLOG_ERR, rv, s,
                     "stubfix: cannot create the file-based mutex");
    }
    return OK; /* the request reports the failure */
}

static void stubfix_child_init(apr_pool_t *p, server_rec *s)
{
    child_init_current = ap_thread_current() != NULL;
    if (file_mutex)
        apr_global_mutex_child_init(&file_mutex, file_mutex_name, p);
}

static int handle_thread(request_rec *r)
{
    apr_thread_t *cur = ap_thread_current();
    apr_os_thread_t *os = NULL;
    int same = 0;
    if (cur && apr_os_thread_get(&os, cur) == APR_SUCCESS && os)
        same = apr_os_thread_equal(*os, apr_os_thread_current()) != 0;
    ap_rprintf(r, "current=%d same=%d child_init_current=%d\n", cur != NULL,
               same, child_init_current);
    return OK;
}

static int handle_mutex(request_rec *r)
{
    if (!file_mutex) {
        ap_rprintf(r, "mutex=none error=%s\n", mutex_error);
        return OK;
    }
    if (apr_global_mutex_lock(file_mutex) != APR_SUCCESS ||
        apr_global_mutex_unlock(file_mutex) != APR_SUCCESS) {
        ap_rprintf(r, "mutex=lockfail\n");
        return OK;
    }
    ap_rprintf(r, "mutex=ok file=%s\n",
               file_mutex_name ? file_mutex_name : "(none)");
    return OK;
}

struct tz_job {
    pthread_barrier_t *start;
    time_t when;
    char zone[16];
};

static void *tz_thread(void *arg)
{
    struct tz_job *job = arg;
    struct tm tm;
    size_t i = 0;
    pthread_barrier_wait(job->start);
    if (localtime_r(&job->when, &tm) && tm.tm_zone)
        for (; tm.tm_zone[i] && i + 1 < sizeof(job->zone); ++i)
            job->zone[i] = tm.tm_zone[i]; /* reads libc's zone string */
    job->zone[i] = '\0';
    return NULL;
}

static int handle_tz(request_rec *r)
{
    pthread_t th[TZ_THREADS];
    struct tz_job jobs[TZ_THREADS];
    pthread_barrier_t start;
    int n = 0;
    pthread_barrier_init(&start, NULL, TZ_THREADS);
    for (int i = 0; i < TZ_THREADS; ++i) {
        memset(&jobs[i], 0, sizeof(jobs[i]));
        jobs[i].start = &start;
        /* winter and summer: both zone names */
        jobs[i].when = (time_t)(i % 2 ? 1700000000 : 1720000000);
        if (pthread_create(&th[i], NULL, tz_thread, &jobs[i]) != 0)
            break;
        ++n;
    }
    if (n < TZ_THREADS) { /* the barrier would never open */
        ap_rprintf(r, "tz=threadfail\n");
        return OK; /* a stuck test fails on its timeout instead */
    }
    for (int i = 0; i < n; ++i)
        pthread_join(th[i], NULL);
    pthread_barrier_destroy(&start);
    ap_rprintf(r, "tz=%s,%s\n", jobs[0].zone, jobs[1].zone);
    return OK;
}

static int handle_form(request_rec *r)
{
    apr_array_header_t *pairs = NULL;
    apr_size_t num = 0, size = 0;
    int rc;
    if (r->args)
        sscanf(r->args, "%zu,%zu", &num, &size);
    rc = ap_parse_form_data(r, NULL, &pairs, num, size);
    ap_rprintf(r, "rc=%d n=%d\n", rc, pairs ? pairs->nelts : -1);
    for (int i = 0; pairs && i < pairs->nelts; ++i) {
        ap_form_pair_t *pair = &APR_ARRAY_IDX(pairs, i, ap_form_pair_t);
        char *val = NULL;
        apr_size_t len = 0;
        apr_brigade_pflatten(pair->value, &val, &len, r->pool);
        ap_rprintf(r, "%s=[%s]\n", ap_escape_logitem(r->pool, pair->name),
                   ap_escape_logitem(
                       r->pool, apr_pstrmemdup(r->pool, val ? val : "", len)));
    }
    return OK;
}

static int stubfix_handler(request_rec *r)
{
    if (!r->handler || strncmp(r->handler, "stubfix-", 8) != 0)
        return DECLINED;
    ap_set_content_type(r, "text/plain");
    if (!strcmp(r->handler, "stubfix-thread"))
        return handle_thread(r);
    if (!strcmp(r->handler, "stubfix-mutex"))
        return handle_mutex(r);
    if (!strcmp(r->handler, "stubfix-form"))
        return handle_form(r);
    if (!strcmp(r->handler, "stubfix-tz"))
        return handle_tz(r);
    return DECLINED;
}

static void stubfix_register_hooks(apr_pool_t *p)
{
    ap_hook_pre_config(stubfix_pre_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_post_config(stubfix_post_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_child_init(stubfix_child_init, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_handler(stubfix_handler, NULL, NULL, APR_HOOK_MIDDLE);
}

AP_DECLARE_MODULE(stubfix) = {
    STANDARD20_MODULE_STUFF, NULL, NULL, NULL, NULL, NULL,
    stubfix_register_hooks};
