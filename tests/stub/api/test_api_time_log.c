/* test_api_time_log.c — util_time.h formats and http_log.h logging (level
 * filtering, per-module levels, the default line format, data dumps, hooks,
 * piped logs), reading the log back from a temp file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <regex.h>
#include <signal.h>
#include <sys/wait.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "apr_hooks.h"
#include "apr_network_io.h"
#include "apr_portable.h"
#include "apr_strings.h"
#include "httpd.h"
#include "http_config.h"
#include "http_core.h"
#include "http_log.h"
#include "util_time.h"

#include "log_capture.h"
#include "support.h"

/* A module as a module author writes it: the APLOG_MARK macros pick up its
 * module_index (set like the host would when loading it). */
AP_DECLARE_MODULE(testmod) = {
    STANDARD20_MODULE_STUFF, NULL, NULL, NULL, NULL, NULL, NULL,
    AP_MODULE_FLAG_NONE};

static apr_pool_t *pool;

/* 1994-11-06 08:49:37 UTC (RFC 7231's example date) + 123456 us */
#define T_EXAMPLE (apr_time_from_sec(784111777) + 123456)

static void ht_time_formats(void **state)
{
    (void)state;
    assert_string_equal(
        ap_ht_time(pool, T_EXAMPLE, "%a, %d %b %Y %H:%M:%S %Z", 1),
        "Sun, 06 Nov 1994 08:49:37 GMT");
    assert_string_equal(ap_ht_time(pool, T_EXAMPLE, "%z|%%Z|%Y", 1),
                        "+0000|%Z|1994");
    /* the tests run with TZ=UTC, so local time equals GMT */
    assert_string_equal(ap_ht_time(pool, T_EXAMPLE, "%d/%b/%Y:%H:%M:%S", 0),
                        "06/Nov/1994:08:49:37");
    assert_string_equal(ap_ht_time(pool, T_EXAMPLE, "", 1), "");
    /* local %Z/%z are filled in without strftime's tzset (TZ=UTC here) */
    assert_string_equal(ap_ht_time(pool, T_EXAMPLE, "%Z %z %%Z", 0),
                        "UTC +0000 %Z");
}

static void recent_ctime_options(void **state)
{
    char buf[64];
    int len = (int)sizeof(buf);

    (void)state;
    assert_int_equal(ap_recent_ctime(buf, T_EXAMPLE), APR_SUCCESS);
    assert_string_equal(buf, "Sun Nov 06 08:49:37 1994");
    assert_int_equal(
        ap_recent_ctime_ex(buf, T_EXAMPLE, AP_CTIME_OPTION_USEC, &len),
        APR_SUCCESS);
    assert_string_equal(buf, "Sun Nov 06 08:49:37.123456 1994");
    assert_int_equal(len, (int)strlen(buf) + 1);
    len = (int)sizeof(buf);
    ap_recent_ctime_ex(buf, T_EXAMPLE,
                       AP_CTIME_OPTION_COMPACT | AP_CTIME_OPTION_MSEC, &len);
    assert_string_equal(buf, "1994-11-06 08:49:37.123");
    len = (int)sizeof(buf);
    ap_recent_ctime_ex(buf, T_EXAMPLE,
                       AP_CTIME_OPTION_COMPACT | AP_CTIME_OPTION_GMTOFF, &len);
    assert_string_equal(buf, "1994-11-06 08:49:37 +0000");
    len = 10;
    assert_int_equal(
        ap_recent_ctime_ex(buf, T_EXAMPLE, AP_CTIME_OPTION_NONE, &len),
        APR_ENOMEM);
    assert_int_equal(len, APR_CTIME_LEN);
}

static void rfc822_and_explode(void **state)
{
    char buf[APR_RFC822_DATE_LEN];
    apr_time_exp_t xt;

    (void)state;
    assert_int_equal(ap_recent_rfc822_date(buf, T_EXAMPLE), APR_SUCCESS);
    assert_string_equal(buf, "Sun, 06 Nov 1994 08:49:37 GMT");
    assert_int_equal(ap_explode_recent_gmt(&xt, T_EXAMPLE), APR_SUCCESS);
    assert_int_equal(xt.tm_year, 94);
    assert_int_equal(xt.tm_mon, 10);
    assert_int_equal(xt.tm_mday, 6);
    assert_int_equal(xt.tm_hour, 8);
    assert_int_equal(xt.tm_usec, 123456);
    assert_int_equal(ap_explode_recent_localtime(&xt, T_EXAMPLE), APR_SUCCESS);
    assert_int_equal(xt.tm_gmtoff, 0);
}

