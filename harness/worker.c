/*
 * worker.c — one load thread: an epoll set over its connections, one
 * request in flight per connection, responses parsed by http_parser and
 * checked as they complete. Also runs the setup/final phases (sequential
 * mode: one connection, the listed requests in order).
 */
#include "load_internal.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#define MC__RBUF (64 * 1024)
#define MC__RETRY_NS (10 * 1000000ull)
#define MC__DRAIN_NS (2000 * 1000000ull)
#define MC__TICK_NS (20 * 1000000ull)
#define MC__KEEP_BUF (1024 * 1024)

static void conn_open(struct mc__conn *c, uint64_t now);
static void conn_next(struct mc__conn *c, uint64_t now);

void mc__run_abort(struct mc__run *run, const char *reason)
{
    pthread_mutex_lock(&run->abort_lock);
    if (!atomic_load(&run->aborted))
        snprintf(run->abort_reason, sizeof run->abort_reason, "%s", reason);
    atomic_store(&run->aborted, 1);
    atomic_store(&run->stop, 1);
    pthread_mutex_unlock(&run->abort_lock);
}

/* ---- http_parser callbacks (c = parser->data) ---- */

static int hdr_piece(http_parser *p, const char *at, size_t len, int value)
{
    struct mc__conn *c = p->data;
    if (!c->cr->collect_headers)
        return 0;
    if (!value && (c->hdr_in_value || !c->nhs)) {
        if (c->nhs == c->caphs) {
            c->caphs = c->caphs ? 2 * c->caphs : 16;
            c->hs = mc_xrealloc(c->hs, c->caphs * sizeof *c->hs);
        }
        c->hs[c->nhs++] = (struct mc__hdr_span){c->hdrs.len, 0, 0, 0};
    }
    if (!c->nhs)
        return 0;
    struct mc__hdr_span *h = &c->hs[c->nhs - 1];
    if (value && !c->hdr_in_value)
        h->val_off = c->hdrs.len;
    mc_buf_append(&c->hdrs, at, len);
    if (value)
        h->val_len += len;
    else
        h->name_len += len;
    c->hdr_in_value = value;
    return 0;
}

static int on_hfield(http_parser *p, const char *at, size_t len)
{
    return hdr_piece(p, at, len, 0);
}

static int on_hvalue(http_parser *p, const char *at, size_t len)
{
    return hdr_piece(p, at, len, 1);
}

static int on_headers_complete(http_parser *p)
{
    struct mc__conn *c = p->data;
    /* 1xx (but 101): an interim response; the real one follows */
    c->interim =
        p->status_code >= 100 && p->status_code < 200 && p->status_code != 101;
    return c->cr->head && !c->interim ? 1 : 0; /* 1: no body (HEAD) */
}

static int on_body(http_parser *p, const char *at, size_t len)
{
    struct mc__conn *c = p->data;
    if (c->cr->r->needs_body)
        mc_buf_append(&c->body, at, len);
    return 0;
}

static int on_message_complete(http_parser *p)
{
    struct mc__conn *c = p->data;
    if (c->interim) { /* forget it and parse on */
        c->interim = 0;
        c->nhs = 0;
        c->hdr_in_value = 0;
        mc_buf_reset(&c->hdrs);
        mc_buf_reset(&c->body);
        return 0;
    }
    c->msg_done = 1;
    http_parser_pause(p, 1); /* one response per request: stop here */
    return 0;
}

static const http_parser_settings parser_settings = {
    .on_header_field = on_hfield,
    .on_header_value = on_hvalue,
    .on_headers_complete = on_headers_complete,
    .on_body = on_body,
    .on_message_complete = on_message_complete,
};

/* ---- bookkeeping ---- */

