/*
 * internal.h — helpers shared by report/'s files (prefix mc__). Not part of
 * the public API. Same contract as mc_report.h: no hidden state, returned
 * json_t * are new references owned by the caller, strings returned as
 * const char * are borrowed from the JSON value they came from.
 */
#ifndef MC_REPORT_INTERNAL_H
#define MC_REPORT_INTERNAL_H

#include <jansson.h>

#include "mc_buf.h"
#include "mc_report.h"

#ifndef MODCERT_VERSION
#define MODCERT_VERSION "0.1.0"
/* model.c: calls fn for each stress document (an object or an array). */
void mc__each_stress_doc(const json_t *stress,
                         void (*fn)(const json_t *doc, void *arg), void *arg);
/* correlate.c: marks static/binary findings confirmed by dynamic evidence
 * (rule in docs/report.md) and fills confirmed_by / confirms / related. */
void mc__correlate(json_t *findings);
/* verdict.c: applies the baseline, sets "suppressions", "policy",
 * "complete" and "verdict" on the report. */
void mc__apply_policy(json_t *report, const struct mc_report_inputs *in,
                      const struct mc_policy *policy);

#endif

/* Borrowed string member, or def when missing / not a string. */
const char *mc__str(const json_t *obj, const char *key, const char *def);
/* Integer member (reals truncated), or def. */
long long mc__int(const json_t *obj, const char *key, long long def);
/* Boolean member, or def. */
int mc__bool(const json_t *obj, const char *key, int def);
/* Appends printf-formatted text to err when err is not NULL. */
void mc__err(struct mc_buf *err, const char *fmt, ...) MC_PRINTF(2, 3);

/* Severity rank: info 0, low 1, medium 2, high 3; -1 if unknown. */
int mc__severity_rank(const char *sev);

/* Knowledge file: TAB-separated lines, '#' comments. Returns an object
 * mapping the first field to an array of the remaining fields. */
mc_status mc__tsv_load(const char *path, json_t **out, struct mc_buf *err);
json_t *mc__tsv_parse(const char *text);
/* A knowledge file embedded at build time (report/data/embed.cmake) by its
 * file name ("mt-unsafe.txt", "libraries.txt"), or NULL. */
const char *mc__kb_text(const char *name);

/* The file name part of a path ("a/b/c.c" -> "c.c"). */
const char *mc__basename(const char *path);
/* Same source file? Equal, or one is a '/'-bounded suffix of the other. */
int mc__same_file(const char *a, const char *b);

/* Escapers for the renderers. */
void mc__html_escape(struct mc_buf *out, const char *s);
void mc__md_escape(struct mc_buf *out, const char *s);

/* "YYYY-MM-DD" of t (UTC) into out[11]; ISO-8601 timestamp into out[21]. */
void mc__date(time_t t, char out[11]);
void mc__timestamp(time_t t, char out[21]);
/* Parses "YYYY-MM-DD" to the UTC midnight after that day (the day the
 * acceptance stops applying); returns 0 on success. */
int mc__parse_expiry(const char *s, time_t *out);

/* Group key of a finding, appended to out: "global NAME", "call NAME",
 * "library NAME" or "FILE:LINE" when there is no symbol. */
void mc__root_cause(const json_t *finding, struct mc_buf *out);

/* Documentation page of a check, relative to the repository root: the
 * analyzer's docs/checks/<id>.md, docs/audit.md#<id> for binary checks,
 * docs/report.md#<id> for dynamic ones. */
void mc__check_doc(struct mc_buf *out, const char *check);
/* One-sentence description of a check id (for rules and tables). */
const char *mc__check_summary(const char *check);

/* model.c: calls fn for each stress document (an object or an array). */
void mc__each_stress_doc(const json_t *stress,
                         void (*fn)(const json_t *doc, void *arg), void *arg);
/* correlate.c: marks static/binary findings confirmed by dynamic evidence
 * (rule in docs/report.md) and fills confirmed_by / confirms / related. */
void mc__correlate(json_t *findings);
/* verdict.c: applies the baseline, sets "suppressions", "policy",
 * "complete" and "verdict" on the report. */
void mc__apply_policy(json_t *report, const struct mc_report_inputs *in,
                      const struct mc_policy *policy);

#endif
