/*
 * tsan.c — ThreadSanitizer's text reports (one log_path file per process)
 * into findings.
 *
 * A report starts with "WARNING: ThreadSanitizer: <title>" (data race,
 * lock-order-inversion, ...) or "==PID==ERROR: ThreadSanitizer: <signal>"
 * (SEGV, stack-overflow, ...) and ends at "SUMMARY:". Inside it, a line
 * ending in ':' that names an access ("Write of size 8 at 0x.. by thread
 * T3:", "Previous read of size 8 ..."), a mutex acquisition or the faulting
 * thread opens a stack, and "#N function file:line:col (module+0xoff)"
 * lines are its frames. "Location is global 'x'" names the symbol. Thread
 * and mutex creation stacks are skipped.
 */
#include "detector.h"

#include "mc_file.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct tsan_parse {
    const struct mc_det_ctx *ctx;
    json_t *findings;
    json_t *cur;    /* the report being read, or NULL */
    json_t *frames; /* the frames array being filled, or NULL (skipping) */
};

static int starts(const char *s, const char *prefix)
{
    return !strncmp(s, prefix, strlen(prefix));
}

static const char *skip_ws(const char *s)
{
    while (*s == ' ' || *s == '\t')
        ++s;
    return s;
}

/* "function location (module+0x...) (BuildId: ...)" after "#N ". */
static json_t *parse_frame(const char *s)
{
    char fn[512], loc[1024], mod[512];
    const char *sp = strchr(s, ' '), *paren;
    long line = 0;
    size_t n;
    if (!sp)
        return mc_det_frame(s, NULL, 0, NULL);
    n = (size_t)(sp - s) < sizeof fn - 1 ? (size_t)(sp - s) : sizeof fn - 1;
    memcpy(fn, s, n);
    fn[n] = 0;
    s = sp + 1;
    loc[0] = mod[0] = 0;
    paren = strstr(s, " (");
    if (*s != '(') {
        size_t ln = paren ? (size_t)(paren - s) : strlen(s);
        if (ln >= sizeof loc)
            ln = sizeof loc - 1;
        memcpy(loc, s, ln);
        loc[ln] = 0;
        s = paren ? paren + 1 : s + ln;
    }
    if (*s == '(') {
        const char *plus = strpbrk(s + 1, "+)");
        size_t ln = plus ? (size_t)(plus - s - 1) : 0;
        if (ln >= sizeof mod)
            ln = sizeof mod - 1;
        memcpy(mod, s + 1, ln);
        mod[ln] = 0;
    }
    if (loc[0] && strcmp(loc, "<null>")) {
        /* file:line:col, file:line or file */
        char *c1 = strrchr(loc, ':');
        if (c1 && isdigit((unsigned char)c1[1])) {
            char *c0;
            *c1 = 0;
            c0 = strrchr(loc, ':');
            if (c0 && isdigit((unsigned char)c0[1])) {
                *c0 = 0;
                line = strtol(c0 + 1, NULL, 10);
            } else {
                line = strtol(c1 + 1, NULL, 10);
            }
        }
    } else {
        loc[0] = 0;
    }
    return mc_det_frame(fn, loc[0] ? loc : NULL, line, mod[0] ? mod : NULL);
}

/* Opens a stack: thread name after "by thread " / "in thread " / "by ". */
static void open_stack(struct tsan_parse *p, const char *line,
                       const char *access, int previous)
{
    char thread[64] = "";
    const char *t = strstr(line, "thread T");
    json_t *st = json_object();
    if (t)
        sscanf(t + 7, "%63[^ :(,]", thread);
    else if (strstr(line, "main thread"))
        snprintf(thread, sizeof thread, "main");
    json_object_set_new(st, "thread", json_string(thread));
    json_object_set_new(st, "access", json_string(access));
    json_object_set_new(st, "hook", json_null());
    json_object_set_new(st, "previous", json_boolean(previous));
    p->frames = json_array();
    json_object_set_new(st, "frames", p->frames);
    json_array_append_new(json_object_get(p->cur, "stacks"), st);
}

static void close_report(struct tsan_parse *p)
{
    if (!p->cur)
        return;
    mc_det_finish(p->cur, p->ctx);
    json_array_append_new(p->findings, p->cur);
    p->cur = NULL;
    p->frames = NULL;
}

