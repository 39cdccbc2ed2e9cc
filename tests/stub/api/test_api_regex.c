/* test_api_regex.c — ap_regex over PCRE2, ap_pregsub $0-$9, ap_rxplus and
 * util_varbuf (regex.c, varbuf.c) against httpd 2.4's behaviour. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "apr_strings.h"
#include "apr_tables.h"
#include "httpd.h"
#include "ap_regex.h"
#include "http_config.h"
#include "util_varbuf.h"

#include "support.h"

static apr_pool_t *pool;

static void captures_and_unused_slots(void **state)
{
    ap_regex_t *re = ap_pregcomp(pool, "^/user/([a-z]+)(/(\\d+))?(x)?", 0);
    ap_regmatch_t m[6];

    (void)state;
    assert_non_null(re);
    assert_int_equal(re->re_nsub, 4);
    assert_int_equal(ap_regexec(re, "/user/bob/42", 6, m, 0), 0);
    assert_int_equal(m[0].rm_so, 0);
    assert_int_equal(m[0].rm_eo, 12);
    assert_int_equal(m[1].rm_so, 6);
    assert_int_equal(m[1].rm_eo, 9);
    assert_int_equal(m[3].rm_so, 10);
    assert_int_equal(m[3].rm_eo, 12);
    assert_int_equal(m[4].rm_so, -1); /* group did not take part */
    assert_int_equal(m[5].rm_so, -1); /* beyond re_nsub */
    assert_int_equal(ap_regexec(re, "/group/x", 6, m, 0), AP_REG_NOMATCH);
    /* nmatch 0 only tests for a match */
    assert_int_equal(ap_regexec(re, "/user/a", 0, NULL, 0), 0);
}

static void flags_and_defaults(void **state)
{
    ap_regex_t re;
    ap_regmatch_t m[1];

    (void)state;
    assert_int_equal(ap_regcomp_get_default_cflags(), AP_REG_DEFAULT);
    assert_int_equal(ap_regcomp(&re, "^abc$", AP_REG_ICASE), 0);
    assert_int_equal(ap_regexec(&re, "ABC", 1, m, 0), 0);
    /* DOLLAR_ENDONLY is a default: "$" does not match before a final \n */
    assert_int_equal(ap_regexec(&re, "abc\n", 1, m, 0), AP_REG_NOMATCH);
    assert_int_equal(ap_regexec(&re, "abc", 1, m, AP_REG_NOTEOL),
                     AP_REG_NOMATCH);
    ap_regfree(&re);
    assert_int_equal(ap_regcomp(&re, "^abc$", AP_REG_NO_DEFAULT), 0);
    assert_int_equal(ap_regexec(&re, "abc\n", 1, m, 0), 0);
    ap_regfree(&re);
    /* DOTALL is a default: '.' matches '\n' */
    assert_int_equal(ap_regcomp(&re, "a.b", 0), 0);
    assert_int_equal(ap_regexec(&re, "a\nb", 1, m, 0), 0);
    ap_regfree(&re);
    assert_int_equal(ap_regcomp_default_cflag_by_name("icase"), AP_REG_ICASE);
    assert_int_equal(ap_regcomp_default_cflag_by_name("bogus"), 0);
}

static void pregfree_and_versions(void **state)
{
    ap_regex_t *re = ap_pregcomp(pool, "x+", 0);
    const char *v;

    (void)state;
    assert_non_null(re);
    ap_pregfree(pool, re); /* also removes the pool cleanup (no double free) */
    v = ap_pcre_version_string(AP_REG_PCRE_LOADED);
    assert_non_null(v);
    assert_true(strncmp(v, "10.", 3) == 0);
    assert_non_null(ap_pcre_version_string(AP_REG_PCRE_COMPILED));
    assert_null(ap_pcre_version_string(99));
    /* RegexDefaultOptions (configuration phase) */
    ap_regcomp_set_default_cflags(AP_REG_ICASE);
    re = ap_pregcomp(pool, "^abc$", 0);
    assert_int_equal(ap_regexec(re, "ABC", 0, NULL, 0), 0);
    ap_regcomp_set_default_cflags(AP_REG_DEFAULT);
}

