/*
 * main.c - modcert-stub's entry point: command line, httpd's startup
 * sequence (create the process and server records, read the configuration
 * tree - which loads modules -, sort hooks, pre_config, process the tree,
 * check_config, test_config for -t, open_logs, post_config) and then the
 * MPM profile. Also --check-module, which lists the httpd API a module .so
 * needs and this host does not provide.
 *
 * Usage: modcert-stub -f FILE [-p winnt|worker|prefork] [--threads N]
 *        [--processes N] [--seed N --perturb P] [-t]
 *        modcert-stub --check-module M.so
 * Exit status: 0 ok, 1 configuration error / refused module, 2 usage.
 */
#include "stub.h"
#include "stub_config.h"

#include "apr_general.h"
#include "apr_getopt.h"
#include "apr_strings.h"
#include "http_main.h"
#include "http_vhost.h"
#include "mpm_common.h"
#include "util_mutex.h"
#include "util_cfgtree.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Process-wide state: startup and config phases only (see stub.h). */
struct mc_stub mc__stub;

void mc__filters_registry_init(apr_pool_t *p);
void mc__http_filters_init(void);
void mc__subreq_init(void);
void mc__mpm_register_hooks(void);
const char *mc__open_listeners(apr_pool_t *p);
void mc__misc_reset(void);

#define MC_DEFAULT_SERVER_ROOT "/etc/apache2"

static const char *const level_names[] = {"emerg", "alert",  "crit", "error",
                                          "warn",  "notice", "info", "debug"};

void mc__log(const server_rec *s, int level, apr_status_t rv, const char *fmt,
             ...)
{
    char msg[1024], eb[120], date[APR_CTIME_LEN];
    va_list ap;
    int lvl = level & APLOG_LEVELMASK;
    int n;
    if (s && lvl > s->log.level && !(level & APLOG_STARTUP))
        return;
    va_start(ap, fmt);
    apr_vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    if (level & APLOG_STARTUP) {
        fprintf(stderr, "%s\n", msg);
        return;
    }
    apr_ctime(date, apr_time_now());
    n = snprintf(NULL, 0, "x");
    (void)n;
    if (s && s->error_log)
        apr_file_printf(s->error_log, "[%s] [stub:%s] [pid %d] %s%s%s\n", date,
                        lvl < 8 ? level_names[lvl] : "trace", (int)getpid(),
                        rv ? apr_strerror(rv, eb, sizeof(eb)) : "",
                        rv ? ": " : "", msg);
    else
        fprintf(stderr, "[%s] [stub:%s] %s%s%s\n", date,
                lvl < 8 ? level_names[lvl] : "trace",
                rv ? apr_strerror(rv, eb, sizeof(eb)) : "", rv ? ": " : "",
                msg);
}

static void usage(void)
{
    fprintf(stderr,
            "usage: modcert-stub -f FILE [-p winnt|worker|prefork] "
            "[--threads N] [--processes N] [--seed N --perturb P] [-t]\n"
            "       [-C DIRECTIVE (before FILE)] [-c DIRECTIVE (after FILE)]\n"
            "       modcert-stub --check-module M.so\n");
}

struct cli {
    const char *conf;
    const char *check;
    const char *profile;
    int threads, processes, test;
    apr_uint64_t seed;
    double perturb;
    const char *pre[16];  /* -C directives, before the file */
    const char *post[16]; /* -c directives, after the file */
    int npre, npost;
};

static int parse_int(const char *s, int *out)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (!*s || *end || v < 1 || v > 100000)
        return -1;
    *out = (int)v;
    return 0;
}

static int parse_args(int argc, char **argv, struct cli *cli)
{
    for (int i = 1; i < argc; ++i) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "-t")) {
            cli->test = 1;
            continue;
        }
        if (!v) {
            fprintf(stderr, "modcert-stub: option '%s' needs a value\n", a);
            return -1;
        }
        ++i;
        if (!strcmp(a, "-f"))
            cli->conf = v;
        else if (!strcmp(a, "-C") && cli->npre < 16)
            cli->pre[cli->npre++] = v;
        else if (!strcmp(a, "-c") && cli->npost < 16)
            cli->post[cli->npost++] = v;
        else if (!strcmp(a, "-p"))
            cli->profile = v;
        else if (!strcmp(a, "--check-module"))
            cli->check = v;
        else if (!strcmp(a, "--threads") && !parse_int(v, &cli->threads))
            ;
        else if (!strcmp(a, "--processes") && !parse_int(v, &cli->processes))
            ;
        else if (!strcmp(a, "--seed"))
            cli->seed = apr_strtoi64(v, NULL, 10);
        else if (!strcmp(a, "--perturb"))
            cli->perturb = atof(v);
        else {
            fprintf(stderr, "modcert-stub: bad option or value '%s %s'\n", a,
                    v);
            return -1;
        }
    }
    return 0;
}

