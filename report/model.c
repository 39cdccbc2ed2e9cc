/*
 * model.c — mc_report_merge(): the lens documents (scan, audit, stress) in,
 * one "modcert-report/1" document out. This file normalises findings and
 * records identity and what ran; correlate.c links static and dynamic
 * evidence; verdict.c applies the baseline and decides.
 */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mc_file.h"

/* The analyzer's severities: our four names are kept; its clang-style
 * "error" / "warning" / "note" map to high / medium / low; anything else
 * found at request time is a defect: high. */
static const char *static_severity(const json_t *f)
{
    const char *s = mc__str(f, "severity", "");
    if (!strcmp(mc__str(f, "check", ""), "unused-suppression"))
        return "low"; /* hygiene, not a thread-safety defect */
    if (mc__severity_rank(s) >= 0)
        return s;
    if (!strcmp(s, "warning"))
        return "medium";
    if (!strcmp(s, "note"))
        return "low";
    return "high";
}

static const char *dynamic_severity(const char *kind, int in_module)
{
    if (!in_module)
        return "info";
    if (!strcmp(kind, "timeout"))
        return "medium";
    return "high";
}

static json_t *as_array(const json_t *v)
{
    if (json_is_array(v))
        return json_deep_copy(v);
    json_t *a = json_array();
    if (json_is_string(v) && *json_string_value(v))
        json_array_append_new(a, json_string(json_string_value(v)));
    return a;
}

/* Ensures the fields every report finding has (docs/report.md). */
static void ensure_common(json_t *f, const char *lens)
{
    static const char *const strs[] = {"file",  "function", "symbol",
                                       "phase", "message",  "fix"};
    for (size_t i = 0; i < MC_ARRAY_LEN(strs); i++) {
        if (!json_is_string(json_object_get(f, strs[i])))
            json_object_set_new(f, strs[i], json_string(""));
    }
    if (!json_is_integer(json_object_get(f, "line")))
        json_object_set_new(f, "line", json_integer(mc__int(f, "line", 0)));
    if (!json_is_integer(json_object_get(f, "column")))
        json_object_set_new(f, "column", json_integer(mc__int(f, "column", 0)));
    json_object_set_new(f, "path", as_array(json_object_get(f, "path")));
    json_object_set_new(f, "locks", as_array(json_object_get(f, "locks")));
    json_object_set_new(f, "lens", json_string(lens));
    json_object_set_new(f, "confirmed", json_false());
    json_object_set_new(f, "confirmed_by", json_array());
    json_object_set_new(f, "suppressed", json_false());
}

static void add_static(json_t *all, const json_t *scan)
{
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(scan, "findings"), i, v)
    {
        if (!json_is_object(v))
            continue; /* not a finding: ignored */
        json_t *f = json_deep_copy(v);
        json_object_set_new(f, "severity", json_string(static_severity(v)));
        if (!*mc__str(f, "check", ""))
            json_object_set_new(f, "check", json_string("unknown"));
        ensure_common(f, "static");
        json_array_append_new(all, f);
    }
}

static void add_binary(json_t *all, const json_t *audit)
{
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(audit, "findings"), i, v)
    {
        if (!json_is_object(v))
            continue; /* not a finding: ignored */
        json_t *f = json_deep_copy(v);
        const char *sev = mc__str(v, "severity", "");
        if (mc__severity_rank(sev) < 0)
            json_object_set_new(f, "severity", json_string("low"));
        ensure_common(f, "binary");
        json_array_append_new(all, f);
    }
}

/* A failed response check: which check of which request, what was
 * expected and what came back (`modcert stress` fields). */
static void failed_check_message(struct mc_buf *m, const json_t *v)
{
    mc_buf_printf(m, "response check '%s' of request '%s' failed under load",
                  mc__str(v, "check", "?"), mc__str(v, "request", "?"));
    if (*mc__str(v, "expected", ""))
        mc_buf_printf(m, ": expected %s", mc__str(v, "expected", ""));
    if (*mc__str(v, "got", ""))
        mc_buf_printf(m, ", got %s", mc__str(v, "got", ""));
}

