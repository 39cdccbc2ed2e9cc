/*
 * knowledge.h — the analyzer's domain knowledge, loaded from the text files
 * of analyzer/data/ (embedded into the binary at build time, see
 * data/embed.cmake): MT-unsafe functions with their fix hints, lock
 * functions, what library calls do to their arguments, hook phases and
 * registration calls.
 *
 * Memory: everything lives in kb->arena; mc_kb_free releases it.
 * Thread-safety: built once by one thread, then read-only (safe to share).
 */
#ifndef MC_KNOWLEDGE_H
#define MC_KNOWLEDGE_H

#include "mc_arena.h"
#include "mc_common.h"
#include "phase.h"
#include "strmap.h"

struct mc_kb_unsafe {
    const char *name, *fix, *source;
};

enum mc_lock_op { MC_LOCK_EXCL, MC_LOCK_SHARED, MC_LOCK_TRY, MC_LOCK_UNLOCK };

struct mc_kb_lock {
    enum mc_lock_op op;
    int arg;
};

enum mc_effect { MC_EFF_WRITE, MC_EFF_ALLOC, MC_EFF_ATOMIC };

struct mc_kb_effect {
    enum mc_effect effect;
    int arg;
    struct mc_kb_effect *next;
};

struct mc_kb_reg {
    int arg;
    struct mc_kb_reg *next; /* another function argument of the same call */
    const char *root;       /* root kind, e.g. "output_filter" */
    int phase;              /* enum mc_phase, or -1 for "inherit" */
};

struct mc_kb {
    struct mc_strmap unsafe;  /* name -> struct mc_kb_unsafe */
    struct mc_strmap locks;   /* name -> struct mc_kb_lock */
    struct mc_strmap effects; /* name -> struct mc_kb_effect list */
    struct mc_strmap hooks;   /* hook name -> (enum mc_phase + 1) */
    struct mc_strmap regs;    /* name -> struct mc_kb_reg */
    struct mc_strmap host;    /* host global name -> why (host-globals.txt) */
    struct mc_arena arena;
};

void mc_kb_init(struct mc_kb *kb);
/* Parses one data file's text; `name` selects the table ("mt-unsafe.txt",
 * "locks.txt", ...). On error returns MC_ERR_PARSE and a message naming
 * name:line in *err (malloc'ed). */
mc_status mc_kb_parse(struct mc_kb *kb, const char *name, const char *text,
                      char **err) MC_WARN_UNUSED;
/* mc_kb_init + every embedded data file. */
mc_status mc_kb_load_builtin(struct mc_kb *kb, char **err) MC_WARN_UNUSED;
void mc_kb_free(struct mc_kb *kb);

const struct mc_kb_unsafe *mc_kb_unsafe(const struct mc_kb *kb, const char *fn);
const struct mc_kb_lock *mc_kb_lock(const struct mc_kb *kb, const char *fn);
const struct mc_kb_effect *mc_kb_effects(const struct mc_kb *kb,
                                         const char *fn);
/* The phase of hook `name` (unknown hooks: request). */
enum mc_phase mc_kb_hook_phase(const struct mc_kb *kb, const char *name);
const struct mc_kb_reg *mc_kb_reg(const struct mc_kb *kb, const char *fn);
/* apr_atomic_*, __sync_*, __atomic_*: the call is atomic on argument 0. */
int mc_kb_is_atomic(const struct mc_kb *kb, const char *fn);
/* Why a global of the host (httpd/APR, not defined by the module) is
 * shared by design and not a race at request time, or NULL. */
const char *mc_kb_host_global(const struct mc_kb *kb, const char *name);

#endif
