/*
 * detector.h — turn race-detector and crash output into stress findings.
 *
 * Parsers read one log and append findings (JSON objects, the shape of
 * docs/stress.md) to an array:
 *   - mc_tsan_parse: a ThreadSanitizer text log (TSAN_OPTIONS log_path):
 *     data races, lock-order inversions (kind "deadlock"), SEGV and other
 *     deadly signals (kind "crash"), other TSan warnings (kind "race").
 *   - mc_valgrind_parse: a valgrind --xml=yes file of helgrind or drd
 *     (races, lock-order errors, fatal signals), parsed with expat.
 *   - mc_gdb_parse_stacks: `thread apply all bt` / `bt` output of gdb, as
 *     an array of stacks.
 * Each stack is {"thread","access","hook","previous","frames":[{function,
 * file,line,module}]} (innermost frame first).
 *
 * mc_det_finish fills a finding's derived members from its stacks: `file`,
 * `line` and `function` of the innermost module frame, each stack's `hook`,
 * and `in_module` (some frame of some stack is in the module).
 *
 * Memory: findings are new JSON references owned by the array. The context
 * is only read. Thread-safety: no shared state; any thread.
 */
#ifndef MC_DETECTOR_H
#define MC_DETECTOR_H

#include <jansson.h>

#include "mc_common.h"

struct mc_det_ctx {
    const char *module_so;      /* the loaded module .so (any path) */
    const char *const *sources; /* the module's source files, or NULL */
    size_t nsources;
    const char *const *moduleish; /* extra .so base names counting as the
                                     module (e.g. its .tsan twin) */
    size_t nmoduleish;
    const char *const *functions; /* functions the module .so defines
                                     (nm), sorted, or NULL */
    size_t nfunctions;
};

mc_status mc_tsan_parse(const char *path, const struct mc_det_ctx *ctx,
                        json_t *findings, char *err,
                        size_t errlen) MC_WARN_UNUSED;
mc_status mc_tsan_parse_text(const char *text, const struct mc_det_ctx *ctx,
                             json_t *findings);

mc_status mc_valgrind_parse(const char *path, const struct mc_det_ctx *ctx,
                            json_t *findings, char *err,
                            size_t errlen) MC_WARN_UNUSED;

/* valgrind's text log (--log-file): a fatal signal and its stack, as a
 * crash finding, unless `findings` already holds a crash. */
void mc_valgrind_parse_log(const char *path, const struct mc_det_ctx *ctx,
                           const char *detector, json_t *findings);

/* gdb backtraces: "Thread N (...):" headers and "#K ..." frames. Returns a
 * new array of stacks (one per thread, or one when there is no header). */
json_t *mc_gdb_parse_stacks(const char *text);

/* A frame object; any argument may be NULL / 0. */
json_t *mc_det_frame(const char *function, const char *file, long line,
                     const char *module);
/* Whether a frame belongs to the module under test. */
int mc_det_frame_in_module(const json_t *frame, const struct mc_det_ctx *ctx);
/* The hook a stack's thread was in ("handler", "fixups", "filter"...), or
 * NULL. */
const char *mc_det_hook_of(const json_t *frames);
void mc_det_finish(json_t *finding, const struct mc_det_ctx *ctx);

/* A new finding of `kind` with empty stacks. */
json_t *mc_det_finding(const char *kind, const char *detector);

#endif
