/*
 * load.c — the load engine: worker threads, each with an epoll set and its
 * share of the connections; one request in flight per connection (like a
 * browser or wrk without pipelining); responses parsed with http_parser.
 *
 * Hot path budget per request: one send, one recv, a share of epoll_wait,
 * the parse, and the checks. Constant requests are rendered once; the read
 * buffer is per worker; bodies and headers are only collected when a check
 * needs them; nothing is allocated per request unless a check fails or a
 * value is captured.
 */
#include "load.h"
#include "load_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

void mc_load_opts_init(struct mc_load_opts *o)
{
    memset(o, 0, sizeof *o);
    o->host = "127.0.0.1";
    o->connections = 16;
    o->threads = 2;
    o->requests = 1000;
    o->seconds = 10;
    o->timeout_ms = 10000;
    o->max_failures = 100;
    o->unreachable_ms = 2000;
}

uint64_t mc__now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* ---- latency histogram: log-linear, 32 sub-buckets per power of two ---- */

static unsigned hist_idx(uint64_t v)
{
    if (v < 64)
        return (unsigned)v;
    unsigned msb = 63u - (unsigned)__builtin_clzll(v);
    unsigned shift = msb - 5;
    return 64 + (shift - 1) * 32 + (unsigned)((v >> shift) - 32);
}

static uint64_t hist_val(unsigned i)
{
    if (i < 64)
        return i;
    unsigned shift = (i - 64) / 32 + 1;
    uint64_t top = (i - 64) % 32 + 32;
    return (top << shift) + ((1ull << shift) >> 1);
}

void mc__hist_add(struct mc__hist *h, uint64_t v)
{
    h->b[hist_idx(v)]++;
    h->n++;
    h->sum += v;
    if (v > h->max)
        h->max = v;
}

void mc__hist_merge(struct mc__hist *dst, const struct mc__hist *src)
{
    for (unsigned i = 0; i < MC__HIST_N; i++)
        dst->b[i] += src->b[i];
    dst->n += src->n;
    dst->sum += src->sum;
    if (src->max > dst->max)
        dst->max = src->max;
}

uint64_t mc__hist_pct(const struct mc__hist *h, double q)
{
    if (!h->n)
        return 0;
    uint64_t want = (uint64_t)(q * (double)h->n + 0.999999);
    if (want < 1)
        want = 1;
    uint64_t acc = 0;
    for (unsigned i = 0; i < MC__HIST_N; i++) {
        acc += h->b[i];
        if (acc >= want) {
            uint64_t v = hist_val(i);
            return v < h->max ? v : h->max;
        }
    }
    return h->max;
}

/* ---- request rendering ---- */

static int has_header(const struct mc_request *r, const char *name)
{
    for (size_t i = 0; i < r->nheaders; i++)
        if (!strcasecmp(r->headers[i].name, name))
            return 1;
    return 0;
}

void mc__render_request(const struct mc__run *run, const struct mc_request *r,
                        const struct mc_tpl_vals *v, struct mc_buf *out,
                        struct mc_buf *scratch)
{
    mc_buf_reset(out);
    mc_buf_puts(out, r->method);
    mc_buf_putc(out, ' ');
    mc_tpl_render(&r->path, v, out);
    mc_buf_puts(out, " HTTP/1.1\r\n");
    if (!has_header(r, "Host")) {
        mc_buf_puts(out, "Host: ");
        mc_buf_puts(out, run->host_header);
        mc_buf_puts(out, "\r\n");
    }
    for (size_t i = 0; i < r->nheaders; i++) {
        mc_buf_puts(out, r->headers[i].name);
        mc_buf_puts(out, ": ");
        mc_tpl_render(&r->headers[i].value, v, out);
        mc_buf_puts(out, "\r\n");
    }
    if (!r->has_body) {
        mc_buf_puts(out, "\r\n");
        return;
    }
    mc_buf_reset(scratch);
    mc_tpl_render(&r->body, v, scratch);
    if (!has_header(r, "Content-Length"))
        mc_buf_printf(out, "Content-Length: %zu\r\n", scratch->len);
    mc_buf_puts(out, "\r\n");
    mc_buf_append(out, scratch->data, scratch->len);
}

