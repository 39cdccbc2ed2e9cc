/*
 * model.h — the linked, libclang-free model of one module: every TU's facts
 * joined by USR into symbols, a call graph (direct calls, indirect calls
 * resolved by the address-taken set and function type, callbacks handed to
 * library calls), the phase roots (hooks, module slots, directives,
 * filters, providers, optional functions, pool cleanups, thread entries)
 * with phases propagated to callees, locksets at every event (with lock
 * wrappers summarised), and the effective accesses to shared state
 * ("sites") that the checks examine.
 *
 * Memory: the model owns its arrays (freed by mc_model_free) and borrows
 * the struct mc_tu array and the knowledge base, which must outlive it.
 * Thread-safety: built by one thread, then read-only.
 */
#ifndef MC_MODEL_H
#define MC_MODEL_H

#include <stdint.h>

#include "facts.h"
#include "knowledge.h"
#include "phase.h"
#include "strmap.h"

enum mc_edge_kind { MC_EDGE_DIRECT, MC_EDGE_INDIRECT, MC_EDGE_CALLBACK };

struct mc_edge {
    int callee; /* index in model->fns */
    int ev;     /* the CALL event in the caller */
    enum mc_edge_kind kind;
};

/* A lock taken somewhere inside a function (possibly in a callee). */
struct mc_take {
    const char *key;
    struct mc_loc loc;
    int fn;
};

struct mc_fn {
    const char *usr, *name;
    const struct mc_func *def; /* NULL: not defined in the module */
    MC_VEC(struct mc_edge) out;
    MC_VEC(struct mc_edge) in; /* .callee is the caller here */
    unsigned phases;           /* MC_PH_BIT mask */
    int pred[MC_PH_COUNT];     /* caller on a shortest root path; -1 */
    int root[MC_PH_COUNT];     /* index in model->roots; -1 */
    /* locksets (lock ids are bits): held at entry by every caller, and per
     * event held on every path (any mode / exclusive) */
    uint64_t entry_held, entry_excl;
    uint64_t *ev_held, *ev_excl;
    /* summary: locks held at every return (a lock wrapper), locks it
     * releases without taking them, locks taken anywhere inside */
    MC_VEC(const char *) acquires;
    MC_VEC(const char *) releases;
    MC_VEC(struct mc_take) takes;
    unsigned acquires_shared : 1; /* its acquisitions are read locks */
    struct mc_value ret;          /* what it returns, if one origin */
};

struct mc_root {
    int fn;
    enum mc_phase phase;
    const char *kind;   /* "handler", "merge_dir_config", "directive", ... */
    const char *detail; /* e.g. the directive or filter name; may be "" */
    struct mc_loc loc;  /* the registration */
};

struct mc_gvar {
    const char *usr, *name;
    const struct mc_global *g;
    unsigned returned_buffer : 1; /* reported by static-buffer-return */
};

enum mc_site_target { MC_SITE_GLOBAL, MC_SITE_SRVCONF, MC_SITE_DIRCONF };

/* One effective access to shared state. */
struct mc_site {
    int fn;     /* the function containing the access */
    int ctx_fn; /* whose phases apply (a caller for parameter
                          accesses), usually == fn */
    struct mc_loc loc;
    enum mc_site_target target;
    int gvar;          /* MC_SITE_GLOBAL: index in model->gvars */
    const char *what;  /* e.g. "conf->count" */
    const char *field; /* first member below a global: ".hits", "" */
    enum mc_access_kind kind;
    unsigned atomic : 1;
    const char *callee; /* a library call that performs the write, or NULL */
    uint64_t held, excl;
    unsigned phases;
};

struct mc_lock_edge {
    int a, b; /* lock ids: b acquired while a held */
    int fn;
    struct mc_loc loc;
};

struct mc_leak {
    int fn;
    int lock;
    struct mc_loc at;      /* the return (or closing brace) */
    struct mc_loc acquire; /* where it was taken */
};

struct mc_model {
    const struct mc_kb *kb;
    struct mc_tu *tus;
    size_t ntus;
    struct mc_arena arena;
    MC_VEC(struct mc_fn) fns;
    struct mc_strmap fn_by_usr; /* usr -> index + 1 */
    MC_VEC(struct mc_gvar) gvars;
    struct mc_strmap gvar_by_usr;
    MC_VEC(struct mc_root) roots;
    MC_VEC(const char *) locks;      /* id -> key */
    MC_VEC(const char *) lock_names; /* id -> display name */
    struct mc_strmap lock_ids;
    MC_VEC(struct mc_site) sites;
    MC_VEC(struct mc_lock_edge) lock_edges;
    MC_VEC(struct mc_leak) leaks;
    int has_merge_dir; /* the module struct has merge_dir_config */
    int has_module;    /* a module struct was found */
};

/* Links the TUs that parsed (tus[i].ok) and computes everything. */
void mc_model_build(struct mc_model *m, const struct mc_kb *kb,
                    struct mc_tu *tus, size_t ntus);
void mc_model_free(struct mc_model *m);

/* internal stages (one file each under model/) */
void mc__model_link(struct mc_model *m);
void mc__model_roots(struct mc_model *m);
void mc__model_phases(struct mc_model *m);
void mc__model_locks(struct mc_model *m);
void mc__model_sites(struct mc_model *m);
int mc__model_fn(const struct mc_model *m, const char *usr); /* or -1 */
int mc__model_gvar(const struct mc_model *m, const char *usr);
/* For a RETURN event returning a pointer into a static buffer, the
 * buffer's gvar index; else -1. */
int mc__model_static_buffer(const struct mc_model *m, const struct mc_event *e);
/* Canonical key of a value as a lock object, or NULL. */
const char *mc__lock_key(struct mc_arena *a, const struct mc_value *v);
int mc__lock_id(struct mc_model *m, const char *key);

/* The phase to report for a phase mask: request, connection, thread,
 * child-init, config in that order of preference; -1 if none. */
int mc_model_pick_phase(unsigned phases);
/* Functions from the root to fn for phase ph (root first); returns the
 * count written to out (at most max). */
size_t mc_model_path(const struct mc_model *m, int fn, enum mc_phase ph,
                     int *out, size_t max);
/* Locks in a mask as "a, b" (arena string; "" if none). */
const char *mc_model_lockset(struct mc_model *m, uint64_t mask);
/* Events of a function, NULL if not defined. */
const struct mc_event *mc_model_events(const struct mc_model *m, int fn,
                                       unsigned *n);

#endif
