/*
 * check.c — per-response checks (status, headers, body, captures) and the
 * relations evaluated across all responses after a run.
 */
#include "scenario.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void mc_escape_text(const char *s, size_t n, char *out, size_t outlen)
{
    size_t o = 0, limit = outlen > 4 ? outlen - 4 : 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        char tmp[8];
        size_t k;
        if (c == '\n')
            k = (size_t)snprintf(tmp, sizeof tmp, "\\n");
        else if (c == '\r')
            k = (size_t)snprintf(tmp, sizeof tmp, "\\r");
        else if (c == '\t')
            k = (size_t)snprintf(tmp, sizeof tmp, "\\t");
        else if (c == '\\')
            k = (size_t)snprintf(tmp, sizeof tmp, "\\\\");
        else if (c < 0x20 || c >= 0x7f)
            k = (size_t)snprintf(tmp, sizeof tmp, "\\x%02x", c);
        else
            k = (size_t)snprintf(tmp, sizeof tmp, "%c", c);
        if (o + k > limit) {
            if (outlen >= 4)
                memcpy(out + o, "...", 3), o += 3;
            break;
        }
        memcpy(out + o, tmp, k);
        o += k;
    }
    if (outlen)
        out[o < outlen ? o : outlen - 1] = '\0';
}

static int fail_set(struct mc_check_fail *f, const char *check, const char *exp,
                    size_t explen, const char *got, size_t gotlen)
{
    size_t n = strnlen(check, sizeof f->check - 1);
    memcpy(f->check, check, n);
    f->check[n] = '\0';
    mc_escape_text(exp, explen, f->expected, sizeof f->expected);
    mc_escape_text(got, gotlen, f->got, sizeof f->got);
    return 0;
}

/* Does the generic match's group g hold the value its template renders? */
static int group_holds(const struct mc_tpl_group *g, const regmatch_t *m,
                       const char *subject, const struct mc_tpl_vals *v)
{
    const regmatch_t *gm = &m[g->group];
    if (gm->rm_so < 0)
        return 0;
    const char *text = subject + gm->rm_so;
    size_t len = (size_t)(gm->rm_eo - gm->rm_so);
    if (g->kind == MC_TPL_TOKEN)
        return len == v->token_len && !memcmp(text, v->token, len);
    char num[24];
    int n = snprintf(num, sizeof num, "%llu",
                     g->kind == MC_TPL_SEQ ? (unsigned long long)v->seq
                                           : (unsigned long long)v->conn);
    return len == (size_t)n && !memcmp(text, num, len);
}

/* 1 match, 0 no match, -1 undecided (the rendered pattern must decide). */
static int generic_search(const struct mc_match *m, const struct mc_tpl_vals *v,
                          const char *subject)
{
    regmatch_t mt[32];
    if (!m->generic || m->nsub > MC_ARRAY_LEN(mt))
        return -1;
    if (regexec(m->generic, subject, m->nsub, mt, 0))
        return 0;
    for (size_t i = 0; i < m->ngroups; i++)
        if (!group_holds(&m->groups[i], mt, subject, v))
            return -1;
    return 1;
}

/* Regex search of a NUL-terminated subject; a templated pattern is rendered
 * and compiled for this response (the values differ per request) unless its
 * generic form decides. */
static int regex_search(const struct mc_match *m, const struct mc_tpl_vals *v,
                        const char *subject, struct mc_buf *scratch)
{
    if (m->re)
        return regexec(m->re, subject, 0, NULL, 0) == 0;
    int g = generic_search(m, v, subject);
    if (g >= 0)
        return g;
    mc_buf_reset(scratch);
    mc_tpl_render(&m->tpl, v, scratch);
    regex_t re;
    if (regcomp(&re, scratch->data, REG_EXTENDED | REG_NOSUB))
        return 0; /* validated at parse time; cannot happen */
    int ok = regexec(&re, subject, 0, NULL, 0) == 0;
    regfree(&re);
    return ok;
}

