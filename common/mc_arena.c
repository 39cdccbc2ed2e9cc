/* mc_arena.c — bump allocator over a list of malloc'ed blocks. */
#include "mc_arena.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct mc_arena_block {
    struct mc_arena_block *next;
    size_t used, size;
    _Alignas(16) unsigned char mem[];
};

void mc_arena_init(struct mc_arena *a, size_t block_size)
{
    a->head = NULL;
    a->block_size = block_size ? block_size : 64 * 1024;
    a->total = 0;
}

void *mc_arena_alloc(struct mc_arena *a, size_t n)
{
    size_t need = (n + 15) & ~(size_t)15;
    struct mc_arena_block *b = a->head;
    if (!b || b->size - b->used < need) {
        size_t size = need > a->block_size ? need : a->block_size;
        b = mc_xmalloc(sizeof *b + size);
        b->used = 0;
        b->size = size;
        b->next = a->head;
        a->head = b;
    }
    void *p = b->mem + b->used;
    b->used += need;
    a->total += need;
    memset(p, 0, need);
    return p;
}

char *mc_arena_strndup(struct mc_arena *a, const char *s, size_t n)
{
    char *p = mc_arena_alloc(a, n + 1);
    memcpy(p, s, n);
    return p;
}

char *mc_arena_strdup(struct mc_arena *a, const char *s)
{
    return mc_arena_strndup(a, s, strlen(s));
}

char *mc_arena_printf(struct mc_arena *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        n = 0;
    char *p = mc_arena_alloc(a, (size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return p;
}

void mc_arena_destroy(struct mc_arena *a)
{
    struct mc_arena_block *b = a->head;
    while (b) {
        struct mc_arena_block *next = b->next;
        free(b);
        b = next;
    }
    a->head = NULL;
    a->total = 0;
}
