/* mod_apiprobe.c — a test module for the API conformance test: its
 * "apiprobe" handler runs fixed inputs through the httpd API functions that
 * server-stub/api implements and prints one line per call. The same module
 * binary is loaded into the real httpd and into modcert-stub; the two
 * outputs must be identical (api_conformance.sh). Nothing printed depends on
 * time of day, pids or randomness.
 *
 * Thread-safety: only the request pool and constants are used.
 */
#include <stdio.h>
#include <string.h>

#include "apr_md5.h"
#include "apr_strings.h"
#include "apr_tables.h"

#include "httpd.h"
#include "http_config.h"
#include "http_log.h"
#include "http_protocol.h"
#include "http_main.h"
#include "mpm_common.h"
#include "ap_expr.h"
#include "ap_regex.h"
#include "util_cookies.h"
#include "util_fcgi.h"
#include "util_md5.h"
#include "util_script.h"
#include "util_time.h"
#include "util_varbuf.h"

module AP_MODULE_DECLARE_DATA apiprobe_module;
APLOG_USE_MODULE(apiprobe);

/* One output line: the call and its result (NULL printed as "(null)"). */
static void out(request_rec *r, const char *call, const char *res)
{
    ap_rprintf(r, "%s => [%s]\n", call,
               res ? ap_escape_logitem(r->pool, res) : "(null)");
}

static void outi(request_rec *r, const char *call, long v)
{
    ap_rprintf(r, "%s => %ld\n", call, v);
}

static void probe_words(request_rec *r)
{
    static const char *const conf_lines[] = {"  plain  word",
                                             "\"a b \\\"c\\\" d\" x",
                                             "'it\\'s' y",
                                             "bare\\\\x\\y z",
                                             "\"C:\\dir\\n\"",
                                             "\"q\\'\"",
                                             "\"unterminated",
                                             "",
                                             "   ",
                                             "\"\" after"};
    static const char *const conf2_lines[] = {"{a {b} c} d", "{x\\}y} z",
                                              "'q s' t", "{unterminated"};
    size_t i;

    for (i = 0; i < sizeof(conf_lines) / sizeof(conf_lines[0]); ++i) {
        const char *l = conf_lines[i];
        char *w1 = ap_getword_conf(r->pool, &l);
        char *w2 = ap_getword_conf(r->pool, &l);
        out(r, apr_psprintf(r->pool, "getword_conf#%d", (int)i),
            apr_pstrcat(r->pool, w1, "|", w2, "|", l, NULL));
    }
    for (i = 0; i < sizeof(conf2_lines) / sizeof(conf2_lines[0]); ++i) {
        const char *l = conf2_lines[i];
        char *w1 = ap_getword_conf2(r->pool, &l);
        char *w2 = ap_getword_conf2(r->pool, &l);
        out(r, apr_psprintf(r->pool, "getword_conf2#%d", (int)i),
            apr_pstrcat(r->pool, w1, "|", w2, "|", l, NULL));
    }
    {
        const char *l = "a==b=";
        char *w1 = ap_getword(r->pool, &l, '=');
        char *w2 = ap_getword(r->pool, &l, '=');
        out(r, "getword(a==b=)",
            apr_pstrcat(r->pool, w1, "|", w2, "|", l, NULL));
        l = "a==b=";
        w1 = ap_getword_nulls(r->pool, &l, '=');
        w2 = ap_getword_nulls(r->pool, &l, '=');
        out(r, "getword_nulls(a==b=)",
            apr_pstrcat(r->pool, w1, "|", w2, "|", l, NULL));
        l = " \t x  y ";
        w1 = ap_getword_white(r->pool, &l);
        w2 = ap_getword_white(r->pool, &l);
        out(r, "getword_white",
            apr_pstrcat(r->pool, w1, "|", w2, "|", l, NULL));
    }
}

static void probe_strings(request_rec *r)
{
    static const char *const pats[][2] = {{"index.html", "*.html"},
                                          {"index.html", "*.HTML"},
                                          {"ab", "abc"},
                                          {"abcd", "abc"},
                                          {"abc", "a?c"},
                                          {"a/b/c", "a*c"},
                                          {"", "*"},
                                          {"x", ""}};
    char ct[] = "Text/HTML; Charset=UTF-8";
    const char *clean = NULL;
    size_t i;

    for (i = 0; i < sizeof(pats) / sizeof(pats[0]); ++i) {
        outi(r,
             apr_psprintf(r->pool, "strcmp_match(%s,%s)", pats[i][0],
                          pats[i][1]),
             ap_strcmp_match(pats[i][0], pats[i][1]));
        outi(r,
             apr_psprintf(r->pool, "strcasecmp_match(%s,%s)", pats[i][0],
                          pats[i][1]),
             ap_strcasecmp_match(pats[i][0], pats[i][1]));
    }
    outi(r, "is_matchexp(a?)", ap_is_matchexp("a?"));
    out(r, "strcasestr", ap_strcasestr("Hello World", "wORLD"));
    out(r, "stripprefix", ap_stripprefix("/prefix/rest", "/prefix"));
    out(r, "stripprefix-no", ap_stripprefix("/pre", "/prefix"));
    outi(r, "ind", ap_ind("a.b.c", '.'));
    outi(r, "rind", ap_rind("a.b.c", '.'));
    ap_content_type_tolower(ct);
    out(r, "content_type_tolower", ct);
    out(r, "field_noparam", ap_field_noparam(r->pool, "text/plain  ; q=1"));
    outi(r, "cstr_casecmp-sign",
         (ap_cstr_casecmp("abc", "ABD") > 0) -
             (ap_cstr_casecmp("abc", "ABD") < 0));
    out(r, "escape_quotes",
        ap_escape_quotes(r->pool, "say \"hi\" \\\"ok\\\" \\"));
    ap_pstr2_alnum(r->pool, "a-b c\x01z", &clean);
    out(r, "pstr2_alnum", clean);
}