/* ---- logging fixtures ---------------------------------------------------- */

struct fixture {
    apr_pool_t *p;
    struct mc_capture cap;
    server_rec *s;
    conn_rec *c;
    request_rec *r;
};

static apr_sockaddr_t *addr(apr_pool_t *p, const char *ip, apr_port_t port)
{
    apr_sockaddr_t *sa = NULL;

    assert_int_equal(apr_sockaddr_info_get(&sa, ip, APR_INET, port, 0, p),
                     APR_SUCCESS);
    return sa;
}

static int setup_log(void **state)
{
    struct fixture *f;
    apr_pool_t *p = NULL;
    int i;

    apr_pool_create(&p, pool);
    f = apr_pcalloc(p, sizeof(*f));
    f->p = p;
    if (mc_capture_open(&f->cap, p) != 0)
        return -1;
    f->s = apr_pcalloc(p, sizeof(*f->s));
    f->s->error_log = f->cap.file;
    f->s->log.level = APLOG_WARNING;
    f->s->log.module_levels = apr_palloc(p, 16);
    for (i = 0; i < 16; ++i)
        f->s->log.module_levels[i] = -1;
    f->c = apr_pcalloc(p, sizeof(*f->c));
    f->c->base_server = f->s;
    f->c->client_ip = "192.0.2.7";
    f->c->client_addr = addr(p, "192.0.2.7", 5555);
    f->c->pool = p;
    f->r = apr_pcalloc(p, sizeof(*f->r));
    f->r->pool = p;
    f->r->server = f->s;
    f->r->connection = f->c;
    f->r->useragent_ip = "198.51.100.1";
    f->r->useragent_addr = addr(p, "198.51.100.1", 443);
    f->r->headers_in = apr_table_make(p, 4);
    f->r->notes = apr_table_make(p, 4);
    testmod_module.module_index = MC_TEST_MODULE_INDEX;
    *state = f;
    return 0;
}

static int teardown_log(void **state)
{
    struct fixture *f = *state;

    apr_pool_destroy(f->p);
    return 0;
}

static apr_array_header_t *lines_of(struct fixture *f)
{
    return mc_capture_lines(&f->cap, f->p);
}

#define LINE(a, i) APR_ARRAY_IDX(a, i, const char *)

/* POSIX ERE match of a whole line. */
static int line_matches(const char *line, const char *ere)
{
    regex_t re;
    int ok;

    assert_int_equal(regcomp(&re, ere, REG_EXTENDED | REG_NOSUB), 0);
    ok = regexec(&re, line, 0, NULL, 0) == 0;
    regfree(&re);
    if (!ok)
        print_message("line: %s\nERE:  %s\n", line, ere);
    return ok;
}

#define PREFIX_ERE                                                        \
    "^\\[[A-Z][a-z]{2} [A-Z][a-z]{2} [0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}" \
    "\\.[0-9]{6} [0-9]{4}\\] "

static void level_filter_and_line_format(void **state)
{
    struct fixture *f = *state;
    apr_array_header_t *lines;

    ap_log_error(APLOG_MARK, APLOG_INFO, 0, f->s, "dropped: info > warn");
    ap_log_error(APLOG_MARK, APLOG_WARNING, 0, f->s, APLOGNO(01234) "kept %d",
                 42);
    ap_log_error(APLOG_MARK, APLOG_NOTICE, 0, f->s, "notice always");
    ap_log_error(APLOG_MARK, APLOG_ERR, APR_ENOENT, f->s, "with status");
    lines = lines_of(f);
    assert_int_equal(lines->nelts, 3);
    assert_true(line_matches(LINE(lines, 0),
                             PREFIX_ERE "\\[testmod:warn\\] \\[pid [0-9]+:tid "
                                        "[0-9]+\\] AH01234: kept 42$"));
    assert_true(line_matches(LINE(lines, 1),
                             PREFIX_ERE "\\[testmod:notice\\] .*\\] notice "
                                        "always$"));
    assert_true(line_matches(LINE(lines, 2),
                             "\\[testmod:error\\] .*\\] \\(2\\)No such file "
                             "or directory: with status$"));
}

