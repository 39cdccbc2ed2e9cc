/* test_api_words.c — httpd.h word and string helpers (server-stub/api/util.c)
 * against httpd 2.4's documented behaviour. */
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
#include "util_md5.h"
#include "util_mutex.h"
#include "util_time.h"

#include "support.h"

static apr_pool_t *pool;

static void getword_skips_repeated_stops(void **state)
{
    const char *line = "a=b==c";
    char *w;

    (void)state;
    w = ap_getword(pool, &line, '=');
    assert_string_equal(w, "a");
    assert_string_equal(line, "b==c");
    w = ap_getword(pool, &line, '=');
    assert_string_equal(w, "b");
    assert_string_equal(line, "c");
    w = ap_getword(pool, &line, '=');
    assert_string_equal(w, "c");
    assert_string_equal(line, "");
    w = ap_getword(pool, &line, '=');
    assert_string_equal(w, "");
}

static void getword_nulls_keeps_empty_words(void **state)
{
    const char *line = "a==c";
    char buf[] = "x;;y";
    char *nc = buf;

    (void)state;
    assert_string_equal(ap_getword_nulls(pool, &line, '='), "a");
    assert_string_equal(line, "=c");
    assert_string_equal(ap_getword_nulls(pool, &line, '='), "");
    assert_string_equal(ap_getword_nulls(pool, &line, '='), "c");
    assert_string_equal(line, "");
    assert_string_equal(ap_getword_nulls_nc(pool, &nc, ';'), "x");
    assert_string_equal(ap_getword_nc(pool, &nc, ';'), "");
    assert_string_equal(nc, "y");
}

static void getword_white_splits_on_any_space(void **state)
{
    const char *line = "GET \t /index.html  HTTP/1.1";
    char buf[] = "one  two";
    char *nc = buf;

    (void)state;
    assert_string_equal(ap_getword_white(pool, &line), "GET");
    assert_string_equal(line, "/index.html  HTTP/1.1");
    assert_string_equal(ap_getword_white(pool, &line), "/index.html");
    assert_string_equal(ap_getword_white(pool, &line), "HTTP/1.1");
    assert_string_equal(line, "");
    assert_string_equal(ap_getword_white_nc(pool, &nc), "one");
    assert_string_equal(nc, "two");
}

static void getword_conf_quotes_and_escapes(void **state)
{
    const char *line = "  Header  \"a b \\\"c\\\" d\" 'it\\'s' bare\\\\x"
                       " \"unterminated x";

    (void)state;
    assert_string_equal(ap_getword_conf(pool, &line), "Header");
    assert_string_equal(ap_getword_conf(pool, &line), "a b \"c\" d");
    assert_string_equal(ap_getword_conf(pool, &line), "it's");
    /* outside quotes only "\\\\" collapses */
    assert_string_equal(ap_getword_conf(pool, &line), "bare\\x");
    assert_string_equal(ap_getword_conf(pool, &line), "unterminated x");
    assert_string_equal(line, "");
    assert_string_equal(ap_getword_conf(pool, &line), "");
}

static void getword_conf_keeps_other_backslashes(void **state)
{
    const char *line = "\"C:\\dir\\n\" \"q\\'\"";
    char buf[] = "'a\"b' rest";
    char *nc = buf;

    (void)state;
    assert_string_equal(ap_getword_conf(pool, &line), "C:\\dir\\n");
    /* inside double quotes, \' is not an escape */
    assert_string_equal(ap_getword_conf(pool, &line), "q\\'");
    assert_string_equal(ap_getword_conf_nc(pool, &nc), "a\"b");
    assert_string_equal(nc, "rest");
}

static void getword_conf2_braces_nest(void **state)
{
    const char *line = "{%{REQUEST_URI} =~ m#{x}#} after \"q s\"";

    (void)state;
    assert_string_equal(ap_getword_conf2(pool, &line),
                        "%{REQUEST_URI} =~ m#{x}#");
    assert_string_equal(ap_getword_conf2(pool, &line), "after");
    assert_string_equal(ap_getword_conf2(pool, &line), "q s");
    assert_string_equal(line, "");
}