static void probe_escape(request_rec *r)
{
    static const char *const urls[] = {
        "/a%20b%7E", "/a%2",   "/a%zzb",    "/a%2Fb",      "/a%2fb", "/a%00b",
        "%2f%g1",    "a+b%2B", "%41%2F%20", "/no/escapes", "%"};
    static const char *const raw[] = {"a b/c;d?e#f~\"<>&", "c:/x y",
                                      "ä€\x01\t\"\\", "$-_.+!*'(),:@&=~"};
    char buf[64];
    size_t i;

    for (i = 0; i < sizeof(urls) / sizeof(urls[0]); ++i) {
        char *a = apr_pstrdup(r->pool, urls[i]);
        char *b = apr_pstrdup(r->pool, urls[i]);
        char *c = apr_pstrdup(r->pool, urls[i]);
        char *d = apr_pstrdup(r->pool, urls[i]);
        char *e = apr_pstrdup(r->pool, urls[i]);
        int ra = ap_unescape_url(a), rb = ap_unescape_url_keep2f(b, 0),
            rc = ap_unescape_urlencoded(c), rd = ap_unescape_all(d),
            re = ap_unescape_url_keep2f(e, 1);
        out(r, apr_psprintf(r->pool, "unescape(%s)", urls[i]),
            apr_psprintf(r->pool, "%d:%s %d:%s %d:%s %d:%s %d:%s", ra, a, rb, b,
                         rc, c, rd, d, re, e));
    }
    for (i = 0; i < sizeof(raw) / sizeof(raw[0]); ++i) {
        out(r, apr_psprintf(r->pool, "escape_path_segment#%d", (int)i),
            ap_escape_path_segment(r->pool, raw[i]));
        out(r, apr_psprintf(r->pool, "os_escape_path#%d", (int)i),
            ap_os_escape_path(r->pool, raw[i], 0));
        out(r, apr_psprintf(r->pool, "escape_urlencoded#%d", (int)i),
            ap_escape_urlencoded(r->pool, raw[i]));
        out(r, apr_psprintf(r->pool, "escape_html2#%d", (int)i),
            ap_escape_html2(r->pool, raw[i], 1));
        out(r, apr_psprintf(r->pool, "escape_shell_cmd#%d", (int)i),
            ap_escape_shell_cmd(r->pool, raw[i]));
        out(r, apr_psprintf(r->pool, "escape_logitem#%d", (int)i),
            ap_escape_logitem(r->pool, raw[i]));
    }
    for (i = 1; i <= 9; i += 2) {
        apr_size_t n = ap_escape_errorlog_item(buf, "ab\"c\x01\nd", i);
        out(r, apr_psprintf(r->pool, "escape_errorlog_item(%d)", (int)i),
            apr_psprintf(r->pool, "%d:%s", (int)n, buf));
    }
}

static void probe_paths(request_rec *r)
{
    static const char *const parents[] = {
        "/a/./b",   "/a/b/../c", "/a/b/..",   "/a/.",     "./x",
        "..",       "/../etc",   "a/../../b", "/a/..b/c", "/.",
        "a/./../b", "//a//../b", ".",         "x/..",     "/a/b/../../.."};
    static const char *const norm[] = {
        "/a/./b/../c", "/a//b", "/a/%2e%2E/b", "/%7euser/%2F", "/../x",
        "rel/./x",     "*",     "/a%zz",       "/a/b/./../"};
    static const unsigned flags[] = {
        0, AP_NORMALIZE_MERGE_SLASHES, AP_NORMALIZE_DECODE_UNRESERVED,
        AP_NORMALIZE_NOT_ABOVE_ROOT, AP_NORMALIZE_ALLOW_RELATIVE};
    char d[64];
    size_t i, j;

    out(r, "make_full_path(/a,b)", ap_make_full_path(r->pool, "/a", "b"));
    out(r, "make_full_path(/a/,b)", ap_make_full_path(r->pool, "/a/", "b"));
    out(r, "make_full_path(,b)", ap_make_full_path(r->pool, "", "b"));
    out(r, "make_full_path(/a,/b)", ap_make_full_path(r->pool, "/a", "/b"));
    for (i = 0; i <= 4; ++i) {
        ap_make_dirstr_prefix(d, "/a/b", (int)i);
        out(r, apr_psprintf(r->pool, "make_dirstr_prefix(/a/b,%d)", (int)i), d);
    }
    out(r, "make_dirstr_parent", ap_make_dirstr_parent(r->pool, "/a/b/c"));
    out(r, "make_dirstr_parent-none", ap_make_dirstr_parent(r->pool, "f"));
    outi(r, "count_dirs", ap_count_dirs("/a/b/c"));
    for (i = 0; i < sizeof(parents) / sizeof(parents[0]); ++i) {
        char *p = apr_pstrdup(r->pool, parents[i]);
        ap_getparents(p);
        out(r, apr_psprintf(r->pool, "getparents(%s)", parents[i]), p);
    }
    {
        char *p = apr_pstrdup(r->pool, "//a///b/c//");
        ap_no2slash(p);
        out(r, "no2slash", p);
    }
    for (i = 0; i < sizeof(norm) / sizeof(norm[0]); ++i) {
        for (j = 0; j < sizeof(flags) / sizeof(flags[0]); ++j) {
            char *p = apr_pstrdup(r->pool, norm[i]);
            int ok = ap_normalize_path(p, flags[j]);
            out(r, apr_psprintf(r->pool, "normalize(%s,%u)", norm[i], flags[j]),
                apr_psprintf(r->pool, "%d:%s", ok, p));
        }
    }
    outi(r, "is_url(http://x)", ap_is_url("http://x"));
    outi(r, "is_url(:x)", ap_is_url(":x"));
    outi(r, "is_url(/a:b)", ap_is_url("/a:b"));
    outi(r, "os_is_path_absolute(/etc)",
         ap_os_is_path_absolute(r->pool, "/etc"));
    outi(r, "os_is_path_absolute(etc)", ap_os_is_path_absolute(r->pool, "etc"));
}

