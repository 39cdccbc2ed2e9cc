/*
 * mc_report.h — report/: the one JSON report model, its renderers, the
 * binary audit lens and signed certificates. `modcert certify` is a thin
 * layer over this header: run the lenses, hand their JSON documents to
 * mc_report_merge(), write the renderings with mc_report_write_all(), sign
 * with mc_cert_sign().
 *
 * Memory: every json_t * returned is a new reference owned by the caller
 * (json_decref). Documents passed in are borrowed and never modified. Text
 * renderings are appended to a caller-owned struct mc_buf.
 *
 * Errors: functions return an mc_status; on failure a message naming the bad
 * input is appended to `err` (when err is not NULL) and nothing is written.
 *
 * Thread-safety: no function here keeps hidden state; distinct arguments may
 * be used from distinct threads (libsodium is initialised with
 * sodium_init(), which is itself thread-safe).
 *
 * The report format is documented in docs/report.md (schema
 * "modcert-report/1", JSON Schema in docs/report-schema.json); policies and
 * baselines in docs/report.md too; certificates in docs/certificate.md; the
 * binary audit in docs/audit.md.
 */
#ifndef MC_REPORT_H
#define MC_REPORT_H

#include <time.h>

#include <jansson.h>

#include "mc_buf.h"
#include "mc_common.h"

#define MC_REPORT_SCHEMA "modcert-report/1"
#define MC_POLICY_SCHEMA "modcert-policy/1"
#define MC_BASELINE_SCHEMA "modcert-baseline/1"
#define MC_AUDIT_SCHEMA "modcert-audit/1"
#define MC_CERT_SCHEMA "modcert-certificate/1"

/* ---- binary audit (audit.c) ------------------------------------------ */

/* Where the knowledge files live. NULL fields mean the built-in defaults
 * (the source tree's analyzer/data and report/data, see report/CMakeLists). */
struct mc_audit_options {
    const char *mt_unsafe_file; /* MT-unsafe functions list */
    const char *libraries_file; /* libraries with thread-safety caveats */
};

/* Audits the ELF shared object at `so_path` and returns an audit document
 * ({"schema": "modcert-audit/1", "module": ..., "findings": [...], ...}). */
mc_status mc_audit_module(const char *so_path,
                          const struct mc_audit_options *opt, json_t **out,
                          struct mc_buf *err) MC_WARN_UNUSED;

/* Clang-style text rendering of an audit document. */
void mc_audit_render_text(const json_t *audit, struct mc_buf *out);

/* ---- policy and baseline (policy.c) ------------------------------------ */

struct mc_policy {
    json_t *doc;         /* the policy file as read (defaults filled in) */
    json_t *accepted;    /* array of baseline entries (may be empty) */
    char *baseline_path; /* resolved path of the baseline file, or NULL */
    time_t now;          /* "today" for expiry checks; set by the loader */
};

/* The built-in policy: all lenses, fail on any confirmed finding or any
 * finding of severity "medium" or above, on an incomplete run and on a
 * missing required lens. */
void mc_policy_default(struct mc_policy *p, time_t now);
/* Reads a policy file; a "baseline" path in it is resolved relative to the
 * policy file's directory and loaded too. */
mc_status mc_policy_load(const char *path, time_t now, struct mc_policy *p,
                         struct mc_buf *err) MC_WARN_UNUSED;
/* Adds the accepted findings of a baseline file (on top of the policy's). */
mc_status mc_policy_add_baseline(struct mc_policy *p, const char *path,
                                 struct mc_buf *err) MC_WARN_UNUSED;
void mc_policy_free(struct mc_policy *p);

/* Builds a baseline document accepting every unsuppressed finding of
 * `report` until `expires` ("YYYY-MM-DD"), with `reason`. */
json_t *mc_baseline_from_report(const json_t *report, const char *reason,
                                const char *expires);

/* Stable fingerprint of a finding: 16 hex digits of SHA-256 over
 * check, file base name, function and symbol (not line numbers). */
void mc_finding_fingerprint(const json_t *finding, char out[17]);

/* ---- the report model (model.c) ---------------------------------------- */

/* Which lens ran and how; -1 / NULL where unknown. A lens that was not
 * attempted has doc NULL and exit_status -1; one that was started but left
 * no document (crashed, killed) has doc NULL and its exit status (or 2): it
 * makes the report incomplete. */
struct mc_lens_run {
    const json_t *doc; /* the lens's JSON output, or NULL */
    int exit_status;   /* the lens process's exit status (2 = incomplete) */
    double seconds;    /* wall time of the lens, < 0 if unknown */
    const char *note;  /* why it did not run / was cut short, or NULL */
};

