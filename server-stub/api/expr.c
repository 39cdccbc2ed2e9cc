/* expr.c — ap_expr.h: httpd's expression language ("Require expr",
 * <If>, mod_headers, mod_alias ...): parser (ap_expr_parse,
 * ap_expr_parse_cmd_mi) and evaluator (ap_expr_exec*, ap_expr_str_exec*),
 * with the documented core syntax: true/false, !, &&, ||, (), string
 * comparisons (== != < <= > >=), integer comparisons (-eq -ne -lt -le -gt
 * -ge and eq ne lt le gt ge), =~ and !~ with /re/ or m#re# (flag i) and
 * $0-$9 back-references, "in" with {word, ...}, unary and binary operators
 * (-n -z -T -R -d -e -f -s -L -h, -ipmatch -strmatch -strcmatch -fnmatch),
 * words made of '...'/"..." strings, numbers, %{VAR}, %{func:arg},
 * func(word) and "." concatenation; and the string-result mode. Variables,
 * functions and operators are bound at parse time through the lookup
 * function (ap_expr_lookup_default runs the expr_lookup hook, then the
 * built-in table in expr_lookup.c).
 *
 * Contract: the parse tree is allocated from the configuration pool and is
 * immutable afterwards, so threads evaluate it concurrently; evaluation
 * allocates from ctx->p (the request pool) and keeps its state (back
 * references, vary list) in the caller's context. Each exported evaluation
 * function calls MC_API_ENTER() once; parsing runs in the configuration
 * phase and does not (README.md).
 */
#include <string.h>

#include "apr_lib.h"
#include "apr_strings.h"
#include "apr_tables.h"

#include "httpd.h"
#include "http_config.h"
#include "http_log.h"
#include "ap_expr.h"

#include "api_internal.h"
#include "expr_internal.h"

/* ---- the lexer ------------------------------------------------------------ */

struct parser {
    apr_pool_t *pool, *ptemp;
    const char *s; /* current position */
    const char *err;
    ap_expr_lookup_fn_t *lookup;
    const ap_expr_info_t *info;
};

static void skip_ws(struct parser *ps)
{
    while (apr_isspace(*ps->s))
        ++ps->s;
}

/* Consume tok (followed by a non-identifier character when it is a word). */
static int take(struct parser *ps, const char *tok)
{
    size_t n = strlen(tok);

    skip_ws(ps);
    if (strncmp(ps->s, tok, n) != 0)
        return 0;
    if (apr_isalpha(tok[n - 1]) &&
        (apr_isalnum(ps->s[n]) || ps->s[n] == '_' || ps->s[n] == '-'))
        return 0;
    ps->s += n;
    return 1;
}

static ap_expr_t *fail(struct parser *ps, const char *msg)
{
    if (!ps->err)
        ps->err =
            apr_psprintf(ps->pool, "Parse error near '%.20s': %s", ps->s, msg);
    return NULL;
}

static ap_expr_t *node(struct parser *ps, enum mc_expr_op op, const void *a1,
                       const void *a2, const void *a3, const void *a4)
{
    ap_expr_t *n = apr_pcalloc(ps->pool, sizeof(*n));

    n->op = op;
    n->a1 = a1;
    n->a2 = a2;
    n->a3 = a3;
    n->a4 = a4;
    return n;
}

/* ---- lookups ------------------------------------------------------------ */

static int lookup(struct parser *ps, int type, const char *name,
                  const char *arg, const void **func, const void **data)
{
    ap_expr_lookup_parms parms;
    const char *err = NULL;

    memset(&parms, 0, sizeof(parms));
    parms.type = type;
    parms.name = name;
    parms.arg = arg;
    parms.flags = (int)ps->info->flags;
    parms.pool = ps->pool;
    parms.ptemp = ps->ptemp;
    parms.func = func;
    parms.data = data;
    parms.err = &err;
    *func = NULL;
    *data = NULL;
    if (ps->lookup(&parms) == OK && *func)
        return 1;
    fail(ps, err ? err : apr_psprintf(ps->ptemp, "'%s' does not exist", name));
    return 0;
}

/* ---- words ---------------------------------------------------------------- */

static ap_expr_t *concat(struct parser *ps, ap_expr_t *a, ap_expr_t *b)
{
    if (!a)
        return b;
    return node(ps, MC_EXPR_CONCAT, a, b, NULL, NULL);
}

static ap_expr_t *literal(struct parser *ps, const char *start, size_t n)
{
    return node(ps, MC_EXPR_STRING, apr_pstrmemdup(ps->pool, start, n), NULL,
                NULL, NULL);
}