static void probe_tokens(request_rec *r)
{
    static const char *const lines[] = {
        "gzip, deflate", "gz",      "gzipx",   "keep-alive, Upgrade",
        "a;b=c, gzip",   " , gzip", "\"gzip\""};
    static const char *const lists[] = {
        " , Text/HTML ; Level = 1 ,\"Quoted, Item\" (Com, ment)", "a , b ; c=d",
        "no-cache, Max-Age=0"};
    apr_array_header_t *toks = NULL;
    const char *err;
    size_t i;

    for (i = 0; i < sizeof(lines) / sizeof(lines[0]); ++i) {
        outi(r, apr_psprintf(r->pool, "find_token(%s,gzip)", lines[i]),
             ap_find_token(r->pool, lines[i], "gzip"));
        outi(r, apr_psprintf(r->pool, "find_last_token(%s,gzip)", lines[i]),
             ap_find_last_token(r->pool, lines[i], "gzip"));
        outi(r, apr_psprintf(r->pool, "find_list_item(%s,gzip)", lines[i]),
             ap_find_list_item(r->pool, lines[i], "gzip"));
        outi(r, apr_psprintf(r->pool, "is_chunked(%s)", lines[i]),
             ap_is_chunked(r->pool, lines[i]));
    }
    for (i = 0; i < sizeof(lists) / sizeof(lists[0]); ++i) {
        const char *f = lists[i];
        char *item;
        int n = 0;
        while ((item = ap_get_list_item(r->pool, &f)) != NULL)
            out(r, apr_psprintf(r->pool, "get_list_item#%d.%d", (int)i, n++),
                item);
    }
    outi(r, "find_list_item(max-age=0)",
         ap_find_list_item(r->pool, lists[2], "max-age=0"));
    outi(r, "find_list_item(b;c=d)",
         ap_find_list_item(r->pool, lists[1], "b;c=d"));
    outi(r, "etag_strong",
         ap_find_etag_strong(r->pool, "\"x\", \"Abc\"", "\"Abc\""));
    outi(r, "etag_strong-case",
         ap_find_etag_strong(r->pool, "\"abc\"", "\"Abc\""));
    outi(r, "etag_strong-weak",
         ap_find_etag_strong(r->pool, "W/\"abc\"", "\"abc\""));
    outi(r, "etag_weak", ap_find_etag_weak(r->pool, "W/\"abc\"", "\"abc\""));
    outi(r, "is_chunked(chunked, gzip)",
         ap_is_chunked(r->pool, "chunked, gzip"));
    outi(r, "is_chunked(gzip, Chunked)",
         ap_is_chunked(r->pool, "gzip, Chunked"));
    err = ap_parse_token_list_strict(r->pool, " gzip ,, br\t,x-y ", &toks, 0);
    out(r, "parse_token_list_strict",
        apr_psprintf(r->pool, "%s %d", err ? err : "ok",
                     toks ? toks->nelts : -1));
    toks = NULL;
    out(r, "parse_token_list_strict-sep",
        ap_parse_token_list_strict(r->pool, "a;q=1", &toks, 0));
    outi(r, "scan_http_token", ap_scan_http_token("gzip, x") - "gzip, x");
    {
        const char *l = "  text/html;level=1, \"a,b\" ;q=0.5";
        char *t1 = ap_get_token(r->pool, &l, 0);
        out(r, "get_token", apr_pstrcat(r->pool, t1, "|", l, NULL));
    }
}

static void probe_digest_time(request_rec *r)
{
    apr_time_t t = apr_time_from_sec(784111777) + 123456;
    char buf[64], rfc[APR_RFC822_DATE_LEN];
    int len, opts[] = {0, AP_CTIME_OPTION_USEC, AP_CTIME_OPTION_COMPACT,
                       AP_CTIME_OPTION_COMPACT | AP_CTIME_OPTION_USEC};
    char in[] = "user:pass word";
    size_t i;

    out(r, "md5(abc)", ap_md5(r->pool, (const unsigned char *)"abc"));
    out(r, "md5_binary",
        ap_md5_binary(r->pool, (const unsigned char *)"abcdef", 3));
    out(r, "pbase64encode", ap_pbase64encode(r->pool, in));
    out(r, "pbase64decode", ap_pbase64decode(r->pool, "dXNlcjpwYXNzIHdvcmQ="));
    out(r, "ht_time", ap_ht_time(r->pool, t, "%a, %d %b %Y %H:%M:%S %Z", 1));
    out(r, "ht_time-z", ap_ht_time(r->pool, t, "%z|%%Z|%Y", 1));
    ap_recent_rfc822_date(rfc, t);
    out(r, "recent_rfc822_date", rfc);
    for (i = 0; i < sizeof(opts) / sizeof(opts[0]); ++i) {
        len = (int)sizeof(buf);
        ap_recent_ctime_ex(buf, t, opts[i], &len);
        out(r, apr_psprintf(r->pool, "recent_ctime_ex(%d)", opts[i]),
            apr_psprintf(r->pool, "%s len=%d", buf, len));
    }
}

static void probe_regex(request_rec *r)
{
    ap_regex_t *re = ap_pregcomp(r->pool, "(\\w+)@(\\w+)(x)?", 0);
    ap_regmatch_t m[AP_MAX_REG_MATCH];
    const char *src = "mail bob@example now";
    ap_regex_t bad;
    char msg[64];
    int rc;
    ap_rxplus_t *rx;
    char *res = NULL;

    rc = ap_regexec(re, src, AP_MAX_REG_MATCH, m, 0);
    out(r, "regexec",
        apr_psprintf(r->pool, "%d %d-%d %d-%d %d-%d %d-%d", rc, m[0].rm_so,
                     m[0].rm_eo, m[1].rm_so, m[1].rm_eo, m[3].rm_so, m[3].rm_eo,
                     m[4].rm_so, m[4].rm_eo));
    out(r, "pregsub",
        ap_pregsub(r->pool, "$2:$1 [$0] $9 \\$1 $$x & \\", src,
                   AP_MAX_REG_MATCH, m));
    out(r, "pregsub-n2", ap_pregsub(r->pool, "<$2>", src, 2, m));
    rc = ap_regcomp(&bad, "ab(", 0);
    ap_regerror(rc, &bad, msg, sizeof(msg));
    out(r, "regerror", apr_psprintf(r->pool, "%d %s", rc, msg));
    rx = ap_rxplus_compile(r->pool, "s/o/0/g");
    rc = ap_rxplus_exec(r->pool, rx, "foo boo", &res);
    out(r, "rxplus s/o/0/g", apr_psprintf(r->pool, "%d %s", rc, res));
    rx = ap_rxplus_compile(r->pool, "m#(B)(x)?#i");
    rc = ap_rxplus_exec(r->pool, rx, "abc", &res);
    out(r, "rxplus m",
        apr_psprintf(r->pool, "%d %d %s", rc, (int)ap_rxplus_nmatch(rx),
                     ap_rxplus_pmatch(r->pool, rx, 1)));
    out(r, "rxplus-null", ap_rxplus_compile(r->pool, "s/a/") ? "x" : NULL);
}

