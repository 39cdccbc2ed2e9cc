/*
 * report.c — the one way findings are made (mc_report): it resolves the
 * phase, root and path of the site from the model, names the lockset, and
 * drops duplicates. Also the check registry loop.
 */
#include <stdlib.h>
#include <string.h>

#include "checks.h"

static const struct {
    const char *id, *severity;
    void (*run)(struct mc_check_ctx *);
} registry[] = {
#define MC_CHECK(ident, id, sev, summary) {id, sev, mc_check_##ident},
#include "check_list.h"
#undef MC_CHECK
};

const char *mc_check_severity(const char *id)
{
    if (!strcmp(id, "unused-suppression"))
        return "warning";
    for (size_t i = 0; i < MC_ARRAY_LEN(registry); i++) {
        if (!strcmp(registry[i].id, id))
            return registry[i].severity;
    }
    return NULL;
}

void mc_run_checks(struct mc_check_ctx *cx)
{
    for (size_t i = 0; i < MC_ARRAY_LEN(registry); i++)
        registry[i].run(cx);
}

void mc_findings_init(struct mc_findings *f)
{
    memset(f, 0, sizeof *f);
    mc_arena_init(&f->arena, 1 << 14);
}

void mc_findings_free(struct mc_findings *f)
{
    MC_VEC_FREE(f->v);
    mc_arena_destroy(&f->arena);
}

static int duplicate(const struct mc_findings *out, const char *check,
                     const struct mc_loc *loc, const char *symbol)
{
    for (size_t i = 0; i < out->v.n; i++) {
        const struct mc_finding *f = &out->v.v[i];
        if (f->loc.line == loc->line && !strcmp(f->check, check) &&
            !strcmp(f->symbol, symbol) && f->loc.file && loc->file &&
            !strcmp(f->loc.file, loc->file))
            return 1;
    }
    return 0;
}

static void fill_path(struct mc_check_ctx *cx, struct mc_finding *f,
                      const struct mc_site_ref *at, int ph)
{
    struct mc_model *m = cx->m;
    int ids[64];
    size_t n = 0;
    if (ph >= 0)
        n = mc_model_path(m, at->ctx_fn, (enum mc_phase)ph, ids, 63);
    if (at->fn != at->ctx_fn || n == 0)
        ids[n++] = at->fn;
    f->path = mc_arena_alloc(&cx->out->arena, n * sizeof(char *));
    for (size_t i = 0; i < n; i++) /* findings outlive the model */
        f->path[i] = mc_arena_strdup(&cx->out->arena, m->fns.v[ids[i]].name);
    f->npath = n;
    f->root = f->root_detail = "";
    int r = ph >= 0 ? m->fns.v[at->ctx_fn].root[ph] : -1;
    if (r >= 0) {
        f->root = mc_arena_strdup(&cx->out->arena, m->roots.v[r].kind);
        f->root_detail = mc_arena_strdup(&cx->out->arena, m->roots.v[r].detail);
    }
}

void mc_report(struct mc_check_ctx *cx, const char *check,
               const struct mc_site_ref *at, const char *symbol,
               const char *message, const char *fix)
{
    struct mc_model *m = cx->m;
    symbol = symbol ? symbol : "";
    if (duplicate(cx->out, check, &at->loc, symbol))
        return;
    struct mc_arena *a = &cx->out->arena;
    struct mc_finding *f = MC_VEC_PUSH(cx->out->v);
    f->check = check;
    f->severity = mc_check_severity(check);
    f->loc = at->loc;
    f->loc.file = mc_arena_strdup(a, at->loc.file ? at->loc.file : "");
    f->symbol = mc_arena_strdup(a, symbol);
    f->function = f->phase = f->root = f->root_detail = f->locks = "";
    if (at->fn >= 0) {
        unsigned phases = at->phases ? at->phases : m->fns.v[at->ctx_fn].phases;
        int ph = mc_model_pick_phase(phases);
        f->function = mc_arena_strdup(a, m->fns.v[at->fn].name);
        f->phase = ph >= 0 ? mc_phase_name((enum mc_phase)ph) : "none";
        fill_path(cx, f, at, ph);
        f->locks = mc_arena_strdup(a, mc_model_lockset(m, at->locks));
    } else {
        f->phase = "none";
    }
    f->message = mc_arena_strdup(a, message);
    f->fix = mc_arena_strdup(a, fix ? fix : "");
}

static int cmp_finding(const void *pa, const void *pb)
{
    const struct mc_finding *a = pa, *b = pb;
    int c =
        strcmp(a->loc.file ? a->loc.file : "", b->loc.file ? b->loc.file : "");
    if (c)
        return c;
    if (a->loc.line != b->loc.line)
        return a->loc.line < b->loc.line ? -1 : 1;
    if (a->loc.col != b->loc.col)
        return a->loc.col < b->loc.col ? -1 : 1;
    return strcmp(a->check, b->check);
}

void mc_findings_sort(struct mc_findings *f)
{
    if (f->v.n > 1)
        qsort(f->v.v, f->v.n, sizeof(*f->v.v), cmp_finding);
}
