/*
 * cmd.c — the subcommands report/ owns: audit, report, keygen, verify.
 * Argument parsing only; the work is in the library (mc_report.h).
 * Options are "--name VALUE" or "--name=VALUE" (no getopt: it keeps its
 * state in globals, one of the calls we flag).
 */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mc_file.h"

#define MAX_SOURCES 256

struct args {
    int argc, i;
    char **argv;
    const char *prog;
};

/* Matches option `name` at the current position; sets *val for valued
 * options. Returns 1 if matched, -1 on a missing value, 0 otherwise. */
static int opt(struct args *a, const char *name, const char **val)
{
    const char *s = a->argv[a->i];
    size_t n = strlen(name);
    if (strncmp(s, name, n) != 0)
        return 0;
    if (!val)
        return s[n] == '\0';
    if (s[n] == '=') {
        *val = s + n + 1;
        return 1;
    }
    if (s[n] != '\0')
        return 0;
    if (a->i + 1 >= a->argc) {
        mc_error(a->prog, "option %s needs a value", name);
        return -1;
    }
    *val = a->argv[++a->i];
    return 1;
}

static int usage_error(const char *prog, const char *msg, const char *usage)
{
    mc_error(prog, "%s\nusage: %s", msg, usage);
    return MC_EXIT_INCOMPLETE;
}

/* The argument at a->i is not one the command takes. */
static int unexpected(const struct args *a, const char *usage)
{
    mc_error(a->prog, "unexpected argument '%s' (see --help)\nusage: %s",
             a->argv[a->i], usage);
    return MC_EXIT_INCOMPLETE;
}

static int write_or_print(const char *prog, const char *path,
                          const struct mc_buf *b)
{
    if (!path || !strcmp(path, "-")) {
        fwrite(b->data ? b->data : "", 1, b->len, stdout);
        return 0;
    }
    if (mc_file_write_atomic(path, b->data ? b->data : "", b->len) != MC_OK) {
        mc_error(prog, "cannot write '%s'", path);
        return -1;
    }
    return 0;
}

/* ---- modcert audit --------------------------------------------------------- */

#define AUDIT_USAGE                                           \
    "modcert audit MODULE.so [--format text|json] [-o FILE] " \
    "[--mt-unsafe FILE] [--libraries FILE]"

static const char audit_help[] =
    "usage: " AUDIT_USAGE "\n"
    "\n"
    "The binary lens: reads the module's ELF file (never loads or runs it)\n"
    "and reports MT-unsafe imported functions, linked libraries with known\n"
    "thread-safety caveats and the writable data the module defines.\n"
    "\n"
    "  --format text|json  output format (default text)\n"
    "  -o FILE             write the output to FILE instead of stdout\n"
    "  --mt-unsafe FILE    MT-unsafe function list (default: the analyzer's)\n"
    "  --libraries FILE    library caveat list (default: the built-in one)\n"
    "\n"
    "exit status: 0 nothing of severity low or above, 1 findings, 2 the\n"
    "module could not be read. See docs/audit.md.\n";

static int audit_exit(const json_t *doc)
{
    size_t i;
    json_t *f;
    json_array_foreach(json_object_get(doc, "findings"), i, f)
    {
        if (mc__severity_rank(mc__str(f, "severity", "")) >= 1)
            return MC_EXIT_FINDINGS;
    }
    return MC_EXIT_OK;
}