static void probe_misc(request_rec *r)
{
    static const char *const lens[] = {"12345", "0",  "-1", "+1",
                                       " 1",    "1 ", "",   "0x10"};
    static const char *const timeouts[] = {"5",  "250ms", "2min",
                                           "1h", "3x",    "3m"};
    apr_table_t *t = NULL;
    const apr_array_header_t *arr;
    size_t i;
    int k;

    for (i = 0; i < sizeof(lens) / sizeof(lens[0]); ++i) {
        apr_off_t len = -7;
        int ok = ap_parse_strict_length(&len, lens[i]);
        out(r, apr_psprintf(r->pool, "parse_strict_length(%s)", lens[i]),
            apr_psprintf(r->pool, "%d %" APR_OFF_T_FMT, ok, ok ? len : -7));
    }
    for (i = 0; i < sizeof(timeouts) / sizeof(timeouts[0]); ++i) {
        apr_interval_time_t to = -1;
        apr_status_t rv = ap_timeout_parameter_parse(timeouts[i], &to, "s");
        out(r, apr_psprintf(r->pool, "timeout(%s)", timeouts[i]),
            apr_psprintf(r->pool, "%d %" APR_TIME_T_FMT, rv == APR_SUCCESS,
                         rv == APR_SUCCESS ? to : -1));
    }
    r->args = apr_pstrdup(r->pool, "a=1&b&c=x%20y&a=2&d=%2F&e=%zz");
    ap_args_to_table(r, &t);
    arr = apr_table_elts(t);
    for (k = 0; k < arr->nelts; ++k) {
        const apr_table_entry_t *e = &APR_ARRAY_IDX(arr, k, apr_table_entry_t);
        out(r, apr_psprintf(r->pool, "args_to_table[%d]", k),
            apr_pstrcat(r->pool, e->key, "=", e->val, NULL));
    }
    outi(r, "request_has_body", ap_request_has_body(r));
}

struct strsrc {
    const char *s;
};

static apr_status_t str_getch(char *ch, void *param)
{
    struct strsrc *src = param;

    if (!*src->s)
        return APR_EOF;
    *ch = *src->s++;
    return APR_SUCCESS;
}

static void probe_more(request_rec *r, int light)
{
    static const unsigned flags[] = {0, AP_UNESCAPE_URL_KEEP_UNRESERVED,
                                     AP_UNESCAPE_URL_FORBID_SLASHES,
                                     AP_UNESCAPE_URL_KEEP_SLASHES};
    static const unsigned char bin[] = {0x00, 0xab, 0x10, 0xff};
    apr_time_t t = apr_time_from_sec(784111777) + 123456;
    apr_array_header_t *a = apr_array_make(r->pool, 2, sizeof(char *));
    apr_array_header_t *names = apr_array_make(r->pool, 2, sizeof(char *));
    struct strsrc src = {"  first \\\n  cont\nsecond  \nlast"};
    ap_configfile_t *cfg;
    struct ap_varbuf vb;
    ap_regex_t re;
    ap_regmatch_t m[3];
    apr_md5_ctx_t ctx;
    apr_time_exp_t xt;
    char hex[9], buf[128];
    const char *l, *item;
    char *res = NULL;
    int len, n, k;
    size_t i;

    for (i = 0; i < sizeof(flags) / sizeof(flags[0]); ++i) {
        char *u = apr_pstrdup(r->pool, "%41%2F%2f%7e%20%00x");
        n = ap_unescape_url_ex(u, flags[i]);
        out(r, apr_psprintf(r->pool, "unescape_url_ex(%u)", flags[i]),
            apr_psprintf(r->pool, "%d:%s", n, u));
    }
    ap_bin2hex(bin, sizeof(bin), hex);
    out(r, "bin2hex", hex);
    apr_md5_init(&ctx);
    apr_md5_update(&ctx, "abc", 3);
    out(r, "md5contextTo64", ap_md5contextTo64(r->pool, &ctx));
    out(r, "pbase64decode-junk", ap_pbase64decode(r->pool, "YW*Jj!"));
    APR_ARRAY_PUSH(a, const char *) = "x";
    APR_ARRAY_PUSH(a, const char *) = "y";
    outi(r, "array_str_index", ap_array_str_index(a, "y", 0));
    outi(r, "array_str_index-start", ap_array_str_index(a, "x", 1));
    outi(r, "cstr_casecmpn", ap_cstr_casecmpn("HEADx", "heady", 4));
    outi(r, "streq_timingsafe", ap_streq_timingsafe("secret", "secret"));
    outi(r, "streq_timingsafe-short", ap_streq_timingsafe("secret", "sec"));
    outi(r, "strneq_timingsafe", ap_strneq_timingsafe("secret", "secXX", 3));
    outi(r, "memeq_timingsafe", ap_memeq_timingsafe("abcd", "abce", 3));
    outi(r, "scan_http_field_content",
         ap_scan_http_field_content("a b\tc\r\n") - "a b\tc\r\n");
    outi(r, "scan_vchar_obstext",
         ap_scan_vchar_obstext("ab\xc3\xa9 c") - "ab\xc3\xa9 c");
    l = "a, (b, c) , \"d,e\"";
    while ((item = ap_size_list_item(&l, &len)) != NULL)
        out(r, "size_list_item", apr_pstrmemdup(r->pool, item, len));
    a = NULL;
    out(r, "parse_token_list_strict-skip",
        ap_parse_token_list_strict(r->pool, "a;q=1, b ,c d", &a, 1));
    outi(r, "parse_token_list_strict-skip-n", a ? a->nelts : -1);
    l = "a b, c";
    out(r, "get_token-white", ap_get_token(r->pool, &l, 1));
    out(r, "ht_time-local", ap_ht_time(r->pool, t, "%d/%b/%Y:%H:%M:%S %z", 0));
    ap_explode_recent_gmt(&xt, t);
    out(r, "explode_recent_gmt",
        apr_psprintf(r->pool, "%d-%d-%d %d:%d:%d.%d wday=%d yday=%d",
                     xt.tm_year, xt.tm_mon, xt.tm_mday, xt.tm_hour, xt.tm_min,
                     xt.tm_sec, xt.tm_usec, xt.tm_wday, xt.tm_yday));
    len = 10;
    n = ap_recent_ctime_ex(buf, t, AP_CTIME_OPTION_USEC, &len);
    outi(r, "recent_ctime_ex-small", n == APR_SUCCESS);
    len = (int)sizeof(buf);
    ap_recent_ctime_ex(buf, t, AP_CTIME_OPTION_GMTOFF, &len);
    out(r, "recent_ctime_ex-gmtoff", apr_psprintf(r->pool, "%s %d", buf, len));
    len = (int)sizeof(buf);
    ap_recent_ctime_ex(buf, t, AP_CTIME_OPTION_MSEC, &len);
    out(r, "recent_ctime_ex-msec", apr_psprintf(r->pool, "%s %d", buf, len));
    ap_recent_ctime(buf, t);
    out(r, "recent_ctime", buf);
    n = ap_regcomp(&re, "(?<year>\\d+)-(x)?-(?<mon>\\d+)", 0);
    k = ap_regname(&re, names, "M_", 1);
    out(r, "regname",
        apr_psprintf(r->pool, "%d %d %d %s", n, k, names->nelts,
                     APR_ARRAY_IDX(names, 1, char *)));
    n = ap_regexec_len(&re, "1994--11zz", 8, 3, m, 0);
    out(r, "regexec_len",
        apr_psprintf(r->pool, "%d %d-%d %d-%d %d-%d", n, m[0].rm_so, m[0].rm_eo,
                     m[1].rm_so, m[1].rm_eo, m[2].rm_so, m[2].rm_eo));
    outi(r, "regexec-notbol", ap_regexec(&re, "1-x-2", 0, NULL, AP_REG_NOTBOL));
    outi(r, "pregsub_ex-maxlen",
         ap_pregsub_ex(r->pool, &res, "$0$0", "1994-x-11", 1, m, 8));
    outi(r, "pregsub_ex-nmatch",
         ap_pregsub_ex(r->pool, &res, "$1", "1994-x-11", 11, m, 0));
    ap_regfree(&re);
    ap_varbuf_init(r->pool, &vb, 0);
    ap_varbuf_strcat(&vb, "abc");
    ap_varbuf_strmemcat(&vb, "defgh", 2);
    out(r, "varbuf", apr_psprintf(r->pool, "%s %d", vb.buf, (int)vb.strlen));
    {
        apr_size_t nl = 0;
        char *d = ap_varbuf_pdup(r->pool, &vb, "<", 1, ">", 1, &nl);
        out(r, "varbuf_pdup", apr_psprintf(r->pool, "%s %d", d, (int)nl));
    }
    cfg = ap_pcfg_open_custom(r->pool, "mem", &src, str_getch, NULL, NULL);
    while ((n = ap_cfg_getline(buf, sizeof(buf), cfg)) == APR_SUCCESS)
        out(r, apr_psprintf(r->pool, "cfg_getline@%u", cfg->line_number), buf);
    outi(r, "cfg_getline-end", n);
    out(r, "escape_html2-noasc", ap_escape_html2(r->pool, "<\xe9>", 0));
    out(r, "str2_alnum", (ap_str2_alnum("x.y\x02", buf), buf));
    out(r, "escape_path_segment_buffer",
        ap_escape_path_segment_buffer(buf, "a b"));
    out(r, "escape_urlencoded_buffer", ap_escape_urlencoded_buffer(buf, "a b"));
    out(r, "field_noparam-none", ap_field_noparam(r->pool, "text/plain"));
    outi(r, "server_root_relative",
         strcmp(ap_server_root_relative(r->pool, "x/y"),
                apr_pstrcat(r->pool, ap_server_root, "/x/y", NULL)) == 0);
    out(r, "server_root_relative-abs",
        ap_server_root_relative(r->pool, "/abs/x"));
    if (!light) { /* no fork() from a busy threaded server under TSan */
        const char *argv[] = {"/bin/sh", "-c", "echo one; echo two", NULL};
        out(r, "get_exec_line", ap_get_exec_line(r->pool, "/bin/sh", argv));
    }
    outi(r, "uname2id(#5)", (long)ap_uname2id("#5"));
    outi(r, "gname2id(root)", (long)ap_gname2id("root"));
}