static void per_module_level_and_debug_location(void **state)
{
    struct fixture *f = *state;
    apr_array_header_t *lines;

    f->s->log.module_levels[MC_TEST_MODULE_INDEX] = APLOG_DEBUG;
    ap_log_error(APLOG_MARK, APLOG_DEBUG, 0, f->s, "module debug");
    ap_log_error(APLOG_MARK, APLOG_TRACE1, 0, f->s, "trace dropped");
    /* another module is still at the server level */
    ap_log_error_(__FILE__, __LINE__, 0, APLOG_DEBUG, 0, f->s, "core debug");
    assert_true(APLOGdebug(f->s));
    assert_false(APLOGtrace1(f->s));
    assert_int_equal(ap_get_server_module_loglevel(f->s, MC_TEST_MODULE_INDEX),
                     APLOG_DEBUG);
    lines = lines_of(f);
    assert_int_equal(lines->nelts, 1);
    assert_true(line_matches(LINE(lines, 0),
                             "\\[testmod:debug\\] .*\\] "
                             "test_api_time_log\\.c\\([0-9]+\\): module "
                             "debug$"));
}

static void rerror_client_referer_and_escaping(void **state)
{
    struct fixture *f = *state;
    apr_array_header_t *lines;
    static const struct ap_logconf debug_conf = {NULL, APLOG_DEBUG};

    apr_table_setn(f->r->headers_in, "Referer", "http://ref/\x01");
    ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, f->r, "bad \"input\"\nline2");
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, f->r, "dropped");
    f->r->log = &debug_conf; /* a per-directory LogLevel */
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, f->r, "dir level");
    ap_log_cerror(APLOG_MARK, APLOG_ERR, 0, f->c, "conn msg");
    lines = lines_of(f);
    assert_int_equal(lines->nelts, 3);
    assert_true(line_matches(LINE(lines, 0),
                             "\\] \\[client 198\\.51\\.100\\.1:443\\] bad "
                             "\"input\"\\\\nline2, referer: "
                             "http://ref/\\\\x01$"));
    assert_true(line_matches(LINE(lines, 1), "\\[testmod:info\\] .* dir "
                                             "level, referer: "));
    assert_true(line_matches(LINE(lines, 2),
                             "\\[client 192\\.0\\.2\\.7:5555\\] conn msg$"));
}

static void toclient_sets_error_notes(void **state)
{
    struct fixture *f = *state;

    ap_log_rerror(APLOG_MARK, APLOG_ERR | APLOG_TOCLIENT, 0, f->r, "<b>%s</b>",
                  "oops");
    assert_string_equal(apr_table_get(f->r->notes, "error-notes"),
                        "&lt;b&gt;oops&lt;/b&gt;");
    ap_log_rerror(APLOG_MARK, APLOG_ERR | APLOG_TOCLIENT, 0, f->r, "second");
    assert_string_equal(apr_table_get(f->r->notes, "error-notes"),
                        "&lt;b&gt;oops&lt;/b&gt;");
}

static void data_dump_rows(void **state)
{
    struct fixture *f = *state;
    apr_array_header_t *lines;
    const char data[] = "0123456789abcdef\\\x01Z";

    ap_log_data(APLOG_MARK, APLOG_ERR, f->s, "payload", data, sizeof(data) - 1,
                AP_LOG_DATA_SHOW_OFFSET);
    lines = lines_of(f);
    assert_int_equal(lines->nelts, 3);
    assert_true(line_matches(LINE(lines, 0), "\\] payload \\(19 bytes\\)$"));
    assert_true(line_matches(LINE(lines, 1),
                             "\\] 0000: 0123456789abcdef "
                             "30313233343536373839616263646566$"));
    assert_true(
        line_matches(LINE(lines, 2), "\\] 0010: \\.\\.Z {14}5c015a {26}$"));
}

