/* expr_internal.h — the parse tree shared by expr.c (parser),
 * expr_eval.c (evaluator) and expr_lookup.c (built-in variables, functions
 * and operators).
 *
 * Contract: nodes are allocated from the configuration pool by the parser
 * and never modified afterwards (threads evaluate them concurrently).
 */
#ifndef MC_STUB_EXPR_INTERNAL_H
#define MC_STUB_EXPR_INTERNAL_H

#include "ap_expr.h"

enum mc_expr_op {
    MC_EXPR_TRUE,
    MC_EXPR_FALSE,
    MC_EXPR_NOT,    /* a1 */
    MC_EXPR_AND,    /* a1 && a2 */
    MC_EXPR_OR,     /* a1 || a2 */
    MC_EXPR_STR_EQ, /* a1, a2: words */
    MC_EXPR_STR_NE,
    MC_EXPR_STR_LT,
    MC_EXPR_STR_LE,
    MC_EXPR_STR_GT,
    MC_EXPR_STR_GE,
    MC_EXPR_INT_EQ,
    MC_EXPR_INT_NE,
    MC_EXPR_INT_LT,
    MC_EXPR_INT_LE,
    MC_EXPR_INT_GT,
    MC_EXPR_INT_GE,
    MC_EXPR_REGEX,    /* a1 word, a2 ap_regex_t */
    MC_EXPR_NREGEX,   /* a1 word, a2 ap_regex_t */
    MC_EXPR_IN,       /* a1 word, a2 LIST or LISTFUNC */
    MC_EXPR_UNARY,    /* a1 ap_expr_op_unary_t, a2 data, a3 word */
    MC_EXPR_BINARY,   /* a1 ap_expr_op_binary_t, a2 data, a3, a4 words */
    MC_EXPR_STRING,   /* a1 const char * */
    MC_EXPR_CONCAT,   /* a1 . a2 */
    MC_EXPR_VAR,      /* a1 ap_expr_var_func_t, a2 data */
    MC_EXPR_STRFUNC,  /* a1 ap_expr_string_func_t, a2 data, a3 word */
    MC_EXPR_BACKREF,  /* a1 number 0-9 */
    MC_EXPR_LIST,     /* a1 apr_array_header_t of ap_expr_t * */
    MC_EXPR_LISTFUNC, /* a1 ap_expr_list_func_t, a2 data, a3 word */
};

struct ap_expr_node {
    enum mc_expr_op op;
    const void *a1, *a2, *a3, *a4;
};

/* Built-in lookup (expr_lookup.c): OK and *func set when name is known. */
int mc__expr_builtin_lookup(ap_expr_lookup_parms *parms);

#endif
