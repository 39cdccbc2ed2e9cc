/*
 * mc_arena.h — bump allocator: memory by lifetime. Everything allocated from
 * an arena is released at once by mc_arena_destroy. Not thread-safe: one
 * arena per thread (the analyzer uses one per translation unit).
 */
#ifndef MC_ARENA_H
#define MC_ARENA_H

#include "mc_common.h"

struct mc_arena_block;
struct mc_arena {
    struct mc_arena_block *head;
    size_t block_size;
    size_t total; /* bytes handed out, for memory reporting */
};

void mc_arena_init(struct mc_arena *a, size_t block_size);
void *mc_arena_alloc(struct mc_arena *a, size_t n); /* zeroed, 16-aligned */
char *mc_arena_strdup(struct mc_arena *a, const char *s);
char *mc_arena_strndup(struct mc_arena *a, const char *s, size_t n);
char *mc_arena_printf(struct mc_arena *a, const char *fmt, ...) MC_PRINTF(2, 3);
void mc_arena_destroy(struct mc_arena *a);

#endif