static int set_profile(const char *name)
{
    if (!name || !strcmp(name, "winnt"))
        mc__stub.profile = MC_PROFILE_WINNT;
    else if (!strcmp(name, "worker"))
        mc__stub.profile = MC_PROFILE_WORKER;
    else if (!strcmp(name, "prefork"))
        mc__stub.profile = MC_PROFILE_PREFORK;
    else
        return -1;
    return 0;
}

static server_rec *init_server(apr_pool_t *p, process_rec *process)
{
    server_rec *s = apr_pcalloc(p, sizeof(*s));
    s->process = process;
    s->port = 0;
    s->server_admin = "[no address given]";
    s->server_hostname = NULL;
    s->error_fname = NULL;
    s->error_log = NULL;
    s->log.level = APLOG_WARNING;
    s->log.module_levels = NULL;
    s->timeout = apr_time_from_sec(60);
    s->keep_alive_timeout = apr_time_from_sec(5);
    s->keep_alive = 1;
    s->keep_alive_max = 100;
    s->limit_req_line = DEFAULT_LIMIT_REQUEST_LINE;
    s->limit_req_fieldsize = DEFAULT_LIMIT_REQUEST_FIELDSIZE;
    s->limit_req_fields = DEFAULT_LIMIT_REQUEST_FIELDS;
    s->names = apr_array_make(p, 4, sizeof(char **));
    s->wild_names = apr_array_make(p, 4, sizeof(char **));
    s->is_virtual = 0;
    s->defn_name = NULL;
    s->addrs = NULL;
    s->module_config = ap_create_per_dir_config(p);
    s->lookup_defaults = ap_create_per_dir_config(p);
    for (module *m = ap_top_module; m; m = m->next) {
        if (m->create_server_config)
            ap_set_module_config(s->module_config, m,
                                 m->create_server_config(p, s));
        if (m->create_dir_config)
            ap_set_module_config(s->lookup_defaults, m,
                                 m->create_dir_config(p, NULL));
    }
    return s;
}

static int check_module(apr_pool_t *p, const char *path)
{
    apr_array_header_t *missing = apr_array_make(p, 8, sizeof(const char *));
    const char *err = mc__check_module_symbols(p, path, missing);
    if (err) {
        fprintf(stderr, "modcert-stub: %s\n", err);
        return 1;
    }
    if (missing->nelts == 0) {
        printf("%s: all imported symbols are provided\n", path);
        return 0;
    }
    printf("%s: missing API:", path);
    for (int i = 0; i < missing->nelts; ++i)
        printf(" %s", APR_ARRAY_IDX(missing, i, const char *));
    printf("\n");
    return 1;
}

static int open_error_log(server_rec *s, apr_pool_t *p)
{
    const char *fname = s->error_fname;
    apr_status_t rv;
    if (fname && fname[0] == '|') { /* piped: like httpd's ErrorLog "|cmd" */
        piped_log *pl = ap_open_piped_log(p, fname + 1);
        if (!pl) {
            fprintf(stderr, "modcert-stub: could not start piped log '%s'\n",
                    fname + 1);
            return DONE;
        }
        s->error_log = ap_piped_log_write_fd(pl);
        return OK;
    }
    if (!fname || !strcmp(fname, "/dev/stderr") ||
        !strncmp(fname, "syslog", 6)) {
        apr_file_open_stderr(&s->error_log, p);
        return OK;
    }
    fname = mc__core_root_relative(p, fname);
    rv = apr_file_open(&s->error_log, fname,
                       APR_APPEND | APR_WRITE | APR_CREATE | APR_LARGEFILE,
                       APR_OS_DEFAULT, p);
    if (rv != APR_SUCCESS) {
        char eb[120];
        fprintf(stderr, "modcert-stub: could not open error log file %s: %s\n",
                fname, apr_strerror(rv, eb, sizeof(eb)));
        return DONE;
    }
    return OK;
}

static int stub_open_logs(apr_pool_t *pconf, apr_pool_t *plog,
                          apr_pool_t *ptemp, server_rec *s)
{
    (void)pconf;
    (void)ptemp;
    return open_error_log(s, plog);
}

static void register_stub_hooks(void)
{
    ap_hook_open_logs(stub_open_logs, NULL, NULL, APR_HOOK_REALLY_FIRST);
    mc__mpm_register_hooks();
}

static void apply_defaults(const struct cli *cli)
{
    if (cli->threads)
        mc__stub.threads_per_child = cli->threads;
    if (cli->processes)
        mc__stub.processes = cli->processes;
    if (mc__stub.threads_per_child <= 0)
        mc__stub.threads_per_child =
            mc__stub.profile == MC_PROFILE_WINNT ? 64 : 25;
    if (mc__stub.processes <= 0)
        mc__stub.processes = mc__stub.profile == MC_PROFILE_PREFORK ? 5 : 3;
    if (mc__stub.profile == MC_PROFILE_WINNT)
        mc__stub.processes = 1;
    ap_thread_stacksize = mc__stub.thread_stack;
}

