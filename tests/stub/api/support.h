/* support.h — test stand-ins for the host symbols server-stub/api uses.
 *
 * Contract: single test process; the counters are atomics so the threaded
 * test can call the API from many threads. Module index 7 is "testmod",
 * index 0 "core"; ap_mpm_query reports a threaded MPM unless
 * mc_test_threaded is set to 0 before logging starts.
 */
#ifndef MC_TEST_STUB_API_SUPPORT_H
#define MC_TEST_STUB_API_SUPPORT_H

#include "apr_pools.h"

/* Number of mc_stub_perturb() calls so far. */
unsigned long mc_test_perturb_count(void);

/* 1: ap_mpm_query(AP_MPMQ_IS_THREADED) says threaded (default). */
extern int mc_test_threaded;

/* What the stand-in ap_check_cmd_context() returns (NULL: allowed). */
extern const char *mc_test_context_error;

/* A pool for one test; aborts the test on failure. */
apr_pool_t *mc_test_pool(void);

#define MC_TEST_MODULE_INDEX 7

#endif
