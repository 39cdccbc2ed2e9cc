/*
 * driver.c — the scan pipeline: inputs (files with default httpd/APR flags,
 * or a compilation database) → parse in N threads (one CXIndex each) →
 * link into one module model → checks → suppressions → report.
 */
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "checks/checks.h"
#include "frontend/frontend.h"
#include "mc_buf.h"
#include "mc_file.h"
#include "output.h"
#include "scan.h"
#include "scan_defaults.h"
#include "suppress.h"

struct job {
    struct mc_fe_input in;
    const char **argv_owned; /* freed after the scan */
};

struct pool_state {
    struct job *jobs;
    struct mc_tu *tus;
    size_t njobs;
    size_t next;          /* guarded by lock */
    pthread_mutex_t lock; /* guards next */
};

static void *worker(void *arg)
{
    struct pool_state *ps = arg;
    struct mc_fe_worker *w = mc_fe_worker_new();
    for (;;) {
        pthread_mutex_lock(&ps->lock);
        size_t i = ps->next++;
        pthread_mutex_unlock(&ps->lock);
        if (i >= ps->njobs)
            break;
        mc_fe_parse(w, &ps->jobs[i].in, &ps->tus[i]);
    }
    mc_fe_worker_free(w);
    return NULL;
}

static void parse_all(struct job *jobs, struct mc_tu *tus, size_t n,
                      int nthreads)
{
    struct pool_state ps = {jobs, tus, n, 0, PTHREAD_MUTEX_INITIALIZER};
    if (nthreads < 1)
        nthreads = 1;
    if ((size_t)nthreads > n)
        nthreads = n ? (int)n : 1;
    if (nthreads == 1) {
        worker(&ps);
        return;
    }
    pthread_t *t = mc_xcalloc((size_t)nthreads, sizeof(*t));
    int started = 0;
    for (int i = 0; i < nthreads; i++) {
        if (pthread_create(&t[i], NULL, worker, &ps) == 0)
            started++;
        else
            break;
    }
    if (started == 0)
        worker(&ps);
    for (int i = 0; i < started; i++)
        pthread_join(t[i], NULL);
    free(t);
    pthread_mutex_destroy(&ps.lock);
}

/* argv for a file given on the command line: defaults + `--` flags. */
static const char **default_argv(const struct mc_scan_options *o, int *argc)
{
    size_t nd = MC_ARRAY_LEN(mc_default_flags);
    const char **v = mc_xcalloc(nd + (size_t)o->nextra + 1, sizeof(*v));
    size_t n = 0;
    for (size_t i = 0; i < nd; i++)
        v[n++] = mc_default_flags[i];
    for (int i = 0; i < o->nextra; i++)
        v[n++] = o->extra[i];
    *argc = (int)n;
    return v;
}

/* argv for a compile-database command: its own argv + `--` flags. */
static const char **db_argv(const struct mc_scan_options *o,
                            const struct mc_fe_command *c, int *argc)
{
    const char **v =
        mc_xcalloc((size_t)c->argc + (size_t)o->nextra + 1, sizeof(*v));
    int n = 0;
    for (int i = 0; i < c->argc; i++)
        v[n++] = c->argv[i];
    for (int i = 0; i < o->nextra; i++)
        v[n++] = o->extra[i];
    *argc = n;
    return v;
}

static int same_file(const char *a, const char *dir_a, const char *b)
{
    char pa[PATH_MAX], pb[PATH_MAX], joined[PATH_MAX];
    if (a[0] != '/' && dir_a) {
        snprintf(joined, sizeof joined, "%s/%s", dir_a, a);
        a = joined;
    }
    if (!realpath(a, pa) || !realpath(b, pb))
        return 0;
    return strcmp(pa, pb) == 0;
}

struct inputs {
    MC_VEC(struct job) jobs;
    struct mc_fe_command *cmds;
    size_t ncmds;
    struct mc_buf errors; /* input errors, one per line */
};

/* The directory libclang should read. A database named otherwise is
 * linked as compile_commands.json from a private directory (*tmp). */
static const char *db_dir(const struct mc_scan_options *o, char *buf,
                          size_t size, char **tmp, struct mc_buf *errors)
{
    *tmp = NULL;
    if (o->build_dir)
        return o->build_dir;
    snprintf(buf, size, "%s", o->compile_commands);
    const char *base = strrchr(o->compile_commands, '/');
    base = base ? base + 1 : o->compile_commands;
    if (!strcmp(base, "compile_commands.json"))
        return dirname(buf);
    char abs[PATH_MAX], link[PATH_MAX + 32];
    char templ[] = "/tmp/modcert-db-XXXXXX";
    if (!realpath(o->compile_commands, abs)) {
        mc_buf_printf(errors, "%s: %s\n", o->compile_commands,
                      "cannot open it");
        return NULL;
    }
    if (!mkdtemp(templ)) {
        mc_buf_printf(errors, "%s: cannot create a temporary directory\n",
                      o->compile_commands);
        return NULL;
    }
    snprintf(link, sizeof link, "%s/compile_commands.json", templ);
    if (symlink(abs, link) != 0) {
        rmdir(templ);
        mc_buf_printf(errors, "%s: cannot link it\n", o->compile_commands);
        return NULL;
    }
    *tmp = mc_xstrdup(templ);
    snprintf(buf, size, "%s", templ);
    return buf;
}

static void db_dir_cleanup(char *tmp)
{
    if (!tmp)
        return;
    char link[PATH_MAX + 32];
    snprintf(link, sizeof link, "%s/compile_commands.json", tmp);
    unlink(link);
    rmdir(tmp);
    free(tmp);
}

