/*
 * check.c — mc_report_check(): the structural contract of a
 * "modcert-report/1" document that renderers, `modcert report` and
 * certificates rely on (docs/report.md; docs/report-schema.json is the same
 * contract as a JSON Schema).
 */
#include "internal.h"

#include <string.h>

static const char *const lenses[] = {"static", "binary", "dynamic"};
static const char *const statuses[] = {"certified", "not-certified",
                                       "incomplete"};

static int one_of(const char *s, const char *const *set, size_t n)
{
    for (size_t i = 0; s && i < n; i++) {
        if (!strcmp(s, set[i]))
            return 1;
    }
    return 0;
}

static mc_status check_finding(const json_t *f, size_t i, struct mc_buf *err)
{
    static const char *const strs[] = {"id",          "check",     "file",
                                       "function",    "symbol",    "message",
                                       "fingerprint", "root_cause"};
    if (!json_is_object(f)) {
        mc__err(err, "findings[%zu] is not an object", i);
        return MC_ERR_PARSE;
    }
    for (size_t k = 0; k < MC_ARRAY_LEN(strs); k++) {
        if (!json_is_string(json_object_get(f, strs[k]))) {
            mc__err(err, "findings[%zu].%s must be a string", i, strs[k]);
            return MC_ERR_PARSE;
        }
    }
    if (!one_of(mc__str(f, "lens", NULL), lenses, 3) ||
        mc__severity_rank(mc__str(f, "severity", NULL)) < 0 ||
        !json_is_integer(json_object_get(f, "line")) ||
        !json_is_boolean(json_object_get(f, "confirmed")) ||
        !json_is_boolean(json_object_get(f, "suppressed"))) {
        mc__err(err,
                "findings[%zu] (%s): lens, severity, line, confirmed or "
                "suppressed is missing or invalid",
                i, mc__str(f, "id", "?"));
        return MC_ERR_PARSE;
    }
    return MC_OK;
}

static mc_status check_verdict(const json_t *v, struct mc_buf *err)
{
    if (!json_is_object(v) ||
        !json_is_boolean(json_object_get(v, "certified")) ||
        !json_is_array(json_object_get(v, "reasons")) ||
        !one_of(mc__str(v, "status", NULL), statuses, 3)) {
        mc__err(err, "verdict must have certified (boolean), status and "
                     "reasons (array)");
        return MC_ERR_PARSE;
    }
    return MC_OK;
}

mc_status mc_report_check(const json_t *r, struct mc_buf *err)
{
    if (!json_is_object(r) ||
        strcmp(mc__str(r, "schema", ""), MC_REPORT_SCHEMA) != 0) {
        mc__err(err, "not a modcert report (\"schema\" must be \"%s\")",
                MC_REPORT_SCHEMA);
        return MC_ERR_PARSE;
    }
    const json_t *m = json_object_get(r, "module");
    if (!json_is_object(m) || !json_is_string(json_object_get(m, "name"))) {
        mc__err(err, "report: module.name is missing");
        return MC_ERR_PARSE;
    }
    if (!json_is_object(json_object_get(r, "run")) ||
        !json_is_boolean(json_object_get(r, "complete")) ||
        !json_is_array(json_object_get(r, "suppressions"))) {
        mc__err(err, "report: run, complete or suppressions is missing");
        return MC_ERR_PARSE;
    }
    const json_t *fs = json_object_get(r, "findings");
    if (!json_is_array(fs)) {
        mc__err(err, "report: findings must be an array");
        return MC_ERR_PARSE;
    }
    size_t i;
    json_t *f;
    json_array_foreach(fs, i, f)
    {
        if (check_finding(f, i, err) != MC_OK)
            return MC_ERR_PARSE;
    }
    return check_verdict(json_object_get(r, "verdict"), err);
}
