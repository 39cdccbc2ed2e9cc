/*
 * suppress.c — finding and applying inline suppressions (see suppress.h).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "suppress.h"

static const char marker[] = "modcert: ignore";

/* Is the marker at p inside a comment opened earlier on this line? */
static int in_comment(const char *line, const char *p)
{
    for (const char *q = line; q + 1 < p; q++) {
        if (q[0] == '/' && (q[1] == '*' || q[1] == '/'))
            return 1;
        if (q[0] == '"')
            return 0; /* a string literal first: not a comment */
    }
    return 0;
}

static const char *trim_reason(struct mc_arena *a, const char *s,
                               const char *end)
{
    const char *close = strstr(s, "*/");
    if (close && close < end)
        end = close;
    while (s < end && isspace((unsigned char)*s))
        s++;
    while (end > s && isspace((unsigned char)end[-1]))
        end--;
    return mc_arena_strndup(a, s, (size_t)(end - s));
}

static int parse_one(struct mc_suppressions *s, struct mc_arena *a,
                     const char *file, unsigned line, unsigned col,
                     const char *p, const char *eol, struct mc_buf *errors)
{
    const char *ids[8];
    size_t nids = 0;
    for (;;) {
        while (p < eol && *p == ' ')
            p++;
        const char *id = p;
        while (p < eol && (isalnum((unsigned char)*p) || *p == '-'))
            p++;
        if (p == id || nids == MC_ARRAY_LEN(ids))
            break;
        ids[nids++] = mc_arena_strndup(a, id, (size_t)(p - id));
        while (p < eol && *p == ' ')
            p++;
        if (p < eol && *p == ',') {
            p++;
            continue;
        }
        break;
    }
    const char *reason = p < eol && *p == ':' ? trim_reason(a, p + 1, eol) : "";
    if (!nids || !*reason) {
        mc_buf_printf(errors,
                      "%s:%u:%u: suppression needs a check id and a reason: "
                      "'modcert: ignore <check-id>: <why this is safe>'\n",
                      file, line, col);
        return 1;
    }
    int bad = 0;
    for (size_t i = 0; i < nids; i++) {
        if (!mc_check_severity(ids[i]) ||
            !strcmp(ids[i], "unused-suppression")) {
            mc_buf_printf(errors,
                          "%s:%u:%u: suppression names unknown check "
                          "'%s'\n",
                          file, line, col, ids[i]);
            bad = 1;
            continue;
        }
        struct mc_suppression *sp = MC_VEC_PUSH(s->v);
        sp->file = file;
        sp->line = line;
        sp->col = col;
        sp->check = ids[i];
        sp->reason = reason;
    }
    return bad;
}

int mc_suppress_scan(struct mc_suppressions *s, struct mc_arena *a,
                     const char *file, const char *text, struct mc_buf *errors)
{
    int bad = 0;
    unsigned line = 1;
    for (const char *p = text; *p; line++) {
        const char *eol = strchr(p, '\n');
        if (!eol)
            eol = p + strlen(p);
        for (const char *m = p; (m = strstr(m, marker)) && m < eol;
             m += sizeof marker - 1) {
            if (in_comment(p, m))
                bad += parse_one(s, a, file, line, (unsigned)(m - p) + 1,
                                 m + sizeof marker - 1, eol, errors);
        }
        p = *eol ? eol + 1 : eol;
    }
    return bad;
}

void mc_suppress_apply(struct mc_suppressions *s, struct mc_check_ctx *cx)
{
    struct mc_findings *out = cx->out;
    for (size_t i = 0; i < out->v.n; i++) {
        struct mc_finding *f = &out->v.v[i];
        for (size_t j = 0; j < s->v.n && !f->suppressed; j++) {
            struct mc_suppression *sp = &s->v.v[j];
            if (strcmp(sp->check, f->check) || strcmp(sp->file, f->loc.file))
                continue;
            if (f->loc.line == sp->line || f->loc.line == sp->line + 1) {
                f->suppressed = sp->reason;
                sp->used = 1;
            }
        }
    }
    for (size_t j = 0; j < s->v.n; j++) {
        struct mc_suppression *sp = &s->v.v[j];
        if (sp->used)
            continue;
        char msg[256];
        snprintf(msg, sizeof msg,
                 "suppression of '%s' matches no finding on this line or "
                 "the next: remove it",
                 sp->check);
        struct mc_site_ref at = {-1, -1, 0, {sp->file, sp->line, sp->col}, 0};
        mc_report(cx, "unused-suppression", &at, sp->check, msg,
                  "delete the stale suppression comment");
    }
}

void mc_suppress_free(struct mc_suppressions *s)
{
    MC_VEC_FREE(s->v);
}
