/* test_api_misc.c — digests, base64, numeric parsing, timing-safe
 * compares, random numbers, ap_get_exec_line, unixd helpers
 * (md5_base64.c, util_misc.c, unixd.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <sys/sem.h>
#include <sys/stat.h>
#include <unistd.h>

#include "apr_portable.h"
#include "apr_proc_mutex.h"
#include "unixd.h"

#include "apr_file_io.h"
#include "apr_md5.h"
#include "apr_strings.h"
#include "httpd.h"
#include "mpm_common.h"
#include "util_cookies.h"
#include "util_fcgi.h"
#include "util_md5.h"

#include "support.h"

static apr_pool_t *pool;

static void md5_digests(void **state)
{
    apr_md5_ctx_t ctx;

    (void)state;
    /* RFC 1321 test vectors */
    assert_string_equal(ap_md5(pool, (const unsigned char *)""),
                        "d41d8cd98f00b204e9800998ecf8427e");
    assert_string_equal(ap_md5(pool, (const unsigned char *)"abc"),
                        "900150983cd24fb0d6963f7d28e17f72");
    assert_string_equal(ap_md5_binary(pool, (const unsigned char *)"abcdef", 3),
                        "900150983cd24fb0d6963f7d28e17f72");
    apr_md5_init(&ctx);
    apr_md5_update(&ctx, "abc", 3);
    /* base64 of 900150983cd24fb0d6963f7d28e17f72 */
    assert_string_equal(ap_md5contextTo64(pool, &ctx),
                        "kAFQmDzST7DWlj99KOF/cg==");
}

static void md5digest_reads_a_file(void **state)
{
    char path[] = "/tmp/mc_stubapi_md5_XXXXXX";
    int fd = mkstemp(path);
    apr_file_t *f = NULL;

    (void)state;
    assert_true(fd >= 0);
    assert_int_equal(write(fd, "abc", 3), 3);
    close(fd);
    assert_int_equal(apr_file_open(&f, path, APR_READ, 0, pool), APR_SUCCESS);
    assert_string_equal(ap_md5digest(pool, f), "kAFQmDzST7DWlj99KOF/cg==");
    apr_file_close(f);
    unlink(path);
}

static void base64_round_trip(void **state)
{
    char in[] = "user:pass word";

    (void)state;
    assert_string_equal(ap_pbase64encode(pool, in), "dXNlcjpwYXNzIHdvcmQ=");
    assert_string_equal(ap_pbase64decode(pool, "dXNlcjpwYXNzIHdvcmQ="), in);
    assert_string_equal(ap_pbase64decode(pool, ""), "");
}

static void strict_length(void **state)
{
    apr_off_t len = -1;

    (void)state;
    assert_true(ap_parse_strict_length(&len, "12345"));
    assert_int_equal(len, 12345);
    assert_true(ap_parse_strict_length(&len, "0"));
    assert_false(ap_parse_strict_length(&len, "-1"));
    assert_false(ap_parse_strict_length(&len, "+1"));
    assert_false(ap_parse_strict_length(&len, " 1"));
    assert_false(ap_parse_strict_length(&len, "1 "));
    assert_false(ap_parse_strict_length(&len, ""));
    assert_false(ap_parse_strict_length(&len, "99999999999999999999999"));
}

static void timeout_units(void **state)
{
    apr_interval_time_t t = 0;

    (void)state;
    assert_int_equal(ap_timeout_parameter_parse("5", &t, "s"), APR_SUCCESS);
    assert_int_equal(t, apr_time_from_sec(5));
    assert_int_equal(ap_timeout_parameter_parse("250ms", &t, "s"), APR_SUCCESS);
    assert_int_equal(t, 250000);
    assert_int_equal(ap_timeout_parameter_parse("2min", &t, "s"), APR_SUCCESS);
    assert_int_equal(t, apr_time_from_sec(120));
    assert_int_equal(ap_timeout_parameter_parse("1h", &t, "s"), APR_SUCCESS);
    assert_int_equal(t, apr_time_from_sec(3600));
    assert_int_equal(ap_timeout_parameter_parse("3", &t, "ms"), APR_SUCCESS);
    assert_int_equal(t, 3000);
    assert_int_not_equal(ap_timeout_parameter_parse("3x", &t, "s"),
                         APR_SUCCESS);
    assert_int_not_equal(ap_timeout_parameter_parse("3m", &t, "s"),
                         APR_SUCCESS);
    /* httpd 2.4.71 refuses negative values and overflows */
    assert_int_not_equal(ap_timeout_parameter_parse("-5", &t, "s"),
                         APR_SUCCESS);
    assert_int_not_equal(ap_timeout_parameter_parse("9999999999999h", &t, "s"),
                         APR_SUCCESS);
}

