/* test_report_render.c — SARIF structure, Markdown and HTML escaping of
 * hostile text, racing stacks and the interleaving picture, atomic writes. */
#include "helpers.h"

#include <sys/stat.h>
#include <unistd.h>

static json_t *counter_report(void)
{
    return merge_fixtures(
        "scan-counter.json", "audit-counter.json", "stress-counter-winnt.json",
        "stress-counter-prefork.json", "policy-baseline.json");
}

static char *render(const json_t *r, enum mc_format fmt)
{
    struct mc_buf b = MC_BUF_INIT, err = MC_BUF_INIT;
    if (mc_report_render(r, fmt, &b, &err) != MC_OK)
        fail_msg("render: %s", err.data);
    mc_buf_free(&err);
    return mc_buf_steal(&b);
}

static size_t count(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = hay; (p = strstr(p, needle)) != NULL; p++)
        n++;
    return n;
}

/* A report over hostile.c: source text, message and symbol all try to
 * inject markup. */
static json_t *hostile_report(void)
{
    json_t *scan = json_pack(
        "{s:[{s:s, s:s, s:s, s:i, s:i, s:s, s:s, s:s, s:[s], s:s, s:s}]}",
        "findings", "check", "global-race", "severity", "high", "file",
        "hostile.c", "line", 3, "column", 5, "function", "h<script>x()",
        "symbol", "\"><script>alert(2)</script>", "phase", "request", "path",
        "handler|<b>", "message",
        "<img src=x onerror=alert(1)> | `tick` [link](javascript:x)", "fix",
        "</p><iframe>");
    struct mc_report_inputs in;
    init_inputs(&in);
    in.module_name = "mod_<hostile>";
    in.source_root = FIXTURE_DIR;
    in.scan.doc = scan;
    struct mc_policy p;
    mc_policy_default(&p, TEST_NOW);
    json_t *r = NULL;
    struct mc_buf err = MC_BUF_INIT;
    assert_int_equal(mc_report_merge(&in, &p, &r, &err), MC_OK);
    mc_buf_free(&err);
    mc_policy_free(&p);
    json_decref(scan);
    return r;
}

static void html_escapes_hostile_text(void **state)
{
    (void)state;
    json_t *r = hostile_report();
    char *h = render(r, MC_FMT_HTML);
    assert_int_equal(count(h, "<script"), 1); /* our own inline script */
    assert_null(strstr(h, "<img"));
    assert_null(strstr(h, "<iframe"));
    assert_null(strstr(h, "<b>"));
    assert_non_null(strstr(h,
                           "&lt;/pre&gt;&lt;script&gt;alert(&quot;pwned&quot;"
                           ")&lt;/script&gt;"));
    assert_non_null(strstr(h, "&lt;img src=x onerror=alert(1)&gt; &amp; "
                              "&quot;quotes&quot; &#39;single&#39;"));
    /* the excerpt shows lines 1..6 around line 3, line 3 highlighted */
    assert_non_null(
        strstr(h, "<span class=\"hit\">    3  int hostile_line_2;"));
    assert_non_null(strstr(h, "    1  /* hostile.c"));
    assert_non_null(strstr(h, "mod_&lt;hostile&gt;"));
    free(h);
    json_decref(r);
}

static void markdown_escapes_hostile_text(void **state)
{
    (void)state;
    json_t *r = hostile_report();
    char *m = render(r, MC_FMT_MD);
    assert_null(strstr(m, "<img"));
    assert_null(strstr(m, "](javascript"));
    assert_non_null(
        strstr(m, "&lt;img src=x onerror=alert\\(1\\)&gt; \\| \\`tick\\` "
                  "\\[link\\]\\(javascript:x\\)"));
    assert_non_null(strstr(m,
                           "## modcert: **NOT CERTIFIED** — mod\\_&lt;hostile"
                           "&gt;"));
    free(m);
    json_decref(r);
}

