/*
 * phases.c — carrying each root's phase to everything it reaches, keeping
 * a shortest path (for the "handler → count_hit" note). Pool cleanups
 * inherit the phases of the code that registers them, so the pass repeats
 * until no cleanup gains a phase.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"

int mc_model_pick_phase(unsigned phases)
{
    static const enum mc_phase pref[] = {MC_PH_REQUEST, MC_PH_CONNECTION,
                                         MC_PH_THREAD, MC_PH_CHILD_INIT,
                                         MC_PH_CONFIG};
    for (unsigned i = 0; i < MC_ARRAY_LEN(pref); i++) {
        if (phases & MC_PH_BIT(pref[i]))
            return (int)pref[i];
    }
    return -1;
}

/* Breadth-first from every root of phase ph. */
static void propagate(struct mc_model *m, enum mc_phase ph)
{
    int *queue = mc_xmalloc((m->fns.n + 1) * sizeof(int));
    size_t head = 0, tail = 0;
    for (size_t r = 0; r < m->roots.n; r++) {
        struct mc_root *root = &m->roots.v[r];
        struct mc_fn *f = &m->fns.v[root->fn];
        if (root->phase != ph || (f->phases & MC_PH_BIT(ph)))
            continue;
        f->phases |= MC_PH_BIT(ph);
        f->root[ph] = (int)r;
        f->pred[ph] = -1;
        queue[tail++] = root->fn;
    }
    while (head < tail) {
        int cur = queue[head++];
        struct mc_fn *f = &m->fns.v[cur];
        for (size_t i = 0; i < f->out.n; i++) {
            struct mc_fn *g = &m->fns.v[f->out.v[i].callee];
            if (g->phases & MC_PH_BIT(ph))
                continue;
            g->phases |= MC_PH_BIT(ph);
            g->pred[ph] = cur;
            g->root[ph] = f->root[ph];
            queue[tail++] = f->out.v[i].callee;
        }
    }
    free(queue);
}

static int pool_is_shared(const struct mc_value *v)
{
    return v->origin == MC_ORIG_GLOBAL || v->origin == MC_ORIG_PROCPOOL ||
           v->origin == MC_ORIG_SRVCONF;
}

/* Cleanups registered by code running in phase p run in phase p (the
 * request's or connection's pool), except on a shared pool (config). */
static int inherit_roots(struct mc_model *m)
{
    int added = 0;
    for (size_t f = 0; f < m->fns.n; f++) {
        unsigned n;
        const struct mc_event *ev = mc_model_events(m, (int)f, &n);
        unsigned phases = m->fns.v[f].phases;
        for (unsigned e = 0; phases && e < n; e++) {
            const struct mc_call *c = &ev[e].u.call;
            if (ev[e].kind != MC_EV_CALL || !c->callee_usr)
                continue;
            const struct mc_kb_reg *r = mc_kb_reg(m->kb, c->callee_name);
            if (!r || r->phase >= 0 || (unsigned)r->arg >= c->nargs ||
                c->args[r->arg].origin != MC_ORIG_FUNC)
                continue;
            int cb = mc__model_fn(m, c->args[r->arg].usr);
            if (cb < 0 || !m->fns.v[cb].def)
                continue;
            unsigned want = c->nargs > 0 && pool_is_shared(&c->args[0])
                                ? MC_PH_BIT(MC_PH_CONFIG)
                                : phases;
            for (int p = 0; p < MC_PH_COUNT; p++) {
                if (!(want & MC_PH_BIT(p)) ||
                    (m->fns.v[cb].phases & MC_PH_BIT(p)))
                    continue;
                struct mc_root *root = MC_VEC_PUSH(m->roots);
                root->fn = cb;
                root->phase = (enum mc_phase)p;
                root->kind = r->root;
                root->detail = "";
                root->loc = ev[e].loc;
                added = 1;
            }
        }
    }
    return added;
}

void mc__model_phases(struct mc_model *m)
{
    for (int round = 0; round < 8; round++) {
        for (int p = 0; p < MC_PH_COUNT; p++)
            propagate(m, (enum mc_phase)p);
        if (!inherit_roots(m))
            break;
    }
}

size_t mc_model_path(const struct mc_model *m, int fn, enum mc_phase ph,
                     int *out, size_t max)
{
    size_t n = 0;
    for (int cur = fn; cur >= 0 && n < max; cur = m->fns.v[cur].pred[ph]) {
        out[n++] = cur;
        if (n > m->fns.n)
            break;
    }
    for (size_t i = 0; i < n / 2; i++) {
        int t = out[i];
        out[i] = out[n - 1 - i];
        out[n - 1 - i] = t;
    }
    return n;
}
