/*
 * check_global_race.c — unsynchronized access to shared global or static
 * state at request time.
 *
 * A global (or static local) that is not const, not thread-local and not
 * _Atomic, and that is written at a concurrent phase (request, connection,
 * or a thread the module starts), is reported at every access site
 * reachable at a concurrent phase with no lock held (writes need an
 * exclusive lock; a read lock protects reads only). Globals written only
 * at config or child-init time are read-only while threads run: not
 * reported. Atomic calls (apr_atomic_*, __atomic/__sync) are neither reads
 * nor writes here. See docs/checks/global-race.md.
 */
#include <stdio.h>

#include "checks.h"

static int relevant(const struct mc_site *s, int g)
{
    return s->target == MC_SITE_GLOBAL && s->gvar == g && !s->atomic &&
           (s->phases & MC_PH_CONCURRENT) && s->kind != MC_ACC_ADDR;
}

static int protected_site(const struct mc_site *s)
{
    return s->kind == MC_ACC_WRITE ? s->excl != 0 : s->held != 0;
}

static const struct mc_site *concurrent_write(const struct mc_model *m, int g)
{
    for (size_t i = 0; i < m->sites.n; i++) {
        const struct mc_site *s = &m->sites.v[i];
        if (relevant(s, g) && s->kind == MC_ACC_WRITE)
            return s;
    }
    return NULL;
}

static void report_site(struct mc_check_ctx *cx, const struct mc_site *s,
                        const struct mc_gvar *gv, const struct mc_site *w)
{
    char msg[512];
    const char *what = gv->g->func_usr ? "static variable" : "global";
    if (s->kind == MC_ACC_WRITE)
        snprintf(msg, sizeof msg,
                 "unsynchronized write to %s '%s'%s%s at %s time: threads "
                 "race on it",
                 what, gv->name, s->callee ? " by " : "",
                 s->callee ? s->callee : "",
                 mc_phase_name((enum mc_phase)mc_model_pick_phase(s->phases)));
    else
        snprintf(msg, sizeof msg,
                 "unsynchronized read of %s '%s' at %s time; it is written "
                 "concurrently at line %u",
                 what, gv->name,
                 mc_phase_name((enum mc_phase)mc_model_pick_phase(s->phases)),
                 w->loc.line);
    struct mc_site_ref at = {s->fn, s->ctx_fn, s->phases, s->loc, s->held};
    mc_report(cx, "global-race", &at, gv->name, msg,
              "guard every access with one apr_thread_mutex_t (created at "
              "child_init), use apr_atomic_* for counters, or keep the state "
              "per request (r->pool, r->notes) or per thread");
}

void mc_check_global_race(struct mc_check_ctx *cx)
{
    struct mc_model *m = cx->m;
    for (size_t g = 0; g < m->gvars.n; g++) {
        const struct mc_gvar *gv = &m->gvars.v[g];
        if (gv->g->is_const || gv->g->is_tls || gv->g->is_atomic ||
            gv->returned_buffer)
            continue;
        const struct mc_site *w = concurrent_write(m, (int)g);
        if (!w)
            continue;
        /* writes first, so a `g = g + 1` line is reported as the write */
        for (int pass = 0; pass < 2; pass++) {
            for (size_t i = 0; i < m->sites.n; i++) {
                const struct mc_site *s = &m->sites.v[i];
                if (!relevant(s, (int)g) || protected_site(s) ||
                    (s->kind == MC_ACC_WRITE) != (pass == 0))
                    continue;
                report_site(cx, s, gv, w);
            }
        }
    }
}
