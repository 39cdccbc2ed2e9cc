/*
 * check_shared_pool_alloc.c — allocating from (or otherwise changing) a
 * pool shared by all threads at a concurrent phase: s->process->pool, a
 * pool kept in a global (pconf saved at post_config, ap_pglobal) or in the
 * server config. APR pools are not thread-safe, and memory taken from a
 * long-lived pool per request is never freed. The pool arguments come from
 * data/effects.txt (`alloc`). See docs/checks/shared-pool-alloc.md.
 */
#include <stdio.h>
#include <string.h>

#include "checks.h"

static const char *shared_pool(struct mc_model *m, const struct mc_value *v)
{
    int pooltype = v->type && strstr(v->type, "apr_pool_t") != NULL;
    switch (v->origin) {
        case MC_ORIG_PROCPOOL:
            return "s->process->pool";
        case MC_ORIG_GLOBAL:
            return pooltype
                       ? mc_arena_printf(&m->arena, "%s%s", v->name, v->path)
                       : NULL;
        case MC_ORIG_SRVCONF:
            return pooltype
                       ? mc_arena_printf(&m->arena, "server config%s", v->path)
                       : NULL;
        default:
            return NULL;
    }
}

static void check_call(struct mc_check_ctx *cx, int fi, unsigned e,
                       const struct mc_event *ev)
{
    struct mc_model *m = cx->m;
    struct mc_fn *f = &m->fns.v[fi];
    const struct mc_call *c = &ev->u.call;
    for (const struct mc_kb_effect *eff = mc_kb_effects(m->kb, c->callee_name);
         eff; eff = eff->next) {
        if (eff->effect != MC_EFF_ALLOC || (unsigned)eff->arg >= c->nargs)
            continue;
        const char *pool = shared_pool(m, &c->args[eff->arg]);
        if (!pool || (f->entry_excl | f->ev_excl[e]))
            continue;
        char msg[512];
        snprintf(msg, sizeof msg,
                 "%s() allocates from the shared pool '%s' at %s time: APR "
                 "pools are not thread-safe and this memory is never freed",
                 c->callee_name, pool,
                 mc_phase_name((enum mc_phase)mc_model_pick_phase(
                     f->phases & MC_PH_CONCURRENT)));
        struct mc_site_ref at = {fi, fi, f->phases & MC_PH_CONCURRENT, ev->loc,
                                 f->entry_held | f->ev_held[e]};
        const char *sym = c->args[eff->arg].origin == MC_ORIG_GLOBAL
                              ? c->args[eff->arg].name
                              : pool;
        mc_report(cx, "shared-pool-alloc", &at, sym, msg,
                  "allocate from r->pool (or c->pool), or create a subpool "
                  "per request/thread; keep pconf for config-time "
                  "allocations only");
    }
}

void mc_check_shared_pool_alloc(struct mc_check_ctx *cx)
{
    struct mc_model *m = cx->m;
    for (size_t i = 0; i < m->fns.n; i++) {
        unsigned n;
        const struct mc_event *ev = mc_model_events(m, (int)i, &n);
        if (!(m->fns.v[i].phases & MC_PH_CONCURRENT))
            continue;
        for (unsigned e = 0; e < n; e++) {
            if (ev[e].kind == MC_EV_CALL && ev[e].u.call.callee_usr)
                check_call(cx, (int)i, e, &ev[e]);
        }
    }
}
