/*
 * sites.c — effective accesses to shared state. An access event of a
 * global becomes a site; a library call with a `write` effect on a global
 * or config argument (apr_hash_set, strcpy ...) turns that argument into a
 * write; an `atomic` call marks it atomic; writes through a parameter are
 * instantiated at every call that passes a global or a config pointer; a
 * write through the result of a module function that returns config or a
 * global is attributed to that. Each site carries the lockset (entry
 * locks of its function plus the locks held there) and its phases.
 */
#include <stdint.h>
#include <string.h>

#include "model.h"

struct builder {
    struct mc_model *m;
    MC_VEC(unsigned char) mark; /* per event of the current fn: 1 upgraded */
};

static const char *describe(struct mc_model *m, const struct mc_value *v)
{
    switch (v->origin) {
        case MC_ORIG_GLOBAL:
            return mc_arena_printf(&m->arena, "%s%s", v->name, v->path);
        case MC_ORIG_SRVCONF:
            return mc_arena_printf(&m->arena, "server config%s", v->path);
        case MC_ORIG_DIRCONF:
            return mc_arena_printf(&m->arena, "directory config%s", v->path);
        case MC_ORIG_SERVER:
            return mc_arena_printf(&m->arena, "server_rec%s", v->path);
        default:
            return mc_arena_printf(&m->arena, "%s%s", v->name, v->path);
    }
}

/* ".journal[]->x" -> ".journal"; "->served" -> "->served" (a member of
 * what a global pointer points to); "[]" or "" -> "" (the whole object) */
static const char *first_field(struct mc_model *m, const char *path)
{
    if (path && path[0] == '-' && path[1] == '>') {
        size_t n = 2;
        while (path[n] && path[n] != '.' && path[n] != '-' && path[n] != '[')
            n++;
        return n > 2 ? mc_arena_strndup(&m->arena, path, n) : "";
    }
    if (!path || path[0] != '.')
        return "";
    size_t n = 1;
    while (path[n] && path[n] != '.' && path[n] != '-' && path[n] != '[')
        n++;
    return mc_arena_strndup(&m->arena, path, n);
}

static struct mc_site *site_add(struct mc_model *m, int fn, int ctx_fn, int ev,
                                const struct mc_value *target,
                                enum mc_access_kind kind, struct mc_loc loc)
{
    struct mc_fn *f = &m->fns.v[fn], *c = &m->fns.v[ctx_fn];
    struct mc_site *s = MC_VEC_PUSH(m->sites);
    s->fn = fn;
    s->ctx_fn = ctx_fn;
    s->loc = loc;
    s->kind = kind;
    s->what = describe(m, target);
    s->field = first_field(m, target->path);
    s->gvar = -1;
    switch (target->origin) {
        case MC_ORIG_GLOBAL:
            s->target = MC_SITE_GLOBAL;
            s->gvar = mc__model_gvar(m, target->usr);
            break;
        case MC_ORIG_SRVCONF:
        case MC_ORIG_SERVER:
            s->target = MC_SITE_SRVCONF;
            break;
        default:
            s->target = MC_SITE_DIRCONF;
            break;
    }
    s->held = f->entry_held | (ev >= 0 ? f->ev_held[ev] : 0);
    s->excl = f->entry_excl | (ev >= 0 ? f->ev_excl[ev] : 0);
    s->phases = c->phases;
    return s;
}

static int shared_origin(enum mc_origin o)
{
    return o == MC_ORIG_GLOBAL || o == MC_ORIG_SRVCONF ||
           o == MC_ORIG_DIRCONF || o == MC_ORIG_SERVER;
}

static int is_merge_dir(const struct mc_model *m, int fn)
{
    for (size_t r = 0; r < m->roots.n; r++) {
        if (m->roots.v[r].fn == fn &&
            !strcmp(m->roots.v[r].kind, "merge_dir_config"))
            return 1;
    }
    return 0;
}

