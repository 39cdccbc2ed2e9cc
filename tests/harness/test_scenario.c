/* test_scenario.c — unit tests of harness/scenario.c and check.c: parsing
 * good and bad scenarios (exact messages), templates, response checks and
 * relations. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario.h"

static const char good[] =
    "{\"name\": \"counter\", \"description\": \"d\",\n"
    " \"setup\": [{\"id\": \"reset\", \"method\": \"POST\", \"path\": "
    "\"/reset\", \"body\": \"x={seq}\"}],\n"
    " \"load\": [\n"
    "  {\"id\": \"hit\", \"path\": \"/c?t={token}\", \"weight\": 3,\n"
    "   \"headers\": {\"X-Token\": \"{token}-{conn}\"},\n"
    "   \"expect\": {\"status\": 200,\n"
    "     \"headers\": {\"Content-Type\": \"re:^text/plain\", \"X-Bad\": "
    "null,\n"
    "                 \"X-Echo\": \"{token}\"},\n"
    "     \"body\": \"re:^hits=[0-9]+\\n$\", \"body_contains\": \"hits\"},\n"
    "   \"capture\": {\"count\": \"hits=([0-9]+)\"}},\n"
    "  {\"id\": \"peek\", \"method\": \"HEAD\", \"path\": \"/c\", "
    "\"comment\": \"ignored\"}],\n"
    " \"final\": [{\"id\": \"total\", \"path\": \"/total\",\n"
    "   \"capture\": {\"n\": \"total=([0-9]+)\"}}],\n"
    " \"relations\": [\n"
    "  {\"kind\": \"distinct\", \"request\": \"hit\", \"capture\": "
    "\"count\"},\n"
    "  {\"kind\": \"equals-count\", \"request\": \"total\", \"capture\": "
    "\"n\", \"of\": \"hit\", \"offset\": 1},\n"
    "  {\"kind\": \"max-equals-count\", \"request\": \"hit\", \"capture\": "
    "\"count\"}]}\n";

static struct mc_scenario *parse_ok(const char *text)
{
    struct mc_scenario *s = NULL;
    char err[512] = "";
    mc_status st = mc_scenario_parse(text, "t.json", &s, err, sizeof err);
    if (st)
        fail_msg("unexpected parse error: %s", err);
    return s;
}

static void good_scenario_parses(void **state)
{
    (void)state;
    struct mc_scenario *s = parse_ok(good);
    assert_string_equal(s->name, "counter");
    assert_int_equal(s->nsetup, 1);
    assert_int_equal(s->nload, 2);
    assert_int_equal(s->nfinal, 1);
    assert_int_equal(s->nall, 4);
    assert_int_equal(s->total_weight, 4);
    const struct mc_request *hit = mc_scenario_find(s, "hit");
    assert_non_null(hit);
    assert_int_equal(hit->index, 1);
    assert_string_equal(hit->method, "GET");
    assert_false(hit->path.constant);
    assert_int_equal(hit->weight, 3);
    assert_int_equal(hit->expect_status, 200);
    assert_int_equal(hit->nexpect_headers, 3);
    assert_int_equal(hit->expect_headers[1].match.kind, MC_MATCH_ABSENT);
    assert_int_equal(hit->expect_body.kind, MC_MATCH_REGEX);
    assert_non_null(hit->expect_body.re);
    assert_true(hit->needs_body);
    assert_int_equal(hit->ncaptures, 1);
    const struct mc_request *peek = mc_scenario_find(s, "peek");
    assert_string_equal(peek->method, "HEAD");
    assert_true(peek->path.constant);
    assert_int_equal(peek->expect_status, 0);
    assert_false(peek->needs_body);
    assert_int_equal(s->nrelations, 3);
    assert_int_equal(s->relations[1].kind, MC_REL_EQUALS_COUNT);
    assert_ptr_equal(s->relations[1].of, hit);
    assert_int_equal(s->relations[1].offset, 1);
    assert_string_equal(mc_scenario_find(s, "reset")->section, "setup");
    mc_scenario_free(s);
}

static void default_ids_and_scenario(void **state)
{
    (void)state;
    struct mc_scenario *s = parse_ok("{\"load\": [{}, {\"path\": \"/x\"}]}");
    assert_string_equal(s->load[0].id, "load[0]");
    assert_string_equal(s->load[1].id, "load[1]");
    assert_string_equal(s->load[0].path.src, "/");
    assert_string_equal(s->name, "t"); /* from the file name */
    mc_scenario_free(s);
    s = mc_scenario_default("/a?b=1");
    assert_string_equal(s->load[0].path.src, "/a?b=1&t={token}");
    assert_int_equal(s->load[0].expect_status, 200);
    mc_scenario_free(s);
}

