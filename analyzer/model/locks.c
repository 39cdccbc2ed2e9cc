/*
 * locks.c — locksets. Per function, a dataflow over the event tree from an
 * empty entry state records, at every event, the locks held on every path
 * (any mode and exclusive), finds the locks possibly still held at a
 * return (lock-leak) and the acquisition order (lock-order). Functions
 * that return holding a lock on every path are lock wrappers: their calls
 * act as acquisitions (likewise releasers). Then the locks every caller
 * holds at a call are intersected into the callee's entry lockset.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"

#define ALL_LOCKS (~(uint64_t)0)
#define MAX_LOCKS 64

struct ls {
    uint64_t held, excl; /* on every path */
    uint64_t may;        /* on some path, taken by lock (not trylock) */
    int live;
};

static struct ls dead(void)
{
    struct ls s = {0, 0, 0, 0};
    return s;
}

static struct ls join(struct ls a, struct ls b)
{
    if (!a.live)
        return b;
    if (!b.live)
        return a;
    struct ls s = {a.held & b.held, a.excl & b.excl, a.may | b.may, 1};
    return s;
}

static int same(struct ls a, struct ls b)
{
    return a.live == b.live && a.held == b.held && a.excl == b.excl &&
           a.may == b.may;
}

struct label_state {
    const char *name;
    struct ls s;
};

struct jump {
    int is_loop;
    struct ls brk, cont;
};

struct flow {
    struct mc_model *m;
    int fn;
    const struct mc_event *ev;
    struct mc_fn *f;
    MC_VEC(struct jump) jumps;
    MC_VEC(struct label_state) labels;
    MC_VEC(struct ls) exits;
    MC_VEC(struct mc_loc) exit_locs;
    uint64_t released;    /* unlocked without being taken here */
    uint64_t conditional; /* unlocked where only possibly held: managed
                             by a flag, not leaked */
    MC_VEC(struct mc_take) takes;
    uint64_t *got; /* per CALL event: the locks it acquired */
    uint64_t shared_taken;
    struct mc_loc acq_loc[MAX_LOCKS];
    int record; /* record lock-order edges (final pass only) */
};

const char *mc__lock_key(struct mc_arena *a, const struct mc_value *v)
{
    switch (v->origin) {
        case MC_ORIG_GLOBAL:
            return mc_arena_printf(a, "G:%s%s", v->usr, v->path);
        case MC_ORIG_SRVCONF:
            return mc_arena_printf(a, "S:%s", v->path);
        case MC_ORIG_SERVER:
            return mc_arena_printf(a, "R:%s%s", v->name, v->path);
        case MC_ORIG_DIRCONF:
            return mc_arena_printf(a, "D:%s", v->path);
        case MC_ORIG_PARAM:
            return mc_arena_printf(a, "P:%d%s", v->param, v->path);
        case MC_ORIG_LOCAL:
            return mc_arena_printf(a, "L:%s%s", v->name, v->path);
        case MC_ORIG_CALL:
            return mc_arena_printf(a, "C:%s%s", v->name, v->path);
        default:
            return NULL;
    }
}

static const char *display(struct mc_model *m, const char *key)
{
    const char *rest = key + 2;
    switch (key[0]) {
        case 'G': {
            /* "G:<usr><path>": the longest known global usr prefix */
            for (size_t i = 0; i < m->gvars.n; i++) {
                size_t n = strlen(m->gvars.v[i].usr);
                if (!strncmp(rest, m->gvars.v[i].usr, n))
                    return mc_arena_printf(&m->arena, "%s%s",
                                           m->gvars.v[i].name, rest + n);
            }
            return rest;
        }
        case 'S':
            return mc_arena_printf(&m->arena, "server config%s", rest);
        case 'D':
            return mc_arena_printf(&m->arena, "dir config%s", rest);
        case 'P':
            return mc_arena_printf(&m->arena, "parameter %s", rest);
        default:
            return rest;
    }
}

int mc__lock_id(struct mc_model *m, const char *key)
{
    void *v = mc_strmap_get(&m->lock_ids, key);
    if (v)
        return (int)(intptr_t)v - 1;
    if (m->locks.n >= MAX_LOCKS)
        return MAX_LOCKS - 1;
    const char *k = mc_arena_strdup(&m->arena, key);
    *MC_VEC_PUSH(m->locks) = k;
    *MC_VEC_PUSH(m->lock_names) = display(m, k);
    mc_strmap_put(&m->lock_ids, k, (void *)(intptr_t)m->locks.n);
    return (int)(m->locks.n - 1);
}