static void wildcard_matching(void **state)
{
    (void)state;
    assert_int_equal(ap_strcmp_match("index.html", "*.html"), 0);
    assert_int_equal(ap_strcmp_match("index.html", "index.htm?"), 0);
    assert_int_equal(ap_strcmp_match("index.html", "*.HTML"), -1);
    assert_int_equal(ap_strcmp_match("abc", "abd"), 1);
    assert_int_equal(ap_strcmp_match("ab", "abc"), -1);
    assert_int_equal(ap_strcmp_match("abcd", "abc"), 1);
    assert_int_equal(ap_strcasecmp_match("INDEX.html", "index.*"), 0);
    assert_int_equal(ap_strcmp_match("a/b/c", "a*c"), 0);
    assert_true(ap_is_matchexp("/x/*.gif"));
    assert_true(ap_is_matchexp("a?"));
    assert_false(ap_is_matchexp("/plain/path"));
}

static void searching_and_case(void **state)
{
    char ct[] = "Text/HTML; Charset=UTF-8";
    char up[] = "MixEd";

    (void)state;
    assert_string_equal(ap_strcasestr("Hello World", "WORLD"), "World");
    assert_string_equal(ap_strcasestr("abc", ""), "abc");
    assert_null(ap_strcasestr("abc", "abcd"));
    assert_string_equal(ap_stripprefix("/prefix/rest", "/prefix"), "/rest");
    assert_string_equal(ap_stripprefix("/pre", "/prefix"), "/pre");
    assert_int_equal(ap_ind("a.b.c", '.'), 1);
    assert_int_equal(ap_rind("a.b.c", '.'), 3);
    assert_int_equal(ap_ind("abc", 'z'), -1);
    ap_content_type_tolower(ct);
    assert_string_equal(ct, "text/html; Charset=UTF-8");
    ap_str_toupper(up);
    assert_string_equal(up, "MIXED");
    ap_str_tolower(up);
    assert_string_equal(up, "mixed");
    assert_string_equal(ap_field_noparam(pool, "text/plain  ; q=1"),
                        "text/plain");
    assert_string_equal(ap_field_noparam(pool, "text/plain"), "text/plain");
    assert_null(ap_field_noparam(pool, NULL));
}

static void ascii_casecmp_ignores_locale(void **state)
{
    (void)state;
    assert_int_equal(ap_cstr_casecmp("Content-Type", "content-TYPE"), 0);
    assert_true(ap_cstr_casecmp("a", "B") < 0);
    assert_true(ap_cstr_casecmp("abc", "ab") > 0);
    /* only A-Z fold: 0xC9 and 0xE9 stay different */
    assert_true(ap_cstr_casecmp("\xc9", "\xe9") != 0);
    assert_int_equal(ap_cstr_casecmpn("HEADx", "heady", 4), 0);
    assert_true(ap_cstr_casecmpn("HEADx", "heady", 5) != 0);
}

static void array_string_search(void **state)
{
    apr_array_header_t *a = apr_array_make(pool, 3, sizeof(const char *));

    (void)state;
    APR_ARRAY_PUSH(a, const char *) = "x";
    APR_ARRAY_PUSH(a, const char *) = "y";
    APR_ARRAY_PUSH(a, const char *) = "x";
    assert_int_equal(ap_array_str_index(a, "x", 0), 0);
    assert_int_equal(ap_array_str_index(a, "x", 1), 2);
    assert_int_equal(ap_array_str_index(a, "x", 3), -1);
    assert_int_equal(ap_array_str_index(a, "x", -1), -1);
    assert_true(ap_array_str_contains(a, "y"));
    assert_false(ap_array_str_contains(a, "z"));
}

static void small_transforms(void **state)
{
    const char *clean = NULL;
    char hex[9];
    const unsigned char bin[4] = {0x00, 0xab, 0x10, 0xff};

    (void)state;
    assert_string_equal(ap_escape_quotes(pool, "say \"hi\" \\\"ok\\\" \\"),
                        "say \\\"hi\\\" \\\"ok\\\" \\");
    assert_int_equal(ap_pstr2_alnum(pool, "a-b c\x01", &clean), APR_SUCCESS);
    assert_string_equal(clean, "a_b_cx");
    ap_bin2hex(bin, sizeof(bin), hex);
    assert_string_equal(hex, "00ab10ff");
}

