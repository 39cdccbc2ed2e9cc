/*
 * mc_common.h — shared vocabulary of modcert's C code: status codes,
 * attributes, diagnostics to stderr.
 *
 * Contract: library code returns an mc_status and never exits; only main()
 * exits. Every message names the input that was bad. All functions here are
 * thread-safe (no hidden state).
 */
#ifndef MC_COMMON_H
#define MC_COMMON_H

#include <stdarg.h>
#include <stddef.h>

#define MC_WARN_UNUSED __attribute__((warn_unused_result))
#define MC_PRINTF(f, a) __attribute__((format(printf, f, a)))

/* Process exit codes shared by every modcert subcommand. */
enum {
    MC_EXIT_OK = 0,        /* nothing found / certified / valid */
    MC_EXIT_FINDINGS = 1,  /* findings / not certified / invalid */
    MC_EXIT_INCOMPLETE = 2 /* could not complete (bad input, tool error) */
};

typedef enum {
    MC_OK = 0,
    MC_ERR_IO,    /* a file could not be read or written */
    MC_ERR_PARSE, /* input was malformed */
    MC_ERR_USAGE, /* bad arguments */
    MC_ERR_NOMEM,
    MC_ERR_RUNTIME /* an external step failed */
} mc_status;

const char *mc_status_str(mc_status st);

/* "modcert: error: <message>\n" on stderr; prog may be NULL ("modcert"). */
void mc_error(const char *prog, const char *fmt, ...) MC_PRINTF(2, 3);
void mc_warn(const char *prog, const char *fmt, ...) MC_PRINTF(2, 3);
void mc_verror(const char *prog, const char *kind, const char *fmt, va_list ap)
    MC_PRINTF(3, 0);

/* Aborts with a message when allocation fails: out of memory is not an
 * input error we can report usefully. */
void *mc_xmalloc(size_t n);
void *mc_xcalloc(size_t n, size_t size);
void *mc_xrealloc(void *p, size_t n);
char *mc_xstrdup(const char *s);
char *mc_xstrndup(const char *s, size_t n);

#define MC_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#endif
