/*
 * verdict.c — applies the policy to a merged report: baseline acceptances
 * (with expiry), inline suppressions carried over from the scan, the
 * thresholds, required lenses, completeness; then the verdict.
 */
#include "internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int field_matches(const json_t *e, const json_t *f, const char *key)
{
    const char *want = mc__str(e, key, "");
    if (!*want)
        return 1;
    if (!strcmp(key, "file"))
        return !strcmp(mc__basename(want),
                       mc__basename(mc__str(f, "file", "")));
    return !strcmp(want, mc__str(f, key, ""));
}

static int entry_matches(const json_t *e, const json_t *f)
{
    const char *fp = mc__str(e, "fingerprint", "");
    if (*fp)
        return !strcmp(fp, mc__str(f, "fingerprint", ""));
    return !strcmp(mc__str(e, "check", ""), mc__str(f, "check", "")) &&
           field_matches(e, f, "file") && field_matches(e, f, "function") &&
           field_matches(e, f, "symbol");
}

static json_t *acceptance_record(const json_t *e, const char *status,
                                 json_t *ids)
{
    json_t *s = json_object();
    static const char *const keys[] = {"fingerprint", "check",  "file",
                                       "function",    "symbol", "reason",
                                       "expires",     "source"};
    for (size_t i = 0; i < MC_ARRAY_LEN(keys); i++)
        json_object_set_new(s, keys[i], json_string(mc__str(e, keys[i], "")));
    json_object_set_new(s, "kind", json_string("baseline"));
    json_object_set_new(s, "status", json_string(status));
    json_object_set_new(s, "findings", ids);
    return s;
}

static void mark(json_t *f, const json_t *e, int expired)
{
    json_t *info = json_pack(
        "{s:s, s:s, s:s}", "reason", mc__str(e, "reason", ""), "expires",
        mc__str(e, "expires", ""), "source", mc__str(e, "source", ""));
    if (expired) {
        json_object_set_new(f, "expired_acceptance", info);
        return;
    }
    json_object_set_new(f, "suppressed", json_true());
    json_object_set_new(f, "suppression", info);
}

static json_t *apply_one(json_t *findings, const json_t *e, time_t now)
{
    time_t until;
    const char *exp = mc__str(e, "expires", NULL);
    int expired = exp && mc__parse_expiry(exp, &until) == 0 && now >= until;
    json_t *ids = json_array();
    size_t i;
    json_t *f;
    json_array_foreach(findings, i, f)
    {
        if (mc__bool(f, "suppressed", 0) || !entry_matches(e, f))
            continue;
        mark(f, e, expired);
        json_array_append_new(ids, json_string(mc__str(f, "id", "")));
    }
    const char *status = expired                ? "expired"
                         : json_array_size(ids) ? "applied"
                                                : "unused";
    return acceptance_record(e, status, ids);
}

static json_t *apply_baseline(json_t *findings, const struct mc_policy *p)
{
    json_t *sup = json_array();
    size_t i;
    json_t *e;
    json_array_foreach(p->accepted, i, e)
    {
        json_array_append_new(sup, apply_one(findings, e, p->now));
    }
    return sup;
}

/* The analyzer applies inline suppressions itself; keep its record. Its
 * JSON lists them as "suppressed" (findings with a "reason"); a
 * "suppressions" array is accepted too. */
static void inline_list(json_t *sup, const json_t *arr)
{
    size_t i;
    json_t *s;
    json_array_foreach(arr, i, s)
    {
        if (!json_is_object(s))
            continue;
        json_t *c = json_deep_copy(s);
        json_object_set_new(c, "kind", json_string("inline"));
        if (!json_is_string(json_object_get(c, "reason")))
            json_object_set_new(c, "reason", json_string(""));
        if (!json_object_get(c, "status"))
            json_object_set_new(c, "status", json_string("applied"));
        json_array_append_new(sup, c);
    }
}

static void inline_suppressions(json_t *sup, const json_t *scan)
{
    inline_list(sup, json_object_get(scan, "suppressions"));
    inline_list(sup, json_object_get(scan, "suppressed"));
}

/* ---- verdict -------------------------------------------------------------- */

struct verdict_ctx {
    json_t *reasons, *failing;
    int certified, complete;
};

