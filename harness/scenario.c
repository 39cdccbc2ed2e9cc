/*
 * scenario.c — parse scenario JSON (docs/scenario.md) into struct
 * mc_scenario. Everything lives in the scenario's arena except the compiled
 * regexes, which are listed for regfree.
 */
#include "scenario.h"

#include <ctype.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct pctx {
    struct mc_scenario *s;
    const char *name; /* file name for messages */
    char *err;
    size_t errlen;
};

MC_PRINTF(3, 4)
static mc_status perr(struct pctx *p, const char *field, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (field && *field)
        snprintf(p->err, p->errlen, "%s: %s: %s", p->name, field, msg);
    else
        snprintf(p->err, p->errlen, "%s: %s", p->name, msg);
    return MC_ERR_PARSE;
}

/* "field.key" into f (FIELD_MAX bytes), cut with "..." if too long. */
#define FIELD_MAX 300
static const char *join(char *f, const char *field, const char *key)
{
    int n = snprintf(f, FIELD_MAX, "%s%s%s", field, *field ? "." : "", key);
    if (n < 0 || n >= FIELD_MAX)
        memcpy(f + FIELD_MAX - 4, "...", 4);
    return f;
}

const char *mc_rel_kind_name(enum mc_rel_kind k)
{
    switch (k) {
        case MC_REL_DISTINCT:
            return "distinct";
        case MC_REL_EQUALS_COUNT:
            return "equals-count";
        case MC_REL_MAX_EQUALS_COUNT:
            return "max-equals-count";
    }
    return "?";
}

/* ---- templates ---- */

static int tpl_keyword(const char *p, enum mc_tpl_kind *kind, size_t *len)
{
    static const struct {
        const char *word;
        enum mc_tpl_kind kind;
    } words[] = {{"{token}", MC_TPL_TOKEN},
                 {"{seq}", MC_TPL_SEQ},
                 {"{conn}", MC_TPL_CONN}};
    for (size_t i = 0; i < MC_ARRAY_LEN(words); i++) {
        size_t n = strlen(words[i].word);
        if (!strncmp(p, words[i].word, n)) {
            *kind = words[i].kind;
            *len = n;
            return 1;
        }
    }
    return 0;
}

static void tpl_compile(struct mc_arena *a, const char *src, struct mc_tpl *t)
{
    size_t cap = 1;
    for (const char *p = src; *p; p++)
        cap += (*p == '{') * 2;
    t->src = mc_arena_strdup(a, src);
    t->parts = mc_arena_alloc(a, cap * sizeof *t->parts);
    t->nparts = 0;
    t->constant = 1;
    const char *lit = t->src;
    for (const char *p = t->src; *p; p++) {
        enum mc_tpl_kind kind;
        size_t n;
        if (*p != '{' || !tpl_keyword(p, &kind, &n))
            continue;
        if (p > lit)
            t->parts[t->nparts++] =
                (struct mc_tpl_part){MC_TPL_LIT, lit, (size_t)(p - lit)};
        t->parts[t->nparts++] = (struct mc_tpl_part){kind, NULL, 0};
        t->constant = 0;
        p += n - 1;
        lit = p + 1;
    }
    if (*lit)
        t->parts[t->nparts++] =
            (struct mc_tpl_part){MC_TPL_LIT, lit, strlen(lit)};
}

