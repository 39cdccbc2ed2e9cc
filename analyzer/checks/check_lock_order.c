/*
 * check_lock_order.c — two locks acquired in both orders somewhere in the
 * module (A then B in one place, B then A in another): two threads can
 * each hold one and wait forever for the other. Both acquisition sites are
 * reported (the place that takes the second lock of each order), once per
 * pair of locks. See docs/checks/lock-order.md.
 */
#include <stdio.h>

#include "checks.h"

static void report_edge(struct mc_check_ctx *cx, const struct mc_lock_edge *e,
                        const struct mc_lock_edge *other)
{
    struct mc_model *m = cx->m;
    const char *a = m->lock_names.v[e->a], *b = m->lock_names.v[e->b];
    char msg[512];
    snprintf(msg, sizeof msg,
             "'%s' is acquired while holding '%s', but line %u acquires them "
             "in the opposite order: two threads can deadlock",
             b, a, other->loc.line);
    struct mc_site_ref at = {e->fn, e->fn, 0, e->loc, ((uint64_t)1 << e->a)};
    mc_report(cx, "lock-order", &at, b, msg,
              "always acquire these locks in one global order (document it "
              "next to their declarations), or merge them into one lock");
}

void mc_check_lock_order(struct mc_check_ctx *cx)
{
    struct mc_model *m = cx->m;
    for (size_t i = 0; i < m->lock_edges.n; i++) {
        const struct mc_lock_edge *e = &m->lock_edges.v[i];
        if (e->a > e->b)
            continue;
        for (size_t j = 0; j < m->lock_edges.n; j++) {
            const struct mc_lock_edge *r = &m->lock_edges.v[j];
            if (r->a == e->b && r->b == e->a) {
                report_edge(cx, e, r);
                report_edge(cx, r, e);
                break;
            }
        }
    }
}
