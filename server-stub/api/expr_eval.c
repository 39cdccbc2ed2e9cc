/* expr_eval.c — evaluation of ap_expr parse trees (see expr.c) and the
 * ap_expr_exec* / ap_expr_str_exec* entry points.
 *
 * Contract: reads the immutable tree; all results are allocated from
 * ctx->p; back references live in the caller's ctx (re_pmatch/re_source or
 * a private vector), the Vary list in *ctx->vary_this. Errors go to
 * *ctx->err and make the entry points return -1 (or NULL for strings).
 * Thread-safe given a per-request ctx. Entry points call MC_API_ENTER()
 * once.
 */
#include <string.h>

#include "apr_lib.h"
#include "apr_strings.h"
#include "apr_tables.h"

#include "httpd.h"
#include "http_log.h"
#include "ap_expr.h"

#include "api_internal.h"
#include "expr_internal.h"

#define MAX_RECURSION 20

static const char *eval_word(ap_expr_eval_ctx_t *ctx, const ap_expr_t *n);

static const char *backref(ap_expr_eval_ctx_t *ctx, int no)
{
    const ap_regmatch_t *m;

    if (!ctx->re_pmatch || !ctx->re_source || !*ctx->re_source ||
        !**ctx->re_source || (apr_size_t)no >= ctx->re_nmatch)
        return "";
    m = &ctx->re_pmatch[no];
    if (m->rm_so < 0 || m->rm_eo < m->rm_so)
        return "";
    return apr_pstrmemdup(ctx->p, *ctx->re_source + m->rm_so,
                          (apr_size_t)(m->rm_eo - m->rm_so));
}

static const char *call_string_func(ap_expr_eval_ctx_t *ctx, const ap_expr_t *n)
{
    ap_expr_string_func_t *fn = (ap_expr_string_func_t *)n->a1;
    const char *arg = eval_word(ctx, n->a3);

    return arg ? fn(ctx, n->a2, arg) : NULL;
}

static const char *eval_word(ap_expr_eval_ctx_t *ctx, const ap_expr_t *n)
{
    const char *a, *b, *res = NULL;

    if (*ctx->err)
        return "";
    if (++ctx->reclvl > MAX_RECURSION) {
        *ctx->err = "Recursion limit reached";
        --ctx->reclvl;
        return "";
    }
    switch (n->op) {
        case MC_EXPR_STRING:
            res = n->a1;
            break;
        case MC_EXPR_CONCAT:
            a = eval_word(ctx, n->a1);
            b = eval_word(ctx, n->a2);
            res = apr_pstrcat(ctx->p, a ? a : "", b ? b : "", NULL);
            break;
        case MC_EXPR_VAR:
            res = ((ap_expr_var_func_t *)n->a1)(ctx, n->a2);
            break;
        case MC_EXPR_STRFUNC:
            res = call_string_func(ctx, n);
            break;
        case MC_EXPR_BACKREF:
            res = backref(ctx, (int)(apr_uintptr_t)n->a1);
            break;
        default:
            *ctx->err = "Internal error: not a word";
            break;
    }
    --ctx->reclvl;
    return res ? res : "";
}

static int int_compare(ap_expr_eval_ctx_t *ctx, enum mc_expr_op op,
                       const char *a, const char *b)
{
    apr_int64_t x = apr_atoi64(a), y = apr_atoi64(b);

    switch (op) {
        case MC_EXPR_INT_EQ:
            return x == y;
        case MC_EXPR_INT_NE:
            return x != y;
        case MC_EXPR_INT_LT:
            return x < y;
        case MC_EXPR_INT_LE:
            return x <= y;
        case MC_EXPR_INT_GT:
            return x > y;
        default:
            return x >= y;
    }
}

static int str_compare(enum mc_expr_op op, const char *a, const char *b)
{
    int c = strcmp(a, b);

    switch (op) {
        case MC_EXPR_STR_EQ:
            return c == 0;
        case MC_EXPR_STR_NE:
            return c != 0;
        case MC_EXPR_STR_LT:
            return c < 0;
        case MC_EXPR_STR_LE:
            return c <= 0;
        case MC_EXPR_STR_GT:
            return c > 0;
        default:
            return c >= 0;
    }
}

/* word =~ regex: on a match the captures become $0-$9 for the rest of the
 * evaluation (and for the caller of ap_expr_exec_re). */