/* A lookup function returns (a pointer reached from) its parameter
 * r->param: a write through the result of `n = find(conf->table, key)`
 * hits what the caller passed there. Sets *r to that argument (which may
 * itself be a parameter of fn); 0 when the call or argument is unknown. */
static int returned_arg(struct mc_model *m, int fn, const struct mc_value *t,
                        struct mc_value *r)
{
    unsigned n;
    const struct mc_event *ev = mc_model_events(m, fn, &n);
    if (t->call_ev < 0 || (unsigned)t->call_ev >= n ||
        ev[t->call_ev].kind != MC_EV_CALL)
        return 0;
    const struct mc_call *c = &ev[t->call_ev].u.call;
    if (r->param < 0 || (unsigned)r->param >= c->nargs)
        return 0;
    const struct mc_value *a = &c->args[r->param];
    if (!shared_origin(a->origin) && a->origin != MC_ORIG_PARAM)
        return 0;
    *r = *a;
    return 1;
}

/* The shared object a value holding a lookup helper's result points
 * into: `e = find(conf->table, k)` -> conf->table. 0 if none. */
static int lookup_result(struct mc_model *m, int fn, const struct mc_value *t,
                         struct mc_value *out)
{
    int callee = t->origin == MC_ORIG_CALL ? mc__model_fn(m, t->usr) : -1;
    if (callee < 0)
        return 0;
    struct mc_value r = m->fns.v[callee].ret;
    if (r.origin != MC_ORIG_PARAM || !returned_arg(m, fn, t, &r) ||
        !shared_origin(r.origin))
        return 0;
    *out = r;
    return 1;
}

/* Accesses through parameter `param` of fn at (ev, loc): one site per call
 * of fn that passes shared state there. merge_dir_config's base and add
 * are the sections' own configs, shared by every request. */
static void param_access(struct mc_model *m, int fn, int ev, int param,
                         struct mc_loc loc, const char *callee,
                         enum mc_access_kind kind)
{
    if (kind == MC_ACC_WRITE && (param == 1 || param == 2) &&
        is_merge_dir(m, fn)) {
        struct mc_value conf;
        memset(&conf, 0, sizeof conf);
        conf.origin = MC_ORIG_DIRCONF;
        conf.path = param == 1 ? " (merge base)" : " (merge add)";
        conf.name = "";
        struct mc_site *s = site_add(m, fn, fn, ev, &conf, kind, loc);
        s->callee = callee;
    }
    struct mc_fn *f = &m->fns.v[fn];
    for (size_t i = 0; i < f->in.n; i++) {
        if (f->in.v[i].kind != MC_EDGE_DIRECT)
            continue;
        int caller = f->in.v[i].callee;
        unsigned n;
        const struct mc_event *cev = mc_model_events(m, caller, &n);
        const struct mc_call *c = &cev[f->in.v[i].ev].u.call;
        if (param < 0 || (unsigned)param >= c->nargs)
            continue;
        /* `bump(e)` where e holds a lookup result: what e points into */
        const struct mc_value *a = &c->args[param];
        struct mc_value found;
        if (lookup_result(m, caller, a, &found))
            a = &found;
        if (!shared_origin(a->origin))
            continue;
        struct mc_site *s = site_add(m, fn, caller, ev, a, kind, loc);
        struct mc_fn *cf = &m->fns.v[caller];
        s->held |= cf->entry_held | cf->ev_held[f->in.v[i].ev];
        s->excl |= cf->entry_excl | cf->ev_excl[f->in.v[i].ev];
        s->callee = callee;
    }
}

