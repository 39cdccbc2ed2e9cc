/*
 * phase.h — the phases a module function can run in (ARCHITECTURE.md's
 * phase table) as bits of a mask. Pure constants and two pure functions:
 * thread-safe.
 */
#ifndef MC_PHASE_H
#define MC_PHASE_H

enum mc_phase {
    MC_PH_CONFIG,
    MC_PH_CHILD_INIT,
    MC_PH_REQUEST,
    MC_PH_CONNECTION,
    MC_PH_THREAD,
    MC_PH_COUNT
};

#define MC_PH_BIT(p) (1u << (p))
#define MC_PH_CONCURRENT                                      \
    (MC_PH_BIT(MC_PH_REQUEST) | MC_PH_BIT(MC_PH_CONNECTION) | \
     MC_PH_BIT(MC_PH_THREAD))

/* "config", "child-init", "request", "connection", "thread". */
const char *mc_phase_name(enum mc_phase p);
/* Parses a phase name; returns -1 if unknown. */
int mc_phase_parse(const char *name);

#endif
