/* test_report_model.c — mc_report_merge on hand-written scan/audit/stress
 * fixtures: normalisation, correlation, policy thresholds, baseline with
 * expiry, completeness, canonical digests and the golden report. */
#include "helpers.h"

#include "mc_buf.h"

static json_t *counter_report(const char *policy)
{
    return merge_fixtures("scan-counter.json", "audit-counter.json",
                          "stress-counter-winnt.json",
                          "stress-counter-prefork.json", policy);
}

static int has_id(const json_t *arr, const char *id)
{
    size_t i;
    json_t *v;
    json_array_foreach(arr, i, v)
    {
        if (!strcmp(json_string_value(v), id))
            return 1;
    }
    return 0;
}

static void findings_from_every_lens(void **state)
{
    (void)state;
    json_t *r = counter_report(NULL);
    struct mc_buf err = MC_BUF_INIT;
    assert_int_equal(mc_report_check(r, &err), MC_OK);
    mc_buf_free(&err);
    assert_string_equal(str(r, "schema"), "modcert-report/1");
    assert_int_equal(json_array_size(json_object_get(r, "findings")), 8);
    json_t *s = find(r, "global-race", "hits", 41);
    json_t *b = find(r, "binary-writable-global", "hits", 0);
    json_t *d = find(r, "dynamic-race", "hits", 41);
    assert_non_null(s);
    assert_non_null(b);
    assert_non_null(d);
    assert_string_equal(str(s, "lens"), "static");
    assert_string_equal(str(s, "id"), "S1");
    assert_string_equal(str(b, "lens"), "binary");
    assert_string_equal(str(d, "lens"), "dynamic");
    assert_string_equal(str(d, "kind"), "race");
    assert_string_equal(str(s, "root_cause"), "global hits");
    assert_string_equal(
        str(find(r, "mt-unsafe-call", "strtok", 0), "root_cause"),
        "call strtok");
    json_t *run = json_object_get(r, "run");
    assert_int_equal(json_integer_value(json_object_get(run, "requests")),
                     2500);
    assert_int_equal(json_array_size(json_object_get(run, "profiles")), 2);
    assert_int_equal(json_array_size(json_object_get(r, "suppressions")), 1);
    json_decref(r);
}

static void correlation_rule(void **state)
{
    (void)state;
    json_t *r = counter_report(NULL);
    json_t *s41 = find(r, "global-race", "hits", 41);
    json_t *s43 = find(r, "global-race", "hits", 43);
    json_t *call = find(r, "mt-unsafe-call", "strtok", 0);
    json_t *bglob = find(r, "binary-writable-global", "hits", 0);
    json_t *bimp = find(r, "binary-mt-unsafe-import", "strtok", 0);
    json_t *race = find(r, "dynamic-race", "hits", 41);
    json_t *stub = find(r, "dynamic-race", "", 120);
    /* same file+line (relative vs absolute path) */
    assert_true(is_true(s41, "confirmed"));
    assert_true(has_id(json_object_get(s41, "confirmed_by"), str(race, "id")));
    /* line 43 is in the other racing stack; same symbol too */
    assert_true(is_true(s43, "confirmed"));
    /* no dynamic evidence for strtok */
    assert_false(is_true(call, "confirmed"));
    assert_int_equal(json_array_size(json_object_get(call, "confirmed_by")), 0);
    /* binary global confirmed by symbol; import only related to static */
    assert_true(is_true(bglob, "confirmed"));
    assert_false(is_true(bimp, "confirmed"));
    assert_true(has_id(json_object_get(call, "related"), str(bimp, "id")));
    /* the race itself is run-time evidence and lists what it confirms */
    assert_true(is_true(race, "confirmed"));
    assert_int_equal(json_array_size(json_object_get(race, "confirms")), 3);
    /* a race inside the stub is not the module's: info, not confirmed */
    assert_false(is_true(stub, "confirmed"));
    assert_string_equal(str(stub, "severity"), "info");
    json_decref(r);
}

