/*
 * module.h — the module under test: a prebuilt .so (its TSan twin
 * <name>.tsan.so is used for the tsan detector when it exists), or sources
 * (.c file or a directory of .c files) compiled here with apxs' flags, plus
 * -fsanitize=thread for tsan. Also what the detectors need to recognise the
 * module in stacks: source paths and the functions the .so defines, and
 * the module struct's symbol for LoadModule.
 *
 * Also the crash-capture helper: a small LD_PRELOAD library, compiled into
 * the work directory, that records the stack of a module's exit() call.
 *
 * Memory: struct mc_module owns its strings; mc_module_free releases them.
 * Thread-safety: none needed (startup of a session).
 */
#ifndef MC_STRESS_MODULE_H
#define MC_STRESS_MODULE_H

#include "mc_common.h"

#include <stddef.h>

struct mc_module {
    char *so;       /* what LoadModule loads */
    char *symbol;   /* module struct, e.g. hitcount_module */
    char *handler;  /* default SetHandler name, e.g. hitcount */
    char **sources; /* absolute source paths (may be none) */
    size_t nsources;
    char **functions; /* defined function symbols, sorted */
    size_t nfunctions;
    int instrumented; /* built with -fsanitize=thread */
    char *so_plain;   /* the given/compiled uninstrumented .so, if any */
};

mc_status mc_module_prepare(const char *path, int tsan, const char *workdir,
                            const char *cflags, struct mc_module *m, char *err,
                            size_t errlen) MC_WARN_UNUSED;
void mc_module_free(struct mc_module *m);

/* Compiles the exit() capture library into dir; returns its malloc'ed path
 * or NULL (then exit() stacks are not captured). */
char *mc_crashcap_build(const char *dir, char *err, size_t errlen);

/* TSan models of APR hash tables (see crashcap.c), for the TSan host
 * only: malloc'ed path or NULL. */
char *mc_tsan_models_build(const char *dir, char *err, size_t errlen);

/* Stacks recorded by the capture library in one of its files: a new
 * finding (kind "exit") or NULL. */
struct mc_det_ctx;
#include <jansson.h>
json_t *mc_crashcap_read(const char *path, const struct mc_det_ctx *ctx);

/* The compiler used for sources: $MODCERT_CC, else clang-19, else cc. */
const char *mc_module_cc(void);

#endif
