/*
 * suppress.h — inline suppressions: a C comment that starts on the
 * finding's line or on the line before it and reads
 *     modcert: ignore <check-id>[, <check-id>]: <reason>
 * (the comment opener must be on the same line as the text). A suppression without a
 * reason, or naming an unknown check, is an input error; one that matches
 * no finding is reported as `unused-suppression`.
 *
 * Memory: suppressions live in the given arena. Not thread-safe.
 */
#ifndef MC_SUPPRESS_H
#define MC_SUPPRESS_H

#include "checks/checks.h"
#include "mc_buf.h"

struct mc_suppression {
    const char *file;
    unsigned line, col;
    const char *check;
    const char *reason;
    int used;
};

struct mc_suppressions {
    MC_VEC(struct mc_suppression) v;
};

/* Scans one source file's text; malformed suppressions are appended to
 * errors as "file:line:col: message" lines. Returns how many were bad. */
int mc_suppress_scan(struct mc_suppressions *s, struct mc_arena *a,
                     const char *file, const char *text, struct mc_buf *errors);
/* Marks matching findings suppressed, then reports unused suppressions. */
void mc_suppress_apply(struct mc_suppressions *s, struct mc_check_ctx *cx);
void mc_suppress_free(struct mc_suppressions *s);

#endif