static void default_policy_verdict(void **state)
{
    (void)state;
    json_t *r = counter_report(NULL);
    json_t *v = json_object_get(r, "verdict");
    assert_false(is_true(v, "certified"));
    assert_string_equal(str(v, "status"), "not-certified");
    assert_int_equal(mc_report_exit_status(r), MC_EXIT_FINDINGS);
    assert_true(is_true(r, "complete"));
    /* S1, S2, S3 (high), B1 (medium import), B2 (info, but confirmed),
     * D1 failed-check, D2 race; not D3 (info, in the stub) */
    json_t *failing = json_object_get(v, "failing");
    assert_int_equal(json_array_size(failing), 7);
    assert_true(has_id(failing, "B1"));
    assert_true(has_id(failing, "B2"));
    assert_false(has_id(failing, "D3"));
    int seen = 0;
    size_t i;
    json_t *x;
    json_array_foreach(json_object_get(v, "reasons"), i, x)
    {
        seen |= strstr(json_string_value(x), "S1 global-race 'hits' at "
                                             "mod_hitcount.c:41 (high, "
                                             "confirmed)") != NULL;
    }
    assert_true(seen);
    json_decref(r);
}

static void clean_module_is_certified(void **state)
{
    (void)state;
    json_t *r = merge_fixtures("scan-clean.json", NULL, "stress-clean.json",
                               NULL, NULL);
    json_t *v = json_object_get(r, "verdict");
    assert_true(is_true(v, "certified"));
    assert_string_equal(str(v, "status"), "certified");
    assert_int_equal(mc_report_exit_status(r), MC_EXIT_OK);
    json_t *lenses = json_object_get(json_object_get(r, "run"), "lenses");
    assert_false(is_true(json_object_get(lenses, "binary"), "ran"));
    json_decref(r);
}

static void cut_short_run_is_incomplete(void **state)
{
    (void)state;
    json_t *r = merge_fixtures("scan-clean.json", NULL, "stress-cut-short.json",
                               NULL, NULL);
    assert_false(is_true(r, "complete"));
    json_t *v = json_object_get(r, "verdict");
    assert_false(is_true(v, "certified"));
    assert_string_equal(str(v, "status"), "incomplete");
    assert_int_equal(mc_report_exit_status(r), MC_EXIT_INCOMPLETE);
    assert_non_null(find(r, "dynamic-timeout", "", 0));
    struct mc_buf err = MC_BUF_INIT;
    assert_int_equal(mc_report_check(r, &err), MC_OK);
    mc_buf_free(&err);
    json_decref(r);
}

static void lens_without_output_is_incomplete(void **state)
{
    (void)state;
    struct mc_report_inputs in;
    init_inputs(&in);
    json_t *scan = load_fixture("scan-clean.json");
    in.scan.doc = scan;
    in.scan.seconds = 0.5;
    in.stress.exit_status = 139; /* the harness itself was killed */
    in.stress.note = "modcert stress died with SIGSEGV";
    struct mc_policy p;
    mc_policy_default(&p, TEST_NOW);
    json_t *r = NULL;
    struct mc_buf err = MC_BUF_INIT;
    assert_int_equal(mc_report_merge(&in, &p, &r, &err), MC_OK);
    assert_false(is_true(r, "complete"));
    assert_int_equal(mc_report_exit_status(r), MC_EXIT_INCOMPLETE);
    json_t *dyn = json_object_get(
        json_object_get(json_object_get(r, "run"), "lenses"), "dynamic");
    assert_true(is_true(dyn, "ran"));
    assert_false(is_true(dyn, "complete"));
    json_t *reason = json_array_get(
        json_object_get(json_object_get(r, "verdict"), "reasons"), 0);
    assert_non_null(strstr(json_string_value(reason),
                           "dynamic lens was cut short (modcert stress died"));
    /* not attempted at all: not incomplete (unless required) */
    json_t *r2 = NULL;
    in.stress.exit_status = -1;
    in.stress.note = NULL;
    assert_int_equal(mc_report_merge(&in, &p, &r2, &err), MC_OK);
    assert_true(is_true(r2, "complete"));
    assert_int_equal(mc_report_exit_status(r2), MC_EXIT_OK);
    mc_buf_free(&err);
    mc_policy_free(&p);
    json_decref(scan);
    json_decref(r);
    json_decref(r2);
}

