/*
 * walk.c — function bodies to event trees (see model/facts.h).
 *
 * One recursive pass over the statements of a main-file function. Each
 * expression is walked with a context (read, write, address-of) and returns
 * a struct mc_value saying where its value comes from: that is how a write
 * through `conf->n++` is known to hit the server config, or how
 * `apr_hash_set(cache, ...)` is known to pass a global. Locals assigned from
 * interesting values (a global's address, a config pointer, a function) are
 * remembered as aliases, flow-insensitively, for the rest of the function.
 */
#include <stdlib.h>
#include <string.h>

#include "fe_internal.h"

struct kids {
    CXCursor small[8];
    CXCursor *v;
    unsigned n, cap;
};

static enum CXChildVisitResult kid_visit(CXCursor c, CXCursor parent,
                                         CXClientData data)
{
    (void)parent;
    struct kids *k = data;
    if (k->n == k->cap) {
        unsigned ncap = k->cap * 2;
        CXCursor *nv = mc_xmalloc(ncap * sizeof(*nv));
        memcpy(nv, k->v, k->n * sizeof(*nv));
        if (k->v != k->small)
            free(k->v);
        k->v = nv;
        k->cap = ncap;
    }
    k->v[k->n++] = c;
    return CXChildVisit_Continue;
}

static void kids_get(CXCursor c, struct kids *k)
{
    k->v = k->small;
    k->n = 0;
    k->cap = MC_ARRAY_LEN(k->small);
    clang_visitChildren(c, kid_visit, k);
}

static void kids_free(struct kids *k)
{
    if (k->v != k->small)
        free(k->v);
}

/* ---- events ---- */

static int ev_new(struct fe_walker *w, enum mc_ev_kind kind, CXCursor at)
{
    struct mc_event *e = MC_VEC_PUSH(w->ev);
    *MC_VEC_PUSH(w->last) = -1;
    e->kind = kind;
    e->loc = fe_loc(w, at);
    e->first = e->next = -1;
    return (int)(w->ev.n - 1);
}

static void ev_append(struct fe_walker *w, int parent, int child)
{
    int last = w->last.v[parent];
    if (last < 0)
        w->ev.v[parent].first = child;
    else
        w->ev.v[last].next = child;
    w->last.v[parent] = child;
}

static int ev_add(struct fe_walker *w, int parent, enum mc_ev_kind kind,
                  CXCursor at)
{
    int i = ev_new(w, kind, at);
    ev_append(w, parent, i);
    return i;
}

/* ---- values ---- */

static struct mc_value val_none(void)
{
    struct mc_value v;
    memset(&v, 0, sizeof v);
    v.origin = MC_ORIG_NONE;
    v.name = v.path = "";
    v.param = v.access = v.call_ev = -1;
    return v;
}

static int interesting(const struct mc_value *v)
{
    switch (v->origin) {
        case MC_ORIG_GLOBAL:
        case MC_ORIG_FUNC:
        case MC_ORIG_SRVCONF:
        case MC_ORIG_DIRCONF:
        case MC_ORIG_PROCPOOL:
            return 1;
        case MC_ORIG_CALL:
            return v->usr != NULL;
        case MC_ORIG_PARAM:
            return 1;
        default:
            return 0;
    }
}

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && memcmp(s + n - m, suffix, m) == 0;
}

static const char *path_add(struct fe_walker *w, const char *path,
                            const char *sep, const char *name)
{
    return mc_arena_printf(w->a, "%s%s%s", path, sep, name);
}

/* ap_get_module_config(x->module_config, &m) (function or macro form). */
static struct mc_value config_of(const struct mc_value *vec)
{
    struct mc_value v = val_none();
    if (ends_with(vec->path, "module_config"))
        v.origin = MC_ORIG_SRVCONF;
    else if (ends_with(vec->path, "per_dir_config"))
        v.origin = MC_ORIG_DIRCONF;
    else
        return v;
    v.name = vec->path;
    return v;
}

static const struct mc_value *alias_find(struct fe_walker *w, CXCursor var)
{
    for (size_t i = w->aliases.n; i-- > 0;) {
        if (clang_equalCursors(w->aliases.v[i].var, var))
            return &w->aliases.v[i].value;
    }
    return NULL;
}

static void alias_set(struct fe_walker *w, CXCursor var,
                      const struct mc_value *v)
{
    if (!interesting(v))
        return;
    /* `if (!cmd->path) conf = <server config>`: only at config time */
    if (w->server_context &&
        (v->origin == MC_ORIG_SRVCONF || v->origin == MC_ORIG_SERVER))
        return;
    /* a struct copy is a copy; only pointers alias (and status variables
     * remember the call that set them) */
    enum CXTypeKind k = clang_getCanonicalType(clang_getCursorType(var)).kind;
    if (k != CXType_Pointer && v->origin != MC_ORIG_CALL)
        return;
    struct fe_alias *al = MC_VEC_PUSH(w->aliases);
    al->var = var;
    al->value = *v;
    al->value.access = -1; /* keeps call_ev: `rv = lock(m); if (rv)` */
}