struct mc_report_inputs {
    const char *module_name;    /* NULL: derived from so_path / audit / scan */
    const char *so_path;        /* the module .so, or NULL (source only) */
    const char *const *sources; /* module source files, hashed; may be NULL */
    size_t nsources;
    const char *source_root;  /* where relative finding paths resolve */
    const char *tool_version; /* NULL: this library's version */
    struct mc_lens_run scan;  /* `modcert scan --format json` output */
    struct mc_lens_run audit; /* mc_audit_module() output */
    /* `modcert stress --json` output: one document, or a JSON array of
     * documents (one per profile / the differential pair). */
    struct mc_lens_run stress;
    int interrupted; /* SIGINT or similar cut the run short */
};

/* Merges the lens documents into a "modcert-report/1" document: normalises
 * findings, correlates static with dynamic evidence, applies the policy's
 * baseline and suppressions, and decides the verdict. */
mc_status mc_report_merge(const struct mc_report_inputs *in,
                          const struct mc_policy *policy, json_t **out,
                          struct mc_buf *err) MC_WARN_UNUSED;

/* Checks that `report` has the structure docs/report.md describes (the
 * fields renderers and verify rely on). */
mc_status mc_report_check(const json_t *report,
                          struct mc_buf *err) MC_WARN_UNUSED;

/* Exit status for a report: 0 certified, 1 not certified, 2 incomplete. */
int mc_report_exit_status(const json_t *report);

/* Canonical JSON (sorted keys, no whitespace, UTF-8) and its SHA-256. */
char *mc_json_canonical(const json_t *doc); /* malloc'ed; caller frees */
void mc_json_digest(const json_t *doc, char hex[65]);

/* ---- renderings (sarif.c, markdown.c, html.c, render.c) ---------------- */

enum mc_format {
    MC_FMT_JSON,
    MC_FMT_SARIF,
    MC_FMT_MD,
    MC_FMT_HTML,
    MC_FMT_TEXT
};

mc_status mc_format_parse(const char *name, enum mc_format *out);
/* Renders report into out. HTML reads source files for excerpts, resolving
 * relative paths against the report's module.source_root. */
mc_status mc_report_render(const json_t *report, enum mc_format fmt,
                           struct mc_buf *out,
                           struct mc_buf *err) MC_WARN_UNUSED;
void mc_render_sarif(const json_t *report, struct mc_buf *out);
void mc_render_markdown(const json_t *report, struct mc_buf *out);
void mc_render_html(const json_t *report, struct mc_buf *out);
void mc_render_text(const json_t *report, struct mc_buf *out);

/* Writes `report` rendered as fmt to path, atomically. */
mc_status mc_report_write(const json_t *report, enum mc_format fmt,
                          const char *path, struct mc_buf *err) MC_WARN_UNUSED;
/* Writes report.json, report.sarif, report.md and report.html into dir
 * (created if needed), each atomically. */
mc_status mc_report_write_all(const json_t *report, const char *dir,
                              struct mc_buf *err) MC_WARN_UNUSED;

/* ---- certificates (certificate.c) -------------------------------------- */

/* Writes a new Ed25519 key pair: secret key at prefix (mode 0600), public
 * key at prefix.pub. */
mc_status mc_cert_keygen(const char *prefix, struct mc_buf *err) MC_WARN_UNUSED;

/* Signs `report` with the secret key file: returns the certificate
 * document binding the report's canonical digest, the module's sha256 and
 * the verdict. */
mc_status mc_cert_sign(const json_t *report, const char *secret_key_path,
                       json_t **cert, struct mc_buf *err) MC_WARN_UNUSED;

/* mc_cert_sign() and an atomic write of the certificate to cert_path. */
mc_status mc_cert_write(const json_t *report, const char *secret_key_path,
                        const char *cert_path,
                        struct mc_buf *err) MC_WARN_UNUSED;

enum mc_cert_result {
    MC_CERT_VALID = 0,
    MC_CERT_MALFORMED,       /* not a certificate, or a field is missing */
    MC_CERT_WRONG_KEY,       /* signed by another key than the one given */
    MC_CERT_BAD_SIGNATURE,   /* the certificate was changed after signing */
    MC_CERT_MODULE_MISMATCH, /* the .so is not the one certified */
    MC_CERT_REPORT_MISMATCH, /* the report given is not the one signed */
    MC_CERT_NOT_CERTIFIED,   /* genuine, but the verdict is a failure */
    MC_CERT_IO               /* a file could not be read */
};

/* Verifies a certificate file against a module .so and a public key file
 * (and, if report_path is not NULL, the report it was signed over). The
 * precise reason is appended to `why`. */
enum mc_cert_result mc_cert_verify(const char *cert_path, const char *so_path,
                                   const char *pubkey_path,
                                   const char *report_path, struct mc_buf *why);

/* ---- subcommands (cmd.c) ----------------------------------------------- */

int mc_cmd_audit(int argc, char **argv);
int mc_cmd_report(int argc, char **argv);
int mc_cmd_keygen(int argc, char **argv);
int mc_cmd_verify(int argc, char **argv);
/* certify.c: `modcert certify` (docs/certify.md). */
int mc_cmd_certify(int argc, char **argv);

#endif
