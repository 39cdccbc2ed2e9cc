/* perturb.c - seeded schedule perturbation (see perturb.h). */
#include "perturb.h"

#include <sched.h>
#include <time.h>

/* Written once by mc__stub_perturb_setup() at startup, read-only after. */
uint32_t mc__stub_perturb_threshold;
static uint64_t perturb_seed; /* startup phase only */

/* Per-thread PRNG state: never shared between threads. */
static _Thread_local uint64_t perturb_state;

void mc__stub_perturb_setup(uint64_t seed, double p)
{
    if (p <= 0.0) {
        mc__stub_perturb_threshold = 0;
        return;
    }
    if (p > 1.0)
        p = 1.0;
    perturb_seed = seed;
    mc__stub_perturb_threshold = (uint32_t)(p * 4294967295.0);
    if (mc__stub_perturb_threshold == 0)
        mc__stub_perturb_threshold = 1;
    mc__stub_perturb_thread(0);
}

static uint64_t splitmix64(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

void mc__stub_perturb_thread(unsigned index)
{
    uint64_t s = perturb_seed + index;
    perturb_state = splitmix64(&s);
    if (perturb_state == 0)
        perturb_state = 1;
}

static void perturb_slow(void)
{
    uint64_t r = splitmix64(&perturb_state);
    if ((uint32_t)r >= mc__stub_perturb_threshold)
        return;
    if ((r >> 32) & 1) {
        sched_yield();
    } else {
        struct timespec ts = {0, (long)(1000 + ((r >> 33) % 8) * 1000)};
        nanosleep(&ts, NULL);
    }
}

void mc_stub_perturb(void)
{
    if (__builtin_expect(mc__stub_perturb_threshold != 0, 0))
        perturb_slow();
}