static void every_call_perturbs_once(void **state)
{
    const char *line = "a b";
    unsigned long before = mc_test_perturb_count();

    (void)state;
    ap_getword_conf(pool, &line);
    ap_getword_white(pool, &line);
    ap_strcmp_match("x", "*");
    assert_int_equal(mc_test_perturb_count() - before, 3);
}

/* The perturbation rule (server-stub/api/README.md): one point per
 * request-time call, none for configuration-phase functions. */
#define PERTURBS(n, call)                                         \
    do {                                                          \
        unsigned long before_ = mc_test_perturb_count();          \
        (void)(call);                                             \
        assert_int_equal(mc_test_perturb_count() - before_, (n)); \
    } while (0)

static void perturbation_rule_across_files(void **state)
{
    const char *line = "a b";
    char buf[32] = "/a/%41";
    char esc[64];
    apr_time_exp_t xt;
    ap_regex_t *re;
    ap_regmatch_t m[2];
    apr_off_t len;
    cmd_parms cmd;
    struct slot_conf {
        const char *s;
    } conf;
    apr_array_header_t *toks = NULL;

    (void)state;
    PERTURBS(1, ap_getword_white(pool, &line));
    PERTURBS(1, ap_unescape_url(buf));
    PERTURBS(1, ap_escape_logitem(pool, "x\n"));
    PERTURBS(1, ap_escape_errorlog_item(esc, "x", sizeof(esc)));
    PERTURBS(1, ap_make_full_path(pool, "/a", "b"));
    PERTURBS(1, ap_find_list_item(pool, "a, b", "b"));
    PERTURBS(1, ap_parse_token_list_strict(pool, "a,b", &toks, 0));
    PERTURBS(1, ap_md5(pool, (const unsigned char *)"x"));
    PERTURBS(1, ap_pbase64encode(pool, "x"));
    PERTURBS(1, ap_explode_recent_gmt(&xt, 0));
    PERTURBS(1, ap_ht_time(pool, 0, "%Y", 1));
    PERTURBS(1, re = ap_pregcomp(pool, "(a)", 0));
    PERTURBS(1, ap_regexec(re, "a", 2, m, 0));
    PERTURBS(1, ap_pregsub(pool, "$1", "a", 2, m));
    PERTURBS(1, ap_parse_strict_length(&len, "12"));
    PERTURBS(1, ap_random_pick(1, 2));
    PERTURBS(1, ap_server_root_relative(pool, "x"));
    /* configuration phase: no perturbation */
    memset(&cmd, 0, sizeof(cmd));
    cmd.pool = pool;
    cmd.info = (void *)offsetof(struct slot_conf, s);
    PERTURBS(0, ap_set_string_slot(&cmd, &conf, "v"));
    PERTURBS(0, ap_pcfg_open_custom(pool, "x", NULL, NULL, NULL, NULL));
    PERTURBS(0, ap_mutex_register(pool, "t", NULL, APR_LOCK_DEFAULT, 0));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(getword_skips_repeated_stops),
        cmocka_unit_test(getword_nulls_keeps_empty_words),
        cmocka_unit_test(getword_white_splits_on_any_space),
        cmocka_unit_test(getword_conf_quotes_and_escapes),
        cmocka_unit_test(getword_conf_keeps_other_backslashes),
        cmocka_unit_test(getword_conf2_braces_nest),
        cmocka_unit_test(wildcard_matching),
        cmocka_unit_test(searching_and_case),
        cmocka_unit_test(ascii_casecmp_ignores_locale),
        cmocka_unit_test(array_string_search),
        cmocka_unit_test(small_transforms),
        cmocka_unit_test(every_call_perturbs_once),
        cmocka_unit_test(perturbation_rule_across_files),
    };

    pool = mc_test_pool();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