static void record_failure(struct mc__conn *c, const char *check,
                           const char *expected, const char *got)
{
    struct mc__worker *w = c->w;
    uint64_t now = mc__now_ns();
    w->failed++;
    w->failed_by_check[mc_check_kind_of(check)]++;
    if (!w->first_fail_ns)
        w->first_fail_ns = now;
    atomic_store_explicit(&w->progress_failed, w->failed, memory_order_relaxed);
    if (w->nfail >= w->run->o->max_failures)
        return;
    struct mc_load_failure *f = &w->fails[w->nfail++];
    f->t_ms = (double)(now - w->run->start_ns) / 1e6;
    f->request = c->cr->r->id;
    f->section = c->cr->r->section;
    f->seq = c->seq;
    f->conn = c->idx;
    snprintf(f->check, sizeof f->check, "%s", check);
    snprintf(f->expected, sizeof f->expected, "%s", expected);
    snprintf(f->got, sizeof f->got, "%s", got);
}

static void finish_request(struct mc__conn *c)
{
    struct mc__worker *w = c->w;
    c->busy = 0;
    w->in_flight--;
    w->finished++;
    atomic_store_explicit(&w->progress, w->finished, memory_order_relaxed);
}

static int has_work(const struct mc__worker *w)
{
    if (w->sequential)
        return w->list_pos < w->nlist && !atomic_load(&w->run->aborted);
    return !atomic_load_explicit(&w->run->stop, memory_order_relaxed);
}

static void conn_close(struct mc__conn *c)
{
    if (c->fd >= 0)
        close(c->fd); /* also leaves the epoll set */
    c->fd = -1;
    c->state = MC__CLOSED;
    c->want_out = 0;
}

static void conn_reopen(struct mc__conn *c, uint64_t now)
{
    conn_close(c);
    if (has_work(c->w))
        conn_open(c, now);
}

/* The connection broke: a request in flight fails, then reconnect at the
 * next tick (never at once: a server that resets every connection must not
 * turn open -> send -> lost -> open into unbounded recursion). */
static void conn_lost(struct mc__conn *c, const char *got, uint64_t now)
{
    if (c->busy && !c->resp_bytes && c->served && !c->resent) {
        /* A kept-alive connection the server closed as idle just as this
         * request went out (no byte of an answer): resend it once on a new
         * connection, as HTTP clients do. Never on a fresh connection, and
         * a request lost twice is a failure. */
        c->resent = 1;
        c->w->resent++;
        conn_close(c);
        c->state = MC__RETRY;
        c->retry_at = now;
        return;
    }
    if (c->busy) {
        c->w->closed++;
        record_failure(c, "connection closed", "a complete response", got);
        finish_request(c);
    }
    conn_close(c);
    c->state = MC__RETRY;
    c->retry_at = now;
}

static void set_out(struct mc__conn *c, int out)
{
    if (c->want_out == out)
        return;
    struct epoll_event ev = {.events = EPOLLIN | (out ? EPOLLOUT : 0),
                             .data.ptr = c};
    epoll_ctl(c->w->ep, EPOLL_CTL_MOD, c->fd, &ev);
    c->want_out = out;
}

/* ---- connecting ---- */

static void connect_failed(struct mc__conn *c, int err, uint64_t now)
{
    struct mc__worker *w = c->w;
    conn_close(c);
    w->connect_errors++;
    c->state = MC__RETRY;
    c->retry_at = now + MC__RETRY_NS;
    unsigned give_up_ms =
        w->run->o->unreachable_ms ? w->run->o->unreachable_ms : 2000;
    if (now < w->last_ok_ns ||
        now - w->last_ok_ns < (uint64_t)give_up_ms * 1000000ull)
        return;
    char eb[128], msg[256];
    snprintf(msg, sizeof msg, "cannot connect to %s:%u for %u ms: %s",
             w->run->o->host, w->run->o->port, give_up_ms,
             mc__strerror(err, eb, sizeof eb));
    mc__run_abort(w->run, msg);
}