/* DefaultRuntimeDir's default. httpd uses ServerRoot-relative
 * DEFAULT_REL_RUNTIMEDIR, which Debian's headers make /var/run/apache2 (the
 * system server's directory, often missing or not writable): the stub uses
 * `run` under ServerRoot when that directory exists, else ServerRoot itself;
 * without a ServerRoot directive, the same under the configuration file's
 * directory. Config phase (written once per pass). */
static void default_runtime_dir(apr_pool_t *p)
{
    const char *base = ap_server_root, *run;
    apr_finfo_t fi;
    if (ap_runtime_dir)
        return;
    if (strcmp(ap_server_root, MC_DEFAULT_SERVER_ROOT) == 0) {
        char *conf = ap_server_root_relative(p, mc__stub.conf_file);
        char *slash = conf ? strrchr(conf, '/') : NULL;
        if (slash) {
            *slash = '\0';
            base = slash == conf ? "/" : conf;
        }
    }
    run = apr_pstrcat(p, base, strcmp(base, "/") ? "/run" : "run", NULL);
    if (apr_stat(&fi, run, APR_FINFO_TYPE, p) == APR_SUCCESS &&
        fi.filetype == APR_DIR)
        ap_runtime_dir = run;
    else
        ap_runtime_dir = apr_pstrdup(p, base);
}

static const char *read_config(const struct cli *cli)
{
    ap_directive_t *tree = NULL;
    const char *err = NULL;
    apr_hook_sort_all();
    for (int i = 0; i < cli->npre && !err; ++i)
        err = mc__process_string(mc__stub.server, "-C", cli->pre[i], &tree,
                                 mc__stub.pconf, mc__stub.ptemp);
    if (!err)
        err = ap_process_resource_config(mc__stub.server, mc__stub.conf_file,
                                         &tree, mc__stub.pconf, mc__stub.ptemp);
    for (int i = 0; i < cli->npost && !err; ++i)
        err = mc__process_string(mc__stub.server, "-c", cli->post[i], &tree,
                                 mc__stub.pconf, mc__stub.ptemp);
    if (err)
        return err;
    ap_conftree = tree;
    apr_hook_sort_all();
    ap_main_state = AP_SQ_MS_CREATE_CONFIG;
    if (ap_run_pre_config(mc__stub.pconf, mc__stub.plog, mc__stub.ptemp) != OK)
        return "pre-configuration failed";
    err =
        mc__process_tree(mc__stub.server, tree, mc__stub.pconf, mc__stub.ptemp);
    if (err)
        return err;
    apply_defaults(cli);
    default_runtime_dir(mc__stub.pconf);
    if (ap_run_check_config(mc__stub.pconf, mc__stub.plog, mc__stub.ptemp,
                            mc__stub.server) != OK)
        return "configuration check failed";
    return NULL;
}

/* Clears what the previous configuration pass left, like httpd's restart
 * loop: hooks deregistered, pconf/plog cleared (modules unloaded by their
 * cleanups), defaults restored. */
static void reset_pass(void)
{
    apr_hook_deregister_all();
    apr_pool_clear(mc__stub.pconf);
    apr_pool_clear(mc__stub.plog);
    apr_pool_create(&mc__stub.ptemp, mc__stub.pconf);
    ap_server_root = MC_DEFAULT_SERVER_ROOT;
    ap_runtime_dir = NULL;
    mc__config_vectors_reset();
    mc__misc_reset();
    ap_config_generation++;
}

/* One configuration pass; httpd runs two at startup (modules detect the
 * first one through the process pool and often initialise only in the
 * second). */
static int config_pass(const struct cli *cli)
{
    const char *err;
    mc__config_init(mc__stub.pconf);
    err = read_config(cli);
    if (err) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    if (cli->test) {
        ap_run_test_config(mc__stub.pconf, mc__stub.server);
        fprintf(stderr, "Syntax OK\n");
        return 0;
    }
    if (ap_run_open_logs(mc__stub.pconf, mc__stub.plog, mc__stub.ptemp,
                         mc__stub.server) != OK)
        return 1;
    if (ap_run_post_config(mc__stub.pconf, mc__stub.plog, mc__stub.ptemp,
                           mc__stub.server) != OK) {
        fprintf(stderr, "modcert-stub: post-configuration failed\n");
        return 1;
    }
    return -1;
}

