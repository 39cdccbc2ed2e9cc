/* test_api_paths_tokens.c — path helpers (util_path.c) and HTTP token /
 * list helpers (util_tokens.c) against httpd 2.4's documented behaviour. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "apr_file_io.h"
#include "apr_strings.h"
#include "httpd.h"
#include "util_script.h"

#include "support.h"

static apr_pool_t *pool;

static void full_path_joins_with_one_slash(void **state)
{
    (void)state;
    assert_string_equal(ap_make_full_path(pool, "/a", "b"), "/a/b");
    assert_string_equal(ap_make_full_path(pool, "/a/", "b"), "/a/b");
    assert_string_equal(ap_make_full_path(pool, "", "b"), "/b");
    assert_string_equal(ap_make_full_path(pool, "/", "b"), "/b");
    /* like httpd, a leading '/' of f is kept */
    assert_string_equal(ap_make_full_path(pool, "/a", "/b"), "/a//b");
    assert_string_equal(ap_make_full_path(pool, "rel", ""), "rel/");
}

static void dirstr_helpers(void **state)
{
    char d[32];
    char *end;

    (void)state;
    end = ap_make_dirstr_prefix(d, "/a/b", 1);
    assert_string_equal(d, "/");
    assert_ptr_equal(end, d + 1);
    ap_make_dirstr_prefix(d, "/a/b", 2);
    assert_string_equal(d, "/a/");
    ap_make_dirstr_prefix(d, "/a/b", 3);
    assert_string_equal(d, "/a/b/");
    ap_make_dirstr_prefix(d, "/a/b", 4);
    assert_string_equal(d, "/a/b/");
    ap_make_dirstr_prefix(d, "/a/b", 0);
    assert_string_equal(d, "/");
    assert_string_equal(ap_make_dirstr_parent(pool, "/a/b/c.html"), "/a/b/");
    assert_string_equal(ap_make_dirstr_parent(pool, "file"), "");
    assert_int_equal(ap_count_dirs("/a/b/c"), 3);
    assert_int_equal(ap_count_dirs("abc"), 0);
}

#define CHECK_INPLACE(fn, in, want)       \
    do {                                  \
        char *b_ = apr_pstrdup(pool, in); \
        fn(b_);                           \
        assert_string_equal(b_, want);    \
    } while (0)

static void getparents_removes_dot_segments(void **state)
{
    (void)state;
    CHECK_INPLACE(ap_getparents, "/a/./b", "/a/b");
    CHECK_INPLACE(ap_getparents, "/a/b/../c", "/a/c");
    CHECK_INPLACE(ap_getparents, "/a/b/..", "/a/");
    CHECK_INPLACE(ap_getparents, "/a/.", "/a/");
    CHECK_INPLACE(ap_getparents, "./x", "x");
    CHECK_INPLACE(ap_getparents, "..", "");
    /* httpd 2.4.71: climbing above the root empties the path */
    CHECK_INPLACE(ap_getparents, "/../etc/passwd", "");
    CHECK_INPLACE(ap_getparents, "a/../../b", "");
    CHECK_INPLACE(ap_getparents, "a/./../b", "b");
    CHECK_INPLACE(ap_getparents, "/a/..b/c", "/a/..b/c");
    CHECK_INPLACE(ap_no2slash, "//a///b/c//", "/a/b/c/");
}

static int normalize(char *path, unsigned int flags, const char *want)
{
    int rc = ap_normalize_path(path, flags);
    assert_string_equal(path, want);
    return rc;
}

static void normalize_path_flags(void **state)
{
    (void)state;
    assert_true(normalize(apr_pstrdup(pool, "/a/./b/../c"), 0, "/a/c"));
    assert_true(normalize(apr_pstrdup(pool, "/a//b"), 0, "/a//b"));
    assert_true(normalize(apr_pstrdup(pool, "/a//b"),
                          AP_NORMALIZE_MERGE_SLASHES, "/a/b"));
    assert_true(normalize(apr_pstrdup(pool, "/a/%2e%2E/b"),
                          AP_NORMALIZE_DECODE_UNRESERVED, "/b"));
    assert_true(normalize(apr_pstrdup(pool, "/%7euser/%2F"),
                          AP_NORMALIZE_DECODE_UNRESERVED, "/~user/%2F"));
    assert_false(normalize(apr_pstrdup(pool, "/../x"),
                           AP_NORMALIZE_NOT_ABOVE_ROOT, "/x"));
    assert_false(ap_normalize_path(apr_pstrdup(pool, "rel/x"), 0));
    assert_true(normalize(apr_pstrdup(pool, "rel/./x"),
                          AP_NORMALIZE_ALLOW_RELATIVE, "rel/x"));
    assert_true(ap_normalize_path(apr_pstrdup(pool, "*"), 0));
    assert_false(normalize(apr_pstrdup(pool, "/a%zz"),
                           AP_NORMALIZE_DECODE_UNRESERVED, "/a%zz"));
}