static void conn_open(struct mc__conn *c, uint64_t now)
{
    struct mc__run *run = c->w->run;
    c->fd = socket(run->addr.ss_family,
                   SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (c->fd < 0) {
        connect_failed(c, errno, now);
        return;
    }
    int one = 1;
    c->served = 0;
    setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    int rc = connect(c->fd, (struct sockaddr *)&run->addr, run->addrlen);
    if (rc && errno != EINPROGRESS) {
        connect_failed(c, errno, now);
        return;
    }
    struct epoll_event ev = {.events = EPOLLIN | (rc ? EPOLLOUT : 0),
                             .data.ptr = c};
    if (epoll_ctl(c->w->ep, EPOLL_CTL_ADD, c->fd, &ev)) {
        connect_failed(c, errno, now);
        return;
    }
    c->want_out = rc != 0;
    c->state = rc ? MC__CONNECTING : MC__OPEN;
    c->connect_at = now;
    if (!rc) {
        c->w->last_ok_ns = now;
        conn_next(c, now);
    }
}

static void on_connected(struct mc__conn *c, uint64_t now)
{
    int err = 0;
    socklen_t len = sizeof err;
    if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len) || err) {
        connect_failed(c, err ? err : errno, now);
        return;
    }
    c->state = MC__OPEN;
    c->w->last_ok_ns = now;
    set_out(c, 0);
    conn_next(c, now);
}

/* ---- sending ---- */

static void conn_write(struct mc__conn *c, uint64_t now)
{
    while (c->out_off < c->out_len) {
        ssize_t n = send(c->fd, c->out + c->out_off, c->out_len - c->out_off,
                         MSG_NOSIGNAL);
        if (n > 0) {
            c->out_off += (size_t)n;
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && errno == EAGAIN) {
            set_out(c, 1);
            return;
        }
        char eb[128], got[200];
        snprintf(got, sizeof got, "send failed: %s",
                 mc__strerror(errno, eb, sizeof eb));
        conn_lost(c, got, now);
        return;
    }
    set_out(c, 0);
}

static uint64_t rng_next(uint64_t *s)
{
    uint64_t x = *s;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *s = x;
    return x * 2685821657736338717ull;
}

static const struct mc_request *pick(struct mc__conn *c)
{
    const struct mc_scenario *s = c->w->run->o->scenario;
    if (s->nload == 1)
        return &s->load[0];
    uint64_t r = (rng_next(&c->rng) >> 16) % s->total_weight;
    for (size_t i = 0; i < s->nload; i++) {
        if (r < s->load[i].weight)
            return &s->load[i];
        r -= s->load[i].weight;
    }
    return &s->load[s->nload - 1];
}

/* The next request for this connection, or NULL when there is no more
 * work; sets c->seq. */
static const struct mc_request *next_request(struct mc__conn *c)
{
    struct mc__worker *w = c->w;
    struct mc__run *run = w->run;
    if (w->sequential) {
        if (w->list_pos >= w->nlist || atomic_load(&run->aborted))
            return NULL;
        c->seq = atomic_fetch_add(&run->next_seq, 1);
        return &w->list[w->list_pos++];
    }
    if (atomic_load_explicit(&run->stop, memory_order_relaxed))
        return NULL;
    c->seq = atomic_fetch_add_explicit(&run->next_seq, 1, memory_order_relaxed);
    if (c->seq >= run->seq_end) {
        atomic_store(&run->stop, 1);
        return NULL;
    }
    return pick(c);
}

static void make_token(struct mc__conn *c)
{
    static const char digits[] = "0123456789abcdefghijklmnopqrstuvwxyz";
    char tmp[16];
    size_t n = 0;
    uint64_t v = c->seq;
    do {
        tmp[n++] = digits[v % 36];
        v /= 36;
    } while (v);
    memcpy(c->token, c->w->run->tokpre, 4);
    for (size_t i = 0; i < n; i++)
        c->token[4 + i] = tmp[n - 1 - i];
    c->token_len = 4 + n;
    c->token[c->token_len] = '\0';
}

/* Sends c->out from the start and readies the parser for its answer. */
static void begin_exchange(struct mc__conn *c, uint64_t now)
{
    c->out_off = 0;
    http_parser_init(&c->hp, HTTP_RESPONSE);
    c->hp.data = c;
    c->msg_done = 0;
    c->interim = 0;
    c->resp_bytes = 0;
    c->hdr_in_value = 0;
    c->nhs = 0;
    if (c->body.cap > MC__KEEP_BUF) /* one huge body: do not hoard it */
        mc_buf_free(&c->body);
    mc_buf_reset(&c->body);
    mc_buf_reset(&c->hdrs);
    conn_write(c, now);
}

