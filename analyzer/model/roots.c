/*
 * roots.c — where module code is entered from, and in which phase:
 * ap_hook_* registrations, the module struct's slots, command_rec tables
 * (a directive allowed in .htaccess runs at request time), and the calls
 * of data/registrations.txt (filters, providers, optional functions, pool
 * cleanups, thread entry points).
 */
#include <stdint.h>
#include <string.h>

#include "model.h"

/* httpd's override classes that allow a directive in .htaccess
 * (OR_LIMIT|OR_OPTIONS|OR_FILEINFO|OR_AUTHCFG|OR_INDEXES). */
#define MC_OR_HTACCESS 31

static void root_add(struct mc_model *m, const char *usr, enum mc_phase ph,
                     const char *kind, const char *detail, struct mc_loc loc)
{
    int f = mc__model_fn(m, usr);
    if (f < 0 || !m->fns.v[f].def)
        return;
    for (size_t i = 0; i < m->roots.n; i++) {
        struct mc_root *r = &m->roots.v[i];
        if (r->fn == f && r->phase == ph && !strcmp(r->kind, kind))
            return;
    }
    struct mc_root *r = MC_VEC_PUSH(m->roots);
    r->fn = f;
    r->phase = ph;
    r->kind = kind;
    r->detail = detail ? detail : "";
    r->loc = loc;
}

static const char *unquote(struct mc_arena *a, const char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (n >= 2 && s[0] == '"' && s[n - 1] == '"')
        return mc_arena_strndup(a, s + 1, n - 2);
    return s ? s : "";
}

static int is_module_type(const char *t)
{
    return !strcmp(t, "struct module_struct") || !strcmp(t, "module");
}

static int is_cmd_table(const char *t)
{
    return strstr(t, "struct command_struct") != NULL;
}

static void module_slot(struct mc_model *m, const struct mc_init *in)
{
    static const struct {
        const char *field;
        enum mc_phase phase;
    } slots[] = {{"create_dir_config", MC_PH_REQUEST},
                 {"merge_dir_config", MC_PH_REQUEST},
                 {"create_server_config", MC_PH_CONFIG},
                 {"merge_server_config", MC_PH_CONFIG},
                 {"register_hooks", MC_PH_CONFIG},
                 {"rewrite_args", MC_PH_CONFIG}};
    m->has_module = 1;
    for (unsigned i = 0; i < MC_ARRAY_LEN(slots); i++) {
        if (in->kind == MC_INIT_FUNC && !strcmp(in->field, slots[i].field)) {
            root_add(m, in->usr, slots[i].phase, slots[i].field, "", in->loc);
            if (slots[i].phase == MC_PH_REQUEST &&
                !strcmp(in->field, "merge_dir_config"))
                m->has_merge_dir = 1;
        }
    }
}

/* All leaves of one command_rec entry: [first, end). */
static void directive(struct mc_model *m, const struct mc_init *v, size_t n)
{
    const char *name = "", *fn = NULL;
    long long where = 0;
    struct mc_loc loc = v[0].loc;
    for (size_t i = 0; i < n; i++) {
        if (!strcmp(v[i].field, "name") && v[i].kind == MC_INIT_STRING)
            name = v[i].str;
        else if (!strcmp(v[i].field, "req_override") &&
                 v[i].kind == MC_INIT_INT)
            where = v[i].ival;
        else if (v[i].kind == MC_INIT_FUNC && !fn) {
            fn = v[i].usr;
            loc = v[i].loc;
        }
    }
    if (!fn)
        return;
    enum mc_phase ph = (where & MC_OR_HTACCESS) ? MC_PH_REQUEST : MC_PH_CONFIG;
    /* a directive allowed in .htaccess is parsed while serving a request */
    root_add(m, fn, ph,
             ph == MC_PH_REQUEST ? "htaccess_directive" : "directive", name,
             loc);
}

