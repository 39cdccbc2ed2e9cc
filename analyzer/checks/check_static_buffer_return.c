/*
 * check_static_buffer_return.c — a function reachable at a concurrent
 * phase that returns a pointer into a static (or global) buffer. Every
 * caller on every thread gets the same memory, so one request's result is
 * overwritten by another's. Reported at the return statement; the writes
 * into that buffer are not reported again by global-race. See
 * docs/checks/static-buffer-return.md.
 */
#include <stdio.h>

#include "checks.h"

void mc_check_static_buffer_return(struct mc_check_ctx *cx)
{
    struct mc_model *m = cx->m;
    for (size_t i = 0; i < m->fns.n; i++) {
        struct mc_fn *f = &m->fns.v[i];
        unsigned n;
        const struct mc_event *ev = mc_model_events(m, (int)i, &n);
        if (!(f->phases & MC_PH_CONCURRENT))
            continue;
        for (unsigned e = 0; e < n; e++) {
            int g = mc__model_static_buffer(m, &ev[e]);
            if (g < 0 || (f->entry_excl | f->ev_excl[e]))
                continue; /* every caller holds a lock around the use */
            const struct mc_gvar *gv = &m->gvars.v[g];
            char msg[512];
            snprintf(msg, sizeof msg,
                     "'%s' returns a pointer into %s buffer '%s', and runs at "
                     "%s time: concurrent callers share and overwrite it",
                     f->name, gv->g->func_usr ? "static" : "global", gv->name,
                     mc_phase_name((enum mc_phase)mc_model_pick_phase(
                         f->phases & MC_PH_CONCURRENT)));
            struct mc_site_ref at = {(int)i, (int)i,
                                     f->phases & MC_PH_CONCURRENT, ev[e].loc,
                                     f->entry_held | f->ev_held[e]};
            mc_report(cx, "static-buffer-return", &at, gv->name, msg,
                      "let the caller pass the buffer (and its size), or "
                      "allocate the result from the request pool "
                      "(apr_psprintf(r->pool, ...))");
        }
    }
}
