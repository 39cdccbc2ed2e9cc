/*
 * test_model.c — unit tests of the analyzer model on hand-built facts: no
 * libclang, no source files. Each test describes a tiny module the way the
 * front end would (functions with event trees, globals), builds the model
 * and runs the checks, then asserts on the findings.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/checks.h"
#include "model/knowledge.h"
#include "model/model.h"
#include "suppress.h"

/* ---- building facts by hand ---- */

#define MAX_EV 32

struct fb {
    struct mc_event ev[MAX_EV];
    int last[MAX_EV];
    unsigned n;
};

static int add(struct fb *b, int parent, enum mc_ev_kind kind, unsigned line)
{
    assert_true(b->n < MAX_EV);
    int i = (int)b->n++;
    memset(&b->ev[i], 0, sizeof b->ev[i]);
    b->ev[i].kind = kind;
    b->ev[i].loc.file = "mod.c";
    b->ev[i].loc.line = line;
    b->ev[i].loc.col = 5;
    b->ev[i].first = b->ev[i].next = -1;
    b->last[i] = -1;
    if (kind == MC_EV_IF)
        b->ev[i].u.cond.status_ev = -1;
    if (parent >= 0) {
        if (b->last[parent] < 0)
            b->ev[parent].first = i;
        else
            b->ev[b->last[parent]].next = i;
        b->last[parent] = i;
    }
    return i;
}

static struct mc_value val(enum mc_origin o, const char *name)
{
    struct mc_value v;
    memset(&v, 0, sizeof v);
    v.origin = o;
    v.name = name;
    v.usr = name;
    v.path = "";
    v.type = "";
    v.param = v.access = v.call_ev = -1;
    return v;
}

static int access_ev(struct fb *b, int parent, const char *g,
                     enum mc_access_kind kind, unsigned line)
{
    int e = add(b, parent, MC_EV_ACCESS, line);
    b->ev[e].u.access.target = val(MC_ORIG_GLOBAL, g);
    b->ev[e].u.access.kind = kind;
    return e;
}

/* A call with up to two arguments (NULL name: none). */
static int call_ev(struct fb *b, int parent, const char *callee,
                   struct mc_value *args, unsigned nargs, unsigned line)
{
    int e = add(b, parent, MC_EV_CALL, line);
    b->ev[e].u.call.callee_usr = callee;
    b->ev[e].u.call.callee_name = callee;
    b->ev[e].u.call.fnptr_type = "";
    b->ev[e].u.call.args = args;
    b->ev[e].u.call.nargs = nargs;
    return e;
}

struct module {
    struct mc_func funcs[8];
    struct mc_global globals[8];
    struct fb bodies[8];
    struct mc_value args[32][2];
    unsigned nfuncs, nglobals, nargs;
    struct mc_tu tu;
};

static struct fb *fn(struct module *mod, const char *name, unsigned line)
{
    struct mc_func *f = &mod->funcs[mod->nfuncs];
    struct fb *b = &mod->bodies[mod->nfuncs++];
    memset(f, 0, sizeof *f);
    f->usr = f->name = name;
    f->type = "int (void)";
    f->loc.file = f->end.file = "mod.c";
    f->loc.line = line;
    f->end.line = line + 20;
    b->n = 0;
    add(b, -1, MC_EV_SEQ, line);
    return b;
}

static void global(struct module *mod, const char *name, int is_const)
{
    struct mc_global *g = &mod->globals[mod->nglobals++];
    memset(g, 0, sizeof *g);
    g->usr = g->name = name;
    g->type = "int";
    g->loc.file = "mod.c";
    g->loc.line = 1;
    g->is_const = is_const != 0;
    g->is_defined = g->is_module_def = 1;
}

/* ap_hook_<hook>(fn) inside the body b */
static void hook(struct module *mod, struct fb *b, const char *hook_fn,
                 const char *target)
{
    struct mc_value *a = mod->args[mod->nargs++];
    a[0] = val(MC_ORIG_FUNC, target);
    call_ev(b, 0, hook_fn, a, 1, 90);
}

static void lock_call(struct module *mod, struct fb *b, int parent,
                      const char *op, const char *lock, unsigned line)
{
    struct mc_value *a = mod->args[mod->nargs++];
    a[0] = val(MC_ORIG_GLOBAL, lock);
    call_ev(b, parent, op, a, 1, line);
}