int mc_cmd_audit(int argc, char **argv)
{
    struct args a = {argc, 1, argv, "modcert audit"};
    const char *so = NULL, *format = "text", *out = NULL;
    struct mc_audit_options o = {NULL, NULL};
    for (; a.i < argc; a.i++) {
        int r;
        if ((r = opt(&a, "--format", &format)) || (r = opt(&a, "-o", &out)) ||
            (r = opt(&a, "--mt-unsafe", &o.mt_unsafe_file)) ||
            (r = opt(&a, "--libraries", &o.libraries_file))) {
            if (r < 0)
                return MC_EXIT_INCOMPLETE;
        } else if (opt(&a, "--help", NULL) || opt(&a, "-h", NULL)) {
            fputs(audit_help, stdout);
            return MC_EXIT_OK;
        } else if (argv[a.i][0] == '-' || so) {
            return unexpected(&a, AUDIT_USAGE);
        } else {
            so = argv[a.i];
        }
    }
    if (!so || (strcmp(format, "text") && strcmp(format, "json")))
        return usage_error(a.prog, "need MODULE.so; --format is text or json",
                           AUDIT_USAGE);
    json_t *doc = NULL;
    struct mc_buf err = MC_BUF_INIT, b = MC_BUF_INIT;
    if (mc_audit_module(so, &o, &doc, &err) != MC_OK) {
        mc_error(a.prog, "%s", err.data);
        mc_buf_free(&err);
        return MC_EXIT_INCOMPLETE;
    }
    if (!strcmp(format, "json")) {
        char *s = json_dumps(doc, JSON_INDENT(2) | JSON_SORT_KEYS);
        mc_buf_puts(&b, s);
        mc_buf_putc(&b, '\n');
        free(s);
    } else {
        mc_audit_render_text(doc, &b);
    }
    int rc =
        write_or_print(a.prog, out, &b) ? MC_EXIT_INCOMPLETE : audit_exit(doc);
    json_decref(doc);
    mc_buf_free(&b);
    mc_buf_free(&err);
    return rc;
}

/* ---- modcert report -------------------------------------------------------- */

#define REPORT_USAGE                                                      \
    "modcert report --in report.json [--format json|sarif|md|html|text] " \
    "[-o FILE]\n"                                                         \
    "       modcert report [--scan S.json] [--audit A.json] "             \
    "[--stress D.json]... [--module M.so] [--name NAME] [--source F]... " \
    "[--source-root DIR] [--policy P.json] [--baseline B.json] "          \
    "[--now YYYY-MM-DD] [--format F] [-o FILE] [--out-dir DIR]\n"         \
    "       modcert report --in report.json --write-baseline FILE "       \
    "--reason TEXT [--expires YYYY-MM-DD]\n"                              \
    "       modcert report --in report.json --sign SECRET_KEY -o "        \
    "certificate.json"

static const char report_help[] =
    "usage: " REPORT_USAGE "\n"
    "\n"
    "Merges lens outputs (scan, audit, stress JSON) into one report, decides\n"
    "the verdict under a policy, and renders, baselines or signs a report.\n"
    "\n"
    "  --in FILE           an existing report.json to render, baseline or "
    "sign\n"
    "  --scan FILE         modcert scan --format json output to merge\n"
    "  --audit FILE        modcert audit --format json output to merge\n"
    "  --stress FILE       a modcert stress report (repeatable)\n"
    "  --module M.so       the module the report is about (name, sha256)\n"
    "  --name NAME         the module's display name\n"
    "  --source F          a source file to quote in the report (repeatable)\n"
    "  --source-root DIR   paths in the report are relative to DIR\n"
    "  --policy FILE       what fails the verdict (default: built-in policy)\n"
    "  --baseline FILE     accepted findings, each with a reason\n"
    "  --now YYYY-MM-DD    'today' for expiry checks (reproducible runs)\n"
    "  --format F          json, sarif, md, html or text (default json)\n"
    "  -o FILE             output file (default stdout)\n"
    "  --out-dir DIR       write report.json, .sarif, .md and .html into DIR\n"
    "  --write-baseline F  accept the report's findings into baseline F\n"
    "  --reason TEXT       why they are accepted (required with it)\n"
    "  --expires DATE      when the acceptance lapses\n"
    "  --sign KEY          sign the report with an Ed25519 secret key\n"
    "\n"
    "exit status: 0 ok (certified, when merging), 1 not certified, 2 bad\n"
    "input. See docs/report.md.\n";

struct report_opts {
    const char *in, *format, *out, *out_dir, *policy, *baseline, *now;
    const char *scan, *audit, *module, *source_root, *sign, *name;
    const char *write_baseline, *reason, *expires;
    const char *stress[8];
    const char *sources[MAX_SOURCES];
    size_t nstress, nsources;
};