static void baseline_accepts_and_expires(void **state)
{
    (void)state;
    json_t *r = counter_report("policy-baseline.json");
    json_t *call = find(r, "mt-unsafe-call", "strtok", 0);
    json_t *bimp = find(r, "binary-mt-unsafe-import", "strtok", 0);
    json_t *race = find(r, "global-race", "hits", 41);
    assert_true(is_true(call, "suppressed"));
    assert_string_equal(str(json_object_get(call, "suppression"), "reason"),
                        "label parsing is rewritten in release 3");
    assert_true(is_true(bimp, "suppressed"));
    /* expired on 2020-01-31: counts again, and the verdict says why */
    assert_false(is_true(race, "suppressed"));
    assert_string_equal(
        str(json_object_get(race, "expired_acceptance"), "expires"),
        "2020-01-31");
    json_t *sup = json_object_get(r, "suppressions");
    assert_int_equal(json_array_size(sup), 5); /* 4 baseline + 1 inline */
    assert_string_equal(str(json_array_get(sup, 0), "status"), "applied");
    assert_string_equal(str(json_array_get(sup, 2), "status"), "expired");
    assert_string_equal(str(json_array_get(sup, 3), "status"), "unused");
    assert_string_equal(str(json_array_get(sup, 4), "kind"), "inline");
    json_t *v = json_object_get(r, "verdict");
    assert_false(is_true(v, "certified"));
    assert_false(has_id(json_object_get(v, "failing"), str(call, "id")));
    int expired_reason = 0;
    size_t i;
    json_t *x;
    json_array_foreach(json_object_get(v, "reasons"), i, x)
    {
        expired_reason |= strstr(json_string_value(x), "expired on "
                                                       "2020-01-31") != NULL;
    }
    assert_true(expired_reason);
    json_t *pol = json_object_get(r, "policy");
    assert_non_null(strstr(str(pol, "baseline"), "baseline-counter.json"));
    assert_string_equal(str(json_object_get(pol, "fail_on"), "severity"),
                        "medium");
    json_decref(r);
}

static void baseline_lets_legacy_module_pass(void **state)
{
    (void)state;
    /* Accept everything the counter report has, then re-merge: certified,
     * because only new problems fail. */
    json_t *r = counter_report(NULL);
    json_t *bl = mc_baseline_from_report(r, "legacy", "2099-01-01");
    char *path = scratch("accept-all.json");
    assert_int_equal(json_dump_file(bl, path, JSON_INDENT(2)), 0);
    struct mc_policy p;
    mc_policy_default(&p, TEST_NOW);
    struct mc_buf err = MC_BUF_INIT;
    assert_int_equal(mc_policy_add_baseline(&p, path, &err), MC_OK);
    struct mc_report_inputs in;
    init_inputs(&in);
    json_t *scan = load_fixture("scan-counter.json");
    in.scan.doc = scan;
    json_t *r2 = NULL;
    assert_int_equal(mc_report_merge(&in, &p, &r2, &err), MC_OK);
    assert_true(is_true(json_object_get(r2, "verdict"), "certified"));
    /* a new finding (another line, another function) is not accepted */
    json_t *extra =
        json_deep_copy(json_array_get(json_object_get(scan, "findings"), 0));
    json_object_set_new(extra, "function", json_string("new_function"));
    json_array_append_new(json_object_get(scan, "findings"), extra);
    json_t *r3 = NULL;
    assert_int_equal(mc_report_merge(&in, &p, &r3, &err), MC_OK);
    assert_false(is_true(json_object_get(r3, "verdict"), "certified"));
    assert_int_equal(json_array_size(json_object_get(
                         json_object_get(r3, "verdict"), "failing")),
                     1);
    mc_buf_free(&err);
    mc_policy_free(&p);
    json_decref(scan);
    json_decref(r);
    json_decref(r2);
    json_decref(r3);
    json_decref(bl);
    free(path);
}

