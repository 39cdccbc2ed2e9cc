/*
 * mod_primes.c — the n-th prime, from a table built on first use.
 *
 * Feature: GET /prime?N answers "n=N prime=P" for 1 <= N <= 20000 from a
 * table of the first 20000 primes, computed the first time the page is
 * asked for (so servers that never use the page never pay for it):
 *
 *     GET /prime?20000
 *     n=20000 prime=224737
 *
 * Seeded defect (unsafe under threads): the one-time initialisation is
 * guarded by a plain flag, `primes_ready`, which the first request sets
 * before it starts building the table (to keep others from building it too).
 * Requests that arrive while the table is being filled (tens of milliseconds)
 * see the flag set and read a half-filled table. Client-observable: the
 * first concurrent requests after start-up answer "prime=unknown" (or a
 * wrong prime) for an N the page supports. Fix: build the table at
 * post_config or child_init, or use apr_thread_once / a mutex.
 *
 *     <Location /prime>
 *         SetHandler primes
 *     </Location>
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "ap_config.h"

#include <stdlib.h>

#define PRIME_TABLE_SIZE 20000

static unsigned int primes[PRIME_TABLE_SIZE];
static int nprimes;      /* entries of primes[] filled so far */
static int primes_ready; /* the table has been (or is being) built */

static int is_prime(unsigned int c)
{
    unsigned int d;

    for (d = 2; d * d <= c; d++) {
        if (c % d == 0) {
            return 0;
        }
    }
    return c >= 2;
}

static void build_prime_table(void)
{
    unsigned int candidate;

    for (candidate = 2; nprimes < PRIME_TABLE_SIZE; candidate++) {
        if (is_prime(candidate)) {
            primes[nprimes++] = candidate;
        }
    }
}

static int primes_handler(request_rec *r)
{
    long n;

    if (strcmp(r->handler, "primes") != 0) {
        return DECLINED;
    }
    if (!primes_ready) {
        primes_ready = 1; /* claim the build: nobody else starts one */
        build_prime_table();
    }
    n = r->args ? strtol(r->args, NULL, 10) : 1;
    ap_set_content_type(r, "text/plain");
    if (n < 1 || n > nprimes) {
        ap_rprintf(r, "n=%ld prime=unknown\n", n);
        return OK;
    }
    ap_rprintf(r, "n=%ld prime=%u\n", n, primes[n - 1]);
    return OK;
}

static void primes_register_hooks(apr_pool_t *p)
{
    ap_hook_handler(primes_handler, NULL, NULL, APR_HOOK_MIDDLE);
}

AP_DECLARE_MODULE(primes) = {
    STANDARD20_MODULE_STUFF,
    NULL,                 /* create per-dir config */
    NULL,                 /* merge per-dir config */
    NULL,                 /* create per-server config */
    NULL,                 /* merge per-server config */
    NULL,                 /* command table */
    primes_register_hooks /* register hooks */
};
