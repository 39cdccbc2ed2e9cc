/*
 * policy.c — policy files (what to run, what fails the verdict) and
 * baselines (findings accepted, with a reason and an expiry date, so a
 * legacy module fails only on new problems). Formats: docs/report.md.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

#include "mc_file.h"

static const char *const policy_keys[] = {
    "schema",       "lenses",   "required_lenses", "profiles",    "detector",
    "differential", "requests", "seconds",         "threads",     "seed",
    "fail_on",      "baseline", "accepted",        "description",
};
static const char *const fail_on_keys[] = {"confirmed", "severity",
                                           "incomplete"};

static json_t *default_doc(void)
{
    return json_pack("{s:s, s:[sss], s:[], s:[ss], s:s, s:b, s:i, s:i, s:i,"
                     " s:{s:b, s:s, s:b}}",
                     "schema", MC_POLICY_SCHEMA, "lenses", "static", "binary",
                     "dynamic", "required_lenses", "profiles", "winnt",
                     "prefork", "detector", "auto", "differential", 1,
                     "requests", 2000, "seconds", 20, "threads", 8, "fail_on",
                     "confirmed", 1, "severity", "medium", "incomplete", 1);
}

void mc_policy_default(struct mc_policy *p, time_t now)
{
    memset(p, 0, sizeof *p);
    p->doc = default_doc();
    p->accepted = json_array();
    p->now = now;
}

void mc_policy_free(struct mc_policy *p)
{
    json_decref(p->doc);
    json_decref(p->accepted);
    free(p->baseline_path);
    memset(p, 0, sizeof *p);
}

static int known_key(const char *k, const char *const *keys, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (!strcmp(k, keys[i]))
            return 1;
    }
    return 0;
}

static mc_status check_keys(const json_t *obj, const char *const *keys,
                            size_t n, const char *where, struct mc_buf *err)
{
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)obj, k, v)
    {
        if (!known_key(k, keys, n)) {
            mc__err(err, "%s: unknown key '%s'", where, k);
            return MC_ERR_PARSE;
        }
    }
    return MC_OK;
}

/* Checks one baseline entry: a reason, a well-formed expiry, something to
 * match on. */
static mc_status check_entry(const json_t *e, const char *where, size_t i,
                             struct mc_buf *err)
{
    time_t t;
    if (!json_is_object(e)) {
        mc__err(err, "%s: accepted[%zu] is not an object", where, i);
        return MC_ERR_PARSE;
    }
    if (!*mc__str(e, "reason", "")) {
        mc__err(err, "%s: accepted[%zu] needs a non-empty \"reason\"", where,
                i);
        return MC_ERR_PARSE;
    }
    const char *exp = mc__str(e, "expires", NULL);
    if (exp && mc__parse_expiry(exp, &t) != 0) {
        mc__err(err,
                "%s: accepted[%zu]: \"expires\" must be YYYY-MM-DD, not "
                "'%s'",
                where, i, exp);
        return MC_ERR_PARSE;
    }
    if (!*mc__str(e, "fingerprint", "") && !*mc__str(e, "check", "")) {
        mc__err(err,
                "%s: accepted[%zu] needs a \"fingerprint\" or a "
                "\"check\"",
                where, i);
        return MC_ERR_PARSE;
    }
    return MC_OK;
}

static mc_status add_entries(struct mc_policy *p, const json_t *arr,
                             const char *where, struct mc_buf *err)
{
    if (!arr)
        return MC_OK;
    if (!json_is_array(arr)) {
        mc__err(err, "%s: \"accepted\" must be an array", where);
        return MC_ERR_PARSE;
    }
    size_t i;
    json_t *e;
    json_array_foreach(arr, i, e)
    {
        if (check_entry(e, where, i, err) != MC_OK)
            return MC_ERR_PARSE;
        json_t *copy = json_deep_copy(e);
        json_object_set_new(copy, "source", json_string(where));
        json_array_append_new(p->accepted, copy);
    }
    return MC_OK;
}

static json_t *load_json(const char *path, const char *what, struct mc_buf *err)
{
    json_error_t je;
    json_t *doc = json_load_file(path, 0, &je);
    if (!doc) {
        mc__err(err, "cannot read %s '%s': %s (line %d)", what, path, je.text,
                je.line);
        return NULL;
    }
    if (!json_is_object(doc)) {
        mc__err(err, "%s '%s' is not a JSON object", what, path);
        json_decref(doc);
        return NULL;
    }
    return doc;
}

mc_status mc_policy_add_baseline(struct mc_policy *p, const char *path,
                                 struct mc_buf *err)
{
    json_t *doc = load_json(path, "baseline", err);
    if (!doc)
        return MC_ERR_PARSE;
    const char *schema = mc__str(doc, "schema", "");
    mc_status st = MC_OK;
    if (strcmp(schema, MC_BASELINE_SCHEMA) != 0) {
        mc__err(err, "baseline '%s': \"schema\" must be \"%s\"", path,
                MC_BASELINE_SCHEMA);
        st = MC_ERR_PARSE;
    } else {
        st = add_entries(p, json_object_get(doc, "accepted"), path, err);
    }
    if (st == MC_OK && !p->baseline_path)
        p->baseline_path = mc_xstrdup(path);
    json_decref(doc);
    return st;
}