static int regex_match(ap_expr_eval_ctx_t *ctx, const ap_expr_t *n)
{
    const char *subject = eval_word(ctx, n->a1);
    const ap_regex_t *re = n->a2;
    int matched;

    if (ctx->re_pmatch && ctx->re_nmatch && ctx->re_source) {
        matched =
            ap_regexec(re, subject, ctx->re_nmatch, ctx->re_pmatch, 0) == 0;
        if (matched)
            *ctx->re_source = subject;
    } else {
        matched = ap_regexec(re, subject, 0, NULL, 0) == 0;
    }
    return n->op == MC_EXPR_REGEX ? matched : !matched;
}

static int in_list(ap_expr_eval_ctx_t *ctx, const ap_expr_t *n)
{
    const char *needle = eval_word(ctx, n->a1);
    const ap_expr_t *list = n->a2;
    apr_array_header_t *items;
    int i;

    if (list->op == MC_EXPR_LISTFUNC) {
        ap_expr_list_func_t *fn = (ap_expr_list_func_t *)list->a1;
        items = fn(ctx, list->a2, eval_word(ctx, list->a3));
        for (i = 0; items && i < items->nelts; ++i)
            if (strcmp(needle, APR_ARRAY_IDX(items, i, const char *)) == 0)
                return 1;
        return 0;
    }
    items = (apr_array_header_t *)list->a1;
    for (i = 0; i < items->nelts; ++i)
        if (strcmp(needle,
                   eval_word(ctx, APR_ARRAY_IDX(items, i, ap_expr_t *))) == 0)
            return 1;
    return 0;
}

static int eval_cond(ap_expr_eval_ctx_t *ctx, const ap_expr_t *n)
{
    switch (n->op) {
        case MC_EXPR_TRUE:
            return 1;
        case MC_EXPR_FALSE:
            return 0;
        case MC_EXPR_NOT:
            return !eval_cond(ctx, n->a1);
        case MC_EXPR_AND:
            return eval_cond(ctx, n->a1) && eval_cond(ctx, n->a2);
        case MC_EXPR_OR:
            return eval_cond(ctx, n->a1) || eval_cond(ctx, n->a2);
        case MC_EXPR_STR_EQ:
        case MC_EXPR_STR_NE:
        case MC_EXPR_STR_LT:
        case MC_EXPR_STR_LE:
        case MC_EXPR_STR_GT:
        case MC_EXPR_STR_GE:
            return str_compare(n->op, eval_word(ctx, n->a1),
                               eval_word(ctx, n->a2));
        case MC_EXPR_INT_EQ:
        case MC_EXPR_INT_NE:
        case MC_EXPR_INT_LT:
        case MC_EXPR_INT_LE:
        case MC_EXPR_INT_GT:
        case MC_EXPR_INT_GE:
            return int_compare(ctx, n->op, eval_word(ctx, n->a1),
                               eval_word(ctx, n->a2));
        case MC_EXPR_REGEX:
        case MC_EXPR_NREGEX:
            return regex_match(ctx, n);
        case MC_EXPR_IN:
            return in_list(ctx, n);
        case MC_EXPR_UNARY:
            return ((ap_expr_op_unary_t *)n->a1)(ctx, n->a2,
                                                 eval_word(ctx, n->a3));
        case MC_EXPR_BINARY:
            return ((ap_expr_op_binary_t *)n->a1)(
                ctx, n->a2, eval_word(ctx, n->a3), eval_word(ctx, n->a4));
        default:
            *ctx->err = "Internal error: not a condition";
            return 0;
    }
}

static void log_failure(ap_expr_eval_ctx_t *ctx)
{
    ap_log_rerror(__FILE__, __LINE__, ctx->info->module_index, APLOG_ERR, 0,
                  ctx->r, "expression of %s:%d could not be evaluated: %s",
                  ctx->info->filename ? ctx->info->filename : "(none)",
                  ctx->info->line_number, *ctx->err);
}