struct bad_case {
    const char *json;
    const char *message; /* exact, or prefix when it ends with '*' */
};

static const struct bad_case bad_cases[] = {
    {"{\"load\": [{\"expect\": {\"status\": \"200\"}}]}",
     "t.json: load[0].expect.status: expected a number"},
    {"{\"load\": [{}, {}, {\"expect\": {\"status\": true}}]}",
     "t.json: load[2].expect.status: expected a number"},
    {"{\"load\": [{\"expect\": {\"status\": 999}}]}",
     "t.json: load[0].expect.status: status 999 is not between 100 and 599"},
    {"{\"name\": \"x\"}",
     "t.json: load: missing (a non-empty array of requests)"},
    {"{\"load\": []}", "t.json: load: expected a non-empty array of requests"},
    {"[]", "t.json: expected a JSON object at the top level"},
    {"{\"load\": [{}], \"lod\": 1}", "t.json: lod: unknown field"},
    {"{\"load\": [{\"expct\": {}}]}", "t.json: load[0].expct: unknown field"},
    {"{\"load\": [{\"expect\": {\"bdy\": \"x\"}}]}",
     "t.json: load[0].expect.bdy: unknown field"},
    {"{\"setup\": [{\"id\": \"a\"}], \"load\": [{\"id\": \"b\"}, {\"id\": "
     "\"a\"}]}",
     "t.json: load[1].id: duplicate id 'a' (also setup[0])"},
    {"{\"load\": [{\"path\": \"x\"}]}",
     "t.json: load[0].path: 'x' must start with '/' and contain no spaces"},
    {"{\"load\": [{\"method\": \"get\"}]}",
     "t.json: load[0].method: invalid method 'get'"},
    {"{\"load\": [{\"weight\": 0}]}",
     "t.json: load[0].weight: expected a positive integer (at most 1000000)"},
    {"{\"load\": [{\"headers\": {\"X-A\": null}}]}",
     "t.json: load[0].headers.X-A: expected a string"},
    {"{\"load\": [{\"expect\": {\"headers\": {\"X-A\": 3}}}]}",
     "t.json: load[0].expect.headers.X-A: expected a string or null"},
    {"{\"load\": [{\"expect\": {\"body\": \"re:(ab\"}}]}",
     "t.json: load[0].expect.body: bad regular expression '(ab': *"},
    {"{\"load\": [{\"expect\": {\"body\": \"re:({token}\"}}]}",
     "t.json: load[0].expect.body: bad regular expression '({token}': *"},
    {"{\"load\": [{\"capture\": {\"n\": \"hits=[0-9]+\"}}]}",
     "t.json: load[0].capture.n: regular expression 'hits=[0-9]+' has no "
     "group ( )"},
    {"{\"load\": [{\"id\": \"a\"}], \"relations\": [{\"kind\": "
     "\"distinct\", \"request\": \"x\", \"capture\": \"n\"}]}",
     "t.json: relations[0].request: no request has id 'x'"},
    {"{\"load\": [{\"id\": \"a\"}], \"relations\": [{\"kind\": "
     "\"distinct\", \"request\": \"a\", \"capture\": \"n\"}]}",
     "t.json: relations[0].capture: request 'a' has no capture 'n'"},
    {"{\"load\": [{\"id\": \"a\", \"capture\": {\"n\": \"(x)\"}}], "
     "\"relations\": [{\"kind\": \"equals-count\", \"request\": \"a\", "
     "\"capture\": \"n\"}]}",
     "t.json: relations[0].of: missing (a request id)"},
    {"{\"load\": [{\"id\": \"a\", \"capture\": {\"n\": \"(x)\"}}], "
     "\"relations\": [{\"kind\": \"unique\", \"request\": \"a\", "
     "\"capture\": \"n\"}]}",
     "t.json: relations[0].kind: unknown relation 'unique' (distinct, "
     "equals-count, max-equals-count)"},
    {"{\"load\": [{\"id\": \"a\", \"capture\": {\"n\": \"(x)\"}}], "
     "\"relations\": [{\"kind\": \"max-equals-count\", \"request\": \"a\", "
     "\"capture\": \"n\", \"offset\": \"1\"}]}",
     "t.json: relations[0].offset: expected an integer"},
    {"{\"load\": [{}]", "t.json:1:13: invalid JSON: *"},
    {"{\"load\": [{}], \"load\": [{}]}", "t.json:1:*"},
};