static void dynamic_message(json_t *f, const json_t *v, const char *kind)
{
    if (*mc__str(f, "message", ""))
        return;
    struct mc_buf m = MC_BUF_INIT;
    const char *sym = mc__str(f, "symbol", "");
    if (!strcmp(kind, "failed-check") && *mc__str(v, "check", ""))
        failed_check_message(&m, v);
    else if (!strcmp(kind, "race"))
        mc_buf_printf(&m, "data race%s%s observed under load",
                      *sym ? " on " : "", sym);
    else
        mc_buf_printf(&m, "%s observed under load", kind);
    if (*mc__str(f, "file", ""))
        mc_buf_printf(&m, " at %s:%lld", mc__str(f, "file", ""),
                      mc__int(f, "line", 0));
    json_object_set_new(f, "message", json_string(m.data));
    mc_buf_free(&m);
}

static void add_dynamic_doc(json_t *all, const json_t *doc)
{
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(doc, "findings"), i, v)
    {
        if (!json_is_object(v))
            continue; /* not a finding: ignored */
        json_t *f = json_deep_copy(v);
        const char *kind = mc__str(v, "kind", "race");
        int in_module = mc__bool(v, "in_module", 1);
        char check[64];
        snprintf(check, sizeof check, "dynamic-%s", kind);
        json_object_set_new(f, "kind", json_string(kind));
        if (*mc__str(v, "check", "")) /* the scenario's check, kept */
            json_object_set_new(f, "scenario_check",
                                json_string(mc__str(v, "check", "")));
        json_object_set_new(f, "check", json_string(check));
        json_object_set_new(f, "severity",
                            json_string(dynamic_severity(kind, in_module)));
        json_object_set_new(f, "in_module", json_boolean(in_module));
        if (!json_object_get(f, "profile"))
            json_object_set_new(f, "profile",
                                json_string(mc__str(doc, "profile", "")));
        if (!json_object_get(f, "detector"))
            json_object_set_new(f, "detector",
                                json_string(mc__str(doc, "detector", "")));
        if (!json_is_array(json_object_get(f, "stacks")))
            json_object_set_new(f, "stacks", json_array());
        dynamic_message(f, v, kind);
        ensure_common(f, "dynamic");
        json_array_append_new(all, f);
    }
}

/* Calls fn for each stress document: one object, or an array of them. */
void mc__each_stress_doc(const json_t *stress,
                         void (*fn)(const json_t *doc, void *arg), void *arg)
{
    if (json_is_object(stress)) {
        fn(stress, arg);
        return;
    }
    size_t i;
    json_t *d;
    json_array_foreach(stress, i, d)
    {
        if (json_is_object(d))
            fn(d, arg);
    }
}

static void add_dynamic_cb(const json_t *doc, void *arg)
{
    add_dynamic_doc(arg, doc);
}

static int lens_order(const char *lens)
{
    return !strcmp(lens, "static") ? 0 : !strcmp(lens, "binary") ? 1 : 2;
}

static int finding_cmp(const void *a, const void *b)
{
    const json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
    int r =
        lens_order(mc__str(x, "lens", "")) - lens_order(mc__str(y, "lens", ""));
    if (!r)
        r = strcmp(mc__str(x, "file", ""), mc__str(y, "file", ""));
    if (!r) {
        long long lx = mc__int(x, "line", 0), ly = mc__int(y, "line", 0);
        r = (lx > ly) - (lx < ly);
    }
    if (!r)
        r = strcmp(mc__str(x, "check", ""), mc__str(y, "check", ""));
    if (!r)
        r = strcmp(mc__str(x, "symbol", ""), mc__str(y, "symbol", ""));
    if (!r)
        r = strcmp(mc__str(x, "profile", ""), mc__str(y, "profile", ""));
    return r;
}

/* Sorts findings deterministically, numbers them (S1.., B1.., D1..) and
 * adds fingerprint and root cause. */