/* A local (not a global) variable or parameter that e names, or null. */
static CXCursor local_var_of(CXCursor e)
{
    for (;;) {
        enum CXCursorKind k = clang_getCursorKind(e);
        if (k == CXCursor_DeclRefExpr) {
            CXCursor ref = clang_getCursorReferenced(e);
            enum CXCursorKind rk = clang_getCursorKind(ref);
            if (rk == CXCursor_ParmDecl ||
                (rk == CXCursor_VarDecl &&
                 clang_Cursor_hasVarDeclGlobalStorage(ref) != 1))
                return ref;
            return clang_getNullCursor();
        }
        if (k != CXCursor_UnexposedExpr && k != CXCursor_ParenExpr)
            return clang_getNullCursor();
        struct kids kd;
        kids_get(e, &kd);
        CXCursor only = kd.n == 1 ? kd.v[0] : clang_getNullCursor();
        kids_free(&kd);
        if (clang_Cursor_isNull(only))
            return only;
        e = only;
    }
}

static int is_subscript(CXCursor e)
{
    while (clang_getCursorKind(e) == CXCursor_ParenExpr ||
           clang_getCursorKind(e) == CXCursor_UnexposedExpr) {
        struct kids k;
        kids_get(e, &k);
        CXCursor only = k.n == 1 ? k.v[0] : clang_getNullCursor();
        kids_free(&k);
        if (clang_Cursor_isNull(only))
            return 0;
        e = only;
    }
    return clang_getCursorKind(e) == CXCursor_ArraySubscriptExpr;
}

static int emit_access(struct fe_walker *w, int parent, CXCursor at,
                       const struct mc_value *target, enum fe_ctx ctx,
                       enum mc_via via)
{
    int i = ev_add(w, parent, MC_EV_ACCESS, at);
    struct mc_access *acc = &w->ev.v[i].u.access;
    acc->target = *target;
    acc->target.access = -1;
    acc->kind = ctx == CTX_WRITE  ? MC_ACC_WRITE
                : ctx == CTX_ADDR ? MC_ACC_ADDR
                                  : MC_ACC_READ;
    acc->via = via;
    return i;
}

/* A write through a pointer whose origin is known only at the operator:
 * config (`conf->n = 1`), a parameter (`p->n++`), a call result. */
static void emit_indirect_write(struct fe_walker *w, int parent, CXCursor at,
                                const struct mc_value *lhs)
{
    if (!lhs->deref)
        return;
    if (w->server_context &&
        (lhs->origin == MC_ORIG_SRVCONF || lhs->origin == MC_ORIG_SERVER))
        return; /* a directive in server context: config time */
    switch (lhs->origin) {
        case MC_ORIG_SRVCONF:
        case MC_ORIG_DIRCONF:
        case MC_ORIG_SERVER:
        case MC_ORIG_PARAM:
        case MC_ORIG_CALL:
            emit_access(w, parent, at, lhs, CTX_WRITE, MC_VIA_DEREF);
            break;
        default:
            break;
    }
}

static struct mc_value walk_expr(struct fe_walker *w, CXCursor c,
                                 enum fe_ctx ctx, enum mc_via via, int parent);
static void walk_stmt(struct fe_walker *w, CXCursor c, int parent);

static enum mc_via stronger(enum mc_via a, enum mc_via b)
{
    return a > b ? a : b;
}

/* A local variable or parameter: its alias if it holds shared state. */
static struct mc_value walk_local_ref(struct fe_walker *w, CXCursor c,
                                      CXCursor ref, enum fe_ctx ctx,
                                      enum mc_via via, int parent)
{
    struct mc_value v = val_none();
    const struct mc_value *al = alias_find(w, ref);
    if (al) {
        v = *al;
        if (v.origin == MC_ORIG_GLOBAL && ctx != CTX_NONE &&
            via != MC_VIA_DIRECT)
            v.access = emit_access(w, parent, c, &v, ctx, MC_VIA_ALIAS);
        else if ((v.origin == MC_ORIG_PARAM || v.origin == MC_ORIG_CALL) &&
                 ctx == CTX_READ && via != MC_VIA_DIRECT)
            emit_access(w, parent, c, &v, ctx, MC_VIA_DEREF);
        return v;
    }
    v.name = fe_spelling(w, ref);
    if (clang_getCursorKind(ref) != CXCursor_ParmDecl) {
        v.origin = MC_ORIG_LOCAL;
        return v;
    }
    v.origin = MC_ORIG_PARAM;
    for (size_t i = 0; i < w->params.n; i++) {
        if (clang_equalCursors(w->params.v[i], ref))
            v.param = (int)i;
    }
    if (ctx == CTX_READ && via != MC_VIA_DIRECT)
        emit_access(w, parent, c, &v, ctx, MC_VIA_DEREF);
    return v;
}

