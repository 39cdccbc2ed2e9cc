/*
 * config.c - httpd.conf reading and directive dispatch, as httpd does it:
 * the file is read into a tree of ap_directive_t (EXEC_ON_READ directives
 * such as LoadModule, Include, <IfModule> act while reading), then the tree
 * is walked and every directive is dispatched through the command_rec table
 * of the module that declares it, with httpd's argument parsing for every
 * cmd_how kind and httpd's context checks (req_override against the
 * context's allowed overrides). Per-directory config vectors are created on
 * demand and merged module by module. .htaccess files are parsed the same
 * way, at request time, into request-pool vectors.
 *
 * Errors carry the directive's file and line and are reported as
 * `file:line: message`.
 */
#include "stub.h"
#include "stub_config.h"

#include "apr_file_io.h"
#include "apr_fnmatch.h"
#include "apr_lib.h"
#include "apr_strings.h"

#include <stdlib.h>
#include <string.h>

#define MC_MAX_LINE 16384

/* --- in-memory config sources ------------------------------------------ */

struct cfg_src {
    const char *data;
    apr_size_t len;
    apr_size_t pos;
};

static apr_status_t src_getch(char *ch, void *param)
{
    struct cfg_src *s = param;
    if (s->pos >= s->len)
        return APR_EOF;
    *ch = s->data[s->pos++];
    return APR_SUCCESS;
}

/* One physical line, without its newline. */
static apr_status_t src_getstr(void *buf, apr_size_t bufsiz, void *param)
{
    struct cfg_src *s = param;
    char *out = buf;
    apr_size_t n = 0;
    if (s->pos >= s->len)
        return APR_EOF;
    while (s->pos < s->len && s->data[s->pos] != '\n') {
        if (n + 1 < bufsiz)
            out[n++] = s->data[s->pos];
        s->pos++;
    }
    if (s->pos < s->len)
        s->pos++; /* the newline */
    out[n] = '\0';
    return n + 1 >= bufsiz ? APR_ENOSPC : APR_SUCCESS;
}

static apr_status_t src_close(void *param)
{
    (void)param;
    return APR_SUCCESS;
}

apr_status_t mc__cfg_open(apr_pool_t *p, const char *path,
                          ap_configfile_t **ret)
{
    apr_file_t *f;
    apr_finfo_t fi;
    struct cfg_src *src;
    char *data;
    apr_size_t got;
    apr_status_t rv =
        apr_file_open(&f, path, APR_READ | APR_BINARY, APR_OS_DEFAULT, p);
    if (rv != APR_SUCCESS)
        return rv;
    rv = apr_file_info_get(&fi, APR_FINFO_SIZE | APR_FINFO_TYPE, f);
    if (rv == APR_SUCCESS && fi.filetype == APR_DIR)
        rv = APR_EBADF;
    if (rv != APR_SUCCESS) {
        apr_file_close(f);
        return rv;
    }
    data = apr_palloc(p, (apr_size_t)fi.size + 1);
    rv = apr_file_read_full(f, data, (apr_size_t)fi.size, &got);
    apr_file_close(f);
    if (rv != APR_SUCCESS && rv != APR_EOF)
        return rv;
    data[got] = '\0';
    src = apr_pcalloc(p, sizeof(*src));
    src->data = data;
    src->len = got;
    *ret = ap_pcfg_open_custom(p, path, src, src_getch, src_getstr, src_close);
    return APR_SUCCESS;
}

/* A configuration source from memory (command-line -C/-c directives). */
static ap_configfile_t *cfg_open_string(apr_pool_t *p, const char *name,
                                        const char *text)
{
    struct cfg_src *src = apr_pcalloc(p, sizeof(*src));
    src->data = apr_pstrdup(p, text);
    src->len = strlen(text);
    return ap_pcfg_open_custom(p, name, src, src_getch, src_getstr, src_close);
}

/* Logical line: continuation lines joined, surrounding space stripped. */
static apr_status_t cfg_line(char *buf, apr_size_t size, ap_configfile_t *cfp)
{
    apr_size_t used = 0;
    for (;;) {
        apr_status_t rv = cfp->getstr(buf + used, size - used, cfp->param);
        apr_size_t n;
        if (rv == APR_EOF)
            return used ? APR_SUCCESS : APR_EOF;
        if (rv != APR_SUCCESS)
            return rv;
        cfp->line_number++;
        n = strlen(buf + used);
        while (n > 0 && apr_isspace(buf[used + n - 1]))
            --n;
        buf[used + n] = '\0';
        if (n > 0 && buf[used + n - 1] == '\\') {
            used += n - 1;
            buf[used] = ' ';
            ++used;
            continue;
        }
        break;
    }
    {
        char *s = buf;
        while (apr_isspace(*s))
            ++s;
        if (s != buf)
            memmove(buf, s, strlen(s) + 1);
    }
    return APR_SUCCESS;
}

/* ap_getword_conf()'s rules: words split on space, "..." and '...' quote,
 * a backslash escapes the quote character inside quotes. */