static void html_shows_racing_stacks_and_interleaving(void **state)
{
    (void)state;
    json_t *r = counter_report();
    char *h = render(r, MC_FMT_HTML);
    assert_non_null(strstr(h, "id=\"verdict\" data-status=\"not-certified\""));
    assert_int_equal(count(h, "<article class=\"finding"),
                     json_array_size(json_object_get(r, "findings")));
    assert_int_equal(count(h, "<div class=\"stack\""), 2);
    assert_int_equal(count(h, "<svg class=\"interleaving\""), 1);
    assert_non_null(strstr(h, "data-root-cause=\"global hits\""));
    assert_non_null(strstr(h, "profile winnt &middot; detector tsan &middot; "
                              "seed 42 &middot; <b class=\"threaded\">"
                              "threaded-only</b>"));
    /* what ran, and what was accepted and why */
    assert_non_null(strstr(h, "profile prefork, detector tsan"));
    assert_non_null(strstr(h, "<td>applied</td><td>baseline</td><td>"
                              "mt-unsafe-call</td><td>strtok</td><td>label "
                              "parsing is rewritten in release 3</td>"));
    assert_non_null(strstr(h, "<td>expired</td>"));
    /* no external resources: the page works offline */
    assert_null(strstr(h, "src=\"http"));
    assert_null(strstr(h, "href=\"http"));
    free(h);
    json_decref(r);
}

static void sarif_structure(void **state)
{
    (void)state;
    json_t *r = counter_report();
    char *s = render(r, MC_FMT_SARIF);
    json_error_t je;
    json_t *doc = json_loads(s, 0, &je);
    assert_non_null(doc);
    assert_string_equal(str(doc, "version"), "2.1.0");
    json_t *run = json_array_get(json_object_get(doc, "runs"), 0);
    json_t *results = json_object_get(run, "results");
    json_t *rules = json_object_get(
        json_object_get(json_object_get(run, "tool"), "driver"), "rules");
    assert_int_equal(json_array_size(results),
                     json_array_size(json_object_get(r, "findings")));
    size_t i;
    json_t *res;
    int race_flows = 0, path_flows = 0, suppressed = 0;
    json_array_foreach(results, i, res)
    {
        size_t idx =
            (size_t)json_integer_value(json_object_get(res, "ruleIndex"));
        assert_string_equal(str(json_array_get(rules, idx), "id"),
                            str(res, "ruleId"));
        assert_int_equal(strlen(str(json_object_get(res, "partialFingerprints"),
                                    "modcertFingerprint/v1")),
                         16);
        json_t *flows = json_object_get(res, "codeFlows");
        json_t *tf = json_object_get(
            json_array_get(flows, json_array_size(flows) - 1), "threadFlows");
        if (!strcmp(str(res, "ruleId"), "dynamic-race") &&
            json_array_size(tf) == 2)
            race_flows++;
        if (!strcmp(str(res, "ruleId"), "mt-unsafe-call") &&
            json_array_size(
                json_object_get(json_array_get(tf, 0), "locations")) == 3)
            path_flows++;
        suppressed += json_object_get(res, "suppressions") != NULL;
    }
    assert_int_equal(race_flows, 1);
    assert_int_equal(path_flows, 1);
    assert_int_equal(suppressed, 2);
    json_t *rule0 = json_array_get(rules, 0);
    assert_non_null(
        strstr(str(json_object_get(rule0, "help"), "text"), "docs/checks/"));
    free(s);
    json_decref(doc);
    json_decref(r);
}

