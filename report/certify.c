/*
 * certify.c — `modcert certify`: one command that answers "may this module
 * run under a threaded MPM?". It resolves the module (a .so, sources, or
 * both; a .so is built from sources when none is given), runs the lenses
 * the policy names — `modcert scan` and `modcert stress` as subprocesses of
 * this very executable, each under a time limit, so a crashing lens never
 * takes certify down; the binary audit in-process — merges their documents
 * with mc_report_merge(), writes report.json/.sarif/.md/.html (and
 * certificate.json with --sign) atomically, prints the one-screen summary
 * and exits 0 certified, 1 not certified, 2 could not complete.
 * SIGINT/SIGTERM stop the running lens; the report is still written,
 * marked incomplete. Documented in docs/certify.md.
 */
#include "certify.h"

#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"
#include "mc_file.h"

#define PROG "modcert certify"

/* Set by the SIGINT/SIGTERM handler (the only writer) while certify runs;
 * read by the lens loop. */
static volatile sig_atomic_t mc__certify_stop;

static void on_signal(int sig)
{
    (void)sig;
    mc__certify_stop = 1;
}

static void catch_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal; /* no SA_RESTART: waits wake up */
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
}

struct certify {
    /* options */
    const char *module, *config, *scenario, *policy_path, *baseline;
    const char *sign, *out, *name;
    char **sources; /* absolute paths, owned */
    size_t nsources;
    char *source_root; /* owned */
    long long requests, seed, threads, jobs;
    double seconds, timeout;
    int quiet;
    /* resolved plan */
    char *self, *so, *stress_module; /* owned */
    const char *detector, *profile;
    int differential, want_static, want_binary, want_dynamic;
    struct mc_policy policy;
    /* results */
    json_t *scan_doc, *audit_doc, *stress_doc;
    struct mc_report_inputs in;
    char notes[3][512];
};

static void usage(FILE *out)
{
    fputs(
        "usage: modcert certify --module PATH --out DIR\n"
        "         [--source DIR|FILE...] [--config SNIPPET] [--scenario FILE]\n"
        "         [--policy FILE] [--baseline FILE] [--sign KEY] [--name "
        "NAME]\n"
        "         [--requests N] [--seconds S] [--seed N] [--threads N]\n"
        "         [--jobs N] [--timeout S] [-q]\n"
        "\n"
        "Runs every lens the policy names on one module (static scan of the\n"
        "sources, binary audit, stress under a race detector in prefork and\n"
        "winnt), merges the findings into one report, decides the verdict and\n"
        "writes report.json, .sarif, .md, .html (and a signed certificate)\n"
        "into DIR.\n"
        "\n"
        "  --module PATH      a module .so, a .c file or a directory of .c\n"
        "                     files (built with apxs' flags into DIR/module/)\n"
        "  --out DIR          where the report and its renderings go\n"
        "  --source DIR|F...  the sources of a .so: enable the static lens "
        "and\n"
        "                     ThreadSanitizer\n"
        "  --config SNIPPET   httpd.conf lines mapping the module (default:\n"
        "                     its handler at /)\n"
        "  --scenario FILE    requests and response checks (default GET /)\n"
        "  --policy FILE      lenses, profiles, detector, bounds, what fails\n"
        "  --baseline FILE    accepted findings, each with a reason\n"
        "  --sign KEY         sign into DIR/certificate.json (modcert keygen)\n"
        "  --name NAME        the module's name in the report\n"
        "  --requests N       requests per stress run (policy default 2000)\n"
        "  --seconds S        seconds per stress run (policy default 20)\n"
        "  --seed N           schedule seed (default: fresh, recorded)\n"
        "  --threads N        worker threads per process (default 8)\n"
        "  --jobs N           parse sources in N threads\n"
        "  --timeout S        hard limit per lens subprocess\n"
        "  -q, --quiet        no progress lines on stderr\n"
        "\n"
        "exit status: 0 certified, 1 not certified, 2 could not complete.\n"
        "See docs/certify.md.\n",
        out);
}