static void put_u64(struct mc_buf *out, uint64_t v)
{
    char tmp[24];
    size_t n = 0;
    do {
        tmp[sizeof tmp - 1 - n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    mc_buf_append(out, tmp + sizeof tmp - n, n);
}

void mc_tpl_render(const struct mc_tpl *t, const struct mc_tpl_vals *v,
                   struct mc_buf *out)
{
    for (size_t i = 0; i < t->nparts; i++) {
        const struct mc_tpl_part *p = &t->parts[i];
        switch (p->kind) {
            case MC_TPL_LIT:
                mc_buf_append(out, p->text, p->len);
                break;
            case MC_TPL_TOKEN:
                mc_buf_append(out, v->token, v->token_len);
                break;
            case MC_TPL_SEQ:
                put_u64(out, v->seq);
                break;
            case MC_TPL_CONN:
                put_u64(out, v->conn);
                break;
        }
    }
    mc_buf_reserve(out, 0); /* NUL-terminated even when empty */
}

/* ---- regexes ---- */

static regex_t *regex_new(struct pctx *p, const char *field,
                          const char *pattern, mc_status *st)
{
    struct mc_scenario *s = p->s;
    regex_t *re = mc_xmalloc(sizeof *re);
    int rc = regcomp(re, pattern, REG_EXTENDED);
    if (rc) {
        char msg[256];
        regerror(rc, re, msg, sizeof msg);
        free(re);
        *st = perr(p, field, "bad regular expression '%s': %s", pattern, msg);
        return NULL;
    }
    if (s->nregexes == s->capregexes) {
        s->capregexes = s->capregexes ? 2 * s->capregexes : 8;
        s->regexes =
            mc_xrealloc(s->regexes, s->capregexes * sizeof *s->regexes);
    }
    s->regexes[s->nregexes++] = re;
    *st = MC_OK;
    return re;
}

/* A templated pattern is compiled per response; validate it now with
 * sample values so that a bad pattern is a scenario error. */
static mc_status regex_validate_tpl(struct pctx *p, const char *field,
                                    const struct mc_tpl *t)
{
    struct mc_buf b = MC_BUF_INIT;
    struct mc_tpl_vals v = {"a0", 2, 0, 0};
    mc_tpl_render(t, &v, &b);
    regex_t re;
    int rc = regcomp(&re, b.data, REG_EXTENDED | REG_NOSUB);
    mc_status st = MC_OK;
    if (rc) {
        char msg[256];
        regerror(rc, &re, msg, sizeof msg);
        st = perr(p, field, "bad regular expression '%s': %s", t->src, msg);
    } else {
        regfree(&re);
    }
    mc_buf_free(&b);
    return st;
}

/* ---- JSON helpers ---- */

static int ignorable_key(const char *key)
{
    return key[0] == '_' || !strcmp(key, "comment");
}

static mc_status check_keys(struct pctx *p, const char *field, json_t *obj,
                            const char *const *allowed)
{
    const char *key;
    json_t *val;
    json_object_foreach(obj, key, val)
    {
        int ok = ignorable_key(key);
        for (size_t i = 0; !ok && allowed[i]; i++)
            ok = !strcmp(key, allowed[i]);
        if (!ok) {
            char f[FIELD_MAX];
            join(f, field, key);
            return perr(p, f, "unknown field");
        }
    }
    return MC_OK;
}

/* Optional string member: *out stays untouched when absent. */
static mc_status get_str(struct pctx *p, const char *field, json_t *obj,
                         const char *key, const char **out)
{
    json_t *v = json_object_get(obj, key);
    if (!v)
        return MC_OK;
    if (!json_is_string(v)) {
        char f[FIELD_MAX];
        join(f, field, key);
        return perr(p, f, "expected a string");
    }
    *out = mc_arena_strdup(&p->s->arena, json_string_value(v));
    return MC_OK;
}

static int has_ctl(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f)
            return 1;
    return 0;
}

/* ---- requests ---- */

/* Scans ERE text for what matters to the generic form: open groups,
 * bracket expressions, a pending backslash. */
struct ere_scan {
    unsigned groups;
    int in_bracket, bracket_first, escape;
};

static void ere_scan_text(struct ere_scan *st, const char *t, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char ch = t[i];
        if (st->in_bracket) {
            int first = st->bracket_first;
            st->bracket_first = first && ch == '^' ? 1 : 0;
            if (first && (ch == ']' || ch == '^'))
                continue;
            if (ch == '[' && i + 1 < n && strchr(":.=", t[i + 1])) {
                const char *end = NULL;
                char close[3] = {t[i + 1], ']', 0};
                end = strstr(t + i + 2, close);
                i = end ? (size_t)(end - t) + 1 : n;
                continue;
            }
            st->in_bracket = ch != ']';
            continue;
        }
        if (st->escape) {
            st->escape = 0;
            continue;
        }
        if (ch == '\\')
            st->escape = 1;
        else if (ch == '[')
            st->in_bracket = st->bracket_first = 1;
        else if (ch == '(')
            st->groups++;
    }
}

/* Builds the generic pattern; returns 0 when a template sits where a group
 * would change the meaning (in a bracket, after '\\', before a quantifier). */