static void conn_next(struct mc__conn *c, uint64_t now)
{
    if (c->busy) { /* the request to resend (conn_lost) */
        begin_exchange(c, now);
        return;
    }
    const struct mc_request *r = next_request(c);
    if (!r)
        return;
    struct mc__worker *w = c->w;
    c->cr = &w->run->creqs[r->index];
    c->resent = 0;
    make_token(c);
    if (c->cr->pre) {
        c->out = c->cr->pre;
        c->out_len = c->cr->pre_len;
    } else {
        struct mc_tpl_vals v = {c->token, c->token_len, c->seq, c->idx};
        mc__render_request(w->run, r, &v, &c->wbuf, &w->scratch);
        c->out = c->wbuf.data;
        c->out_len = c->wbuf.len;
    }
    c->busy = 1;
    w->in_flight++;
    c->t0 = mc__now_ns(); /* the batch's `now` may be stale by now */
    begin_exchange(c, now);
}

/* ---- receiving ---- */

static void response_view(struct mc__conn *c, struct mc_response_view *v)
{
    struct mc__worker *w = c->w;
    if (c->nhs > w->caphviews) {
        w->caphviews = c->nhs;
        w->hviews = mc_xrealloc(w->hviews, w->caphviews * sizeof *w->hviews);
    }
    for (size_t i = 0; i < c->nhs; i++) {
        const struct mc__hdr_span *s = &c->hs[i];
        w->hviews[i] = (struct mc_header_view){c->hdrs.data + s->name_off,
                                               c->hdrs.data + s->val_off,
                                               s->name_len, s->val_len};
    }
    v->status = c->hp.status_code;
    v->headers = w->hviews;
    v->nheaders = c->nhs;
    mc_buf_reserve(&c->body, 0);
    v->body = c->body.data;
    v->body_len = c->body.len;
}

static void check_and_capture(struct mc__conn *c, size_t extra)
{
    struct mc__worker *w = c->w;
    const struct mc_request *r = c->cr->r;
    struct mc_response_view v;
    response_view(c, &v);
    if (!r->expect_status || v.status == r->expect_status)
        w->store.successes[r->index]++;
    struct mc_tpl_vals vals = {c->token, c->token_len, c->seq, c->idx};
    struct mc_check_fail f;
    if (!mc_check_response(r, &vals, &v, &w->scratch, w->caps, &f)) {
        record_failure(c, f.check, f.expected, f.got);
        return;
    }
    if (extra) {
        char got[100];
        snprintf(got, sizeof got, "%zu unexpected bytes after the response",
                 extra);
        record_failure(c, "protocol", "one response per request", got);
        return;
    }
    for (size_t i = 0; i < r->ncaptures; i++)
        mc_capture_store_add(&w->store, r, (unsigned)i, c->seq, c->idx,
                             v.body + w->caps[i].off, w->caps[i].len);
}

static void complete_response(struct mc__conn *c, size_t extra, int keep,
                              uint64_t now)
{
    struct mc__worker *w = c->w;
    http_parser_pause(&c->hp, 0);
    if (!w->sequential)
        mc__hist_add(&w->hist, mc__now_ns() - c->t0);
    unsigned st = c->hp.status_code;
    w->status[st < 600 ? st : 0]++;
    check_and_capture(c, extra);
    finish_request(c);
    c->served++;
    w->last_ok_ns = now;
    if (keep && !extra)
        conn_next(c, now);
    else
        conn_reopen(c, now);
}

static void feed(struct mc__conn *c, const char *data, size_t n, uint64_t now)
{
    c->resp_bytes += n;
    size_t parsed = http_parser_execute(&c->hp, &parser_settings, data, n);
    if (c->msg_done) {
        complete_response(c, n - parsed, http_should_keep_alive(&c->hp), now);
        return;
    }
    enum http_errno e = HTTP_PARSER_ERRNO(&c->hp);
    if (e == HPE_OK && parsed == n)
        return;
    record_failure(c, "protocol", "a valid HTTP/1.1 response",
                   http_errno_description(e));
    finish_request(c);
    conn_reopen(c, now);
}

