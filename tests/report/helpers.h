/*
 * helpers.h — shared by the report/ unit tests: fixture paths, loading
 * JSON fixtures, a scratch directory per test program, and a merge helper
 * with a fixed "now" so reports are deterministic. Single-threaded tests.
 */
#ifndef MC_REPORT_TEST_HELPERS_H
#define MC_REPORT_TEST_HELPERS_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mc_file.h"
#include "mc_report.h"

/* 2026-11-26T00:00:00Z: the tests' "today" (expiry checks). */
#define TEST_NOW ((time_t)1795651200)

static inline char *fixture(const char *name)
{
    struct mc_buf b = MC_BUF_INIT;
    mc_buf_printf(&b, "%s/%s", FIXTURE_DIR, name);
    return mc_buf_steal(&b);
}

static inline char *scratch(const char *name)
{
    assert_int_equal(mc_mkdirs(TEST_TMP_DIR), MC_OK);
    struct mc_buf b = MC_BUF_INIT;
    mc_buf_printf(&b, "%s/%s", TEST_TMP_DIR, name);
    return mc_buf_steal(&b);
}

static inline json_t *load_fixture(const char *name)
{
    char *p = fixture(name);
    json_error_t je;
    json_t *d = json_load_file(p, 0, &je);
    if (!d)
        fail_msg("fixture %s: %s", p, je.text);
    free(p);
    return d;
}

static inline void init_inputs(struct mc_report_inputs *in)
{
    memset(in, 0, sizeof *in);
    in->scan.exit_status = in->audit.exit_status = in->stress.exit_status = -1;
    in->scan.seconds = in->audit.seconds = in->stress.seconds = -1;
    in->module_name = "mod_hitcount";
}

/* Merges scan/audit/stress fixtures (NULL: lens did not run) under the
 * default policy, or the policy file `policy` when not NULL. */
static inline json_t *merge_fixtures(const char *scan, const char *audit,
                                     const char *stress1, const char *stress2,
                                     const char *policy)
{
    struct mc_report_inputs in;
    init_inputs(&in);
    json_t *s = scan ? load_fixture(scan) : NULL;
    json_t *a = audit ? load_fixture(audit) : NULL;
    json_t *d = NULL;
    if (stress1 && stress2)
        d = json_pack("[oo]", load_fixture(stress1), load_fixture(stress2));
    else if (stress1)
        d = load_fixture(stress1);
    in.scan.doc = s;
    in.audit.doc = a;
    in.stress.doc = d;
    struct mc_policy p;
    struct mc_buf err = MC_BUF_INIT;
    if (policy) {
        char *pp = fixture(policy);
        if (mc_policy_load(pp, TEST_NOW, &p, &err) != MC_OK)
            fail_msg("policy %s: %s", pp, err.data);
        free(pp);
    } else {
        mc_policy_default(&p, TEST_NOW);
    }
    json_t *r = NULL;
    if (mc_report_merge(&in, &p, &r, &err) != MC_OK)
        fail_msg("merge: %s", err.data);
    mc_buf_free(&err);
    mc_policy_free(&p);
    json_decref(s);
    json_decref(a);
    json_decref(d);
    return r;
}

/* The finding with check `check` and symbol `sym` (and line, if > 0). */
static inline json_t *find(const json_t *report, const char *check,
                           const char *sym, long long line)
{
    size_t i;
    json_t *f;
    json_array_foreach(json_object_get(report, "findings"), i, f)
    {
        if (!strcmp(json_string_value(json_object_get(f, "check")), check) &&
            !strcmp(json_string_value(json_object_get(f, "symbol")), sym) &&
            (line <= 0 ||
             json_integer_value(json_object_get(f, "line")) == line))
            return f;
    }
    return NULL;
}

static inline int is_true(const json_t *o, const char *k)
{
    return json_is_true(json_object_get(o, k));
}

static inline const char *str(const json_t *o, const char *k)
{
    const char *s = json_string_value(json_object_get(o, k));
    return s ? s : "";
}

#endif
