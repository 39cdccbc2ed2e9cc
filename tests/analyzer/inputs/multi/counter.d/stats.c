/*
 * Two-file module, file 2: the counter and its helper, reached from the
 * handler in mod_counter.c (the call graph is linked across files).
 */
#include "apr.h"

long count_hit(void);
long hit_count;

long count_hit(void)
{
    return ++hit_count; /* expect: global-race(hit_count) */
}
