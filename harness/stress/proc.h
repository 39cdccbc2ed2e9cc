/*
 * proc.h — the stub process of one stress run: start it (own process
 * group, output to a file, environment additions, core dumps enabled when
 * asked), watch it (alive? CPU time of its process tree), stop it (SIGTERM,
 * then SIGKILL to its process group after a grace period), and capture the
 * stacks of every thread of a live process with gdb.
 *
 * Memory: strings returned are malloc'ed (caller frees). Thread-safety: one
 * struct mc_proc per thread; nothing shared.
 */
#ifndef MC_STRESS_PROC_H
#define MC_STRESS_PROC_H

#include <sys/types.h>

#include "mc_common.h"

struct mc_proc {
    pid_t pid;
    int exited;     /* reaped */
    int status;     /* waitpid status once exited */
    double exit_at; /* monotonic seconds when it was reaped */
};

double mc_now(void); /* monotonic seconds */

/* Starts argv[0] (a path) with cwd `dir`, stdout+stderr to `out`, `env`
 * ("NAME=value" strings, NULL-terminated, may be NULL) added to the
 * environment, in its own process group; core dumps on when `cores`. */
mc_status mc_proc_start(struct mc_proc *p, char *const argv[], const char *dir,
                        const char *out, const char *const env[], int cores,
                        char *err, size_t errlen) MC_WARN_UNUSED;

/* Reaps it if it has exited; returns 1 while it runs. */
int mc_proc_alive(struct mc_proc *p);

/* SIGTERM, wait up to grace seconds, then SIGKILL to the process group.
 * Returns 1 when SIGKILL was needed. */
int mc_proc_stop(struct mc_proc *p, double grace);

/* Total CPU ticks (user+system) of pid and its descendants. */
unsigned long long mc_proc_tree_cpu(pid_t pid);

/* The pids of pid's process tree (pid first); returns the count. */
size_t mc_proc_tree(pid_t pid, pid_t *out, size_t max);

/* Runs argv to completion with a time limit, capturing stdout+stderr;
 * returns the exit status (-1 could not run / killed at the limit). */
int mc_run_capture(char *const argv[], double limit, char **output);

/* gdb -p PID -batch 'thread apply all bt'; malloc'ed text or NULL. */
char *mc_gdb_all_stacks(pid_t pid, double limit);
/* gdb -batch EXE CORE 'bt'; malloc'ed text or NULL. */
char *mc_gdb_core_stack(const char *exe, const char *core, double limit);

#endif
