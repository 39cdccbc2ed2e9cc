/*
 * mod_stubtest.c - a test module for modcert-stub's own tests.
 *
 * It declares one directive per cmd_how kind and records every call, hooks
 * every request phase and records the order in r->notes, provides an authn
 * provider, two filters, a body echo handler and an MPM/layout report, so
 * that tests observe the host from inside a module. Config-phase state is
 * written in the configuration phase only; request-time state lives in the
 * request.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_core.h"
#include "http_log.h"
#include "http_protocol.h"
#include "http_request.h"
#include "ap_mpm.h"
#include "ap_provider.h"
#include "mod_auth.h"
#include "util_filter.h"

#include "apr_lib.h"
#include "apr_optional.h"
#include "apr_strings.h"

#include <pthread.h>
#include <signal.h>
#include <unistd.h>

module AP_MODULE_DECLARE_DATA stubtest_module;

typedef struct {
    apr_array_header_t *calls; /* "Name(arg|arg)" in the order dispatched */
} stubtest_server;

typedef struct {
    const char *dirval;
    const char *override_val;
} stubtest_dir;

static pid_t child_init_pid; /* written by child_init, before workers */

/* An optional function the module exports to itself: registered in
 * register_hooks, retrieved by the optional_fn_retrieve hook (config phase). */
APR_DECLARE_OPTIONAL_FN(int, stubtest_answer, (void));
static int stubtest_answer(void)
{
    return 42;
}
static APR_OPTIONAL_FN_TYPE(stubtest_answer) * answer_fn;

static void retrieve_optional(void)
{
    answer_fn = APR_RETRIEVE_OPTIONAL_FN(stubtest_answer);
}

static void *create_server(apr_pool_t *p, server_rec *s)
{
    stubtest_server *c = apr_pcalloc(p, sizeof(*c));
    c->calls = apr_array_make(p, 16, sizeof(char *));
    return c;
}

static void *create_dir(apr_pool_t *p, char *d)
{
    return apr_pcalloc(p, sizeof(stubtest_dir));
}

static void *merge_dir(apr_pool_t *p, void *basev, void *addv)
{
    stubtest_dir *b = basev, *a = addv, *c = apr_pcalloc(p, sizeof(*c));
    c->dirval = a->dirval ? a->dirval : b->dirval;
    c->override_val = a->override_val ? a->override_val : b->override_val;
    return c;
}

static const char *record(cmd_parms *cmd, const char *a1, const char *a2,
                          const char *a3)
{
    stubtest_server *c =
        ap_get_module_config(cmd->server->module_config, &stubtest_module);
    APR_ARRAY_PUSH(c->calls, const char *) =
        apr_psprintf(cmd->pool, "%s(%s|%s|%s)", cmd->cmd->name, a1 ? a1 : "-",
                     a2 ? a2 : "-", a3 ? a3 : "-");
    return NULL;
}

static const char *raw_fn(cmd_parms *cmd, void *d, const char *args)
{
    return record(cmd, args, NULL, NULL);
}

static const char *take1_fn(cmd_parms *cmd, void *d, const char *a)
{
    if (!strcmp(a, "fail"))
        return "StubTake1 was told to fail";
    return record(cmd, a, NULL, NULL);
}

static const char *take2_fn(cmd_parms *cmd, void *d, const char *a,
                            const char *b)
{
    return record(cmd, a, b, NULL);
}

static const char *take3_fn(cmd_parms *cmd, void *d, const char *a,
                            const char *b, const char *c)
{
    return record(cmd, a, b, c);
}

static const char *flag_fn(cmd_parms *cmd, void *d, int on)
{
    return record(cmd, on ? "on" : "off", NULL, NULL);
}

static const char *noargs_fn(cmd_parms *cmd, void *d)
{
    return record(cmd, NULL, NULL, NULL);
}

static const char *argv_fn(cmd_parms *cmd, void *d, int argc,
                           char *const argv[])
{
    return record(cmd, apr_itoa(cmd->pool, argc), argc ? argv[0] : NULL,
                  argc > 1 ? argv[argc - 1] : NULL);
}

static const char *global_fn(cmd_parms *cmd, void *d, const char *a)
{
    const char *err = ap_check_cmd_context(cmd, GLOBAL_ONLY);
    return err ? err : record(cmd, a, NULL, NULL);
}