/* %{NAME} or %{func:arg}, ps->s just after "%{". */
static ap_expr_t *percent_var(struct parser *ps)
{
    const char *end = strchr(ps->s, '}');
    const char *colon;
    const void *func, *data;
    char *name;

    if (!end)
        return fail(ps, "unterminated %{");
    name = apr_pstrmemdup(ps->pool, ps->s, end - ps->s);
    ps->s = end + 1;
    colon = strchr(name, ':');
    if (colon) {
        char *arg = apr_pstrdup(ps->pool, colon + 1);
        name[colon - name] = '\0';
        if (!lookup(ps, AP_EXPR_FUNC_STRING, name, arg, &func, &data))
            return NULL;
        return node(ps, MC_EXPR_STRFUNC, func, data,
                    node(ps, MC_EXPR_STRING, arg, NULL, NULL, NULL), NULL);
    }
    if (!lookup(ps, AP_EXPR_FUNC_VAR, name, NULL, &func, &data))
        return NULL;
    return node(ps, MC_EXPR_VAR, func, data, NULL, NULL);
}

/* The character a backslash escape in a string stands for. */
static char unescape_char(char c)
{
    switch (c) {
        case 'n':
            return '\n';
        case 'r':
            return '\r';
        case 't':
            return '\t';
        default:
            return c;
    }
}

/* String contents up to the delimiter (0: end of input), with %{...} and
 * $N expanded at evaluation time. */
static ap_expr_t *string_body(struct parser *ps, char delim)
{
    ap_expr_t *res = NULL;
    apr_array_header_t *lit = apr_array_make(ps->ptemp, 16, 1);

    for (;;) {
        char c = *ps->s;
        if (c == '\0' || c == delim || (c == '%' && ps->s[1] == '{') ||
            (c == '$' && apr_isdigit(ps->s[1]))) {
            if (lit->nelts) {
                res = concat(ps, res, literal(ps, lit->elts, lit->nelts));
                lit->nelts = 0;
            }
            if (c == '\0' || c == delim)
                break;
            if (c == '%') {
                ap_expr_t *v;
                ps->s += 2;
                if ((v = percent_var(ps)) == NULL)
                    return NULL;
                res = concat(ps, res, v);
            } else {
                res = concat(ps, res,
                             node(ps, MC_EXPR_BACKREF,
                                  (void *)(apr_uintptr_t)(ps->s[1] - '0'), NULL,
                                  NULL, NULL));
                ps->s += 2;
            }
            continue;
        }
        if (c == '\\' && ps->s[1]) {
            ++ps->s;
            c = unescape_char(*ps->s);
        }
        *(char *)apr_array_push(lit) = c;
        ++ps->s;
    }
    return res ? res : literal(ps, "", 0);
}

static ap_expr_t *word(struct parser *ps);

/* name(word): a string function. */
static ap_expr_t *func_call(struct parser *ps, const char *name)
{
    const void *func, *data;
    ap_expr_t *arg;
    const char *lit;

    if ((arg = word(ps)) == NULL)
        return NULL;
    if (!take(ps, ")"))
        return fail(ps, "expected ')'");
    lit = arg->op == MC_EXPR_STRING ? arg->a1 : NULL;
    if (!lookup(ps, AP_EXPR_FUNC_STRING, name, lit, &func, &data))
        return NULL;
    return node(ps, MC_EXPR_STRFUNC, func, data, arg, NULL);
}

static size_t ident_len(const char *s)
{
    size_t n = 0;

    if (!apr_isalpha(*s))
        return 0;
    while (apr_isalnum(s[n]) || s[n] == '_')
        ++n;
    return n;
}

/* One word without "." concatenation. */
static ap_expr_t *word_part(struct parser *ps)
{
    size_t n;

    skip_ws(ps);
    if (*ps->s == '\'' || *ps->s == '"') {
        char q = *ps->s++;
        ap_expr_t *w = string_body(ps, q);
        if (!w)
            return NULL;
        if (*ps->s != q)
            return fail(ps, "unterminated string");
        ++ps->s;
        return w;
    }
    if (apr_isdigit(*ps->s)) {
        const char *start = ps->s;
        while (apr_isdigit(*ps->s))
            ++ps->s;
        return literal(ps, start, (size_t)(ps->s - start));
    }
    if (ps->s[0] == '%' && ps->s[1] == '{') {
        ps->s += 2;
        return percent_var(ps);
    }
    if (ps->s[0] == '$' && apr_isdigit(ps->s[1])) {
        ps->s += 2;
        return node(ps, MC_EXPR_BACKREF,
                    (void *)(apr_uintptr_t)(ps->s[-1] - '0'), NULL, NULL, NULL);
    }
    n = ident_len(ps->s);
    if (n && ps->s[n] == '(') {
        const char *name = apr_pstrmemdup(ps->pool, ps->s, n);
        ps->s += n + 1;
        return func_call(ps, name);
    }
    return fail(ps, "expected a word");
}

