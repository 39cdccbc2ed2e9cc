/* test_api_escape.c — %-decoding and the escaping helpers
 * (server-stub/api/escape.c) against httpd 2.4's documented behaviour. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "apr_strings.h"
#include "httpd.h"

#include "support.h"

static apr_pool_t *pool;

/* Unescape a copy of in with fn; check the status and the result. */
#define CHECK_UNESCAPE(fn, in, want_rc, want) \
    do {                                      \
        char *b_ = apr_pstrdup(pool, in);     \
        assert_int_equal(fn(b_), want_rc);    \
        assert_string_equal(b_, want);        \
    } while (0)

static int keep2f_nodecode(char *u)
{
    return ap_unescape_url_keep2f(u, 0);
}

static int keep2f_decode(char *u)
{
    return ap_unescape_url_keep2f(u, 1);
}

static void unescape_url_decodes_and_rejects(void **state)
{
    (void)state;
    CHECK_UNESCAPE(ap_unescape_url, "/a%20b%7E", OK, "/a b~");
    CHECK_UNESCAPE(ap_unescape_url, "/no/escapes", OK, "/no/escapes");
    /* malformed escapes stay as is: 400 */
    CHECK_UNESCAPE(ap_unescape_url, "/a%2", HTTP_BAD_REQUEST, "/a%2");
    CHECK_UNESCAPE(ap_unescape_url, "/a%zzb", HTTP_BAD_REQUEST, "/a%zzb");
    /* an encoded slash is forbidden in a path: 404 (still decoded) */
    CHECK_UNESCAPE(ap_unescape_url, "/a%2Fb", HTTP_NOT_FOUND, "/a/b");
    CHECK_UNESCAPE(ap_unescape_url, "/a%2fb", HTTP_NOT_FOUND, "/a/b");
    /* %00 would truncate: 404 */
    CHECK_UNESCAPE(ap_unescape_url, "/a%00b", HTTP_NOT_FOUND, "/a");
    /* a bad escape wins over a bad path */
    CHECK_UNESCAPE(ap_unescape_url, "%2f%g1", HTTP_BAD_REQUEST, "/%g1");
}

static void keep2f_and_variants(void **state)
{
    (void)state;
    CHECK_UNESCAPE(keep2f_nodecode, "/a%2fb%41", OK, "/a%2fbA");
    CHECK_UNESCAPE(keep2f_decode, "/a%2Fb%41", OK, "/a/bA");
    CHECK_UNESCAPE(ap_unescape_all, "%2F%3f%25", OK, "/?%");
    CHECK_UNESCAPE(ap_unescape_urlencoded, "a+b%2Bc=%3D", OK, "a b+c==");
    CHECK_UNESCAPE(ap_unescape_urlencoded, "x%", HTTP_BAD_REQUEST, "x%");
    assert_int_equal(ap_unescape_url(NULL), OK);
}

static void unescape_url_ex_flags(void **state)
{
    char *b = apr_pstrdup(pool, "%41%2F%20");

    (void)state;
    assert_int_equal(ap_unescape_url_ex(b, AP_UNESCAPE_URL_KEEP_UNRESERVED),
                     OK);
    assert_string_equal(b, "%41/ ");
    b = apr_pstrdup(pool, "%41%2F");
    assert_int_equal(ap_unescape_url_ex(b, AP_UNESCAPE_URL_KEEP_SLASHES), OK);
    assert_string_equal(b, "A%2F");
    b = apr_pstrdup(pool, "%41%2F");
    assert_int_equal(ap_unescape_url_ex(b, AP_UNESCAPE_URL_FORBID_SLASHES),
                     HTTP_NOT_FOUND);
}

static void path_escaping(void **state)
{
    char buf[64];

    (void)state;
    assert_string_equal(ap_escape_path_segment(pool, "a b/c;d?e#f~"),
                        "a%20b%2fc%3bd%3fe%23f~");
    assert_string_equal(ap_escape_path_segment_buffer(buf, "$-_.+!*'(),:@&="),
                        "$-_.+!*'(),:@&=");
    assert_string_equal(ap_os_escape_path(pool, "/dir/a b%;x", 1),
                        "/dir/a%20b%25;x");
    /* a ':' before the first '/' would look like a scheme */
    assert_string_equal(ap_os_escape_path(pool, "c:/x", 0), "./c:/x");
    assert_string_equal(ap_os_escape_path(pool, "c:/x", 1), "c:/x");
    assert_string_equal(ap_os_escape_path(pool, "/a:b", 0), "/a:b");
    assert_string_equal(ap_escape_urlencoded(pool, "a b&c=d~*"),
                        "a+b%26c%3dd%7e*");
}

static void html_and_shell(void **state)
{
    (void)state;
    assert_string_equal(ap_escape_html2(pool, "<a href=\"x\">&</a>", 0),
                        "&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;");
    assert_string_equal(ap_escape_html2(pool, "caf\xe9", 1), "caf&#233;");
    assert_string_equal(ap_escape_html2(pool, "caf\xe9", 0), "caf\xe9");
    assert_string_equal(ap_escape_shell_cmd(pool, "ls; rm -rf $HOME `x`"),
                        "ls\\; rm -rf \\$HOME \\`x\\`");
    assert_string_equal(ap_escape_shell_cmd(pool, "a|b&c>d"), "a\\|b\\&c\\>d");
}

static void logitem_escaping(void **state)
{
    (void)state;
    assert_string_equal(ap_escape_logitem(pool, "a\"b\\c\n\t\x01\xff"),
                        "a\\\"b\\\\c\\n\\t\\x01\\xff");
    assert_string_equal(ap_escape_logitem(pool, "plain"), "plain");
    assert_null(ap_escape_logitem(pool, NULL));
}

static void errorlog_item_truncates_cleanly(void **state)
{
    char buf[8];
    char big[64];

    (void)state;
    /* quotes are not escaped in the error log */
    assert_int_equal(ap_escape_errorlog_item(big, "say \"x\"\n", sizeof(big)),
                     9);
    assert_string_equal(big, "say \"x\"\\n");
    /* never split an escape: "abcd" fits, "\x01" (4 bytes) does not */
    assert_int_equal(ap_escape_errorlog_item(buf, "abcd\x01z", sizeof(buf)), 4);
    assert_string_equal(buf, "abcd");
    assert_int_equal(ap_escape_errorlog_item(buf, "abc\x01z", sizeof(buf)), 7);
    assert_string_equal(buf, "abc\\x01");
    assert_int_equal(ap_escape_errorlog_item(buf, "x", 0), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(unescape_url_decodes_and_rejects),
        cmocka_unit_test(keep2f_and_variants),
        cmocka_unit_test(unescape_url_ex_flags),
        cmocka_unit_test(path_escaping),
        cmocka_unit_test(html_and_shell),
        cmocka_unit_test(logitem_escaping),
        cmocka_unit_test(errorlog_item_truncates_cleanly),
    };

    pool = mc_test_pool();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
