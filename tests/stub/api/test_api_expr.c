/* test_api_expr.c — httpd's expression language (server-stub/api/expr*.c):
 * parsing, evaluation, back references, Vary, string mode, errors. The
 * same cases were checked against the real httpd by test_api_conformance;
 * this test runs them in the sanitizer trees without servers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "apr_strings.h"
#include "apr_tables.h"
#include "httpd.h"
#include "http_config.h"
#include "ap_expr.h"
#include "http_log.h"

#include "support.h"

static apr_pool_t *pool;
static server_rec server;
static conn_rec conn;

static request_rec *make_request(void)
{
    request_rec *r = apr_pcalloc(pool, sizeof(*r));

    r->pool = pool;
    r->server = &server;
    r->connection = &conn;
    r->method = "GET";
    r->uri = "/probe";
    r->args = "q=1";
    r->protocol = "HTTP/1.1";
    r->useragent_ip = "127.0.0.1";
    r->headers_in = apr_table_make(pool, 4);
    r->headers_out = apr_table_make(pool, 4);
    r->notes = apr_table_make(pool, 4);
    r->subprocess_env = apr_table_make(pool, 4);
    apr_table_setn(r->headers_in, "User-Agent", "curl/7.88");
    apr_table_setn(r->subprocess_env, "MYVAR", "envval");
    return r;
}

/* Parse and run a condition: 1/0, -1 evaluation error, -2 parse error. */
static int cond(request_rec *r, const char *text)
{
    ap_expr_info_t info;
    const char *err = NULL;

    memset(&info, 0, sizeof(info));
    if (ap_expr_parse(pool, pool, &info, text, NULL) != NULL)
        return -2;
    return ap_expr_exec(r, &info, &err);
}

static const char *str(request_rec *r, const char *text)
{
    ap_expr_info_t info;
    const char *err = NULL;

    memset(&info, 0, sizeof(info));
    info.flags = AP_EXPR_FLAG_STRING_RESULT;
    if (ap_expr_parse(pool, pool, &info, text, NULL) != NULL)
        return "parse error";
    return ap_expr_str_exec(r, &info, &err);
}

static void boolean_and_comparisons(void **state)
{
    request_rec *r = make_request();

    (void)state;
    assert_int_equal(cond(r, "true && !false"), 1);
    assert_int_equal(cond(r, "!(true && !false)"), 0);
    assert_int_equal(cond(r, "false || 1 -eq 1"), 1);
    assert_int_equal(cond(r, "10 -gt 9"), 1);
    assert_int_equal(cond(r, "'10' > '9'"), 0); /* string order */
    assert_int_equal(cond(r, "2 lt 10"), 1);
    assert_int_equal(cond(r, "'x' in {'a', 'x'}"), 1);
    assert_int_equal(cond(r, "'z' in {'a'}"), 0);
    assert_int_equal(cond(r, "'a' . 'b' == \"ab\""), 1);
    assert_int_equal(cond(r, "'a\\'b' == \"a'b\""), 1);
}

static void variables_functions_operators(void **state)
{
    request_rec *r = make_request();

    (void)state;
    assert_int_equal(cond(r, "%{REQUEST_METHOD} == 'GET'"), 1);
    assert_int_equal(cond(r, "%{QUERY_STRING} == 'q=1'"), 1);
    assert_int_equal(cond(r, "-n %{QUERY_STRING} && -z ''"), 1);
    assert_int_equal(cond(r, "-T 'off' || -T '0' || -T ''"), 0);
    assert_int_equal(cond(r, "-T 'yes'"), 1);
    assert_int_equal(cond(r, "%{REMOTE_ADDR} -ipmatch '127.0.0.0/8'"), 1);
    assert_int_equal(cond(r, "-R '10.0.0.0/8'"), 0);
    assert_int_equal(cond(r, "'FOO.txt' -strcmatch 'foo.*'"), 1);
    assert_int_equal(cond(r, "'a/b' -fnmatch 'a*'"), 0);
    assert_int_equal(cond(r, "-d '/' && -e '/nonexistent/x'"), 0);
    assert_int_equal(cond(r, "toupper(%{REQUEST_METHOD}) . 'x' == 'GETx'"), 1);
    assert_int_equal(cond(r, "reqenv('MYVAR') == 'envval'"), 1);
    assert_int_equal(
        cond(r, "md5('abc') == '900150983cd24fb0d6963f7d28e17f72'"), 1);
}