/* Does value (len n, NUL-terminated or copied to be) satisfy m? */
static int match_value(const struct mc_match *m, const struct mc_tpl_vals *v,
                       const char *value, size_t n, struct mc_buf *scratch)
{
    switch (m->kind) {
        case MC_MATCH_ABSENT:
            return 0;
        case MC_MATCH_REGEX:
            return regex_search(m, v, value, scratch);
        case MC_MATCH_EQUAL:
        case MC_MATCH_CONTAINS:
            break;
    }
    const char *want = m->tpl.src;
    size_t wlen = strlen(want);
    if (!m->tpl.constant) {
        mc_buf_reset(scratch);
        mc_tpl_render(&m->tpl, v, scratch);
        want = scratch->data;
        wlen = scratch->len;
    }
    if (m->kind == MC_MATCH_EQUAL)
        return n == wlen && !memcmp(value, want, n);
    return memmem(value, n, want, wlen) != NULL;
}

/* The expected value as text for a failure message. */
static void expected_text(const struct mc_match *m, const struct mc_tpl_vals *v,
                          struct mc_buf *out)
{
    mc_buf_reset(out);
    if (m->kind == MC_MATCH_ABSENT) {
        mc_buf_puts(out, "(absent)");
        return;
    }
    if (m->kind == MC_MATCH_REGEX)
        mc_buf_puts(out, "re:");
    mc_tpl_render(&m->tpl, v, out);
}

static const struct mc_header_view *
find_header(const struct mc_response_view *r, const char *name)
{
    size_t n = strlen(name);
    for (size_t i = 0; i < r->nheaders; i++)
        if (r->headers[i].name_len == n &&
            !strncasecmp(r->headers[i].name, name, n))
            return &r->headers[i];
    return NULL;
}

static int check_header(const struct mc_header_expect *he,
                        const struct mc_tpl_vals *v,
                        const struct mc_response_view *r,
                        struct mc_buf *scratch, struct mc_check_fail *fail)
{
    const struct mc_header_view *h = find_header(r, he->name);
    char check[64];
    snprintf(check, sizeof check, "header %s", he->name);
    if (he->match.kind == MC_MATCH_ABSENT) {
        if (!h)
            return 1;
        return fail_set(fail, check, "(absent)", 8, h->value, h->value_len);
    }
    int ok = 0;
    if (h) {
        /* header values are not NUL-terminated in the response buffer */
        char small[256];
        char *val =
            h->value_len < sizeof small ? small : mc_xmalloc(h->value_len + 1);
        memcpy(val, h->value, h->value_len);
        val[h->value_len] = '\0';
        ok = match_value(&he->match, v, val, h->value_len, scratch);
        if (val != small)
            free(val);
    }
    if (ok)
        return 1;
    expected_text(&he->match, v, scratch);
    if (!h)
        return fail_set(fail, check, scratch->data, scratch->len, "(absent)",
                        8);
    return fail_set(fail, check, scratch->data, scratch->len, h->value,
                    h->value_len);
}

static int check_captures(const struct mc_request *req,
                          const struct mc_response_view *r,
                          struct mc_span *caps, struct mc_check_fail *fail)
{
    for (size_t i = 0; i < req->ncaptures; i++) {
        const struct mc_capture *c = &req->captures[i];
        regmatch_t m[2];
        if (regexec(c->re, r->body, 2, m, 0) || m[1].rm_so < 0) {
            char check[80];
            snprintf(check, sizeof check, "capture %s", c->name);
            char exp[MC_CHECK_TEXT];
            snprintf(exp, sizeof exp, "re:%s", c->pattern);
            return fail_set(fail, check, exp, strlen(exp), r->body,
                            r->body_len);
        }
        caps[i].off = (size_t)m[1].rm_so;
        caps[i].len = (size_t)(m[1].rm_eo - m[1].rm_so);
    }
    return 1;
}

static int check_body(const struct mc_request *req, const struct mc_tpl_vals *v,
                      const struct mc_response_view *r, struct mc_buf *scratch,
                      struct mc_check_fail *fail)
{
    if (req->has_expect_body &&
        !match_value(&req->expect_body, v, r->body, r->body_len, scratch)) {
        expected_text(&req->expect_body, v, scratch);
        return fail_set(fail, "body", scratch->data, scratch->len, r->body,
                        r->body_len);
    }
    if (req->has_body_contains &&
        !match_value(&req->body_contains, v, r->body, r->body_len, scratch)) {
        expected_text(&req->body_contains, v, scratch);
        return fail_set(fail, "body_contains", scratch->data, scratch->len,
                        r->body, r->body_len);
    }
    return 1;
}