static const char *notinloc_fn(cmd_parms *cmd, void *d, const char *a)
{
    const char *err = ap_check_cmd_context(cmd, NOT_IN_LOCATION);
    return err ? err : record(cmd, a, NULL, NULL);
}

static const char *dir_fn(cmd_parms *cmd, void *d, const char *a)
{
    ((stubtest_dir *)d)->dirval = a;
    return NULL;
}

static const char *override_fn(cmd_parms *cmd, void *d, const char *a)
{
    ((stubtest_dir *)d)->override_val = a;
    return NULL;
}

static const command_rec stubtest_cmds[] = {
    AP_INIT_RAW_ARGS("StubRaw", raw_fn, NULL, RSRC_CONF, "raw"),
    AP_INIT_TAKE1("StubTake1", take1_fn, NULL, RSRC_CONF, "take1"),
    AP_INIT_TAKE2("StubTake2", take2_fn, NULL, RSRC_CONF, "take2"),
    AP_INIT_TAKE12("StubTake12", take2_fn, NULL, RSRC_CONF, "take12"),
    AP_INIT_TAKE3("StubTake3", take3_fn, NULL, RSRC_CONF, "take3"),
    AP_INIT_TAKE23("StubTake23", take3_fn, NULL, RSRC_CONF, "take23"),
    AP_INIT_TAKE123("StubTake123", take3_fn, NULL, RSRC_CONF, "take123"),
    AP_INIT_TAKE13("StubTake13", take3_fn, NULL, RSRC_CONF, "take13"),
    AP_INIT_ITERATE("StubIterate", take1_fn, NULL, RSRC_CONF, "iterate"),
    AP_INIT_ITERATE2("StubIterate2", take2_fn, NULL, RSRC_CONF, "iterate2"),
    AP_INIT_FLAG("StubFlag", flag_fn, NULL, RSRC_CONF, "flag"),
    AP_INIT_NO_ARGS("StubNoArgs", noargs_fn, NULL, RSRC_CONF, "no args"),
    AP_INIT_TAKE_ARGV("StubArgv", argv_fn, NULL, RSRC_CONF, "argv"),
    AP_INIT_TAKE1("StubGlobal", global_fn, NULL, RSRC_CONF | ACCESS_CONF,
                  "global only"),
    AP_INIT_TAKE1("StubNotInLoc", notinloc_fn, NULL, RSRC_CONF | ACCESS_CONF,
                  "not in <Location>"),
    /* a genuine NO_ARGS entry (AP_INIT_NO_ARGS encodes RAW_ARGS) */
    {"StubNoArgsStrict",
     {.no_args = noargs_fn},
     NULL,
     RSRC_CONF,
     NO_ARGS,
     "strict no args"},
    AP_INIT_TAKE1("StubDir", dir_fn, NULL, ACCESS_CONF, "per-dir"),
    AP_INIT_TAKE1("StubOverride", override_fn, NULL, OR_FILEINFO,
                  "per-dir, .htaccess with FileInfo"),
    {NULL}};

/* --- request phases -------------------------------------------------------- */

static void trace(request_rec *r, const char *phase)
{
    const char *t = apr_table_get(r->notes, "stubtest-trace");
    apr_table_setn(r->notes, "stubtest-trace",
                   t ? apr_pstrcat(r->pool, t, " ", phase, NULL) : phase);
}

static int wants_trace(request_rec *r)
{
    return r->uri && !strncmp(r->uri, "/trace", 6);
}

#define PHASE(fn, name, ret)      \
    static int fn(request_rec *r) \
    {                             \
        if (wants_trace(r))       \
            trace(r, name);       \
        return ret;               \
    }

PHASE(h_post_read, "post_read_request", DECLINED)
PHASE(h_translate, "translate_name", DECLINED)
PHASE(h_map, "map_to_storage", DECLINED)
PHASE(h_header_parser, "header_parser", DECLINED)
PHASE(h_access, "access_checker", DECLINED)
PHASE(h_access_ex, "access_checker_ex", DECLINED)
PHASE(h_authn, "check_user_id", DECLINED)
PHASE(h_authz, "auth_checker", DECLINED)
PHASE(h_type, "type_checker", DECLINED)
PHASE(h_fixups, "fixups", DECLINED)