static int request_constant(const struct mc_request *r)
{
    if (!r->path.constant || (r->has_body && !r->body.constant))
        return 0;
    for (size_t i = 0; i < r->nheaders; i++)
        if (!r->headers[i].value.constant)
            return 0;
    return 1;
}

static void prepare_requests(struct mc__run *run)
{
    const struct mc_scenario *s = run->o->scenario;
    run->creqs = mc_xcalloc(s->nall + 1, sizeof *run->creqs);
    struct mc_buf out = MC_BUF_INIT, scratch = MC_BUF_INIT;
    struct mc_tpl_vals v = {"", 0, 0, 0};
    for (size_t i = 0; i < s->nall; i++) {
        struct mc__creq *c = &run->creqs[i];
        c->r = s->all[i];
        c->head = !strcmp(c->r->method, "HEAD");
        c->collect_headers = c->r->nexpect_headers > 0;
        if (!request_constant(c->r))
            continue;
        mc__render_request(run, c->r, &v, &out, &scratch);
        c->pre_len = out.len;
        c->pre = mc_buf_steal(&out);
    }
    mc_buf_free(&out);
    mc_buf_free(&scratch);
}

/* ---- address resolution and the start-up probe ---- */

/* A blocking connect (at most 5 s), so that "connection refused" stops the
 * run before it starts instead of becoming thousands of failures. */
static int try_connect(const struct addrinfo *ai)
{
    int fd = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return errno;
    struct timeval tv = {5, 0};
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    int err = connect(fd, ai->ai_addr, ai->ai_addrlen) ? errno : 0;
    close(fd);
    return err;
}

/* Resolves the host and keeps the first address that accepts a
 * connection ("localhost" may offer ::1 before 127.0.0.1). */
static mc_status resolve_and_probe(struct mc__run *run, char *err,
                                   size_t errlen)
{
    const struct mc_load_opts *o = run->o;
    char port[16];
    snprintf(port, sizeof port, "%u", o->port);
    struct addrinfo hints = {0}, *list = NULL;
    hints.ai_socktype = SOCK_STREAM;
    int rc = getaddrinfo(o->host, port, &hints, &list);
    if (rc || !list) {
        snprintf(err, errlen, "cannot resolve '%s': %s", o->host,
                 gai_strerror(rc));
        return MC_ERR_USAGE;
    }
    int e = 0;
    for (const struct addrinfo *ai = list; ai; ai = ai->ai_next) {
        if ((e = try_connect(ai)) != 0)
            continue;
        memcpy(&run->addr, ai->ai_addr, ai->ai_addrlen);
        run->addrlen = ai->ai_addrlen;
        break;
    }
    freeaddrinfo(list);
    if (!e)
        return MC_OK;
    char eb[128];
    snprintf(err, errlen, "cannot connect to %s:%u: %s", o->host, o->port,
             mc__strerror(e, eb, sizeof eb));
    return MC_ERR_RUNTIME;
}

const char *mc__strerror(int e, char *buf, size_t len)
{
    /* GNU strerror_r may return a static string instead of filling buf */
    return strerror_r(e, buf, len);
}

/* ---- result assembly ---- */

static void result_add_worker(struct mc_load_result *res, struct mc__worker *w,
                              int load_phase)
{
    memcpy(res->failures + res->nfailures, w->fails,
           w->nfail * sizeof *w->fails);
    res->nfailures += w->nfail;
    res->failed += w->failed;
    res->timeouts += w->timeouts;
    res->closed += w->closed;
    res->resent += w->resent;
    res->connect_errors += w->connect_errors;
    for (unsigned k = 0; k < MC_CHECK_KINDS; k++)
        res->failed_by_check[k] += w->failed_by_check[k];
    if (w->first_fail_ns) {
        double t = (double)(w->first_fail_ns - w->run->start_ns) / 1e6;
        if (res->first_failure_ms < 0 || t < res->first_failure_ms)
            res->first_failure_ms = t;
    }
    if (!load_phase)
        return;
    res->requests += w->finished;
    for (unsigned i = 0; i < 600; i++)
        res->status[i] += w->status[i];
}

