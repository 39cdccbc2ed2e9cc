/*
 * load.h — the load client: N concurrent keep-alive HTTP/1.1 connections to
 * one server, driven by a few threads with epoll, bounded by a number of
 * requests AND a number of seconds, checking every response against a
 * scenario (scenario.h), recording latency and status counts, and
 * evaluating the scenario's relations after the run.
 *
 * A run: the scenario's `setup` requests in order on one connection, then
 * the load phase, then the `final` requests in order on one connection.
 * Sequence numbers ({seq}) count across all three phases from 0.
 *
 * Memory: mc_load_run fills a caller-provided struct mc_load_result whose
 * arrays it allocates; mc_load_result_free releases them. The scenario is
 * only read and must outlive the call.
 *
 * Thread-safety: mc_load_run may be called from any thread; concurrent runs
 * share nothing. It starts and joins its own worker threads, and writes a
 * progress line on stderr only when asked to and stderr is a terminal.
 */
#ifndef MC_LOAD_H
#define MC_LOAD_H

#include <jansson.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>

#include "mc_common.h"
#include "scenario.h"

struct mc_load_opts {
    const char *host;        /* numeric address or name; "127.0.0.1" */
    unsigned port;           /* required */
    const char *host_header; /* NULL: "host:port" */
    const struct mc_scenario *scenario; /* required */
    unsigned connections;               /* 16 */
    unsigned threads;                   /* 2 (at most connections) */
    uint64_t requests;                  /* load-phase bound; 0: seconds only */
    double seconds;                     /* load-phase bound; 0: requests only */
    unsigned timeout_ms;                /* per request; 10000 */
    uint64_t seed;           /* tokens and request mix; 0: from the clock */
    int progress;            /* progress line on stderr if it is a tty */
    size_t max_failures;     /* failures described in detail; 100 */
    unsigned unreachable_ms; /* give up (incomplete) when no connection
                                succeeds for this long; 2000 */
    atomic_int *cancel;      /* optional: set nonzero (from any thread or a
                           signal handler) to cut the run short */
};

void mc_load_opts_init(struct mc_load_opts *o);

/* One failed request: its first failed check. */
struct mc_load_failure {
    const char *request; /* request id (scenario-owned) */
    const char *section; /* "setup", "load", "final" */
    uint64_t seq;
    unsigned conn;
    char check[64]; /* "status", "header X", "body", "body_contains",
                       "capture NAME", "connection closed", "timeout",
                       "protocol" */
    char expected[MC_CHECK_TEXT];
    char got[MC_CHECK_TEXT];
    double t_ms; /* when it was detected, since the run started */
};

/* Failed requests counted by the kind of their first failed check. */
enum mc_check_kind {
    MC_CHECK_STATUS,
    MC_CHECK_HEADER,
    MC_CHECK_BODY,
    MC_CHECK_BODY_CONTAINS,
    MC_CHECK_CAPTURE,
    MC_CHECK_CLOSED,
    MC_CHECK_TIMEOUT,
    MC_CHECK_PROTOCOL,
    MC_CHECK_KINDS
};

/* "status", "header", "body", "body_contains", "capture",
 * "connection closed", "timeout", "protocol". */
const char *mc_check_kind_name(enum mc_check_kind k);
enum mc_check_kind mc_check_kind_of(const char *check);

struct mc_latency {
    double p50_ms, p90_ms, p99_ms, max_ms, mean_ms;
};

struct mc_load_result {
    uint64_t seed;
    uint64_t requests; /* load-phase requests finished (answered or not) */
    uint64_t setup_requests, final_requests;
    double seconds; /* load-phase wall time */
    double rps;     /* requests / seconds */
    int complete;   /* 0: the run was cut short (see incomplete_reason) */
    char incomplete_reason[256];
    struct mc_latency latency; /* load phase, answered requests */
    uint64_t status[600];      /* load phase, by status code */
    uint64_t failed;           /* requests with a failed check (all) */
    double first_failure_ms;   /* since the run started; -1: none */
    uint64_t timeouts, closed; /* subsets of failed */
    uint64_t resent; /* requests resent once after an idle keep-alive close */
    uint64_t failed_by_check[MC_CHECK_KINDS];
    uint64_t connect_errors;          /* failed connection attempts */
    struct mc_load_failure *failures; /* the first max_failures, in time
                                         order */
    size_t nfailures;
    struct mc_relation_result *relations; /* scenario->nrelations */
    size_t nrelations;
    size_t relations_failed;
};

/* Runs the scenario. Returns MC_OK when the run happened (check
 * res->failed, res->relations_failed and res->complete), or an error with a
 * message in err when it could not start (bad options, server not
 * reachable). res is always initialised; free it with mc_load_result_free. */
mc_status mc_load_run(const struct mc_load_opts *o, struct mc_load_result *res,
                      char *err, size_t errlen) MC_WARN_UNUSED;
void mc_load_result_free(struct mc_load_result *res);

/* 0 all checks and relations held, 1 some failed, 2 incomplete run. */
int mc_load_exit_status(const struct mc_load_result *res);

/* The result as JSON (new reference); see docs/scenario.md. */
json_t *mc_load_result_json(const struct mc_load_result *res,
                            const struct mc_load_opts *o);
/* Human summary, listing the first `show` failures. */
void mc_load_print_summary(FILE *out, const struct mc_load_result *res,
                           const struct mc_load_opts *o, size_t show);

/* `modcert load` (cli/commands.h). */
int mc_cmd_load(int argc, char **argv);

#endif