static void finish(struct module *mod)
{
    for (unsigned i = 0; i < mod->nfuncs; i++) {
        mod->funcs[i].events = mod->bodies[i].ev;
        mod->funcs[i].nevents = mod->bodies[i].n;
    }
    memset(&mod->tu, 0, sizeof mod->tu);
    mod->tu.file = "mod.c";
    mod->tu.ok = 1;
    mod->tu.diagnostics = "";
    mod->tu.funcs = mod->funcs;
    mod->tu.nfuncs = mod->nfuncs;
    mod->tu.globals = mod->globals;
    mod->tu.nglobals = mod->nglobals;
}

struct result {
    struct mc_kb kb;
    struct mc_model m;
    struct mc_findings f;
};

static void analyse(struct module *mod, struct result *r)
{
    char *err = NULL;
    finish(mod);
    assert_int_equal(mc_kb_load_builtin(&r->kb, &err), MC_OK);
    mc_model_build(&r->m, &r->kb, &mod->tu, 1);
    mc_findings_init(&r->f);
    struct mc_check_ctx cx = {&r->m, &r->f, 128 * 1024};
    mc_run_checks(&cx);
    mc_findings_sort(&r->f);
}

static void release(struct result *r)
{
    mc_findings_free(&r->f);
    mc_model_free(&r->m);
    mc_kb_free(&r->kb);
}

static size_t count(const struct result *r, const char *check)
{
    size_t n = 0;
    for (size_t i = 0; i < r->f.v.n; i++)
        n += !strcmp(r->f.v.v[i].check, check);
    return n;
}

static const struct mc_finding *find(const struct result *r, const char *check,
                                     unsigned line)
{
    for (size_t i = 0; i < r->f.v.n; i++) {
        if (!strcmp(r->f.v.v[i].check, check) && r->f.v.v[i].loc.line == line)
            return &r->f.v.v[i];
    }
    return NULL;
}

/* ---- knowledge ---- */

static void kb_builtin_has_the_tables(void **state)
{
    (void)state;
    struct mc_kb kb;
    char *err = NULL;
    assert_int_equal(mc_kb_load_builtin(&kb, &err), MC_OK);
    assert_non_null(mc_kb_unsafe(&kb, "strtok"));
    assert_non_null(strstr(mc_kb_unsafe(&kb, "strtok")->fix, "apr_strtok"));
    assert_null(mc_kb_unsafe(&kb, "strtok_r"));
    assert_int_equal(mc_kb_lock(&kb, "apr_thread_mutex_lock")->op,
                     MC_LOCK_EXCL);
    assert_int_equal(mc_kb_lock(&kb, "pthread_rwlock_rdlock")->op,
                     MC_LOCK_SHARED);
    assert_int_equal(mc_kb_hook_phase(&kb, "post_config"), MC_PH_CONFIG);
    assert_int_equal(mc_kb_hook_phase(&kb, "child_init"), MC_PH_CHILD_INIT);
    assert_int_equal(mc_kb_hook_phase(&kb, "no_such_hook"), MC_PH_REQUEST);
    assert_int_equal(mc_kb_effects(&kb, "apr_hash_set")->effect, MC_EFF_WRITE);
    assert_true(mc_kb_is_atomic(&kb, "apr_atomic_inc32"));
    mc_kb_free(&kb);
}

static void kb_bad_line_names_file_and_line(void **state)
{
    (void)state;
    struct mc_kb kb;
    char *err = NULL;
    mc_kb_init(&kb);
    assert_int_equal(
        mc_kb_parse(&kb, "locks.txt",
                    "# c\nm_lock | lock | 0\nm_unlock | grab | 0\n", &err),
        MC_ERR_PARSE);
    assert_non_null(strstr(err, "locks.txt:3"));
    free(err);
    assert_int_equal(mc_kb_parse(&kb, "nope.txt", "", &err), MC_ERR_PARSE);
    free(err);
    mc_kb_free(&kb);
}

/* ---- phases and global-race ---- */

