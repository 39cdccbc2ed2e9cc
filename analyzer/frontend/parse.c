/*
 * parse.c — one translation unit: parse with libclang, collect clang's
 * error diagnostics, visit the top-level cursors of the main file only
 * (headers are parsed, never walked) and hand the facts over.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fe_internal.h"
#include "frontend.h"
#include "mc_buf.h"

struct mc_fe_worker {
    CXIndex index;
};

double mc_fe_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct mc_fe_worker *mc_fe_worker_new(void)
{
    struct mc_fe_worker *w = mc_xcalloc(1, sizeof(*w));
    w->index = clang_createIndex(0, 0);
    return w;
}

void mc_fe_worker_free(struct mc_fe_worker *w)
{
    if (!w)
        return;
    clang_disposeIndex(w->index);
    free(w);
}

const char *fe_str(struct fe_walker *w, CXString s)
{
    const char *c = clang_getCString(s);
    const char *copy = mc_arena_strdup(w->a, c ? c : "");
    clang_disposeString(s);
    return copy;
}

const char *fe_usr(struct fe_walker *w, CXCursor c)
{
    return fe_str(w, clang_getCursorUSR(c));
}

const char *fe_spelling(struct fe_walker *w, CXCursor c)
{
    return fe_str(w, clang_getCursorSpelling(c));
}

const char *fe_type(struct fe_walker *w, CXType t)
{
    return fe_str(w, clang_getTypeSpelling(clang_getCanonicalType(t)));
}

struct mc_loc fe_loc(struct fe_walker *w, CXCursor c)
{
    /* macro arguments where they are written, macro bodies where the
     * macro is expanded */
    struct mc_loc loc = {w->out->file, 0, 0};
    CXFile file = NULL;
    clang_getFileLocation(clang_getCursorLocation(c), &file, &loc.line,
                          &loc.col, NULL);
    if (file && w->main_file && !clang_File_isEqual(file, w->main_file))
        clang_getExpansionLocation(clang_getCursorLocation(c), NULL, &loc.line,
                                   &loc.col, NULL);
    return loc;
}

/* In the main file, also when declared through a macro written there
 * (AP_DECLARE_MODULE(name) pastes the name inside a header's macro). */
int fe_in_main_file(struct fe_walker *w, CXCursor c)
{
    CXSourceLocation loc = clang_getCursorLocation(c);
    if (clang_Location_isFromMainFile(loc))
        return 1;
    CXFile file = NULL;
    clang_getExpansionLocation(loc, &file, NULL, NULL, NULL);
    return file && w->main_file && clang_File_isEqual(file, w->main_file);
}

static enum CXChildVisitResult top_visit(CXCursor c, CXCursor parent,
                                         CXClientData data)
{
    (void)parent;
    struct fe_walker *w = data;
    enum CXCursorKind kind = clang_getCursorKind(c);
    if (kind != CXCursor_FunctionDecl && kind != CXCursor_VarDecl)
        return CXChildVisit_Continue;
    if (!fe_in_main_file(w, c))
        return CXChildVisit_Continue;
    switch (kind) {
        case CXCursor_FunctionDecl:
            if (clang_isCursorDefinition(c))
                fe_walk_function(w, c);
            break;
        case CXCursor_VarDecl: {
            int gi = fe_global(w, c);
            if (clang_isCursorDefinition(c))
                fe_walk_initializer(w, c, w->globals.v[gi].usr);
            break;
        }
        default:
            break;
    }
    return CXChildVisit_Continue;
}

static int collect_diagnostics(CXTranslationUnit tu, struct mc_buf *b)
{
    int errors = 0;
    unsigned n = clang_getNumDiagnostics(tu);
    for (unsigned i = 0; i < n; i++) {
        CXDiagnostic d = clang_getDiagnostic(tu, i);
        enum CXDiagnosticSeverity sev = clang_getDiagnosticSeverity(d);
        if (sev >= CXDiagnostic_Error) {
            CXString s = clang_formatDiagnostic(
                d, clang_defaultDiagnosticDisplayOptions());
            mc_buf_printf(b, "%s\n", clang_getCString(s));
            clang_disposeString(s);
            errors++;
        }
        clang_disposeDiagnostic(d);
    }
    return errors;
}

