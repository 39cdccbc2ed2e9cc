/* strmap.c — see strmap.h. FNV-1a hashing, linear probing, load <= 1/2. */
#include <stdlib.h>
#include <string.h>

#include "strmap.h"

unsigned long mc_strhash(const char *s)
{
    unsigned long h = 1469598103934665603UL;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211UL;
    }
    return h;
}

static struct mc_strmap_slot *find_slot(struct mc_strmap_slot *slots,
                                        size_t cap, const char *key)
{
    size_t i = mc_strhash(key) & (cap - 1);
    while (slots[i].key && strcmp(slots[i].key, key) != 0)
        i = (i + 1) & (cap - 1);
    return &slots[i];
}

void *mc_strmap_get(const struct mc_strmap *m, const char *key)
{
    if (!m->cap)
        return NULL;
    struct mc_strmap_slot *s = find_slot(m->slots, m->cap, key);
    return s->key ? s->value : NULL;
}

static void rehash(struct mc_strmap *m)
{
    size_t ncap = m->cap ? m->cap * 2 : 64;
    struct mc_strmap_slot *ns = mc_xcalloc(ncap, sizeof(*ns));
    for (size_t i = 0; i < m->cap; i++) {
        if (m->slots[i].key)
            *find_slot(ns, ncap, m->slots[i].key) = m->slots[i];
    }
    free(m->slots);
    m->slots = ns;
    m->cap = ncap;
}

void mc_strmap_put(struct mc_strmap *m, const char *key, void *value)
{
    if ((m->len + 1) * 2 > m->cap)
        rehash(m);
    struct mc_strmap_slot *s = find_slot(m->slots, m->cap, key);
    if (!s->key) {
        s->key = key;
        m->len++;
    }
    s->value = value;
}

void mc_strmap_free(struct mc_strmap *m)
{
    free(m->slots);
    m->slots = NULL;
    m->cap = m->len = 0;
}

void mc__vec_grow(void **v, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return;
    size_t ncap = *cap ? *cap * 2 : 16;
    while (ncap < need)
        ncap *= 2;
    char *nv = mc_xrealloc(*v, ncap * elem);
    memset(nv + *cap * elem, 0, (ncap - *cap) * elem);
    *v = nv;
    *cap = ncap;
}