const char *mc_model_lockset(struct mc_model *m, uint64_t mask)
{
    const char *s = "";
    for (size_t i = 0; i < m->locks.n; i++) {
        if (mask & ((uint64_t)1 << i))
            s = mc_arena_printf(&m->arena, "%s%s%s", s, *s ? ", " : "",
                                m->lock_names.v[i]);
    }
    return s;
}

/* A callee's summary key ("P:0->mutex") in the caller's terms. */
static const char *translate(struct mc_model *m, const char *key,
                             const struct mc_call *c)
{
    if (key[0] != 'P')
        return key;
    char *end;
    long idx = strtol(key + 2, &end, 10);
    if (idx < 0 || (unsigned long)idx >= c->nargs)
        return NULL;
    const char *base = mc__lock_key(&m->arena, &c->args[idx]);
    return base ? mc_arena_printf(&m->arena, "%s%s", base, end) : NULL;
}

static void take(struct flow *fl, const char *key, struct mc_loc loc, int fn)
{
    for (size_t i = 0; i < fl->takes.n; i++) {
        if (!strcmp(fl->takes.v[i].key, key))
            return;
    }
    struct mc_take *t = MC_VEC_PUSH(fl->takes);
    t->key = key;
    t->loc = loc;
    t->fn = fn;
}

/* Lock-order edges: id taken (at loc, in fn) while s holds others. */
static void order_edges(struct flow *fl, const struct ls *s, int id,
                        struct mc_loc loc, int fn)
{
    for (int a = 0; fl->record && a < MAX_LOCKS; a++) {
        if (a != id && (s->held & ((uint64_t)1 << a))) {
            struct mc_lock_edge *e = MC_VEC_PUSH(fl->m->lock_edges);
            e->a = a;
            e->b = id;
            e->fn = fn;
            e->loc = loc;
        }
    }
}

static void acquire(struct flow *fl, struct ls *s, int id, int shared, int try,
                    struct mc_loc loc)
{
    uint64_t b = (uint64_t)1 << id;
    if (!try) { /* a trylock never waits: it cannot deadlock */
        order_edges(fl, s, id, loc, fl->fn);
        take(fl, fl->m->locks.v[id], loc, fl->fn);
    }
    s->held |= b;
    if (!shared)
        s->excl |= b;
    else
        fl->shared_taken |= b;
    if (!try) {
        s->may |= b;
        fl->acq_loc[id] = loc;
    }
}

static void release(struct flow *fl, struct ls *s, int id)
{
    uint64_t b = (uint64_t)1 << id;
    if (!(s->held & b) && !(s->may & b))
        fl->released |= b;
    else if (!(s->held & b))
        fl->conditional |= b;
    s->held &= ~b;
    s->excl &= ~b;
    s->may &= ~b;
}

static void call_locks(struct flow *fl, const struct mc_event *e, struct ls *s)
{
    struct mc_model *m = fl->m;
    const struct mc_call *c = &e->u.call;
    const struct mc_kb_lock *op =
        c->callee_usr ? mc_kb_lock(m->kb, c->callee_name) : NULL;
    if (op) {
        const char *key = (unsigned)op->arg < c->nargs
                              ? mc__lock_key(&m->arena, &c->args[op->arg])
                              : NULL;
        if (!key)
            return;
        int id = mc__lock_id(m, key);
        if (op->op == MC_LOCK_UNLOCK)
            release(fl, s, id);
        else
            acquire(fl, s, id,
                    op->op == MC_LOCK_SHARED ||
                        strstr(c->callee_name, "rdlock") != NULL,
                    op->op == MC_LOCK_TRY, e->loc);
        return;
    }
    int callee = mc__model_fn(m, c->callee_usr);
    if (callee < 0 || callee == fl->fn)
        return;
    struct mc_fn *g = &m->fns.v[callee];
    for (size_t i = 0; i < g->releases.n; i++) {
        const char *k = translate(m, g->releases.v[i], c);
        if (k)
            release(fl, s, mc__lock_id(m, k));
    }
    for (size_t i = 0; i < g->takes.n; i++) {
        const char *k = translate(m, g->takes.v[i].key, c);
        if (!k)
            continue;
        order_edges(fl, s, mc__lock_id(m, k), g->takes.v[i].loc,
                    g->takes.v[i].fn);
        take(fl, k, g->takes.v[i].loc, g->takes.v[i].fn);
    }
    for (size_t i = 0; i < g->acquires.n; i++) {
        const char *k = translate(m, g->acquires.v[i], c);
        if (k)
            acquire(fl, s, mc__lock_id(m, k), g->acquires_shared, 0, e->loc);
    }
}