int mc_check_response(const struct mc_request *req,
                      const struct mc_tpl_vals *vals,
                      const struct mc_response_view *resp,
                      struct mc_buf *scratch, struct mc_span *caps,
                      struct mc_check_fail *fail)
{
    if (req->expect_status && resp->status != req->expect_status) {
        char exp[16], got[16];
        snprintf(exp, sizeof exp, "%d", req->expect_status);
        snprintf(got, sizeof got, "%d", resp->status);
        return fail_set(fail, "status", exp, strlen(exp), got, strlen(got));
    }
    for (size_t i = 0; i < req->nexpect_headers; i++)
        if (!check_header(&req->expect_headers[i], vals, resp, scratch, fail))
            return 0;
    if (!check_body(req, vals, resp, scratch, fail))
        return 0;
    return check_captures(req, resp, caps, fail);
}

/* ---- capture store ---- */

void mc_capture_store_init(struct mc_capture_store *cs,
                           const struct mc_scenario *scn)
{
    cs->scn = scn;
    mc_arena_init(&cs->arena, 64 * 1024);
    cs->successes =
        mc_xcalloc(scn->nall ? scn->nall : 1, sizeof *cs->successes);
    cs->lists = mc_xcalloc(scn->nall ? scn->nall : 1, sizeof *cs->lists);
    for (size_t i = 0; i < scn->nall; i++)
        if (scn->all[i]->ncaptures)
            cs->lists[i] =
                mc_xcalloc(scn->all[i]->ncaptures, sizeof *cs->lists[i]);
}

static void list_push(struct mc_capture_list *l, struct mc_capture_value v)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 64;
        l->v = mc_xrealloc(l->v, l->cap * sizeof *l->v);
    }
    l->v[l->n++] = v;
}

void mc_capture_store_add(struct mc_capture_store *cs,
                          const struct mc_request *req, unsigned cap,
                          uint64_t seq, unsigned conn, const char *v, size_t n)
{
    struct mc_capture_value cv = {seq, conn,
                                  mc_arena_strndup(&cs->arena, v, n)};
    list_push(&cs->lists[req->index][cap], cv);
}

void mc_capture_store_merge(struct mc_capture_store *dst,
                            struct mc_capture_store *src)
{
    const struct mc_scenario *scn = dst->scn;
    for (size_t i = 0; i < scn->nall; i++) {
        dst->successes[i] += src->successes[i];
        src->successes[i] = 0;
        for (size_t c = 0; c < scn->all[i]->ncaptures; c++) {
            struct mc_capture_list *s = &src->lists[i][c];
            for (size_t k = 0; k < s->n; k++) {
                struct mc_capture_value v = s->v[k];
                v.value = mc_arena_strdup(&dst->arena, v.value);
                list_push(&dst->lists[i][c], v);
            }
            s->n = 0;
        }
    }
}

void mc_capture_store_free(struct mc_capture_store *cs)
{
    const struct mc_scenario *scn = cs->scn;
    for (size_t i = 0; scn && i < scn->nall; i++) {
        for (size_t c = 0; cs->lists[i] && c < scn->all[i]->ncaptures; c++)
            free(cs->lists[i][c].v);
        free(cs->lists[i]);
    }
    free(cs->lists);
    free(cs->successes);
    mc_arena_destroy(&cs->arena);
    memset(cs, 0, sizeof *cs);
}

/* ---- relations ---- */