static void url_and_directory_predicates(void **state)
{
    char tmpl[] = "/tmp/mc_stubapi_XXXXXX";
    char *dir = mkdtemp(tmpl);
    char *link;

    (void)state;
    assert_true(ap_is_url("http://x/"));
    assert_true(ap_is_url("svn+ssh:x"));
    assert_false(ap_is_url(":x"));
    assert_false(ap_is_url("/a:b"));
    assert_false(ap_is_url("noscheme"));
    assert_true(ap_os_is_path_absolute(pool, "/etc"));
    assert_false(ap_os_is_path_absolute(pool, "etc"));
    assert_non_null(dir);
    link = apr_pstrcat(pool, dir, "/link", NULL);
    assert_int_equal(symlink(dir, link), 0);
    assert_true(ap_is_directory(pool, dir));
    assert_true(ap_is_directory(pool, link));
    assert_false(ap_is_rdirectory(pool, link)); /* lstat: a symlink */
    assert_false(ap_is_directory(pool, "/nonexistent/mc"));
    unlink(link);
    rmdir(dir);
}

static void token_scanning(void **state)
{
    const char *line = "  text/html;level=1, \"a,b\" ;q=0.5";

    (void)state;
    assert_string_equal(ap_scan_http_token("gzip, x"), ", x");
    assert_string_equal(ap_scan_http_token("abc"), "");
    /* non-ASCII bytes end a token (httpd 2.4.71) */
    assert_string_equal(ap_scan_http_token("ab\xc3\xa9"), "\xc3\xa9");
    assert_string_equal(ap_scan_http_field_content("a b\tc\r\n"), "\r\n");
    assert_string_equal(ap_scan_vchar_obstext("ab\xc3\xa9 c"), " c");
    assert_string_equal(ap_get_token(pool, &line, 0), "text/html");
    assert_string_equal(line, ";level=1, \"a,b\" ;q=0.5");
    line = "\"a,b c\";x";
    assert_string_equal(ap_get_token(pool, &line, 0), "\"a,b c\"");
    line = "a b, c";
    assert_string_equal(ap_get_token(pool, &line, 1), "a b");
}

static void find_token_like_httpd(void **state)
{
    (void)state;
    assert_true(ap_find_token(pool, "gzip, deflate", "DEFLATE"));
    assert_true(ap_find_token(pool, "keep-alive, Upgrade", "upgrade"));
    assert_false(ap_find_token(pool, "gzipx", "gzip"));
    /* httpd 2.4.71 quirk, kept: a line token that is a prefix matches */
    assert_true(ap_find_token(pool, "gz", "gzip"));
    assert_false(ap_find_token(pool, "deflate", "gzip"));
    assert_false(ap_find_token(pool, NULL, "x"));
    assert_true(ap_find_last_token(pool, "gzip, chunked", "Chunked"));
    assert_false(ap_find_last_token(pool, "chunked, gzip", "chunked"));
    assert_false(ap_find_last_token(pool, "notchunked", "chunked"));
    assert_true(ap_find_last_token(pool, "chunked", "chunked"));
}

static void list_items_are_canonical(void **state)
{
    const char *field =
        " , Text/HTML ; Level = 1 ,\"Quoted, Item\" (Com, ment)";
    int len = 0;
    const char *f2 = "a, b";

    (void)state;
    assert_string_equal(ap_get_list_item(pool, &field), "text/html;level=1");
    assert_string_equal(ap_get_list_item(pool, &field),
                        "\"Quoted, Item\" (Com, ment)");
    assert_null(ap_get_list_item(pool, &field));
    assert_non_null(ap_size_list_item(&f2, &len));
    assert_int_equal(len, 1);
    assert_string_equal(f2, "b");
    assert_true(ap_find_list_item(pool, "no-cache, Max-Age=0", "max-age=0"));
    assert_false(ap_find_list_item(pool, "no-cache, max-age=0", "max-age"));
    assert_true(ap_find_list_item(pool, "a , b ; c=d", "b;c=d"));
}