static void regex_backrefs_and_vary(void **state)
{
    request_rec *r = make_request();
    ap_expr_info_t info;
    ap_regmatch_t m[3];
    const char *src = NULL, *err = NULL;

    (void)state;
    assert_int_equal(cond(r, "%{REQUEST_URI} =~ /^.(pro)be/ && $1 == 'pro'"),
                     1);
    assert_int_equal(cond(r, "%{REQUEST_URI} !~ /PROBE/i"), 0);
    /* no escape for the delimiter inside /.../ (as httpd) */
    assert_int_equal(cond(r, "%{REQUEST_URI} =~ /^\\/probe/"), -2);
    assert_int_equal(cond(r, "%{REQUEST_URI} =~ m#^\\/probe#"), 1);
    memset(&info, 0, sizeof(info));
    assert_null(ap_expr_parse(pool, pool, &info,
                              "%{REQUEST_URI} =~ m#^/(pr)(o)#", NULL));
    assert_int_equal(ap_expr_exec_re(r, &info, 3, m, &src, &err), 1);
    assert_string_equal(src, "/probe");
    assert_int_equal(m[2].rm_so, 3);
    assert_int_equal(cond(r, "req('User-Agent') =~ /curl/"), 1);
    assert_string_equal(apr_table_get(r->headers_out, "Vary"), "User-Agent");
    info.flags = AP_EXPR_FLAG_DONT_VARY;
    apr_table_unset(r->headers_out, "Vary");
    assert_null(ap_expr_parse(pool, pool, &info, "http('X-A') == ''", NULL));
    assert_int_equal(ap_expr_exec(r, &info, &err), 1);
    assert_null(apr_table_get(r->headers_out, "Vary"));
}

static void string_mode(void **state)
{
    request_rec *r = make_request();

    (void)state;
    assert_string_equal(str(r, "m=%{REQUEST_METHOD} u=%{REQUEST_URI}"),
                        "m=GET u=/probe");
    assert_string_equal(str(r, "%{tolower:ABC}|%{sha1:abc}"),
                        "abc|a9993e364706816aba3e25717850c26c9cd0d89d");
    assert_string_equal(str(r, "x%{base64:hi}y"), "xaGk=y");
    assert_string_equal(str(r, "[$1]"), "[]");
    assert_string_equal(str(r, "100%"), "100%");
    assert_string_equal(str(r, "a\\tb"), "a\tb");
    assert_string_equal(str(r, "%{NOPE}"), "parse error");
}

static void parse_errors_name_the_problem(void **state)
{
    ap_expr_info_t info;
    const char *err;

    (void)state;
    memset(&info, 0, sizeof(info));
    err = ap_expr_parse(pool, pool, &info, "%{NO_SUCH_VAR} == 'x'", NULL);
    assert_non_null(err);
    assert_non_null(strstr(err, "NO_SUCH_VAR"));
    assert_non_null(ap_expr_parse(pool, pool, &info, "1 ==", NULL));
    assert_non_null(ap_expr_parse(pool, pool, &info, "(true", NULL));
    assert_non_null(ap_expr_parse(pool, pool, &info, "true false", NULL));
    assert_non_null(ap_expr_parse(pool, pool, &info, "'a'", NULL));
    info.flags = AP_EXPR_FLAG_RESTRICTED;
    err = ap_expr_parse(pool, pool, &info, "file('/etc/passwd') == ''", NULL);
    assert_non_null(err);
    assert_non_null(strstr(err, "not allowed"));
}

static void parse_cmd_records_location(void **state)
{
    cmd_parms cmd;
    ap_directive_t dir;
    const char *err = NULL;
    ap_expr_info_t *info;

    (void)state;
    memset(&cmd, 0, sizeof(cmd));
    memset(&dir, 0, sizeof(dir));
    dir.filename = "/etc/x.conf";
    dir.line_num = 12;
    cmd.pool = cmd.temp_pool = pool;
    cmd.directive = &dir;
    info = ap_expr_parse_cmd_mi(&cmd, "true", 0, &err, NULL, 7);
    assert_non_null(info);
    assert_null(err);
    assert_string_equal(info->filename, "/etc/x.conf");
    assert_int_equal(info->line_number, 12);
    assert_int_equal(info->module_index, 7);
    assert_null(ap_expr_parse_cmd_mi(&cmd, "1 ==", 0, &err, NULL, 7));
    assert_non_null(err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(boolean_and_comparisons),
        cmocka_unit_test(variables_functions_operators),
        cmocka_unit_test(regex_backrefs_and_vary),
        cmocka_unit_test(string_mode),
        cmocka_unit_test(parse_errors_name_the_problem),
        cmocka_unit_test(parse_cmd_records_location),
    };

    pool = mc_test_pool();
    server.log.level = APLOG_WARNING;
    conn.base_server = &server;
    conn.client_ip = "127.0.0.1";
    return cmocka_run_group_tests(tests, NULL, NULL);
}