static void handler_write_is_a_race_with_path(void **state)
{
    (void)state;
    struct module mod;
    memset(&mod, 0, sizeof mod);
    global(&mod, "hits", 0);
    struct fb *h = fn(&mod, "handler", 10);
    struct mc_value *a = mod.args[mod.nargs++];
    call_ev(h, 0, "count_hit", a, 0, 12);
    /* count_hit is a module function called by the handler */
    h->ev[1].u.call.callee_usr = "count_hit";
    struct fb *c = fn(&mod, "count_hit", 30);
    access_ev(c, 0, "hits", MC_ACC_WRITE, 31);
    struct fb *reg = fn(&mod, "register_hooks", 80);
    hook(&mod, reg, "ap_hook_handler", "handler");
    struct result r;
    analyse(&mod, &r);
    const struct mc_finding *f = find(&r, "global-race", 31);
    assert_non_null(f);
    assert_string_equal(f->symbol, "hits");
    assert_string_equal(f->phase, "request");
    assert_string_equal(f->root, "handler");
    assert_int_equal(f->npath, 2);
    assert_string_equal(f->path[0], "handler");
    assert_string_equal(f->path[1], "count_hit");
    assert_int_equal(r.f.v.n, 1);
    release(&r);
}

static void config_time_write_request_read_is_fine(void **state)
{
    (void)state;
    struct module mod;
    memset(&mod, 0, sizeof mod);
    global(&mod, "limit", 0);
    struct fb *pc = fn(&mod, "post_config", 10);
    access_ev(pc, 0, "limit", MC_ACC_WRITE, 11);
    struct fb *h = fn(&mod, "handler", 20);
    access_ev(h, 0, "limit", MC_ACC_READ, 21);
    struct fb *reg = fn(&mod, "register_hooks", 80);
    hook(&mod, reg, "ap_hook_post_config", "post_config");
    hook(&mod, reg, "ap_hook_handler", "handler");
    struct result r;
    analyse(&mod, &r);
    assert_int_equal(r.f.v.n, 0);
    assert_true(r.m.fns.v[0].phases & MC_PH_BIT(MC_PH_CONFIG));
    release(&r);
}

static void const_and_unreachable_are_fine(void **state)
{
    (void)state;
    struct module mod;
    memset(&mod, 0, sizeof mod);
    global(&mod, "table", 1);
    global(&mod, "n", 0);
    struct fb *h = fn(&mod, "handler", 20);
    access_ev(h, 0, "table", MC_ACC_WRITE, 21); /* const: not shared state */
    struct fb *u = fn(&mod, "never_called", 40);
    access_ev(u, 0, "n", MC_ACC_WRITE, 41);
    struct fb *reg = fn(&mod, "register_hooks", 80);
    hook(&mod, reg, "ap_hook_handler", "handler");
    struct result r;
    analyse(&mod, &r);
    assert_int_equal(r.f.v.n, 0);
    release(&r);
}

/* ---- locks ---- */

static void locked_access_is_fine_leak_is_reported(void **state)
{
    (void)state;
    struct module mod;
    memset(&mod, 0, sizeof mod);
    global(&mod, "count", 0);
    global(&mod, "mu", 0);
    struct fb *h = fn(&mod, "handler", 20);
    lock_call(&mod, h, 0, "apr_thread_mutex_lock", "mu", 21);
    int iff = add(h, 0, MC_EV_IF, 22);
    add(h, iff, MC_EV_SEQ, 22); /* condition */
    int then = add(h, iff, MC_EV_SEQ, 22);
    add(h, then, MC_EV_RETURN, 23);             /* leaks mu */
    access_ev(h, 0, "count", MC_ACC_WRITE, 24); /* locked */
    lock_call(&mod, h, 0, "apr_thread_mutex_unlock", "mu", 25);
    add(h, 0, MC_EV_RETURN, 26);
    struct fb *reg = fn(&mod, "register_hooks", 80);
    hook(&mod, reg, "ap_hook_handler", "handler");
    struct result r;
    analyse(&mod, &r);
    assert_int_equal(count(&r, "global-race"), 0);
    assert_int_equal(count(&r, "lock-leak"), 1);
    const struct mc_finding *f = find(&r, "lock-leak", 23);
    assert_non_null(f);
    assert_string_equal(f->symbol, "mu");
    release(&r);
}

