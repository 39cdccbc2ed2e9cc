/*
 * frontend.h — the only door to libclang (the implementation files of this
 * directory are the only ones that include clang-c/Index.h).
 *
 * A worker owns one CXIndex; mc_fe_parse turns one source file plus its
 * compiler arguments into a struct mc_tu of plain facts (model/facts.h),
 * walking only cursors of the main file. mc_fe_compdb_load reads a
 * compilation database (a build directory holding compile_commands.json).
 *
 * Memory: the struct mc_tu is filled by mc_fe_parse and released by
 * mc_tu_free; compile commands by mc_fe_compdb_free.
 * Thread-safety: one struct mc_fe_worker per thread; different workers may
 * parse concurrently.
 */
#ifndef MC_FRONTEND_H
#define MC_FRONTEND_H

#include "mc_common.h"
#include "../model/facts.h"

struct mc_fe_worker;

struct mc_fe_worker *mc_fe_worker_new(void);
void mc_fe_worker_free(struct mc_fe_worker *w);

struct mc_fe_input {
    const char *file;    /* the source file to parse */
    const char *workdir; /* directory of relative paths, or NULL */
    const char **argv;   /* compiler arguments (without the file) */
    int argc;
    int argv_has_compiler; /* argv[0] is the compiler (compile DB) */
};

/* Parses in->file. Always fills *out (out->ok == 0 and out->diagnostics
 * say why when the file could not be parsed cleanly). */
void mc_fe_parse(struct mc_fe_worker *w, const struct mc_fe_input *in,
                 struct mc_tu *out);

struct mc_fe_command {
    char *file; /* absolute or relative to dir */
    char *dir;
    char **argv; /* full command line, argv[0] the compiler */
    int argc;
};

/* Loads <dir>/compile_commands.json through libclang. On failure returns
 * MC_ERR_PARSE with a message in *err (malloc'ed). */
mc_status mc_fe_compdb_load(const char *dir, struct mc_fe_command **cmds,
                            size_t *ncmds, char **err) MC_WARN_UNUSED;
void mc_fe_compdb_free(struct mc_fe_command *cmds, size_t ncmds);

/* Seconds of wall time, for timing reports. */
double mc_fe_now(void);

#endif
