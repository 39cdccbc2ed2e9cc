/*
 * suppress.h — stress suppression files: accepted findings, each with its
 * reason (docs/stress.md).
 *
 *   # comment
 *   KIND:PATTERN  REASON...
 *
 * KIND is a finding kind (race, failed-check, crash, deadlock, exit,
 * timeout) or '*'; PATTERN is a glob (fnmatch) matched against the
 * finding's symbol, function, file base name, "file:line", check,
 * and every
 * frame's function and "file:line". REASON is required. A matching finding
 * moves to the report's "suppressed" array with {"pattern", "reason",
 * "source"}; the report's "suppressions" lists every entry with the number
 * of findings it matched (0: stale).
 *
 * Memory: findings are shared references added to `kept` or `suppressed`.
 * Thread-safety: none needed.
 */
#ifndef MC_STRESS_SUPPRESS_H
#define MC_STRESS_SUPPRESS_H

#include <jansson.h>

/* Splits `findings` into kept and suppressed by the file at `path` (NULL:
 * keep all). Sets report["suppressions"]; a malformed entry is reported in
 * report["suppression_errors"] and ignored. */
void mc_stress_suppress_apply(const char *path, json_t *findings, json_t *kept,
                              json_t *suppressed, json_t *report);

#endif
