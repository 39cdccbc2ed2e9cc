/*
 * facts.h — what the front end learns about one translation unit, as plain
 * C structs (no libclang types): functions with a small structured event
 * tree each, globals and static locals, the leaves of global initializers
 * (module struct, command_rec tables, provider structs) and the functions
 * whose address is taken.
 *
 * Memory: every pointer in a struct mc_tu points into tu->arena and lives
 * until mc_tu_free. Strings are NUL-terminated and never NULL unless noted.
 * Thread-safety: a struct mc_tu is built by one worker thread and only read
 * afterwards; reading it from several threads is safe.
 */
#ifndef MC_FACTS_H
#define MC_FACTS_H

#include <stddef.h>

#include "mc_arena.h"

struct mc_loc {
    const char *file; /* as clang spells it; NULL when unknown */
    unsigned line, col;
};

/* Where a value comes from: what the model needs to know about an
 * expression (an argument, a returned value, the target of a write). */
enum mc_origin {
    MC_ORIG_NONE,     /* a temporary, a constant, or unknown */
    MC_ORIG_GLOBAL,   /* a global or static local: usr */
    MC_ORIG_FUNC,     /* a function designator: usr */
    MC_ORIG_PARAM,    /* parameter number `param` of the enclosing function */
    MC_ORIG_LOCAL,    /* a local variable: name */
    MC_ORIG_CALL,     /* the result of a call to usr (NULL: indirect) */
    MC_ORIG_SRVCONF,  /* ap_get_module_config(x->module_config, ...) */
    MC_ORIG_DIRCONF,  /* ap_get_module_config(r->per_dir_config, ...) */
    MC_ORIG_PROCPOOL, /* s->process->pool */
    MC_ORIG_SERVER,   /* the server_rec: r->server, c->base_server */
    MC_ORIG_STRING,   /* a string literal: str */
    MC_ORIG_INT       /* an integer constant: ival */
};

struct mc_value {
    enum mc_origin origin;
    const char *usr;    /* GLOBAL, FUNC, CALL; else NULL */
    const char *name;   /* spelling of the base symbol or callee; may be "" */
    const char *path;   /* member path below the base: "->mutex", ".n", "[]" */
    const char *type;   /* canonical type of the whole expression */
    const char *str;    /* STRING: the literal's value */
    long long ival;     /* INT */
    int param;          /* PARAM: index, else -1 */
    int access;         /* index of the access event of the base, or -1 */
    int call_ev;        /* CALL: index of the call event, or -1 */
    unsigned addr : 1;  /* the address of the base (&g, &g.f) */
    unsigned deref : 1; /* reached through a pointer (->, *, []) */
};

enum mc_access_kind {
    MC_ACC_READ,
    MC_ACC_WRITE, /* assignment, ++/--, compound assignment */
    MC_ACC_ADDR   /* address taken: &g (neither read nor written here) */
};

enum mc_via {
    MC_VIA_DIRECT, /* g = ..., g read */
    MC_VIA_FIELD,  /* g.f */
    MC_VIA_DEREF,  /* g->f, *g, g[i] through a pointer or array element */
    MC_VIA_ALIAS   /* through a local that holds &g or g's pointer value */
};

struct mc_access {
    struct mc_value target; /* GLOBAL (usr), SRVCONF or DIRCONF */
    enum mc_access_kind kind;
    enum mc_via via;
};

struct mc_call {
    const char *callee_usr;  /* NULL for an indirect call */
    const char *callee_name; /* "" for an indirect call */
    const char *fnptr_type;  /* indirect: canonical function type; else "" */
    struct mc_value *args;
    unsigned nargs;
    unsigned is_builtin : 1; /* the callee is a compiler builtin */
};

/* The event tree of a function body. Structured statements keep their
 * shape so the model can run path-sensitive-enough dataflow (locksets):
 *   SEQ     children in order
 *   IF      child 0 = condition (SEQ), child 1 = then, child 2 = else
 *   LOOP    children run zero or more times (condition, body)
 *   SWITCH  child 0 = condition, child 1 = body containing CASE markers
 *   CASE    control may enter here from the switch
 *   RETURN  child 0 (optional) = the returned expression's events
 *   LABEL   name; GOTO name; BREAK; CONTINUE
 *   ACCESS  a read/write/address-of of a global or of config
 *   CALL    a call; its arguments' events come before it */
