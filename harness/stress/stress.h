/*
 * stress.h — `modcert stress` and `modcert repro`: serve a module in
 * modcert-stub under a race detector (tsan, helgrind, drd or none), drive
 * checked load at it through mc_load_run (harness/load.h), capture races,
 * failed checks, crashes, exit() calls, deadlocks and timeouts as findings,
 * and write them as one JSON document (docs/stress.md).
 *
 * A stress session is one or two runs (two with `differential`: prefork,
 * then the threaded profile). Each run has its own directory under the
 * session's work directory holding the stub config, the stub's output and
 * the detector logs.
 *
 * Memory: mc_stress_session returns a new JSON reference (the report) that
 * the caller releases with json_decref. Options are only read.
 *
 * Thread-safety: one session per process at a time (it forks the stub and
 * waits for its own children by pid); the cancel flag may be set from a
 * signal handler or another thread.
 */
#ifndef MC_STRESS_H
#define MC_STRESS_H

#include <jansson.h>
#include <stdatomic.h>
#include <stdint.h>

#include "mc_common.h"

struct mc_stress_opts {
    const char *module;       /* .so, .c, or a directory of .c files */
    const char *config;       /* httpd.conf snippet file, or NULL */
    const char *scenario;     /* scenario file, or NULL (GET / + token) */
    const char *profile;      /* winnt (default), worker, prefork */
    unsigned threads;         /* per process; 0: 16 */
    unsigned processes;       /* 0: stub default */
    const char *detector;     /* tsan (default), helgrind, drd, none */
    uint64_t requests;        /* load bound; 0 with seconds: time only */
    double seconds;           /* load bound */
    uint64_t seed;            /* load mix and perturbation */
    double perturb;           /* stub perturbation probability, 0: off */
    int differential;         /* prefork, then the threaded profile */
    const char *handler;      /* SetHandler name without --config */
    const char *suppressions; /* suppression file, or NULL */
    const char *workdir;      /* NULL: a fresh directory under $TMPDIR */
    int keep;                 /* keep the work directory */
    unsigned connections;     /* 0: 2 x threads, at most 64 */
    double watchdog;          /* no CPU progress for this long: deadlock */
    unsigned long stack;      /* ThreadStackSize for the stub, 0: default */
    const char *cflags;       /* extra compiler flags for sources */
    int quiet;                /* no progress notes on stderr */
    atomic_int *cancel;       /* optional: cut the session short */
};

void mc_stress_opts_init(struct mc_stress_opts *o);

/* Runs a session and returns the report (never NULL) and, in *exit_status,
 * 0 (no finding), 1 (findings) or 2 (incomplete). */
json_t *mc_stress_session(const struct mc_stress_opts *o, int *exit_status);

/* Report from the parameters recorded in a previous report ("parameters"
 * member), for `modcert repro`; returns MC_OK or an error in err. */
mc_status mc_stress_opts_from_json(const json_t *params,
                                   struct mc_stress_opts *o, char *err,
                                   size_t errlen) MC_WARN_UNUSED;

/* Whether `found` (a finding) is the same failure as `want`: same kind and,
 * where known, the same module line (either access for races), symbol,
 * or check. */
int mc_stress_same_failure(const json_t *want, const json_t *found);

int mc_cmd_stress(int argc, char **argv);
int mc_cmd_repro(int argc, char **argv);

#endif