static int generic_pattern(const struct mc_tpl *t, struct mc_buf *out,
                           struct mc_tpl_group *groups)
{
    struct ere_scan st = {0, 0, 0, 0};
    size_t g = 0;
    for (size_t i = 0; i < t->nparts; i++) {
        const struct mc_tpl_part *p = &t->parts[i];
        if (p->kind == MC_TPL_LIT) {
            ere_scan_text(&st, p->text, p->len);
            mc_buf_append(out, p->text, p->len);
            continue;
        }
        const struct mc_tpl_part *next = i + 1 < t->nparts ? p + 1 : NULL;
        if (st.in_bracket || st.escape ||
            (next && next->kind == MC_TPL_LIT && strchr("*+?{", next->text[0])))
            return 0;
        groups[g++] = (struct mc_tpl_group){p->kind, ++st.groups};
        mc_buf_puts(out, p->kind == MC_TPL_TOKEN ? "([a-z0-9]+)" : "([0-9]+)");
    }
    return 1;
}

static void regex_generic(struct pctx *p, struct mc_match *m)
{
    struct mc_buf b = MC_BUF_INIT;
    size_t n = 0;
    for (size_t i = 0; i < m->tpl.nparts; i++)
        n += m->tpl.parts[i].kind != MC_TPL_LIT;
    struct mc_tpl_group *groups =
        mc_arena_alloc(&p->s->arena, (n + 1) * sizeof *groups);
    mc_status st = MC_OK;
    if (generic_pattern(&m->tpl, &b, groups)) {
        regex_t *re = regex_new(p, "", b.data, &st);
        if (!st && re->re_nsub >= n) {
            m->generic = re;
            m->groups = groups;
            m->ngroups = n;
            m->nsub = re->re_nsub + 1;
        }
    }
    p->err[0] = '\0'; /* a failed generic form is not an error */
    mc_buf_free(&b);
}

static mc_status parse_match(struct pctx *p, const char *field, json_t *v,
                             struct mc_match *m, int allow_null)
{
    if (json_is_null(v) && allow_null) {
        m->kind = MC_MATCH_ABSENT;
        return MC_OK;
    }
    if (!json_is_string(v))
        return perr(p, field,
                    allow_null ? "expected a string or null"
                               : "expected a string");
    const char *s = json_string_value(v);
    int is_re = !strncmp(s, "re:", 3);
    m->kind = is_re ? MC_MATCH_REGEX : MC_MATCH_EQUAL;
    tpl_compile(&p->s->arena, is_re ? s + 3 : s, &m->tpl);
    if (!is_re)
        return MC_OK;
    if (!m->tpl.constant) {
        mc_status st = regex_validate_tpl(p, field, &m->tpl);
        if (!st)
            regex_generic(p, m);
        return st;
    }
    mc_status st;
    m->re = regex_new(p, field, m->tpl.src, &st);
    return st;
}

static mc_status parse_status(struct pctx *p, const char *field, json_t *v,
                              int *out)
{
    if (!json_is_integer(v))
        return perr(p, field, "expected a number");
    json_int_t n = json_integer_value(v);
    if (n < 100 || n > 599)
        return perr(p, field, "status %lld is not between 100 and 599",
                    (long long)n);
    *out = (int)n;
    return MC_OK;
}

static mc_status parse_expect_headers(struct pctx *p, const char *field,
                                      json_t *obj, struct mc_request *r)
{
    if (!json_is_object(obj))
        return perr(p, field, "expected an object");
    r->nexpect_headers = json_object_size(obj);
    r->expect_headers = mc_arena_alloc(
        &p->s->arena, (r->nexpect_headers + 1) * sizeof *r->expect_headers);
    size_t i = 0;
    const char *key;
    json_t *val;
    json_object_foreach(obj, key, val)
    {
        char f[FIELD_MAX];
        join(f, field, key);
        struct mc_header_expect *h = &r->expect_headers[i++];
        h->name = mc_arena_strdup(&p->s->arena, key);
        mc_status st = parse_match(p, f, val, &h->match, 1);
        if (st)
            return st;
    }
    return MC_OK;
}