char *mc__cfg_getword(apr_pool_t *p, const char **line)
{
    const char *s = *line;
    const char *start;
    char *w, *o;
    char q;
    while (apr_isspace(*s))
        ++s;
    if (!*s) {
        *line = s;
        return apr_pstrdup(p, "");
    }
    if (*s == '"' || *s == '\'') {
        q = *s++;
        start = s;
        while (*s && *s != q)
            s += (*s == '\\' && s[1] == q) ? 2 : 1;
        w = apr_pstrndup(p, start, (apr_size_t)(s - start));
        for (o = w, start = w; *start; ++start) {
            if (*start == '\\' && start[1] == q)
                ++start;
            *o++ = *start;
        }
        *o = '\0';
        if (*s)
            ++s;
    } else {
        start = s;
        while (*s && !apr_isspace(*s))
            ++s;
        w = apr_pstrndup(p, start, (apr_size_t)(s - start));
    }
    while (apr_isspace(*s))
        ++s;
    *line = s;
    return w;
}

/* ${NAME} from Define, then from the environment (config phase only). */
const char *mc__resolve_vars(apr_pool_t *p, const char *in, char **err);
const char *mc__resolve_vars(apr_pool_t *p, const char *in, char **err)
{
    const char *s = strstr(in, "${");
    char *out;
    if (!s)
        return in;
    out = apr_pstrndup(p, in, (apr_size_t)(s - in));
    while (s) {
        const char *end = strchr(s, '}');
        const char *name, *val;
        if (!end) {
            out = apr_pstrcat(p, out, s, NULL);
            break;
        }
        name = apr_pstrndup(p, s + 2, (apr_size_t)(end - s - 2));
        val = mc__defines ? apr_table_get(mc__defines, name) : NULL;
        if (!val)
            val = getenv(name); /* config phase, single thread */
        if (!val) {
            *err = apr_psprintf(p, "Variable '%s' is not defined", name);
            return in;
        }
        out = apr_pstrcat(p, out, val, NULL);
        s = strstr(end + 1, "${");
        out = apr_pstrcat(
            p, out,
            apr_pstrndup(p, end + 1,
                         s ? (apr_size_t)(s - end - 1) : strlen(end + 1)),
            NULL);
    }
    return out;
}

/* --- config vectors ------------------------------------------------------- */

#define MC_VECTOR_LEN (DYNAMIC_MODULE_LIMIT + 1)

/* Length of the config vectors made at request time (request configs and
 * per-request merges): room for every module index, DYNAMIC_MODULE_LIMIT +
 * 1 while modules are being loaded, then, once the configuration is read,
 * just the loaded modules (as httpd shrinks its conf_vector_length). Three
 * 2 KiB memsets per request were a third of a trivial request's
 * instructions. Config phase: written by mc__config_vectors_fit() and
 * mc__config_vectors_reset(), read by request threads started later. */
static int request_vector_len = MC_VECTOR_LEN;

void mc__config_vectors_reset(void)
{
    request_vector_len = MC_VECTOR_LEN;
}

void mc__config_vectors_fit(void)
{
    int len = 1; /* the core's slot 0 */
    for (module *m = ap_top_module; m; m = m->next)
        if (m->module_index >= len)
            len = m->module_index + 1;
    request_vector_len = len < MC_VECTOR_LEN ? len : MC_VECTOR_LEN;
}

static void **request_vector(apr_pool_t *p)
{
    return apr_pcalloc(p, sizeof(void *) * (apr_size_t)request_vector_len);
}

AP_CORE_DECLARE(ap_conf_vector_t *) ap_create_per_dir_config(apr_pool_t *p)
{
    mc_stub_perturb();
    return apr_pcalloc(p, sizeof(void *) * MC_VECTOR_LEN);
}

AP_DECLARE(ap_conf_vector_t *) ap_create_request_config(apr_pool_t *p)
{
    mc_stub_perturb();
    return (ap_conf_vector_t *)request_vector(p);
}

AP_CORE_DECLARE(ap_conf_vector_t *) ap_create_conn_config(apr_pool_t *p)
{
    mc_stub_perturb();
    return apr_pcalloc(p, sizeof(void *) * MC_VECTOR_LEN);
}

#undef ap_get_module_config
#undef ap_set_module_config
AP_DECLARE(void *)
ap_get_module_config(const ap_conf_vector_t *cv, const module *m)
{
    mc_stub_perturb();
    return ((void **)cv)[m->module_index];
}

AP_DECLARE(void)
ap_set_module_config(ap_conf_vector_t *cv, const module *m, void *val)
{
    mc_stub_perturb();
    ((void **)cv)[m->module_index] = val;
}

#undef ap_get_core_module_config
#undef ap_set_core_module_config
AP_DECLARE(void *) ap_get_core_module_config(const ap_conf_vector_t *cv)
{
    mc_stub_perturb();
    return ((void **)cv)[0];
}

AP_DECLARE(void) ap_set_core_module_config(ap_conf_vector_t *cv, void *val)
{
    mc_stub_perturb();
    ((void **)cv)[0] = val;
}

AP_DECLARE(int) ap_get_module_flags(const module *m)
{
    mc_stub_perturb();
    if (m->version < AP_MODULE_FLAGS_MMN_MAJOR ||
        (m->version == AP_MODULE_FLAGS_MMN_MAJOR &&
         m->minor_version < AP_MODULE_FLAGS_MMN_MINOR))
        return 0;
    return m->flags;
}

AP_CORE_DECLARE(ap_conf_vector_t *)
ap_merge_per_dir_configs(apr_pool_t *p, ap_conf_vector_t *base,
                         ap_conf_vector_t *new_conf)
{
    void **conf;
    void **b = (void **)base;
    void **n = (void **)new_conf;
    module *m;
    mc_stub_perturb();
    conf = request_vector(p);
    for (m = ap_top_module; m; m = m->next) {
        int i = m->module_index;
        if (!n[i])
            conf[i] = b[i];
        else if (m->merge_dir_config && b[i])
            conf[i] = m->merge_dir_config(p, b[i], n[i]);
        else
            conf[i] = n[i];
    }
    return (ap_conf_vector_t *)conf;
}