static void add_db_jobs(const struct mc_scan_options *o, struct inputs *in)
{
    char buf[PATH_MAX], *tmp = NULL;
    const char *dir = db_dir(o, buf, sizeof buf, &tmp, &in->errors);
    char *err = NULL;
    if (!dir)
        return;
    mc_status st = mc_fe_compdb_load(dir, &in->cmds, &in->ncmds, &err);
    db_dir_cleanup(tmp);
    if (st != MC_OK) {
        if (o->compile_commands && st == MC_ERR_PARSE)
            mc_buf_printf(&in->errors, "%s: not a valid compilation database\n",
                          o->compile_commands);
        else
            mc_buf_printf(&in->errors, "%s\n", err);
        free(err);
        return;
    }
    for (size_t i = 0; i < in->ncmds; i++) {
        struct mc_fe_command *c = &in->cmds[i];
        int wanted = o->nfiles == 0;
        for (int f = 0; f < o->nfiles && !wanted; f++)
            wanted = same_file(c->file, c->dir, o->files[f]);
        if (!wanted)
            continue;
        if (c->file[0] != '/') {
            char *abs = mc_xmalloc(strlen(c->dir) + strlen(c->file) + 2);
            sprintf(abs, "%s/%s", c->dir, c->file);
            free(c->file);
            c->file = abs;
        }
        int dup = 0; /* a file built by several targets: analyse it once */
        for (size_t k = 0; k < in->jobs.n && !dup; k++)
            dup = !strcmp(in->jobs.v[k].in.file, c->file);
        if (dup)
            continue;
        struct job *j = MC_VEC_PUSH(in->jobs);
        j->in.file = c->file;
        j->in.workdir = c->dir;
        j->argv_owned = db_argv(o, c, &j->in.argc);
        j->in.argv = j->argv_owned;
        j->in.argv_has_compiler = 1;
    }
}

static int has_job(const struct inputs *in, const char *file)
{
    for (size_t i = 0; i < in->jobs.n; i++) {
        const struct job *j = &in->jobs.v[i];
        if (!strcmp(j->in.file, file) ||
            same_file(j->in.file, j->in.workdir, file))
            return 1;
    }
    return 0;
}

static void collect_inputs(const struct mc_scan_options *o, struct inputs *in)
{
    if (o->build_dir || o->compile_commands)
        add_db_jobs(o, in);
    for (int f = 0; f < o->nfiles; f++) {
        if (has_job(in, o->files[f]))
            continue; /* from the database, or given twice */
        struct job *j = MC_VEC_PUSH(in->jobs);
        j->in.file = o->files[f];
        j->argv_owned = default_argv(o, &j->in.argc);
        j->in.argv = j->argv_owned;
    }
}

static void free_inputs(struct inputs *in)
{
    for (size_t i = 0; i < in->jobs.n; i++)
        free(in->jobs.v[i].argv_owned);
    MC_VEC_FREE(in->jobs);
    mc_fe_compdb_free(in->cmds, in->ncmds);
    mc_buf_free(&in->errors);
}

static int load_suppressions(struct mc_suppressions *sup, struct mc_arena *a,
                             struct mc_tu *tus, size_t n, struct mc_buf *errors)
{
    int bad = 0;
    for (size_t i = 0; i < n; i++) {
        char *text = NULL;
        size_t len;
        if (!tus[i].ok)
            continue;
        if (mc_file_read(tus[i].file, &text, &len) != MC_OK)
            continue; /* parsed from a database with another cwd */
        bad += mc_suppress_scan(sup, a, tus[i].file, text, errors);
        free(text);
    }
    return bad;
}

static void analyse(const struct mc_scan_options *o, const struct mc_kb *kb,
                    struct mc_tu *tus, size_t n, struct mc_findings *out,
                    struct mc_buf *errors)
{
    struct mc_model m;
    mc_model_build(&m, kb, tus, n);
    struct mc_check_ctx cx = {&m, out, o->stack_limit};
    mc_run_checks(&cx);
    struct mc_suppressions sup = {{NULL, 0, 0}};
    load_suppressions(&sup, &out->arena, tus, n, errors);
    mc_suppress_apply(&sup, &cx);
    mc_suppress_free(&sup);
    mc_findings_sort(out);
    mc_model_free(&m);
}

int mc_scan(const struct mc_scan_options *o)
{
    struct mc_kb kb;
    char *err = NULL;
    if (mc_kb_load_builtin(&kb, &err) != MC_OK) {
        mc_error("modcert scan", "%s", err);
        free(err);
        mc_kb_free(&kb);
        return MC_EXIT_INCOMPLETE;
    }
    struct inputs in = {{NULL, 0, 0}, NULL, 0, MC_BUF_INIT};
    collect_inputs(o, &in);
    double t0 = mc_fe_now();
    struct mc_tu *tus = mc_xcalloc(in.jobs.n + 1, sizeof(*tus));
    parse_all(in.jobs.v, tus, in.jobs.n, o->jobs);
    double t1 = mc_fe_now();
    struct mc_findings findings;
    mc_findings_init(&findings);
    analyse(o, &kb, tus, in.jobs.n, &findings, &in.errors);
    double t2 = mc_fe_now();
    struct mc_scan_result r = {o,
                               tus,
                               in.jobs.n,
                               &findings,
                               in.errors.data ? in.errors.data : "",
                               t1 - t0,
                               t2 - t1};
    int status = mc_output_write(&r);
    for (size_t i = 0; i < in.jobs.n; i++)
        mc_tu_free(&tus[i]);
    free(tus);
    mc_findings_free(&findings);
    free_inputs(&in);
    mc_kb_free(&kb);
    return status;
}
