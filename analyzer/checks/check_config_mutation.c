/*
 * check_config_mutation.c — a write through the per-server config
 * (ap_get_module_config(s->module_config, ...)) or the per-directory config
 * (r->per_dir_config) at a concurrent phase, without an exclusive lock.
 * Both are built once at config time and shared by every thread serving a
 * request (directory config is shared whenever no merge copies it). See
 * docs/checks/config-mutation.md.
 */
#include <stdio.h>
#include <string.h>

#include "checks.h"

/* "server config->hits" -> "hits" */
static const char *field_of(const char *what)
{
    const char *p = strstr(what, "->");
    if (p)
        return p + 2;
    p = strchr(what, '.');
    return p ? p + 1 : what;
}

void mc_check_config_mutation(struct mc_check_ctx *cx)
{
    struct mc_model *m = cx->m;
    for (size_t i = 0; i < m->sites.n; i++) {
        const struct mc_site *s = &m->sites.v[i];
        if (s->target == MC_SITE_GLOBAL || s->kind != MC_ACC_WRITE ||
            !(s->phases & MC_PH_CONCURRENT) || s->excl)
            continue;
        int dir = s->target == MC_SITE_DIRCONF;
        char msg[512];
        snprintf(msg, sizeof msg,
                 "write to the %s (%s)%s%s at %s time: it is shared by "
                 "every thread",
                 dir ? "per-directory config" : "server's configuration",
                 s->what, s->callee ? " by " : "", s->callee ? s->callee : "",
                 mc_phase_name((enum mc_phase)mc_model_pick_phase(s->phases)));
        struct mc_site_ref at = {s->fn, s->ctx_fn, s->phases, s->loc, s->held};
        const char *field = field_of(s->what);
        const char *sym =
            !strncmp(s->what, "server_rec", 10)
                ? mc_arena_printf(&m->arena, "server_rec.%s", field)
                : field; /* docs/checks/config-mutation.md: the member */
        mc_report(cx, "config-mutation", &at, sym, msg,
                  "treat config as read-only after startup: keep per-request "
                  "values in r->pool/r->notes (or ap_set_module_config on "
                  "r->request_config), and guard shared mutable state with a "
                  "mutex created at child_init");
    }
}
