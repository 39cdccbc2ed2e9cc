/*
 * checks.h — what a check sees (the model) and the one function every
 * finding goes through (mc_report), plus the findings list.
 *
 * Memory: findings and their strings live in findings->arena (released by
 * mc_findings_free). Thread-safety: one findings list per scan, filled by
 * one thread.
 */
#ifndef MC_CHECKS_H
#define MC_CHECKS_H

#include <stdint.h>

#include "../model/model.h"

struct mc_finding {
    const char *check;
    const char *severity;
    struct mc_loc loc;
    const char *function;
    const char *symbol;
    const char *phase;       /* "request", ..., or "none" when unreachable */
    const char *root;        /* root kind ("handler", "directive" ...), or "" */
    const char *root_detail; /* e.g. the directive name, or "" */
    const char **path; /* functions from the root function to `function` */
    size_t npath;
    const char *locks; /* lockset at the site, "" when none */
    const char *message;
    const char *fix;
    const char *suppressed; /* the suppression's reason, or NULL */
};

struct mc_findings {
    MC_VEC(struct mc_finding) v;
    struct mc_arena arena;
};

struct mc_check_ctx {
    struct mc_model *m;
    struct mc_findings *out;
    unsigned long long stack_limit; /* bytes, for large-stack-frame */
};

/* Where a finding is and what reaches it. fn: the function containing the
 * site; ctx_fn: whose phase/root path applies (usually fn); phases: the
 * phases to report (0: the function's own). fn == -1: a finding about the
 * source text itself (unused-suppression), outside any function. */
struct mc_site_ref {
    int fn, ctx_fn;
    unsigned phases;
    struct mc_loc loc;
    uint64_t locks;
};

/* The one report function. Duplicates (same check, file, line, symbol)
 * are dropped. message/fix are copied. */
void mc_report(struct mc_check_ctx *cx, const char *check,
               const struct mc_site_ref *at, const char *symbol,
               const char *message, const char *fix);

void mc_findings_init(struct mc_findings *f);
void mc_findings_free(struct mc_findings *f);
/* Sorts by file, line, column, check. */
void mc_findings_sort(struct mc_findings *f);

/* Runs every check of check_list.h. */
void mc_run_checks(struct mc_check_ctx *cx);

#define MC_CHECK(ident, id, sev, summary) \
    void mc_check_##ident(struct mc_check_ctx *cx);
#include "check_list.h"
#undef MC_CHECK

/* The severity of a check id, or NULL if unknown. */
const char *mc_check_severity(const char *id);

#endif