/* ---- options -------------------------------------------------------------
 */

static int ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && !strcmp(s + a - b, suffix);
}

static void add_source(struct certify *c, const char *abs)
{
    for (size_t i = 0; i < c->nsources; i++)
        if (!strcmp(c->sources[i], abs))
            return;
    c->sources = mc_xrealloc(c->sources, sizeof(char *) * (c->nsources + 1));
    c->sources[c->nsources++] = mc_xstrdup(abs);
}

static int is_c_file(const struct dirent *e)
{
    return ends_with(e->d_name, ".c");
}

/* A .c file, or every .c file of a directory; sets the source root. */
static int add_sources_from(struct certify *c, const char *path)
{
    char abs[PATH_MAX];
    struct stat st;
    if (!realpath(path, abs) || stat(abs, &st) != 0) {
        mc_error(PROG, "%s: no such source file or directory", path);
        return -1;
    }
    if (!S_ISDIR(st.st_mode)) {
        add_source(c, abs);
        return 0;
    }
    struct dirent **list = NULL;
    int n = scandir(abs, &list, is_c_file, alphasort);
    for (int i = 0; i < n; i++) {
        char p[PATH_MAX + 256];
        snprintf(p, sizeof p, "%s/%s", abs, list[i]->d_name);
        add_source(c, p);
        free(list[i]);
    }
    free(list);
    if (n <= 0) {
        mc_error(PROG, "%s: directory holds no .c file", path);
        return -1;
    }
    if (!c->source_root)
        c->source_root = mc_xstrdup(abs);
    return 0;
}

static int num_opt(const char *a, const char *v, long long *out)
{
    char *end;
    long long x = strtoll(v, &end, 10);
    if (!*v || *end || x < 0) {
        mc_error(PROG, "bad value for '%s': '%s' (a number >= 0)", a, v);
        return -1;
    }
    *out = x;
    return 0;
}

static int real_opt(const char *a, const char *v, double *out)
{
    char *end;
    double x = strtod(v, &end);
    if (!*v || *end || x < 0) {
        mc_error(PROG, "bad value for '%s': '%s' (seconds >= 0)", a, v);
        return -1;
    }
    *out = x;
    return 0;
}

/* One option with a value: 0 ok, -1 bad value, 1 unknown option. */
static int value_opt(struct certify *c, const char *a, const char *v)
{
    static const struct {
        const char *name;
        size_t off;
    } strs[] = {
        {"--module", offsetof(struct certify, module)},
        {"--config", offsetof(struct certify, config)},
        {"--scenario", offsetof(struct certify, scenario)},
        {"--policy", offsetof(struct certify, policy_path)},
        {"--baseline", offsetof(struct certify, baseline)},
        {"--sign", offsetof(struct certify, sign)},
        {"--out", offsetof(struct certify, out)},
        {"--name", offsetof(struct certify, name)},
    };
    for (size_t i = 0; i < MC_ARRAY_LEN(strs); i++)
        if (!strcmp(a, strs[i].name)) {
            memcpy((char *)c + strs[i].off, &v, sizeof v);
            return 0;
        }
    if (!strcmp(a, "--requests"))
        return num_opt(a, v, &c->requests);
    if (!strcmp(a, "--seed"))
        return num_opt(a, v, &c->seed);
    if (!strcmp(a, "--threads"))
        return num_opt(a, v, &c->threads);
    if (!strcmp(a, "--jobs") || !strcmp(a, "-j"))
        return num_opt(a, v, &c->jobs);
    if (!strcmp(a, "--seconds"))
        return real_opt(a, v, &c->seconds);
    if (!strcmp(a, "--timeout"))
        return real_opt(a, v, &c->timeout);
    return 1;
}