static void conn_eof(struct mc__conn *c, uint64_t now)
{
    if (!c->busy) {
        conn_reopen(c, now);
        return;
    }
    /* EOF ends a body delimited by the connection close */
    http_parser_execute(&c->hp, &parser_settings, NULL, 0);
    if (c->msg_done) {
        complete_response(c, 0, 0, now);
        return;
    }
    char got[160];
    snprintf(got, sizeof got,
             "the server closed the connection after %zu response bytes",
             c->resp_bytes);
    conn_lost(c, got, now);
}

static void on_readable(struct mc__conn *c, uint64_t now)
{
    struct mc__worker *w = c->w;
    for (;;) {
        ssize_t n = recv(c->fd, w->rbuf, w->rbuf_size, 0);
        if (n > 0 && c->busy) {
            feed(c, w->rbuf, (size_t)n, now);
            if ((size_t)n < w->rbuf_size || c->state != MC__OPEN || !c->busy)
                return;
            continue;
        }
        if (n > 0) { /* bytes nobody asked for: start afresh */
            conn_reopen(c, now);
            return;
        }
        if (n == 0) {
            conn_eof(c, now);
            return;
        }
        if (errno == EINTR)
            continue;
        if (errno == EAGAIN)
            return;
        char eb[128], got[200];
        snprintf(got, sizeof got, "recv failed: %s",
                 mc__strerror(errno, eb, sizeof eb));
        conn_lost(c, got, now);
        return;
    }
}

static void on_event(struct mc__conn *c, uint32_t events, uint64_t now)
{
    if (c->state == MC__CONNECTING) {
        if (events & (EPOLLOUT | EPOLLERR | EPOLLHUP))
            on_connected(c, now);
        return;
    }
    if (c->state != MC__OPEN)
        return;
    if (events & (EPOLLIN | EPOLLERR | EPOLLHUP)) {
        on_readable(c, now);
        return;
    }
    if ((events & EPOLLOUT) && c->busy)
        conn_write(c, now);
}

/* ---- timers: request timeouts, reconnects, the end of the run ---- */

static void time_out(struct mc__conn *c, const char *why, uint64_t now)
{
    char exp[64], got[200];
    unsigned ms = c->w->run->o->timeout_ms;
    snprintf(exp, sizeof exp, "a response within %u ms", ms);
    snprintf(got, sizeof got, "%s after %.0f ms (%zu response bytes)", why,
             (double)(now > c->t0 ? now - c->t0 : 0) / 1e6, c->resp_bytes);
    c->w->timeouts++;
    record_failure(c, "timeout", exp, got);
    finish_request(c);
    conn_reopen(c, now);
}

static void tick(struct mc__worker *w, uint64_t now)
{
    struct mc__run *run = w->run;
    uint64_t limit = (uint64_t)run->o->timeout_ms * 1000000ull;
    /* after the time bound, in-flight requests get at most 2 s more */
    int over =
        !w->sequential && run->deadline_ns != UINT64_MAX &&
        now > run->deadline_ns + (limit < MC__DRAIN_NS ? limit : MC__DRAIN_NS);
    for (unsigned i = 0; i < w->nconns; i++) {
        struct mc__conn *c = &w->conns[i];
        /* t0 is read fresh at send time: it may be later than `now` */
        if (c->busy && ((now > c->t0 && now - c->t0 > limit) || over))
            time_out(c,
                     over ? "no response by the end of the run"
                          : "no complete response",
                     now);
        else if (c->state == MC__RETRY && now >= c->retry_at &&
                 (c->busy || has_work(w))) /* busy: a resend waits */
            conn_open(c, now);
        else if (c->state == MC__CONNECTING && now > c->connect_at &&
                 now - c->connect_at > limit)
            connect_failed(c, ETIMEDOUT, now);
    }
}

static int worker_done(struct mc__worker *w)
{
    if (atomic_load_explicit(&w->run->aborted, memory_order_relaxed))
        return 1;
    if (w->in_flight)
        return 0;
    if (w->sequential)
        return w->list_pos >= w->nlist;
    return atomic_load_explicit(&w->run->stop, memory_order_relaxed);
}