static void bad_scenarios_name_the_field(void **state)
{
    (void)state;
    for (size_t i = 0; i < MC_ARRAY_LEN(bad_cases); i++) {
        struct mc_scenario *s = NULL;
        char err[512] = "";
        mc_status st =
            mc_scenario_parse(bad_cases[i].json, "t.json", &s, err, sizeof err);
        if (st != MC_ERR_PARSE || s)
            fail_msg("case %zu parsed: %s", i, bad_cases[i].json);
        const char *want = bad_cases[i].message;
        size_t n = strlen(want);
        int ok = want[n - 1] == '*' ? !strncmp(err, want, n - 1)
                                    : !strcmp(err, want);
        if (!ok)
            fail_msg("case %zu:\n  got  %s\n  want %s", i, err, want);
    }
}

static void missing_file_is_io_error(void **state)
{
    (void)state;
    struct mc_scenario *s = NULL;
    char err[512];
    mc_status st = mc_scenario_load("/nonexistent/x.json", &s, err, sizeof err);
    assert_int_equal(st, MC_ERR_IO);
    assert_null(s);
    assert_true(!strncmp(err, "/nonexistent/x.json: cannot read scenario",
                         strlen("/nonexistent/x.json: cannot read scenario")));
}

static void templates_render(void **state)
{
    (void)state;
    struct mc_scenario *s = parse_ok(
        "{\"load\": [{\"path\": \"/a?t={token}&s={seq}&c={conn}{x}{seq\"}]}");
    struct mc_tpl_vals v = {"tok9", 4, 42, 3};
    struct mc_buf b = MC_BUF_INIT;
    mc_tpl_render(&s->load[0].path, &v, &b);
    assert_string_equal(b.data, "/a?t=tok9&s=42&c=3{x}{seq");
    mc_buf_free(&b);
    mc_scenario_free(s);
}

/* ---- checks ---- */

static struct mc_header_view hv(const char *n, const char *v)
{
    return (struct mc_header_view){n, v, strlen(n), strlen(v)};
}

static int run_check(const struct mc_request *r, int status,
                     const struct mc_header_view *h, size_t nh,
                     const char *body, struct mc_check_fail *f,
                     struct mc_span *caps)
{
    struct mc_tpl_vals v = {"k1", 2, 7, 1};
    struct mc_response_view resp = {status, h, nh, body, strlen(body)};
    struct mc_buf scratch = MC_BUF_INIT;
    memset(f, 0, sizeof *f);
    int ok = mc_check_response(r, &v, &resp, &scratch, caps, f);
    mc_buf_free(&scratch);
    return ok;
}

static void check_fail_is(const struct mc_check_fail *f, const char *check,
                          const char *exp, const char *got)
{
    assert_string_equal(f->check, check);
    assert_string_equal(f->expected, exp);
    assert_string_equal(f->got, got);
}

static void checks_pass_and_fail(void **state)
{
    (void)state;
    struct mc_scenario *s = parse_ok(good);
    const struct mc_request *hit = mc_scenario_find(s, "hit");
    struct mc_header_view h[] = {hv("content-type", "text/plain"),
                                 hv("X-Echo", "k1")};
    struct mc_check_fail f;
    struct mc_span caps[1];
    assert_true(run_check(hit, 200, h, 2, "hits=12\n", &f, caps));
    assert_int_equal(caps[0].off, 5);
    assert_int_equal(caps[0].len, 2);

    assert_false(run_check(hit, 500, h, 2, "hits=12\n", &f, caps));
    check_fail_is(&f, "status", "200", "500");

    assert_false(run_check(hit, 200, h, 2, "hits=x\n", &f, caps));
    check_fail_is(&f, "body", "re:^hits=[0-9]+\\n$", "hits=x\\n");

    struct mc_header_view wrong_echo[] = {hv("Content-Type", "text/plain"),
                                          hv("X-Echo", "k2")};
    assert_false(run_check(hit, 200, wrong_echo, 2, "hits=1\n", &f, caps));
    check_fail_is(&f, "header X-Echo", "k1", "k2");

    struct mc_header_view with_bad[] = {hv("Content-Type", "text/plain"),
                                        hv("x-bad", "oops"),
                                        hv("X-Echo", "k1")};
    assert_false(run_check(hit, 200, with_bad, 3, "hits=1\n", &f, caps));
    check_fail_is(&f, "header X-Bad", "(absent)", "oops");

    assert_false(run_check(hit, 200, h + 1, 1, "hits=1\n", &f, caps));
    check_fail_is(&f, "header Content-Type", "re:^text/plain", "(absent)");
    mc_scenario_free(s);
}