static const char *const check_kind_names[MC_CHECK_KINDS] = {
    "status",        "header",  "body",
    "body_contains", "capture", "connection closed",
    "timeout",       "protocol"};

const char *mc_check_kind_name(enum mc_check_kind k)
{
    return k < MC_CHECK_KINDS ? check_kind_names[k] : "?";
}

enum mc_check_kind mc_check_kind_of(const char *check)
{
    for (unsigned k = 0; k < MC_CHECK_KINDS; k++) {
        size_t n = strlen(check_kind_names[k]);
        if (!strncmp(check, check_kind_names[k], n) &&
            (check[n] == '\0' || check[n] == ' '))
            return (enum mc_check_kind)k;
    }
    return MC_CHECK_PROTOCOL;
}

static int cmp_failure_time(const void *a, const void *b)
{
    const struct mc_load_failure *x = a, *y = b;
    return x->t_ms < y->t_ms ? -1 : x->t_ms > y->t_ms;
}

/* Keeps the earliest max failures of all workers. */
static void result_trim_failures(struct mc_load_result *res, size_t max)
{
    qsort(res->failures, res->nfailures, sizeof *res->failures,
          cmp_failure_time);
    if (res->nfailures > max)
        res->nfailures = max;
}

static void result_latency(struct mc_load_result *res, const struct mc__hist *h)
{
    res->latency.p50_ms = (double)mc__hist_pct(h, 0.50) / 1e6;
    res->latency.p90_ms = (double)mc__hist_pct(h, 0.90) / 1e6;
    res->latency.p99_ms = (double)mc__hist_pct(h, 0.99) / 1e6;
    res->latency.max_ms = (double)h->max / 1e6;
    res->latency.mean_ms = h->n ? (double)h->sum / (double)h->n / 1e6 : 0;
}

void mc_load_result_free(struct mc_load_result *res)
{
    free(res->failures);
    free(res->relations);
    res->failures = NULL;
    res->relations = NULL;
}

int mc_load_exit_status(const struct mc_load_result *res)
{
    if (!res->complete)
        return MC_EXIT_INCOMPLETE;
    if (res->failed || res->relations_failed)
        return MC_EXIT_FINDINGS;
    return MC_EXIT_OK;
}

/* ---- phases ---- */

static void token_prefix(struct mc__run *run)
{
    static const char digits[] = "0123456789abcdefghijklmnopqrstuvwxyz";
    uint64_t x = run->seed * 0x9e3779b97f4a7c15ull;
    for (int i = 0; i < 4; i++) {
        run->tokpre[i] = digits[(x >> 40) % 36];
        x = x * 6364136223846793005ull + 1442695040888963407ull;
    }
    run->tokpre[4] = '\0';
}

static mc_status run_sequential(struct mc__run *run,
                                const struct mc_request *list, size_t n,
                                struct mc_load_result *res,
                                struct mc_capture_store *store, char *err,
                                size_t errlen)
{
    if (!n)
        return MC_OK;
    struct mc__worker w;
    mc__worker_init(&w, run, 0, 1);
    w.list = list;
    w.nlist = n;
    mc_status st = mc__worker_run(&w, err, errlen);
    result_add_worker(res, &w, 0);
    mc_capture_store_merge(store, &w.store);
    mc__worker_free(&w);
    return st;
}

static void *worker_main(void *arg)
{
    struct mc__worker *w = arg;
    char err[256];
    if (mc__worker_run(w, err, sizeof err))
        mc__run_abort(w->run, err);
    atomic_fetch_sub(&w->run->running, 1);
    return NULL;
}

static void progress_line(struct mc__worker *ws, unsigned nw, uint64_t t0)
{
    uint64_t done = 0, failed = 0;
    for (unsigned i = 0; i < nw; i++) {
        done += atomic_load_explicit(&ws[i].progress, memory_order_relaxed);
        failed +=
            atomic_load_explicit(&ws[i].progress_failed, memory_order_relaxed);
    }
    double secs = (double)(mc__now_ns() - t0) / 1e9;
    fprintf(stderr,
            "\r[load] %llu requests  %.0f req/s  %llu failed  %.1f s   ",
            (unsigned long long)done, secs > 0 ? (double)done / secs : 0.0,
            (unsigned long long)failed, secs);
    fflush(stderr);
}

