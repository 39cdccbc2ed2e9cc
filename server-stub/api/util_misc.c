/* util_misc.c — httpd.h numeric parsing, timing-safe compares, random
 * numbers, allocation wrappers, ap_get_exec_line and small pool helpers.
 *
 * Contract: no shared mutable state. ap_random_* keep one generator per
 * thread (thread-local, seeded from the OS on first use in that thread), so
 * unlike httpd no mutex is taken. ap_get_exec_line spawns and reaps a child
 * process. Each exported function calls MC_API_ENTER() once on entry, except
 * ap_abort_on_oom.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "apr_file_io.h"
#include "apr_general.h"
#include "apr_lib.h"
#include "apr_strings.h"
#include "apr_thread_proc.h"

#include "httpd.h"
#include "http_config.h"

#include "api_internal.h"

/* Decimal digits only: no sign, no spaces, no trailing text. */
AP_DECLARE(int) ap_parse_strict_length(apr_off_t *len, const char *str)
{
    char *end = NULL;

    MC_API_ENTER();
    return apr_isdigit(*str) &&
           apr_strtoff(len, str, &end, 10) == APR_SUCCESS && *end == '\0';
}

/* Microseconds per unit ("ms", "s", "mi[n]", "h"); 0 if unknown. */
static apr_int64_t unit_usec(const char *unit)
{
    switch (unit[0]) {
        case 's':
            return APR_USEC_PER_SEC;
        case 'h':
            return APR_INT64_C(3600) * APR_USEC_PER_SEC;
        case 'm':
            if (unit[1] == 's')
                return 1000;
            if (unit[1] == 'i')
                return APR_INT64_C(60) * APR_USEC_PER_SEC;
            return 0;
        default:
            return 0;
    }
}

/* tout units to microseconds; values that would overflow are refused. */
static apr_status_t scale_timeout(apr_int64_t tout, const char *unit,
                                  apr_interval_time_t *timeout)
{
    apr_int64_t mult = unit_usec(unit);

    if (mult == 0)
        return APR_EGENERAL;
    if (tout > APR_INT64_MAX / mult)
        return APR_EINVAL;
    *timeout = tout * mult;
    return APR_SUCCESS;
}

AP_DECLARE(apr_status_t)
ap_timeout_parameter_parse(const char *timeout_parameter,
                           apr_interval_time_t *timeout,
                           const char *default_time_unit)
{
    char *end = NULL;
    apr_int64_t tout;

    MC_API_ENTER();
    errno = 0;
    tout = apr_strtoi64(timeout_parameter, &end, 10);
    if (errno)
        return errno;
    if (tout < 0)
        return APR_EINVAL; /* httpd 2.4.71 refuses negative timeouts */
    return scale_timeout(tout, (end && *end) ? end : default_time_unit,
                         timeout);
}

/* ---- timing-safe comparisons ------------------------------------------ */

AP_DECLARE(int)
ap_memeq_timingsafe(const void *buf1, const void *buf2, apr_size_t n)
{
    const volatile unsigned char *a = buf1, *b = buf2;
    unsigned char diff = 0;
    apr_size_t i;

    MC_API_ENTER();
    for (i = 0; i < n; ++i)
        diff |= a[i] ^ b[i];
    return diff == 0;
}

/* Compares as many bytes as str2 has (bounded by n): the secret's length
 * does not show in the running time. Once sec1 ends it is read no further. */
static int strneq_timingsafe(const char *sec1, const char *str2, apr_size_t n)
{
    const volatile unsigned char *s1 = (const unsigned char *)sec1;
    const volatile unsigned char *s2 = (const unsigned char *)str2;
    unsigned char diff = 0;
    apr_size_t i, j = 0;

    for (i = 0; i < n; ++i) {
        unsigned char c1 = s1[j], c2 = s2[i];
        diff |= c1 ^ c2;
        j += (c1 != 0); /* stay on sec1's NUL once reached */
        if (!c2)
            break;
    }
    return diff == 0;
}

AP_DECLARE(int) ap_streq_timingsafe(const char *sec1, const char *str2)
{
    MC_API_ENTER();
    return strneq_timingsafe(sec1, str2, (apr_size_t)-1);
}

AP_DECLARE(int)
ap_strneq_timingsafe(const char *sec1, const char *str2, apr_size_t n)
{
    MC_API_ENTER();
    return strneq_timingsafe(sec1, str2, n);
}

/* ---- random ------------------------------------------------------------ */

/* xorshift128+ state of the calling thread; each thread writes only its own
 * copy (seeded at first use), so there is nothing to synchronise. */
static _Thread_local apr_uint64_t rng_state[2];

static apr_uint64_t rng_next(void)
{
    apr_uint64_t x = rng_state[0], y = rng_state[1];

    if (x == 0 && y == 0) {
        if (apr_generate_random_bytes((unsigned char *)rng_state,
                                      sizeof(rng_state)) != APR_SUCCESS ||
            (rng_state[0] | rng_state[1]) == 0) {
            rng_state[0] = (apr_uint64_t)apr_time_now() | 1;
            rng_state[1] = (apr_uint64_t)(apr_uintptr_t)&rng_state ^
                           ((apr_uint64_t)getpid() << 32);
        }
        x = rng_state[0];
        y = rng_state[1];
    }
    rng_state[0] = y;
    x ^= x << 23;
    rng_state[1] = x ^ y ^ (x >> 17) ^ (y >> 26);
    return rng_state[1] + y;
}