enum mc_ev_kind {
    MC_EV_SEQ,
    MC_EV_IF,
    MC_EV_LOOP,
    MC_EV_SWITCH,
    MC_EV_CASE,
    MC_EV_BREAK,
    MC_EV_CONTINUE,
    MC_EV_RETURN,
    MC_EV_GOTO,
    MC_EV_LABEL,
    MC_EV_ACCESS,
    MC_EV_CALL
};

struct mc_event {
    enum mc_ev_kind kind;
    struct mc_loc loc;
    int first; /* first child, -1 if none */
    int next;  /* next sibling, -1 if none */
    union {
        struct mc_access access;
        struct mc_call call;
        struct {
            struct mc_value value; /* RETURN: origin NONE if no value */
        } ret;
        const char *label; /* LABEL, GOTO */
        struct {
            int sense;     /* the condition tests a returned status: 1 the
                              then-branch runs when it is 0 (success), -1
                              when it is not, 0 unknown */
            int status_ev; /* the CALL whose status a tested variable
                              holds (`rv = lock(m); if (rv)`), or -1 */
            int nonnull;   /* IF tests a pointer for NULL: 1 the then-
                              branch runs when it is not NULL (`if (m)`,
                              `m != NULL`), -1 when it is (`!m`), 0 no */
            struct mc_value tested; /* IF with nonnull: the pointer */
        } cond;                     /* IF; LOOP: sense 1 = runs at least once */
    } u;
};

struct mc_func {
    const char *usr;
    const char *name;
    const char *type; /* canonical function type, e.g. "int (struct x *)" */
    struct mc_loc loc;
    struct mc_loc end; /* the closing brace */
    unsigned is_static : 1;
    unsigned nparams;
    struct mc_event *events; /* events[0] is the body (SEQ) */
    unsigned nevents;
    /* Stack frame estimate: the sum of the sizes of non-static locals. */
    unsigned long long frame_bytes;
    const char *big_local; /* the largest local, or NULL */
    unsigned long long big_local_bytes;
    struct mc_loc big_local_loc;
};

struct mc_global {
    const char *usr;
    const char *name;
    const char *type; /* canonical */
    struct mc_loc loc;
    const char *func_usr;  /* static local: the enclosing function; else NULL */
    unsigned is_const : 1; /* the object itself is const */
    unsigned is_tls : 1;   /* _Thread_local / __thread */
    unsigned is_atomic : 1;     /* _Atomic type */
    unsigned is_pointer : 1;    /* a pointer object */
    unsigned is_array : 1;      /* an array object */
    unsigned is_defined : 1;    /* defined here (not just an extern decl) */
    unsigned has_init : 1;      /* has an initializer */
    unsigned is_module_def : 1; /* defined in a main file (module code) */
};

enum mc_init_kind { MC_INIT_FUNC, MC_INIT_INT, MC_INIT_STRING };

/* One leaf of a global's initializer, e.g. for
 *   static const command_rec cmds[] = { AP_INIT_TAKE1("Foo", set_foo, ...
 * path "[0].func.take1" -> FUNC set_foo, "[0].req_override" -> INT 128. */
struct mc_init {
    const char *global_usr;
    const char *type;  /* canonical type of the global */
    const char *path;  /* "[i].field.sub" or ".field" */
    const char *field; /* the innermost field name, "" for array elements */
    int index;         /* the outermost array index, -1 if not an array */
    enum mc_init_kind kind;
    const char *usr; /* FUNC */
    const char *str; /* STRING */
    long long ival;  /* INT */
    struct mc_loc loc;
};

/* A function whose address is taken somewhere (initializers, arguments,
 * assignments): a candidate target for indirect calls of its type. */
struct mc_fnref {
    const char *usr;
    const char *name;
    const char *type;
};

struct mc_tu {
    const char *file;        /* the input as given */
    int ok;                  /* parsed without errors */
    const char *diagnostics; /* clang's error diagnostics, or "" */
    struct mc_func *funcs;
    size_t nfuncs;
    struct mc_global *globals;
    size_t nglobals;
    struct mc_init *inits;
    size_t ninits;
    struct mc_fnref *fnrefs;
    size_t nfnrefs;
    double parse_seconds;
    struct mc_arena arena;
};

void mc_tu_free(struct mc_tu *tu);

#endif