static void markdown_stays_comment_sized(void **state)
{
    (void)state;
    json_t *findings = json_array();
    for (int i = 0; i < 400; i++) {
        char sym[32];
        snprintf(sym, sizeof sym, "g%d", i % 40);
        json_array_append_new(
            findings,
            json_pack("{s:s, s:s, s:s, s:i, s:s, s:s, s:s}", "check",
                      "global-race", "severity", "error", "file", "m.c", "line",
                      i + 1, "function", "handler", "symbol", sym, "message",
                      "unsynchronized write of a global at "
                      "request time: threads race on it"));
    }
    json_t *scan = json_pack("{s:o}", "findings", findings);
    struct mc_report_inputs in;
    init_inputs(&in);
    in.scan.doc = scan;
    struct mc_policy p;
    mc_policy_default(&p, TEST_NOW);
    json_t *r = NULL;
    struct mc_buf err = MC_BUF_INIT;
    assert_int_equal(mc_report_merge(&in, &p, &r, &err), MC_OK);
    char *m = render(r, MC_FMT_MD);
    assert_true(strlen(m) < 40000);
    assert_non_null(strstr(m, "- … and 380 more\n"));
    assert_non_null(strstr(m, "250 more finding(s) not shown here"));
    free(m);
    mc_buf_free(&err);
    mc_policy_free(&p);
    json_decref(r);
    json_decref(scan);
}

static void write_is_atomic(void **state)
{
    (void)state;
    json_t *r = counter_report();
    char *path = scratch("atomic.html");
    struct mc_buf err = MC_BUF_INIT, tmp = MC_BUF_INIT;
    assert_int_equal(mc_report_write(r, MC_FMT_HTML, path, &err), MC_OK);
    mc_buf_printf(&tmp, "%s.tmp.%ld", path, (long)getpid());
    assert_int_not_equal(access(tmp.data, F_OK), 0); /* no leftover */
    char *text = NULL;
    assert_int_equal(mc_file_read(path, &text, NULL), MC_OK);
    assert_true(strncmp(text, "<!DOCTYPE html>", 15) == 0);
    free(text);
    /* a failing render leaves the previous file untouched */
    json_t *bad = json_pack("{s:s}", "schema", "something-else");
    assert_int_equal(mc_report_write(bad, MC_FMT_HTML, path, &err),
                     MC_ERR_PARSE);
    assert_int_equal(mc_file_read(path, &text, NULL), MC_OK);
    assert_true(strncmp(text, "<!DOCTYPE html>", 15) == 0);
    free(text);
    /* an unwritable destination is named */
    mc_buf_reset(&err);
    assert_int_equal(
        mc_report_write(r, MC_FMT_JSON, "/nonexistent/dir/r.json", &err),
        MC_ERR_IO);
    assert_non_null(strstr(err.data, "/nonexistent/dir/r.json"));
    /* all four renderings into a new directory */
    char *dir = scratch("out/nested");
    assert_int_equal(mc_report_write_all(r, dir, &err), MC_OK);
    static const char *const names[] = {"report.json", "report.sarif",
                                        "report.md", "report.html"};
    for (size_t i = 0; i < 4; i++) {
        struct mc_buf p = MC_BUF_INIT;
        mc_buf_printf(&p, "%s/%s", dir, names[i]);
        struct stat st;
        assert_int_equal(stat(p.data, &st), 0);
        assert_true(st.st_size > 100);
        mc_buf_free(&p);
    }
    json_decref(bad);
    json_decref(r);
    mc_buf_free(&err);
    mc_buf_free(&tmp);
    free(path);
    free(dir);
}

static void json_rendering_round_trips(void **state)
{
    (void)state;
    json_t *r = counter_report();
    char *s = render(r, MC_FMT_JSON);
    json_t *back = json_loads(s, 0, NULL);
    assert_true(json_equal(r, back));
    char d1[65], d2[65];
    mc_json_digest(r, d1);
    mc_json_digest(back, d2);
    assert_string_equal(d1, d2);
    free(s);
    json_decref(back);
    json_decref(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(html_escapes_hostile_text),
        cmocka_unit_test(markdown_escapes_hostile_text),
        cmocka_unit_test(html_shows_racing_stacks_and_interleaving),
        cmocka_unit_test(sarif_structure),
        cmocka_unit_test(markdown_stays_comment_sized),
        cmocka_unit_test(write_is_atomic),
        cmocka_unit_test(json_rendering_round_trips),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
