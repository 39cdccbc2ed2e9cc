/* The state of the module, defined once, and its two helpers. */
#include "shared.h"

struct hs_stats hs_stats;
apr_thread_mutex_t *hs_lock;

void hs_count_request(void)
{
    apr_thread_mutex_lock(hs_lock);
    hs_stats.requests++;
    apr_thread_mutex_unlock(hs_lock);
}

void hs_count_error(void)
{
    hs_stats.errors++; /* expect: global-race(hs_stats) */
}
