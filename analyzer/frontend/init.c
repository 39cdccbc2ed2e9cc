/*
 * init.c — globals, function references and global initializers.
 *
 * A global's initializer is flattened into leaves with a field path, so the
 * model can read the module struct (`.register_hooks`), command_rec tables
 * (`[2].func.take1`, `[2].req_override`) and provider structs without
 * libclang. Positional initializers are matched to fields in declaration
 * order; designated ones by name.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fe_internal.h"

static int is_array_kind(enum CXTypeKind k)
{
    return k == CXType_ConstantArray || k == CXType_IncompleteArray ||
           k == CXType_VariableArray || k == CXType_DependentSizedArray;
}

static int object_is_const(CXType ct)
{
    while (is_array_kind(ct.kind))
        ct = clang_getCanonicalType(clang_getArrayElementType(ct));
    return clang_isConstQualifiedType(ct) != 0;
}

static struct mc_loc real_loc(struct fe_walker *w, CXCursor c)
{
    struct mc_loc loc = {NULL, 0, 0};
    CXFile file = NULL;
    clang_getExpansionLocation(clang_getCursorLocation(c), &file, &loc.line,
                               &loc.col, NULL);
    if (fe_in_main_file(w, c))
        loc.file = w->out->file;
    else if (file)
        loc.file = fe_str(w, clang_getFileName(file));
    return loc;
}

int fe_global(struct fe_walker *w, CXCursor var)
{
    const char *usr = fe_usr(w, var);
    void *seen = mc_strmap_get(&w->globals_seen, usr);
    if (seen)
        return (int)((intptr_t)seen - 1);
    CXCursor def = clang_getCursorDefinition(var);
    CXCursor decl = clang_Cursor_isNull(def) ? var : def;
    CXType ct = clang_getCanonicalType(clang_getCursorType(decl));
    struct mc_global *g = MC_VEC_PUSH(w->globals);
    g->usr = usr;
    g->name = fe_spelling(w, decl);
    g->type = fe_type(w, ct);
    g->loc = real_loc(w, decl);
    g->is_const = object_is_const(ct);
    g->is_tls = clang_getCursorTLSKind(decl) != CXTLS_None;
    g->is_atomic = ct.kind == CXType_Atomic;
    g->is_pointer = ct.kind == CXType_Pointer;
    g->is_array = is_array_kind(ct.kind);
    g->is_defined = !clang_Cursor_isNull(def);
    g->is_module_def = g->is_defined && clang_Location_isFromMainFile(
                                            clang_getCursorLocation(def));
    g->has_init =
        !clang_Cursor_isNull(clang_Cursor_getVarDeclInitializer(decl));
    CXCursor parent = clang_getCursorSemanticParent(decl);
    if (clang_getCursorKind(parent) == CXCursor_FunctionDecl)
        g->func_usr = fe_usr(w, parent);
    mc_strmap_put(&w->globals_seen, usr, (void *)(intptr_t)w->globals.n);
    return (int)(w->globals.n - 1);
}

void fe_fnref(struct fe_walker *w, CXCursor fn)
{
    const char *usr = fe_usr(w, fn);
    if (mc_strmap_get(&w->fnrefs_seen, usr))
        return;
    mc_strmap_put(&w->fnrefs_seen, usr, (void *)1);
    struct mc_fnref *r = MC_VEC_PUSH(w->fnrefs);
    r->usr = usr;
    r->name = fe_spelling(w, fn);
    r->type = fe_type(w, clang_getCursorType(fn));
}

struct flat {
    struct fe_walker *w;
    const char *usr;
    const char *type;
    unsigned leaves;
};

#define MAX_LEAVES 20000

struct kidv {
    MC_VEC(CXCursor) c;
};

static enum CXChildVisitResult kid_collect(CXCursor c, CXCursor p,
                                           CXClientData d)
{
    (void)p;
    struct kidv *k = d;
    *MC_VEC_PUSH(k->c) = c;
    return CXChildVisit_Continue;
}

static void add_leaf(struct flat *fl, CXCursor at, const char *path, int index,
                     const char *field, enum mc_init_kind kind)
{
    struct fe_walker *w = fl->w;
    struct mc_init *in = MC_VEC_PUSH(w->inits);
    in->global_usr = fl->usr;
    in->type = fl->type;
    in->path = path;
    in->field = field;
    in->index = index;
    in->kind = kind;
    in->loc = real_loc(w, at);
    fl->leaves++;
}

static void flatten(struct flat *fl, CXCursor c, CXType t, const char *path,
                    int index, const char *field);

struct field_pos {
    const char *want;
    CXCursor found;
    unsigned pos, i;
};

static enum CXVisitorResult field_find(CXCursor f, CXClientData d)
{
    struct field_pos *fp = d;
    CXString s = clang_getCursorSpelling(f);
    int hit =
        fp->want ? !strcmp(clang_getCString(s), fp->want) : fp->i == fp->pos;
    clang_disposeString(s);
    if (hit) {
        fp->found = f;
        fp->pos = fp->i;
        return CXVisit_Break;
    }
    fp->i++;
    return CXVisit_Continue;
}

static void flatten_record(struct flat *fl, struct kidv *k, CXType ct,
                           const char *path, int index)
{
    struct fe_walker *w = fl->w;
    unsigned pos = 0;
    for (unsigned i = 0; i < k->c.n; i++) {
        CXCursor item = k->c.v[i];
        struct field_pos fp = {NULL, clang_getNullCursor(), pos, 0};
        struct kidv sub = {{NULL, 0, 0}};
        if (clang_getCursorKind(item) == CXCursor_UnexposedExpr) {
            clang_visitChildren(item, kid_collect, &sub);
            if (sub.c.n >= 2 &&
                clang_getCursorKind(sub.c.v[0]) == CXCursor_MemberRef) {
                fp.want = fe_spelling(w, sub.c.v[0]);
                item = sub.c.v[sub.c.n - 1];
            }
        }
        MC_VEC_FREE(sub.c);
        clang_Type_visitFields(ct, field_find, &fp);
        if (clang_Cursor_isNull(fp.found))
            continue;
        const char *name = fe_spelling(w, fp.found);
        flatten(fl, item, clang_getCursorType(fp.found),
                mc_arena_printf(w->a, "%s.%s", path, name), index, name);
        pos = fp.pos + 1;
    }
}

static void flatten_scalar(struct flat *fl, CXCursor c, const char *path,
                           int index, const char *field)
{
    struct fe_walker *w = fl->w;
    CXCursor s = c;
    for (;;) { /* casts, parentheses and & around the value */
        enum CXCursorKind k = clang_getCursorKind(s);
        int addr =
            k == CXCursor_UnaryOperator &&
            clang_getCursorUnaryOperatorKind(s) == CXUnaryOperator_AddrOf;
        if (k != CXCursor_UnexposedExpr && k != CXCursor_ParenExpr &&
            k != CXCursor_CStyleCastExpr && !addr)
            break;
        struct kidv sub = {{NULL, 0, 0}};
        clang_visitChildren(s, kid_collect, &sub);
        unsigned e = 0;
        CXCursor last = clang_getNullCursor();
        for (unsigned i = 0; i < sub.c.n; i++) {
            if (clang_isExpression(clang_getCursorKind(sub.c.v[i]))) {
                e++;
                last = sub.c.v[i];
            }
        }
        MC_VEC_FREE(sub.c);
        if (e != 1)
            break;
        s = last;
    }
    if (clang_getCursorKind(s) == CXCursor_DeclRefExpr) {
        CXCursor ref = clang_getCursorReferenced(s);
        if (clang_getCursorKind(ref) == CXCursor_FunctionDecl) {
            fe_fnref(w, ref);
            add_leaf(fl, c, path, index, field, MC_INIT_FUNC);
            w->inits.v[w->inits.n - 1].usr = fe_usr(w, ref);
            return;
        }
    }
    if (!*field || !clang_isExpression(clang_getCursorKind(c)))
        return; /* only struct fields are evaluated (not big tables) */
    CXEvalResult r = clang_Cursor_Evaluate(c);
    if (!r)
        return;
    CXEvalResultKind rk = clang_EvalResult_getKind(r);
    if (rk == CXEval_Int) {
        add_leaf(fl, c, path, index, field, MC_INIT_INT);
        w->inits.v[w->inits.n - 1].ival = clang_EvalResult_getAsLongLong(r);
    } else if (rk == CXEval_StrLiteral) {
        add_leaf(fl, c, path, index, field, MC_INIT_STRING);
        w->inits.v[w->inits.n - 1].str =
            mc_arena_strdup(w->a, clang_EvalResult_getAsStr(r));
    }
    clang_EvalResult_dispose(r);
}