AP_CORE_DECLARE(void *)
ap_set_config_vectors(server_rec *server, ap_conf_vector_t *section_vector,
                      const char *section, module *mod, apr_pool_t *pconf)
{
    void **dv = (void **)section_vector;
    void **sv = (void **)server->module_config;
    mc_stub_perturb();
    if (!dv[mod->module_index] && mod->create_dir_config)
        dv[mod->module_index] = mod->create_dir_config(pconf, (char *)section);
    if (!sv[mod->module_index] && mod->create_server_config)
        sv[mod->module_index] = mod->create_server_config(pconf, server);
    return dv[mod->module_index];
}

AP_DECLARE(void)
ap_single_module_configure(apr_pool_t *p, server_rec *s, module *m)
{
    mc_stub_perturb();
    if (m->create_server_config)
        ap_set_module_config(s->module_config, m,
                             m->create_server_config(p, s));
    if (m->create_dir_config)
        ap_set_module_config(s->lookup_defaults, m,
                             m->create_dir_config(p, NULL));
}

/* --- commands --------------------------------------------------------- */

AP_CORE_DECLARE(const command_rec *)
ap_find_command(const char *name, const command_rec *cmds)
{
    mc_stub_perturb();
    for (; cmds && cmds->name; ++cmds)
        if (!strcasecmp(name, cmds->name))
            return cmds;
    return NULL;
}

AP_CORE_DECLARE(const command_rec *)
ap_find_command_in_modules(const char *cmd_name, module **mod)
{
    module *m;
    mc_stub_perturb();
    for (m = *mod; m; m = m->next) {
        const command_rec *c =
            m->cmds ? ap_find_command(cmd_name, m->cmds) : NULL;
        if (c) {
            *mod = m;
            return c;
        }
    }
    return NULL;
}

AP_DECLARE(int) ap_exists_directive(apr_pool_t *p, const char *name)
{
    module *m = ap_top_module;
    (void)p;
    return ap_find_command_in_modules(name, &m) != NULL;
}

static const char *with_errmsg(cmd_parms *parms, const command_rec *cmd,
                               const char *what)
{
    return apr_pstrcat(parms->pool, cmd->name, what, cmd->errmsg ? ", " : NULL,
                       cmd->errmsg, NULL);
}

static const char *context_error(cmd_parms *parms, const command_rec *cmd)
{
    if (parms->directive && parms->directive->parent)
        return apr_pstrcat(parms->pool, cmd->name, " not allowed in ",
                           parms->directive->parent->directive, ">", " context",
                           NULL);
    return apr_pstrcat(parms->pool, cmd->name, " not allowed here", NULL);
}

static const char *invoke_argv(cmd_parms *parms, const command_rec *cmd,
                               void *mconfig, const char *args)
{
    apr_array_header_t *argv =
        apr_array_make(parms->temp_pool, 8, sizeof(char *));
    while (*args)
        APR_ARRAY_PUSH(argv, char *) = mc__cfg_getword(parms->temp_pool, &args);
    APR_ARRAY_PUSH(argv, char *) = NULL;
    return cmd->AP_TAKE_ARGV(parms, mconfig, argv->nelts - 1,
                             (char *const *)argv->elts);
}

static const char *invoke_iterate(cmd_parms *parms, const command_rec *cmd,
                                  void *mconfig, const char *args, int two)
{
    apr_pool_t *tp = parms->temp_pool;
    char *w = mc__cfg_getword(tp, &args), *w2;
    const char *err;
    if (!two) {
        if (!*w)
            return with_errmsg(parms, cmd, " requires at least one argument");
        for (; *w; w = mc__cfg_getword(tp, &args))
            if ((err = cmd->AP_TAKE1(parms, mconfig, w)) != NULL &&
                strcmp(err, DECLINE_CMD) != 0)
                return err;
        return NULL;
    }
    if (!*w || !*args)
        return with_errmsg(parms, cmd, " requires at least two arguments");
    while (*(w2 = mc__cfg_getword(tp, &args)))
        if ((err = cmd->AP_TAKE2(parms, mconfig, w, w2)) != NULL &&
            strcmp(err, DECLINE_CMD) != 0)
            return err;
    return NULL;
}