static mc_status parse_expect(struct pctx *p, const char *field, json_t *obj,
                              struct mc_request *r)
{
    static const char *const keys[] = {"status", "headers", "body",
                                       "body_contains", NULL};
    if (!json_is_object(obj))
        return perr(p, field, "expected an object");
    mc_status st = check_keys(p, field, obj, keys);
    char f[FIELD_MAX];
    json_t *v;
    if (!st && (v = json_object_get(obj, "status"))) {
        join(f, field, "status");
        st = parse_status(p, f, v, &r->expect_status);
    }
    if (!st && (v = json_object_get(obj, "headers"))) {
        join(f, field, "headers");
        st = parse_expect_headers(p, f, v, r);
    }
    if (!st && (v = json_object_get(obj, "body"))) {
        join(f, field, "body");
        r->has_expect_body = 1;
        st = parse_match(p, f, v, &r->expect_body, 0);
    }
    if (!st && (v = json_object_get(obj, "body_contains"))) {
        join(f, field, "body_contains");
        if (!json_is_string(v))
            return perr(p, f, "expected a string");
        r->has_body_contains = 1;
        r->body_contains.kind = MC_MATCH_CONTAINS;
        tpl_compile(&p->s->arena, json_string_value(v), &r->body_contains.tpl);
    }
    return st;
}

static mc_status parse_captures(struct pctx *p, const char *field, json_t *obj,
                                struct mc_request *r)
{
    if (!json_is_object(obj))
        return perr(p, field, "expected an object");
    r->ncaptures = json_object_size(obj);
    r->captures =
        mc_arena_alloc(&p->s->arena, (r->ncaptures + 1) * sizeof *r->captures);
    size_t i = 0;
    const char *key;
    json_t *val;
    json_object_foreach(obj, key, val)
    {
        char f[FIELD_MAX];
        join(f, field, key);
        if (!json_is_string(val))
            return perr(p, f, "expected a string (a regex with one group)");
        struct mc_capture *c = &r->captures[i++];
        c->name = mc_arena_strdup(&p->s->arena, key);
        c->pattern = mc_arena_strdup(&p->s->arena, json_string_value(val));
        mc_status st;
        c->re = regex_new(p, f, c->pattern, &st);
        if (st)
            return st;
        if (c->re->re_nsub < 1)
            return perr(p, f, "regular expression '%s' has no group ( )",
                        c->pattern);
    }
    return MC_OK;
}

static mc_status parse_req_headers(struct pctx *p, const char *field,
                                   json_t *obj, struct mc_request *r)
{
    if (!json_is_object(obj))
        return perr(p, field, "expected an object");
    r->nheaders = json_object_size(obj);
    r->headers =
        mc_arena_alloc(&p->s->arena, (r->nheaders + 1) * sizeof *r->headers);
    size_t i = 0;
    const char *key;
    json_t *val;
    json_object_foreach(obj, key, val)
    {
        char f[FIELD_MAX];
        join(f, field, key);
        if (!json_is_string(val))
            return perr(p, f, "expected a string");
        if (!*key || strpbrk(key, " \t:") || has_ctl(key))
            return perr(p, f, "invalid header name");
        if (has_ctl(json_string_value(val)))
            return perr(p, f, "control character in header value");
        r->headers[i].name = mc_arena_strdup(&p->s->arena, key);
        tpl_compile(&p->s->arena, json_string_value(val), &r->headers[i].value);
        i++;
    }
    return MC_OK;
}

static mc_status parse_method_path(struct pctx *p, const char *field,
                                   json_t *obj, struct mc_request *r)
{
    char f[FIELD_MAX];
    const char *method = "GET", *path = "/";
    mc_status st = get_str(p, field, obj, "method", &method);
    if (!st)
        st = get_str(p, field, obj, "path", &path);
    if (st)
        return st;
    for (const char *c = method; *c; c++) {
        if (!isupper((unsigned char)*c) && *c != '-' && *c != '_') {
            join(f, field, "method");
            return perr(p, f, "invalid method '%s'", method);
        }
    }
    if (!*method) {
        join(f, field, "method");
        return perr(p, f, "empty method");
    }
    if ((path[0] != '/' && strcmp(path, "*")) || strpbrk(path, " \t") ||
        has_ctl(path)) {
        join(f, field, "path");
        return perr(p, f, "'%s' must start with '/' and contain no spaces",
                    path);
    }
    r->method = method;
    tpl_compile(&p->s->arena, path, &r->path);
    return MC_OK;
}

static mc_status parse_weight(struct pctx *p, const char *field, json_t *obj,
                              struct mc_request *r)
{
    json_t *v = json_object_get(obj, "weight");
    r->weight = 1;
    if (!v)
        return MC_OK;
    char f[FIELD_MAX];
    join(f, field, "weight");
    if (!json_is_integer(v) || json_integer_value(v) < 1 ||
        json_integer_value(v) > 1000000)
        return perr(p, f, "expected a positive integer (at most 1000000)");
    r->weight = (unsigned)json_integer_value(v);
    return MC_OK;
}