static struct mc_value walk_declref(struct fe_walker *w, CXCursor c,
                                    enum fe_ctx ctx, enum mc_via via,
                                    int parent)
{
    CXCursor ref = clang_getCursorReferenced(c);
    struct mc_value v = val_none();
    switch (clang_getCursorKind(ref)) {
        case CXCursor_VarDecl:
            if (clang_Cursor_hasVarDeclGlobalStorage(ref) != 1)
                return walk_local_ref(w, c, ref, ctx, via, parent);
            int gi = fe_global(w, ref);
            v.origin = MC_ORIG_GLOBAL;
            v.usr = w->globals.v[gi].usr;
            v.name = w->globals.v[gi].name;
            if (ctx != CTX_NONE)
                v.access = emit_access(w, parent, c, &v, ctx, via);
            return v;
        case CXCursor_ParmDecl:
            return walk_local_ref(w, c, ref, ctx, via, parent);
        case CXCursor_FunctionDecl:
            fe_fnref(w, ref);
            v.origin = MC_ORIG_FUNC;
            v.usr = fe_usr(w, ref);
            v.name = fe_spelling(w, ref);
            return v;
        case CXCursor_EnumConstantDecl:
            v.origin = MC_ORIG_INT;
            v.ival = clang_getEnumConstantDeclValue(ref);
            return v;
        default:
            return v;
    }
}

static struct mc_value walk_member(struct fe_walker *w, CXCursor c,
                                   enum fe_ctx ctx, enum mc_via via, int parent)
{
    struct kids k;
    kids_get(c, &k);
    struct mc_value v = val_none();
    if (k.n > 0) {
        CXCursor base = k.v[0];
        int arrow = clang_getCanonicalType(clang_getCursorType(base)).kind ==
                    CXType_Pointer;
        enum fe_ctx bctx = ctx == CTX_NONE   ? CTX_NONE
                           : ctx == CTX_READ ? CTX_READ
                                             : ctx;
        v = walk_expr(w, base, bctx,
                      stronger(via, arrow ? MC_VIA_DEREF : MC_VIA_FIELD),
                      parent);
        v.path = path_add(w, v.path, arrow ? "->" : ".", fe_spelling(w, c));
        v.deref |= arrow;
        v.addr = 0;
        if (v.access >= 0) /* the base's access: now the member is known */
            w->ev.v[v.access].u.access.target.path = v.path;
        if (v.origin == MC_ORIG_PARAM &&
            (!strcmp(v.path, "->server") || !strcmp(v.path, "->base_server"))) {
            v.origin = MC_ORIG_SERVER; /* r->server, c->base_server */
            v.name = v.path + 2;
            v.path = "";
            v.deref = 0;
        } else if (ends_with(v.path, "process->pool") ||
                   ends_with(v.path, "process->pconf")) {
            v.origin = MC_ORIG_PROCPOOL;
            v.usr = NULL;
            v.access = -1;
        }
    }
    kids_free(&k);
    return v;
}

static struct mc_value walk_subscript(struct fe_walker *w, CXCursor c,
                                      enum fe_ctx ctx, enum mc_via via,
                                      int parent)
{
    struct kids k;
    kids_get(c, &k);
    struct mc_value v = val_none();
    if (k.n == 2) {
        v = walk_expr(w, k.v[0], ctx, stronger(via, MC_VIA_DEREF), parent);
        walk_expr(w, k.v[1], CTX_READ, MC_VIA_DIRECT, parent);
        struct mc_value conf = config_of(&v);
        if (conf.origin != MC_ORIG_NONE) {
            v = conf;
        } else {
            v.path = path_add(w, v.path, "", "[]");
            v.deref = 1;
            v.addr = 0;
            if (v.access >= 0)
                w->ev.v[v.access].u.access.target.path = v.path;
        }
    }
    kids_free(&k);
    return v;
}

static struct mc_value walk_unary(struct fe_walker *w, CXCursor c,
                                  enum fe_ctx ctx, enum mc_via via, int parent)
{
    struct kids k;
    kids_get(c, &k);
    struct mc_value v = val_none();
    if (k.n != 1) {
        kids_free(&k);
        return v;
    }
    CXCursor op = k.v[0];
    kids_free(&k);
    switch (clang_getCursorUnaryOperatorKind(c)) {
        case CXUnaryOperator_PostInc:
        case CXUnaryOperator_PostDec:
        case CXUnaryOperator_PreInc:
        case CXUnaryOperator_PreDec:
            v = walk_expr(w, op, CTX_WRITE, via, parent);
            /* `p++` on a local pointer moves the pointer, not the pointee */
            if (clang_Cursor_isNull(local_var_of(op)))
                emit_indirect_write(w, parent, c, &v);
            return val_none();
        case CXUnaryOperator_AddrOf:
            v = walk_expr(w, op, ctx == CTX_NONE ? CTX_NONE : CTX_ADDR, via,
                          parent);
            v.addr = 1;
            return v;
        case CXUnaryOperator_Deref:
            v = walk_expr(w, op, ctx, stronger(via, MC_VIA_DEREF), parent);
            v.path = path_add(w, v.path, "", "[*]");
            v.deref = 1;
            v.addr = 0;
            return v;
        case CXUnaryOperator_Extension:
            return walk_expr(w, op, ctx, via, parent);
        default:
            walk_expr(w, op, ctx == CTX_NONE ? CTX_NONE : CTX_READ,
                      MC_VIA_DIRECT, parent);
            return v;
    }
}