static int exec_ctx(ap_expr_eval_ctx_t *ctx)
{
    int rc;

    ctx->reclvl = 0;
    *ctx->err = NULL;
    if (ctx->info->flags & AP_EXPR_FLAG_STRING_RESULT) {
        *ctx->result_string = eval_word(ctx, ctx->info->root_node);
        rc = 1;
    } else {
        rc = eval_cond(ctx, ctx->info->root_node) ? 1 : 0;
    }
    if (*ctx->err) {
        log_failure(ctx);
        return -1;
    }
    if (ctx->vary_this && *ctx->vary_this && ctx->r)
        apr_table_merge(ctx->r->headers_out, "Vary", *ctx->vary_this);
    return rc;
}

AP_DECLARE(int) ap_expr_exec_ctx(ap_expr_eval_ctx_t *ctx)
{
    MC_API_ENTER();
    return exec_ctx(ctx);
}

static void init_ctx(ap_expr_eval_ctx_t *ctx, request_rec *r,
                     const ap_expr_info_t *info, const char **err,
                     const char **vary)
{
    memset(ctx, 0, sizeof(*ctx));
    ctx->r = r;
    ctx->c = r->connection;
    ctx->s = r->server;
    ctx->p = r->pool;
    ctx->err = err;
    ctx->info = info;
    *vary = NULL;
    ctx->vary_this = (info->flags & AP_EXPR_FLAG_DONT_VARY) ? NULL : vary;
}

/* Back references $0-$9 always work inside the expression (httpd 2.4.71):
 * without a caller's vector, a private one is used. */
static void set_backrefs(ap_expr_eval_ctx_t *ctx, apr_size_t nmatch,
                         ap_regmatch_t *pmatch, const char **source,
                         ap_regmatch_t *own, const char **own_source)
{
    if (pmatch && nmatch > 0 && source) {
        ctx->re_nmatch = nmatch;
        ctx->re_pmatch = pmatch;
        ctx->re_source = source;
        return;
    }
    *own_source = NULL;
    ctx->re_nmatch = AP_MAX_REG_MATCH;
    ctx->re_pmatch = own;
    ctx->re_source = own_source;
}

static int exec_re(request_rec *r, const ap_expr_info_t *info,
                   apr_size_t nmatch, ap_regmatch_t *pmatch,
                   const char **source, const char **err)
{
    ap_expr_eval_ctx_t ctx;
    const char *vary, *unused, *own_source;
    ap_regmatch_t own[AP_MAX_REG_MATCH];

    init_ctx(&ctx, r, info, err, &vary);
    ctx.result_string = &unused;
    set_backrefs(&ctx, nmatch, pmatch, source, own, &own_source);
    return exec_ctx(&ctx);
}

AP_DECLARE(int)
ap_expr_exec(request_rec *r, const ap_expr_info_t *expr, const char **err)
{
    MC_API_ENTER();
    return exec_re(r, expr, 0, NULL, NULL, err);
}

AP_DECLARE(int)
ap_expr_exec_re(request_rec *r, const ap_expr_info_t *expr, apr_size_t nmatch,
                ap_regmatch_t *pmatch, const char **source, const char **err)
{
    MC_API_ENTER();
    return exec_re(r, expr, nmatch, pmatch, source, err);
}

static const char *str_exec_re(request_rec *r, const ap_expr_info_t *info,
                               apr_size_t nmatch, ap_regmatch_t *pmatch,
                               const char **source, const char **err)
{
    ap_expr_eval_ctx_t ctx;
    const char *vary, *result = NULL, *own_source;
    ap_regmatch_t own[AP_MAX_REG_MATCH];

    if (info->root_node->op == MC_EXPR_STRING) {
        *err = NULL;
        return info->root_node->a1; /* constant: nothing to evaluate */
    }
    init_ctx(&ctx, r, info, err, &vary);
    ctx.result_string = &result;
    set_backrefs(&ctx, nmatch, pmatch, source, own, &own_source);
    if (exec_ctx(&ctx) < 0)
        return NULL;
    return result;
}

AP_DECLARE(const char *)
ap_expr_str_exec(request_rec *r, const ap_expr_info_t *expr, const char **err)
{
    MC_API_ENTER();
    return str_exec_re(r, expr, 0, NULL, NULL, err);
}

AP_DECLARE(const char *)
ap_expr_str_exec_re(request_rec *r, const ap_expr_info_t *expr,
                    apr_size_t nmatch, ap_regmatch_t *pmatch,
                    const char **source, const char **err)
{
    MC_API_ENTER();
    return str_exec_re(r, expr, nmatch, pmatch, source, err);
}