static ap_expr_t *word(struct parser *ps)
{
    ap_expr_t *w = word_part(ps);

    while (w) {
        skip_ws(ps);
        if (*ps->s != '.')
            break;
        ++ps->s;
        w = concat(ps, w, word_part(ps));
        if (w && !w->a2)
            return NULL;
    }
    return w;
}

/* ---- conditions ------------------------------------------------------------ */

/* /re/flags or m<d>re<d>flags (flag i), compiled now. As in httpd the
 * regex ends at the first delimiter: there is no escape for it. */
static ap_expr_t *regex_literal(struct parser *ps, enum mc_expr_op op,
                                ap_expr_t *subject)
{
    const char *start, *end;
    int cflags = 0;
    ap_regex_t *compiled;

    skip_ws(ps);
    if (*ps->s == 'm' && ps->s[1] && !apr_isalnum(ps->s[1]))
        ++ps->s;
    else if (*ps->s != '/')
        return fail(ps, "expected a regular expression");
    start = ps->s + 1;
    end = strchr(start, *ps->s);
    if (!end)
        return fail(ps, "unterminated regular expression");
    ps->s = end + 1;
    while (*ps->s == 'i') {
        cflags |= AP_REG_ICASE;
        ++ps->s;
    }
    compiled = ap_pregcomp(
        ps->pool, apr_pstrmemdup(ps->ptemp, start, (apr_size_t)(end - start)),
        cflags);
    if (!compiled)
        return fail(ps, "invalid regular expression");
    return node(ps, op, subject, compiled, NULL, NULL);
}

/* {word, word, ...} or listfunc(word) after "in". */
static ap_expr_t *in_list(struct parser *ps, ap_expr_t *subject)
{
    apr_array_header_t *words =
        apr_array_make(ps->pool, 4, sizeof(ap_expr_t *));
    size_t n;

    skip_ws(ps);
    n = ident_len(ps->s);
    if (n && ps->s[n] == '(') {
        const char *name = apr_pstrmemdup(ps->pool, ps->s, n);
        const void *func, *data;
        ap_expr_t *arg;
        ps->s += n + 1;
        if ((arg = word(ps)) == NULL || !take(ps, ")"))
            return fail(ps, "expected list function argument and ')'");
        if (!lookup(ps, AP_EXPR_FUNC_LIST, name, NULL, &func, &data))
            return NULL;
        return node(ps, MC_EXPR_IN, subject,
                    node(ps, MC_EXPR_LISTFUNC, func, data, arg, NULL), NULL,
                    NULL);
    }
    if (!take(ps, "{"))
        return fail(ps, "expected '{' after 'in'");
    do {
        ap_expr_t *w = word(ps);
        if (!w)
            return NULL;
        APR_ARRAY_PUSH(words, ap_expr_t *) = w;
    } while (take(ps, ","));
    if (!take(ps, "}"))
        return fail(ps, "expected '}'");
    return node(ps, MC_EXPR_IN, subject,
                node(ps, MC_EXPR_LIST, words, NULL, NULL, NULL), NULL, NULL);
}

static const struct {
    const char *tok;
    enum mc_expr_op op;
} compare_ops[] = {
    {"==", MC_EXPR_STR_EQ},  {"!=", MC_EXPR_STR_NE},  {"<=", MC_EXPR_STR_LE},
    {">=", MC_EXPR_STR_GE},  {"<", MC_EXPR_STR_LT},   {">", MC_EXPR_STR_GT},
    {"-eq", MC_EXPR_INT_EQ}, {"-ne", MC_EXPR_INT_NE}, {"-lt", MC_EXPR_INT_LT},
    {"-le", MC_EXPR_INT_LE}, {"-gt", MC_EXPR_INT_GT}, {"-ge", MC_EXPR_INT_GE},
    {"eq", MC_EXPR_INT_EQ},  {"ne", MC_EXPR_INT_NE},  {"lt", MC_EXPR_INT_LT},
    {"le", MC_EXPR_INT_LE},  {"gt", MC_EXPR_INT_GT},  {"ge", MC_EXPR_INT_GE}};

/* "-name": an operator name (letters only). */
static const char *op_name(struct parser *ps)
{
    size_t n = 0;

    skip_ws(ps);
    if (ps->s[0] != '-' || !apr_isalpha(ps->s[1]))
        return NULL;
    while (apr_isalpha(ps->s[1 + n]))
        ++n;
    return apr_pstrmemdup(ps->pool, ps->s + 1, n);
}

static ap_expr_t *unary_op(struct parser *ps, const char *name)
{
    const void *func, *data;
    ap_expr_t *arg;

    ps->s += strlen(name) + 1;
    if ((arg = word(ps)) == NULL)
        return NULL;
    if (!lookup(ps, AP_EXPR_FUNC_OP_UNARY, name,
                arg->op == MC_EXPR_STRING ? arg->a1 : NULL, &func, &data))
        return NULL;
    return node(ps, MC_EXPR_UNARY, func, data, arg, NULL);
}