static void print_table(request_rec *r, const char *what, apr_table_t *t)
{
    const apr_array_header_t *arr = apr_table_elts(t);
    int k;

    for (k = 0; k < arr->nelts; ++k) {
        const apr_table_entry_t *e = &APR_ARRAY_IDX(arr, k, apr_table_entry_t);
        out(r, apr_psprintf(r->pool, "%s[%d]", what, k),
            apr_pstrcat(r->pool, e->key, ": ", e->val, NULL));
    }
}

static void probe_cookies(request_rec *r)
{
    static const char *const headers[] = {"a=1; session=abc; $Path=/; b=2",
                                          "session=abc, other=x",
                                          "session=one; session=two",
                                          "x=1;  session=v ; $Version=1",
                                          "nothing=here",
                                          "session=only"};
    apr_table_t *t1 = apr_table_make(r->pool, 4);
    apr_table_t *t2 = apr_table_make(r->pool, 4);
    apr_table_t *saved = r->headers_in;
    const char *val;
    size_t i;
    int rc;

    ap_cookie_write(r, "c1", "v1", NULL, 0, t1, t2, NULL);
    ap_cookie_write(r, "c2", "v2", "Path=/", 3600, t1, NULL);
    ap_cookie_write(r, "c3", "v3", "", 0, t1, NULL);
    ap_cookie_write2(r, "c4", "v4", NULL, 60, t1, NULL);
    ap_cookie_remove(r, "c5", NULL, t1, NULL);
    ap_cookie_remove(r, "c6", "", t1, NULL);
    ap_cookie_remove2(r, "c7", "Path=/x", t1, NULL);
    print_table(r, "cookies1", t1);
    print_table(r, "cookies2", t2);
    for (i = 0; i < sizeof(headers) / sizeof(headers[0]); ++i) {
        r->headers_in = apr_table_make(r->pool, 4);
        apr_table_setn(r->headers_in, "Host", "h");
        apr_table_setn(r->headers_in, "Cookie", headers[i]);
        apr_table_setn(r->headers_in, "Cookie2", "$Version=1; session=abc");
        val = NULL;
        rc = ap_cookie_read(r, "session", &val, 1);
        out(r, apr_psprintf(r->pool, "cookie_read#%d", (int)i),
            apr_psprintf(r->pool, "%d %s", rc, val ? val : "(none)"));
        print_table(r, apr_psprintf(r->pool, "cookie_read#%d.in", (int)i),
                    r->headers_in);
    }
    r->headers_in = saved;
    outi(r, "cookie_check_string(ok)", ap_cookie_check_string("ok"));
    outi(r, "cookie_check_string(a=b)", ap_cookie_check_string("a=b"));
    outi(r, "cookie_check_string()", ap_cookie_check_string(""));
}