void mc__worker_init(struct mc__worker *w, struct mc__run *run, unsigned id,
                     int sequential)
{
    const struct mc_load_opts *o = run->o;
    memset(w, 0, sizeof *w);
    w->run = run;
    w->id = id;
    w->sequential = sequential;
    w->ep = -1;
    w->nconns = sequential ? 1
                           : o->connections / run->nthreads +
                                 (id < o->connections % run->nthreads);
    w->conns = mc_xcalloc(w->nconns, sizeof *w->conns);
    for (unsigned i = 0; i < w->nconns; i++) {
        struct mc__conn *c = &w->conns[i];
        c->w = w;
        c->fd = -1;
        c->idx = sequential ? 0 : id + i * run->nthreads;
        c->rng = (run->seed ^ (0x9e3779b97f4a7c15ull * (c->idx + 1))) | 1;
    }
    w->rbuf_size = MC__RBUF;
    w->rbuf = mc_xmalloc(w->rbuf_size);
    size_t maxcaps = 1;
    const struct mc_scenario *s = o->scenario;
    for (size_t i = 0; i < s->nall; i++)
        if (s->all[i]->ncaptures > maxcaps)
            maxcaps = s->all[i]->ncaptures;
    w->caps = mc_xcalloc(maxcaps, sizeof *w->caps);
    w->fails = mc_xcalloc(o->max_failures + 1, sizeof *w->fails);
    mc_capture_store_init(&w->store, s);
    atomic_init(&w->progress, 0);
    atomic_init(&w->progress_failed, 0);
}

void mc__worker_free(struct mc__worker *w)
{
    for (unsigned i = 0; i < w->nconns; i++) {
        struct mc__conn *c = &w->conns[i];
        conn_close(c);
        mc_buf_free(&c->wbuf);
        mc_buf_free(&c->body);
        mc_buf_free(&c->hdrs);
        free(c->hs);
    }
    if (w->ep >= 0)
        close(w->ep);
    free(w->conns);
    free(w->rbuf);
    free(w->caps);
    free(w->hviews);
    free(w->fails);
    mc_buf_free(&w->scratch);
    mc_capture_store_free(&w->store);
}

static void worker_loop(struct mc__worker *w)
{
    struct epoll_event evs[256];
    uint64_t next_tick = mc__now_ns() + MC__TICK_NS;
    while (!worker_done(w)) {
        int n = epoll_wait(w->ep, evs, 256, 10);
        uint64_t now = mc__now_ns();
        for (int i = 0; i < n; i++)
            on_event(evs[i].data.ptr, evs[i].events, now);
        if (!w->sequential && now >= w->run->deadline_ns &&
            !atomic_load_explicit(&w->run->stop, memory_order_relaxed))
            atomic_store(&w->run->stop, 1);
        atomic_int *cancel = w->run->o->cancel;
        if (cancel && atomic_load_explicit(cancel, memory_order_relaxed))
            mc__run_abort(w->run, "cancelled");
        if (now >= next_tick) {
            tick(w, now);
            next_tick = now + MC__TICK_NS;
        }
    }
}

mc_status mc__worker_run(struct mc__worker *w, char *err, size_t errlen)
{
    w->ep = epoll_create1(EPOLL_CLOEXEC);
    if (w->ep < 0) {
        char eb[128];
        snprintf(err, errlen, "epoll_create1: %s",
                 mc__strerror(errno, eb, sizeof eb));
        return MC_ERR_RUNTIME;
    }
    uint64_t now = mc__now_ns();
    w->last_ok_ns = now;
    for (unsigned i = 0; i < w->nconns && has_work(w); i++)
        conn_open(&w->conns[i], now);
    worker_loop(w);
    for (unsigned i = 0; i < w->nconns; i++)
        conn_close(&w->conns[i]);
    if (atomic_load(&w->run->aborted) && w->sequential) {
        pthread_mutex_lock(&w->run->abort_lock);
        snprintf(err, errlen, "%s", w->run->abort_reason);
        pthread_mutex_unlock(&w->run->abort_lock);
        return MC_ERR_RUNTIME;
    }
    return MC_OK;
}