static struct mc_value walk_assign(struct fe_walker *w, CXCursor c,
                                   enum fe_ctx ctx, int compound, int parent)
{
    struct kids k;
    kids_get(c, &k);
    struct mc_value v = val_none();
    if (k.n == 2) {
        enum fe_ctx rctx = ctx == CTX_NONE ? CTX_NONE : CTX_READ;
        struct mc_value rhs = walk_expr(w, k.v[1], rctx, MC_VIA_DIRECT, parent);
        struct mc_value lhs =
            walk_expr(w, k.v[0], ctx == CTX_NONE ? CTX_NONE : CTX_WRITE,
                      MC_VIA_DIRECT, parent);
        if ((lhs.origin == MC_ORIG_SRVCONF || lhs.origin == MC_ORIG_DIRCONF) &&
            is_subscript(k.v[0]))
            lhs.deref = 1; /* ap_set_module_config: the config vector */
        CXCursor var = local_var_of(k.v[0]);
        /* `node = node->next` stores into the local itself, not into the
         * config or parameter object its old value pointed to */
        if (clang_Cursor_isNull(var))
            emit_indirect_write(w, parent, c, &lhs);
        if (!compound && !clang_Cursor_isNull(var))
            alias_set(w, var, &rhs);
        v = rhs;
    }
    kids_free(&k);
    return v;
}

static struct mc_value walk_binary(struct fe_walker *w, CXCursor c,
                                   enum fe_ctx ctx, int parent)
{
    enum CXBinaryOperatorKind op = clang_getCursorBinaryOperatorKind(c);
    if (op >= CXBinaryOperator_Assign && op <= CXBinaryOperator_OrAssign)
        return walk_assign(w, c, ctx, op != CXBinaryOperator_Assign, parent);
    struct kids k;
    kids_get(c, &k);
    struct mc_value v = val_none(), lhs = val_none();
    enum fe_ctx sub = ctx == CTX_NONE ? CTX_NONE : CTX_READ;
    for (unsigned i = 0; i < k.n; i++) {
        struct mc_value x = walk_expr(w, k.v[i], sub, MC_VIA_DIRECT, parent);
        if (i == 0)
            lhs = x;
        v = x;
    }
    kids_free(&k);
    if (op == CXBinaryOperator_Comma)
        return v;
    /* pointer arithmetic keeps pointing into the same object */
    if ((op == CXBinaryOperator_Add || op == CXBinaryOperator_Sub) &&
        lhs.origin == MC_ORIG_GLOBAL)
        return lhs;
    return val_none();
}

static struct mc_value walk_call(struct fe_walker *w, CXCursor c,
                                 enum fe_ctx ctx, int parent)
{
    struct kids k;
    kids_get(c, &k);
    CXCursor ref = clang_getCursorReferenced(c);
    int direct = clang_getCursorKind(ref) == CXCursor_FunctionDecl;
    enum fe_ctx sub = ctx == CTX_NONE ? CTX_NONE : CTX_READ;
    const char *fnptr_type = "";
    if (!direct && k.n > 0) {
        walk_expr(w, k.v[0], sub, MC_VIA_DIRECT, parent);
        CXType t = clang_getCanonicalType(clang_getCursorType(k.v[0]));
        if (t.kind == CXType_Pointer)
            t = clang_getPointeeType(t);
        fnptr_type = fe_type(w, t);
    }
    unsigned nargs = k.n > 0 ? k.n - 1 : 0;
    struct mc_value *args =
        nargs ? mc_arena_alloc(w->a, nargs * sizeof(*args)) : NULL;
    for (unsigned i = 0; i < nargs; i++) {
        args[i] = walk_expr(w, k.v[i + 1], sub, MC_VIA_DIRECT, parent);
        enum mc_origin o = args[i].origin;
        if (o == MC_ORIG_GLOBAL || o == MC_ORIG_SRVCONF || o == MC_ORIG_DIRCONF)
            args[i].type = fe_type(w, clang_getCursorType(k.v[i + 1]));
    }
    kids_free(&k);
    int e = ev_add(w, parent, MC_EV_CALL, c);
    struct mc_call *call = &w->ev.v[e].u.call;
    call->callee_usr = direct ? fe_usr(w, ref) : NULL;
    call->callee_name = direct ? fe_spelling(w, ref) : "";
    call->fnptr_type = fnptr_type;
    call->args = args;
    call->nargs = nargs;
    call->is_builtin = direct && !strncmp(call->callee_name, "__builtin", 9);
    struct mc_value v = val_none();
    if (direct && nargs >= 1 &&
        !strcmp(call->callee_name, "ap_get_module_config"))
        v = config_of(&args[0]);
    if (direct && nargs >= 1 &&
        !strcmp(call->callee_name, "ap_set_module_config")) {
        struct mc_value conf = config_of(&args[0]);
        conf.deref = 1;
        emit_indirect_write(w, parent, c, &conf);
    }
    if (v.origin == MC_ORIG_NONE) {
        v.origin = MC_ORIG_CALL;
        v.usr = call->callee_usr;
        v.name = call->callee_name;
        v.call_ev = e;
    }
    return v;
}

