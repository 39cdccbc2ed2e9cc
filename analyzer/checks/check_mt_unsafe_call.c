/*
 * check_mt_unsafe_call.c — a call of an MT-unsafe library function
 * (data/mt-unsafe.txt) reachable at a concurrent phase with no lock held.
 * A module function of the same name is the module's own, not reported.
 * See docs/checks/mt-unsafe-call.md.
 */
#include <stdio.h>
#include <string.h>

#include "checks.h"

static void check_fn(struct mc_check_ctx *cx, int fi)
{
    struct mc_model *m = cx->m;
    struct mc_fn *f = &m->fns.v[fi];
    unsigned n;
    const struct mc_event *ev = mc_model_events(m, fi, &n);
    for (unsigned e = 0; e < n; e++) {
        const struct mc_call *c = &ev[e].u.call;
        if (ev[e].kind != MC_EV_CALL || !c->callee_usr)
            continue;
        const struct mc_kb_unsafe *u = mc_kb_unsafe(m->kb, c->callee_name);
        int own = mc__model_fn(m, c->callee_usr);
        if (!u || (own >= 0 && m->fns.v[own].def))
            continue;
        /* a lock serializes hidden static state, but the working
         * directory or credentials it changed stay changed for every
         * other thread (source "process" in mt-unsafe.txt) */
        int process = !strcmp(u->source, "process");
        uint64_t held = f->entry_held | f->ev_held[e];
        if (held && !process)
            continue;
        char msg[256];
        snprintf(msg, sizeof msg,
                 "call to MT-unsafe function '%s' at %s time (%s): %s",
                 c->callee_name,
                 mc_phase_name((enum mc_phase)mc_model_pick_phase(
                     f->phases & MC_PH_CONCURRENT)),
                 u->source,
                 process ? "it changes process-wide state under every "
                           "thread serving a request"
                         : "it uses hidden static state shared by all "
                           "threads");
        struct mc_site_ref at = {fi, fi, f->phases & MC_PH_CONCURRENT,
                                 ev[e].loc, held};
        mc_report(cx, "mt-unsafe-call", &at, c->callee_name, msg, u->fix);
    }
}

void mc_check_mt_unsafe_call(struct mc_check_ctx *cx)
{
    for (size_t i = 0; i < cx->m->fns.n; i++) {
        if (cx->m->fns.v[i].phases & MC_PH_CONCURRENT)
            check_fn(cx, (int)i);
    }
}