static void wait_workers(const struct mc__run *run, struct mc__worker *ws,
                         unsigned nw, uint64_t t0)
{
    int show = run->o->progress && isatty(STDERR_FILENO);
    while (atomic_load(&run->running) > 0) {
        struct timespec ts = {0, show ? 250000000 : 20000000};
        nanosleep(&ts, NULL);
        if (show)
            progress_line(ws, nw, t0);
    }
    if (show)
        fprintf(stderr, "\r%70s\r", ""); /* the summary replaces it */
}

static mc_status run_load(struct mc__run *run, struct mc_load_result *res,
                          struct mc_capture_store *store, struct mc__hist *h,
                          char *err, size_t errlen)
{
    const struct mc_load_opts *o = run->o;
    unsigned nw = run->nthreads;
    struct mc__worker *ws = mc_xcalloc(nw, sizeof *ws);
    for (unsigned i = 0; i < nw; i++)
        mc__worker_init(&ws[i], run, i, 0);
    uint64_t t0 = mc__now_ns();
    run->deadline_ns =
        o->seconds > 0 ? t0 + (uint64_t)(o->seconds * 1e9) : UINT64_MAX;
    atomic_store(&run->running, (int)nw);
    unsigned started = 0;
    for (; started < nw; started++)
        if (pthread_create(&ws[started].thread, NULL, worker_main,
                           &ws[started]))
            break;
    if (started < nw) {
        atomic_fetch_sub(&run->running, (int)(nw - started));
        mc__run_abort(run, "cannot start load threads");
    }
    wait_workers(run, ws, nw, t0);
    for (unsigned i = 0; i < started; i++)
        pthread_join(ws[i].thread, NULL);
    res->seconds = (double)(mc__now_ns() - t0) / 1e9;
    for (unsigned i = 0; i < nw; i++) {
        result_add_worker(res, &ws[i], 1);
        mc__hist_merge(h, &ws[i].hist);
        mc_capture_store_merge(store, &ws[i].store);
        mc__worker_free(&ws[i]);
    }
    free(ws);
    (void)err;
    (void)errlen;
    return MC_OK;
}

/* Each connection needs a descriptor: raise the soft limit towards the
 * hard one if needed (a process-wide, benign change), else refuse. */
static mc_status check_fd_limit(unsigned conns, char *err, size_t errlen)
{
    struct rlimit rl;
    rlim_t need = (rlim_t)conns + 64;
    if (getrlimit(RLIMIT_NOFILE, &rl) || rl.rlim_cur >= need)
        return MC_OK;
    if (rl.rlim_max == RLIM_INFINITY || rl.rlim_max >= need) {
        rl.rlim_cur = need;
        if (!setrlimit(RLIMIT_NOFILE, &rl))
            return MC_OK;
    }
    snprintf(err, errlen,
             "%u connections need about %llu file descriptors; the limit is "
             "%llu (ulimit -n)",
             conns, (unsigned long long)need, (unsigned long long)rl.rlim_cur);
    return MC_ERR_USAGE;
}

static mc_status check_opts(const struct mc_load_opts *o, char *err,
                            size_t errlen)
{
    if (!o->scenario || !o->port || o->port > 65535) {
        snprintf(err, errlen, "a scenario and a port (1-65535) are required");
        return MC_ERR_USAGE;
    }
    if (!o->connections || o->connections > 10000 || !o->threads ||
        o->threads > 256) {
        snprintf(err, errlen,
                 "connections must be 1-10000 and threads 1-256 (got %u, %u)",
                 o->connections, o->threads);
        return MC_ERR_USAGE;
    }
    if (!o->requests && o->seconds <= 0) {
        snprintf(err, errlen,
                 "the load needs a bound: requests or seconds (or both)");
        return MC_ERR_USAGE;
    }
    return check_fd_limit(o->connections, err, errlen);
}

