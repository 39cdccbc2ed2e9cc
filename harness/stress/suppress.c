/*
 * suppress.c — suppression files (suppress.h).
 */
#include "suppress.h"

#include "mc_common.h"
#include "mc_file.h"

#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *jstr(const json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

static int glob_hit(const char *pat, const char *s)
{
    return s && fnmatch(pat, s, 0) == 0;
}

static const char *base(const char *p)
{
    const char *s = p ? strrchr(p, '/') : NULL;
    return s ? s + 1 : p;
}

static int site_hit(const char *pat, const json_t *o)
{
    char site[1200];
    const char *f = base(jstr(o, "file"));
    if (glob_hit(pat, jstr(o, "function")) || glob_hit(pat, f))
        return 1;
    if (!f)
        return 0;
    snprintf(site, sizeof site, "%s:%lld", f,
             (long long)json_integer_value(json_object_get(o, "line")));
    return glob_hit(pat, site);
}

static int matches(const char *kind, const char *pat, const json_t *f)
{
    size_t i, j;
    json_t *st, *fr;
    if (strcmp(kind, "*") && strcmp(kind, jstr(f, "kind")))
        return 0;
    if (glob_hit(pat, jstr(f, "symbol")) || glob_hit(pat, jstr(f, "check")) ||
        site_hit(pat, f))
        return 1;
    json_array_foreach(json_object_get(f, "stacks"), i, st)
    {
        json_array_foreach(json_object_get(st, "frames"), j, fr)
        {
            if (site_hit(pat, fr))
                return 1;
        }
    }
    return 0;
}

/* "KIND:PATTERN REASON" into an entry object, or NULL with *why set. */
static json_t *parse_entry(char *line, const char *path, int lineno,
                           const char **why)
{
    char *colon = strchr(line, ':'), *sp, *reason;
    json_t *e;
    if (!colon) {
        *why = "expected KIND:PATTERN REASON";
        return NULL;
    }
    *colon = 0;
    sp = colon + 1 + strcspn(colon + 1, " \t");
    reason = sp + strspn(sp, " \t");
    if (!*reason) {
        *why = "every suppression needs a reason after the pattern";
        return NULL;
    }
    *sp = 0;
    e = json_object();
    json_object_set_new(e, "kind", json_string(line));
    json_object_set_new(e, "pattern", json_string(colon + 1));
    json_object_set_new(e, "reason", json_string(reason));
    json_object_set_new(e, "source", json_sprintf("%s:%d", path, lineno));
    json_object_set_new(e, "matched", json_integer(0));
    return e;
}

static json_t *load_entries(const char *path, json_t *errors)
{
    json_t *entries = json_array();
    char *text, *next = NULL;
    size_t len;
    int lineno = 0;
    if (mc_file_read(path, &text, &len) != MC_OK) {
        json_array_append_new(errors, json_sprintf("%s: cannot read", path));
        return entries;
    }
    for (char *l = text; l && *l; l = next) {
        const char *why = NULL;
        json_t *e;
        next = strchr(l, '\n');
        if (next)
            *next++ = 0;
        ++lineno;
        l += strspn(l, " \t");
        if (!*l || *l == '#')
            continue;
        e = parse_entry(l, path, lineno, &why);
        if (e)
            json_array_append_new(entries, e);
        else
            json_array_append_new(errors,
                                  json_sprintf("%s:%d: %s", path, lineno, why));
    }
    free(text);
    return entries;
}

void mc_stress_suppress_apply(const char *path, json_t *findings, json_t *kept,
                              json_t *suppressed, json_t *report)
{
    json_t *errors = json_array();
    json_t *entries = path ? load_entries(path, errors) : json_array();
    size_t i, j;
    json_t *f, *e;
    json_array_foreach(findings, i, f)
    {
        json_t *hit = NULL;
        json_array_foreach(entries, j, e)
        {
            if (matches(jstr(e, "kind"), jstr(e, "pattern"), f)) {
                hit = e;
                break;
            }
        }
        if (!hit) {
            json_array_append(kept, f);
            continue;
        }
        json_object_set_new(
            hit, "matched",
            json_integer(json_integer_value(json_object_get(hit, "matched")) +
                         1));
        json_object_set_new(f, "suppression",
                            json_pack("{s:O,s:O,s:O}", "pattern",
                                      json_object_get(hit, "pattern"), "reason",
                                      json_object_get(hit, "reason"), "source",
                                      json_object_get(hit, "source")));
        json_array_append(suppressed, f);
    }
    json_object_set_new(report, "suppressions", entries);
    if (json_array_size(errors))
        json_object_set_new(report, "suppression_errors", errors);
    else
        json_decref(errors);
}