static void extract(CXTranslationUnit tu, struct mc_tu *out)
{
    struct fe_walker w;
    memset(&w, 0, sizeof w);
    w.tu = tu;
    w.out = out;
    w.a = &out->arena;
    CXString main = clang_getTranslationUnitSpelling(tu);
    w.main_file = clang_getFile(tu, clang_getCString(main));
    clang_disposeString(main);
    clang_visitChildren(clang_getTranslationUnitCursor(tu), top_visit, &w);
#define MOVE(field, vec)                                                  \
    do {                                                                  \
        out->n##field = w.vec.n;                                          \
        out->field = mc_arena_alloc(w.a, w.vec.n * sizeof(*w.vec.v) + 1); \
        if (w.vec.n)                                                      \
            memcpy(out->field, w.vec.v, w.vec.n * sizeof(*w.vec.v));      \
        MC_VEC_FREE(w.vec);                                               \
    } while (0)
    MOVE(funcs, funcs);
    MOVE(globals, globals);
    MOVE(inits, inits);
    MOVE(fnrefs, fnrefs);
#undef MOVE
    MC_VEC_FREE(w.ev);
    MC_VEC_FREE(w.last);
    MC_VEC_FREE(w.params);
    MC_VEC_FREE(w.aliases);
    mc_strmap_free(&w.globals_seen);
    mc_strmap_free(&w.fnrefs_seen);
}

static const unsigned parse_flags =
    CXTranslationUnit_IgnoreNonErrorsFromIncludedFiles;

static enum CXErrorCode parse(struct mc_fe_worker *wk,
                              const struct mc_fe_input *in,
                              CXTranslationUnit *tu)
{
    /* our own additions: never fail on warnings, also not on the ones
     * clang makes errors by default that older modules still trip (an
     * implicit declaration, e.g. ap_hook_fixups without http_request.h:
     * apxs' gcc accepts it and the call is analysed the same), resolve
     * relative paths */
    const char *extra[] = {"-Wno-error",
                           "-Wno-error=implicit-function-declaration",
                           "-Wno-error=implicit-int",
                           "-Wno-error=int-conversion",
                           "-Wno-error=incompatible-function-pointer-types",
                           "-Wno-error=incompatible-pointer-types",
                           "-working-directory",
                           in->workdir};
    int nextra = (int)MC_ARRAY_LEN(extra) - (in->workdir ? 0 : 2);
    int argc = in->argc + nextra;
    const char **argv = mc_xmalloc((size_t)(argc + 1) * sizeof(*argv));
    for (int i = 0; i < in->argc; i++)
        argv[i] = in->argv[i];
    for (int i = 0; i < nextra; i++)
        argv[in->argc + i] = extra[i];
    argv[argc] = NULL;
    enum CXErrorCode e;
    if (in->argv_has_compiler)
        e = clang_parseTranslationUnit2FullArgv(wk->index, NULL, argv, argc,
                                                NULL, 0, parse_flags, tu);
    else
        e = clang_parseTranslationUnit2(wk->index, in->file, argv, argc, NULL,
                                        0, parse_flags, tu);
    free(argv);
    return e;
}

void mc_fe_parse(struct mc_fe_worker *wk, const struct mc_fe_input *in,
                 struct mc_tu *out)
{
    memset(out, 0, sizeof *out);
    mc_arena_init(&out->arena, 1 << 16);
    out->file = mc_arena_strdup(&out->arena, in->file);
    out->diagnostics = "";
    double t0 = mc_fe_now();
    if (access(in->file, R_OK) != 0) {
        out->diagnostics = mc_arena_printf(
            &out->arena, "%s: error: no such file or not readable\n", in->file);
        return;
    }
    CXTranslationUnit tu = NULL;
    enum CXErrorCode e = parse(wk, in, &tu);
    if (e != CXError_Success || !tu) {
        out->diagnostics = mc_arena_printf(
            &out->arena, "%s: error: libclang could not parse it (error %d)\n",
            in->file, (int)e);
        return;
    }
    struct mc_buf b = MC_BUF_INIT;
    int errors = collect_diagnostics(tu, &b);
    out->ok = errors == 0;
    if (b.data)
        out->diagnostics = mc_arena_strdup(&out->arena, b.data);
    mc_buf_free(&b);
    if (out->ok)
        extract(tu, out);
    clang_disposeTranslationUnit(tu);
    out->parse_seconds = mc_fe_now() - t0;
}

void mc_tu_free(struct mc_tu *tu)
{
    mc_arena_destroy(&tu->arena);
}
