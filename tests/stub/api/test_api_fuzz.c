/* test_api_fuzz.c — robustness: thousands of random inputs (fixed seed, so
 * failures reproduce) through the parsers and in-place rewriters of
 * server-stub/api — expression parser/evaluator, config words, %-decoding,
 * path normalisation, list items, regex substitution, log escaping. The
 * test passes when nothing crashes and simple invariants hold; its value is
 * in the ASan+UBSan tree (label sanitize), which checks every access. */
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
#include "ap_regex.h"

#include "support.h"

#define ROUNDS 3000

static apr_pool_t *pool;
static uint64_t rng = 0x9e3779b97f4a7c15u; /* test-local, one thread */

static uint32_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)(rng >> 16);
}

/* A random string of 0..47 pieces drawn from alphabet pieces. */
static char *random_text(apr_pool_t *p, const char *const *pieces, size_t n)
{
    int count = (int)(next() % 48), i;
    char *s = "";

    for (i = 0; i < count; ++i)
        s = apr_pstrcat(p, s, pieces[next() % n], NULL);
    return s;
}

static const char *const expr_pieces[] = {
    " ",    "'",    "\"",  "(",        ")",         "{",           "}",
    ",",    "!",    "&&",  "||",       "==",        "!=",          "<",
    "=~",   "!~",   "-eq", "lt",       "in",        "-n",          "-z",
    "-T",   "-R",   "-f",  "-ipmatch", "-strmatch", "/",           "m#",
    "#",    "i",    "$",   "$1",       "%{",        "REQUEST_URI", "}",
    ":",    ".",    "x",   "1",        "true",      "false",       "tolower(",
    "md5(", "req(", "\\",  "%",        "%{NOPE}",   "%{tolower:A}"};

static void expressions_never_crash(void **state)
{
    request_rec r;
    int i, parsed = 0;

    (void)state;
    memset(&r, 0, sizeof(r));
    r.pool = pool;
    r.method = "GET";
    r.uri = "/x/y";
    r.useragent_ip = "127.0.0.1";
    r.headers_in = apr_table_make(pool, 2);
    r.headers_out = apr_table_make(pool, 2);
    r.notes = apr_table_make(pool, 2);
    r.subprocess_env = apr_table_make(pool, 2);
    for (i = 0; i < ROUNDS; ++i) {
        apr_pool_t *p = NULL;
        ap_expr_info_t info;
        const char *err = NULL, *text;

        apr_pool_create(&p, pool);
        r.pool = p;
        text = random_text(p, expr_pieces,
                           sizeof(expr_pieces) / sizeof(expr_pieces[0]));
        memset(&info, 0, sizeof(info));
        info.flags = (i & 1) ? AP_EXPR_FLAG_STRING_RESULT : 0;
        if (ap_expr_parse(p, p, &info, text, NULL) == NULL) {
            ++parsed;
            if (info.flags)
                ap_expr_str_exec(&r, &info, &err);
            else {
                int rc = ap_expr_exec(&r, &info, &err);
                assert_true(rc >= -1 && rc <= 1);
            }
        }
        apr_pool_destroy(p);
    }
    print_message("%d of %d random expressions parsed\n", parsed, ROUNDS);
    assert_true(parsed > 0); /* the generator does reach valid input */
}

static const char *const text_pieces[] = {
    "a",  "/", "//", ".", "..", "%", "%2", "%2e",  "%2F",  "%00", "%zz",
    "\"", "'", "\\", " ", "\t", ",", ";",  "=",    "(",    ")",   "{",
    "}",  "$", "$1", "&", "+",  "*", "?",  "\x01", "\xff", "W/"};

static void rewriters_never_crash(void **state)
{
    ap_regmatch_t m[3] = {{0, 2}, {1, 2}, {-1, -1}};
    int i;

    (void)state;
    for (i = 0; i < ROUNDS; ++i) {
        apr_pool_t *p = NULL;
        const char *text, *line;
        char *buf, out[64];
        apr_array_header_t *toks = NULL;

        apr_pool_create(&p, pool);
        text = random_text(p, text_pieces,
                           sizeof(text_pieces) / sizeof(text_pieces[0]));
        line = text;
        while (*line)
            (void)ap_getword_conf2(p, &line);
        line = text;
        while (ap_get_list_item(p, &line))
            ;
        (void)ap_find_list_item(p, text, "a");
        (void)ap_find_etag_weak(p, text, "W/\"a\"");
        (void)ap_parse_token_list_strict(p, text, &toks, (int)(i & 1));
        buf = apr_pstrdup(p, text);
        (void)ap_unescape_url_ex(buf, (unsigned)(i & 7));
        buf = apr_pstrdup(p, text);
        (void)ap_normalize_path(buf, (unsigned)(i & 15));
        buf = apr_pstrdup(p, text);
        ap_getparents(buf);
        assert_true(strlen(buf) <= strlen(text));
        assert_non_null(ap_pregsub(p, text, "abc", 3, m));
        assert_true(ap_escape_errorlog_item(out, text, sizeof(out)) <
                    sizeof(out));
        (void)ap_escape_quotes(p, text);
        apr_pool_destroy(p);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(expressions_never_crash),
        cmocka_unit_test(rewriters_never_crash),
    };

    pool = mc_test_pool();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