static mc_status parse_request(struct pctx *p, const char *field, json_t *obj,
                               struct mc_request *r)
{
    static const char *const keys[] = {"id",      "method",  "path",
                                       "headers", "body",    "weight",
                                       "expect",  "capture", NULL};
    if (!json_is_object(obj))
        return perr(p, field, "expected an object (a request)");
    mc_status st = check_keys(p, field, obj, keys);
    r->id = mc_arena_strdup(&p->s->arena, field);
    if (!st)
        st = get_str(p, field, obj, "id", &r->id);
    if (!st)
        st = parse_method_path(p, field, obj, r);
    if (!st)
        st = parse_weight(p, field, obj, r);
    const char *body = NULL;
    if (!st)
        st = get_str(p, field, obj, "body", &body);
    if (!st && body) {
        r->has_body = 1;
        tpl_compile(&p->s->arena, body, &r->body);
    }
    char f[FIELD_MAX];
    json_t *v;
    if (!st && (v = json_object_get(obj, "headers"))) {
        join(f, field, "headers");
        st = parse_req_headers(p, f, v, r);
    }
    if (!st && (v = json_object_get(obj, "expect"))) {
        join(f, field, "expect");
        st = parse_expect(p, f, v, r);
    }
    if (!st && (v = json_object_get(obj, "capture"))) {
        join(f, field, "capture");
        st = parse_captures(p, f, v, r);
    }
    r->needs_body = r->has_expect_body || r->has_body_contains || r->ncaptures;
    return st;
}

static mc_status parse_section(struct pctx *p, json_t *root, const char *name,
                               struct mc_request **out, size_t *n, int required)
{
    json_t *arr = json_object_get(root, name);
    if (!arr) {
        if (required)
            return perr(p, name, "missing (a non-empty array of requests)");
        return MC_OK;
    }
    if (!json_is_array(arr) || (required && json_array_size(arr) == 0))
        return perr(p, name,
                    required ? "expected a non-empty array of requests"
                             : "expected an array of requests");
    *n = json_array_size(arr);
    *out = mc_arena_alloc(&p->s->arena, (*n + 1) * sizeof **out);
    for (size_t i = 0; i < *n; i++) {
        char f[64];
        snprintf(f, sizeof f, "%s[%zu]", name, i);
        (*out)[i].section = name;
        (*out)[i].pos = (unsigned)i;
        mc_status st = parse_request(p, f, json_array_get(arr, i), &(*out)[i]);
        if (st)
            return st;
    }
    return MC_OK;
}

/* Builds s->all and rejects duplicate ids. */
static mc_status index_requests(struct pctx *p)
{
    struct mc_scenario *s = p->s;
    s->nall = s->nsetup + s->nload + s->nfinal;
    s->all = mc_arena_alloc(&s->arena, (s->nall + 1) * sizeof *s->all);
    size_t k = 0;
    for (size_t i = 0; i < s->nsetup; i++)
        s->all[k++] = &s->setup[i];
    for (size_t i = 0; i < s->nload; i++) {
        s->all[k++] = &s->load[i];
        s->total_weight += s->load[i].weight;
    }
    for (size_t i = 0; i < s->nfinal; i++)
        s->all[k++] = &s->final[i];
    for (size_t i = 0; i < s->nall; i++) {
        s->all[i]->index = (unsigned)i;
        for (size_t j = 0; j < i; j++) {
            if (strcmp(s->all[i]->id, s->all[j]->id))
                continue;
            char f[FIELD_MAX];
            snprintf(f, sizeof f, "%s[%u].id", s->all[i]->section,
                     s->all[i]->pos);
            return perr(p, f, "duplicate id '%s' (also %s[%u])", s->all[i]->id,
                        s->all[j]->section, s->all[j]->pos);
        }
    }
    return MC_OK;
}

/* ---- relations ---- */

