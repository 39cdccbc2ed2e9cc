/*
 * run.h — one stress run: one profile, one stub process, one load.
 *
 * mc_stress_run writes the stub config into its run directory, starts the
 * stub (under valgrind for helgrind/drd), waits until it accepts, drives the
 * scenario through mc_load_run while a watchdog samples the stub's CPU time
 * (no progress for `watchdog` seconds: a deadlock, every thread's stack
 * taken with gdb) and its liveness (an early death is a crash or an exit),
 * stops it, and collects findings from the detector logs, core files, the
 * exit() capture files and the load result.
 *
 * Memory: the run record and findings are new JSON references stored into
 * struct mc_run_out (caller decrefs). Thread-safety: one run per thread;
 * it starts and joins one load thread of its own.
 */
#ifndef MC_STRESS_RUN_H
#define MC_STRESS_RUN_H

#include <jansson.h>

#include "../detectors/detector.h"
#include "module.h"
#include "scenario.h"
#include "stress.h"

struct mc_run_in {
    const struct mc_stress_opts *o;
    const char *profile;
    const char *rundir;
    const char *stub;     /* host executable */
    const char *crashcap; /* LD_PRELOAD library, or NULL */
    const struct mc_module *module;
    const struct mc_det_ctx *ctx;
    const struct mc_scenario *scenario;
    const char *snippet; /* config text after LoadModule */
};

struct mc_run_out {
    json_t *run;      /* {"profile", "requests", "seconds", "complete", ...} */
    json_t *findings; /* array */
    int complete;
    char note[512]; /* why incomplete */
};

void mc_stress_run(const struct mc_run_in *in, struct mc_run_out *out);

#endif