static int parse_report_opt(struct args *a, struct report_opts *o)
{
    const char *v = NULL;
    int r;
    struct {
        const char *name;
        const char **dst;
    } simple[] = {
        {"--in", &o->in},
        {"--format", &o->format},
        {"-o", &o->out},
        {"--out-dir", &o->out_dir},
        {"--policy", &o->policy},
        {"--baseline", &o->baseline},
        {"--now", &o->now},
        {"--scan", &o->scan},
        {"--audit", &o->audit},
        {"--module", &o->module},
        {"--sign", &o->sign},
        {"--source-root", &o->source_root},
        {"--reason", &o->reason},
        {"--write-baseline", &o->write_baseline},
        {"--expires", &o->expires},
        {"--name", &o->name},
    };
    for (size_t k = 0; k < MC_ARRAY_LEN(simple); k++) {
        if ((r = opt(a, simple[k].name, simple[k].dst)))
            return r;
    }
    if ((r = opt(a, "--stress", &v)) > 0) {
        if (o->nstress == MC_ARRAY_LEN(o->stress))
            return -1;
        o->stress[o->nstress++] = v;
    } else if ((r = opt(a, "--source", &v)) > 0) {
        if (o->nsources == MAX_SOURCES)
            return -1;
        o->sources[o->nsources++] = v;
    }
    return r;
}

static json_t *load_doc(const char *prog, const char *path, const char *what)
{
    json_error_t je;
    json_t *d = json_load_file(path, 0, &je);
    if (!d)
        mc_error(prog, "cannot read %s '%s': %s (line %d)", what, path, je.text,
                 je.line);
    return d;
}

static int parse_now(const char *prog, const char *s, time_t *now)
{
    *now = time(NULL);
    if (!s)
        return 0;
    if (mc__parse_expiry(s, now) != 0) {
        mc_error(prog, "--now must be YYYY-MM-DD, not '%s'", s);
        return -1;
    }
    *now -= 86400; /* mc__parse_expiry returns the next midnight */
    return 0;
}

static int load_policy(const char *prog, const struct report_opts *o,
                       struct mc_policy *p)
{
    time_t now;
    if (parse_now(prog, o->now, &now))
        return -1;
    struct mc_buf err = MC_BUF_INIT;
    mc_status st = MC_OK;
    if (o->policy)
        st = mc_policy_load(o->policy, now, p, &err);
    else
        mc_policy_default(p, now);
    if (st == MC_OK && o->baseline &&
        (st = mc_policy_add_baseline(p, o->baseline, &err)) != MC_OK)
        mc_policy_free(p);
    if (st != MC_OK)
        mc_error(prog, "%s", err.data);
    mc_buf_free(&err);
    return st == MC_OK ? 0 : -1;
}

/* The stress documents: one, or several gathered into an array. */
static json_t *load_stress(const char *prog, const struct report_opts *o)
{
    if (o->nstress == 0)
        return NULL;
    if (o->nstress == 1)
        return load_doc(prog, o->stress[0], "stress output");
    json_t *arr = json_array();
    for (size_t i = 0; i < o->nstress; i++) {
        json_t *d = load_doc(prog, o->stress[i], "stress output");
        if (!d) {
            json_decref(arr);
            return NULL;
        }
        json_array_append_new(arr, d);
    }
    return arr;
}

static json_t *merge_from_files(const char *prog, const struct report_opts *o)
{
    struct mc_policy p;
    if (load_policy(prog, o, &p))
        return NULL;
    struct mc_report_inputs in;
    memset(&in, 0, sizeof in);
    in.scan.exit_status = in.audit.exit_status = in.stress.exit_status = -1;
    in.scan.seconds = in.audit.seconds = in.stress.seconds = -1;
    in.so_path = o->module;
    in.module_name = o->name;
    in.sources = o->sources;
    in.nsources = o->nsources;
    in.source_root = o->source_root;
    json_t *scan = o->scan ? load_doc(prog, o->scan, "scan output") : NULL;
    json_t *audit = o->audit ? load_doc(prog, o->audit, "audit output") : NULL;
    json_t *stress = load_stress(prog, o), *r = NULL;
    in.scan.doc = scan;
    in.audit.doc = audit;
    in.stress.doc = stress;
    struct mc_buf err = MC_BUF_INIT;
    if ((!o->scan || scan) && (!o->audit || audit) && (!o->nstress || stress) &&
        mc_report_merge(&in, &p, &r, &err) != MC_OK)
        mc_error(prog, "%s", err.data);
    mc_buf_free(&err);
    json_decref(scan);
    json_decref(audit);
    json_decref(stress);
    mc_policy_free(&p);
    return r;
}