static char *hexdump(apr_pool_t *p, const unsigned char *b, apr_size_t n)
{
    char *o = apr_palloc(p, 2 * n + 1);
    apr_size_t i;

    for (i = 0; i < n; ++i)
        apr_snprintf(o + 2 * i, 3, "%02x", b[i]);
    o[2 * n] = '\0';
    return o;
}

static void probe_fcgi(request_rec *r)
{
    ap_fcgi_header h, h2;
    ap_fcgi_begin_request_body brb;
    unsigned char a[AP_FCGI_HEADER_LEN], buf[512];
    unsigned char ver = 0, type = 0, pad = 0;
    apr_uint16_t rid = 0, clen = 0;
    apr_table_t *env = apr_table_make(r->pool, 4);
    char *big = apr_palloc(r->pool, 201);
    int elem = 0, elem2 = 0;
    apr_size_t need;
    apr_status_t rv;

    ap_fcgi_fill_in_header(&h, AP_FCGI_PARAMS, 0x1234, 0x5678, 3);
    ap_fcgi_header_to_array(&h, a);
    out(r, "fcgi_header", hexdump(r->pool, a, sizeof(a)));
    ap_fcgi_header_from_array(&h2, a);
    ap_fcgi_header_fields_from_array(&ver, &type, &rid, &clen, &pad, a);
    out(r, "fcgi_fields",
        apr_psprintf(r->pool, "%u %u %u %u %u %u", ver, type, rid, clen, pad,
                     h2.requestIdB0));
    ap_fcgi_fill_in_request_body(&brb, AP_FCGI_RESPONDER, AP_FCGI_KEEP_CONN);
    ap_fcgi_begin_request_body_to_array(&brb, a);
    out(r, "fcgi_brb", hexdump(r->pool, a, sizeof(a)));
    memset(big, 'v', 200);
    big[200] = '\0';
    apr_table_setn(env, "A", "1");
    apr_table_setn(env, "EMPTY", "");
    apr_table_setn(env, "BIG", big);
    apr_table_setn(env, "Z", "26");
    need = ap_fcgi_encoded_env_len(env, 100, &elem);
    out(r, "fcgi_env_len(100)",
        apr_psprintf(r->pool, "%d next=%d", (int)need, elem));
    rv = ap_fcgi_encode_env(r, env, buf, need, &elem2);
    out(r, "fcgi_encode_env(100)",
        apr_psprintf(r->pool, "%d next=%d %s", rv, elem2,
                     hexdump(r->pool, buf, need)));
    elem = elem2 = 0;
    need = ap_fcgi_encoded_env_len(env, 100000, &elem);
    rv = ap_fcgi_encode_env(r, env, buf, need, &elem2);
    out(r, "fcgi_encode_env(all)",
        apr_psprintf(r->pool, "%d len=%d next=%d/%d head=%s", rv, (int)need,
                     elem, elem2, hexdump(r->pool, buf, 20)));
    elem2 = 2;
    rv = ap_fcgi_encode_env(r, env, buf, 10, &elem2);
    out(r, "fcgi_encode_env(nospace)",
        apr_psprintf(r->pool, "%d next=%d", rv, elem2));
}

static void probe_expr(request_rec *r)
{
    static const char *const conds[] = {
        "true",
        "false",
        "!true",
        "true && false",
        "true || false",
        "!(true && !false)",
        "1 -eq 1",
        "10 -gt 9",
        "'10' > '9'",
        "2 lt 10",
        "'a' == 'a'",
        "'a' != 'b'",
        "'abc' < 'abd'",
        "'x' in {'a', 'x', 'c'}",
        "'z' in {'a'}",
        "%{REQUEST_METHOD} == 'GET'",
        "%{REQUEST_URI} =~ m#^/pro(b)e$#",
        "%{QUERY_STRING} == 'q=1'",
        "%{REQUEST_URI} =~ /^\\/(pro)be/ && $1 == 'pro'",
        "%{REQUEST_URI} !~ /nomatch/i",
        "%{REQUEST_URI} =~ /^.(pro)be/ && $1 == 'pro'",
        "%{REQUEST_URI} =~ /^.(pro)be/ && '$1' == 'pro'",
        "%{REQUEST_URI} =~ /^\\/probe/",
        "%{REQUEST_URI} =~ m#^\\/probe#",
        "'a\\'b' == \"a'b\"",
        "'x\\y' == 'x\\y'",
        "-n ''",
        "-z ''",
        "-n %{QUERY_STRING}",
        "-T 'off'",
        "-T 'yes'",
        "-T '0'",
        "-T ''",
        "%{REMOTE_ADDR} -ipmatch '127.0.0.0/8'",
        "-R '127.0.0.1'",
        "-R '10.0.0.0/8'",
        "'foo.txt' -strmatch '*.txt'",
        "'FOO.txt' -strcmatch 'foo.*'",
        "'a/b' -fnmatch 'a*'",
        "-f '/etc/passwd'",
        "-d '/etc'",
        "-e '/nonexistent'",
        "tolower('AbC') == 'abc'",
        "toupper(%{REQUEST_METHOD}) . 'x' == 'GETx'",
        "md5('abc') == '900150983cd24fb0d6963f7d28e17f72'",
        "base64('user:pw') == 'dXNlcjpwdw=='",
        "unbase64('dXNlcjpwdw==') == 'user:pw'",
        "req('User-Agent') =~ /curl/",
        "http('X-None') == ''",
        "%{HTTP_USER_AGENT} =~ /curl/",
        "%{HTTPS} == 'off' && %{IPV6} == 'off'",
        "%{IS_SUBREQ} == 'false'",
        "\"%{REQUEST_METHOD}x\" == 'GETx'",
        "'a' . 'b' == \"ab\"",
        "1 ==",
        "'unterminated",
        "%{NO_SUCH_VAR} == 'x'",
        "nosuchfunc('a') == 'b'",
        "-Q 'x'",
        "true false",
        "(true",
        "'a'"};
    static const char *const strs[] = {
        "plain",
        "method=%{REQUEST_METHOD} uri=%{REQUEST_URI}",
        "%{tolower:ABC}",
        "%{md5:abc}",
        "%{sha1:abc}",
        "x%{base64:hi}y",
        "%{escape:a b/c}",
        "%{unescape:a%20b}",
        "[$1]",
        "%{HTTPS}|%{IPV6}|%{IS_SUBREQ}|%{SERVER_PROTOCOL}|%{REQUEST_SCHEME}",
        "%{THE_REQUEST}|%{QUERY_STRING}|%{HANDLER}",
        "%{req:X-None}|",
        "%{NOPE}",
        "100%",
        "a\\tb"};
    size_t i;

    for (i = 0; i < sizeof(conds) / sizeof(conds[0]); ++i) {
        ap_expr_info_t info;
        const char *perr, *err = NULL;
        int rc = -9;
        ap_regmatch_t m[3];
        const char *src = NULL;

        memset(&info, 0, sizeof(info));
        apr_table_unset(r->headers_out, "Vary");
        perr = ap_expr_parse(r->pool, r->pool, &info, conds[i], NULL);
        if (!perr) {
            rc = ap_expr_exec(r, &info, &err);
            int rc2 = ap_expr_exec_re(r, &info, 3, m, &src, &err);
            out(r, apr_psprintf(r->pool, "expr(%s)", conds[i]),
                apr_psprintf(r->pool, "%d %d vary=%s", rc, rc2,
                             apr_table_get(r->headers_out, "Vary")
                                 ? apr_table_get(r->headers_out, "Vary")
                                 : "-"));
        } else {
            out(r, apr_psprintf(r->pool, "expr(%s)", conds[i]), "parse error");
        }
    }
    for (i = 0; i < sizeof(strs) / sizeof(strs[0]); ++i) {
        ap_expr_info_t info;
        const char *perr, *err = NULL, *res;

        memset(&info, 0, sizeof(info));
        info.flags = AP_EXPR_FLAG_STRING_RESULT;
        perr = ap_expr_parse(r->pool, r->pool, &info, strs[i], NULL);
        res = perr ? "parse error" : ap_expr_str_exec(r, &info, &err);
        out(r, apr_psprintf(r->pool, "strexpr(%s)", strs[i]),
            res ? res : "(eval error)");
    }
    apr_table_unset(r->headers_out, "Vary");
}

