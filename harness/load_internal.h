/*
 * load_internal.h — shared between load.c (run, phases, results) and
 * worker.c (the epoll event loop of one load thread). Not a public API.
 *
 * Ownership and threads: struct mc__run is written by mc_load_run before the
 * workers start and only read by them afterwards, except the atomics and
 * abort_reason (guarded by abort_lock). Each struct mc__worker and its
 * connections belong to one thread; the main thread reads a worker's
 * results only after joining it (progress counters are atomics).
 */
#ifndef MC_LOAD_INTERNAL_H
#define MC_LOAD_INTERNAL_H

#include <http_parser.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sys/socket.h>

#include "load.h"

#define MC__HIST_N (64 + 58 * 32)

struct mc__hist {
    uint64_t n, sum, max;
    uint64_t b[MC__HIST_N];
};

void mc__hist_add(struct mc__hist *h, uint64_t v);
void mc__hist_merge(struct mc__hist *dst, const struct mc__hist *src);
uint64_t mc__hist_pct(const struct mc__hist *h, double q);

/* A scenario request prepared for sending. */
struct mc__creq {
    const struct mc_request *r;
    char *pre; /* the whole request when it has no templates, else NULL */
    size_t pre_len;
    int head;            /* HEAD: the response has no body */
    int collect_headers; /* some header expectation exists */
};

struct mc__run {
    const struct mc_load_opts *o;
    struct sockaddr_storage addr;
    socklen_t addrlen;
    struct mc__creq *creqs; /* [scenario->nall] */
    uint64_t seed;
    unsigned nthreads; /* min(threads, connections) */
    char tokpre[8];    /* token prefix, from the seed */
    char host_header_buf[300];
    const char *host_header;
    uint64_t start_ns;    /* mc_load_run began */
    uint64_t deadline_ns; /* load phase end (written before workers start) */
    uint64_t seq_end;     /* first seq the load phase may not use */
    _Atomic uint64_t next_seq;
    _Atomic int stop;           /* no new load requests */
    _Atomic int aborted;        /* the run is cut short */
    _Atomic int running;        /* workers still running */
    pthread_mutex_t abort_lock; /* guards abort_reason */
    char abort_reason[256];
};

void mc__run_abort(struct mc__run *run, const char *reason);

struct mc__hdr_span {
    size_t name_off, name_len, val_off, val_len;
};

enum mc__conn_state {
    MC__CLOSED,     /* no socket; open when there is work */
    MC__CONNECTING, /* non-blocking connect in progress */
    MC__OPEN,       /* connected */
    MC__RETRY       /* connect failed; retry at retry_at */
};

struct mc__worker;

struct mc__conn {
    struct mc__worker *w;
    int fd;
    unsigned idx; /* {conn} */
    enum mc__conn_state state;
    int busy;        /* a request is in flight */
    int resent;      /* it was resent once after a kept-alive close */
    unsigned served; /* responses completed on this socket */
    int want_out;    /* EPOLLOUT registered */
    http_parser hp;
    const struct mc__creq *cr;
    uint64_t seq;
    char token[40];
    size_t token_len;
    uint64_t t0, retry_at, connect_at;
    const char *out;
    size_t out_len, out_off;
    size_t resp_bytes; /* bytes of the current response so far */
    int msg_done;
    int interim;      /* parsing a 1xx interim response */
    int hdr_in_value; /* header callbacks: last one was a value */
    struct mc_buf wbuf, body, hdrs;
    struct mc__hdr_span *hs;
    size_t nhs, caphs;
    uint64_t rng;
};

struct mc__worker {
    struct mc__run *run;
    unsigned id;
    pthread_t thread;
    int ep;
    struct mc__conn *conns;
    unsigned nconns;
    unsigned in_flight;
    char *rbuf;
    size_t rbuf_size;
    struct mc_buf scratch;
    struct mc_span *caps;
    struct mc_header_view *hviews;
    size_t caphviews;
    struct mc_capture_store store;
    struct mc__hist hist;
    uint64_t status[600];
    uint64_t finished, failed, timeouts, closed, connect_errors, resent;
    uint64_t failed_by_check[MC_CHECK_KINDS];
    uint64_t last_ok_ns;
    uint64_t first_fail_ns; /* 0: none yet */
    struct mc_load_failure *fails;
    size_t nfail;
    /* sequential mode (setup, final): these requests in order, one conn */
    int sequential;
    const struct mc_request *list;
    size_t nlist, list_pos;
    _Atomic uint64_t progress, progress_failed;
};

void mc__worker_init(struct mc__worker *w, struct mc__run *run, unsigned id,
                     int sequential);
mc_status mc__worker_run(struct mc__worker *w, char *err, size_t errlen);
void mc__worker_free(struct mc__worker *w);

void mc__render_request(const struct mc__run *run, const struct mc_request *r,
                        const struct mc_tpl_vals *v, struct mc_buf *out,
                        struct mc_buf *scratch);
uint64_t mc__now_ns(void);
const char *mc__strerror(int e, char *buf, size_t len);

#endif