static void failed_lock_branch_does_not_leak(void **state)
{
    (void)state;
    struct module mod;
    memset(&mod, 0, sizeof mod);
    global(&mod, "mu", 0);
    struct fb *h = fn(&mod, "handler", 20);
    int iff = add(h, 0, MC_EV_IF, 21);
    int cond = add(h, iff, MC_EV_SEQ, 21);
    lock_call(&mod, h, cond, "apr_thread_mutex_lock", "mu", 21);
    h->ev[iff].u.cond.sense = -1; /* if (lock(mu) != APR_SUCCESS) */
    int then = add(h, iff, MC_EV_SEQ, 21);
    add(h, then, MC_EV_RETURN, 22);
    lock_call(&mod, h, 0, "apr_thread_mutex_unlock", "mu", 23);
    add(h, 0, MC_EV_RETURN, 24);
    struct fb *reg = fn(&mod, "register_hooks", 80);
    hook(&mod, reg, "ap_hook_handler", "handler");
    struct result r;
    analyse(&mod, &r);
    assert_int_equal(count(&r, "lock-leak"), 0);
    release(&r);
}

static void wrapper_lock_protects_and_caller_lockset_flows(void **state)
{
    (void)state;
    struct module mod;
    memset(&mod, 0, sizeof mod);
    global(&mod, "count", 0);
    global(&mod, "mu", 0);
    struct fb *lk = fn(&mod, "lock_all", 10); /* returns holding mu */
    lock_call(&mod, lk, 0, "apr_thread_mutex_lock", "mu", 11);
    struct fb *ul = fn(&mod, "unlock_all", 14);
    lock_call(&mod, ul, 0, "apr_thread_mutex_unlock", "mu", 15);
    struct fb *helper = fn(&mod, "bump", 30);
    access_ev(helper, 0, "count", MC_ACC_WRITE, 31);
    struct fb *h = fn(&mod, "handler", 40);
    call_ev(h, 0, "lock_all", NULL, 0, 41);
    call_ev(h, 0, "bump", NULL, 0, 42);
    call_ev(h, 0, "unlock_all", NULL, 0, 43);
    struct fb *reg = fn(&mod, "register_hooks", 80);
    hook(&mod, reg, "ap_hook_handler", "handler");
    struct result r;
    analyse(&mod, &r);
    assert_int_equal(r.f.v.n, 0);
    release(&r);
}

static void opposite_orders_are_reported_twice(void **state)
{
    (void)state;
    struct module mod;
    memset(&mod, 0, sizeof mod);
    global(&mod, "a", 0);
    global(&mod, "b", 0);
    struct fb *h = fn(&mod, "handler", 10);
    lock_call(&mod, h, 0, "apr_thread_mutex_lock", "a", 11);
    lock_call(&mod, h, 0, "apr_thread_mutex_lock", "b", 12);
    lock_call(&mod, h, 0, "apr_thread_mutex_unlock", "b", 13);
    lock_call(&mod, h, 0, "apr_thread_mutex_unlock", "a", 14);
    struct fb *l = fn(&mod, "logger", 20);
    lock_call(&mod, l, 0, "pthread_mutex_lock", "b", 21);
    lock_call(&mod, l, 0, "pthread_mutex_lock", "a", 22);
    lock_call(&mod, l, 0, "pthread_mutex_unlock", "a", 23);
    lock_call(&mod, l, 0, "pthread_mutex_unlock", "b", 24);
    struct fb *reg = fn(&mod, "register_hooks", 80);
    hook(&mod, reg, "ap_hook_handler", "handler");
    hook(&mod, reg, "ap_hook_log_transaction", "logger");
    struct result r;
    analyse(&mod, &r);
    assert_int_equal(count(&r, "lock-order"), 2);
    assert_non_null(find(&r, "lock-order", 12));
    assert_non_null(find(&r, "lock-order", 22));
    release(&r);
}

/* ---- calls ---- */

static void unsafe_call_only_at_request_time(void **state)
{
    (void)state;
    struct module mod;
    memset(&mod, 0, sizeof mod);
    struct fb *pc = fn(&mod, "post_config", 10);
    call_ev(pc, 0, "strtok", NULL, 0, 11);
    struct fb *h = fn(&mod, "handler", 20);
    call_ev(h, 0, "gmtime", NULL, 0, 21);
    call_ev(h, 0, "gmtime_r", NULL, 0, 22);
    struct fb *reg = fn(&mod, "register_hooks", 80);
    hook(&mod, reg, "ap_hook_post_config", "post_config");
    hook(&mod, reg, "ap_hook_handler", "handler");
    struct result r;
    analyse(&mod, &r);
    assert_int_equal(r.f.v.n, 1);
    const struct mc_finding *f = find(&r, "mt-unsafe-call", 21);
    assert_non_null(f);
    assert_string_equal(f->symbol, "gmtime");
    assert_non_null(strstr(f->fix, "apr_time_exp_gmt"));
    release(&r);
}