static void timing_safe_compares(void **state)
{
    (void)state;
    assert_true(ap_memeq_timingsafe("abcd", "abcd", 4));
    assert_false(ap_memeq_timingsafe("abcd", "abce", 4));
    assert_true(ap_memeq_timingsafe("x", "y", 0));
    assert_true(ap_streq_timingsafe("secret", "secret"));
    assert_false(ap_streq_timingsafe("secret", "secreT"));
    assert_false(ap_streq_timingsafe("secret", "secre"));
    assert_false(ap_streq_timingsafe("secre", "secret"));
    assert_false(ap_streq_timingsafe("", "x"));
    assert_true(ap_streq_timingsafe("", ""));
    assert_true(ap_strneq_timingsafe("secret", "secXXX", 3));
    assert_false(ap_strneq_timingsafe("secret", "secXXX", 4));
    assert_false(ap_strneq_timingsafe("se", "sec", 3));
}

static void random_pick_stays_in_range(void **state)
{
    int seen[5] = {0};
    unsigned char a[32], b[32];
    int i;

    (void)state;
    for (i = 0; i < 2000; ++i) {
        apr_uint32_t v = ap_random_pick(10, 14);
        assert_in_range(v, 10, 14);
        seen[v - 10] = 1;
    }
    for (i = 0; i < 5; ++i)
        assert_true(seen[i]);
    assert_int_equal(ap_random_pick(7, 7), 7);
    ap_random_insecure_bytes(a, sizeof(a));
    ap_random_insecure_bytes(b, sizeof(b));
    assert_memory_not_equal(a, b, sizeof(a));
}

static void exec_line_reads_first_line(void **state)
{
    const char *argv[] = {"/bin/sh", "-c", "printf 'first\\r\\nsecond\\n'",
                          NULL};
    const char *bad[] = {"/nonexistent/prog", NULL};

    (void)state;
    assert_string_equal(ap_get_exec_line(pool, "/bin/sh", argv), "first");
    assert_null(ap_get_exec_line(pool, "/nonexistent/prog", bad));
}

static void uname_and_gname(void **state)
{
    (void)state;
    assert_int_equal(ap_uname2id("#1234"), 1234);
    assert_int_equal(ap_gname2id("#42"), 42);
    assert_int_equal(ap_uname2id("root"), 0);
    assert_int_equal(ap_gname2id("root"), 0);
    assert_int_equal(ap_uname2id("no-such-user-mc"), (uid_t)-1);
}

static void allocation_wrappers(void **state)
{
    char *a = ap_malloc(16);
    int *z = ap_calloc(4, sizeof(int));

    (void)state;
    assert_non_null(a);
    assert_int_equal(z[0] | z[1] | z[2] | z[3], 0);
    a = ap_realloc(a, 4096);
    assert_non_null(a);
    free(a);
    free(z);
}

static void cleanup_set_null_and_pid(void **state)
{
    void *ptr = &ptr;
    char want[64];

    (void)state;
    assert_int_equal(ap_pool_cleanup_set_null(&ptr), APR_SUCCESS);
    assert_null(ptr);
    snprintf(want, sizeof(want), "/run/x.%ld", (long)getpid());
    assert_string_equal(ap_append_pid(pool, "/run/x", "."), want);
}

/* As root, the lock is handed to the configured User (as httpd does before
 * children drop privileges); otherwise nothing changes. */
static void mutex_perms_follow_unixd_config(void **state)
{
    apr_proc_mutex_t *sem = NULL, *fl = NULL;
    apr_os_proc_mutex_t os;
    struct semid_ds ds;
    struct stat st;
    char lock[] = "/tmp/mc_stubapi_lock_XXXXXX";
    int fd = mkstemp(lock);

    (void)state;
    assert_true(fd >= 0);
    close(fd);
    unlink(lock); /* APR creates the lock file itself (O_EXCL) */
    assert_int_equal(apr_proc_mutex_create(&sem, NULL, APR_LOCK_SYSVSEM, pool),
                     APR_SUCCESS);
    assert_int_equal(apr_proc_mutex_create(&fl, lock, APR_LOCK_FLOCK, pool),
                     APR_SUCCESS);
    ap_unixd_config.user_id = 65534;
    ap_unixd_config.group_id = 65534;
    assert_int_equal(ap_unixd_set_proc_mutex_perms(sem), APR_SUCCESS);
    assert_int_equal(ap_unixd_set_proc_mutex_perms(fl), APR_SUCCESS);
    apr_os_proc_mutex_get(&os, sem);
    assert_int_equal(semctl(os.crossproc, 0, IPC_STAT, &ds), 0);
    assert_int_equal(stat(lock, &st), 0);
    if (geteuid() == 0) {
        assert_int_equal(ds.sem_perm.uid, 65534);
        assert_int_equal(st.st_uid, 65534);
    } else {
        assert_int_equal(ds.sem_perm.uid, geteuid());
        assert_int_equal(st.st_uid, geteuid());
    }
    ap_unixd_config.user_id = (uid_t)-1;
    apr_proc_mutex_destroy(sem);
    apr_proc_mutex_destroy(fl);
    unlink(lock);
}