/* Edge cases of functions probed above. */
static void probe_edges(request_rec *r)
{
    static const char *const timeouts[] = {"10mi",
                                           "10min",
                                           "10m",
                                           "-5",
                                           " 5",
                                           "5 ",
                                           "",
                                           "5h2",
                                           "9999999999999h",
                                           "99999999999999999s",
                                           "0",
                                           "0ms"};
    static const char *const norm[] = {"/a/.%2e/b", "/a/%2e%2E", "//",
                                       "/./",       "/..",       "/a/b/%2e",
                                       "a/..",      "/a/./"};
    static const char *const urls[] = {"a:", "1a:", "a+b-c.d:x", "a_b:x", "::"};
    static const char *const subs[] = {"$", "\\", "$10", "a\\$1b", "$$1"};
    apr_time_t t = apr_time_from_sec(784111777) + 123456;
    ap_regmatch_t m[2] = {{0, 3}, {1, 2}};
    char buf[80];
    int len, opt;
    size_t i;

    for (opt = 0; opt < 16; ++opt) {
        len = (int)sizeof(buf);
        ap_recent_ctime_ex(buf, t, opt, &len);
        out(r, apr_psprintf(r->pool, "ctime_ex(%d)", opt),
            apr_psprintf(r->pool, "%s %d", buf, len));
    }
    out(r, "ht_time-local-zZ", ap_ht_time(r->pool, t, "%Z %z %%", 0));
    for (i = 0; i < sizeof(timeouts) / sizeof(timeouts[0]); ++i) {
        apr_interval_time_t to = -1;
        apr_status_t rv = ap_timeout_parameter_parse(timeouts[i], &to, "s");
        out(r, apr_psprintf(r->pool, "timeout[%s]", timeouts[i]),
            apr_psprintf(r->pool, "%d %" APR_TIME_T_FMT, rv == APR_SUCCESS,
                         rv == APR_SUCCESS ? to : -1));
    }
    for (i = 0; i < sizeof(norm) / sizeof(norm[0]); ++i) {
        unsigned f;
        for (f = 0; f < 16; ++f) {
            char *p = apr_pstrdup(r->pool, norm[i]);
            int ok = ap_normalize_path(p, f);
            out(r, apr_psprintf(r->pool, "normalize2(%s,%u)", norm[i], f),
                apr_psprintf(r->pool, "%d:%s", ok, p));
        }
    }
    for (i = 0; i < sizeof(urls) / sizeof(urls[0]); ++i)
        outi(r, apr_psprintf(r->pool, "is_url(%s)", urls[i]),
             ap_is_url(urls[i]));
    for (i = 0; i < sizeof(subs) / sizeof(subs[0]); ++i)
        out(r, apr_psprintf(r->pool, "pregsub(%s)", subs[i]),
            ap_pregsub(r->pool, subs[i], "xyz", 2, m));
    out(r, "make_full_path(a,)", ap_make_full_path(r->pool, "a", ""));
    out(r, "escape_quotes-edge", ap_escape_quotes(r->pool, "\\\\\"\""));
    {
        char u[] = "%2B+%2b+";
        int rc = ap_unescape_urlencoded(u);
        out(r, "unescape_urlencoded-plus",
            apr_psprintf(r->pool, "%d:%s", rc, u));
    }
    out(r, "md5_binary-empty",
        ap_md5_binary(r->pool, (const unsigned char *)"", 0));
    out(r, "pbase64decode-short", ap_pbase64decode(r->pool, "Y"));
    out(r, "field_noparam-semi", ap_field_noparam(r->pool, " ; x"));
    {
        const char *l = "\"a;\"b\"c\";d, e";
        char *t1 = ap_get_token(r->pool, &l, 0);
        out(r, "get_token-quotes", apr_pstrcat(r->pool, t1, "|", l, NULL));
    }
}

