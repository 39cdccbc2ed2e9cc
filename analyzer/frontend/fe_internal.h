/*
 * fe_internal.h — the walker shared by the front end's files (parse.c, the
 * top level; walk.c, function bodies; init.c, global initializers).
 * Private to analyzer/frontend/. Not thread-safe: one walker per parse.
 */
#ifndef MC_FE_INTERNAL_H
#define MC_FE_INTERNAL_H

#include <clang-c/Index.h>

#include "../model/facts.h"
#include "../model/strmap.h"

enum fe_ctx { CTX_NONE, CTX_READ, CTX_WRITE, CTX_ADDR };

struct fe_alias {
    CXCursor var;
    struct mc_value value;
};

struct fe_walker {
    CXTranslationUnit tu;
    CXFile main_file;
    struct mc_tu *out;
    struct mc_arena *a;
    struct mc_strmap globals_seen; /* usr -> struct mc_global index + 1 */
    struct mc_strmap fnrefs_seen;  /* usr -> 1 */
    MC_VEC(struct mc_func) funcs;
    MC_VEC(struct mc_global) globals;
    MC_VEC(struct mc_init) inits;
    MC_VEC(struct mc_fnref) fnrefs;
    /* the function being walked */
    struct mc_func *fn;
    MC_VEC(struct mc_event) ev;
    MC_VEC(int) last; /* last child of each event */
    MC_VEC(CXCursor) params;
    MC_VEC(struct fe_alias) aliases;
    int cond_status_ev; /* scratch of cond_sense() */
    int cond_nonnull;   /* scratch of cond_sense(): see mc_event.u.cond */
    struct mc_value cond_tested;
    int cond_cmd_path; /* scratch: the condition tests cmd->path */
    /* > 0 while walking the branch of `if (cmd->path == NULL)`: a
     * directive in server context, which runs at config time only (an
     * .htaccess directive always has a path) */
    int server_context;
};

/* strings */
const char *fe_str(struct fe_walker *w, CXString s);
const char *fe_usr(struct fe_walker *w, CXCursor c);
const char *fe_spelling(struct fe_walker *w, CXCursor c);
const char *fe_type(struct fe_walker *w, CXType t); /* canonical spelling */
struct mc_loc fe_loc(struct fe_walker *w, CXCursor c);

int fe_in_main_file(struct fe_walker *w, CXCursor c);

/* globals and function references */
int fe_global(struct fe_walker *w, CXCursor var); /* index in w->globals */
void fe_fnref(struct fe_walker *w, CXCursor fn);

/* bodies (walk.c) and initializers (init.c) */
void fe_walk_function(struct fe_walker *w, CXCursor fn);
void fe_walk_initializer(struct fe_walker *w, CXCursor var, const char *usr);

#endif
