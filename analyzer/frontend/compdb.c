/*
 * compdb.c — compilation databases through libclang's own API
 * (clang_CompilationDatabase_fromDirectory), copied into plain structs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <clang-c/CXCompilationDatabase.h>

#include "frontend.h"

static char *dup_cx(CXString s)
{
    const char *c = clang_getCString(s);
    char *copy = mc_xstrdup(c ? c : "");
    clang_disposeString(s);
    return copy;
}

mc_status mc_fe_compdb_load(const char *dir, struct mc_fe_command **cmds,
                            size_t *ncmds, char **err)
{
    *cmds = NULL;
    *ncmds = 0;
    *err = NULL;
    size_t plen = strlen(dir) + sizeof "/compile_commands.json";
    char *path = mc_xmalloc(plen);
    snprintf(path, plen, "%s/compile_commands.json", dir);
    int readable = access(path, R_OK) == 0;
    free(path);
    if (!readable) {
        size_t n = strlen(dir) + 64;
        *err = mc_xmalloc(n);
        snprintf(*err, n, "%s: no readable compile_commands.json there", dir);
        return MC_ERR_IO;
    }
    CXCompilationDatabase_Error e = CXCompilationDatabase_NoError;
    CXCompilationDatabase db = clang_CompilationDatabase_fromDirectory(dir, &e);
    if (e != CXCompilationDatabase_NoError || !db) {
        size_t n = strlen(dir) + 128;
        *err = mc_xmalloc(n);
        snprintf(*err, n,
                 "%s/compile_commands.json: missing or not a valid "
                 "compilation database",
                 dir);
        if (db)
            clang_CompilationDatabase_dispose(db);
        return MC_ERR_PARSE;
    }
    CXCompileCommands all = clang_CompilationDatabase_getAllCompileCommands(db);
    unsigned n = all ? clang_CompileCommands_getSize(all) : 0;
    struct mc_fe_command *v = mc_xcalloc(n ? n : 1, sizeof(*v));
    for (unsigned i = 0; i < n; i++) {
        CXCompileCommand c = clang_CompileCommands_getCommand(all, i);
        v[i].file = dup_cx(clang_CompileCommand_getFilename(c));
        v[i].dir = dup_cx(clang_CompileCommand_getDirectory(c));
        unsigned na = clang_CompileCommand_getNumArgs(c);
        v[i].argc = (int)na;
        v[i].argv = mc_xcalloc(na + 1, sizeof(char *));
        for (unsigned j = 0; j < na; j++)
            v[i].argv[j] = dup_cx(clang_CompileCommand_getArg(c, j));
    }
    if (all)
        clang_CompileCommands_dispose(all);
    clang_CompilationDatabase_dispose(db);
    *cmds = v;
    *ncmds = n;
    return MC_OK;
}

void mc_fe_compdb_free(struct mc_fe_command *cmds, size_t ncmds)
{
    for (size_t i = 0; i < ncmds; i++) {
        for (int j = 0; j < cmds[i].argc; j++)
            free(cmds[i].argv[j]);
        free(cmds[i].argv);
        free(cmds[i].file);
        free(cmds[i].dir);
    }
    free(cmds);
}