/* Every byte 1-255 through the character-class functions. */
static void probe_bytes(request_rec *r)
{
    char all[256], buf[4 * 256 + 1];
    char *t;
    int i, k;

    for (i = 1; i < 256; ++i)
        all[i - 1] = (char)i;
    all[255] = '\0';
    out(r, "bytes:escape_path_segment", ap_escape_path_segment(r->pool, all));
    out(r, "bytes:os_escape_path", ap_os_escape_path(r->pool, all, 1));
    out(r, "bytes:escape_urlencoded", ap_escape_urlencoded(r->pool, all));
    out(r, "bytes:escape_html2", ap_escape_html2(r->pool, all, 1));
    out(r, "bytes:escape_shell_cmd", ap_escape_shell_cmd(r->pool, all));
    out(r, "bytes:escape_logitem", ap_escape_logitem(r->pool, all));
    ap_escape_errorlog_item(buf, all, sizeof(buf));
    out(r, "bytes:escape_errorlog_item", buf);
    t = apr_pstrdup(r->pool, all);
    ap_str_tolower(t);
    out(r, "bytes:str_tolower", t);
    t = apr_pstrdup(r->pool, all);
    ap_str_toupper(t);
    out(r, "bytes:str_toupper", t);
    t = apr_pstrdup(r->pool, all);
    ap_content_type_tolower(t);
    out(r, "bytes:content_type_tolower", t);
    for (i = 1; i < 256; ++i) {
        char one[2] = {(char)i, 0};
        char tok[8];
        const char *l;
        apr_snprintf(tok, sizeof(tok), "a%cb", i);
        buf[i - 1] = (char)('0' + (ap_scan_http_token(one) != one) +
                            2 * (ap_scan_http_field_content(one) != one) +
                            4 * (ap_scan_vchar_obstext(one) != one));
        l = tok;
        ap_getword_white(r->pool, &l);
        if (*l == 'b')
            buf[i - 1] = (char)(buf[i - 1] + 8); /* a white-space byte */
    }
    buf[255] = '\0';
    out(r, "bytes:scan_classes", buf);
    for (i = 0, k = 0; i < 256; ++i) {
        char *u = apr_psprintf(r->pool, "%%%02x", i);
        int rc = ap_unescape_url(u);
        buf[k++] = rc == OK ? 'o' : rc == HTTP_NOT_FOUND ? 'n' : 'b';
    }
    buf[k] = '\0';
    out(r, "bytes:unescape_url_rc", buf);
    for (i = 0, k = 0; i < 256; ++i)
        buf[k++] =
            (char)('0' +
                   (ap_cstr_casecmp(apr_psprintf(r->pool, "%c", i ? i : 1),
                                    "a") > 0) +
                   (ap_cstr_casecmp(apr_psprintf(r->pool, "%c", i ? i : 1),
                                    "a") == 0) *
                       2);
    buf[k] = '\0';
    out(r, "bytes:cstr_casecmp_vs_a", buf);
}

static void probe_log(request_rec *r)
{
    static const char data[] = "0123456789abcdef\\\x01Z";

    ap_log_rerror(APLOG_MARK, APLOG_ERR, APR_ENOENT, r,
                  "APIPROBE marker \"%s\"\n%s", "quoted", "line2");
    ap_log_rerror(APLOG_MARK, APLOG_DEBUG, 0, r, "APIPROBE debug");
    ap_log_rerror(APLOG_MARK, APLOG_TRACE1, 0, r, "APIPROBE trace1 filtered");
    ap_log_error(APLOG_MARK, APLOG_DEBUG, 0, r->server,
                 "APIPROBE server debug filtered");
    ap_log_rerror(APLOG_MARK, APLOG_NOTICE, 0, r, "APIPROBE notice");
    ap_log_rerror(APLOG_MARK, APLOG_WARNING, APR_EGENERAL, r,
                  "APIPROBE generic");
    ap_log_rdata(APLOG_MARK, APLOG_ERR, r, "APIPROBE data", data,
                 sizeof(data) - 1, AP_LOG_DATA_SHOW_OFFSET);
    ap_log_error(APLOG_MARK, APLOG_ERR, 0, r->server, "APIPROBE server");
    ap_log_cerror(APLOG_MARK, APLOG_ERR, 0, r->connection, "APIPROBE conn");
    ap_log_rerror(APLOG_MARK, APLOG_ERR | APLOG_TOCLIENT, 0, r,
                  "APIPROBE <toclient>");
    out(r, "error-notes", apr_table_get(r->notes, "error-notes"));
}

/* POST /probe?NUM,SIZE: ap_parse_form_data with those limits. */
static int probe_form(request_rec *r)
{
    apr_array_header_t *pairs = NULL;
    apr_size_t num = 0, size = 0;
    int rc, i;

    if (r->args)
        sscanf(r->args, "%zu,%zu", &num, &size);
    rc = ap_parse_form_data(r, NULL, &pairs, num, size);
    ap_set_content_type(r, "text/plain");
    ap_rprintf(r, "form(%s) rc=%d n=%d\n", r->args ? r->args : "", rc,
               pairs ? pairs->nelts : -1);
    for (i = 0; pairs && i < pairs->nelts; ++i) {
        ap_form_pair_t *pair = &APR_ARRAY_IDX(pairs, i, ap_form_pair_t);
        char *val = NULL;
        apr_size_t len = 0;
        apr_brigade_pflatten(pair->value, &val, &len, r->pool);
        out(r,
            apr_psprintf(r->pool, "  [%d] %s", i,
                         ap_escape_logitem(r->pool, pair->name)),
            apr_pstrmemdup(r->pool, val ? val : "", len));
    }
    return OK;
}

static int apiprobe_handler(request_rec *r)
{
    if (strcmp(r->handler ? r->handler : "", "apiprobe") != 0)
        return DECLINED;
    int light = r->args && strcmp(r->args, "light") == 0;

    if (r->method_number == M_POST)
        return probe_form(r);
    ap_set_content_type(r, "text/plain");
    probe_words(r);
    probe_strings(r);
    probe_escape(r);
    probe_paths(r);
    probe_tokens(r);
    probe_digest_time(r);
    probe_regex(r);
    probe_misc(r);
    probe_more(r, light);
    probe_cookies(r);
    probe_fcgi(r);
    probe_expr(r);
    probe_bytes(r);
    probe_edges(r);
    probe_log(r);
    return OK;
}

static void register_hooks(apr_pool_t *p)
{
    ap_hook_handler(apiprobe_handler, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA apiprobe_module = {
    STANDARD20_MODULE_STUFF, NULL, NULL, NULL, NULL, NULL, register_hooks};