static struct ls run(struct flow *fl, int node, struct ls s);
static struct ls run_branch(struct flow *fl, int node, struct ls s);
static struct ls run_loop_again(struct flow *fl, int node, struct ls s);

static struct ls run_children(struct flow *fl, int node, struct ls s)
{
    for (int c = fl->ev[node].first; c >= 0; c = fl->ev[c].next)
        s = run(fl, c, s);
    return s;
}

static void visit(struct flow *fl, int node, struct ls s)
{
    if (!s.live)
        return;
    fl->f->ev_held[node] &= s.held;
    fl->f->ev_excl[node] &= s.excl;
}

static int child(const struct mc_event *ev, int node, int k)
{
    int c = ev[node].first;
    while (c >= 0 && k-- > 0)
        c = ev[c].next;
    return c;
}

static struct ls run_loop(struct flow *fl, int node, struct ls s)
{
    if (fl->ev[node].u.cond.sense == 1) { /* do { } while: at least once */
        struct jump *j0 = MC_VEC_PUSH(fl->jumps);
        j0->is_loop = 1;
        j0->brk = j0->cont = dead();
        size_t j0i = fl->jumps.n - 1;
        struct ls once = run_children(fl, node, s);
        once = join(once, fl->jumps.v[j0i].cont);
        struct ls brk = fl->jumps.v[j0i].brk;
        fl->jumps.n--;
        if (!once.live)
            return brk;
        return join(run_loop_again(fl, node, once), brk);
    }
    return run_loop_again(fl, node, s);
}

static struct ls run_loop_again(struct flow *fl, int node, struct ls s)
{
    struct jump *j = MC_VEC_PUSH(fl->jumps);
    j->is_loop = 1;
    j->brk = j->cont = dead();
    size_t ji = fl->jumps.n - 1;
    struct ls head = s, out = s;
    for (int iter = 0; iter < 3; iter++) {
        struct ls body = run_children(fl, node, head);
        body = join(body, fl->jumps.v[ji].cont);
        struct ls next = join(head, body);
        out = next;
        if (same(next, head))
            break;
        head = next;
    }
    out = join(out, fl->jumps.v[ji].brk);
    fl->jumps.n--;
    return out;
}

static struct ls run_switch(struct flow *fl, int node, struct ls s)
{
    int cond = child(fl->ev, node, 0), body = child(fl->ev, node, 1);
    struct ls after = cond >= 0 ? run(fl, cond, s) : s;
    struct jump *j = MC_VEC_PUSH(fl->jumps);
    j->is_loop = 0;
    j->brk = j->cont = dead();
    size_t ji = fl->jumps.n - 1;
    struct ls cur = dead();
    for (int c = body >= 0 ? fl->ev[body].first : -1; c >= 0;
         c = fl->ev[c].next) {
        if (fl->ev[c].kind == MC_EV_CASE)
            cur = join(cur, after);
        cur = run(fl, c, cur);
    }
    /* no default seen: the switch may run no case at all */
    struct ls out = join(join(cur, fl->jumps.v[ji].brk), after);
    fl->jumps.n--;
    return out;
}

static struct jump *innermost(struct flow *fl, int loop_only)
{
    for (size_t i = fl->jumps.n; i-- > 0;) {
        if (!loop_only || fl->jumps.v[i].is_loop)
            return &fl->jumps.v[i];
    }
    return NULL;
}

static struct ls *label(struct flow *fl, const char *name)
{
    for (size_t i = 0; i < fl->labels.n; i++) {
        if (!strcmp(fl->labels.v[i].name, name))
            return &fl->labels.v[i].s;
    }
    struct label_state *l = MC_VEC_PUSH(fl->labels);
    l->name = name;
    l->s = dead();
    return &l->s;
}

static struct ls run_branch(struct flow *fl, int node, struct ls s)
{
    return node >= 0 ? run(fl, node, s) : s;
}

/* `if (m) lock(m);` ... `if (m) unlock(m);`: where the lock pointer is
 * NULL there is no lock to take (the module runs unlocked by design, e.g.
 * it made none for a non-threaded MPM), so the NULL branch agrees with
 * the other one about that lock: held after the first statement, released
 * after the second, never leaked. */
static void carry_on_locked(struct ls *failed, struct ls after, uint64_t got)
{
    if (!failed->live)
        return;
    failed->held |= after.held & got;
    failed->excl |= after.excl & got;
    failed->may |= after.may & got;
}

