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
#include <string.h>

#include "checks.h"

static int relevant(const struct mc_site *s, int g)
{
    return s->target == MC_SITE_GLOBAL && s->gvar == g && !s->atomic &&
           (s->phases & MC_PH_CONCURRENT) && s->kind != MC_ACC_ADDR;
}

/* Accesses to different members of a global struct (g.a, g.b) do not
 * race; an access to the whole object overlaps every member. */
static int overlaps(const struct mc_site *a, const struct mc_site *b)
{
    return !*a->field || !*b->field || !strcmp(a->field, b->field);
}

static int protected_site(const struct mc_site *s)
{
    return s->kind == MC_ACC_WRITE ? s->excl != 0 : s->held != 0;
}

static const struct mc_site *concurrent_write(const struct mc_model *m, int g,
                                              const struct mc_site *at)
{
    for (size_t i = 0; i < m->sites.n; i++) {
        const struct mc_site *s = &m->sites.v[i];
        if (relevant(s, g) && s->kind == MC_ACC_WRITE && overlaps(s, at))
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

/* The locks held at every concurrent access overlapping `at`
 * (exclusive ones for writes). */
static uint64_t common_lock(const struct mc_model *m, int g,
                            const struct mc_site *at)
{
    uint64_t common = ~(uint64_t)0;
    for (size_t i = 0; i < m->sites.n; i++) {
        const struct mc_site *s = &m->sites.v[i];
        if (relevant(s, g) && overlaps(s, at))
            common &= s->kind == MC_ACC_WRITE ? s->excl : s->held;
    }
    return common;
}

static int unprotected(const struct mc_model *m, int g,
                       const struct mc_site *at)
{
    for (size_t i = 0; i < m->sites.n; i++) {
        const struct mc_site *s = &m->sites.v[i];
        if (relevant(s, g) && overlaps(s, at) && !protected_site(s))
            return 1;
    }
    return 0;
}

/* Is site s a race: a concurrent write overlaps it, and it holds no lock
 * (or every access holds some lock, but no common one)? */
static const struct mc_site *racing(const struct mc_model *m, int g,
                                    const struct mc_site *s)
{
    const struct mc_site *w = concurrent_write(m, g, s);
    if (!w)
        return NULL;
    if (!protected_site(s))
        return w;
    return common_lock(m, g, s) == 0 && !unprotected(m, g, s) ? w : NULL;
}

void mc_check_global_race(struct mc_check_ctx *cx)
{
    struct mc_model *m = cx->m;
    for (size_t g = 0; g < m->gvars.n; g++) {
        const struct mc_gvar *gv = &m->gvars.v[g];
        if (gv->g->is_const || gv->g->is_tls || gv->g->is_atomic ||
            gv->returned_buffer)
            continue;
        /* httpd's own shared-by-design state (data/host-globals.txt) */
        if (!gv->g->is_module_def && mc_kb_host_global(m->kb, gv->name))
            continue;
        /* writes first, so a `g = g + 1` line is reported as the write */
        for (int pass = 0; pass < 2; pass++) {
            for (size_t i = 0; i < m->sites.n; i++) {
                const struct mc_site *s = &m->sites.v[i];
                if (!relevant(s, (int)g) ||
                    (s->kind == MC_ACC_WRITE) != (pass == 0))
                    continue;
                const struct mc_site *w = racing(m, (int)g, s);
                if (w)
                    report_site(cx, s, gv, w);
            }
        }
    }
}