static void fingerprint_ignores_lines(void **state)
{
    (void)state;
    json_t *a = json_pack("{s:s, s:s, s:i, s:s, s:s}", "check", "global-race",
                          "file", "/a/b/mod_x.c", "line", 10, "function", "h",
                          "symbol", "hits");
    json_t *b =
        json_pack("{s:s, s:s, s:i, s:s, s:s}", "check", "global-race", "file",
                  "src/mod_x.c", "line", 99, "function", "h", "symbol", "hits");
    json_t *c = json_pack("{s:s, s:s, s:i, s:s, s:s}", "check", "global-race",
                          "file", "src/mod_x.c", "line", 99, "function", "h",
                          "symbol", "misses");
    char fa[17], fb[17], fc[17];
    mc_finding_fingerprint(a, fa);
    mc_finding_fingerprint(b, fb);
    mc_finding_fingerprint(c, fc);
    assert_string_equal(fa, fb);
    assert_string_not_equal(fa, fc);
    assert_int_equal(strlen(fa), 16);
    json_decref(a);
    json_decref(b);
    json_decref(c);
}

static void policy_errors_are_named(void **state)
{
    (void)state;
    struct mc_policy p;
    struct mc_buf err = MC_BUF_INIT;
    char *bad = fixture("policy-bad-key.json");
    assert_int_equal(mc_policy_load(bad, TEST_NOW, &p, &err), MC_ERR_PARSE);
    assert_non_null(strstr(err.data, "fail_onn"));
    mc_buf_reset(&err);
    char *nr = fixture("baseline-no-reason.json");
    mc_policy_default(&p, TEST_NOW);
    assert_int_equal(mc_policy_add_baseline(&p, nr, &err), MC_ERR_PARSE);
    assert_non_null(strstr(err.data, "reason"));
    assert_non_null(strstr(err.data, "baseline-no-reason.json"));
    mc_policy_free(&p);
    mc_buf_free(&err);
    free(bad);
    free(nr);
}

static void canonical_json_is_order_and_space_free(void **state)
{
    (void)state;
    json_t *a = json_loads("{\"b\": [1, 2.5, {\"z\": 1, \"a\": \"x/y\"}],"
                           " \"a\": null}",
                           0, NULL);
    json_t *b = json_loads("{\"a\":null,\"b\":[1,2.5,{\"a\":\"x/y\",\"z\":1}]}",
                           0, NULL);
    char *ca = mc_json_canonical(a);
    assert_string_equal(ca,
                        "{\"a\":null,\"b\":[1,2.5,{\"a\":\"x/y\",\"z\":1}]}");
    char da[65], db[65];
    mc_json_digest(a, da);
    mc_json_digest(b, db);
    assert_string_equal(da, db);
    /* dump(parse(canonical)) == canonical */
    json_t *c = json_loads(ca, 0, NULL);
    char *cc = mc_json_canonical(c);
    assert_string_equal(ca, cc);
    free(ca);
    free(cc);
    json_decref(a);
    json_decref(b);
    json_decref(c);
}