static const char *invoke_take(cmd_parms *parms, const command_rec *cmd,
                               void *mconfig, const char *args)
{
    apr_pool_t *tp = parms->temp_pool;
    char *w = mc__cfg_getword(tp, &args);
    char *w2 = mc__cfg_getword(tp, &args);
    char *w3 = cmd->args_how >= TAKE3 || cmd->args_how == TAKE13
                   ? mc__cfg_getword(tp, &args)
                   : NULL;
    switch (cmd->args_how) {
        case TAKE1:
            if (!*w || *w2)
                return with_errmsg(parms, cmd, " takes one argument");
            return cmd->AP_TAKE1(parms, mconfig, w);
        case TAKE2:
            if (!*w || !*w2 || *args)
                return with_errmsg(parms, cmd, " takes two arguments");
            return cmd->AP_TAKE2(parms, mconfig, w, w2);
        case TAKE12:
            if (!*w || *args)
                return with_errmsg(parms, cmd, " takes 1-2 arguments");
            return cmd->AP_TAKE2(parms, mconfig, w, *w2 ? w2 : NULL);
        case TAKE3:
            if (!*w || !*w2 || !*w3 || *args)
                return with_errmsg(parms, cmd, " takes three arguments");
            return cmd->AP_TAKE3(parms, mconfig, w, w2, w3);
        case TAKE23:
            if (!*w || !*w2 || *args)
                return with_errmsg(parms, cmd, " takes two or three arguments");
            return cmd->AP_TAKE3(parms, mconfig, w, w2, *w3 ? w3 : NULL);
        case TAKE123:
            if (!*w || *args)
                return with_errmsg(parms, cmd,
                                   " takes one, two or three arguments");
            return cmd->AP_TAKE3(parms, mconfig, w, *w2 ? w2 : NULL,
                                 *w3 ? w3 : NULL);
        case TAKE13:
            if (!*w || (*w2 && !*w3) || *args)
                return with_errmsg(parms, cmd, " takes one or three arguments");
            return cmd->AP_TAKE3(parms, mconfig, w, *w2 ? w2 : NULL,
                                 *w3 ? w3 : NULL);
        default:
            return NULL;
    }
}

static const char *invoke_cmd(const command_rec *cmd, cmd_parms *parms,
                              void *mconfig, const char *args)
{
    apr_pool_t *tp = parms->temp_pool;
    char *w;
    mc_stub_perturb();
    if ((parms->override & cmd->req_override) == 0) {
        if (parms->override & NONFATAL_OVERRIDE)
            return NULL;
        return context_error(parms, cmd);
    }
    parms->info = cmd->cmd_data;
    parms->cmd = cmd;
    switch (cmd->args_how) {
        case RAW_ARGS:
            return cmd->AP_RAW_ARGS(parms, mconfig, args);
        case TAKE_ARGV:
            return invoke_argv(parms, cmd, mconfig, args);
        case NO_ARGS:
            if (*args)
                return with_errmsg(parms, cmd, " takes no arguments");
            return cmd->AP_NO_ARGS(parms, mconfig);
        case ITERATE:
            return invoke_iterate(parms, cmd, mconfig, args, 0);
        case ITERATE2:
            return invoke_iterate(parms, cmd, mconfig, args, 1);
        case FLAG:
            w = mc__cfg_getword(tp, &args);
            if (!*w || (strcasecmp(w, "on") && strcasecmp(w, "off")) || *args)
                return with_errmsg(parms, cmd, " must be On or Off");
            return cmd->AP_FLAG(parms, mconfig, strcasecmp(w, "off") != 0);
        default:
            return invoke_take(parms, cmd, mconfig, args);
    }
}

static const char *walk_one(cmd_parms *parms, ap_directive_t *d,
                            ap_conf_vector_t *section_vector)
{
    module *mod = ap_top_module;
    int found = 0;
    for (;;) {
        const command_rec *cmd = ap_find_command_in_modules(d->directive, &mod);
        void *mconfig;
        const char *err;
        if (!cmd) {
            if (found)
                return NULL;
            if (parms->override & NONFATAL_UNKNOWN)
                return NULL;
            return apr_pstrcat(parms->pool, "Invalid command '", d->directive,
                               "', perhaps misspelled or defined by a module "
                               "not included in the server configuration",
                               NULL);
        }
        found = 1;
        if (cmd->req_override & EXEC_ON_READ)
            return NULL; /* already acted while reading */
        mconfig = ap_set_config_vectors(parms->server, section_vector,
                                        parms->path, mod, parms->pool);
        err = invoke_cmd(cmd, parms, mconfig, d->args);
        if (err == NULL || strcmp(err, DECLINE_CMD) != 0)
            return err;
        mod = mod->next;
    }
}

AP_DECLARE(const char *)
ap_walk_config(ap_directive_t *current, cmd_parms *parms,
               ap_conf_vector_t *section_vector)
{
    ap_conf_vector_t *oldconfig = parms->context;
    mc_stub_perturb();
    parms->context = section_vector;
    for (; current; current = current->next) {
        const char *err;
        parms->directive = current;
        err = walk_one(parms, current, section_vector);
        if (err) {
            if (!parms->err_directive)
                parms->err_directive = current;
            parms->context = oldconfig;
            return err;
        }
    }
    parms->context = oldconfig;
    return NULL;
}

/* --- reading the tree ----------------------------------------------------- */

static int is_close(const char *w)
{
    return w[0] == '<' && w[1] == '/';
}

/* Name of a closing tag "</Location>" -> "Location". */
static const char *close_name(apr_pool_t *p, const char *line)
{
    const char *s = line + 2;
    const char *e = strchr(s, '>');
    return e ? apr_pstrndup(p, s, (apr_size_t)(e - s)) : apr_pstrdup(p, s);
}

struct build {
    cmd_parms *parms;
    apr_pool_t *p;
    apr_pool_t *ptemp;
    char *buf;
};

static const char *build_level(struct build *b, ap_directive_t *parent,
                               const char *section, ap_directive_t **first,
                               ap_directive_t **last);

static void append(ap_directive_t **first, ap_directive_t **last,
                   ap_directive_t *n)
{
    for (; n; n = n->next) {
        if (*last)
            (*last)->next = n;
        else
            *first = n;
        *last = n;
        if (!n->next)
            break;
    }
}