static json_t *finalize_findings(json_t *all)
{
    size_t n = json_array_size(all);
    json_t **v = mc_xcalloc(n ? n : 1, sizeof *v);
    for (size_t i = 0; i < n; i++)
        v[i] = json_incref(json_array_get(all, i));
    qsort(v, n, sizeof *v, finding_cmp);
    json_decref(all);
    json_t *out = json_array();
    int counter[3] = {0, 0, 0};
    for (size_t i = 0; i < n; i++) {
        int lo = lens_order(mc__str(v[i], "lens", ""));
        char id[32], fp[17];
        snprintf(id, sizeof id, "%c%d", "SBD"[lo], ++counter[lo]);
        json_object_set_new(v[i], "id", json_string(id));
        mc_finding_fingerprint(v[i], fp);
        json_object_set_new(v[i], "fingerprint", json_string(fp));
        struct mc_buf rc = MC_BUF_INIT;
        mc__root_cause(v[i], &rc);
        json_object_set_new(v[i], "root_cause", json_string(rc.data));
        mc_buf_free(&rc);
        json_array_append_new(out, v[i]);
    }
    free(v);
    return out;
}

/* ---- identity ----------------------------------------------------------- */

static char *derive_name(const struct mc_report_inputs *in)
{
    if (in->module_name)
        return mc_xstrdup(in->module_name);
    const char *src = in->so_path;
    if (!src && in->nsources)
        src = in->sources[0];
    if (!src)
        src = mc__str(json_object_get(in->audit.doc, "module"), "name", NULL);
    if (!src)
        return mc_xstrdup("unknown");
    const char *base = mc__basename(src);
    const char *dot = strrchr(base, '.');
    return dot ? mc_xstrndup(base, (size_t)(dot - base)) : mc_xstrdup(base);
}

static mc_status hash_into(json_t *obj, const char *path, struct mc_buf *err)
{
    char hex[65];
    if (mc_file_sha256(path, hex) != MC_OK) {
        mc__err(err, "cannot read '%s' to hash it", path);
        return MC_ERR_IO;
    }
    json_object_set_new(obj, "path", json_string(path));
    json_object_set_new(obj, "sha256", json_string(hex));
    return MC_OK;
}

static mc_status module_identity(const struct mc_report_inputs *in,
                                 json_t **out, struct mc_buf *err)
{
    json_t *m = json_object();
    char *name = derive_name(in);
    json_object_set_new(m, "name", json_string(name));
    free(name);
    json_object_set_new(m, "sha256", json_null());
    json_object_set_new(m, "so", json_null());
    if (in->so_path) {
        json_t *so = json_object();
        json_object_set_new(m, "so", so);
        if (hash_into(so, in->so_path, err) != MC_OK) {
            json_decref(m);
            return MC_ERR_IO;
        }
        json_object_set(m, "sha256", json_object_get(so, "sha256"));
    }
    json_t *srcs = json_array();
    json_object_set_new(m, "sources", srcs);
    for (size_t i = 0; i < in->nsources; i++) {
        json_t *s = json_object();
        json_array_append_new(srcs, s);
        if (hash_into(s, in->sources[i], err) != MC_OK) {
            json_decref(m);
            return MC_ERR_IO;
        }
    }
    json_object_set_new(m, "source_root",
                        json_string(in->source_root ? in->source_root : ""));
    *out = m;
    return MC_OK;
}

/* ---- what ran ------------------------------------------------------------ */

static int doc_complete(const struct mc_lens_run *r)
{
    if (r->exit_status == MC_EXIT_INCOMPLETE)
        return 0;
    if (json_is_array(r->doc)) {
        size_t i;
        json_t *d;
        json_array_foreach(r->doc, i, d)
        {
            if (!mc__bool(d, "complete", 1))
                return 0;
        }
        return 1;
    }
    return mc__bool(r->doc, "complete", 1);
}

/* A lens's own "errors" (e.g. files the analyzer could not parse) are kept,
 * and name the incompleteness when the caller gave no note. */
