/*
 * output.c — the scan report: clang-style diagnostics for terminals and
 * editors, or one JSON object for the report lens (format in docs/scan.md).
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mc_buf.h"
#include "mc_file.h"
#include "output.h"

#ifndef MODCERT_VERSION
#define MODCERT_VERSION "0"
#endif

static size_t unsuppressed(const struct mc_findings *f)
{
    size_t n = 0;
    for (size_t i = 0; i < f->v.n; i++)
        n += f->v.v[i].suppressed == NULL;
    return n;
}

static size_t failed_tus(const struct mc_scan_result *r)
{
    size_t n = 0;
    for (size_t i = 0; i < r->ntus; i++)
        n += !r->tus[i].ok;
    return n;
}

static void text_path(struct mc_buf *b, const struct mc_finding *f)
{
    mc_buf_printf(
        b, "%s:%u:%u: note: reached at %s time from %s%s%s%s: ", f->loc.file,
        f->loc.line, f->loc.col, f->phase, f->root, *f->root_detail ? " '" : "",
        f->root_detail, *f->root_detail ? "'" : "");
    for (size_t i = 0; i < f->npath; i++)
        mc_buf_printf(b, "%s%s", i ? " \xe2\x86\x92 " : "", f->path[i]);
    mc_buf_puts(b, "\n");
}

static void text_finding(struct mc_buf *b, const struct mc_finding *f)
{
    mc_buf_printf(b, "%s:%u:%u: warning: %s [%s]\n", f->loc.file, f->loc.line,
                  f->loc.col, f->message, f->check);
    if (*f->root)
        text_path(b, f);
    if (*f->locks)
        mc_buf_printf(b, "%s:%u:%u: note: locks held: %s\n", f->loc.file,
                      f->loc.line, f->loc.col, f->locks);
    if (*f->fix)
        mc_buf_printf(b, "%s:%u:%u: note: fix: %s\n", f->loc.file, f->loc.line,
                      f->loc.col, f->fix);
}

static void text_report(const struct mc_scan_result *r, struct mc_buf *b)
{
    for (size_t i = 0; i < r->findings->v.n; i++) {
        if (!r->findings->v.v[i].suppressed)
            text_finding(b, &r->findings->v.v[i]);
    }
}

static json_t *strings(const char *const *v, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, json_string(v[i]));
    return a;
}

static json_t *locks_json(const char *locks)
{
    json_t *a = json_array();
    for (const char *p = locks; *p;) {
        const char *e = strstr(p, ", ");
        size_t n = e ? (size_t)(e - p) : strlen(p);
        json_array_append_new(a, json_stringn(p, n));
        p += n + (e ? 2 : 0);
    }
    return a;
}

static json_t *finding_json(const struct mc_finding *f)
{
    json_t *o = json_object();
    json_object_set_new(o, "check", json_string(f->check));
    json_object_set_new(o, "severity", json_string(f->severity));
    json_object_set_new(o, "file", json_string(f->loc.file));
    json_object_set_new(o, "line", json_integer(f->loc.line));
    json_object_set_new(o, "column", json_integer(f->loc.col));
    json_object_set_new(o, "function", json_string(f->function));
    json_object_set_new(o, "symbol", json_string(f->symbol));
    if (!strcmp(f->check, "mt-unsafe-call"))
        json_object_set_new(o, "callee", json_string(f->symbol));
    json_object_set_new(o, "phase", json_string(f->phase));
    json_object_set_new(o, "root", json_string(f->root));
    if (*f->root_detail)
        json_object_set_new(o, "root_detail", json_string(f->root_detail));
    json_object_set_new(o, "path", strings(f->path, f->npath));
    json_object_set_new(o, "locks", locks_json(f->locks));
    json_object_set_new(o, "message", json_string(f->message));
    json_object_set_new(o, "fix", json_string(f->fix));
    if (f->suppressed)
        json_object_set_new(o, "reason", json_string(f->suppressed));
    return o;
}

static json_t *errors_json(const struct mc_scan_result *r)
{
    json_t *a = json_array();
    for (size_t i = 0; i < r->ntus; i++) {
        if (r->tus[i].ok)
            continue;
        json_t *e = json_object();
        json_object_set_new(e, "file", json_string(r->tus[i].file));
        json_object_set_new(e, "message", json_string("could not be analysed"));
        json_object_set_new(e, "diagnostics",
                            json_string(r->tus[i].diagnostics));
        json_array_append_new(a, e);
    }
    for (const char *p = r->input_errors; *p;) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        json_t *e = json_object();
        json_object_set_new(e, "message", json_stringn(p, n));
        json_array_append_new(a, e);
        p += n + (nl ? 1 : 0);
    }
    return a;
}

static void json_report(const struct mc_scan_result *r, struct mc_buf *b)
{
    json_t *root = json_object(), *files = json_array();
    json_t *findings = json_array(), *suppressed = json_array();
    json_object_set_new(root, "tool", json_string("modcert scan"));
    json_object_set_new(root, "version", json_string(MODCERT_VERSION));
    for (size_t i = 0; i < r->ntus; i++)
        json_array_append_new(files, json_string(r->tus[i].file));
    for (size_t i = 0; i < r->findings->v.n; i++) {
        const struct mc_finding *f = &r->findings->v.v[i];
        json_array_append_new(f->suppressed ? suppressed : findings,
                              finding_json(f));
    }
    json_object_set_new(root, "files", files);
    json_object_set_new(root, "findings", findings);
    json_object_set_new(root, "suppressed", suppressed);
    json_object_set_new(root, "errors", errors_json(r));
    json_object_set_new(root, "complete",
                        json_boolean(!failed_tus(r) && !*r->input_errors));
    json_t *stats = json_object();
    json_object_set_new(stats, "translation_units", json_integer(r->ntus));
    json_object_set_new(stats, "parse_seconds", json_real(r->parse_seconds));
    json_object_set_new(stats, "analysis_seconds",
                        json_real(r->analysis_seconds));
    json_object_set_new(root, "stats", stats);
    char *s = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    mc_buf_printf(b, "%s\n", s ? s : "{}");
    free(s);
    json_decref(root);
}

static void errors_to_stderr(const struct mc_scan_result *r)
{
    for (size_t i = 0; i < r->ntus; i++) {
        if (!r->tus[i].ok)
            fprintf(stderr,
                    "modcert scan: error: %s could not be analysed:\n%s",
                    r->tus[i].file, r->tus[i].diagnostics);
    }
    for (const char *p = r->input_errors; *p;) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        fprintf(stderr, "modcert scan: error: %.*s\n", (int)n, p);
        p += n + (nl ? 1 : 0);
    }
}

int mc_output_write(const struct mc_scan_result *r)
{
    struct mc_buf b = MC_BUF_INIT;
    if (r->o->format == MC_SCAN_JSON)
        json_report(r, &b);
    else
        text_report(r, &b);
    errors_to_stderr(r);
    int status = MC_EXIT_OK;
    if (r->o->output) {
        if (mc_file_write_atomic(r->o->output, b.data ? b.data : "", b.len) !=
            MC_OK) {
            mc_error("modcert scan", "cannot write '%s'", r->o->output);
            status = MC_EXIT_INCOMPLETE;
        }
    } else if (b.len) {
        fwrite(b.data, 1, b.len, stdout);
        fflush(stdout);
    }
    mc_buf_free(&b);
    size_t n = unsuppressed(r->findings), bad = failed_tus(r);
    if (r->o->timing)
        fprintf(stderr,
                "modcert scan: %zu translation units, parse %.3f s, "
                "analysis %.3f s\n",
                r->ntus, r->parse_seconds, r->analysis_seconds);
    if (bad || *r->input_errors)
        return MC_EXIT_INCOMPLETE;
    if (status != MC_EXIT_OK)
        return status;
    return n ? MC_EXIT_FINDINGS : MC_EXIT_OK;
}