static void cookies_write_read_remove(void **state)
{
    request_rec r;
    apr_table_t *out = apr_table_make(pool, 4);
    const char *val = NULL;

    (void)state;
    memset(&r, 0, sizeof(r));
    r.pool = pool;
    r.headers_in = apr_table_make(pool, 4);
    ap_cookie_write(&r, "sid", "v1", NULL, 60, out, NULL);
    ap_cookie_remove2(&r, "old", NULL, out, NULL);
    assert_string_equal(apr_table_get(out, "Set-Cookie"),
                        "sid=v1;Max-Age=60;HttpOnly;Secure;Version=1");
    assert_string_equal(apr_table_get(out, "Set-Cookie2"),
                        "old=;Max-Age=0;Version=1");
    apr_table_setn(r.headers_in, "Cookie", "a=1; sid=abc; $Path=/; b=2");
    assert_int_equal(ap_cookie_read(&r, "sid", &val, 1), APR_SUCCESS);
    assert_string_equal(val, "abc");
    assert_string_equal(apr_table_get(r.headers_in, "Cookie"), "a=1; b=2");
    apr_table_setn(r.headers_in, "Cookie", "sid=1; sid=2");
    assert_int_equal(ap_cookie_read(&r, "sid", &val, 0), APR_EGENERAL);
    assert_int_equal(ap_cookie_check_string("name"), APR_SUCCESS);
    assert_int_equal(ap_cookie_check_string("a;b"), APR_EGENERAL);
}

static void fcgi_records_and_env(void **state)
{
    ap_fcgi_header h;
    unsigned char a[AP_FCGI_HEADER_LEN], buf[64];
    unsigned char ver, type, pad;
    apr_uint16_t rid, clen;
    apr_table_t *env = apr_table_make(pool, 2);
    int elem = 0, elem2 = 0;
    apr_size_t need;
    static const unsigned char want[] = {1, 1, 'A', '1', 3, 0, 'X', 'Y', 'Z'};

    (void)state;
    ap_fcgi_fill_in_header(&h, AP_FCGI_STDIN, 258, 65535, 7);
    ap_fcgi_header_to_array(&h, a);
    ap_fcgi_header_fields_from_array(&ver, &type, &rid, &clen, &pad, a);
    assert_int_equal(ver, AP_FCGI_VERSION_1);
    assert_int_equal(type, AP_FCGI_STDIN);
    assert_int_equal(rid, 258);
    assert_int_equal(clen, 65535);
    assert_int_equal(pad, 7);
    apr_table_setn(env, "A", "1");
    apr_table_setn(env, "XYZ", "");
    need = ap_fcgi_encoded_env_len(env, 100, &elem);
    assert_int_equal(need, sizeof(want));
    assert_int_equal(elem, 2);
    assert_int_equal(ap_fcgi_encode_env(NULL, env, buf, need, &elem2),
                     APR_SUCCESS);
    assert_memory_equal(buf, want, sizeof(want));
    elem = 0;
    assert_int_equal(ap_fcgi_encoded_env_len(env, 5, &elem), 4);
    assert_int_equal(elem, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(md5_digests),
        cmocka_unit_test(md5digest_reads_a_file),
        cmocka_unit_test(base64_round_trip),
        cmocka_unit_test(strict_length),
        cmocka_unit_test(timeout_units),
        cmocka_unit_test(timing_safe_compares),
        cmocka_unit_test(random_pick_stays_in_range),
        cmocka_unit_test(exec_line_reads_first_line),
        cmocka_unit_test(uname_and_gname),
        cmocka_unit_test(allocation_wrappers),
        cmocka_unit_test(cookies_write_read_remove),
        cmocka_unit_test(fcgi_records_and_env),
        cmocka_unit_test(cleanup_set_null_and_pid),
        cmocka_unit_test(mutex_perms_follow_unixd_config),
    };

    pool = mc_test_pool();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