static void call_effects(struct builder *b, int fn, int ev,
                         const struct mc_event *e)
{
    struct mc_model *m = b->m;
    const struct mc_call *c = &e->u.call;
    if (!c->callee_usr)
        return;
    for (unsigned i = 0; i < c->nargs; i++) {
        if (c->args[i].access >= 0 && !b->mark.v[c->args[i].access])
            b->mark.v[c->args[i].access] = 3; /* a call reads it */
    }
    int atomic = mc_kb_is_atomic(m->kb, c->callee_name);
    for (const struct mc_kb_effect *eff = mc_kb_effects(m->kb, c->callee_name);
         eff || atomic; eff = eff ? eff->next : NULL) {
        int arg = eff ? eff->arg : 0;
        int kind = eff ? (int)eff->effect : (int)MC_EFF_ATOMIC;
        atomic = 0;
        if (kind == MC_EFF_ALLOC || (unsigned)arg >= c->nargs)
            continue;
        const struct mc_value *v = &c->args[arg];
        if (v->access >= 0)
            b->mark.v[v->access] = kind == MC_EFF_ATOMIC ? 2 : 1;
        if (kind == MC_EFF_ATOMIC)
            continue;
        if (v->origin == MC_ORIG_PARAM) {
            param_access(m, fn, ev, v->param, e->loc, c->callee_name,
                         MC_ACC_WRITE);
            continue;
        }
        if (!shared_origin(v->origin))
            continue;
        struct mc_loc loc =
            v->access >= 0 ? m->fns.v[fn].def->events[v->access].loc : e->loc;
        struct mc_site *s = site_add(m, fn, fn, ev, v, MC_ACC_WRITE, loc);
        s->callee = c->callee_name;
    }
}

/* What a module function returns, when every return agrees. */
static void return_summaries(struct mc_model *m)
{
    for (size_t i = 0; i < m->fns.n; i++) {
        unsigned n;
        const struct mc_event *ev = mc_model_events(m, (int)i, &n);
        struct mc_value *ret = &m->fns.v[i].ret;
        int conflict = 0;
        for (unsigned e = 0; e < n; e++) {
            if (ev[e].kind != MC_EV_RETURN)
                continue;
            const struct mc_value *v = &ev[e].u.ret.value;
            if (v->origin == MC_ORIG_NONE || v->origin == MC_ORIG_INT)
                continue;
            if (ret->origin == MC_ORIG_NONE)
                *ret = *v;
            else if (ret->origin != v->origin)
                conflict = 1;
        }
        if (conflict)
            ret->origin = MC_ORIG_NONE;
    }
}

/* A concurrent function returning a pointer into a static buffer: the
 * static-buffer-return check reports it, global-race leaves it alone. */
static void returned_buffers(struct mc_model *m)
{
    for (size_t i = 0; i < m->fns.n; i++) {
        unsigned n;
        const struct mc_event *ev = mc_model_events(m, (int)i, &n);
        if (!(m->fns.v[i].phases & MC_PH_CONCURRENT))
            continue;
        for (unsigned e = 0; e < n; e++) {
            int g = mc__model_static_buffer(m, &ev[e]);
            if (g >= 0)
                m->gvars.v[g].returned_buffer = 1;
        }
    }
}

int mc__model_static_buffer(const struct mc_model *m, const struct mc_event *e)
{
    if (e->kind != MC_EV_RETURN)
        return -1;
    const struct mc_value *v = &e->u.ret.value;
    if (v->origin != MC_ORIG_GLOBAL || v->deref)
        return -1;
    int g = mc__model_gvar(m, v->usr);
    if (g < 0)
        return -1;
    const struct mc_global *gl = m->gvars.v[g].g;
    if (gl->is_const || gl->is_tls || gl->is_pointer)
        return -1;
    return gl->is_array || v->addr ? g : -1;
}