/* Implicit casts, parentheses, explicit casts: the value of the last child;
 * any other unexposed expression (atomic builtins, statement expressions,
 * designated initializers): its children in order. */
static struct mc_value walk_wrapper(struct fe_walker *w, CXCursor c,
                                    enum fe_ctx ctx, enum mc_via via,
                                    int parent)
{
    struct kids k;
    kids_get(c, &k);
    struct mc_value v = val_none();
    enum CXCursorKind kind = clang_getCursorKind(c);
    int pass = k.n == 1 || kind == CXCursor_CStyleCastExpr ||
               kind == CXCursor_ParenExpr;
    for (unsigned i = 0; i < k.n; i++) {
        enum CXCursorKind kk = clang_getCursorKind(k.v[i]);
        if (clang_isStatement(kk) && !clang_isExpression(kk)) {
            walk_stmt(w, k.v[i], parent);
            continue;
        }
        if (!clang_isExpression(kk))
            continue;
        int last = i + 1 == k.n;
        struct mc_value x =
            walk_expr(w, k.v[i],
                      pass && last      ? ctx
                      : ctx == CTX_NONE ? CTX_NONE
                                        : CTX_READ,
                      pass && last ? via : MC_VIA_DIRECT, parent);
        if (pass && last)
            v = x;
    }
    kids_free(&k);
    return v;
}

static struct mc_value walk_conditional(struct fe_walker *w, CXCursor c,
                                        enum fe_ctx ctx, enum mc_via via,
                                        int parent)
{
    struct kids k;
    kids_get(c, &k);
    struct mc_value v = val_none();
    for (unsigned i = 0; i < k.n; i++) {
        struct mc_value x =
            walk_expr(w, k.v[i], i == 0 && ctx != CTX_NONE ? CTX_READ : ctx,
                      i == 0 ? MC_VIA_DIRECT : via, parent);
        if (i > 0 && v.origin == MC_ORIG_NONE && interesting(&x))
            v = x;
    }
    kids_free(&k);
    return v;
}

static struct mc_value walk_children_read(struct fe_walker *w, CXCursor c,
                                          enum fe_ctx ctx, int parent)
{
    struct kids k;
    kids_get(c, &k);
    for (unsigned i = 0; i < k.n; i++) {
        enum CXCursorKind kk = clang_getCursorKind(k.v[i]);
        if (clang_isExpression(kk))
            walk_expr(w, k.v[i], ctx == CTX_NONE ? CTX_NONE : CTX_READ,
                      MC_VIA_DIRECT, parent);
        else if (clang_isStatement(kk))
            walk_stmt(w, k.v[i], parent);
    }
    kids_free(&k);
    return val_none();
}

static struct mc_value walk_expr(struct fe_walker *w, CXCursor c,
                                 enum fe_ctx ctx, enum mc_via via, int parent)
{
    switch (clang_getCursorKind(c)) {
        case CXCursor_DeclRefExpr:
            return walk_declref(w, c, ctx, via, parent);
        case CXCursor_MemberRefExpr:
            return walk_member(w, c, ctx, via, parent);
        case CXCursor_ArraySubscriptExpr:
            return walk_subscript(w, c, ctx, via, parent);
        case CXCursor_UnaryOperator:
            return walk_unary(w, c, ctx, via, parent);
        case CXCursor_BinaryOperator:
            return walk_binary(w, c, ctx, parent);
        case CXCursor_CompoundAssignOperator:
            return walk_assign(w, c, ctx, 1, parent);
        case CXCursor_CallExpr:
            return walk_call(w, c, ctx, parent);
        case CXCursor_UnexposedExpr:
        case CXCursor_ParenExpr:
        case CXCursor_CStyleCastExpr:
            return walk_wrapper(w, c, ctx, via, parent);
        case CXCursor_ConditionalOperator:
            return walk_conditional(w, c, ctx, via, parent);
        case CXCursor_StringLiteral: {
            struct mc_value v = val_none();
            v.origin = MC_ORIG_STRING;
            v.str = fe_spelling(w, c);
            return v;
        }
        case CXCursor_IntegerLiteral: {
            struct mc_value v = val_none();
            v.origin = MC_ORIG_INT;
            return v;
        }
        case CXCursor_UnaryExpr: /* sizeof, alignof: not evaluated */
            return val_none();
        case CXCursor_StmtExpr:
            walk_children_read(w, c, ctx, parent);
            return val_none();
        default:
            return walk_children_read(w, c, ctx, parent);
    }
}

/* ---- statements ---- */

static void walk_into(struct fe_walker *w, CXCursor c, int seq)
{
    if (clang_getCursorKind(c) == CXCursor_CompoundStmt) {
        struct kids k;
        kids_get(c, &k);
        for (unsigned i = 0; i < k.n; i++)
            walk_stmt(w, k.v[i], seq);
        kids_free(&k);
    } else {
        walk_stmt(w, c, seq);
    }
}

