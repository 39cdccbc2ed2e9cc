/*
 * perturb.h - seeded schedule perturbation points of the server stub.
 *
 * The stub calls mc_stub_perturb() at every hook boundary and at the entry of
 * every httpd API function it implements (server-stub/api/ included). When
 * perturbation is off (the default) the call is one predictable branch. When
 * it is on (`--seed N --perturb P`), with probability P the calling thread
 * yields or sleeps a few microseconds. Each thread draws from its own PRNG,
 * seeded from N plus the thread's index, so no state is shared between
 * threads and a seed replays the same per-thread decision sequence.
 *
 * Memory: none is allocated. Thread-safety: mc_stub_perturb() is safe from any
 * thread; mc__stub_perturb_setup() is called once, before any worker thread
 * or child process exists (startup phase), and mc__stub_perturb_thread()
 * once at the start of each thread that serves requests.
 */
#ifndef MC_STUB_PERTURB_H
#define MC_STUB_PERTURB_H

#include <stdint.h>

/* Probability scale: P is stored as parts per 2^32. */
extern uint32_t mc__stub_perturb_threshold; /* written at startup only */

/* A perturbation point. Cheap when perturbation is off (one load and one
 * predictable branch). An exported function, so that module-facing code in
 * server-stub/api/ and tests can call it too. */
void mc_stub_perturb(void);

/* Startup: enable perturbation with `seed` and probability `p` (0..1). */
void mc__stub_perturb_setup(uint64_t seed, double p);

/* Thread start: seed this thread's PRNG from seed + index. */
void mc__stub_perturb_thread(unsigned index);

#endif