static int startup(const struct cli *cli)
{
    const char *err;
    int rc = config_pass(cli);
    if (rc >= 0)
        return rc;
    reset_pass();
    rc = config_pass(cli);
    if (rc >= 0)
        return rc;
    apr_pool_clear(mc__stub.ptemp);
    ap_run_optional_fn_retrieve(); /* where httpd runs it: before the MPM */
    err = mc__open_listeners(mc__stub.pconf);
    if (err) {
        fprintf(stderr, "modcert-stub: %s\n", err);
        return 1;
    }
    mc__config_vectors_fit(); /* modules are all loaded now */
    ap_main_state = AP_SQ_MS_RUN_MPM;
    return -1;
}

void mc__config_init(apr_pool_t *p)
{
    process_rec *process = mc__stub.process;
    if (!process)
        process = apr_pcalloc(mc__stub.pglobal, sizeof(*process));
    process->pool = mc__stub.pglobal;
    process->pconf = p;
    /* as httpd: the real command line (mod_perl copies argv[0]) */
    process->argc = mc__stub.argc;
    process->argv = mc__stub.argv;
    process->short_name = "modcert-stub";
    mc__stub.process = process;
    mc__defines = apr_table_make(p, 4);
    ap_server_config_defines = apr_array_make(p, 4, sizeof(char *));
    ap_server_pre_read_config = apr_array_make(p, 1, sizeof(char *));
    ap_server_post_read_config = apr_array_make(p, 1, sizeof(char *));
    mc__stub.listeners = apr_array_make(p, 2, sizeof(struct mc_listener));
    apr_hook_global_pool = p;
    ap_mutex_init(p); /* the Mutex registry, before modules register */
    mc__filters_registry_init(p);
    mc__filters_init(p);
    mc__http_filters_init();
    mc__subreq_init();
    register_stub_hooks();
    mc__setup_core_modules(p);
    mc__stub.server = init_server(p, process);
    ap_server_conf = mc__stub.server;
    ap_run_mode = AP_SQ_RM_NORMAL;
}

/* Process-wide setup done once while the process has one thread.
 * - tzset(): glibc loads the time-zone data lazily, on the first
 *   localtime_r/strftime("%Z")/mktime, under glibc-internal locks that
 *   ThreadSanitizer does not see; when that first call happens in several
 *   request threads at once, TSan reports a race inside the module that made
 *   the call. Loading it here, before any thread exists, makes later calls
 *   read-only (so a TZ change after start-up is not seen).
 * - ap_thread_main_create(): the main thread has an apr_thread_t, as in
 *   httpd's main(), so ap_thread_current() is non-NULL in the configuration
 *   hooks; request threads get theirs from ap_thread_create (mpm.c). */
void mc__time_init(void); /* api/util_time.c (api/api_internal.h) */

static void start_single_threaded(apr_pool_t *pglobal)
{
    apr_thread_t *thd = NULL;
    tzset();
    mc__time_init(); /* ap_ht_time's zone names (api/util_time.c) */
    if (ap_thread_main_create(&thd, pglobal) != APR_SUCCESS)
        fprintf(stderr, "modcert-stub: could not register the main thread\n");
}

int main(int argc, char **argv)
{
    struct cli cli;
    int rc;
    memset(&cli, 0, sizeof(cli));
    if (parse_args(argc, argv, &cli) != 0 || (!cli.conf && !cli.check)) {
        usage();
        return 2;
    }
    apr_app_initialize(&argc, (const char *const **)&argv, NULL);
    atexit(apr_terminate);
    apr_pool_create(&mc__stub.pglobal, NULL);
    ap_pglobal = mc__stub.pglobal;
    if (cli.check)
        return check_module(mc__stub.pglobal, cli.check);
    if (set_profile(cli.profile) != 0) {
        fprintf(stderr,
                "modcert-stub: unknown profile '%s' (winnt, worker, "
                "prefork)\n",
                cli.profile);
        return 2;
    }
    mc__stub_perturb_setup(cli.seed, cli.perturb);
    start_single_threaded(mc__stub.pglobal);
    apr_pool_create(&mc__stub.pconf, mc__stub.pglobal);
    apr_pool_create(&mc__stub.plog, mc__stub.pglobal);
    apr_pool_create(&mc__stub.ptemp, mc__stub.pconf);
    mc__stub.argc = argc;
    mc__stub.argv = (const char *const *)argv;
    mc__stub.conf_file = cli.conf;
    mc__stub.timeout = apr_time_from_sec(60);
    /* start-up, one thread: ap_add_common_vars gives httpd's PATH, the
     * server's own (getenv is not for request time) */
    mc__stub.env_path = getenv("PATH");
    if (!mc__stub.env_path)
        mc__stub.env_path = DEFAULT_PATH;
    rc = startup(&cli);
    if (rc >= 0)
        return rc;
    rc = mc__mpm_run();
    apr_pool_destroy(mc__stub.pconf);
    return rc;
}