static void checks_templated_and_captures(void **state)
{
    (void)state;
    struct mc_scenario *s = parse_ok(
        "{\"load\": [{\"id\": \"e\", \"expect\": {\"body\": \"re:^tok={token} "
        "seq={seq}$\"}},"
        "{\"id\": \"x\", \"expect\": {\"body\": \"exact {token}\"}},"
        "{\"id\": \"c\", \"capture\": {\"a\": \"a=([0-9]+)\", \"b\": "
        "\"b=([a-z]+)\"}}]}");
    struct mc_check_fail f;
    struct mc_span caps[2];
    const struct mc_request *e = mc_scenario_find(s, "e");
    assert_true(run_check(e, 200, NULL, 0, "tok=k1 seq=7", &f, caps));
    assert_false(run_check(e, 200, NULL, 0, "tok=k2 seq=7", &f, caps));
    check_fail_is(&f, "body", "re:^tok=k1 seq=7$", "tok=k2 seq=7");
    /* body_contains is checked after body; make body match, drop c1 */
    struct mc_scenario *s2 = parse_ok(
        "{\"load\": [{\"expect\": {\"body_contains\": \"c{conn}\"}}]}");
    assert_false(run_check(&s2->load[0], 200, NULL, 0, "c2", &f, caps));
    check_fail_is(&f, "body_contains", "c1", "c2");
    assert_true(run_check(&s2->load[0], 200, NULL, 0, "xx c1 yy", &f, caps));
    mc_scenario_free(s2);

    const struct mc_request *x = mc_scenario_find(s, "x");
    assert_true(run_check(x, 200, NULL, 0, "exact k1", &f, caps));
    assert_false(run_check(x, 200, NULL, 0, "exact k1\n", &f, caps));
    check_fail_is(&f, "body", "exact k1", "exact k1\\n");

    const struct mc_request *c = mc_scenario_find(s, "c");
    assert_true(run_check(c, 200, NULL, 0, "a=15 b=zz", &f, caps));
    assert_int_equal(caps[0].off, 2);
    assert_int_equal(caps[1].off, 7);
    assert_int_equal(caps[1].len, 2);
    assert_false(run_check(c, 200, NULL, 0, "a=15 b=9", &f, caps));
    check_fail_is(&f, "capture b", "re:b=([a-z]+)", "a=15 b=9");
    mc_scenario_free(s);
}

static int body_ok(const struct mc_request *r, const char *body)
{
    struct mc_check_fail f;
    struct mc_span caps[1];
    return run_check(r, 200, NULL, 0, body, &f, caps);
}

/* Templated regexes: the generic form decides clear cases, the rendered
 * pattern the ambiguous ones, and templates where a group would change the
 * meaning never get a generic form. Values: token k1, seq 7, conn 1. */
static void templated_regex_generic_form(void **state)
{
    (void)state;
    struct mc_scenario *s = parse_ok(
        "{\"load\": ["
        "{\"id\": \"a\", \"expect\": {\"body\": \"re:id={token};\"}},"
        "{\"id\": \"b\", \"expect\": {\"body\": "
        "\"re:^(a|b)\\\\({token}\\\\)[(]{seq}$\"}},"
        "{\"id\": \"c\", \"expect\": {\"body\": \"re:^x[{token}]+$\"}},"
        "{\"id\": \"d\", \"expect\": {\"body\": \"re:^{token}+$\"}},"
        "{\"id\": \"e\", \"expect\": {\"body\": \"re:^[[:alpha:]]c{conn}$\"}}"
        "]}");
    const struct mc_request *a = mc_scenario_find(s, "a");
    const struct mc_request *b = mc_scenario_find(s, "b");
    const struct mc_request *c = mc_scenario_find(s, "c");
    const struct mc_request *d = mc_scenario_find(s, "d");
    const struct mc_request *e = mc_scenario_find(s, "e");
    assert_non_null(a->expect_body.generic);
    assert_true(body_ok(a, "id=k1;"));
    assert_true(body_ok(a, "id=zz; id=k1;")); /* first match is not ours */
    assert_false(body_ok(a, "id=zz;"));
    assert_false(body_ok(a, "nothing"));

    assert_non_null(b->expect_body.generic);
    assert_int_equal(b->expect_body.groups[0].group, 2);
    assert_int_equal(b->expect_body.groups[1].group, 3);
    assert_true(body_ok(b, "a(k1)(7"));
    assert_false(body_ok(b, "a(k1)(8"));
    assert_false(body_ok(b, "a(k2)(7"));

    assert_null(c->expect_body.generic); /* inside a bracket */
    assert_true(body_ok(c, "xk1k"));
    assert_false(body_ok(c, "xk2"));
    assert_null(d->expect_body.generic); /* before a quantifier */
    assert_true(body_ok(d, "k111"));
    assert_false(body_ok(d, "k1k1"));
    assert_non_null(e->expect_body.generic);
    assert_int_equal(e->expect_body.groups[0].group, 1);
    assert_true(body_ok(e, "zc1"));
    assert_false(body_ok(e, "zc2"));
    mc_scenario_free(s);
}

