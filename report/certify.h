/*
 * certify.h — internals of `modcert certify` (certify.c, certify_run.c):
 * running one lens as a subprocess of the modcert executable itself under a
 * time limit and a stop flag, and building a module .so from its sources
 * with apxs' flags. Not part of the public API (prefix mc__).
 *
 * Memory: strings returned are malloc'ed and owned by the caller.
 *
 * Thread-safety: these functions fork and wait for their own children by
 * pid; use them from one thread at a time (certify is single-threaded).
 * The stop flag may be set from a signal handler.
 */
#ifndef MC_REPORT_CERTIFY_H
#define MC_REPORT_CERTIFY_H

#include <signal.h>
#include <stddef.h>

#include "mc_buf.h"
#include "mc_common.h"

/* How one lens subprocess ended. */
struct mc__proc_result {
    int exit_status; /* its exit status, or 2 when it did not exit */
    int signal;      /* the signal that ended it, or 0 */
    int timed_out;   /* killed after its time limit */
    int stopped;     /* killed because the stop flag was set */
    double seconds;  /* wall time */
    int started;     /* fork and exec succeeded */
};

/* Runs `argv` (argv[0] is the program; NULL-terminated) in its own process
 * group with stdin from /dev/null and stdout and stderr appended to
 * log_path. When `limit` seconds pass or *stop becomes non-zero it sends
 * `soft_sig` to the process, waits up to `grace` seconds for it to exit (so
 * a lens can write its partial report) and then SIGKILLs its process group.
 * Returns MC_OK when the process was started (see *r for how it ended). */
mc_status mc__proc_run(char *const argv[], const char *log_path, double limit,
                       double grace, int soft_sig, volatile sig_atomic_t *stop,
                       struct mc__proc_result *r,
                       struct mc_buf *err) MC_WARN_UNUSED;

/* The running executable's path (/proc/self/exe); malloc'ed, or NULL. */
char *mc__self_exe(void);

/* Compiles sources into the shared object `out_so` with the flags apxs
 * reports (CFLAGS, CPPFLAGS, EXTRA_CPPFLAGS, EXTRA_INCLUDES; $APXS or apxs)
 * and $MODCERT_CC, else clang-19, else cc. The compiler's output goes to
 * log_path. */
mc_status mc__build_module(const char *const *sources, size_t nsources,
                           const char *out_so, const char *log_path,
                           volatile sig_atomic_t *stop,
                           struct mc_buf *err) MC_WARN_UNUSED;

#endif