static int write_baseline(const char *prog, const json_t *r,
                          const struct report_opts *o)
{
    if (!o->reason || !*o->reason) {
        mc_error(prog, "--write-baseline needs --reason TEXT (why these "
                       "findings are accepted)");
        return MC_EXIT_INCOMPLETE;
    }
    time_t t;
    if (o->expires && mc__parse_expiry(o->expires, &t) != 0) {
        mc_error(prog, "--expires must be YYYY-MM-DD, not '%s'", o->expires);
        return MC_EXIT_INCOMPLETE;
    }
    json_t *b = mc_baseline_from_report(r, o->reason, o->expires);
    char *s = json_dumps(b, JSON_INDENT(2) | JSON_SORT_KEYS);
    struct mc_buf buf = MC_BUF_INIT;
    mc_buf_printf(&buf, "%s\n", s);
    free(s);
    json_decref(b);
    int rc = write_or_print(prog, o->write_baseline, &buf);
    mc_buf_free(&buf);
    return rc ? MC_EXIT_INCOMPLETE : MC_EXIT_OK;
}

static int sign_report(const char *prog, const json_t *r,
                       const struct report_opts *o)
{
    json_t *cert = NULL;
    struct mc_buf err = MC_BUF_INIT, b = MC_BUF_INIT;
    if (mc_cert_sign(r, o->sign, &cert, &err) != MC_OK) {
        mc_error(prog, "%s", err.data);
        mc_buf_free(&err);
        return MC_EXIT_INCOMPLETE;
    }
    char *s = json_dumps(cert, JSON_INDENT(2) | JSON_SORT_KEYS);
    mc_buf_printf(&b, "%s\n", s);
    free(s);
    json_decref(cert);
    int rc = write_or_print(prog, o->out, &b);
    mc_buf_free(&b);
    mc_buf_free(&err);
    return rc ? MC_EXIT_INCOMPLETE : MC_EXIT_OK;
}

static int render_report(const char *prog, const json_t *r,
                         const struct report_opts *o, int merged)
{
    struct mc_buf err = MC_BUF_INIT;
    int rc = MC_EXIT_OK;
    if (o->out_dir && mc_report_write_all(r, o->out_dir, &err) != MC_OK)
        rc = MC_EXIT_INCOMPLETE;
    enum mc_format fmt = MC_FMT_JSON;
    if (rc == MC_EXIT_OK && (o->out || !o->out_dir)) {
        mc_format_parse(o->format ? o->format : "json", &fmt);
        struct mc_buf b = MC_BUF_INIT;
        if (mc_report_render(r, fmt, &b, &err) != MC_OK ||
            write_or_print(prog, o->out, &b))
            rc = MC_EXIT_INCOMPLETE;
        mc_buf_free(&b);
    }
    if (err.len)
        mc_error(prog, "%s", err.data);
    mc_buf_free(&err);
    if (rc == MC_EXIT_OK && merged)
        rc = mc_report_exit_status(r);
    return rc;
}

int mc_cmd_report(int argc, char **argv)
{
    struct args a = {argc, 1, argv, "modcert report"};
    struct report_opts o;
    memset(&o, 0, sizeof o);
    for (; a.i < argc; a.i++) {
        if (opt(&a, "--help", NULL) || opt(&a, "-h", NULL)) {
            fputs(report_help, stdout);
            return MC_EXIT_OK;
        }
        int r = parse_report_opt(&a, &o);
        if (r <= 0)
            return r < 0 ? MC_EXIT_INCOMPLETE : unexpected(&a, REPORT_USAGE);
    }
    enum mc_format fmt;
    if (o.format && mc_format_parse(o.format, &fmt) != MC_OK)
        return usage_error(a.prog, "unknown --format", REPORT_USAGE);
    int merging = o.scan || o.audit || o.nstress;
    if (!!o.in == !!merging)
        return usage_error(a.prog,
                           "give either --in REPORT or lens outputs to merge",
                           REPORT_USAGE);
    json_t *r =
        o.in ? load_doc(a.prog, o.in, "report") : merge_from_files(a.prog, &o);
    if (!r)
        return MC_EXIT_INCOMPLETE;
    int rc = o.write_baseline ? write_baseline(a.prog, r, &o)
             : o.sign         ? sign_report(a.prog, r, &o)
                              : render_report(a.prog, r, &o, merging);
    json_decref(r);
    return rc;
}

/* ---- modcert keygen / verify ----------------------------------------------- */

#define KEYGEN_USAGE "modcert keygen --out PREFIX [--force]"

