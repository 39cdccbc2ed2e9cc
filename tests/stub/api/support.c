/* support.c — see support.h. */
#include <stdatomic.h>
#include <stdlib.h>
#include <time.h>

#include "apr_general.h"
#include "apr_pools.h"

#include "httpd.h"
#include "http_config.h"
#include "http_main.h"
#include "ap_mpm.h"
#include "ap_expr.h"
#include "http_core.h"
#include "http_protocol.h"

#include "support.h"

void mc_stub_perturb(void);

/* Set by tests before they start threads. */
const char *ap_server_root = "/srv/modcert-test";
const char *ap_runtime_dir = NULL;
int ap_have_so_reuseport = 1;
int ap_num_listen_buckets = 2;
const char *mc_test_context_error = NULL;
int mc_test_threaded = 1;

static atomic_ulong perturb_calls;

/* The host's start-up time-zone set-up (server-stub/main.c), before any
 * test thread exists. */
void mc__time_init(void); /* server-stub/api/util_time.c */
static void support_time_init(void) __attribute__((constructor));
static void support_time_init(void)
{
    tzset();
    mc__time_init();
}

void mc_stub_perturb(void)
{
    atomic_fetch_add_explicit(&perturb_calls, 1, memory_order_relaxed);
}

unsigned long mc_test_perturb_count(void)
{
    return atomic_load(&perturb_calls);
}

AP_DECLARE(const char *) ap_find_module_short_name(int module_index)
{
    if (module_index == MC_TEST_MODULE_INDEX)
        return "testmod";
    if (module_index == 0)
        return "core";
    return "-";
}

AP_DECLARE(const char *)
ap_check_cmd_context(cmd_parms *cmd, unsigned forbidden)
{
    (void)cmd;
    (void)forbidden;
    return mc_test_context_error;
}

/* Stand-ins for the request/server accessors the expression code uses. */
AP_DECLARE(int) ap_run_expr_lookup(ap_expr_lookup_parms *parms)
{
    (void)parms;
    return DECLINED;
}

AP_DECLARE(const char *) ap_document_root(request_rec *r)
{
    (void)r;
    return "/srv/htdocs";
}

AP_DECLARE(const char *) ap_get_server_name(request_rec *r)
{
    (void)r;
    return "test.example";
}

AP_DECLARE(apr_port_t) ap_get_server_port(const request_rec *r)
{
    (void)r;
    return 8080;
}

AP_DECLARE(const char *) ap_context_prefix(request_rec *r)
{
    (void)r;
    return "";
}

AP_DECLARE(const char *) ap_context_document_root(request_rec *r)
{
    (void)r;
    return "/srv/htdocs";
}

AP_DECLARE(const char *) ap_run_http_scheme(const request_rec *r)
{
    (void)r;
    return "http";
}

AP_DECLARE(const char *) ap_get_server_banner(void)
{
    return "Apache";
}

AP_DECLARE(apr_status_t) ap_mpm_query(int query_code, int *result)
{
    if (query_code != AP_MPMQ_IS_THREADED)
        return APR_EGENERAL;
    *result = mc_test_threaded ? AP_MPMQ_STATIC : AP_MPMQ_NOT_SUPPORTED;
    return APR_SUCCESS;
}

apr_pool_t *mc_test_pool(void)
{
    static int initialized; /* set once by the main thread */
    apr_pool_t *p = NULL;

    if (!initialized) {
        if (apr_initialize() != APR_SUCCESS)
            abort();
        atexit(apr_terminate);
        initialized = 1;
    }
    if (apr_pool_create(&p, NULL) != APR_SUCCESS)
        abort();
    return p;
}

/* ---- log capture (log_capture.h) ---------------------------------------- */

#include <string.h>
#include <unistd.h>

#include "apr_strings.h"

#include "log_capture.h"

static apr_status_t unlink_capture(void *path)
{
    unlink(path);
    return APR_SUCCESS;
}

int mc_capture_open(struct mc_capture *cap, apr_pool_t *p)
{
    char *path = apr_pstrdup(p, "/tmp/mc_stubapi_log_XXXXXX");
    int fd = mkstemp(path);

    if (fd < 0)
        return -1;
    close(fd);
    apr_pool_cleanup_register(p, path, unlink_capture, apr_pool_cleanup_null);
    cap->path = path;
    return apr_file_open(&cap->file, path, APR_WRITE | APR_APPEND | APR_CREATE,
                         APR_OS_DEFAULT, p) == APR_SUCCESS
               ? 0
               : -1;
}

apr_array_header_t *mc_capture_lines(const struct mc_capture *cap,
                                     apr_pool_t *p)
{
    apr_array_header_t *lines = apr_array_make(p, 16, sizeof(char *));
    apr_file_t *f = NULL;
    char buf[16384];

    if (apr_file_open(&f, cap->path, APR_READ | APR_BUFFERED, 0, p) !=
        APR_SUCCESS)
        return lines;
    while (apr_file_gets(buf, sizeof(buf), f) == APR_SUCCESS) {
        size_t n = strlen(buf);
        if (n && buf[n - 1] == '\n')
            buf[n - 1] = '\0';
        APR_ARRAY_PUSH(lines, char *) = apr_pstrdup(p, buf);
    }
    apr_file_close(f);
    return lines;
}