static void startup_and_no_server_go_to_stderr(void **state)
{
    struct fixture *f = *state;
    struct mc_capture err;
    apr_array_header_t *lines;
    int saved = dup(STDERR_FILENO);
    apr_os_file_t fd;

    assert_int_equal(mc_capture_open(&err, f->p), 0);
    apr_os_file_get(&fd, err.file);
    dup2(fd, STDERR_FILENO);
    ap_log_error(APLOG_MARK, APLOG_ERR, 0, NULL, "no server");
    ap_log_error(APLOG_MARK, APLOG_INFO, 0, NULL, "below default level");
    ap_log_error(APLOG_MARK, APLOG_ERR | APLOG_STARTUP, 0, NULL, "bare");
    f->s->error_log = NULL; /* a server without a log writes to stderr */
    ap_log_error(APLOG_MARK, APLOG_ERR, 0, f->s, "serverless");
    dup2(saved, STDERR_FILENO);
    close(saved);
    lines = mc_capture_lines(&err, f->p);
    assert_int_equal(lines->nelts, 3);
    assert_true(line_matches(LINE(lines, 0), PREFIX_ERE ".* no server$"));
    assert_string_equal(LINE(lines, 1), "bare");
    assert_true(line_matches(LINE(lines, 2), "\\] serverless$"));
}

static void conn_and_data_variants(void **state)
{
    struct fixture *f = *state;
    apr_array_header_t *lines;
    server_rec *vhost = apr_pcalloc(f->p, sizeof(*vhost));
    static const struct ap_logconf conn_debug = {NULL, APLOG_DEBUG};
    process_rec proc;
    const char *argv[] = {"modcert-stub", "-f", "x.conf"};

    *vhost = *f->s;
    vhost->log.level = APLOG_INFO;
    /* cserror uses the given server's level, not the connection's */
    ap_log_cserror(APLOG_MARK, APLOG_INFO, 0, f->c, vhost, "vhost info");
    ap_log_cerror(APLOG_MARK, APLOG_INFO, 0, f->c, "base info dropped");
    f->c->log = &conn_debug; /* per-connection LogLevel (mod_log_debug) */
    assert_int_equal(ap_get_conn_module_loglevel(f->c, 3), APLOG_DEBUG);
    assert_int_equal(ap_get_conn_server_module_loglevel(f->c, vhost, 3),
                     APLOG_DEBUG);
    assert_int_equal(ap_get_request_module_loglevel(f->r, 3), APLOG_DEBUG);
    ap_log_cdata(APLOG_MARK, APLOG_DEBUG, f->c, NULL, "AB", 2,
                 AP_LOG_DATA_DEFAULT);
    f->c->log = NULL;
    ap_log_rdata(APLOG_MARK, APLOG_ERR, f->r, "r", "x", 1, AP_LOG_DATA_DEFAULT);
    ap_log_csdata(APLOG_MARK, APLOG_INFO, f->c, vhost, NULL, "y", 1,
                  AP_LOG_DATA_DEFAULT);
    proc.argc = 3;
    proc.argv = argv;
    f->s->process = &proc;
    ap_log_command_line(f->p, f->s);
    ap_log_mpm_common(f->s); /* debug: dropped at warn */
    f->s->log.level = APLOG_DEBUG;
    ap_log_mpm_common(f->s);
    lines = lines_of(f);
    assert_int_equal(lines->nelts, 7);
    assert_true(line_matches(LINE(lines, 0),
                             "\\[testmod:info\\] .*\\] "
                             "\\[client 192\\.0\\.2\\.7:5555\\] "
                             "vhost info$"));
    assert_true(line_matches(LINE(lines, 1), "\\[testmod:debug\\] .* AB {15}"
                                             "4142 {28}$"));
    assert_true(line_matches(LINE(lines, 2), "\\] r \\(1 bytes\\)$"));
    assert_true(line_matches(LINE(lines, 3), "\\] x {16}78 {30}$"));
    assert_true(line_matches(LINE(lines, 4), "\\] y {16}79 {30}$"));
    assert_true(line_matches(LINE(lines, 5), "\\[-:notice\\] .* Command line: "
                                             "'modcert-stub -f x\\.conf'$"));
    assert_true(line_matches(LINE(lines, 6),
                             "\\[-:debug\\] .*\\): listening sockets "
                             "shared with SO_REUSEPORT: yes \\(2 buckets\\)$"));
}

