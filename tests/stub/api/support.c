/* support.c — see support.h. */
#include <stdatomic.h>
#include <stdlib.h>

#include "apr_general.h"
#include "apr_pools.h"

#include "httpd.h"
#include "http_config.h"
#include "http_main.h"
#include "ap_mpm.h"

#include "support.h"

void mc_stub_perturb(void);

/* Set by tests before they start threads. */
const char *ap_server_root = "/srv/modcert-test";
int mc_test_threaded = 1;

static atomic_ulong perturb_calls;

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