static void start_report(struct tsan_parse *p, const char *kind,
                         const char *title)
{
    close_report(p);
    p->cur = mc_det_finding(kind, "tsan");
    json_object_set_new(p->cur, "message",
                        json_sprintf("ThreadSanitizer: %s", title));
}

static void on_header(struct tsan_parse *p, const char *s)
{
    const char *title = strstr(s, "ThreadSanitizer: ") + 17;
    char t[256];
    snprintf(t, sizeof t, "%s", title);
    t[strcspn(t, "\r\n")] = 0;
    if (starts(t, "data race"))
        start_report(p, "race", t);
    else if (starts(t, "lock-order-inversion"))
        start_report(p, "deadlock", t);
    else if (strstr(s, "ERROR:")) {
        char sig[64] = "";
        sscanf(t, "%63s", sig);
        start_report(p, "crash", t);
        json_object_set_new(p->cur, "signal", json_string(sig));
        const char *tt = strrchr(t, 'T');
        char th[64] = "";
        if (tt)
            sscanf(tt, "T%63[0-9]", th);
        snprintf(t, sizeof t, "by thread T%s:", th);
        open_stack(p, th[0] ? t : "", "crash", 0);
    } else if (starts(t, "thread leak")) {
        close_report(p); /* not a module defect the load can show */
    } else
        start_report(p, "race", t);
}

/* "Read of size", "Previous write of size", "Atomic write of size"... */
static int on_access(struct tsan_parse *p, const char *s)
{
    int previous = starts(s, "Previous ");
    const char *a = previous ? s + 9 : s;
    const char *access;
    if (!strstr(a, " of size ") || s[strlen(s) - 1] != ':')
        return 0;
    if (starts(a, "Atomic "))
        a += 7;
    if (starts(a, "read") || starts(a, "Read"))
        access = "read";
    else if (starts(a, "write") || starts(a, "Write"))
        access = "write";
    else
        return 0;
    open_stack(p, s, access, previous);
    return 1;
}

static void on_location(struct tsan_parse *p, const char *s)
{
    char sym[256];
    if (sscanf(s, "Location is global '%255[^']'", sym) == 1)
        json_object_set_new(p->cur, "symbol", json_string(sym));
    else if (starts(s, "Location is heap block"))
        json_object_set_new(p->cur, "location", json_string("heap"));
    else if (starts(s, "Location is stack of"))
        json_object_set_new(p->cur, "location", json_string("stack"));
    p->frames = NULL;
}

static void on_line(struct tsan_parse *p, const char *raw)
{
    const char *s = skip_ws(raw);
    if (strstr(s, "ThreadSanitizer: ") &&
        (starts(s, "WARNING:") || strstr(s, "ERROR: ThreadSanitizer"))) {
        on_header(p, s);
        return;
    }
    if (!p->cur || starts(s, "=="))
        return;
    if (starts(s, "SUMMARY:")) {
        close_report(p);
    } else if (*s == '#' && p->frames) {
        const char *f = strchr(s, ' ');
        if (f)
            json_array_append_new(p->frames, parse_frame(skip_ws(f)));
    } else if (starts(s, "Location is ")) {
        on_location(p, s);
    } else if (starts(s, "Mutex ") && strstr(s, " acquired ")) {
        open_stack(p, s, "lock", strstr(s, "previously") != NULL);
    } else if (!on_access(p, s) && *s && *s != '#') {
        p->frames = NULL; /* thread/mutex creation: not an access */
    }
}

mc_status mc_tsan_parse_text(const char *text, const struct mc_det_ctx *ctx,
                             json_t *findings)
{
    struct tsan_parse p = {ctx, findings, NULL, NULL};
    const char *s = text;
    char line[4096];
    while (*s) {
        size_t n = strcspn(s, "\n");
        size_t k = n < sizeof line - 1 ? n : sizeof line - 1;
        memcpy(line, s, k);
        line[k] = 0;
        on_line(&p, line);
        s += n + (s[n] == '\n');
    }
    close_report(&p);
    return MC_OK;
}

mc_status mc_tsan_parse(const char *path, const struct mc_det_ctx *ctx,
                        json_t *findings, char *err, size_t errlen)
{
    char *text;
    size_t len;
    if (mc_file_read(path, &text, &len) != MC_OK) {
        snprintf(err, errlen, "%s: cannot read the TSan log", path);
        return MC_ERR_IO;
    }
    mc_tsan_parse_text(text, ctx, findings);
    free(text);
    return MC_OK;
}