static ap_expr_t *binary_op(struct parser *ps, ap_expr_t *left,
                            const char *name)
{
    const void *func, *data;
    ap_expr_t *right;

    ps->s += strlen(name) + 1;
    if ((right = word(ps)) == NULL)
        return NULL;
    if (!lookup(ps, AP_EXPR_FUNC_OP_BINARY, name,
                right->op == MC_EXPR_STRING ? right->a1 : NULL, &func, &data))
        return NULL;
    return node(ps, MC_EXPR_BINARY, func, data, left, right);
}

static ap_expr_t *comparison(struct parser *ps)
{
    const char *name = op_name(ps);
    ap_expr_t *left;
    size_t i;

    if (name)
        return unary_op(ps, name);
    if ((left = word(ps)) == NULL)
        return NULL;
    if (take(ps, "=~"))
        return regex_literal(ps, MC_EXPR_REGEX, left);
    if (take(ps, "!~"))
        return regex_literal(ps, MC_EXPR_NREGEX, left);
    if (take(ps, "in"))
        return in_list(ps, left);
    for (i = 0; i < sizeof(compare_ops) / sizeof(compare_ops[0]); ++i) {
        if (take(ps, compare_ops[i].tok)) {
            ap_expr_t *right = word(ps);
            return right ? node(ps, compare_ops[i].op, left, right, NULL, NULL)
                         : NULL;
        }
    }
    if ((name = op_name(ps)) != NULL)
        return binary_op(ps, left, name);
    return fail(ps, "expected a comparison operator");
}

static ap_expr_t *or_expr(struct parser *ps);

static ap_expr_t *primary(struct parser *ps)
{
    if (take(ps, "!")) {
        ap_expr_t *e = primary(ps);
        return e ? node(ps, MC_EXPR_NOT, e, NULL, NULL, NULL) : NULL;
    }
    if (take(ps, "(")) {
        ap_expr_t *e = or_expr(ps);
        if (e && !take(ps, ")"))
            return fail(ps, "expected ')'");
        return e;
    }
    if (take(ps, "true"))
        return node(ps, MC_EXPR_TRUE, NULL, NULL, NULL, NULL);
    if (take(ps, "false"))
        return node(ps, MC_EXPR_FALSE, NULL, NULL, NULL, NULL);
    return comparison(ps);
}

static ap_expr_t *and_expr(struct parser *ps)
{
    ap_expr_t *e = primary(ps);

    while (e && take(ps, "&&")) {
        ap_expr_t *r = primary(ps);
        e = r ? node(ps, MC_EXPR_AND, e, r, NULL, NULL) : NULL;
    }
    return e;
}

static ap_expr_t *or_expr(struct parser *ps)
{
    ap_expr_t *e = and_expr(ps);

    while (e && take(ps, "||")) {
        ap_expr_t *r = and_expr(ps);
        e = r ? node(ps, MC_EXPR_OR, e, r, NULL, NULL) : NULL;
    }
    return e;
}

/* ---- parse entry points ----------------------------------------------------- */

AP_DECLARE(const char *)
ap_expr_parse(apr_pool_t *pool, apr_pool_t *ptemp, ap_expr_info_t *info,
              const char *expr, ap_expr_lookup_fn_t *lookup_fn)
{
    struct parser ps;
    ap_expr_t *root;

    memset(&ps, 0, sizeof(ps));
    ps.pool = pool;
    ps.ptemp = ptemp ? ptemp : pool;
    ps.s = expr;
    ps.lookup = lookup_fn ? lookup_fn : ap_expr_lookup_default;
    ps.info = info;
    if (info->flags & AP_EXPR_FLAG_STRING_RESULT)
        root = string_body(&ps, 0);
    else
        root = or_expr(&ps);
    if (root && !ps.err) {
        skip_ws(&ps);
        if (*ps.s)
            fail(&ps, "unexpected trailing text");
    }
    if (ps.err || !root)
        return ps.err ? ps.err : "Parse error";
    info->root_node = root;
    return NULL;
}

AP_DECLARE(ap_expr_info_t *)
ap_expr_parse_cmd_mi(const cmd_parms *cmd, const char *expr, unsigned int flags,
                     const char **err, ap_expr_lookup_fn_t *lookup_fn,
                     int module_index)
{
    ap_expr_info_t *info = apr_pcalloc(cmd->pool, sizeof(*info));

    if (cmd->directive) {
        info->filename = cmd->directive->filename;
        info->line_number = (unsigned)cmd->directive->line_num;
    }
    info->flags = flags;
    info->module_index = module_index;
    *err = ap_expr_parse(cmd->pool, cmd->temp_pool, info, expr, lookup_fn);
    return *err ? NULL : info;
}