static const char *soak(struct build *b, const char *section)
{
    ap_configfile_t *cfp = b->parms->config_file;
    int depth = 1;
    apr_size_t slen = strlen(section + 1);
    while (cfg_line(b->buf, MC_MAX_LINE, cfp) == APR_SUCCESS) {
        const char *l = b->buf;
        if (is_close(l) && !strncasecmp(l + 2, section + 1, slen) &&
            (l[2 + slen] == '>' || apr_isspace(l[2 + slen]))) {
            if (--depth == 0)
                return NULL;
        } else if (l[0] == '<' && !strncasecmp(l + 1, section + 1, slen) &&
                   (apr_isspace(l[1 + slen]) || l[1 + slen] == '>')) {
            ++depth;
        }
    }
    return apr_psprintf(b->p, "%s> was not closed.", section);
}

AP_DECLARE(const char *) ap_soak_end_container(cmd_parms *cmd, char *directive)
{
    struct build b;
    mc_stub_perturb();
    b.parms = cmd;
    b.p = cmd->pool;
    b.ptemp = cmd->temp_pool;
    b.buf = apr_palloc(cmd->temp_pool, MC_MAX_LINE);
    return soak(&b, directive);
}

AP_DECLARE(const char *)
ap_build_cont_config(apr_pool_t *p, apr_pool_t *temp_pool, cmd_parms *parms,
                     ap_directive_t **current, ap_directive_t **curr_parent,
                     char *orig_directive)
{
    struct build b;
    ap_directive_t *first = NULL, *last = NULL;
    const char *err;
    mc_stub_perturb();
    b.parms = parms;
    b.p = p;
    b.ptemp = temp_pool;
    b.buf = apr_palloc(temp_pool, MC_MAX_LINE);
    err = build_level(&b, *curr_parent, orig_directive, &first, &last);
    *current = first;
    return err;
}

/* An <IfModule>/<IfDefine> condition, possibly negated with '!'. */
static int section_condition(const char *dname, const char *arg)
{
    int neg = (*arg == '!');
    int found;
    if (neg)
        ++arg;
    if (!strcasecmp(dname, "<IfModule")) {
        module *m;
        found = 0;
        for (m = ap_top_module; m && !found; m = m->next) {
            const char *sn = ap_find_module_name(m);
            found = !strcmp(m->name, arg) ||
                    (sn &&
                     (!strcmp(sn, arg) ||
                      !strcmp(apr_pstrcat(mc__stub.ptemp, sn, "_module", NULL),
                              arg)));
        }
    } else if (!strcasecmp(dname, "<IfDirective")) {
        found = ap_exists_directive(NULL, arg);
    } else {
        found = mc__defines && apr_table_get(mc__defines, arg) != NULL;
    }
    return neg ? !found : found;
}

static const char *section_arg(apr_pool_t *p, const char *args,
                               const char *dname, char **out)
{
    const char *end = strrchr(args, '>');
    if (!end)
        return apr_pstrcat(p, dname, "> directive missing closing '>'", NULL);
    *out = apr_pstrndup(p, args, (apr_size_t)(end - args));
    apr_collapse_spaces(*out, *out);
    if (!**out)
        return apr_pstrcat(p, dname,
                           "> directive requires additional "
                           "arguments",
                           NULL);
    return NULL;
}

static const char *build_conditional(struct build *b, ap_directive_t *parent,
                                     ap_directive_t *n, ap_directive_t **first,
                                     ap_directive_t **last)
{
    char *arg = NULL;
    ap_directive_t *sf = NULL, *sl = NULL;
    const char *err = section_arg(b->p, n->args, n->directive, &arg);
    if (err)
        return err;
    if (!section_condition(n->directive, arg))
        return soak(b, n->directive);
    err = build_level(b, parent, n->directive, &sf, &sl);
    if (sf)
        append(first, last, sf);
    return err;
}

static const char *build_include(struct build *b, ap_directive_t *parent,
                                 ap_directive_t *n, ap_directive_t **first,
                                 ap_directive_t **last);

static int is_conditional(const char *d)
{
    return !strcasecmp(d, "<IfModule") || !strcasecmp(d, "<IfDefine") ||
           !strcasecmp(d, "<IfDirective");
}

/* Runs a module's EXEC_ON_READ directive while the tree is being read. */
static const char *exec_now(struct build *b, ap_directive_t *parent,
                            ap_directive_t *n, ap_directive_t **first,
                            ap_directive_t **last, int *done)
{
    module *mod = ap_top_module;
    const command_rec *cmd = ap_find_command_in_modules(n->directive, &mod);
    ap_directive_t *sub = NULL;
    const char *err;
    *done = 0;
    if (!cmd || !(cmd->req_override & EXEC_ON_READ))
        return NULL;
    *done = 1;
    b->parms->directive = n;
    err = invoke_cmd(cmd, b->parms, &sub, n->args);
    if (err && !strcmp(err, DECLINE_CMD))
        err = NULL;
    if (!err && sub) {
        for (ap_directive_t *c = sub; c; c = c->next)
            c->parent = parent;
        append(first, last, sub);
    }
    return err;
}

