/* mc_common.c — status strings, diagnostics and checked allocation. */
#include "mc_common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *mc_status_str(mc_status st)
{
    switch (st) {
        case MC_OK:
            return "ok";
        case MC_ERR_IO:
            return "I/O error";
        case MC_ERR_PARSE:
            return "parse error";
        case MC_ERR_USAGE:
            return "usage error";
        case MC_ERR_NOMEM:
            return "out of memory";
        case MC_ERR_RUNTIME:
            return "runtime error";
    }
    return "unknown status";
}

void mc_verror(const char *prog, const char *kind, const char *fmt, va_list ap)
{
    char msg[4096];
    vsnprintf(msg, sizeof msg, fmt, ap);
    /* One fprintf call so concurrent messages do not interleave mid-line. */
    fprintf(stderr, "%s: %s: %s\n", prog ? prog : "modcert", kind, msg);
}

void mc_error(const char *prog, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    mc_verror(prog, "error", fmt, ap);
    va_end(ap);
}

void mc_warn(const char *prog, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    mc_verror(prog, "warning", fmt, ap);
    va_end(ap);
}

static void *oom(size_t n)
{
    fprintf(stderr, "modcert: fatal: out of memory allocating %zu bytes\n", n);
    abort();
}

void *mc_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    return p ? p : oom(n);
}

void *mc_xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    return p ? p : oom(n * size);
}

void *mc_xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    return q ? q : oom(n);
}

char *mc_xstrdup(const char *s)
{
    return mc_xstrndup(s, strlen(s));
}

char *mc_xstrndup(const char *s, size_t n)
{
    char *p = mc_xmalloc(n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}