static void regexec_len_sees_embedded_nul(void **state)
{
    ap_regex_t re;
    ap_regmatch_t m[1];
    const char buf[] = {'a', '\0', 'b'};

    (void)state;
    assert_int_equal(ap_regcomp(&re, "a\\x00b", 0), 0);
    assert_int_equal(ap_regexec_len(&re, buf, 3, 1, m, 0), 0);
    assert_int_equal(m[0].rm_eo, 3);
    assert_int_equal(ap_regexec(&re, buf, 1, m, 0), AP_REG_NOMATCH);
    ap_regfree(&re);
}

static void compile_errors(void **state)
{
    ap_regex_t re;
    char msg[64];
    apr_size_t need;
    int rc;

    (void)state;
    assert_null(ap_pregcomp(pool, "a(b", 0));
    rc = ap_regcomp(&re, "ab(", 0);
    assert_int_equal(rc, AP_REG_INVARG);
    assert_int_equal(re.re_erroffset, 3);
    need = ap_regerror(rc, &re, msg, sizeof(msg));
    assert_string_equal(msg, "bad argument at offset 3     ");
    assert_int_equal(need, strlen("bad argument") + 1 + 11 + 6);
    ap_regerror(AP_REG_NOMATCH, NULL, msg, sizeof(msg));
    assert_string_equal(msg, "match failed");
    ap_regerror(99, NULL, msg, 8);
    assert_string_equal(msg, "unknown");
}

static void pregsub_dollar_refs(void **state)
{
    ap_regex_t *re = ap_pregcomp(pool, "(\\w+)@(\\w+)", 0);
    ap_regmatch_t m[AP_MAX_REG_MATCH];
    const char *src = "mail bob@example now";
    char *out = NULL;

    (void)state;
    assert_int_equal(ap_regexec(re, src, AP_MAX_REG_MATCH, m, 0), 0);
    assert_string_equal(
        ap_pregsub(pool, "$2:$1 [$0] $9 \\$1 $$x", src, AP_MAX_REG_MATCH, m),
        "example:bob [bob@example]  $1 $$x");
    /* "&" is not special in httpd 2.4 */
    assert_string_equal(ap_pregsub(pool, "&", src, AP_MAX_REG_MATCH, m), "&");
    /* refs beyond nmatch are empty */
    assert_string_equal(ap_pregsub(pool, "<$2>", src, 2, m), "<>");
    assert_string_equal(ap_pregsub(pool, "lit $1", src, 0, m), "lit $1");
    assert_null(ap_pregsub(pool, "x", NULL, 1, m));
    assert_int_equal(ap_pregsub_ex(pool, &out, "$0$0", src, 1, m, 8),
                     APR_ENOMEM);
    assert_null(out);
    assert_int_equal(ap_pregsub_ex(pool, &out, "$1", src, 11, m, 0),
                     APR_EINVAL);
    assert_int_equal(ap_pregsub_ex(pool, &out, "$1", src, 2, m, 0),
                     APR_SUCCESS);
    assert_string_equal(out, "bob");
}

static void named_groups(void **state)
{
    ap_regex_t re;
    apr_array_header_t *names = apr_array_make(pool, 2, sizeof(char *));

    (void)state;
    assert_int_equal(ap_regcomp(&re, "(?<year>\\d+)-(x)-(?<mon>\\d+)", 0), 0);
    assert_int_equal(ap_regname(&re, names, AP_REG_MATCH, 1), 2);
    assert_true(names->nelts >= 4);
    assert_string_equal(APR_ARRAY_IDX(names, 1, char *), "MATCH_YEAR");
    assert_null(APR_ARRAY_IDX(names, 2, char *));
    assert_string_equal(APR_ARRAY_IDX(names, 3, char *), "MATCH_MON");
    ap_regfree(&re);
}