static int cmp_value(const void *a, const void *b)
{
    const struct mc_capture_value *x = a, *y = b;
    int c = strcmp(x->value, y->value);
    if (c)
        return c;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static void rel_distinct(const struct mc_capture_list *l,
                         struct mc_relation_result *res)
{
    struct mc_capture_value *v = mc_xmalloc((l->n + 1) * sizeof *v);
    if (l->n)
        memcpy(v, l->v, l->n * sizeof *v);
    qsort(v, l->n, sizeof *v, cmp_value);
    size_t dups = 0, first = 0;
    for (size_t i = 1; i < l->n; i++) {
        if (strcmp(v[i].value, v[i - 1].value))
            continue;
        if (!dups++)
            first = i;
    }
    snprintf(res->expected, sizeof res->expected, "%zu distinct values", l->n);
    res->ok = dups == 0;
    if (dups) {
        char val[64];
        mc_escape_text(v[first].value, strlen(v[first].value), val, sizeof val);
        snprintf(res->got, sizeof res->got,
                 "%zu repeated; '%s' from seq %llu (conn %u) and seq %llu "
                 "(conn %u)",
                 dups, val, (unsigned long long)v[first - 1].seq,
                 v[first - 1].conn, (unsigned long long)v[first].seq,
                 v[first].conn);
    } else {
        snprintf(res->got, sizeof res->got, "%zu distinct values", l->n);
    }
    free(v);
}

static int parse_ll(const char *s, long long *out)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || end == s || *end)
        return 0;
    *out = v;
    return 1;
}

static void rel_compare(const struct mc_capture_value *cv, long long want,
                        struct mc_relation_result *res)
{
    long long got;
    char val[64];
    mc_escape_text(cv->value, strlen(cv->value), val, sizeof val);
    if (!parse_ll(cv->value, &got)) {
        snprintf(res->got, sizeof res->got,
                 "'%s' (not an integer) from seq %llu (conn %u)", val,
                 (unsigned long long)cv->seq, cv->conn);
        return;
    }
    res->ok = got == want;
    snprintf(res->got, sizeof res->got, "%lld from seq %llu (conn %u)", got,
             (unsigned long long)cv->seq, cv->conn);
}

static void rel_equals_count(const struct mc_capture_store *cs,
                             const struct mc_relation *rel,
                             const struct mc_capture_list *l,
                             struct mc_relation_result *res)
{
    long long want = (long long)cs->successes[rel->of->index] + rel->offset;
    snprintf(res->expected, sizeof res->expected,
             "%lld (%llu successful '%s' %+lld)", want,
             (unsigned long long)cs->successes[rel->of->index], rel->of->id,
             rel->offset);
    const struct mc_capture_value *last = NULL;
    for (size_t i = 0; i < l->n; i++)
        if (!last || l->v[i].seq > last->seq)
            last = &l->v[i];
    if (!last) {
        snprintf(res->got, sizeof res->got, "no value captured");
        return;
    }
    rel_compare(last, want, res);
}

static void rel_max_equals_count(const struct mc_capture_store *cs,
                                 const struct mc_relation *rel,
                                 const struct mc_capture_list *l,
                                 struct mc_relation_result *res)
{
    long long want =
        (long long)cs->successes[rel->request->index] + rel->offset;
    snprintf(res->expected, sizeof res->expected,
             "max %lld (%llu successful '%s' %+lld)", want,
             (unsigned long long)cs->successes[rel->request->index],
             rel->request->id, rel->offset);
    const struct mc_capture_value *max = NULL;
    long long maxv = 0;
    for (size_t i = 0; i < l->n; i++) {
        long long x;
        if (!parse_ll(l->v[i].value, &x)) {
            rel_compare(&l->v[i], want, res); /* reports the non-integer */
            return;
        }
        if (!max || x > maxv)
            max = &l->v[i], maxv = x;
    }
    if (!max) {
        snprintf(res->got, sizeof res->got, "no value captured");
        return;
    }
    rel_compare(max, want, res);
}

size_t mc_relations_eval(const struct mc_capture_store *cs,
                         struct mc_relation_result *out)
{
    const struct mc_scenario *scn = cs->scn;
    size_t failed = 0;
    for (size_t i = 0; i < scn->nrelations; i++) {
        const struct mc_relation *rel = &scn->relations[i];
        struct mc_relation_result *res = &out[i];
        memset(res, 0, sizeof *res);
        res->rel = rel;
        const struct mc_capture_list *l =
            &cs->lists[rel->request->index][rel->capture];
        switch (rel->kind) {
            case MC_REL_DISTINCT:
                rel_distinct(l, res);
                break;
            case MC_REL_EQUALS_COUNT:
                rel_equals_count(cs, rel, l, res);
                break;
            case MC_REL_MAX_EQUALS_COUNT:
                rel_max_equals_count(cs, rel, l, res);
                break;
        }
        failed += !res->ok;
    }
    return failed;
}