static void assert_logs_and_aborts(void **state)
{
    int status = 0;
    pid_t pid;

    (void)state;
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        int null = open("/dev/null", O_WRONLY);
        dup2(null, STDERR_FILENO);
        ap_log_assert("x > 0", "mod_x.c", 12);
        _exit(0); /* not reached */
    }
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFSIGNALED(status));
    assert_int_equal(WTERMSIG(status), SIGABRT);
}

static const char *hook_seen;
static int hook_level = -1;

static void record_error_log(const ap_errorlog_info *info, const char *errstr)
{
    hook_seen = apr_pstrdup(pool, errstr);
    hook_level = info->level;
}

static int fixed_log_id(const conn_rec *c, const request_rec *r,
                        const char **id)
{
    *id = "ID42";
    return OK;
}

static void hooks_see_messages(void **state)
{
    struct fixture *f = *state;
    const char *id = NULL;

    apr_hook_global_pool = pool;
    ap_hook_error_log(record_error_log, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_generate_log_id(fixed_log_id, NULL, NULL, APR_HOOK_MIDDLE);
    apr_hook_sort_all();
    ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, f->r, "hooked %s", "msg");
    assert_string_equal(hook_seen, "hooked msg");
    assert_int_equal(hook_level, APLOG_WARNING);
    assert_int_equal(ap_run_generate_log_id(f->c, f->r, &id), OK);
    assert_string_equal(id, "ID42");
    assert_int_equal(ap_hook_get_error_log()->nelts, 1);
}

static void parse_log_level_names(void **state)
{
    int v = -1;

    (void)state;
    assert_null(ap_parse_log_level("Trace3", &v));
    assert_int_equal(v, APLOG_TRACE3);
    assert_null(ap_parse_log_level("warn", &v));
    assert_int_equal(v, APLOG_WARNING);
    assert_non_null(ap_parse_log_level("loud", &v));
}

static void piped_log_reaches_program(void **state)
{
    struct fixture *f = *state;
    apr_pool_t *pp = NULL;
    char out[] = "/tmp/mc_stubapi_pipe_XXXXXX";
    int fd = mkostemp(out, O_CLOEXEC);
    piped_log *pl;
    apr_size_t n;
    char buf[64] = "";
    int tries;

    assert_true(fd >= 0);
    apr_pool_create(&pp, f->p);
    pl = ap_open_piped_log(pp, apr_psprintf(pp, "|$cat > %s", out));
    assert_non_null(pl);
    assert_non_null(ap_piped_log_read_fd(pl));
    n = 6;
    assert_int_equal(apr_file_write(ap_piped_log_write_fd(pl), "piped\n", &n),
                     APR_SUCCESS);
    ap_close_piped_log(pl);
    for (tries = 0; tries < 200 && strlen(buf) < 6; ++tries) {
        ssize_t got = pread(fd, buf, sizeof(buf) - 1, 0);
        buf[got > 0 ? got : 0] = '\0';
        usleep(10000);
    }
    apr_pool_destroy(pp);
    close(fd);
    unlink(out);
    assert_string_equal(buf, "piped\n");
    assert_null(ap_open_piped_log(f->p, "/nonexistent/logger"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ht_time_formats),
        cmocka_unit_test(recent_ctime_options),
        cmocka_unit_test(rfc822_and_explode),
        cmocka_unit_test_setup_teardown(level_filter_and_line_format, setup_log,
                                        teardown_log),
        cmocka_unit_test_setup_teardown(per_module_level_and_debug_location,
                                        setup_log, teardown_log),
        cmocka_unit_test_setup_teardown(rerror_client_referer_and_escaping,
                                        setup_log, teardown_log),
        cmocka_unit_test_setup_teardown(toclient_sets_error_notes, setup_log,
                                        teardown_log),
        cmocka_unit_test_setup_teardown(data_dump_rows, setup_log,
                                        teardown_log),
        cmocka_unit_test_setup_teardown(startup_and_no_server_go_to_stderr,
                                        setup_log, teardown_log),
        cmocka_unit_test_setup_teardown(hooks_see_messages, setup_log,
                                        teardown_log),
        cmocka_unit_test(parse_log_level_names),
        cmocka_unit_test_setup_teardown(conn_and_data_variants, setup_log,
                                        teardown_log),
        cmocka_unit_test(assert_logs_and_aborts),
        cmocka_unit_test_setup_teardown(piped_log_reaches_program, setup_log,
                                        teardown_log),
    };

    pool = mc_test_pool();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
