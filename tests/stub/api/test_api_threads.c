/* test_api_threads.c — the time, log, regex and string API used from many
 * threads at once, as module request handlers do. Under the TSan tree
 * (label "sanitize") any data race in server-stub/api fails the test; in
 * every tree it checks that no log line was lost or interleaved. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <regex.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include "apr_hooks.h"
#include "apr_network_io.h"
#include "apr_strings.h"
#include "apr_thread_proc.h"
#include "httpd.h"
#include "http_config.h"
#include "http_core.h"
#include "http_log.h"
#include "ap_expr.h"
#include "util_time.h"

#include "log_capture.h"
#include "support.h"

#define N_THREADS 4
#define ITERATIONS 250

struct shared {
    server_rec *s;
    ap_regex_t *re;        /* compiled once, matched by every thread */
    ap_expr_info_t cond;   /* parsed once, evaluated by every thread */
    ap_expr_info_t string; /* string-result expression, idem */
};

struct worker {
    int id;
    apr_pool_t *p; /* this thread's own pool, like a request pool */
    const struct shared *sh;
    conn_rec c;
    request_rec r;
    int failures;
};

static atomic_int hook_calls;

static void count_error_log(const ap_errorlog_info *info, const char *errstr)
{
    (void)info;
    (void)errstr;
    atomic_fetch_add(&hook_calls, 1);
}

/* Time formatting: every function must give the same second for t. */
static int check_times(apr_pool_t *p, apr_time_t t)
{
    char ctime_buf[64], rfc[APR_RFC822_DATE_LEN];
    int len = (int)sizeof(ctime_buf);
    apr_time_exp_t lt, gmt;
    const char *ht = ap_ht_time(p, t, "%H:%M:%S", 1);

    ap_recent_ctime_ex(ctime_buf, t, AP_CTIME_OPTION_USEC, &len);
    ap_recent_rfc822_date(rfc, t);
    ap_explode_recent_localtime(&lt, t);
    ap_explode_recent_gmt(&gmt, t);
    return strstr(rfc, ht) != NULL && strncmp(ctime_buf + 11, ht, 8) == 0 &&
           gmt.tm_sec == lt.tm_sec;
}

static int check_strings(struct worker *w, int i)
{
    ap_regmatch_t m[3];
    const char *uri = apr_psprintf(w->p, "/t%d/item/%d", w->id, i);
    const char *conf = "Key \"quoted value\"";
    char *sub;
    const char *err = NULL, *expanded;

    if (ap_regexec(w->sh->re, uri, 3, m, 0) != 0)
        return 0;
    w->r.uri = (char *)uri;
    if (ap_expr_exec(&w->r, &w->sh->cond, &err) != 1)
        return 0;
    expanded = ap_expr_str_exec(&w->r, &w->sh->string, &err);
    if (!expanded || strcmp(expanded, apr_pstrcat(w->p, "u=", uri, NULL)))
        return 0;
    sub = ap_pregsub(w->p, "$2@$1", uri, 3, m);
    ap_getword_conf(w->p, &conf);
    return strcmp(sub, apr_psprintf(w->p, "%d@t%d", i, w->id)) == 0 &&
           strcmp(ap_getword_conf(w->p, &conf), "quoted value") == 0 &&
           ap_random_pick(1, 6) <= 6 &&
           strcmp(ap_escape_logitem(w->p, "a\"b"), "a\\\"b") == 0;
}

static void *APR_THREAD_FUNC work(apr_thread_t *thd, void *data)
{
    struct worker *w = data;
    int i;

    for (i = 0; i < ITERATIONS; ++i) {
        ap_log_error(APLOG_MARK, APLOG_WARNING, 0, w->sh->s, "srv t%d i%d",
                     w->id, i);
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, &w->r, "req t%d i%d", w->id, i);
        ap_log_error(APLOG_MARK, APLOG_DEBUG, 0, w->sh->s, "filtered");
        if (!check_times(w->p, apr_time_now()) || !check_strings(w, i))
            ++w->failures;
        if (i % 50 == 49)
            apr_pool_clear(w->p);
    }
    apr_thread_exit(thd, APR_SUCCESS);
    return NULL;
}

static void init_worker(struct worker *w, int id, const struct shared *sh,
                        apr_pool_t *parent)
{
    memset(w, 0, sizeof(*w));
    w->id = id;
    w->sh = sh;
    apr_pool_create(&w->p, parent);
    w->c.base_server = sh->s;
    w->c.client_ip = "127.0.0.1";
    apr_sockaddr_info_get(&w->c.client_addr, "127.0.0.1", APR_INET,
                          (apr_port_t)(40000 + id), 0, parent);
    w->r.server = sh->s;
    w->r.connection = &w->c;
    w->r.pool = w->p;
    w->r.useragent_ip = "127.0.0.1";
    w->r.useragent_addr = w->c.client_addr;
    w->r.headers_in = apr_table_make(parent, 1);
    w->r.headers_out = apr_table_make(parent, 1);
    w->r.method = "GET";
    w->r.notes = apr_table_make(parent, 1);
}