static void flatten(struct flat *fl, CXCursor c, CXType t, const char *path,
                    int index, const char *field)
{
    if (fl->leaves >= MAX_LEAVES)
        return;
    if (clang_getCursorKind(c) != CXCursor_InitListExpr) {
        flatten_scalar(fl, c, path, index, field);
        return;
    }
    CXType ct = clang_getCanonicalType(t);
    struct kidv k = {{NULL, 0, 0}};
    clang_visitChildren(c, kid_collect, &k);
    if (is_array_kind(ct.kind)) {
        CXType et = clang_getArrayElementType(ct);
        for (unsigned i = 0; i < k.c.n; i++)
            flatten(fl, k.c.v[i], et,
                    mc_arena_printf(fl->w->a, "%s[%u]", path, i),
                    index < 0 ? (int)i : index, "");
    } else if (ct.kind == CXType_Record) {
        flatten_record(fl, &k, ct, path, index);
    }
    MC_VEC_FREE(k.c);
}

void fe_walk_initializer(struct fe_walker *w, CXCursor var, const char *usr)
{
    CXCursor init = clang_Cursor_getVarDeclInitializer(var);
    if (clang_Cursor_isNull(init))
        return;
    struct flat fl = {w, usr, fe_type(w, clang_getCursorType(var)), 0};
    flatten(&fl, init, clang_getCursorType(var), "", -1, "");
}