/* --source takes one or more following words that are not options. */
static int source_opt(struct certify *c, int argc, char **argv, int *i)
{
    int n = 0;
    while (*i + 1 < argc && argv[*i + 1][0] != '-') {
        if (add_sources_from(c, argv[++*i]) != 0)
            return -1;
        n++;
    }
    if (!n) {
        mc_error(PROG, "--source needs a directory or files");
        return -1;
    }
    return 0;
}

/* 0 ok, 1 help printed, -1 bad arguments. */
static int parse_args(struct certify *c, int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int rc;
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            usage(stdout);
            return 1;
        }
        if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
            c->quiet = 1;
            continue;
        }
        if (!strcmp(a, "--source")) {
            if (source_opt(c, argc, argv, &i) != 0)
                return -1;
            continue;
        }
        if (i + 1 >= argc) {
            mc_error(PROG, "option '%s' needs a value (see --help)", a);
            return -1;
        }
        rc = value_opt(c, a, argv[++i]);
        if (rc > 0)
            mc_error(PROG, "unknown option '%s' (see --help)", a);
        if (rc)
            return -1;
    }
    if (!c->module || !c->out) {
        mc_error(PROG, "--module PATH and --out DIR are required");
        return -1;
    }
    return 0;
}

/* ---- the plan ------------------------------------------------------------
 */

static void progress(const struct certify *c, const char *fmt, ...)
    MC_PRINTF(2, 3);