static void escape_truncates(void **state)
{
    (void)state;
    char out[12];
    mc_escape_text("ab\ncd\x01zzzzzzzzzz", 16, out, sizeof out);
    assert_string_equal(out, "ab\\ncd...");
    mc_escape_text("abc", 3, out, sizeof out);
    assert_string_equal(out, "abc");
}

/* ---- relations ---- */

static void add(struct mc_capture_store *cs, const struct mc_request *r,
                unsigned cap, uint64_t seq, const char *v)
{
    mc_capture_store_add(cs, r, cap, seq, (unsigned)(seq % 4), v, strlen(v));
}

static void relations_hold_and_fail(void **state)
{
    (void)state;
    struct mc_scenario *s = parse_ok(good);
    const struct mc_request *hit = mc_scenario_find(s, "hit");
    const struct mc_request *total = mc_scenario_find(s, "total");
    struct mc_capture_store a, b;
    mc_capture_store_init(&a, s);
    mc_capture_store_init(&b, s);
    add(&a, hit, 0, 1, "1");
    add(&b, hit, 0, 2, "3");
    add(&a, hit, 0, 3, "2");
    a.successes[hit->index] = 2;
    b.successes[hit->index] = 1;
    add(&b, total, 0, 9, "4");
    mc_capture_store_merge(&a, &b);
    struct mc_relation_result res[3];
    assert_int_equal(mc_relations_eval(&a, res), 0);
    assert_string_equal(res[1].expected, "4 (3 successful 'hit' +1)");
    assert_string_equal(res[1].got, "4 from seq 9 (conn 1)");

    /* a repeated value, a wrong total, a lost update */
    add(&a, hit, 0, 4, "2");
    a.successes[hit->index]++;
    add(&a, total, 0, 10, "4");
    assert_int_equal(mc_relations_eval(&a, res), 3);
    assert_false(res[0].ok);
    assert_string_equal(res[0].got, "1 repeated; '2' from seq 3 (conn 3) and "
                                    "seq 4 (conn 0)");
    assert_string_equal(res[1].expected, "5 (4 successful 'hit' +1)");
    assert_string_equal(res[1].got, "4 from seq 10 (conn 2)");
    assert_string_equal(res[2].expected, "max 4 (4 successful 'hit' +0)");
    assert_string_equal(res[2].got, "3 from seq 2 (conn 2)");
    mc_capture_store_free(&a);
    mc_capture_store_free(&b);
    mc_scenario_free(s);
}

static void relation_without_values_fails(void **state)
{
    (void)state;
    struct mc_scenario *s = parse_ok(good);
    struct mc_capture_store a;
    mc_capture_store_init(&a, s);
    struct mc_relation_result res[3];
    assert_int_equal(mc_relations_eval(&a, res), 2);
    assert_true(res[0].ok); /* no values are trivially distinct */
    assert_string_equal(res[1].got, "no value captured");
    assert_string_equal(res[2].got, "no value captured");
    add(&a, mc_scenario_find(s, "total"), 0, 1, "x1");
    mc_relations_eval(&a, res);
    assert_string_equal(res[1].got,
                        "'x1' (not an integer) from seq 1 (conn 1)");
    mc_capture_store_free(&a);
    mc_scenario_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(good_scenario_parses),
        cmocka_unit_test(default_ids_and_scenario),
        cmocka_unit_test(bad_scenarios_name_the_field),
        cmocka_unit_test(missing_file_is_io_error),
        cmocka_unit_test(templates_render),
        cmocka_unit_test(checks_pass_and_fail),
        cmocka_unit_test(checks_templated_and_captures),
        cmocka_unit_test(templated_regex_generic_form),
        cmocka_unit_test(escape_truncates),
        cmocka_unit_test(relations_hold_and_fail),
        cmocka_unit_test(relation_without_values_fails),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