static mc_status rel_request(struct pctx *p, const char *field, json_t *obj,
                             const char *key, const struct mc_request **out)
{
    char f[FIELD_MAX];
    join(f, field, key);
    json_t *v = json_object_get(obj, key);
    if (!v)
        return perr(p, f, "missing (a request id)");
    if (!json_is_string(v))
        return perr(p, f, "expected a string (a request id)");
    *out = mc_scenario_find(p->s, json_string_value(v));
    if (!*out)
        return perr(p, f, "no request has id '%s'", json_string_value(v));
    return MC_OK;
}

static mc_status rel_capture(struct pctx *p, const char *field, json_t *obj,
                             struct mc_relation *rel)
{
    char f[FIELD_MAX];
    join(f, field, "capture");
    json_t *v = json_object_get(obj, "capture");
    if (!v)
        return perr(p, f, "missing (a capture name)");
    if (!json_is_string(v))
        return perr(p, f, "expected a string (a capture name)");
    const char *name = json_string_value(v);
    for (size_t i = 0; i < rel->request->ncaptures; i++) {
        if (!strcmp(rel->request->captures[i].name, name)) {
            rel->capture = (unsigned)i;
            return MC_OK;
        }
    }
    return perr(p, f, "request '%s' has no capture '%s'", rel->request->id,
                name);
}

static mc_status rel_kind(struct pctx *p, const char *field, json_t *obj,
                          enum mc_rel_kind *kind)
{
    char f[FIELD_MAX];
    join(f, field, "kind");
    json_t *v = json_object_get(obj, "kind");
    if (!v)
        return perr(p, f, "missing");
    if (!json_is_string(v))
        return perr(p, f, "expected a string");
    const char *k = json_string_value(v);
    for (int i = MC_REL_DISTINCT; i <= MC_REL_MAX_EQUALS_COUNT; i++) {
        if (!strcmp(k, mc_rel_kind_name((enum mc_rel_kind)i))) {
            *kind = (enum mc_rel_kind)i;
            return MC_OK;
        }
    }
    return perr(p, f,
                "unknown relation '%s' (distinct, equals-count, "
                "max-equals-count)",
                k);
}

static mc_status parse_relation(struct pctx *p, const char *field, json_t *obj,
                                struct mc_relation *rel)
{
    static const char *const keys[] = {"kind", "request", "capture",
                                       "of",   "offset",  NULL};
    if (!json_is_object(obj))
        return perr(p, field, "expected an object (a relation)");
    mc_status st = check_keys(p, field, obj, keys);
    if (!st)
        st = rel_kind(p, field, obj, &rel->kind);
    if (!st)
        st = rel_request(p, field, obj, "request", &rel->request);
    if (!st)
        st = rel_capture(p, field, obj, rel);
    if (st)
        return st;
    char f[FIELD_MAX];
    json_t *of = json_object_get(obj, "of");
    if (rel->kind == MC_REL_EQUALS_COUNT) {
        st = rel_request(p, field, obj, "of", &rel->of);
    } else if (of) {
        join(f, field, "of");
        return perr(p, f, "only allowed with kind equals-count");
    }
    json_t *off = json_object_get(obj, "offset");
    if (!st && off) {
        join(f, field, "offset");
        if (rel->kind == MC_REL_DISTINCT)
            return perr(p, f, "not allowed with kind distinct");
        if (!json_is_integer(off))
            return perr(p, f, "expected an integer");
        rel->offset = json_integer_value(off);
    }
    return st;
}

static mc_status parse_relations(struct pctx *p, json_t *root)
{
    json_t *arr = json_object_get(root, "relations");
    if (!arr)
        return MC_OK;
    if (!json_is_array(arr))
        return perr(p, "relations", "expected an array of relations");
    struct mc_scenario *s = p->s;
    s->nrelations = json_array_size(arr);
    s->relations =
        mc_arena_alloc(&s->arena, (s->nrelations + 1) * sizeof *s->relations);
    for (size_t i = 0; i < s->nrelations; i++) {
        char f[64];
        snprintf(f, sizeof f, "relations[%zu]", i);
        mc_status st =
            parse_relation(p, f, json_array_get(arr, i), &s->relations[i]);
        if (st)
            return st;
    }
    return MC_OK;
}

/* ---- top level ---- */

static struct mc_scenario *scenario_new(const char *file)
{
    struct mc_scenario *s = mc_xcalloc(1, sizeof *s);
    mc_arena_init(&s->arena, 16 * 1024);
    s->file = mc_arena_strdup(&s->arena, file);
    s->name = "";
    s->description = "";
    return s;
}

