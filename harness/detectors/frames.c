/*
 * frames.c — stack frames shared by every detector parser: frame objects,
 * which frames are the module's, the hook a thread was in, and the derived
 * members of a finding (docs/stress.md).
 */
#include "detector.h"

#include <stdlib.h>
#include <string.h>

json_t *mc_det_frame(const char *function, const char *file, long line,
                     const char *module)
{
    json_t *f = json_object();
    json_object_set_new(f, "function",
                        function ? json_string(function) : json_null());
    json_object_set_new(f, "file", file ? json_string(file) : json_null());
    json_object_set_new(f, "line", line > 0 ? json_integer(line) : json_null());
    json_object_set_new(f, "module",
                        module ? json_string(module) : json_null());
    return f;
}

json_t *mc_det_finding(const char *kind, const char *detector)
{
    json_t *f = json_object();
    json_object_set_new(f, "kind", json_string(kind));
    json_object_set_new(f, "detector", json_string(detector));
    json_object_set_new(f, "file", json_null());
    json_object_set_new(f, "line", json_null());
    json_object_set_new(f, "function", json_null());
    json_object_set_new(f, "symbol", json_null());
    json_object_set_new(f, "stacks", json_array());
    json_object_set_new(f, "in_module", json_false());
    return f;
}

static const char *base_name(const char *p)
{
    const char *s = strrchr(p, '/');
    return s ? s + 1 : p;
}

/* Same file when equal, or when one is a '/'-bounded suffix of the other
 * (debug info may hold relative paths). */
static int same_path(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la == lb)
        return !strcmp(a, b);
    if (la < lb) {
        const char *t = a;
        size_t tl = la;
        a = b, b = t;
        la = lb, lb = tl;
    }
    return !strcmp(a + la - lb, b) && a[la - lb - 1] == '/';
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int defined_by_module(const char *fn, const struct mc_det_ctx *ctx)
{
    return fn && ctx->nfunctions &&
           bsearch(&fn, ctx->functions, ctx->nfunctions, sizeof(char *),
                   cmp_str) != NULL;
}

static int in_sources(const char *file, const struct mc_det_ctx *ctx)
{
    for (size_t i = 0; file && i < ctx->nsources; ++i)
        if (same_path(file, ctx->sources[i]))
            return 1;
    return 0;
}

int mc_det_frame_in_module(const json_t *frame, const struct mc_det_ctx *ctx)
{
    const char *mod = json_string_value(json_object_get(frame, "module"));
    const char *file = json_string_value(json_object_get(frame, "file"));
    const char *fn = json_string_value(json_object_get(frame, "function"));
    if (in_sources(file, ctx))
        return 1;
    if (!mod && defined_by_module(fn, ctx))
        return 1;
    if (mod && ctx->module_so &&
        !strcmp(base_name(mod), base_name(ctx->module_so)))
        return 1;
    for (size_t i = 0; mod && i < ctx->nmoduleish; ++i)
        if (!strcmp(base_name(mod), ctx->moduleish[i]))
            return 1;
    return 0;
}

struct hook_name {
    const char *function;
    const char *hook;
};

static const struct hook_name hook_names[] = {
    {"ap_pass_brigade", "output filter"},
    {"ap_get_brigade", "input filter"},
    {"apr_pool_cleanup_run", "pool cleanup"},
    {"apr_pool_clear", "pool cleanup"},
    {"apr_pool_destroy", "pool cleanup"},
    {"ap_process_config_tree", "config"},
    {"ap_process_resource_config", "config"},
};

const char *mc_det_hook_of(const json_t *frames)
{
    size_t i;
    json_t *fr;
    json_array_foreach(frames, i, fr)
    {
        const char *fn = json_string_value(json_object_get(fr, "function"));
        if (!fn)
            continue;
        if (!strncmp(fn, "ap_run_", 7) && fn[7])
            return fn + 7;
        for (size_t k = 0; k < MC_ARRAY_LEN(hook_names); ++k)
            if (!strcmp(fn, hook_names[k].function))
                return hook_names[k].hook;
    }
    return NULL;
}