static char *resolve_relative(const char *base_file, const char *rel)
{
    if (rel[0] == '/')
        return mc_xstrdup(rel);
    const char *slash = strrchr(base_file, '/');
    if (!slash)
        return mc_xstrdup(rel);
    struct mc_buf b = MC_BUF_INIT;
    mc_buf_append(&b, base_file, (size_t)(slash - base_file) + 1);
    mc_buf_puts(&b, rel);
    return mc_buf_steal(&b);
}

static mc_status validate_policy(const json_t *doc, const char *path,
                                 struct mc_buf *err)
{
    if (check_keys(doc, policy_keys, MC_ARRAY_LEN(policy_keys), path, err))
        return MC_ERR_PARSE;
    if (strcmp(mc__str(doc, "schema", ""), MC_POLICY_SCHEMA) != 0) {
        mc__err(err, "policy '%s': \"schema\" must be \"%s\"", path,
                MC_POLICY_SCHEMA);
        return MC_ERR_PARSE;
    }
    const json_t *fo = json_object_get(doc, "fail_on");
    if (fo && (!json_is_object(fo) ||
               check_keys(fo, fail_on_keys, MC_ARRAY_LEN(fail_on_keys),
                          "policy fail_on", err)))
        return MC_ERR_PARSE;
    const char *sev = mc__str(fo, "severity", "medium");
    if (strcmp(sev, "none") && mc__severity_rank(sev) < 0) {
        mc__err(err,
                "policy '%s': fail_on.severity must be info, low, "
                "medium, high or none, not '%s'",
                path, sev);
        return MC_ERR_PARSE;
    }
    return MC_OK;
}

/* Fills in defaults for keys the policy file leaves out. */
static void merge_defaults(json_t *doc)
{
    json_t *def = default_doc();
    json_t *fo = json_object_get(doc, "fail_on");
    if (fo)
        json_object_update_missing(fo, json_object_get(def, "fail_on"));
    json_object_update_missing(doc, def);
    json_decref(def);
}

mc_status mc_policy_load(const char *path, time_t now, struct mc_policy *p,
                         struct mc_buf *err)
{
    mc_policy_default(p, now);
    json_t *doc = load_json(path, "policy", err);
    if (!doc || validate_policy(doc, path, err) != MC_OK ||
        add_entries(p, json_object_get(doc, "accepted"), path, err)) {
        json_decref(doc);
        mc_policy_free(p);
        return MC_ERR_PARSE;
    }
    merge_defaults(doc);
    json_decref(p->doc);
    p->doc = doc;
    const char *bl = mc__str(doc, "baseline", NULL);
    if (bl) {
        char *full = resolve_relative(path, bl);
        mc_status st = mc_policy_add_baseline(p, full, err);
        free(full);
        if (st != MC_OK) {
            mc_policy_free(p);
            return st;
        }
    }
    return MC_OK;
}

void mc_finding_fingerprint(const json_t *f, char out[17])
{
    struct mc_buf b = MC_BUF_INIT;
    mc_buf_printf(&b, "%s", mc__str(f, "check", ""));
    mc_buf_putc(&b, '\x1f');
    mc_buf_puts(&b, mc__basename(mc__str(f, "file", "")));
    mc_buf_putc(&b, '\x1f');
    mc_buf_puts(&b, mc__str(f, "function", ""));
    mc_buf_putc(&b, '\x1f');
    mc_buf_puts(&b, mc__str(f, "symbol", ""));
    char hex[65];
    mc_sha256_hex(b.data, b.len, hex);
    mc_buf_free(&b);
    memcpy(out, hex, 16);
    out[16] = '\0';
}

json_t *mc_baseline_from_report(const json_t *report, const char *reason,
                                const char *expires)
{
    json_t *acc = json_array();
    size_t i;
    json_t *f;
    json_array_foreach(json_object_get(report, "findings"), i, f)
    {
        if (mc__bool(f, "suppressed", 0))
            continue;
        json_t *e = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "fingerprint",
                              mc__str(f, "fingerprint", ""), "check",
                              mc__str(f, "check", ""), "file",
                              mc__basename(mc__str(f, "file", "")), "function",
                              mc__str(f, "function", ""), "symbol",
                              mc__str(f, "symbol", ""), "reason", reason);
        if (expires)
            json_object_set_new(e, "expires", json_string(expires));
        json_array_append_new(acc, e);
    }
    return json_pack("{s:s, s:o}", "schema", MC_BASELINE_SCHEMA, "accepted",
                     acc);
}