static void run_init(struct mc__run *run, const struct mc_load_opts *o)
{
    memset(run, 0, sizeof *run);
    run->o = o;
    run->start_ns = mc__now_ns();
    run->nthreads = o->threads < o->connections ? o->threads : o->connections;
    run->seed = o->seed ? o->seed : mc__now_ns() ^ ((uint64_t)getpid() << 32);
    token_prefix(run);
    snprintf(run->host_header_buf, sizeof run->host_header_buf, "%s:%u",
             o->host, o->port);
    run->host_header = o->host_header ? o->host_header : run->host_header_buf;
    atomic_init(&run->next_seq, 0);
    atomic_init(&run->stop, 0);
    atomic_init(&run->aborted, 0);
    atomic_init(&run->running, 0);
    if (pthread_mutex_init(&run->abort_lock, NULL))
        abort();
}

static void run_free(struct mc__run *run)
{
    const struct mc_scenario *s = run->o->scenario;
    for (size_t i = 0; run->creqs && i < s->nall; i++)
        free(run->creqs[i].pre);
    free(run->creqs);
    pthread_mutex_destroy(&run->abort_lock);
}

static mc_status run_phases(struct mc__run *run, struct mc_load_result *res,
                            struct mc_capture_store *store, char *err,
                            size_t errlen)
{
    const struct mc_scenario *s = run->o->scenario;
    struct mc__hist *h = mc_xcalloc(1, sizeof *h);
    run->seq_end = UINT64_MAX;
    atomic_store(&run->next_seq, 0);
    mc_status st =
        run_sequential(run, s->setup, s->nsetup, res, store, err, errlen);
    res->setup_requests = s->nsetup;
    if (!st) {
        uint64_t first = atomic_load(&run->next_seq);
        run->seq_end = run->o->requests ? first + run->o->requests : UINT64_MAX;
        st = run_load(run, res, store, h, err, errlen);
        uint64_t next = atomic_load(&run->next_seq);
        atomic_store(&run->next_seq, next < run->seq_end ? next : run->seq_end);
        run->seq_end = UINT64_MAX;
        atomic_store(&run->stop, 0);
    }
    if (!st && !atomic_load(&run->aborted)) {
        st = run_sequential(run, s->final, s->nfinal, res, store, err, errlen);
        res->final_requests = s->nfinal;
    }
    result_latency(res, h);
    free(h);
    res->rps = res->seconds > 0 ? (double)res->requests / res->seconds : 0;
    return st;
}

mc_status mc_load_run(const struct mc_load_opts *o, struct mc_load_result *res,
                      char *err, size_t errlen)
{
    memset(res, 0, sizeof *res);
    mc_status st = check_opts(o, err, errlen);
    if (st)
        return st;
    struct mc__run run;
    run_init(&run, o);
    res->seed = run.seed;
    res->first_failure_ms = -1;
    /* room for every worker's share; trimmed to max_failures at the end */
    res->failures = mc_xcalloc((o->max_failures + 1) * (run.nthreads + 2),
                               sizeof *res->failures);
    st = resolve_and_probe(&run, err, errlen);
    if (st) {
        run_free(&run);
        return st;
    }
    prepare_requests(&run);
    struct mc_capture_store store;
    mc_capture_store_init(&store, o->scenario);
    st = run_phases(&run, res, &store, err, errlen);
    res->complete = !st && !atomic_load(&run.aborted);
    if (atomic_load(&run.aborted))
        snprintf(res->incomplete_reason, sizeof res->incomplete_reason, "%s",
                 run.abort_reason);
    else if (st)
        snprintf(res->incomplete_reason, sizeof res->incomplete_reason, "%s",
                 err);
    result_trim_failures(res, o->max_failures);
    res->nrelations = o->scenario->nrelations;
    res->relations = mc_xcalloc(res->nrelations + 1, sizeof *res->relations);
    if (res->complete)
        res->relations_failed = mc_relations_eval(&store, res->relations);
    mc_capture_store_free(&store);
    run_free(&run);
    return MC_OK;
}
