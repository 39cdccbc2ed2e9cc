/*
 * strmap.h — an open-addressing hash map from strings to void pointers,
 * and a tiny growable-array macro used all over the analyzer.
 *
 * Keys are not copied: the caller keeps them alive as long as the map (they
 * normally live in an arena). The map's own table is malloc'ed and released
 * by mc_strmap_free. Not thread-safe: one map, one thread.
 */
#ifndef MC_STRMAP_H
#define MC_STRMAP_H

#include <stddef.h>
#include <stdlib.h>

#include "mc_common.h"

struct mc_strmap_slot {
    const char *key;
    void *value;
};

struct mc_strmap {
    struct mc_strmap_slot *slots;
    size_t cap; /* power of two, or 0 */
    size_t len;
};

/* Returns the value for key, or NULL. */
void *mc_strmap_get(const struct mc_strmap *m, const char *key);
/* Inserts or replaces. */
void mc_strmap_put(struct mc_strmap *m, const char *key, void *value);
void mc_strmap_free(struct mc_strmap *m);
unsigned long mc_strhash(const char *s);

/* MC_VEC(T) declares {T *v; size_t n, cap;}; MC_VEC_PUSH grows it with
 * realloc and evaluates to a pointer to the new zeroed element. */
#define MC_VEC(T)      \
    struct {           \
        T *v;          \
        size_t n, cap; \
    }
#define MC_VEC_PUSH(vec)                                      \
    (mc__vec_grow((void **)&(vec).v, &(vec).cap, (vec).n + 1, \
                  sizeof(*(vec).v)),                          \
     &(vec).v[(vec).n++])
#define MC_VEC_FREE(vec) \
    (free((vec).v), (vec).v = NULL, (vec).n = 0, (vec).cap = 0)

void mc__vec_grow(void **v, size_t *cap, size_t need, size_t elem);

#endif