static uint64_t null_lock_bit(struct flow *fl, const struct mc_value *tested)
{
    const char *key = mc__lock_key(&fl->m->arena, tested);
    void *v = key ? mc_strmap_get(&fl->m->lock_ids, key) : NULL;
    return v ? (uint64_t)1 << ((int)(intptr_t)v - 1) : 0;
}

static void null_lock_agrees(uint64_t b, struct ls nonnull, struct ls *null)
{
    if (!b || !nonnull.live || !null->live)
        return;
    null->held = (null->held & ~b) | (nonnull.held & b);
    null->excl = (null->excl & ~b) | (nonnull.excl & b);
    null->may = (null->may & ~b) | (nonnull.may & b);
}

static struct ls run(struct flow *fl, int node, struct ls s)
{
    const struct mc_event *e = &fl->ev[node];
    visit(fl, node, s);
    switch (e->kind) {
        case MC_EV_SEQ:
            return run_children(fl, node, s);
        case MC_EV_IF: {
            int c = child(fl->ev, node, 0), t = child(fl->ev, node, 1),
                f = child(fl->ev, node, 2);
            struct ls after = c >= 0 ? run(fl, c, s) : s;
            /* `if (lock(m) != APR_SUCCESS) return ...`: the failure branch
             * does not hold what the condition acquired */
            struct ls failed = after;
            int st = e->u.cond.status_ev;
            uint64_t got = !after.live ? 0
                           : st >= 0   ? after.held & fl->got[st]
                                       : after.held & ~s.held;
            failed.held &= ~got;
            failed.excl &= ~got;
            failed.may &= ~got;
            int sense = got ? e->u.cond.sense : 0;
            struct ls tin = sense < 0 ? failed : after;
            struct ls fin = sense > 0 ? failed : after;
            int nn = e->u.cond.nonnull;
            uint64_t nb = nn ? null_lock_bit(fl, &e->u.cond.tested) : 0;
            /* a NULL lock cannot be left held */
            if (nn < 0)
                tin.may &= ~nb;
            else if (nn > 0)
                fin.may &= ~nb;
            struct ls ts = run_branch(fl, t, tin);
            struct ls fs = run_branch(fl, f, fin);
            /* `if (lock(m) != APR_SUCCESS) { log(...); }` with no other
             * branch and no return: the author carries on as if it held */
            if (sense < 0 && t >= 0 && f < 0)
                carry_on_locked(&ts, after, got);
            else if (sense > 0 && f >= 0 && t < 0)
                carry_on_locked(&fs, after, got);
            if (nn > 0)
                null_lock_agrees(nb, ts, &fs);
            else if (nn < 0)
                null_lock_agrees(nb, fs, &ts);
            return join(ts, fs);
        }
        case MC_EV_LOOP:
            return run_loop(fl, node, s);
        case MC_EV_SWITCH:
            return run_switch(fl, node, s);
        case MC_EV_BREAK:
        case MC_EV_CONTINUE: {
            struct jump *j = innermost(fl, e->kind == MC_EV_CONTINUE);
            if (j && e->kind == MC_EV_BREAK)
                j->brk = join(j->brk, s);
            else if (j)
                j->cont = join(j->cont, s);
            return dead();
        }
        case MC_EV_RETURN:
            s = run_children(fl, node, s);
            if (s.live) {
                *MC_VEC_PUSH(fl->exits) = s;
                *MC_VEC_PUSH(fl->exit_locs) = e->loc;
            }
            return dead();
        case MC_EV_GOTO: {
            struct ls *l = label(fl, e->u.label);
            *l = join(*l, s);
            return dead();
        }
        case MC_EV_LABEL:
            return join(s, *label(fl, e->u.label));
        case MC_EV_CALL: {
            uint64_t before = s.held;
            call_locks(fl, e, &s);
            fl->got[node] |= s.held & ~before;
            return s;
        }
        default:
            return s;
    }
}

static void add_key(struct mc_model *m, void *vec, const char *key)
{
    MC_VEC(const char *) *v = vec;
    for (size_t i = 0; i < v->n; i++) {
        if (!strcmp(v->v[i], key))
            return;
    }
    *MC_VEC_PUSH(*v) = mc_arena_strdup(&m->arena, key);
}