static int h_quick(request_rec *r, int lookup)
{
    if (wants_trace(r))
        trace(r, "quick_handler");
    return DECLINED;
}

static void h_insert_filter(request_rec *r)
{
    if (wants_trace(r))
        trace(r, "insert_filter");
    if (r->uri && !strncmp(r->uri, "/upper", 6))
        ap_add_output_filter("STUBUPPER", NULL, r, r->connection);
}

static int h_log(request_rec *r)
{
    if (wants_trace(r))
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r, "stubtest-log %s", r->uri);
    return DECLINED;
}

/* Hook order: four fixups with different orders; the trace shows them. */
#define ORDERED(fn, name)                            \
    static int fn(request_rec *r)                    \
    {                                                \
        if (r->uri && !strncmp(r->uri, "/order", 6)) \
            trace(r, name);                          \
        return DECLINED;                             \
    }
ORDERED(o_last, "last")
ORDERED(o_first, "first")
ORDERED(o_middle, "middle")
ORDERED(o_really_first, "really_first")

/* --- handlers ---------------------------------------------------------- */

static int report_config(request_rec *r)
{
    stubtest_server *c =
        ap_get_module_config(r->server->module_config, &stubtest_module);
    stubtest_dir *d = ap_get_module_config(r->per_dir_config, &stubtest_module);
    ap_set_content_type(r, "text/plain");
    for (int i = 0; i < c->calls->nelts; ++i)
        ap_rprintf(r, "%s\n", APR_ARRAY_IDX(c->calls, i, const char *));
    ap_rprintf(r, "dir=%s\noverride=%s\n", d->dirval ? d->dirval : "-",
               d->override_val ? d->override_val : "-");
    return OK;
}

static int report_trace(request_rec *r)
{
    const char *t = apr_table_get(r->notes, "stubtest-trace");
    trace(r, "handler");
    t = apr_table_get(r->notes, "stubtest-trace");
    ap_set_content_type(r, "text/plain");
    ap_rprintf(r, "%s\nuser=%s\n", t ? t : "", r->user ? r->user : "-");
    return OK;
}

/* Bytes of the inaccessible mapping just below the mapping that holds
 * this thread's stack (its guard), from /proc/self/maps; 0 when none. */
static unsigned long stack_guard_bytes(void)
{
    char line[512];
    unsigned long prev_lo = 0, prev_hi = 0, here = (unsigned long)&line;
    int prev_none = 0;
    FILE *f = fopen("/proc/self/maps", "r");
    if (!f)
        return 0;
    while (fgets(line, sizeof line, f)) {
        unsigned long lo, hi;
        char perms[8];
        if (sscanf(line, "%lx-%lx %7s", &lo, &hi, perms) != 3)
            continue;
        if (lo <= here && here < hi) {
            fclose(f);
            return prev_none && prev_hi == lo ? prev_hi - prev_lo : 0;
        }
        prev_lo = lo;
        prev_hi = hi;
        prev_none = !strncmp(perms, "---", 3);
    }
    fclose(f);
    return 0;
}

static int report_mpm(request_rec *r)
{
    int threaded = -1, forked = -1, max_threads = -1, daemons = -1;
    ap_mpm_query(AP_MPMQ_IS_THREADED, &threaded);
    ap_mpm_query(AP_MPMQ_IS_FORKED, &forked);
    ap_mpm_query(AP_MPMQ_MAX_THREADS, &max_threads);
    ap_mpm_query(AP_MPMQ_MAX_DAEMON_USED, &daemons);
    ap_set_content_type(r, "text/plain");
    ap_rprintf(r,
               "pid=%d tid=%lu child_init_pid=%d threaded=%d forked=%d "
               "max_threads=%d daemons=%d optfn=%d guard=%lu\n",
               (int)getpid(), (unsigned long)pthread_self(),
               (int)child_init_pid, threaded, forked, max_threads, daemons,
               answer_fn ? answer_fn() : -1, stack_guard_bytes());
    if (r->args && !strcmp(r->args, "slow"))
        apr_sleep(apr_time_from_msec(300));
    return OK;
}

/* /env: what modules made of the request (client address, host, user,
 * the environment modules set); ?NAME=VALUE&... sets those response headers
 * (for modules that act on a handler's headers, e.g. X-Sendfile). */