/* Golden: compared structurally, without volatile members. */
static void strip_volatile(json_t *v)
{
    static const char *const keys[] = {"generated", "seconds", "baseline"};
    if (json_is_object(v)) {
        for (size_t i = 0; i < MC_ARRAY_LEN(keys); i++)
            json_object_del(v, keys[i]);
        /* Where the checkout lives is not part of the report's meaning. */
        const char *src = json_string_value(json_object_get(v, "source"));
        if (src && strrchr(src, '/'))
            json_object_set_new(v, "source",
                                json_string(strrchr(src, '/') + 1));
        const char *k;
        json_t *x;
        json_object_foreach(v, k, x)
        {
            strip_volatile(x);
        }
    } else if (json_is_array(v)) {
        size_t i;
        json_t *x;
        json_array_foreach(v, i, x)
        {
            strip_volatile(x);
        }
    }
}

static void golden_counter_report(void **state)
{
    (void)state;
    json_t *r = counter_report("policy-baseline.json");
    json_error_t je;
    json_t *g = json_load_file(GOLDEN_DIR "/counter-report.json", 0, &je);
    char *actual = scratch("counter-report.actual.json");
    json_dump_file(r, actual, JSON_INDENT(2) | JSON_SORT_KEYS);
    if (!g)
        fail_msg("golden %s/counter-report.json: %s (actual written to %s)",
                 GOLDEN_DIR, je.text, actual);
    strip_volatile(r);
    strip_volatile(g);
    if (!json_equal(r, g))
        fail_msg("report differs from golden/counter-report.json; actual: %s",
                 actual);
    free(actual);
    json_decref(r);
    json_decref(g);
}

static void garbage_findings_do_not_break_the_report(void **state)
{
    (void)state;
    json_t *scan = json_loads(
        "{\"findings\": [1, \"x\", null, {\"line\": \"12\", \"path\": "
        "\"a\", \"locks\": 7, \"severity\": \"catastrophic\"}, {}]}",
        0, NULL);
    json_t *stress =
        json_loads("[{\"findings\": [{\"kind\": \"race\", \"stacks\": [[{}], "
                   "{\"frames\": 3}, 5]}, 9]}, 4, {\"complete\": \"yes\"}]",
                   0, NULL);
    assert_non_null(scan);
    assert_non_null(stress);
    struct mc_report_inputs in;
    init_inputs(&in);
    in.scan.doc = scan;
    in.stress.doc = stress;
    struct mc_policy p;
    mc_policy_default(&p, TEST_NOW);
    json_t *r = NULL;
    struct mc_buf err = MC_BUF_INIT;
    assert_int_equal(mc_report_merge(&in, &p, &r, &err), MC_OK);
    assert_int_equal(mc_report_check(r, &err), MC_OK);
    assert_int_equal(json_array_size(json_object_get(r, "findings")), 3);
    for (int fmt = MC_FMT_JSON; fmt <= MC_FMT_TEXT; fmt++) {
        struct mc_buf out = MC_BUF_INIT;
        assert_int_equal(mc_report_render(r, (enum mc_format)fmt, &out, &err),
                         MC_OK);
        assert_true(out.len > 0);
        mc_buf_free(&out);
    }
    mc_buf_free(&err);
    mc_policy_free(&p);
    json_decref(r);
    json_decref(scan);
    json_decref(stress);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(findings_from_every_lens),
        cmocka_unit_test(correlation_rule),
        cmocka_unit_test(default_policy_verdict),
        cmocka_unit_test(clean_module_is_certified),
        cmocka_unit_test(cut_short_run_is_incomplete),
        cmocka_unit_test(lens_without_output_is_incomplete),
        cmocka_unit_test(baseline_accepts_and_expires),
        cmocka_unit_test(baseline_lets_legacy_module_pass),
        cmocka_unit_test(fingerprint_ignores_lines),
        cmocka_unit_test(policy_errors_are_named),
        cmocka_unit_test(canonical_json_is_order_and_space_free),
        cmocka_unit_test(golden_counter_report),
        cmocka_unit_test(garbage_findings_do_not_break_the_report),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