/* A module frame in the module's own code, not in a system header
 * inlined into it (memset from string_fortified.h). */
static int own_code(const json_t *fr, const struct mc_det_ctx *ctx)
{
    const char *file = json_string_value(json_object_get(fr, "file"));
    if (ctx->nsources)
        return in_sources(file, ctx);
    return file && strncmp(file, "/usr/include/", 13) != 0;
}

/* The innermost module frame of a stack (preferring the module's own
 * code), or NULL. */
static json_t *module_frame(const json_t *stack, const struct mc_det_ctx *ctx)
{
    size_t i;
    json_t *fr, *any = NULL;
    json_array_foreach(json_object_get(stack, "frames"), i, fr)
    {
        if (!mc_det_frame_in_module(fr, ctx))
            continue;
        if (own_code(fr, ctx))
            return fr;
        if (!any)
            any = fr;
    }
    return any;
}

static void set_location(json_t *finding, const json_t *fr)
{
    json_object_set(finding, "file", json_object_get(fr, "file"));
    json_object_set(finding, "line", json_object_get(fr, "line"));
    json_object_set(finding, "function", json_object_get(fr, "function"));
}

/* Source files of the module learnt from the finding itself: the files of
 * frames the module's own symbols or object name place in it. A prebuilt
 * module (no sources given) then also claims frames inlined from the same
 * file, which carry no object name. */
struct learnt {
    const char *files[16];
    size_t n;
};

static void learn_sources(const json_t *stacks, const struct mc_det_ctx *ctx,
                          struct learnt *l)
{
    size_t i, j;
    json_t *st, *fr;
    l->n = 0;
    json_array_foreach(stacks, i, st)
    {
        json_array_foreach(json_object_get(st, "frames"), j, fr)
        {
            const char *file = json_string_value(json_object_get(fr, "file"));
            if (!file || l->n == MC_ARRAY_LEN(l->files) ||
                !mc_det_frame_in_module(fr, ctx) || file[0] != '/' ||
                !strncmp(file, "/usr/", 5))
                continue;
            l->files[l->n++] = file;
        }
    }
}

static int learnt_frame(const json_t *fr, const struct learnt *l)
{
    const char *file = json_string_value(json_object_get(fr, "file"));
    for (size_t i = 0; file && i < l->n; ++i)
        if (!strcmp(file, l->files[i]))
            return 1;
    return 0;
}

/* The innermost module frame of a stack: a frame in the module's own
 * code first, else any module frame. */
static json_t *best_frame(const json_t *stack, const struct mc_det_ctx *ctx,
                          const struct learnt *l)
{
    size_t i;
    json_t *fr;
    json_array_foreach(json_object_get(stack, "frames"), i, fr)
    {
        if (learnt_frame(fr, l) && ctx->nsources == 0)
            return fr;
    }
    return module_frame(stack, ctx);
}

void mc_det_finish(json_t *finding, const struct mc_det_ctx *ctx)
{
    json_t *stacks = json_object_get(finding, "stacks");
    json_t *st, *located = NULL;
    struct learnt l;
    size_t i;
    learn_sources(stacks, ctx, &l);
    json_array_foreach(stacks, i, st)
    {
        json_t *frames = json_object_get(st, "frames");
        const char *hook = mc_det_hook_of(frames);
        json_t *mf = best_frame(st, ctx, &l);
        json_object_set_new(st, "hook", hook ? json_string(hook) : json_null());
        if (mf && !located)
            located = mf;
    }
    if (located) {
        set_location(finding, located);
        json_object_set_new(finding, "in_module", json_true());
    } else if (json_array_size(stacks)) {
        json_t *frames = json_object_get(json_array_get(stacks, 0), "frames");
        if (json_array_size(frames) &&
            json_is_null(json_object_get(finding, "function")))
            set_location(finding, json_array_get(frames, 0));
    }
}