static int print_env(void *rec, const char *key, const char *value)
{
    ap_rprintf(rec, "env %s=%s\n", key, value);
    return 1;
}

static int report_env(request_rec *r)
{
    char *args = apr_pstrdup(r->pool, r->args ? r->args : "");
    char *last = NULL;
    for (char *kv = apr_strtok(args, "&", &last); kv;
         kv = apr_strtok(NULL, "&", &last)) {
        char *eq = strchr(kv, '=');
        if (eq) {
            *eq = '\0';
            ap_unescape_url(eq + 1);
            apr_table_set(r->headers_out, kv, eq + 1);
        }
    }
    ap_set_content_type(r, "text/plain");
    ap_rprintf(r, "useragent_ip=%s client_ip=%s hostname=%s user=%s\n",
               r->useragent_ip, r->connection->client_ip,
               r->hostname ? r->hostname : "-", r->user ? r->user : "-");
    apr_table_do(print_env, r, r->subprocess_env, NULL);
    return OK;
}

static int echo_body(request_rec *r)
{
    char buf[4096];
    long n, total = 0;
    int st = ap_setup_client_block(r, REQUEST_CHUNKED_DECHUNK);
    if (st != OK)
        return st;
    ap_set_content_type(r, "text/plain");
    if (ap_should_client_block(r)) {
        while ((n = ap_get_client_block(r, buf, sizeof(buf))) > 0) {
            ap_rwrite(buf, (int)n, r);
            total += n;
        }
        if (n < 0)
            return HTTP_BAD_REQUEST;
    }
    ap_rprintf(r, "\nlength=%ld\n", total);
    return OK;
}

static int form_body(request_rec *r)
{
    apr_array_header_t *pairs = NULL;
    int st = ap_parse_form_data(r, NULL, &pairs, -1, 65536);
    if (st != OK)
        return st;
    ap_set_content_type(r, "text/plain");
    for (int i = 0; i < pairs->nelts; ++i) {
        ap_form_pair_t *p = &APR_ARRAY_IDX(pairs, i, ap_form_pair_t);
        char buf[256];
        apr_size_t len = sizeof(buf) - 1;
        apr_brigade_flatten(p->value, buf, &len);
        buf[len] = '\0';
        ap_rprintf(r, "%s=%s\n", p->name, buf);
    }
    return OK;
}

/* /redirect?URI: internal redirect; /subreq?URI: the sub-request's
 * status and its output embedded in this response. */
static int redirect_or_subreq(request_rec *r, int sub)
{
    request_rec *rr;
    int st;
    if (!r->args)
        return HTTP_BAD_REQUEST;
    if (!sub) {
        ap_internal_redirect(r->args, r);
        return OK;
    }
    rr = ap_sub_req_lookup_uri(r->args, r, r->output_filters);
    ap_set_content_type(r, "text/plain");
    ap_rprintf(r, "lookup=%d\n", rr->status);
    ap_rflush(r);
    st = ap_run_sub_req(rr);
    ap_rprintf(r, "run=%d\n", st);
    ap_destroy_sub_req(rr);
    return OK;
}