static CXCursor strip_parens(CXCursor e)
{
    for (;;) {
        enum CXCursorKind k = clang_getCursorKind(e);
        if (k != CXCursor_ParenExpr && k != CXCursor_UnexposedExpr &&
            k != CXCursor_CStyleCastExpr)
            return e;
        struct kids kd;
        kids_get(e, &kd);
        CXCursor last = kd.n ? kd.v[kd.n - 1] : clang_getNullCursor();
        kids_free(&kd);
        if (clang_Cursor_isNull(last))
            return e;
        e = last;
    }
}

static int is_zero_literal(CXCursor e)
{
    e = strip_parens(e);
    if (clang_getCursorKind(e) != CXCursor_IntegerLiteral)
        return 0;
    CXEvalResult r = clang_Cursor_Evaluate(e);
    int zero = r && clang_EvalResult_getKind(r) == CXEval_Int &&
               clang_EvalResult_getAsLongLong(r) == 0;
    if (r)
        clang_EvalResult_dispose(r);
    return zero;
}

/* `cmd->path` of a `cmd_parms *`: NULL exactly in server context */
static int is_cmd_path(struct fe_walker *w, CXCursor e)
{
    if (clang_getCursorKind(e) != CXCursor_MemberRefExpr ||
        strcmp(fe_spelling(w, e), "path"))
        return 0;
    struct kids k;
    kids_get(e, &k);
    int yes = k.n == 1 && !strcmp(fe_type(w, clang_getCursorType(k.v[0])),
                                  "struct cmd_parms_struct *");
    kids_free(&k);
    return yes;
}

/* `if (m)`, `if (!m)`, `if (m != NULL)`, `if (conf->mutex == NULL)`: a
 * NULL test of a pointer named by variables and members only. Sets
 * w->cond_nonnull (see mc_event.u.cond.nonnull) and w->cond_tested. */
static void cond_nullness(struct fe_walker *w, CXCursor c, int parent)
{
    w->cond_nonnull = 0;
    w->cond_cmd_path = 0;
    c = strip_parens(c);
    int then_nonnull = 1;
    enum CXCursorKind k = clang_getCursorKind(c);
    struct kids kd;
    kids_get(c, &kd);
    if (k == CXCursor_UnaryOperator &&
        clang_getCursorUnaryOperatorKind(c) == CXUnaryOperator_LNot &&
        kd.n == 1) {
        then_nonnull = -1;
        c = strip_parens(kd.v[0]);
    } else if (k == CXCursor_BinaryOperator && kd.n == 2 &&
               is_zero_literal(kd.v[1])) {
        enum CXBinaryOperatorKind op = clang_getCursorBinaryOperatorKind(c);
        then_nonnull = op == CXBinaryOperator_EQ   ? -1
                       : op == CXBinaryOperator_NE ? 1
                                                   : 0;
        c = strip_parens(kd.v[0]);
    }
    kids_free(&kd);
    if (!then_nonnull ||
        clang_getCanonicalType(clang_getCursorType(c)).kind != CXType_Pointer)
        return;
    /* only names: no call or side effect is walked a second time */
    for (CXCursor e = c;;) {
        enum CXCursorKind ek = clang_getCursorKind(e);
        if (ek == CXCursor_DeclRefExpr)
            break;
        if (ek != CXCursor_MemberRefExpr && ek != CXCursor_ParenExpr &&
            ek != CXCursor_UnexposedExpr)
            return;
        struct kids m;
        kids_get(e, &m);
        CXCursor first = m.n ? m.v[0] : clang_getNullCursor();
        kids_free(&m);
        if (clang_Cursor_isNull(first))
            return;
        e = first;
    }
    w->cond_tested = walk_expr(w, c, CTX_NONE, MC_VIA_DIRECT, parent);
    w->cond_nonnull = then_nonnull;
    w->cond_cmd_path = is_cmd_path(w, c);
}

/* What the then-branch knows about a status returned in the condition
 * (0 = success for APR and pthreads): 1 `== 0` / `!f()`, -1 `!= 0` or a
 * bare `f()`, 0 unknown. */
static int cond_sense(struct fe_walker *w, CXCursor c)
{
    c = strip_parens(c);
    enum CXCursorKind k = clang_getCursorKind(c);
    int sense = 0;
    CXCursor tested = c;
    if (k == CXCursor_CallExpr || k == CXCursor_DeclRefExpr) {
        sense = -1;
    } else if (k == CXCursor_UnaryOperator &&
               clang_getCursorUnaryOperatorKind(c) == CXUnaryOperator_LNot) {
        sense = 1;
        struct kids kd;
        kids_get(c, &kd);
        if (kd.n == 1)
            tested = strip_parens(kd.v[0]);
        kids_free(&kd);
    } else if (k == CXCursor_BinaryOperator) {
        enum CXBinaryOperatorKind op = clang_getCursorBinaryOperatorKind(c);
        sense = op == CXBinaryOperator_EQ   ? 1
                : op == CXBinaryOperator_NE ? -1
                                            : 0;
        struct kids kd;
        kids_get(c, &kd);
        if (kd.n == 2)
            tested = strip_parens(kd.v[0]);
        kids_free(&kd);
    }
    /* a variable holding a call's status: which call */
    w->cond_status_ev = -1;
    CXCursor var = local_var_of(tested);
    const struct mc_value *al =
        clang_Cursor_isNull(var) ? NULL : alias_find(w, var);
    if (al && al->origin == MC_ORIG_CALL)
        w->cond_status_ev = al->call_ev;
    return sense;
}

