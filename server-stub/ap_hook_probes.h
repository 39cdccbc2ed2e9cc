/*
 * ap_hook_probes.h - APR hook probes for the stub's hook implementations.
 * httpd's ap_hooks.h includes this file when APR_HOOK_PROBES_ENABLED is
 * defined (only hooks.c does): every hook run and every hook function call
 * is a schedule perturbation point, and the thread notes which hook and
 * module it is in (thread-local, for diagnostics).
 */
#ifndef MC_AP_HOOK_PROBES_H
#define MC_AP_HOOK_PROBES_H

#include "perturb.h"

extern _Thread_local const char *mc__stub_hook_name;
extern _Thread_local const char *mc__stub_hook_module;

#define APR_HOOK_PROBE_ENTRY(ud, ns, name, args) \
    do {                                         \
        (void)(ud);                              \
        mc_stub_perturb();                       \
    } while (0)
#define APR_HOOK_PROBE_RETURN(ud, ns, name, rv, args) mc_stub_perturb()
#define APR_HOOK_PROBE_INVOKE(ud, ns, name, src, args) \
    do {                                               \
        mc__stub_hook_name = #name;                    \
        mc__stub_hook_module = (src);                  \
        mc_stub_perturb();                             \
    } while (0)
#define APR_HOOK_PROBE_COMPLETE(ud, ns, name, src, rv, args) mc_stub_perturb()


#endif