static void reason(struct verdict_ctx *v, const char *fmt, ...) MC_PRINTF(2, 3);
static void reason(struct verdict_ctx *v, const char *fmt, ...)
{
    char tmp[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    json_array_append_new(v->reasons, json_string(tmp));
}

static void completeness(struct verdict_ctx *v, const json_t *report,
                         const struct mc_report_inputs *in)
{
    const json_t *lenses =
        json_object_get(json_object_get(report, "run"), "lenses");
    const char *name;
    json_t *l;
    json_object_foreach((json_t *)lenses, name, l)
    {
        if (mc__bool(l, "ran", 0) && !mc__bool(l, "complete", 1)) {
            v->complete = 0;
            const char *note = mc__str(l, "note", "");
            reason(v, "incomplete: the %s lens was cut short%s%s%s", name,
                   *note ? " (" : "", note, *note ? ")" : "");
        }
    }
    if (in->interrupted) {
        v->complete = 0;
        reason(v, "incomplete: the run was interrupted");
    }
}

static void required_lenses(struct verdict_ctx *v, const json_t *report,
                            const struct mc_policy *p)
{
    const json_t *lenses =
        json_object_get(json_object_get(report, "run"), "lenses");
    size_t i;
    json_t *r;
    json_array_foreach(json_object_get(p->doc, "required_lenses"), i, r)
    {
        const json_t *l = json_object_get(lenses, json_string_value(r));
        if (l && mc__bool(l, "ran", 0))
            continue;
        v->certified = 0;
        const char *note = mc__str(l, "note", "");
        reason(v, "the policy requires the %s lens, which did not run%s%s",
               json_string_value(r), *note ? ": " : "", note);
    }
}

static void describe(struct mc_buf *b, const json_t *f)
{
    mc_buf_printf(b, "%s %s", mc__str(f, "id", "?"), mc__str(f, "check", "?"));
    if (*mc__str(f, "symbol", ""))
        mc_buf_printf(b, " '%s'", mc__str(f, "symbol", ""));
    if (mc__int(f, "line", 0) > 0)
        mc_buf_printf(b, " at %s:%lld", mc__basename(mc__str(f, "file", "")),
                      mc__int(f, "line", 0));
    mc_buf_printf(b, " (%s%s)", mc__str(f, "severity", "?"),
                  mc__bool(f, "confirmed", 0) ? ", confirmed" : "");
}

static void thresholds(struct verdict_ctx *v, const json_t *findings,
                       const json_t *fail_on)
{
    int on_confirmed = mc__bool(fail_on, "confirmed", 1);
    const char *sev = mc__str(fail_on, "severity", "medium");
    int thr = strcmp(sev, "none") ? mc__severity_rank(sev) : 99;
    size_t i;
    json_t *f;
    json_array_foreach(findings, i, f)
    {
        if (mc__bool(f, "suppressed", 0))
            continue;
        int conf = on_confirmed && mc__bool(f, "confirmed", 0);
        if (!conf && mc__severity_rank(mc__str(f, "severity", "")) < thr)
            continue;
        v->certified = 0;
        json_array_append_new(v->failing, json_string(mc__str(f, "id", "")));
        struct mc_buf b = MC_BUF_INIT;
        describe(&b, f);
        reason(v, "finding %s fails the policy (%s)", b.data,
               conf ? "confirmed at run time" : "severity threshold");
        mc_buf_free(&b);
    }
}

static void expired_notes(struct verdict_ctx *v, const json_t *sup)
{
    size_t i;
    json_t *s;
    json_array_foreach(sup, i, s)
    {
        if (strcmp(mc__str(s, "status", ""), "expired"))
            continue;
        reason(v,
               "the baseline acceptance of %s%s%s expired on %s: "
               "its findings count again",
               mc__str(s, "check", "?"), *mc__str(s, "symbol", "") ? " " : "",
               mc__str(s, "symbol", ""), mc__str(s, "expires", "?"));
    }
}

static json_t *counts(const json_t *findings)
{
    long long total = 0, sup = 0, conf = 0, sev[4] = {0, 0, 0, 0};
    size_t i;
    json_t *f;
    json_array_foreach(findings, i, f)
    {
        total++;
        if (mc__bool(f, "suppressed", 0)) {
            sup++;
            continue;
        }
        conf += mc__bool(f, "confirmed", 0);
        int r = mc__severity_rank(mc__str(f, "severity", ""));
        if (r >= 0)
            sev[r]++;
    }
    return json_pack("{s:I, s:I, s:I, s:{s:I, s:I, s:I, s:I}}", "total",
                     (json_int_t)total, "accepted", (json_int_t)sup,
                     "confirmed", (json_int_t)conf, "by_severity", "high",
                     (json_int_t)sev[3], "medium", (json_int_t)sev[2], "low",
                     (json_int_t)sev[1], "info", (json_int_t)sev[0]);
}

static json_t *policy_record(const struct mc_policy *p)
{
    json_t *rec = json_deep_copy(p->doc);
    json_object_del(rec, "accepted");
    json_object_set_new(rec, "baseline",
                        p->baseline_path ? json_string(p->baseline_path)
                                         : json_null());
    json_object_set_new(rec, "accepted_entries",
                        json_integer((json_int_t)json_array_size(p->accepted)));
    return rec;
}

void mc__apply_policy(json_t *report, const struct mc_report_inputs *in,
                      const struct mc_policy *p)
{
    json_t *findings = json_object_get(report, "findings");
    json_t *sup = apply_baseline(findings, p);
    inline_suppressions(sup, in->scan.doc);
    struct verdict_ctx v = {json_array(), json_array(), 1, 1};
    const json_t *fail_on = json_object_get(p->doc, "fail_on");
    completeness(&v, report, in);
    required_lenses(&v, report, p);
    thresholds(&v, findings, fail_on);
    expired_notes(&v, sup);
    int blocks = mc__bool(fail_on, "incomplete", 1) && !v.complete;
    if (blocks)
        v.certified = 0;
    if (v.certified)
        reason(&v, "no finding fails the policy");
    const char *status = blocks        ? "incomplete"
                         : v.certified ? "certified"
                                       : "not-certified";
    json_t *verdict = json_pack(
        "{s:b, s:s, s:o, s:o, s:o}", "certified", v.certified, "status", status,
        "reasons", v.reasons, "failing", v.failing, "counts", counts(findings));
    json_object_set_new(report, "suppressions", sup);
    json_object_set_new(report, "policy", policy_record(p));
    json_object_set_new(report, "complete", json_boolean(v.complete));
    json_object_set_new(report, "verdict", verdict);
}

int mc_report_exit_status(const json_t *report)
{
    const json_t *v = json_object_get(report, "verdict");
    const char *status = mc__str(v, "status", "incomplete");
    if (!strcmp(status, "certified") && mc__bool(v, "certified", 0))
        return MC_EXIT_OK;
    if (!strcmp(status, "not-certified"))
        return MC_EXIT_FINDINGS;
    return MC_EXIT_INCOMPLETE;
}