static void walk_if(struct fe_walker *w, CXCursor c, int parent)
{
    struct kids k;
    kids_get(c, &k);
    int e = ev_add(w, parent, MC_EV_IF, c);
    w->ev.v[e].u.cond.status_ev = -1;
    w->ev.v[e].u.cond.nonnull = 0;
    int cond = ev_add(w, e, MC_EV_SEQ, c);
    /* C: condition, then, optional else */
    if (k.n > 0) {
        walk_stmt(w, k.v[0], cond);
        w->ev.v[e].u.cond.sense = cond_sense(w, k.v[0]);
        w->ev.v[e].u.cond.status_ev = w->cond_status_ev;
        cond_nullness(w, k.v[0], cond);
        w->ev.v[e].u.cond.nonnull = w->cond_nonnull;
        if (w->cond_nonnull)
            w->ev.v[e].u.cond.tested = w->cond_tested;
    }
    /* which branch sees cmd->path == NULL (server context), if any */
    int srv = w->cond_cmd_path ? w->ev.v[e].u.cond.nonnull : 0;
    int then = ev_add(w, e, MC_EV_SEQ, c);
    if (k.n > 1) {
        w->server_context += srv < 0;
        walk_into(w, k.v[1], then);
        w->server_context -= srv < 0;
    }
    if (k.n > 2) {
        int els = ev_add(w, e, MC_EV_SEQ, k.v[2]);
        w->server_context += srv > 0;
        walk_into(w, k.v[2], els);
        w->server_context -= srv > 0;
    }
    kids_free(&k);
}

static void walk_children_into(struct fe_walker *w, CXCursor c, int e)
{
    struct kids k;
    kids_get(c, &k);
    for (unsigned i = 0; i < k.n; i++)
        walk_into(w, k.v[i], e);
    kids_free(&k);
}

static void walk_switch(struct fe_walker *w, CXCursor c, int parent)
{
    struct kids k;
    kids_get(c, &k);
    int e = ev_add(w, parent, MC_EV_SWITCH, c);
    int cond = ev_add(w, e, MC_EV_SEQ, c);
    int body = -1;
    for (unsigned i = 0; i < k.n; i++) {
        if (i + 1 < k.n) {
            walk_stmt(w, k.v[i], cond);
        } else {
            body = ev_add(w, e, MC_EV_SEQ, k.v[i]);
            walk_into(w, k.v[i], body);
        }
    }
    kids_free(&k);
}

static void walk_case(struct fe_walker *w, CXCursor c, int parent)
{
    struct kids k;
    kids_get(c, &k);
    ev_add(w, parent, MC_EV_CASE, c);
    if (k.n > 0)
        walk_stmt(w, k.v[k.n - 1], parent);
    kids_free(&k);
}

static void walk_return(struct fe_walker *w, CXCursor c, int parent)
{
    struct kids k;
    kids_get(c, &k);
    int e = ev_add(w, parent, MC_EV_RETURN, c);
    struct mc_value v = val_none();
    if (k.n > 0) {
        int seq = ev_add(w, e, MC_EV_SEQ, c);
        v = walk_expr(w, k.v[0], CTX_READ, MC_VIA_DIRECT, seq);
    }
    w->ev.v[e].u.ret.value = v;
    kids_free(&k);
}

static void walk_label(struct fe_walker *w, CXCursor c, int parent,
                       enum mc_ev_kind kind)
{
    struct kids k;
    kids_get(c, &k);
    int e = ev_add(w, parent, kind, c);
    if (kind == MC_EV_GOTO) {
        CXCursor ref = k.n ? clang_getCursorReferenced(k.v[0]) : c;
        w->ev.v[e].u.label = fe_spelling(w, ref);
    } else {
        w->ev.v[e].u.label = fe_spelling(w, c);
        if (k.n > 0)
            walk_stmt(w, k.v[k.n - 1], parent);
    }
    kids_free(&k);
}

