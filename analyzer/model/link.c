/*
 * link.c — joining the TUs: functions and globals by USR, then the call
 * graph (direct calls; indirect calls resolved by the address-taken set and
 * function type; function pointers handed to library calls as callbacks).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"

int mc__model_fn(const struct mc_model *m, const char *usr)
{
    if (!usr)
        return -1;
    return (int)(intptr_t)mc_strmap_get(&m->fn_by_usr, usr) - 1;
}

int mc__model_gvar(const struct mc_model *m, const char *usr)
{
    if (!usr)
        return -1;
    return (int)(intptr_t)mc_strmap_get(&m->gvar_by_usr, usr) - 1;
}

static int fn_add(struct mc_model *m, const char *usr, const char *name)
{
    int i = mc__model_fn(m, usr);
    if (i >= 0)
        return i;
    struct mc_fn *f = MC_VEC_PUSH(m->fns);
    f->usr = usr;
    f->name = name;
    f->ret.origin = MC_ORIG_NONE;
    for (int p = 0; p < MC_PH_COUNT; p++)
        f->pred[p] = f->root[p] = -1;
    mc_strmap_put(&m->fn_by_usr, usr, (void *)(intptr_t)m->fns.n);
    return (int)(m->fns.n - 1);
}

static void gvar_add(struct mc_model *m, const struct mc_global *g)
{
    int i = mc__model_gvar(m, g->usr);
    if (i >= 0) {
        /* prefer the definition's facts */
        if (g->is_defined && !m->gvars.v[i].g->is_defined)
            m->gvars.v[i].g = g;
        return;
    }
    struct mc_gvar *v = MC_VEC_PUSH(m->gvars);
    v->usr = g->usr;
    v->name = g->name;
    v->g = g;
    mc_strmap_put(&m->gvar_by_usr, g->usr, (void *)(intptr_t)m->gvars.n);
}

static void link_symbols(struct mc_model *m)
{
    for (size_t t = 0; t < m->ntus; t++) {
        struct mc_tu *tu = &m->tus[t];
        if (!tu->ok)
            continue;
        for (size_t i = 0; i < tu->nfuncs; i++) {
            int f = fn_add(m, tu->funcs[i].usr, tu->funcs[i].name);
            if (!m->fns.v[f].def)
                m->fns.v[f].def = &tu->funcs[i];
        }
        for (size_t i = 0; i < tu->nglobals; i++)
            gvar_add(m, &tu->globals[i]);
    }
}

static void edge_add(struct mc_model *m, int caller, int callee, int ev,
                     enum mc_edge_kind kind)
{
    struct mc_fn *from = &m->fns.v[caller];
    for (size_t i = 0; i < from->out.n; i++) {
        if (from->out.v[i].callee == callee && from->out.v[i].ev == ev)
            return;
    }
    struct mc_edge *e = MC_VEC_PUSH(from->out);
    e->callee = callee;
    e->ev = ev;
    e->kind = kind;
    struct mc_edge *back = MC_VEC_PUSH(m->fns.v[callee].in);
    back->callee = caller;
    back->ev = ev;
    back->kind = kind;
}

/* Address-taken module functions by type, for indirect calls. */
struct fnref_list {
    MC_VEC(int) fns;
};

static void indirect_edges(struct mc_model *m, int caller, int ev,
                           const char *type, struct mc_strmap *by_type)
{
    struct fnref_list *l = mc_strmap_get(by_type, type);
    for (size_t i = 0; l && i < l->fns.n; i++)
        edge_add(m, caller, l->fns.v[i], ev, MC_EDGE_INDIRECT);
}

static int is_registration(const struct mc_model *m, const char *callee)
{
    return !strncmp(callee, "ap_hook_", 8) || mc_kb_reg(m->kb, callee);
}

static void call_edges(struct mc_model *m, int caller, int ev,
                       const struct mc_call *c, struct mc_strmap *by_type)
{
    int callee = mc__model_fn(m, c->callee_usr);
    if (!c->callee_usr) {
        indirect_edges(m, caller, ev, c->fnptr_type, by_type);
        return;
    }
    if (callee >= 0 && m->fns.v[callee].def) {
        edge_add(m, caller, callee, ev, MC_EDGE_DIRECT);
        return;
    }
    if (is_registration(m, c->callee_name))
        return;
    /* a library call given a module function runs it now (qsort,
     * apr_table_do, apr_thread_once ...) */
    for (unsigned a = 0; a < c->nargs; a++) {
        int cb = c->args[a].origin == MC_ORIG_FUNC
                     ? mc__model_fn(m, c->args[a].usr)
                     : -1;
        if (cb >= 0 && m->fns.v[cb].def)
            edge_add(m, caller, cb, ev, MC_EDGE_CALLBACK);
    }
}

struct fnref_lists {
    MC_VEC(struct fnref_list *) v;
};

static void build_by_type(struct mc_model *m, struct mc_strmap *by_type,
                          struct fnref_lists *lists)
{
    for (size_t t = 0; t < m->ntus; t++) {
        struct mc_tu *tu = &m->tus[t];
        for (size_t i = 0; tu->ok && i < tu->nfnrefs; i++) {
            int f = mc__model_fn(m, tu->fnrefs[i].usr);
            if (f < 0 || !m->fns.v[f].def)
                continue;
            struct fnref_list *l = mc_strmap_get(by_type, tu->fnrefs[i].type);
            if (!l) {
                l = mc_xcalloc(1, sizeof(*l));
                *MC_VEC_PUSH(lists->v) = l;
                mc_strmap_put(by_type, tu->fnrefs[i].type, l);
            }
            int dup = 0;
            for (size_t j = 0; j < l->fns.n; j++)
                dup |= l->fns.v[j] == f;
            if (!dup)
                *MC_VEC_PUSH(l->fns) = f;
        }
    }
}

void mc__model_link(struct mc_model *m)
{
    link_symbols(m);
    struct mc_strmap by_type = {0};
    struct fnref_lists lists = {{NULL, 0, 0}};
    build_by_type(m, &by_type, &lists);
    for (size_t f = 0; f < m->fns.n; f++) {
        const struct mc_func *d = m->fns.v[f].def;
        for (unsigned e = 0; d && e < d->nevents; e++) {
            if (d->events[e].kind == MC_EV_CALL)
                call_edges(m, (int)f, (int)e, &d->events[e].u.call, &by_type);
        }
    }
    for (size_t i = 0; i < lists.v.n; i++) {
        MC_VEC_FREE(lists.v.v[i]->fns);
        free(lists.v.v[i]);
    }
    MC_VEC_FREE(lists.v);
    mc_strmap_free(&by_type);
}

const struct mc_event *mc_model_events(const struct mc_model *m, int fn,
                                       unsigned *n)
{
    const struct mc_func *d = fn >= 0 ? m->fns.v[fn].def : NULL;
    *n = d ? d->nevents : 0;
    return d ? d->events : NULL;
}