/* Runs the dataflow of one function; returns 1 if its summary changed. */
static int analyse(struct mc_model *m, int fn, int record)
{
    struct mc_fn *f = &m->fns.v[fn];
    const struct mc_func *d = f->def;
    struct flow fl;
    memset(&fl, 0, sizeof fl);
    fl.m = m;
    fl.fn = fn;
    fl.f = f;
    fl.ev = d->events;
    fl.record = record;
    fl.got = mc_xcalloc(d->nevents + 1, sizeof(uint64_t));
    for (unsigned i = 0; i < d->nevents; i++)
        f->ev_held[i] = f->ev_excl[i] = ALL_LOCKS;
    struct ls entry = {0, 0, 0, 1};
    struct ls end = run(&fl, 0, entry);
    if (end.live) {
        *MC_VEC_PUSH(fl.exits) = end;
        *MC_VEC_PUSH(fl.exit_locs) = d->end;
    }
    uint64_t all = ALL_LOCKS;
    for (size_t i = 0; i < fl.exits.n; i++)
        all &= fl.exits.v[i].held & fl.exits.v[i].may;
    if (!fl.exits.n)
        all = 0;
    size_t before = f->acquires.n + f->releases.n + f->takes.n;
    for (size_t id = 0; id < m->locks.n; id++) {
        uint64_t b = (uint64_t)1 << id;
        if (all & b)
            add_key(m, &f->acquires, m->locks.v[id]);
        if (fl.released & b)
            add_key(m, &f->releases, m->locks.v[id]);
    }
    for (size_t i = 0; i < fl.takes.n; i++) {
        size_t j = 0;
        while (j < f->takes.n && strcmp(f->takes.v[j].key, fl.takes.v[i].key))
            j++;
        if (j == f->takes.n)
            *MC_VEC_PUSH(f->takes) = fl.takes.v[i];
    }
    f->acquires_shared = (all & fl.shared_taken) != 0;
    for (size_t i = 0; record && i < fl.exits.n; i++) {
        uint64_t leak = fl.exits.v[i].may & ~all & ~fl.conditional;
        for (size_t id = 0; id < m->locks.n; id++) {
            if (!(leak & ((uint64_t)1 << id)))
                continue;
            struct mc_leak *l = MC_VEC_PUSH(m->leaks);
            l->fn = fn;
            l->lock = (int)id;
            l->at = fl.exit_locs.v[i];
            l->acquire = fl.acq_loc[id];
        }
    }
    MC_VEC_FREE(fl.takes);
    free(fl.got);
    MC_VEC_FREE(fl.jumps);
    MC_VEC_FREE(fl.labels);
    MC_VEC_FREE(fl.exits);
    MC_VEC_FREE(fl.exit_locs);
    return f->acquires.n + f->releases.n + f->takes.n != before;
}

static void entry_locksets(struct mc_model *m)
{
    for (size_t i = 0; i < m->fns.n; i++) {
        struct mc_fn *f = &m->fns.v[i];
        f->entry_held = f->entry_excl = f->in.n ? ALL_LOCKS : 0;
    }
    for (size_t r = 0; r < m->roots.n; r++)
        m->fns.v[m->roots.v[r].fn].entry_held =
            m->fns.v[m->roots.v[r].fn].entry_excl = 0;
    for (int changed = 1, round = 0; changed && round < 64; round++) {
        changed = 0;
        for (size_t i = 0; i < m->fns.n; i++) {
            struct mc_fn *f = &m->fns.v[i];
            uint64_t held = f->entry_held, excl = f->entry_excl;
            for (size_t k = 0; k < f->in.n; k++) {
                struct mc_fn *c = &m->fns.v[f->in.v[k].callee];
                int ev = f->in.v[k].ev;
                held &= c->entry_held | c->ev_held[ev];
                excl &= c->entry_excl | c->ev_excl[ev];
            }
            if (held != f->entry_held || excl != f->entry_excl) {
                f->entry_held = held;
                f->entry_excl = excl;
                changed = 1;
            }
        }
    }
}

void mc__model_locks(struct mc_model *m)
{
    for (size_t i = 0; i < m->fns.n; i++) {
        struct mc_fn *f = &m->fns.v[i];
        if (!f->def)
            continue;
        f->ev_held =
            mc_arena_alloc(&m->arena, (f->def->nevents + 1) * sizeof(uint64_t));
        f->ev_excl =
            mc_arena_alloc(&m->arena, (f->def->nevents + 1) * sizeof(uint64_t));
    }
    /* summaries to a fixpoint (callees before callers is not needed) */
    for (int round = 0; round < 8; round++) {
        int changed = 0;
        for (size_t i = 0; i < m->fns.n; i++) {
            if (m->fns.v[i].def)
                changed |= analyse(m, (int)i, 0);
        }
        if (!changed)
            break;
    }
    for (size_t i = 0; i < m->fns.n; i++) {
        if (m->fns.v[i].def)
            analyse(m, (int)i, 1);
    }
    entry_locksets(m);
}