static void etag_matching(void **state)
{
    (void)state;
    assert_true(ap_find_etag_strong(pool, "\"x\", \"Abc\"", "\"Abc\""));
    assert_false(ap_find_etag_strong(pool, "\"abc\"", "\"Abc\""));
    assert_false(ap_find_etag_strong(pool, "W/\"abc\"", "\"abc\""));
    assert_true(ap_find_etag_weak(pool, "W/\"abc\"", "\"abc\""));
    assert_true(ap_find_etag_weak(pool, "\"abc\"", "W/\"abc\""));
}

static void strict_token_lists(void **state)
{
    apr_array_header_t *toks = NULL;

    (void)state;
    assert_null(
        ap_parse_token_list_strict(pool, " gzip ,, br\t,x-y ", &toks, 0));
    assert_int_equal(toks->nelts, 3);
    assert_string_equal(APR_ARRAY_IDX(toks, 0, char *), "gzip");
    assert_string_equal(APR_ARRAY_IDX(toks, 1, char *), "br");
    assert_string_equal(APR_ARRAY_IDX(toks, 2, char *), "x-y");
    toks = NULL;
    assert_string_equal(ap_parse_token_list_strict(pool, "a b", &toks, 0),
                        "Encountered illegal whitespace in token");
    assert_string_equal(ap_parse_token_list_strict(pool, "a;q=1", &toks, 0),
                        "Encountered illegal separator '\\x3b'");
    toks = NULL;
    assert_null(ap_parse_token_list_strict(pool, "a;q=1, b", &toks, 1));
    assert_int_equal(toks->nelts, 1);
    assert_string_equal(APR_ARRAY_IDX(toks, 0, char *), "b");
    toks = NULL;
    assert_null(ap_parse_token_list_strict(pool, " , ", &toks, 0));
    assert_null(toks);
}

static void chunked_and_request_helpers(void **state)
{
    request_rec r;
    apr_table_t *t = NULL;

    (void)state;
    assert_true(ap_is_chunked(pool, "chunked"));
    assert_true(ap_is_chunked(pool, "gzip, Chunked"));
    assert_false(ap_is_chunked(pool, "chunked, gzip"));
    assert_false(ap_is_chunked(pool, "chunkedx"));
    assert_false(ap_is_chunked(pool, NULL));
    memset(&r, 0, sizeof(r));
    r.pool = pool;
    r.headers_in = apr_table_make(pool, 2);
    r.args = "a=1&b&c=x%20y&a=2&d=%2F";
    ap_args_to_table(&r, &t);
    assert_string_equal(apr_table_get(t, "a"), "2");
    assert_string_equal(apr_table_get(t, "b"), "1");
    assert_string_equal(apr_table_get(t, "c"), "x y");
    assert_string_equal(apr_table_get(t, "d"), "/");
    r.args = NULL;
    ap_args_to_table(&r, &t);
    assert_true(apr_is_empty_table(t));
    assert_false(ap_request_has_body(&r));
    apr_table_setn(r.headers_in, "Content-Length", "0");
    assert_false(ap_request_has_body(&r));
    apr_table_setn(r.headers_in, "Content-Length", "12");
    assert_true(ap_request_has_body(&r));
    apr_table_setn(r.headers_in, "Content-Length", "12x");
    assert_false(ap_request_has_body(&r));
    apr_table_setn(r.headers_in, "Transfer-Encoding", "chunked");
    assert_true(ap_request_has_body(&r));
    r.header_only = 1;
    assert_false(ap_request_has_body(&r));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(full_path_joins_with_one_slash),
        cmocka_unit_test(dirstr_helpers),
        cmocka_unit_test(getparents_removes_dot_segments),
        cmocka_unit_test(normalize_path_flags),
        cmocka_unit_test(url_and_directory_predicates),
        cmocka_unit_test(token_scanning),
        cmocka_unit_test(find_token_like_httpd),
        cmocka_unit_test(list_items_are_canonical),
        cmocka_unit_test(etag_matching),
        cmocka_unit_test(strict_token_lists),
        cmocka_unit_test(chunked_and_request_helpers),
    };

    pool = mc_test_pool();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
