/*
 * correlate.c — links static and binary findings to dynamic evidence.
 *
 * The rule (docs/report.md, "Correlation"): a dynamic finding inside the
 * module is run-time evidence, so it is itself `confirmed`. A static or
 * binary finding is `confirmed` when some in-module dynamic finding
 *   - for global-race, mt-unsafe-call, config-mutation, shared-pool-alloc,
 *     static-buffer-return: is a race, failed check or crash that touches
 *     the same file+line (its own location or any frame of its stacks) or
 *     names the same global symbol;
 *   - for large-stack-frame: is a crash in the same function;
 *   - for lock-leak, lock-order: is a deadlock with a frame in the same
 *     function or at the same file+line;
 *   - for binary-writable-global: names the same symbol;
 *   - for binary-mt-unsafe-import: names the same symbol or has a frame in
 *     that function.
 * Static and binary findings on the same symbol are "related" (the binary
 * lens corroborates the source lens, but that is not run-time evidence).
 */
#include "internal.h"

#include <string.h>

typedef int (*frame_fn)(const json_t *frame, const json_t *target);

static const json_t *stack_frames(const json_t *stack)
{
    if (json_is_array(stack))
        return stack;
    return json_object_get(stack, "frames");
}

static const char *frame_function(const json_t *fr)
{
    const char *fn = mc__str(fr, "function", NULL);
    return fn ? fn : mc__str(fr, "func", "");
}

/* Does any frame of any stack of dynamic finding d satisfy fn? */
static int any_frame(const json_t *d, frame_fn fn, const json_t *target)
{
    size_t i, j;
    json_t *st, *fr;
    json_array_foreach(json_object_get(d, "stacks"), i, st)
    {
        json_array_foreach(stack_frames(st), j, fr)
        {
            if (fn(fr, target))
                return 1;
        }
    }
    return 0;
}

static int at_site(const json_t *loc, const json_t *s)
{
    long long line = mc__int(s, "line", 0);
    return line > 0 && mc__int(loc, "line", -1) == line &&
           mc__same_file(mc__str(loc, "file", ""), mc__str(s, "file", ""));
}

static int in_function(const json_t *fr, const json_t *s)
{
    const char *fn = mc__str(s, "function", "");
    return *fn && !strcmp(frame_function(fr), fn);
}

static int in_symbol_function(const json_t *fr, const json_t *s)
{
    const char *sym = mc__str(s, "symbol", "");
    return *sym && !strcmp(frame_function(fr), sym);
}

static int same_site(const json_t *s, const json_t *d)
{
    return at_site(d, s) || any_frame(d, at_site, s);
}

static int same_symbol(const json_t *a, const json_t *b)
{
    const char *x = mc__str(a, "symbol", ""), *y = mc__str(b, "symbol", "");
    return *x && !strcmp(x, y);
}

static int same_function(const json_t *s, const json_t *d)
{
    const char *fn = mc__str(s, "function", "");
    return (*fn && !strcmp(mc__str(d, "function", ""), fn)) ||
           any_frame(d, in_function, s);
}

static int kind_is(const json_t *d, const char *k1, const char *k2,
                   const char *k3)
{
    const char *k = mc__str(d, "kind", "");
    return !strcmp(k, k1) || (k2 && !strcmp(k, k2)) || (k3 && !strcmp(k, k3));
}

static int access_check(const char *c)
{
    static const char *const ids[] = {"global-race", "mt-unsafe-call",
                                      "config-mutation", "shared-pool-alloc",
                                      "static-buffer-return"};
    for (size_t i = 0; i < MC_ARRAY_LEN(ids); i++) {
        if (!strcmp(c, ids[i]))
            return 1;
    }
    return 0;
}

/* Is static/binary finding f confirmed by dynamic finding d? */
static int confirms(const json_t *f, const json_t *d)
{
    const char *c = mc__str(f, "check", "");
    if (access_check(c))
        return kind_is(d, "race", "failed-check", "crash") &&
               (same_site(f, d) || same_symbol(f, d));
    if (!strcmp(c, "large-stack-frame"))
        return kind_is(d, "crash", NULL, NULL) && same_function(f, d);
    if (!strcmp(c, "lock-leak") || !strcmp(c, "lock-order"))
        return kind_is(d, "deadlock", NULL, NULL) &&
               (same_function(f, d) || same_site(f, d));
    if (!strcmp(c, "binary-writable-global"))
        return same_symbol(f, d);
    if (!strcmp(c, "binary-mt-unsafe-import"))
        return same_symbol(f, d) || any_frame(d, in_symbol_function, f);
    return 0;
}

static void link(json_t *from, const char *key, const json_t *to)
{
    json_t *arr = json_object_get(from, key);
    if (!arr) {
        arr = json_array();
        json_object_set_new(from, key, arr);
    }
    json_array_append_new(arr, json_string(mc__str(to, "id", "")));
}

static int is_lens(const json_t *f, const char *lens)
{
    return !strcmp(mc__str(f, "lens", ""), lens);
}

void mc__correlate(json_t *findings)
{
    size_t i, j;
    json_t *f, *d;
    json_array_foreach(findings, i, d)
    {
        if (is_lens(d, "dynamic")) {
            json_object_set_new(d, "confirmed",
                                json_boolean(mc__bool(d, "in_module", 1)));
            json_object_set_new(d, "confirms", json_array());
        }
    }
    json_array_foreach(findings, i, f)
    {
        if (is_lens(f, "dynamic"))
            continue;
        json_array_foreach(findings, j, d)
        {
            if (is_lens(d, "dynamic") && mc__bool(d, "in_module", 1) &&
                confirms(f, d)) {
                json_object_set_new(f, "confirmed", json_true());
                link(f, "confirmed_by", d);
                link(d, "confirms", f);
            } else if (is_lens(f, "static") && is_lens(d, "binary") &&
                       same_symbol(f, d)) {
                link(f, "related", d);
                link(d, "related", f);
            }
        }
    }
}