static void access_event(struct builder *b, int fn, int ev,
                         const struct mc_event *e)
{
    struct mc_model *m = b->m;
    const struct mc_access *a = &e->u.access;
    const struct mc_value *t = &a->target;
    if (t->origin == MC_ORIG_PARAM) {
        if (a->kind != MC_ACC_ADDR)
            param_access(m, fn, ev, t->param, e->loc, NULL, a->kind);
        return;
    }
    if (t->origin == MC_ORIG_CALL) {
        int callee = mc__model_fn(m, t->usr);
        if (callee < 0 || a->kind == MC_ACC_ADDR)
            return;
        struct mc_value r = m->fns.v[callee].ret;
        int through_arg = r.origin == MC_ORIG_PARAM;
        if (through_arg && !returned_arg(m, fn, t, &r))
            return;
        if (r.origin == MC_ORIG_PARAM) {
            param_access(m, fn, ev, r.param, e->loc, NULL, a->kind);
            return;
        }
        if (!shared_origin(r.origin))
            return;
        if (!through_arg) /* else: the argument's member names the site */
            r.path = t->path;
        site_add(m, fn, fn, ev, &r, a->kind, e->loc);
        return;
    }
    if (!shared_origin(t->origin))
        return;
    enum mc_access_kind kind = a->kind;
    int g = t->origin == MC_ORIG_GLOBAL ? mc__model_gvar(m, t->usr) : -1;
    if (g >= 0 && m->gvars.v[g].g->is_array && a->via == MC_VIA_DIRECT &&
        kind == MC_ACC_READ && b->mark.v[ev] != 3)
        kind = MC_ACC_ADDR; /* `p = buf`: the array's address, no access */
    struct mc_site *s = site_add(m, fn, fn, ev, t, kind, e->loc);
    if (b->mark.v[ev] == 1)
        s->kind = MC_ACC_WRITE;
    else if (b->mark.v[ev] == 2)
        s->atomic = 1;
}

void mc__model_sites(struct mc_model *m)
{
    struct builder b = {m, {NULL, 0, 0}};
    return_summaries(m);
    returned_buffers(m);
    for (size_t f = 0; f < m->fns.n; f++) {
        unsigned n;
        const struct mc_event *ev = mc_model_events(m, (int)f, &n);
        b.mark.n = 0;
        for (unsigned e = 0; e < n; e++)
            *MC_VEC_PUSH(b.mark) = 0;
        /* calls first: they decide how their arguments' accesses count */
        for (unsigned e = 0; e < n; e++) {
            if (ev[e].kind == MC_EV_CALL)
                call_effects(&b, (int)f, (int)e, &ev[e]);
        }
        for (unsigned e = 0; e < n; e++) {
            if (ev[e].kind == MC_EV_ACCESS)
                access_event(&b, (int)f, (int)e, &ev[e]);
        }
    }
    MC_VEC_FREE(b.mark);
}

void mc_model_build(struct mc_model *m, const struct mc_kb *kb,
                    struct mc_tu *tus, size_t ntus)
{
    memset(m, 0, sizeof *m);
    m->kb = kb;
    m->tus = tus;
    m->ntus = ntus;
    mc_arena_init(&m->arena, 1 << 16);
    mc__model_link(m);
    mc__model_roots(m);
    mc__model_phases(m);
    mc__model_locks(m);
    mc__model_sites(m);
}

void mc_model_free(struct mc_model *m)
{
    for (size_t i = 0; i < m->fns.n; i++) {
        MC_VEC_FREE(m->fns.v[i].out);
        MC_VEC_FREE(m->fns.v[i].in);
        MC_VEC_FREE(m->fns.v[i].acquires);
        MC_VEC_FREE(m->fns.v[i].releases);
        MC_VEC_FREE(m->fns.v[i].takes);
    }
    MC_VEC_FREE(m->fns);
    MC_VEC_FREE(m->gvars);
    MC_VEC_FREE(m->roots);
    MC_VEC_FREE(m->locks);
    MC_VEC_FREE(m->lock_names);
    MC_VEC_FREE(m->sites);
    MC_VEC_FREE(m->lock_edges);
    MC_VEC_FREE(m->leaks);
    mc_strmap_free(&m->fn_by_usr);
    mc_strmap_free(&m->gvar_by_usr);
    mc_strmap_free(&m->lock_ids);
    mc_arena_destroy(&m->arena);
}