static int stubtest_handler(request_rec *r)
{
    if (!r->handler)
        return DECLINED;
    if (!strcmp(r->handler, "stubtest-config"))
        return report_config(r);
    if (!strcmp(r->handler, "stubtest-trace"))
        return report_trace(r);
    if (!strcmp(r->handler, "stubtest-mpm"))
        return report_mpm(r);
    if (!strcmp(r->handler, "stubtest-echo"))
        return echo_body(r);
    if (!strcmp(r->handler, "stubtest-env"))
        return report_env(r);
    if (!strcmp(r->handler, "stubtest-crash")) {
        /* the serving process dies as a module's bad pointer would kill it */
        raise(SIGSEGV);
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    if (!strcmp(r->handler, "stubtest-filtererr")) {
        /* AP_FILTER_ERROR with nothing sent: httpd answers 500 */
        return AP_FILTER_ERROR;
    }
    if (!strcmp(r->handler, "stubtest-form"))
        return form_body(r);
    if (!strcmp(r->handler, "stubtest-redirect"))
        return redirect_or_subreq(r, 0);
    if (!strcmp(r->handler, "stubtest-subreq"))
        return redirect_or_subreq(r, 1);
    return DECLINED;
}

/* --- filters and provider ------------------------------------------------ */

static apr_status_t upper_filter(ap_filter_t *f, apr_bucket_brigade *bb)
{
    for (apr_bucket *e = APR_BRIGADE_FIRST(bb); e != APR_BRIGADE_SENTINEL(bb);
         e = APR_BUCKET_NEXT(e)) {
        const char *data;
        apr_size_t len;
        char *up;
        if (APR_BUCKET_IS_METADATA(e))
            continue;
        apr_bucket_read(e, &data, &len, APR_BLOCK_READ);
        up = apr_pstrmemdup(f->r->pool, data, len);
        for (apr_size_t i = 0; i < len; ++i)
            up[i] = (char)apr_toupper(up[i]);
        apr_bucket *n =
            apr_bucket_pool_create(up, len, f->r->pool, f->c->bucket_alloc);
        APR_BUCKET_INSERT_BEFORE(e, n);
        apr_bucket_delete(e);
        e = n;
    }
    return ap_pass_brigade(f->next, bb);
}

static authn_status check_password(request_rec *r, const char *user,
                                   const char *pw)
{
    if (strcmp(user, "alice"))
        return AUTH_USER_NOT_FOUND;
    return strcmp(pw, "secret") ? AUTH_DENIED : AUTH_GRANTED;
}

static const authn_provider stub_authn = {check_password, NULL};

static apr_status_t pchild_cleanup(void *data)
{
    ap_log_error(APLOG_MARK, APLOG_ERR, 0, data,
                 "stubtest: child pool cleanup ran in pid %d", (int)getpid());
    return APR_SUCCESS;
}

static void h_child_init(apr_pool_t *p, server_rec *s)
{
    child_init_pid = getpid();
    apr_pool_cleanup_register(p, s, pchild_cleanup, apr_pool_cleanup_null);
}

static void register_hooks(apr_pool_t *p)
{
    APR_REGISTER_OPTIONAL_FN(stubtest_answer);
    ap_hook_optional_fn_retrieve(retrieve_optional, NULL, NULL,
                                 APR_HOOK_MIDDLE);
    ap_hook_post_read_request(h_post_read, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_quick_handler(h_quick, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_translate_name(h_translate, NULL, NULL, APR_HOOK_FIRST);
    ap_hook_map_to_storage(h_map, NULL, NULL, APR_HOOK_FIRST);
    ap_hook_header_parser(h_header_parser, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_check_access(h_access, NULL, NULL, APR_HOOK_MIDDLE,
                         AP_AUTH_INTERNAL_PER_CONF);
    ap_hook_check_access_ex(h_access_ex, NULL, NULL, APR_HOOK_FIRST,
                            AP_AUTH_INTERNAL_PER_CONF);
    ap_hook_check_authn(h_authn, NULL, NULL, APR_HOOK_FIRST,
                        AP_AUTH_INTERNAL_PER_CONF);
    ap_hook_check_authz(h_authz, NULL, NULL, APR_HOOK_FIRST,
                        AP_AUTH_INTERNAL_PER_CONF);
    ap_hook_type_checker(h_type, NULL, NULL, APR_HOOK_FIRST);
    ap_hook_fixups(h_fixups, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_insert_filter(h_insert_filter, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_handler(stubtest_handler, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_log_transaction(h_log, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_child_init(h_child_init, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_fixups(o_last, NULL, NULL, APR_HOOK_LAST);
    ap_hook_fixups(o_first, NULL, NULL, APR_HOOK_FIRST);
    ap_hook_fixups(o_middle, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_fixups(o_really_first, NULL, NULL, APR_HOOK_REALLY_FIRST);
    ap_register_output_filter("STUBUPPER", upper_filter, NULL,
                              AP_FTYPE_RESOURCE);
    ap_register_auth_provider(p, AUTHN_PROVIDER_GROUP, "stubtest",
                              AUTHN_PROVIDER_VERSION, &stub_authn,
                              AP_AUTH_INTERNAL_PER_CONF);
}

AP_DECLARE_MODULE(stubtest) = {
    STANDARD20_MODULE_STUFF, create_dir,    merge_dir, create_server, NULL,
    stubtest_cmds,           register_hooks};