static void lens_errors(json_t *o, const struct mc_lens_run *r)
{
    const json_t *errs = json_object_get(r->doc, "errors");
    if (!json_is_array(errs) || json_array_size(errs) == 0)
        return;
    json_object_set(o, "errors", (json_t *)errs);
    if (r->note)
        return;
    struct mc_buf b = MC_BUF_INIT;
    size_t i;
    json_t *e;
    json_array_foreach(errs, i, e)
    {
        if (i == 3)
            break;
        mc_buf_printf(
            &b, "%s%s%s%s", i ? "; " : "", mc__str(e, "file", ""),
            *mc__str(e, "file", "") ? ": " : "",
            mc__str(e, "message",
                    json_string_value(e) ? json_string_value(e) : "error"));
    }
    json_object_set_new(o, "note", json_string(b.data));
    mc_buf_free(&b);
}

static json_t *lens_record(const struct mc_lens_run *r)
{
    json_t *o = json_object();
    /* A lens that was started but left no document (it crashed, or was
     * killed) ran and is incomplete. */
    int ran = r->doc != NULL || r->exit_status >= 0;
    json_object_set_new(o, "ran", json_boolean(ran));
    json_object_set_new(o, "complete",
                        json_boolean(r->doc != NULL && doc_complete(r)));
    json_object_set_new(o, "exit_status",
                        r->exit_status >= 0 ? json_integer(r->exit_status)
                                            : json_null());
    json_object_set_new(o, "seconds",
                        r->seconds >= 0 ? json_real(r->seconds) : json_null());
    json_object_set_new(o, "note", json_string(r->note ? r->note : ""));
    lens_errors(o, r);
    return o;
}

static void distinct_checks(json_t *findings, const char *lens, json_t *rec)
{
    json_t *checks = json_array();
    size_t i, j;
    json_t *f, *c;
    json_array_foreach(findings, i, f)
    {
        if (strcmp(mc__str(f, "lens", ""), lens))
            continue;
        int seen = 0;
        json_array_foreach(checks, j, c)
        {
            seen |= !strcmp(json_string_value(c), mc__str(f, "check", ""));
        }
        if (!seen)
            json_array_append_new(checks, json_string(mc__str(f, "check", "")));
    }
    json_object_set_new(rec, "checks_reported", checks);
}

struct dyn_acc {
    json_t *runs, *profiles, *detectors, *seeds;
    long long requests;
};

static void add_unique(json_t *arr, json_t *v)
{
    size_t i;
    json_t *x;
    json_array_foreach(arr, i, x)
    {
        if (json_equal(x, v)) {
            json_decref(v);
            return;
        }
    }
    json_array_append_new(arr, v);
}

/* One run record: the document itself (one profile per document), or each
 * element of its "runs" (`modcert stress` documents, modcert-stress/1,
 * where a --differential session holds the prefork run and its twin). */
static void dyn_one_run(const json_t *doc, struct dyn_acc *a)
{
    json_t *run = json_object();
    static const char *const keys[] = {"profile",   "detector", "requests",
                                       "seconds",   "seed",     "threads",
                                       "processes", "complete", "differential"};
    for (size_t i = 0; i < MC_ARRAY_LEN(keys); i++) {
        json_t *v = json_object_get(doc, keys[i]);
        if (v)
            json_object_set(run, keys[i], v);
    }
    json_array_append_new(a->runs, run);
    if (*mc__str(doc, "profile", ""))
        add_unique(a->profiles, json_string(mc__str(doc, "profile", "")));
    if (*mc__str(doc, "detector", ""))
        add_unique(a->detectors, json_string(mc__str(doc, "detector", "")));
    if (json_object_get(doc, "seed"))
        add_unique(a->seeds, json_deep_copy(json_object_get(doc, "seed")));
    a->requests += mc__int(doc, "requests", 0);
}