static const char keygen_help[] =
    "usage: " KEYGEN_USAGE "\n"
    "\n"
    "Creates an Ed25519 key pair for signing certificates: the secret key in\n"
    "PREFIX (mode 0600, keep it private) and the public key in PREFIX.pub\n"
    "(give it to the deployment gate that runs modcert verify).\n"
    "\n"
    "  --out PREFIX  where to write the keys\n"
    "  --force       overwrite an existing key\n"
    "\n"
    "exit status: 0 written, 2 not written. See docs/certificate.md.\n";

int mc_cmd_keygen(int argc, char **argv)
{
    struct args a = {argc, 1, argv, "modcert keygen"};
    const char *prefix = NULL;
    int force = 0;
    for (; a.i < argc; a.i++) {
        int r = opt(&a, "--out", &prefix);
        if (r < 0)
            return MC_EXIT_INCOMPLETE;
        if (!r && (opt(&a, "--help", NULL) || opt(&a, "-h", NULL))) {
            fputs(keygen_help, stdout);
            return MC_EXIT_OK;
        }
        if (!r && opt(&a, "--force", NULL))
            force = 1;
        else if (!r)
            return unexpected(&a, KEYGEN_USAGE);
    }
    if (!prefix)
        return usage_error(a.prog, "--out PREFIX is required", KEYGEN_USAGE);
    FILE *f = fopen(prefix, "r");
    if (f && !force) {
        fclose(f);
        mc_error(a.prog,
                 "'%s' exists; refusing to overwrite a key (use "
                 "--force)",
                 prefix);
        return MC_EXIT_INCOMPLETE;
    }
    if (f)
        fclose(f);
    struct mc_buf err = MC_BUF_INIT;
    mc_status st = mc_cert_keygen(prefix, &err);
    if (st != MC_OK)
        mc_error(a.prog, "%s", err.data);
    else
        printf("secret key: %s (keep it private)\npublic key: %s.pub\n", prefix,
               prefix);
    mc_buf_free(&err);
    return st == MC_OK ? MC_EXIT_OK : MC_EXIT_INCOMPLETE;
}

#define VERIFY_USAGE                                          \
    "modcert verify --cert FILE --module M.so --pubkey FILE " \
    "[--report report.json]"

static const char verify_help[] =
    "usage: " VERIFY_USAGE "\n"
    "\n"
    "The deployment gate: checks that a certificate is signed by the holder\n"
    "of the public key, names this exact module binary (sha256) and says\n"
    "'certified'; with --report, that the report is the one signed.\n"
    "\n"
    "  --cert FILE      the certificate (modcert certify --sign)\n"
    "  --module M.so    the module binary about to be deployed\n"
    "  --pubkey FILE    the signer's public key (PREFIX.pub of keygen)\n"
    "  --report FILE    also check this report.json against the certificate\n"
    "\n"
    "exit status: 0 valid, 1 not valid (the reason on stderr), 2 bad\n"
    "arguments. See docs/certificate.md.\n";

int mc_cmd_verify(int argc, char **argv)
{
    struct args a = {argc, 1, argv, "modcert verify"};
    const char *cert = NULL, *so = NULL, *pk = NULL, *rep = NULL;
    for (; a.i < argc; a.i++) {
        int r;
        if ((r = opt(&a, "--cert", &cert)) || (r = opt(&a, "--module", &so)) ||
            (r = opt(&a, "--pubkey", &pk)) || (r = opt(&a, "--report", &rep))) {
            if (r < 0)
                return MC_EXIT_INCOMPLETE;
        } else if (opt(&a, "--help", NULL) || opt(&a, "-h", NULL)) {
            fputs(verify_help, stdout);
            return MC_EXIT_OK;
        } else {
            return unexpected(&a, VERIFY_USAGE);
        }
    }
    if (!cert || !so || !pk)
        return usage_error(a.prog, "--cert, --module and --pubkey are required",
                           VERIFY_USAGE);
    struct mc_buf why = MC_BUF_INIT;
    enum mc_cert_result r = mc_cert_verify(cert, so, pk, rep, &why);
    if (r == MC_CERT_VALID)
        printf("modcert verify: OK: %s is certified (signature valid, sha256 "
               "matches)\n",
               so);
    else
        fprintf(stderr, "modcert verify: FAILED: %s\n", why.data);
    mc_buf_free(&why);
    return r == MC_CERT_VALID ? MC_EXIT_OK : MC_EXIT_FINDINGS;
}