static ap_directive_t *new_node(struct build *b, ap_directive_t *parent)
{
    ap_directive_t *n = apr_pcalloc(b->p, sizeof(*n));
    const char *line = b->buf;
    ap_configfile_t *cfp = b->parms->config_file;
    char *err = NULL;
    n->directive = mc__cfg_getword(b->p, &line);
    if (n->directive[0] == '<' && n->directive[1] != '/' &&
        n->directive[strlen(n->directive) - 1] == '>' && !*line) {
        /* "<Location>" without arguments: the handler reports it */
        ((char *)n->directive)[strlen(n->directive) - 1] = '\0';
        line = ">";
    }
    n->args = apr_pstrdup(b->p, mc__resolve_vars(b->ptemp, line, &err));
    n->filename = cfp->name;
    n->line_num = (int)cfp->line_number;
    n->parent = parent;
    n->data = err; /* a variable error, reported by the caller */
    return n;
}

static const char *node_error(struct build *b, ap_directive_t *n,
                              const char *msg)
{
    b->parms->err_directive = n;
    return msg;
}

/* A node standing for the line just read (for error locations). */
static ap_directive_t *here(struct build *b)
{
    ap_directive_t *n = apr_pcalloc(b->p, sizeof(*n));
    n->filename = b->parms->config_file->name;
    n->line_num = (int)b->parms->config_file->line_number;
    n->directive = "";
    return n;
}

static const char *check_close(struct build *b, const char *section)
{
    const char *name = close_name(b->ptemp, b->buf);
    if (!section)
        return apr_psprintf(b->p, "</%s> without matching <%s> section", name,
                            name);
    if (strcasecmp(name, section + 1))
        return apr_psprintf(b->p, "Expected </%s> but saw </%s>", section + 1,
                            name);
    return NULL;
}

static const char *build_node(struct build *b, ap_directive_t *parent,
                              ap_directive_t *n, ap_directive_t **first,
                              ap_directive_t **last)
{
    const char *err;
    int done;
    if (n->data)
        return node_error(b, n, n->data);
    n->data = NULL;
    if (is_conditional(n->directive))
        return build_conditional(b, parent, n, first, last);
    if (!strcasecmp(n->directive, "Include") ||
        !strcasecmp(n->directive, "IncludeOptional"))
        return build_include(b, parent, n, first, last);
    err = exec_now(b, parent, n, first, last, &done);
    if (err)
        return node_error(b, n, err);
    if (done)
        return NULL;
    append(first, last, n);
    if (n->directive[0] == '<') {
        ap_directive_t *cl = NULL;
        return build_level(b, n, n->directive, &n->first_child, &cl);
    }
    return NULL;
}

static const char *build_level(struct build *b, ap_directive_t *parent,
                               const char *section, ap_directive_t **first,
                               ap_directive_t **last)
{
    ap_configfile_t *cfp = b->parms->config_file;
    apr_status_t rv;
    unsigned start_line = cfp->line_number;
    while ((rv = cfg_line(b->buf, MC_MAX_LINE, cfp)) == APR_SUCCESS) {
        ap_directive_t *n;
        const char *err;
        if (b->buf[0] == '\0' || b->buf[0] == '#')
            continue;
        if (is_close(b->buf)) {
            err = check_close(b, section);
            if (err && !b->parms->err_directive)
                b->parms->err_directive = here(b);
            return err;
        }
        n = new_node(b, parent);
        if (!*n->directive)
            continue;
        err = build_node(b, parent, n, first, last);
        if (err) {
            if (!b->parms->err_directive)
                b->parms->err_directive = n;
            return err;
        }
    }
    if (rv != APR_EOF)
        return apr_psprintf(b->p, "%s: read error after line %u", cfp->name,
                            cfp->line_number);
    if (section) {
        (void)start_line;
        return apr_psprintf(b->p, "%s> was not closed.", section);
    }
    return NULL;
}

/* Reads one file into a sibling list. */
static const char *build_cfp(struct build *outer, ap_configfile_t *cfp,
                             ap_directive_t *parent, ap_directive_t **first,
                             ap_directive_t **last)
{
    ap_configfile_t *saved = outer->parms->config_file;
    const char *err;
    outer->parms->config_file = cfp;
    err = build_level(outer, parent, NULL, first, last);
    if (err && !outer->parms->err_directive) {
        /* errors at end of file point at the last line read */
        ap_directive_t *n = apr_pcalloc(outer->p, sizeof(*n));
        n->filename = cfp->name;
        n->line_num = (int)cfp->line_number;
        n->directive = "";
        outer->parms->err_directive = n;
    }
    outer->parms->config_file = saved;
    return err;
}