static void global_inits(struct mc_model *m, const struct mc_tu *tu)
{
    for (size_t i = 0; i < tu->ninits;) {
        const struct mc_init *in = &tu->inits[i];
        size_t j = i + 1;
        while (j < tu->ninits && tu->inits[j].global_usr == in->global_usr &&
               tu->inits[j].index == in->index)
            j++;
        if (is_module_type(in->type)) {
            for (size_t k = i; k < j; k++)
                module_slot(m, &tu->inits[k]);
        } else if (is_cmd_table(in->type) && in->index >= 0) {
            directive(m, in, j - i);
        }
        i = j;
    }
}

/* The functions in the initializer of the global passed as a provider. */
static void provider(struct mc_model *m, const struct mc_value *v,
                     const char *group, struct mc_loc loc)
{
    if (v->origin != MC_ORIG_GLOBAL)
        return;
    for (size_t t = 0; t < m->ntus; t++) {
        const struct mc_tu *tu = &m->tus[t];
        for (size_t i = 0; tu->ok && i < tu->ninits; i++) {
            const struct mc_init *in = &tu->inits[i];
            if (in->kind != MC_INIT_FUNC || strcmp(in->global_usr, v->usr))
                continue;
            /* every provider function may run while serving a request
             * (an authz provider's parse_require_line also parses Require
             * lines of .htaccess files) */
            enum mc_phase ph = MC_PH_REQUEST;
            const char *kind =
                *group ? mc_arena_printf(&m->arena, "%s_provider", group)
                       : "provider";
            root_add(m, in->usr, ph, kind, group, loc);
        }
    }
}

static void registered(struct mc_model *m, const struct mc_event *e,
                       const struct mc_kb_reg *r);

static void registration(struct mc_model *m, const struct mc_event *e)
{
    const struct mc_call *c = &e->u.call;
    if (!strncmp(c->callee_name, "ap_hook_", 8) && c->nargs > 0 &&
        c->args[0].origin == MC_ORIG_FUNC) {
        const char *hook = c->callee_name + 8;
        root_add(m, c->args[0].usr, mc_kb_hook_phase(m->kb, hook), hook, "",
                 e->loc);
        return;
    }
    for (const struct mc_kb_reg *r = mc_kb_reg(m->kb, c->callee_name); r;
         r = r->next)
        registered(m, e, r);
}

/* One function argument of a registration call (data/registrations.txt). */
static void registered(struct mc_model *m, const struct mc_event *e,
                       const struct mc_kb_reg *r)
{
    const struct mc_call *c = &e->u.call;
    if ((unsigned)r->arg >= c->nargs)
        return;
    const struct mc_value *fn = &c->args[r->arg];
    if (!strcmp(r->root, "provider")) {
        provider(m, fn, c->nargs > 1 ? unquote(&m->arena, c->args[1].str) : "",
                 e->loc);
        return;
    }
    if (fn->origin != MC_ORIG_FUNC || r->phase < 0)
        return; /* "inherit" roots are added by the phase pass */
    const char *detail = c->nargs > 0 && c->args[0].origin == MC_ORIG_STRING
                             ? unquote(&m->arena, c->args[0].str)
                             : "";
    const char *kind = r->root;
    if (!strcmp(kind, "optional_hook") && *detail) {
        root_add(m, fn->usr, mc_kb_hook_phase(m->kb, detail), detail, "",
                 e->loc);
        return;
    }
    root_add(m, fn->usr, (enum mc_phase)r->phase, kind, detail, e->loc);
}

void mc__model_roots(struct mc_model *m)
{
    for (size_t t = 0; t < m->ntus; t++) {
        if (m->tus[t].ok)
            global_inits(m, &m->tus[t]);
    }
    for (size_t f = 0; f < m->fns.n; f++) {
        unsigned n;
        const struct mc_event *ev = mc_model_events(m, (int)f, &n);
        for (unsigned e = 0; e < n; e++) {
            if (ev[e].kind == MC_EV_CALL && ev[e].u.call.callee_usr)
                registration(m, &ev[e]);
        }
    }
}