static mc_status parse_root(struct pctx *p, json_t *root)
{
    static const char *const keys[] = {"name",  "description", "setup", "load",
                                       "final", "relations",   NULL};
    if (!json_is_object(root))
        return perr(p, NULL, "expected a JSON object at the top level");
    mc_status st = check_keys(p, "", root, keys);
    if (!st)
        st = get_str(p, "", root, "name", &p->s->name);
    if (!st)
        st = get_str(p, "", root, "description", &p->s->description);
    if (!st)
        st = parse_section(p, root, "setup", &p->s->setup, &p->s->nsetup, 0);
    if (!st)
        st = parse_section(p, root, "load", &p->s->load, &p->s->nload, 1);
    if (!st)
        st = parse_section(p, root, "final", &p->s->final, &p->s->nfinal, 0);
    if (!st)
        st = index_requests(p);
    if (!st)
        st = parse_relations(p, root);
    return st;
}

/* "dir/counter.json" -> "counter": the default scenario name. */
static const char *name_from_file(struct mc_arena *a, const char *file)
{
    const char *base = strrchr(file, '/');
    base = base ? base + 1 : file;
    const char *dot = strrchr(base, '.');
    size_t n = dot && dot != base ? (size_t)(dot - base) : strlen(base);
    return mc_arena_strndup(a, base, n);
}

static mc_status parse_json(json_t *root, const char *name,
                            struct mc_scenario **out, char *err, size_t errlen)
{
    struct pctx p = {scenario_new(name), name, err, errlen};
    mc_status st = parse_root(&p, root);
    if (st) {
        mc_scenario_free(p.s);
        return st;
    }
    if (!*p.s->name)
        p.s->name = name_from_file(&p.s->arena, name);
    *out = p.s;
    return MC_OK;
}

mc_status mc_scenario_parse(const char *text, const char *name,
                            struct mc_scenario **out, char *err, size_t errlen)
{
    json_error_t je;
    json_t *root = json_loads(text, JSON_REJECT_DUPLICATES, &je);
    if (!root) {
        snprintf(err, errlen, "%s:%d:%d: invalid JSON: %s", name, je.line,
                 je.column, je.text);
        return MC_ERR_PARSE;
    }
    mc_status st = parse_json(root, name, out, err, errlen);
    json_decref(root);
    return st;
}

mc_status mc_scenario_load(const char *path, struct mc_scenario **out,
                           char *err, size_t errlen)
{
    json_error_t je;
    json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
    if (!root) {
        if (je.line < 0 || je.position == 0)
            snprintf(err, errlen, "%s: cannot read scenario: %s", path,
                     je.text);
        else
            snprintf(err, errlen, "%s:%d:%d: invalid JSON: %s", path, je.line,
                     je.column, je.text);
        return je.line < 0 ? MC_ERR_IO : MC_ERR_PARSE;
    }
    mc_status st = parse_json(root, path, out, err, errlen);
    json_decref(root);
    return st;
}

struct mc_scenario *mc_scenario_default(const char *path_prefix)
{
    const char *pre = path_prefix && *path_prefix ? path_prefix : "/";
    struct mc_scenario *s = scenario_new("(default scenario)");
    s->name = "default";
    s->description = "GET with a unique query token, expecting 200";
    s->nload = 1;
    s->load = mc_arena_alloc(&s->arena, sizeof *s->load);
    struct mc_request *r = &s->load[0];
    r->id = "get";
    r->section = "load";
    r->method = "GET";
    char *path = mc_arena_printf(&s->arena, "%s%st={token}", pre,
                                 strchr(pre, '?') ? "&" : "?");
    tpl_compile(&s->arena, path, &r->path);
    r->weight = 1;
    r->expect_status = 200;
    s->total_weight = 1;
    s->nall = 1;
    s->all = mc_arena_alloc(&s->arena, sizeof *s->all);
    s->all[0] = r;
    return s;
}

void mc_scenario_free(struct mc_scenario *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->nregexes; i++) {
        regfree(s->regexes[i]);
        free(s->regexes[i]);
    }
    free(s->regexes);
    mc_arena_destroy(&s->arena);
    free(s);
}

const struct mc_request *mc_scenario_find(const struct mc_scenario *s,
                                          const char *id)
{
    for (size_t i = 0; i < s->nall; i++)
        if (!strcmp(s->all[i]->id, id))
            return s->all[i];
    return NULL;
}