/* Reads one file into a sibling list. */
static const char *build_file(struct build *outer, const char *path,
                              ap_directive_t *parent, ap_directive_t **first,
                              ap_directive_t **last)
{
    ap_configfile_t *cfp;
    apr_status_t rv = mc__cfg_open(outer->p, path, &cfp);
    if (rv != APR_SUCCESS) {
        char eb[120];
        return apr_psprintf(outer->p,
                            "Could not open configuration file %s: %s", path,
                            apr_strerror(rv, eb, sizeof(eb)));
    }
    return build_cfp(outer, cfp, parent, first, last);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static const char *build_include(struct build *b, ap_directive_t *parent,
                                 ap_directive_t *n, ap_directive_t **first,
                                 ap_directive_t **last)
{
    const char *args = n->args;
    char *pat = mc__cfg_getword(b->ptemp, &args);
    int optional = !strcasecmp(n->directive, "IncludeOptional");
    apr_array_header_t *files;
    const char *dir, *err = NULL;
    if (!*pat)
        return node_error(b, n, "Include takes one argument");
    pat = mc__core_root_relative(b->p, pat);
    if (!apr_fnmatch_test(pat))
        return build_file(b, pat, parent, first, last);
    dir = apr_pstrndup(b->ptemp, pat, (apr_size_t)(strrchr(pat, '/') - pat));
    files = mc__list_dir(b->ptemp, dir, strrchr(pat, '/') + 1);
    if (!files->nelts && !optional)
        return node_error(b, n,
                          apr_psprintf(b->p,
                                       "Include: nothing in '%s' matches "
                                       "'%s'",
                                       dir, strrchr(pat, '/') + 1));
    qsort(files->elts, (size_t)files->nelts, sizeof(char *), cmp_str);
    for (int i = 0; i < files->nelts && !err; ++i)
        err = build_file(
            b,
            apr_pstrcat(b->p, dir, "/", APR_ARRAY_IDX(files, i, char *), NULL),
            parent, first, last);
    return err;
}

apr_array_header_t *mc__list_dir(apr_pool_t *p, const char *dir,
                                 const char *pattern)
{
    apr_array_header_t *out = apr_array_make(p, 8, sizeof(char *));
    apr_dir_t *d;
    apr_finfo_t fi;
    if (apr_dir_open(&d, dir, p) != APR_SUCCESS)
        return out;
    while (apr_dir_read(&fi, APR_FINFO_NAME | APR_FINFO_TYPE, d) ==
           APR_SUCCESS) {
        if (fi.name[0] == '.' || fi.filetype == APR_DIR)
            continue;
        if (apr_fnmatch(pattern, fi.name, APR_FNM_PERIOD) == APR_SUCCESS)
            APR_ARRAY_PUSH(out, char *) = apr_pstrdup(p, fi.name);
    }
    apr_dir_close(d);
    return out;
}

AP_DECLARE(const char *)
ap_build_config(cmd_parms *parms, apr_pool_t *conf_pool, apr_pool_t *temp_pool,
                ap_directive_t **conftree)
{
    struct build b;
    ap_directive_t *first = NULL, *last = NULL;
    const char *err;
    mc_stub_perturb();
    b.parms = parms;
    b.p = conf_pool;
    b.ptemp = temp_pool;
    b.buf = apr_palloc(temp_pool, MC_MAX_LINE);
    err = build_level(&b, NULL, NULL, &first, &last);
    if (*conftree) {
        ap_directive_t *l = *conftree;
        while (l->next)
            l = l->next;
        l->next = first;
    } else {
        *conftree = first;
    }
    return err;
}

static void init_parms(cmd_parms *parms, server_rec *s, apr_pool_t *p,
                       apr_pool_t *ptemp)
{
    memset(parms, 0, sizeof(*parms));
    parms->override = (RSRC_CONF | OR_ALL) & ~(OR_AUTHCFG | OR_LIMIT);
    parms->override_opts = OPT_ALL | OPT_SYM_OWNER | OPT_MULTI;
    parms->limited = -1;
    parms->server = s;
    parms->pool = p;
    parms->temp_pool = ptemp;
}

/* Formats the error of a failed read/walk as file:line: message. */
static const char *located(apr_pool_t *p, const cmd_parms *parms,
                           const char *fname, const char *err)
{
    const ap_directive_t *d = parms->err_directive;
    if (d && d->filename)
        return apr_psprintf(p, "%s:%d: %s", d->filename, d->line_num, err);
    return apr_psprintf(p, "%s: %s", fname, err);
}

/* Appends a parsed directive list to the end of a configuration tree. */
static void append_tree(ap_directive_t **conftree, ap_directive_t *first)
{
    ap_directive_t **end = conftree;
    while (*end)
        end = &(*end)->next;
    *end = first;
}

AP_DECLARE(const char *)
ap_process_resource_config(server_rec *s, const char *fname,
                           ap_directive_t **conftree, apr_pool_t *p,
                           apr_pool_t *ptemp)
{
    cmd_parms parms;
    struct build b;
    ap_directive_t *first = NULL, *last = NULL;
    const char *err;
    mc_stub_perturb();
    init_parms(&parms, s, p, ptemp);
    b.parms = &parms;
    b.p = p;
    b.ptemp = ptemp;
    b.buf = apr_palloc(ptemp, MC_MAX_LINE);
    err = build_file(&b, fname, NULL, &first, &last);
    if (err)
        return located(p, &parms, fname, err);
    append_tree(conftree, first);
    return NULL;
}

const char *mc__process_string(server_rec *s, const char *name,
                               const char *text, ap_directive_t **conftree,
                               apr_pool_t *p, apr_pool_t *ptemp)
{
    cmd_parms parms;
    struct build b;
    ap_directive_t *first = NULL, *last = NULL;
    const char *err;
    init_parms(&parms, s, p, ptemp);
    b.parms = &parms;
    b.p = p;
    b.ptemp = ptemp;
    b.buf = apr_palloc(ptemp, MC_MAX_LINE);
    err = build_cfp(&b, cfg_open_string(p, name, text), NULL, &first, &last);
    if (err)
        return located(p, &parms, name, err);
    append_tree(conftree, first);
    return NULL;
}

const char *mc__process_tree(server_rec *s, ap_directive_t *conftree,
                             apr_pool_t *p, apr_pool_t *ptemp)
{
    cmd_parms parms;
    const char *err;
    init_parms(&parms, s, p, ptemp);
    err = ap_walk_config(conftree, &parms, s->lookup_defaults);
    if (err)
        return located(p, &parms, mc__stub.conf_file, err);
    return NULL;
}

AP_DECLARE(int)
ap_process_config_tree(server_rec *s, ap_directive_t *conftree, apr_pool_t *p,
                       apr_pool_t *ptemp)
{
    const char *err = mc__process_tree(s, conftree, p, ptemp);
    if (err) {
        mc__log(s, APLOG_STARTUP, 0, "%s", err);
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    return OK;
}

/* --- context checks ------------------------------------------------------ */

static const ap_directive_t *find_parent(const ap_directive_t *d,
                                         const char *what)
{
    for (; d; d = d->parent)
        if (d->directive && !strncasecmp(d->directive, what, strlen(what)))
            return d;
    return NULL;
}

AP_DECLARE(const char *)
ap_check_cmd_context(cmd_parms *cmd, unsigned forbidden)
{
    const char *gt = (cmd->cmd->name[0] == '<' &&
                      cmd->cmd->name[strlen(cmd->cmd->name) - 1] != '>')
                         ? ">"
                         : "";
    const ap_directive_t *found;
    const ap_directive_t *up = cmd->directive ? cmd->directive->parent : NULL;
    mc_stub_perturb();
    if ((forbidden & NOT_IN_HTACCESS) && (cmd->pool == cmd->temp_pool))
        return apr_pstrcat(cmd->pool, cmd->cmd->name, gt,
                           " cannot occur within htaccess files", NULL);
    if ((forbidden & NOT_IN_VIRTUALHOST) && cmd->server->is_virtual)
        return apr_pstrcat(cmd->pool, cmd->cmd->name, gt,
                           " cannot occur within <VirtualHost> section", NULL);
    if ((forbidden & NOT_IN_LIMIT) && cmd->limited != -1)
        return apr_pstrcat(cmd->pool, cmd->cmd->name, gt,
                           " cannot occur within <Limit> or <LimitExcept> "
                           "section",
                           NULL);
    if ((forbidden & NOT_IN_DIR_CONTEXT) == NOT_IN_DIR_CONTEXT) {
        if (cmd->path)
            return apr_pstrcat(cmd->pool, cmd->cmd->name, gt,
                               " cannot occur within directory context", NULL);
        if (cmd->cmd->req_override & EXEC_ON_READ)
            return NULL;
    }
    if (((forbidden & NOT_IN_DIRECTORY) &&
         ((found = find_parent(up, "<Directory")) ||
          (found = find_parent(up, "<DirectoryMatch")))) ||
        ((forbidden & NOT_IN_LOCATION) &&
         ((found = find_parent(up, "<Location")) ||
          (found = find_parent(up, "<LocationMatch")))) ||
        ((forbidden & NOT_IN_FILES) &&
         ((found = find_parent(up, "<Files")) ||
          (found = find_parent(up, "<FilesMatch")) ||
          (found = find_parent(up, "<If")))))
        return apr_pstrcat(cmd->pool, cmd->cmd->name, gt,
                           " cannot occur within ", found->directive,
                           "> section", NULL);
    return NULL;
}

/* --- .htaccess ------------------------------------------------------------ */

apr_status_t ap_open_htaccess(request_rec *r, const char *dir_name,
                              const char *access_name,
                              ap_configfile_t **conffile,
                              const char **full_name)
{
    *full_name = ap_make_full_path(r->pool, dir_name, access_name);
    return mc__cfg_open(r->pool, *full_name, conffile);
}

AP_CORE_DECLARE(int)
ap_parse_htaccess(ap_conf_vector_t **result, request_rec *r, int override,
                  int override_opts, apr_table_t *override_list, const char *d,
                  const char *access_names)
{
    cmd_parms parms;
    ap_conf_vector_t *dc = NULL;
    mc_stub_perturb();
    init_parms(&parms, r->server, r->pool, r->pool);
    parms.override = override;
    parms.override_opts = override_opts;
    parms.override_list = override_list;
    parms.path = apr_pstrdup(r->pool, d);
    while (access_names[0]) {
        const char *name = ap_getword_conf(r->pool, &access_names);
        ap_configfile_t *f = NULL;
        const char *full = NULL;
        apr_status_t st = ap_run_open_htaccess(r, d, name, &f, &full);
        ap_directive_t *tree = NULL;
        const char *err;
        if (st != APR_SUCCESS) {
            if (!APR_STATUS_IS_ENOENT(st) && !APR_STATUS_IS_ENOTDIR(st)) {
                ap_log_rerror(APLOG_MARK, APLOG_CRIT, st, r,
                              "%s: the stub could not read a per-directory "
                              "config file here: is it readable, and may "
                              "'%s' be searched?",
                              full, d);
                return HTTP_FORBIDDEN;
            }
            continue;
        }
        dc = ap_create_per_dir_config(r->pool);
        parms.config_file = f;
        err = ap_build_config(&parms, r->pool, r->pool, &tree);
        if (!err)
            err = ap_walk_config(tree, &parms, dc);
        if (err) {
            const ap_directive_t *ed = parms.err_directive;
            ap_log_rerror(APLOG_MARK, APLOG_ALERT, 0, r, "%s:%d: %s",
                          ed && ed->filename ? ed->filename : full,
                          ed ? ed->line_num : (int)f->line_number, err);
            return HTTP_INTERNAL_SERVER_ERROR;
        }
        break;
    }
    *result = dc;
    return OK;
}

AP_DECLARE(void) ap_reserve_module_slots(int count)
{
    (void)count;
}

AP_DECLARE(void) ap_reserve_module_slots_directive(const char *directive)
{
    (void)directive;
}