static void rxplus_substitute_and_match(void **state)
{
    ap_rxplus_t *rx = ap_rxplus_compile(pool, "s/o/0/g");
    char *out = NULL;
    int len = 0;
    const char *match = NULL;

    (void)state;
    assert_non_null(rx);
    assert_int_equal(ap_rxplus_exec(pool, rx, "foo boo", &out), 4);
    assert_string_equal(out, "f00 b00");
    rx = ap_rxplus_compile(pool, "s#(\\d+)#<$1>#");
    assert_int_equal(ap_rxplus_exec(pool, rx, "a 12 b 34", &out), 1);
    assert_string_equal(out, "a <12> b 34");
    rx = ap_rxplus_compile(pool, "m/(B)(x)?/i");
    assert_int_equal(ap_rxplus_exec(pool, rx, "abc", &out), 1);
    assert_int_equal(ap_rxplus_nmatch(rx), 3);
    ap_rxplus_match(rx, 1, &len, &match);
    assert_int_equal(len, 1);
    assert_memory_equal(match, "b", 1);
    assert_string_equal(ap_rxplus_pmatch(pool, rx, 0), "b");
    ap_rxplus_match(rx, 7, &len, &match);
    assert_int_equal(len, -1);
    assert_null(match);
    assert_int_equal(ap_rxplus_exec(pool, rx, "xyz", &out), 0);
    assert_int_equal(ap_rxplus_nmatch(rx), 0);
    assert_null(ap_rxplus_compile(pool, "s/a/")); /* no replacement */
    assert_null(ap_rxplus_compile(pool, "/a(/")); /* bad regex */
    assert_non_null(ap_rxplus_compile(pool, "plain.*"));
}

static void varbuf_grows_and_dups(void **state)
{
    struct ap_varbuf vb;
    apr_size_t len = 0;
    char *s;
    int i;

    (void)state;
    ap_varbuf_init(pool, &vb, 0);
    assert_int_equal(vb.avail, 0);
    assert_string_equal(vb.buf, "");
    for (i = 0; i < 100; ++i)
        ap_varbuf_strcat(&vb, "0123456789");
    assert_int_equal(vb.strlen, 1000);
    assert_true(vb.avail >= 1000);
    assert_int_equal(strlen(vb.buf), 1000);
    s = ap_varbuf_pdup(pool, &vb, "<", 1, ">", 1, &len);
    assert_int_equal(len, 1002);
    assert_int_equal(s[0], '<');
    assert_int_equal(s[1001], '>');
    vb.strlen = AP_VARBUF_UNKNOWN;
    ap_varbuf_strmemcat(&vb, "xy", 2);
    assert_int_equal(vb.strlen, 1002);
    ap_varbuf_free(&vb);
    assert_null(vb.buf);
}

static void varbuf_regsub_appends(void **state)
{
    struct ap_varbuf vb;
    ap_regex_t *re = ap_pregcomp(pool, "(b+)", 0);
    ap_regmatch_t m[2];

    (void)state;
    assert_int_equal(ap_regexec(re, "abbbc", 2, m, 0), 0);
    ap_varbuf_init(pool, &vb, 16);
    ap_varbuf_strcat(&vb, "got:");
    assert_int_equal(ap_varbuf_regsub(&vb, "[$1]", "abbbc", 2, m, 0),
                     APR_SUCCESS);
    assert_string_equal(vb.buf, "got:[bbb]");
    assert_int_equal(ap_varbuf_regsub(&vb, "$1$1$1", "abbbc", 2, m, 5),
                     APR_ENOMEM);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(captures_and_unused_slots),
        cmocka_unit_test(flags_and_defaults),
        cmocka_unit_test(pregfree_and_versions),
        cmocka_unit_test(regexec_len_sees_embedded_nul),
        cmocka_unit_test(compile_errors),
        cmocka_unit_test(pregsub_dollar_refs),
        cmocka_unit_test(named_groups),
        cmocka_unit_test(rxplus_substitute_and_match),
        cmocka_unit_test(varbuf_grows_and_dups),
        cmocka_unit_test(varbuf_regsub_appends),
    };

    pool = mc_test_pool();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