/* Every line is one whole, well-formed log line. */
static int count_lines(apr_array_header_t *lines, const char *ere)
{
    regex_t re;
    int i, n = 0;

    assert_int_equal(regcomp(&re, ere, REG_EXTENDED | REG_NOSUB), 0);
    for (i = 0; i < lines->nelts; ++i)
        n += regexec(&re, APR_ARRAY_IDX(lines, i, const char *), 0, NULL, 0) ==
             0;
    regfree(&re);
    return n;
}

static void concurrent_logging_and_time(void **state)
{
    apr_pool_t *p = mc_test_pool();
    struct mc_capture cap;
    struct shared sh;
    struct worker w[N_THREADS];
    apr_thread_t *t[N_THREADS];
    apr_array_header_t *lines;
    apr_status_t rv;
    int i;

    (void)state;
    assert_int_equal(mc_capture_open(&cap, p), 0);
    sh.s = apr_pcalloc(p, sizeof(*sh.s));
    sh.s->error_log = cap.file;
    sh.s->log.level = APLOG_WARNING;
    sh.re = ap_pregcomp(p, "^/(t[0-9]+)/item/([0-9]+)$", 0);
    assert_non_null(sh.re);
    memset(&sh.cond, 0, sizeof(sh.cond));
    memset(&sh.string, 0, sizeof(sh.string));
    sh.string.flags = AP_EXPR_FLAG_STRING_RESULT;
    assert_null(ap_expr_parse(p, p, &sh.cond,
                              "%{REQUEST_URI} =~ m#^/t([0-9]+)/# && "
                              "$1 -ge 0 && %{REQUEST_METHOD} == 'GET'",
                              NULL));
    assert_null(ap_expr_parse(p, p, &sh.string, "u=%{REQUEST_URI}", NULL));
    apr_hook_global_pool = p;
    ap_hook_error_log(count_error_log, NULL, NULL, APR_HOOK_MIDDLE);
    apr_hook_sort_all();
    for (i = 0; i < N_THREADS; ++i)
        init_worker(&w[i], i, &sh, p);
    for (i = 0; i < N_THREADS; ++i)
        assert_int_equal(apr_thread_create(&t[i], NULL, work, &w[i], p),
                         APR_SUCCESS);
    for (i = 0; i < N_THREADS; ++i) {
        apr_thread_join(&rv, t[i]);
        assert_int_equal(w[i].failures, 0);
    }
    lines = mc_capture_lines(&cap, p);
    assert_int_equal(lines->nelts, 2 * N_THREADS * ITERATIONS);
    assert_int_equal(count_lines(lines, "^\\[[^]]+\\] \\[-:warn\\] \\[pid "
                                        "[0-9]+:tid [0-9]+\\] srv t[0-9] "
                                        "i[0-9]+$"),
                     N_THREADS * ITERATIONS);
    assert_int_equal(count_lines(lines, "^\\[[^]]+\\] \\[-:error\\] \\[pid "
                                        "[0-9]+:tid [0-9]+\\] \\[client "
                                        "127\\.0\\.0\\.1:4000[0-9]\\] req "
                                        "t[0-9] i[0-9]+$"),
                     N_THREADS * ITERATIONS);
    assert_int_equal(atomic_load(&hook_calls), 2 * N_THREADS * ITERATIONS);
    assert_true(mc_test_perturb_count() >
                (unsigned long)N_THREADS * ITERATIONS);
}

static void *APR_THREAD_FUNC check_current(apr_thread_t *thd, void *data)
{
    atomic_int *ok = data;

    if (ap_thread_current() == thd)
        atomic_fetch_add(ok, 1);
    apr_thread_exit(thd, APR_SUCCESS);
    return NULL;
}

static void thread_current_is_per_thread(void **state)
{
    apr_pool_t *p = mc_test_pool();
    apr_thread_t *t[N_THREADS], *main_thd = NULL, *again = NULL;
    atomic_int ok = 0;
    apr_status_t rv;
    int i;

    (void)state;
    assert_null(ap_thread_current());
    assert_int_equal(ap_thread_main_create(&main_thd, p), APR_SUCCESS);
    assert_non_null(main_thd);
    assert_ptr_equal(ap_thread_current(), main_thd);
    assert_int_equal(ap_thread_current_create(&again, NULL, p), APR_EEXIST);
    assert_ptr_equal(again, main_thd);
    for (i = 0; i < N_THREADS; ++i)
        assert_int_equal(ap_thread_create(&t[i], NULL, check_current, &ok, p),
                         APR_SUCCESS);
    for (i = 0; i < N_THREADS; ++i)
        apr_thread_join(&rv, t[i]);
    assert_int_equal(atomic_load(&ok), N_THREADS);
    ap_thread_current_after_fork();
    assert_null(ap_thread_current());
    assert_int_equal(ap_thread_main_create(&main_thd, p), APR_SUCCESS);
    apr_pool_destroy(p); /* releases the registration */
    assert_null(ap_thread_current());
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(concurrent_logging_and_time),
        cmocka_unit_test(thread_current_is_per_thread),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