AP_DECLARE(void) ap_random_insecure_bytes(void *buf, apr_size_t size)
{
    unsigned char *out = buf;

    MC_API_ENTER();
    while (size > 0) {
        apr_uint64_t r = rng_next();
        apr_size_t n = size < sizeof(r) ? size : sizeof(r);
        memcpy(out, &r, n);
        out += n;
        size -= n;
    }
}

/* Uniform in [min, max] (rejection sampling, no modulo bias). */
AP_DECLARE(apr_uint32_t) ap_random_pick(apr_uint32_t min, apr_uint32_t max)
{
    apr_uint64_t range, limit, r;

    MC_API_ENTER();
    if (max <= min)
        return min;
    range = (apr_uint64_t)max - min + 1;
    limit = (APR_UINT64_C(1) << 32) - ((APR_UINT64_C(1) << 32) % range);
    do {
        r = rng_next() >> 32;
    } while (r >= limit);
    return min + (apr_uint32_t)(r % range);
}

/* ---- allocation -------------------------------------------------------- */

AP_DECLARE(void) ap_abort_on_oom(void)
{
    static const char msg[] =
        "[crit] Memory allocation failed, aborting process.\n";
    ssize_t rv = write(STDERR_FILENO, msg, sizeof(msg) - 1);

    (void)rv;
    abort();
}

AP_DECLARE(void *) ap_malloc(size_t size)
{
    void *p;

    MC_API_ENTER();
    p = malloc(size);
    if (p == NULL && size != 0)
        ap_abort_on_oom();
    return p;
}

AP_DECLARE(void *) ap_calloc(size_t nelem, size_t size)
{
    void *p;

    MC_API_ENTER();
    p = calloc(nelem, size);
    if (p == NULL && nelem != 0 && size != 0)
        ap_abort_on_oom();
    return p;
}

AP_DECLARE(void *) ap_realloc(void *ptr, size_t size)
{
    void *p;

    MC_API_ENTER();
    p = realloc(ptr, size);
    if (p == NULL && size != 0)
        ap_abort_on_oom();
    return p;
}

AP_DECLARE_NONSTD(apr_status_t) ap_pool_cleanup_set_null(void *data)
{
    MC_API_ENTER();
    *(void **)data = NULL;
    return APR_SUCCESS;
}

AP_DECLARE(char *)
ap_append_pid(apr_pool_t *p, const char *string, const char *delim)
{
    MC_API_ENTER();
    return apr_psprintf(p, "%s%s%" APR_PID_T_FMT, string, delim, getpid());
}

AP_DECLARE(void) ap_get_loadavg(ap_loadavg_t *ld)
{
    double la[3];
    int n;

    MC_API_ENTER();
    ld->loadavg = ld->loadavg5 = ld->loadavg15 = -1.0f;
    n = getloadavg(la, 3);
    if (n > 0)
        ld->loadavg = (float)la[0];
    if (n > 1)
        ld->loadavg5 = (float)la[1];
    if (n > 2)
        ld->loadavg15 = (float)la[2];
}

/* ---- ap_get_exec_line ---------------------------------------------------- */

static apr_status_t spawn_reader(apr_pool_t *p, const char *cmd,
                                 const char *const *argv, apr_proc_t *proc)
{
    apr_procattr_t *attr;
    const char *slash = strrchr(cmd, '/');
    const char *dir = slash ? apr_pstrmemdup(p, cmd, slash - cmd + 1) : "";
    apr_status_t rv;

    if ((rv = apr_procattr_create(&attr, p)) != APR_SUCCESS ||
        (rv = apr_procattr_io_set(attr, APR_FULL_BLOCK, APR_FULL_BLOCK,
                                  APR_FULL_BLOCK)) != APR_SUCCESS ||
        (rv = apr_procattr_dir_set(attr, dir)) != APR_SUCCESS ||
        (rv = apr_procattr_cmdtype_set(attr, APR_PROGRAM)) != APR_SUCCESS ||
        (rv = apr_procattr_error_check_set(attr, 1)) != APR_SUCCESS)
        return rv;
    return apr_proc_create(proc, cmd, argv, NULL, attr, p);
}

/* Runs cmd (argv[0] included in argv; working directory = cmd's) and
 * returns the first line it prints, without CR/LF; NULL on any error. */
AP_DECLARE(char *)
ap_get_exec_line(apr_pool_t *p, const char *cmd, const char *const *argv)
{
    char buf[MAX_STRING_LEN];
    apr_proc_t proc;
    apr_size_t k = 0;
    int code;
    apr_exit_why_e why;

    MC_API_ENTER();
    memset(&proc, 0, sizeof(proc));
    if (spawn_reader(p, cmd, argv, &proc) != APR_SUCCESS || !proc.out)
        return NULL;
    for (;;) {
        char c;
        apr_size_t n = 1;
        if (k >= sizeof(buf) - 1 ||
            apr_file_read(proc.out, &c, &n) != APR_SUCCESS || n != 1 ||
            c == '\n' || c == '\r')
            break;
        buf[k++] = c;
    }
    apr_file_close(proc.out);
    if (proc.in)
        apr_file_close(proc.in);
    if (proc.err)
        apr_file_close(proc.err);
    apr_proc_wait(&proc, &code, &why, APR_WAIT);
    return apr_pstrmemdup(p, buf, k);
}