static void library_write_to_global_container(void **state)
{
    (void)state;
    struct module mod;
    memset(&mod, 0, sizeof mod);
    global(&mod, "cache", 0);
    struct fb *h = fn(&mod, "handler", 20);
    struct mc_value *a = mod.args[mod.nargs++];
    a[0] = val(MC_ORIG_GLOBAL, "cache");
    a[0].access = access_ev(h, 0, "cache", MC_ACC_READ, 21);
    call_ev(h, 0, "apr_hash_set", a, 1, 21);
    struct fb *reg = fn(&mod, "register_hooks", 80);
    hook(&mod, reg, "ap_hook_handler", "handler");
    struct result r;
    analyse(&mod, &r);
    const struct mc_finding *f = find(&r, "global-race", 21);
    assert_non_null(f);
    assert_non_null(strstr(f->message, "write"));
    release(&r);
}

/* ---- suppressions ---- */

static void suppressions_parse_apply_and_report_unused(void **state)
{
    (void)state;
    struct module mod;
    memset(&mod, 0, sizeof mod);
    global(&mod, "hits", 0);
    struct fb *h = fn(&mod, "handler", 10);
    access_ev(h, 0, "hits", MC_ACC_WRITE, 3);
    struct fb *reg = fn(&mod, "register_hooks", 80);
    hook(&mod, reg, "ap_hook_handler", "handler");
    struct result r;
    analyse(&mod, &r);
    const char *text = "x\n"
                       "/* modcert: ignore global-race: approximate */\n"
                       "hits++;\n"
                       "// modcert: ignore mt-unsafe-call: nothing here\n"
                       "/* modcert: ignore global-race */\n"
                       "const char *s = \"modcert: ignore x\";\n";
    struct mc_suppressions sup = {{NULL, 0, 0}};
    struct mc_buf errors = MC_BUF_INIT;
    int bad = mc_suppress_scan(&sup, &r.f.arena, "mod.c", text, &errors);
    assert_int_equal(bad, 1); /* line 5: no reason */
    assert_non_null(strstr(errors.data, "mod.c:5:"));
    assert_int_equal(sup.v.n, 2);
    struct mc_check_ctx cx = {&r.m, &r.f, 128 * 1024};
    mc_suppress_apply(&sup, &cx);
    const struct mc_finding *f = find(&r, "global-race", 3);
    assert_non_null(f);
    assert_string_equal(f->suppressed, "approximate");
    const struct mc_finding *u = find(&r, "unused-suppression", 4);
    assert_non_null(u);
    assert_string_equal(u->symbol, "mt-unsafe-call");
    mc_suppress_free(&sup);
    mc_buf_free(&errors);
    release(&r);
}

static void strmap_grows_and_replaces(void **state)
{
    (void)state;
    struct mc_strmap m = {0};
    char keys[300][8];
    for (int i = 0; i < 300; i++) {
        snprintf(keys[i], sizeof keys[i], "k%d", i);
        mc_strmap_put(&m, keys[i], (void *)(intptr_t)(i + 1));
    }
    for (int i = 0; i < 300; i++)
        assert_int_equal((intptr_t)mc_strmap_get(&m, keys[i]), i + 1);
    mc_strmap_put(&m, keys[7], (void *)(intptr_t)1000);
    assert_int_equal((intptr_t)mc_strmap_get(&m, "k7"), 1000);
    assert_null(mc_strmap_get(&m, "nope"));
    assert_int_equal(m.len, 300);
    mc_strmap_free(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(kb_builtin_has_the_tables),
        cmocka_unit_test(kb_bad_line_names_file_and_line),
        cmocka_unit_test(handler_write_is_a_race_with_path),
        cmocka_unit_test(config_time_write_request_read_is_fine),
        cmocka_unit_test(const_and_unreachable_are_fine),
        cmocka_unit_test(locked_access_is_fine_leak_is_reported),
        cmocka_unit_test(failed_lock_branch_does_not_leak),
        cmocka_unit_test(wrapper_lock_protects_and_caller_lockset_flows),
        cmocka_unit_test(opposite_orders_are_reported_twice),
        cmocka_unit_test(unsafe_call_only_at_request_time),
        cmocka_unit_test(library_write_to_global_container),
        cmocka_unit_test(suppressions_parse_apply_and_report_unused),
        cmocka_unit_test(strmap_grows_and_replaces),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