static void progress(const struct certify *c, const char *fmt, ...)
{
    va_list ap;
    if (c->quiet)
        return;
    va_start(ap, fmt);
    fputs(PROG ": ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

static void out_path(const struct certify *c, const char *rel, char *buf,
                     size_t len)
{
    snprintf(buf, len, "%s/%s", c->out, rel);
}

static int has_lens(const json_t *doc, const char *lens)
{
    size_t i;
    json_t *v;
    json_t *lenses = json_object_get(doc, "lenses");
    if (!json_is_array(lenses))
        return 1;
    json_array_foreach(lenses, i, v)
    {
        if (json_is_string(v) && !strcmp(json_string_value(v), lens))
            return 1;
    }
    return 0;
}

/* The policy's profiles: the first threaded one is the main run; prefork
 * listed too (or "differential") adds the prefork twin. */
static void plan_profiles(struct certify *c, const json_t *doc)
{
    size_t i;
    json_t *v;
    int prefork = 0;
    c->profile = NULL;
    json_array_foreach(json_object_get(doc, "profiles"), i, v)
    {
        const char *p = json_string_value(v);
        if (p && !strcmp(p, "prefork"))
            prefork = 1;
        else if (p && !c->profile)
            c->profile = p;
    }
    c->differential = mc__bool(doc, "differential", 0) || prefork;
    if (!c->profile) {
        c->profile = prefork ? "prefork" : "winnt";
        if (prefork)
            c->differential = 0;
    }
}

static void plan_numbers(struct certify *c, const json_t *doc)
{
    if (!c->requests)
        c->requests = mc__int(doc, "requests", 2000);
    if (c->seconds <= 0)
        c->seconds = (double)mc__int(doc, "seconds", 20);
    if (!c->threads)
        c->threads = mc__int(doc, "threads", 8);
    if (!c->seed)
        c->seed = mc__int(doc, "seed", 0);
}

static void plan(struct certify *c)
{
    const json_t *doc = c->policy.doc;
    const char *det = mc__str(doc, "detector", "auto");
    c->want_static = has_lens(doc, "static") && c->nsources > 0;
    c->want_binary = has_lens(doc, "binary");
    c->want_dynamic = has_lens(doc, "dynamic");
    plan_profiles(c, doc);
    plan_numbers(c, doc);
    if (!strcmp(det, "auto"))
        det = c->nsources ? "tsan" : "helgrind";
    c->detector = det;
}

static mc_status load_policy(struct certify *c, struct mc_buf *err)
{
    time_t now = time(NULL);
    if (c->policy_path) {
        if (mc_policy_load(c->policy_path, now, &c->policy, err) != MC_OK)
            return MC_ERR_PARSE;
    } else {
        mc_policy_default(&c->policy, now);
    }
    if (c->baseline &&
        mc_policy_add_baseline(&c->policy, c->baseline, err) != MC_OK)
        return MC_ERR_PARSE;
    return MC_OK;
}

static int file_readable(const char *opt, const char *path)
{
    if (path && access(path, R_OK) != 0) {
        mc_error(PROG, "%s %s: no such file (or not readable)", opt, path);
        return 0;
    }
    return 1;
}

/* Several sources outside one directory: stress needs a directory. */
static void link_sources(struct certify *c)
{
    char dir[PATH_MAX + 32];
    out_path(c, "lenses/sources", dir, sizeof dir);
    if (mc_mkdirs(dir) != MC_OK)
        return;
    for (size_t i = 0; i < c->nsources; i++) {
        char l[PATH_MAX * 2];
        snprintf(l, sizeof l, "%s/%s", dir, mc__basename(c->sources[i]));
        unlink(l);
        if (symlink(c->sources[i], l) != 0)
            mc_warn(PROG, "%s: cannot link %s", l, c->sources[i]);
    }
    c->stress_module = mc_xstrdup(dir);
}

/* The dynamic lens loads, in this order of preference: the .so's TSan twin
 * (for tsan), the sources (stress compiles them, instrumented for tsan,
 * with DWARF 4 for valgrind, so races have source lines), the .so. */
static void stress_target(struct certify *c)
{
    char twin[PATH_MAX];
    int tsan = !strcmp(c->detector, "tsan");
    if (tsan && c->so && ends_with(c->so, ".so")) {
        snprintf(twin, sizeof twin, "%.*s.tsan.so", (int)(strlen(c->so) - 3),
                 c->so);
        if (access(twin, R_OK) == 0 || ends_with(c->so, ".tsan.so")) {
            c->stress_module = mc_xstrdup(c->so);
            return;
        }
    }
    if (c->nsources) { /* compiled by stress: -fsanitize / -gdwarf-4 */
        if (c->nsources == 1)
            c->stress_module = mc_xstrdup(c->sources[0]);
        else
            link_sources(c);
        return;
    }
    c->stress_module = c->so ? mc_xstrdup(c->so) : NULL;
}

/* The common directory of the sources (their source root). */
static void derive_source_root(struct certify *c)
{
    size_t len;
    if (c->source_root || !c->nsources)
        return;
    len = (size_t)(strrchr(c->sources[0], '/') - c->sources[0]);
    for (size_t i = 1; i < c->nsources; i++) {
        while (len > 0 && (strncmp(c->sources[i], c->sources[0], len) ||
                           c->sources[i][len] != '/')) {
            while (len > 0 && c->sources[0][--len] != '/')
                ;
        }
    }
    c->source_root = mc_xstrndup(c->sources[0], len ? len : 1);
}

/* ---- the module ----------------------------------------------------------
 */

/* "mod_x" from ".../mod_x.c" or ".../mod_x/". */
static char *stem_of(const char *path)
{
    char abs[PATH_MAX];
    const char *base, *dot;
    if (!realpath(path, abs))
        snprintf(abs, sizeof abs, "%s", path);
    base = mc__basename(abs);
    dot = strrchr(base, '.');
    return dot && dot != base ? mc_xstrndup(base, (size_t)(dot - base))
                              : mc_xstrdup(base);
}

static void build_from_sources(struct certify *c)
{
    struct mc_buf err = MC_BUF_INIT;
    char dir[PATH_MAX], so[PATH_MAX + 300], log[PATH_MAX + 300];
    char *stem = stem_of(c->module);
    out_path(c, "module", dir, sizeof dir);
    snprintf(so, sizeof so, "%s/%s.so", dir, stem);
    snprintf(log, sizeof log, "%s/build.log", dir);
    free(stem);
    unlink(log);
    progress(c, "building %s from %zu source file(s)", so, c->nsources);
    if (mc_mkdirs(dir) != MC_OK) {
        snprintf(c->notes[1], sizeof c->notes[1], "%.400s: cannot create", dir);
    } else if (mc__build_module((const char *const *)c->sources, c->nsources,
                                so, log, &mc__certify_stop, &err) != MC_OK) {
        snprintf(c->notes[1], sizeof c->notes[1], "%s", err.data);
        mc_error(PROG, "%s", err.data);
    } else {
        char abs[PATH_MAX];
        c->so = mc_xstrdup(realpath(so, abs) ? abs : so);
    }
    mc_buf_free(&err);
}

/* 0 ok; -1 the module or an input file does not exist (exit 2). */
static int resolve_module(struct certify *c)
{
    char abs[PATH_MAX];
    if (!file_readable("--config", c->config) ||
        !file_readable("--scenario", c->scenario) ||
        !file_readable("--sign", c->sign))
        return -1;
    if (ends_with(c->module, ".so")) {
        if (!realpath(c->module, abs) || access(abs, R_OK) != 0) {
            mc_error(PROG, "--module %s: no such module file", c->module);
            return -1;
        }
        c->so = mc_xstrdup(abs);
        derive_source_root(c);
        return 0;
    }
    if (add_sources_from(c, c->module) != 0)
        return -1;
    derive_source_root(c);
    build_from_sources(c);
    return 0;
}

/* ---- lenses --------------------------------------------------------------
 */

struct lens_argv {
    char **v;
    size_t n;
};

static void arg(struct lens_argv *a, const char *s)
{
    a->v = mc_xrealloc(a->v, sizeof(char *) * (a->n + 2));
    a->v[a->n++] = mc_xstrdup(s);
    a->v[a->n] = NULL;
}

static void arg_num(struct lens_argv *a, const char *opt, double v)
{
    char buf[64];
    snprintf(buf, sizeof buf, "%.15g", v);
    arg(a, opt);
    arg(a, buf);
}

static void arg_free(struct lens_argv *a)
{
    for (size_t i = 0; i < a->n; i++)
        free(a->v[i]);
    free(a->v);
}

/* Why a lens left no usable result, for its note; "" when it ended well. */
static void describe_end(const struct mc__proc_result *r, double limit,
                         char *note, size_t len)
{
    if (r->stopped)
        snprintf(note, len, "interrupted by a signal after %.1f s", r->seconds);
    else if (r->timed_out)
        snprintf(note, len, "killed after its time limit of %.0f s", limit);
    else if (r->signal)
        snprintf(note, len, "crashed (signal %d) after %.1f s", r->signal,
                 r->seconds);
    else if (r->exit_status > 2)
        snprintf(note, len, "failed to run (exit status %d)", r->exit_status);
    else
        note[0] = 0;
}

/* Runs `modcert <lens> ...` and loads the JSON document it wrote. */
static json_t *run_lens(struct certify *c, const char *name, int idx,
                        struct lens_argv *a, const char *json_path,
                        double limit, int soft_sig, struct mc_lens_run *run)
{
    struct mc_buf err = MC_BUF_INIT;
    struct mc__proc_result r;
    char log[PATH_MAX + 64];
    json_t *doc = NULL;
    snprintf(log, sizeof log, "%s/lenses/%s.log", c->out, name);
    unlink(log);
    unlink(json_path);
    progress(c, "%s lens: modcert %s started (time limit %.0f s)", name,
             a->v[1], limit);
    if (mc__proc_run(a->v, log, limit, soft_sig == SIGINT ? 30 : 3, soft_sig,
                     &mc__certify_stop, &r, &err) != MC_OK) {
        snprintf(c->notes[idx], sizeof c->notes[idx], "%s", err.data);
        run->exit_status = MC_EXIT_INCOMPLETE;
        mc_buf_free(&err);
        return NULL;
    }
    mc_buf_free(&err);
    describe_end(&r, limit, c->notes[idx], sizeof c->notes[idx]);
    if (access(json_path, R_OK) == 0)
        doc = json_load_file(json_path, 0, NULL);
    if (!doc && !c->notes[idx][0])
        snprintf(c->notes[idx], sizeof c->notes[idx],
                 "exit status %d and no report (see %.400s)", r.exit_status,
                 log);
    run->exit_status =
        doc && !c->notes[idx][0] ? r.exit_status : MC_EXIT_INCOMPLETE;
    run->seconds = r.seconds;
    progress(c, "%s lens finished in %.1f s: exit %d%s%s", name, r.seconds,
             r.exit_status, c->notes[idx][0] ? ", " : "", c->notes[idx]);
    return doc;
}

static void run_static(struct certify *c)
{
    struct lens_argv a = {NULL, 0};
    char json[PATH_MAX + 64];
    double limit = c->timeout > 0 ? c->timeout : 120 + 10.0 * c->nsources;
    snprintf(json, sizeof json, "%s/lenses/scan.json", c->out);
    arg(&a, c->self);
    arg(&a, "scan");
    arg(&a, "--format");
    arg(&a, "json");
    arg(&a, "-o");
    arg(&a, json);
    if (c->jobs > 1)
        arg_num(&a, "-j", (double)c->jobs);
    for (size_t i = 0; i < c->nsources; i++)
        arg(&a, c->sources[i]);
    c->scan_doc =
        run_lens(c, "static", 0, &a, json, limit, SIGTERM, &c->in.scan);
    arg_free(&a);
}

/* Time limit of the stress lens, a last resort above its own bounds
 * (docs/stress.md: per run, readiness 30 s (valgrind 120 s), the load's
 * seconds + 30 s (valgrind + 120 s), the stop's grace 10 s (30 s)), with
 * room for compiling the module and capturing stacks. */
static double stress_limit(const struct certify *c)
{
    int valgrind = strcmp(c->detector, "tsan") && strcmp(c->detector, "none");
    int runs = c->differential ? 2 : 1;
    if (c->timeout > 0)
        return c->timeout;
    return 120 + runs * (c->seconds + (valgrind ? 300 : 90));
}

static void run_dynamic(struct certify *c)
{
    struct lens_argv a = {NULL, 0};
    char json[PATH_MAX + 64];
    snprintf(json, sizeof json, "%s/lenses/stress.json", c->out);
    arg(&a, c->self);
    arg(&a, "stress");
    arg(&a, "--module");
    arg(&a, c->stress_module);
    arg(&a, "--profile");
    arg(&a, c->profile);
    arg(&a, "--detector");
    arg(&a, c->detector);
    if (c->differential)
        arg(&a, "--differential");
    arg_num(&a, "--requests", (double)c->requests);
    arg_num(&a, "--seconds", c->seconds);
    arg_num(&a, "--threads", (double)c->threads);
    if (c->seed)
        arg_num(&a, "--seed", (double)c->seed);
    if (c->config) {
        arg(&a, "--config");
        arg(&a, c->config);
    }
    if (c->scenario) {
        arg(&a, "--scenario");
        arg(&a, c->scenario);
    }
    arg(&a, "--json");
    arg(&a, json);
    c->stress_doc = run_lens(c, "dynamic", 2, &a, json, stress_limit(c), SIGINT,
                             &c->in.stress);
    arg_free(&a);
}

static int audit_status(const json_t *doc)
{
    size_t i;
    json_t *f;
    json_array_foreach(json_object_get(doc, "findings"), i, f)
    {
        if (mc__severity_rank(mc__str(f, "severity", "")) > 0)
            return MC_EXIT_FINDINGS;
    }
    return MC_EXIT_OK;
}

static void run_binary(struct certify *c)
{
    struct mc_buf err = MC_BUF_INIT;
    struct timespec t0, t1;
    char path[PATH_MAX + 64];
    progress(c, "binary lens: audit of %s started", c->so);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    if (mc_audit_module(c->so, NULL, &c->audit_doc, &err) != MC_OK) {
        snprintf(c->notes[1], sizeof c->notes[1], "%s", err.data);
        c->audit_doc = NULL;
        c->in.audit.exit_status = MC_EXIT_INCOMPLETE;
    } else {
        char *text = json_dumps(c->audit_doc, JSON_INDENT(2));
        snprintf(path, sizeof path, "%s/lenses/audit.json", c->out);
        if (text && mc_file_write_atomic(path, text, strlen(text)) != MC_OK)
            mc_warn(PROG, "%s: cannot write", path);
        free(text);
        c->in.audit.exit_status = audit_status(c->audit_doc);
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    c->in.audit.seconds = (double)(t1.tv_sec - t0.tv_sec) +
                          (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    progress(c, "binary lens finished in %.1f s: exit %d%s%s",
             c->in.audit.seconds, c->in.audit.exit_status,
             c->notes[1][0] ? ", " : "", c->notes[1]);
    mc_buf_free(&err);
}

static void skip_note(struct certify *c, int idx, const char *why)
{
    if (!c->notes[idx][0])
        snprintf(c->notes[idx], sizeof c->notes[idx], "%s", why);
}

/* Runs the planned lenses; a signal skips the ones not started yet. */
static void run_lenses(struct certify *c)
{
    char dir[PATH_MAX + 16];
    out_path(c, "lenses", dir, sizeof dir);
    if (mc_mkdirs(dir) != MC_OK)
        mc_warn(PROG, "%.400s: cannot create", dir);
    if (!c->want_static)
        skip_note(c, 0,
                  c->nsources ? "not in the policy's lenses"
                              : "no sources given: the static lens needs them");
    else if (mc__certify_stop)
        skip_note(c, 0, "not started: interrupted");
    else
        run_static(c);
    if (!c->want_binary)
        skip_note(c, 1, "not in the policy's lenses");
    else if (!c->so)
        skip_note(c, 1, "no module .so to audit");
    else if (mc__certify_stop)
        skip_note(c, 1, "not started: interrupted");
    else
        run_binary(c);
    if (!c->want_dynamic)
        skip_note(c, 2, "not in the policy's lenses");
    else if (!c->stress_module)
        skip_note(c, 2, "no module to load");
    else if (mc__certify_stop)
        skip_note(c, 2, "not started: interrupted");
    else
        run_dynamic(c);
}

/* ---- report --------------------------------------------------------------
 */

static void fill_inputs(struct certify *c)
{
    struct mc_report_inputs *in = &c->in;
    in->module_name = c->name;
    in->so_path = c->so;
    in->sources = (const char *const *)c->sources;
    in->nsources = c->nsources;
    in->source_root = c->source_root;
    in->scan.doc = c->scan_doc;
    in->audit.doc = c->audit_doc;
    in->stress.doc = c->stress_doc;
    in->scan.note = c->notes[0][0] ? c->notes[0] : NULL;
    in->audit.note = c->notes[1][0] ? c->notes[1] : NULL;
    in->stress.note = c->notes[2][0] ? c->notes[2] : NULL;
    in->interrupted = mc__certify_stop != 0;
}

static void init_inputs(struct mc_report_inputs *in)
{
    memset(in, 0, sizeof *in);
    in->scan.exit_status = in->audit.exit_status = in->stress.exit_status = -1;
    in->scan.seconds = in->audit.seconds = in->stress.seconds = -1;
}

static int sign_report(struct certify *c, const json_t *report)
{
    struct mc_buf err = MC_BUF_INIT;
    char path[PATH_MAX + 32];
    int rc = 0;
    out_path(c, "certificate.json", path, sizeof path);
    if (mc_cert_write(report, c->sign, path, &err) != MC_OK) {
        mc_error(PROG, "cannot sign the report: %s", err.data);
        rc = -1;
    } else {
        progress(c, "signed: %s", path);
    }
    mc_buf_free(&err);
    return rc;
}

/* The text rendering, cut to one screen: the rest is in report.md. */
static void print_summary(const struct certify *c, const json_t *report)
{
    enum { SCREEN = 40 };
    struct mc_buf b = MC_BUF_INIT;
    const char *p;
    int lines = 0;
    mc_render_text(report, &b);
    for (p = b.data ? b.data : ""; *p && lines < SCREEN; p++)
        lines += *p == '\n';
    fwrite(b.data ? b.data : "", 1, b.data ? (size_t)(p - b.data) : 0, stdout);
    if (*p) {
        int more = 0;
        for (; *p; p++)
            more += *p == '\n';
        printf("... %d more line(s): see %s/report.md\n", more, c->out);
    }
    printf("reports: %s/report.{json,sarif,md,html}%s\n", c->out,
           c->sign ? " and certificate.json" : "");
    fflush(stdout);
    mc_buf_free(&b);
}

/* Merges, writes every rendering, signs; returns the exit status. */
static int finish(struct certify *c)
{
    struct mc_buf err = MC_BUF_INIT;
    json_t *report = NULL;
    int status;
    char cert[PATH_MAX + 32];
    fill_inputs(c);
    out_path(c, "certificate.json", cert, sizeof cert);
    unlink(cert); /* a stale certificate must not outlive its report */
    if (mc_report_merge(&c->in, &c->policy, &report, &err) != MC_OK ||
        mc_report_write_all(report, c->out, &err) != MC_OK) {
        mc_error(PROG, "%s", err.data);
        mc_buf_free(&err);
        json_decref(report);
        return MC_EXIT_INCOMPLETE;
    }
    mc_buf_free(&err);
    status = mc_report_exit_status(report);
    if (c->sign && sign_report(c, report) != 0)
        status = MC_EXIT_INCOMPLETE;
    print_summary(c, report);
    json_decref(report);
    return mc__certify_stop ? MC_EXIT_INCOMPLETE : status;
}

static void certify_free(struct certify *c)
{
    for (size_t i = 0; i < c->nsources; i++)
        free(c->sources[i]);
    free(c->sources);
    free(c->source_root);
    free(c->self);
    free(c->so);
    free(c->stress_module);
    json_decref(c->scan_doc);
    json_decref(c->audit_doc);
    json_decref(c->stress_doc);
    mc_policy_free(&c->policy);
}

static int prepare(struct certify *c)
{
    struct mc_buf err = MC_BUF_INIT;
    c->self = mc__self_exe();
    if (!c->self) {
        mc_error(PROG, "cannot find the modcert executable (/proc/self/exe)");
        return -1;
    }
    if (load_policy(c, &err) != MC_OK) {
        mc_error(PROG, "%s", err.data);
        mc_buf_free(&err);
        return -1;
    }
    mc_buf_free(&err);
    if (mc_mkdirs(c->out) != MC_OK) {
        mc_error(PROG, "--out %s: cannot create the directory", c->out);
        return -1;
    }
    if (resolve_module(c) != 0)
        return -1;
    plan(c);
    stress_target(c);
    return 0;
}

int mc_cmd_certify(int argc, char **argv)
{
    struct certify c;
    int rc;
    memset(&c, 0, sizeof c);
    init_inputs(&c.in);
    rc = parse_args(&c, argc, argv);
    if (rc) {
        certify_free(&c);
        return rc > 0 ? MC_EXIT_OK : MC_EXIT_INCOMPLETE;
    }
    mc__certify_stop = 0;
    catch_signals();
    if (prepare(&c) != 0) {
        certify_free(&c);
        return MC_EXIT_INCOMPLETE;
    }
    progress(&c,
             "%s: lenses %s%s%s; stress %s%s under %s, %lld requests / "
             "%.0f s per run",
             c.so ? c.so : c.module, c.want_static ? "static " : "",
             c.want_binary && c.so ? "binary " : "",
             c.want_dynamic ? "dynamic" : "", c.profile,
             c.differential ? " + prefork" : "", c.detector, c.requests,
             c.seconds);
    run_lenses(&c);
    rc = finish(&c);
    certify_free(&c);
    return rc;
}