static void dyn_run_cb(const json_t *doc, void *arg)
{
    struct dyn_acc *a = arg;
    const json_t *runs = json_object_get(doc, "runs");
    size_t i;
    json_t *r;
    if (!json_is_array(runs) || json_array_size(runs) == 0) {
        dyn_one_run(doc, a);
        return;
    }
    json_array_foreach(runs, i, r)
    {
        if (json_is_object(r))
            dyn_one_run(r, a);
    }
}

static json_t *run_record(const struct mc_report_inputs *in, json_t *findings)
{
    json_t *run = json_object(), *lenses = json_object();
    json_t *st = lens_record(&in->scan), *bi = lens_record(&in->audit);
    json_t *dy = lens_record(&in->stress);
    distinct_checks(findings, "static", st);
    distinct_checks(findings, "binary", bi);
    distinct_checks(findings, "dynamic", dy);
    if (json_object_get(in->scan.doc, "checks"))
        json_object_set(st, "checks", json_object_get(in->scan.doc, "checks"));
    struct dyn_acc a = {json_array(), json_array(), json_array(), json_array(),
                        0};
    if (in->stress.doc)
        mc__each_stress_doc(in->stress.doc, dyn_run_cb, &a);
    json_object_set_new(dy, "runs", a.runs);
    json_object_set_new(lenses, "static", st);
    json_object_set_new(lenses, "binary", bi);
    json_object_set_new(lenses, "dynamic", dy);
    json_object_set_new(run, "lenses", lenses);
    json_object_set_new(run, "profiles", a.profiles);
    json_object_set_new(run, "detectors", a.detectors);
    json_object_set_new(run, "seeds", a.seeds);
    json_object_set_new(run, "requests", json_integer(a.requests));
    json_object_set_new(run, "interrupted", json_boolean(in->interrupted));
    return run;
}

/* ---- merge ---------------------------------------------------------------- */

static json_t *collect_findings(const struct mc_report_inputs *in)
{
    json_t *all = json_array();
    if (in->scan.doc)
        add_static(all, in->scan.doc);
    if (in->audit.doc)
        add_binary(all, in->audit.doc);
    if (in->stress.doc)
        mc__each_stress_doc(in->stress.doc, add_dynamic_cb, all);
    return finalize_findings(all);
}

static mc_status check_inputs(const struct mc_report_inputs *in,
                              struct mc_buf *err)
{
    if (in->scan.doc &&
        !json_is_array(json_object_get(in->scan.doc, "findings"))) {
        mc__err(err, "scan output has no \"findings\" array");
        return MC_ERR_PARSE;
    }
    if (in->audit.doc &&
        !json_is_array(json_object_get(in->audit.doc, "findings"))) {
        mc__err(err, "audit output has no \"findings\" array");
        return MC_ERR_PARSE;
    }
    if (in->stress.doc && !json_is_object(in->stress.doc) &&
        !json_is_array(in->stress.doc)) {
        mc__err(err, "stress output must be an object or an array of them");
        return MC_ERR_PARSE;
    }
    return MC_OK;
}

mc_status mc_report_merge(const struct mc_report_inputs *in,
                          const struct mc_policy *policy, json_t **out,
                          struct mc_buf *err)
{
    json_t *module = NULL;
    if (check_inputs(in, err) != MC_OK ||
        module_identity(in, &module, err) != MC_OK)
        return MC_ERR_PARSE;
    json_t *r = json_object();
    char ts[21];
    mc__timestamp(policy->now, ts);
    json_object_set_new(r, "schema", json_string(MC_REPORT_SCHEMA));
    json_object_set_new(r, "generated", json_string(ts));
    json_object_set_new(
        r, "tool",
        json_pack("{s:s, s:s}", "name", "modcert", "version",
                  in->tool_version ? in->tool_version : MODCERT_VERSION));
    json_object_set_new(r, "module", module);
    json_t *findings = collect_findings(in);
    json_object_set_new(r, "run", run_record(in, findings));
    mc__correlate(findings);
    json_object_set_new(r, "findings", findings);
    mc__apply_policy(r, in, policy);
    *out = r;
    return MC_OK;
}