static void walk_local(struct fe_walker *w, CXCursor var, int parent)
{
    if (clang_Cursor_hasVarDeclGlobalStorage(var) == 1) {
        if (clang_Cursor_getStorageClass(var) != CX_SC_Extern)
            fe_global(w, var); /* a static local */
        return;
    }
    long long size = clang_Type_getSizeOf(clang_getCursorType(var));
    if (size > 0) {
        w->fn->frame_bytes += (unsigned long long)size;
        if ((unsigned long long)size > w->fn->big_local_bytes) {
            w->fn->big_local_bytes = (unsigned long long)size;
            w->fn->big_local = fe_spelling(w, var);
            w->fn->big_local_loc = fe_loc(w, var);
        }
    }
    CXCursor init = clang_Cursor_getVarDeclInitializer(var);
    if (clang_Cursor_isNull(init))
        return;
    struct mc_value v = walk_expr(w, init, CTX_READ, MC_VIA_DIRECT, parent);
    alias_set(w, var, &v);
}

static void walk_decls(struct fe_walker *w, CXCursor c, int parent)
{
    struct kids k;
    kids_get(c, &k);
    for (unsigned i = 0; i < k.n; i++) {
        if (clang_getCursorKind(k.v[i]) == CXCursor_VarDecl)
            walk_local(w, k.v[i], parent);
    }
    kids_free(&k);
}

static void walk_stmt(struct fe_walker *w, CXCursor c, int parent)
{
    enum CXCursorKind kind = clang_getCursorKind(c);
    switch (kind) {
        case CXCursor_CompoundStmt:
            walk_children_into(w, c, ev_add(w, parent, MC_EV_SEQ, c));
            return;
        case CXCursor_IfStmt:
            walk_if(w, c, parent);
            return;
        case CXCursor_WhileStmt:
        case CXCursor_DoStmt:
        case CXCursor_ForStmt: {
            int e = ev_add(w, parent, MC_EV_LOOP, c);
            w->ev.v[e].u.cond.sense = kind == CXCursor_DoStmt; /* once */
            walk_children_into(w, c, e);
            return;
        }
        case CXCursor_SwitchStmt:
            walk_switch(w, c, parent);
            return;
        case CXCursor_CaseStmt:
        case CXCursor_DefaultStmt:
            walk_case(w, c, parent);
            return;
        case CXCursor_BreakStmt:
            ev_add(w, parent, MC_EV_BREAK, c);
            return;
        case CXCursor_ContinueStmt:
            ev_add(w, parent, MC_EV_CONTINUE, c);
            return;
        case CXCursor_ReturnStmt:
            walk_return(w, c, parent);
            return;
        case CXCursor_GotoStmt:
            walk_label(w, c, parent, MC_EV_GOTO);
            return;
        case CXCursor_LabelStmt:
            walk_label(w, c, parent, MC_EV_LABEL);
            return;
        case CXCursor_DeclStmt:
            walk_decls(w, c, parent);
            return;
        case CXCursor_NullStmt:
        case CXCursor_GCCAsmStmt:
        case CXCursor_IndirectGotoStmt:
            return;
        default:
            if (clang_isExpression(kind))
                walk_expr(w, c, CTX_READ, MC_VIA_DIRECT, parent);
            else
                walk_children_into(w, c, parent);
            return;
    }
}

static CXCursor body_of(CXCursor fn)
{
    struct kids k;
    kids_get(fn, &k);
    CXCursor body = clang_getNullCursor();
    for (unsigned i = 0; i < k.n; i++) {
        if (clang_getCursorKind(k.v[i]) == CXCursor_CompoundStmt)
            body = k.v[i];
    }
    kids_free(&k);
    return body;
}

static struct mc_loc end_loc(struct fe_walker *w, CXCursor c)
{
    CXSourceLocation end = clang_getRangeEnd(clang_getCursorExtent(c));
    struct mc_loc loc = {w->out->file, 0, 0};
    clang_getExpansionLocation(end, NULL, &loc.line, &loc.col, NULL);
    if (loc.col > 1)
        loc.col--; /* the range end is one past the brace */
    return loc;
}

void fe_walk_function(struct fe_walker *w, CXCursor fn)
{
    CXCursor body = body_of(fn);
    if (clang_Cursor_isNull(body))
        return;
    struct mc_func *f = MC_VEC_PUSH(w->funcs);
    f->usr = fe_usr(w, fn);
    f->name = fe_spelling(w, fn);
    f->type = fe_type(w, clang_getCursorType(fn));
    f->loc = fe_loc(w, fn);
    f->end = end_loc(w, body);
    f->is_static = clang_Cursor_getStorageClass(fn) == CX_SC_Static;
    int np = clang_Cursor_getNumArguments(fn);
    f->nparams = np > 0 ? (unsigned)np : 0;
    w->params.n = w->aliases.n = w->ev.n = w->last.n = 0;
    for (int i = 0; i < np; i++)
        *MC_VEC_PUSH(w->params) = clang_Cursor_getArgument(fn, (unsigned)i);
    w->fn = f;
    int root = ev_new(w, MC_EV_SEQ, body);
    walk_children_into(w, body, root);
    /* w->funcs may not move while f is in use: it is the last element */
    f = &w->funcs.v[w->funcs.n - 1];
    f->nevents = (unsigned)w->ev.n;
    f->events = mc_arena_alloc(w->a, w->ev.n * sizeof(*f->events));
    memcpy(f->events, w->ev.v, w->ev.n * sizeof(*f->events));
    w->fn = NULL;
}
