/*
 * run.c — one stress run (run.h): config, stub, load, watchdog, collect.
 */
#include "run.h"

#include "load.h"
#include "mc_buf.h"
#include "mc_file.h"
#include "proc.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

static int is_valgrind(const char *det)
{
    return !strcmp(det, "helgrind") || !strcmp(det, "drd");
}

/* A loopback port nobody listens on right now (the stub may still lose a
 * race for it; the caller retries). */
static unsigned pick_port(void)
{
    struct sockaddr_in a;
    socklen_t len = sizeof a;
    unsigned port = 0;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd >= 0 && bind(fd, (struct sockaddr *)&a, sizeof a) == 0 &&
        getsockname(fd, (struct sockaddr *)&a, &len) == 0)
        port = ntohs(a.sin_port);
    if (fd >= 0)
        close(fd);
    return port;
}

static int port_open(unsigned port)
{
    struct sockaddr_in a;
    int fd = socket(AF_INET, SOCK_STREAM, 0), ok;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons((uint16_t)port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ok = fd >= 0 && connect(fd, (struct sockaddr *)&a, sizeof a) == 0;
    if (fd >= 0)
        close(fd);
    return ok;
}

static char *path_in(const char *dir, const char *name)
{
    struct mc_buf b = MC_BUF_INIT;
    mc_buf_printf(&b, "%s/%s", dir, name);
    return mc_buf_steal(&b);
}

static mc_status write_config(const struct mc_run_in *in, unsigned port,
                              char **conf)
{
    struct mc_buf b = MC_BUF_INIT;
    char *htdocs = path_in(in->rundir, "htdocs");
    mc_status st = mc_mkdirs(htdocs);
    mc_buf_printf(&b,
                  "# written by modcert stress\n"
                  "ServerRoot \"%s\"\n"
                  "Listen 127.0.0.1:%u\n"
                  "ServerName localhost\n"
                  "DocumentRoot \"%s\"\n"
                  "ErrorLog \"%s/error.log\"\n"
                  "LogLevel warn\n"
                  "Timeout 30\n"
                  "KeepAliveTimeout 1\n"
                  "MaxKeepAliveRequests 0\n"
                  "LoadModule %s \"%s\"\n",
                  in->rundir, port, htdocs, in->rundir, in->module->symbol,
                  in->module->so);
    if (in->o->stack)
        mc_buf_printf(&b, "ThreadStackSize %lu\n", in->o->stack);
    mc_buf_puts(&b, in->snippet);
    *conf = path_in(in->rundir, "httpd.conf");
    if (st == MC_OK)
        st = mc_file_write_atomic(*conf, b.data, b.len);
    mc_buf_free(&b);
    free(htdocs);
    return st;
}

struct argv_buf {
    char *v[48];
    int n;
};

static void av(struct argv_buf *a, const char *s)
{
    if (a->n < 47)
        a->v[a->n++] = mc_xstrdup(s);
    a->v[a->n] = NULL;
}

static void av_free(struct argv_buf *a)
{
    for (int i = 0; i < a->n; ++i)
        free(a->v[i]);
    a->n = 0;
}

static void valgrind_argv(const struct mc_run_in *in, struct argv_buf *a)
{
    struct mc_buf b = MC_BUF_INIT;
    av(a, "/usr/bin/valgrind");
    mc_buf_printf(&b, "--tool=%s", in->o->detector);
    av(a, b.data);
    av(a, "--xml=yes");
    mc_buf_reset(&b);
    mc_buf_printf(&b, "--xml-file=%s/vg.%%p.xml", in->rundir);
    av(a, b.data);
    mc_buf_reset(&b);
    mc_buf_printf(&b, "--log-file=%s/vg.%%p.log", in->rundir);
    av(a, b.data);
    av(a, "--fair-sched=yes");
    av(a, "--child-silent-after-fork=yes");
    av(a, "--num-callers=40");
    mc_buf_free(&b);
}

static void stub_argv(const struct mc_run_in *in, const char *conf,
                      unsigned threads, struct argv_buf *a)
{
    char num[64];
    if (is_valgrind(in->o->detector))
        valgrind_argv(in, a);
    av(a, in->stub);
    av(a, "-f");
    av(a, conf);
    av(a, "-p");
    av(a, in->profile);
    snprintf(num, sizeof num, "%u", threads);
    av(a, "--threads");
    av(a, num);
    if (in->o->processes) {
        snprintf(num, sizeof num, "%u", in->o->processes);
        av(a, "--processes");
        av(a, num);
    }
    if (in->o->perturb > 0) {
        snprintf(num, sizeof num, "%llu", (unsigned long long)in->o->seed);
        av(a, "--seed");
        av(a, num);
        snprintf(num, sizeof num, "%g", in->o->perturb);
        av(a, "--perturb");
        av(a, num);
    }
}

static unsigned run_threads(const struct mc_stress_opts *o)
{
    return o->threads ? o->threads : 16;
}

/* Workers that serve requests at once in this profile. */
static unsigned servers_of(const struct mc_run_in *in)
{
    unsigned procs = in->o->processes ? in->o->processes : 0;
    if (!strcmp(in->profile, "prefork"))
        return procs ? procs : 5;
    if (!strcmp(in->profile, "worker"))
        return (procs ? procs : 3) * run_threads(in->o);
    return run_threads(in->o);
}

/* ---- the stub ------------------------------------------------------------ */

struct stub {
    struct mc_proc proc;
    unsigned port;
    char *conf;
    char *out;
    char env[4][4200];
    const char *envp[5];
};

static void stub_env(const struct mc_run_in *in, struct stub *s)
{
    int n = 0;
    snprintf(s->env[n++], sizeof s->env[0],
             "TSAN_OPTIONS=halt_on_error=0 report_signal_unsafe=0 "
             "second_deadlock_stack=1 disable_coredump=0 log_path=%s/tsan",
             in->rundir);
    snprintf(s->env[n++], sizeof s->env[0], "MC_CRASHCAP_DIR=%s", in->rundir);
    if (in->crashcap)
        snprintf(s->env[n++], sizeof s->env[0], "LD_PRELOAD=%s", in->crashcap);
    for (int i = 0; i < n; ++i)
        s->envp[i] = s->env[i];
    s->envp[n] = NULL;
}

/* 0 ready, 1 the stub died, 2 not ready within the limit. */
static int wait_ready(struct stub *s, double limit)
{
    double end = mc_now() + limit;
    while (mc_now() < end) {
        if (!mc_proc_alive(&s->proc))
            return 1;
        if (port_open(s->port))
            return 0;
        usleep(50000);
    }
    return 2;
}

static int lost_port(const char *out)
{
    char *text = NULL;
    size_t len;
    int lost = 0;
    if (mc_file_read(out, &text, &len) == MC_OK)
        lost = strstr(text, "in use") || strstr(text, "could not bind");
    free(text);
    return lost;
}

static void tail_of(const char *path, char *note, size_t len, const char *what)
{
    char *text = NULL;
    size_t n;
    if (mc_file_read(path, &text, &n) != MC_OK) {
        snprintf(note, len, "%s", what);
        return;
    }
    snprintf(note, len, "%s; %s ends: %s", what, path,
             n > 300 ? text + n - 300 : text);
    free(text);
}

static int start_stub(const struct mc_run_in *in, struct stub *s,
                      struct mc_run_out *out)
{
    double ready = is_valgrind(in->o->detector) ? 120 : 30;
    char err[256];
    stub_env(in, s);
    s->out = path_in(in->rundir, "stub.out");
    for (int attempt = 0; attempt < 4; ++attempt) {
        struct argv_buf a = {{0}, 0};
        int rc;
        s->port = pick_port();
        free(s->conf);
        s->conf = NULL;
        if (!s->port || write_config(in, s->port, &s->conf) != MC_OK) {
            snprintf(out->note, sizeof out->note,
                     "%s: cannot write the stub config", in->rundir);
            return -1;
        }
        stub_argv(in, s->conf, run_threads(in->o), &a);
        if (mc_proc_start(&s->proc, a.v, in->rundir, s->out, s->envp,
                          !is_valgrind(in->o->detector), err,
                          sizeof err) != MC_OK) {
            av_free(&a);
            snprintf(out->note, sizeof out->note, "%s", err);
            return -1;
        }
        av_free(&a);
        rc = wait_ready(s, ready);
        if (rc == 0)
            return 0;
        mc_proc_stop(&s->proc, 2);
        if (rc == 1 && lost_port(s->out))
            continue;
        tail_of(s->out, out->note, sizeof out->note,
                rc == 1 ? "the stub exited during startup"
                        : "the stub did not accept connections in time");
        return -1;
    }
    snprintf(out->note, sizeof out->note, "no free loopback port");
    return -1;
}

/* ---- load and watchdog ------------------------------------------------- */

struct loader {
    struct mc_load_opts opts;
    struct mc_load_result res;
    atomic_int cancel;
    atomic_int done;
    mc_status st;
    char err[512];
};

static void *load_main(void *arg)
{
    struct loader *l = arg;
    l->st = mc_load_run(&l->opts, &l->res, l->err, sizeof l->err);
    atomic_store(&l->done, 1);
    return NULL;
}

struct watch {
    double started, deadline;
    double first_report; /* first detector report or capture file, or 0 */
    double mark_t;
    unsigned long long mark_cpu;
    int deadlock, timeout, died, cancelled;
    double died_at, deadlock_at;
};

static double watchdog_secs(const struct mc_run_in *in);

/* Every thread's stack of the stub's process tree (gdb), appended to
 * `stacks`; the raw text of each process goes to RUN/stacks.PID.txt. */
static void all_stacks(const struct mc_run_in *in, pid_t pid, json_t *stacks)
{
    pid_t pids[64];
    size_t n = mc_proc_tree(pid, pids, MC_ARRAY_LEN(pids));
    for (size_t i = 0; i < n; ++i) {
        char *text = mc_gdb_all_stacks(pids[i], 60);
        char name[64];
        char *raw;
        snprintf(name, sizeof name, "stacks.%d.txt", (int)pids[i]);
        raw = path_in(in->rundir, name);
        if (text && mc_file_write_atomic(raw, text, strlen(text)) != MC_OK)
            mc_warn("modcert stress", "%s: cannot write", raw);
        free(raw);
        json_t *parsed = text ? mc_gdb_parse_stacks(text) : json_array();
        json_array_extend(stacks, parsed);
        json_decref(parsed);
        free(text);
    }
}

static json_t *deadlock_finding(const struct mc_run_in *in, pid_t pid)
{
    json_t *f = mc_det_finding("deadlock", in->o->detector);
    json_object_set_new(f, "watchdog", json_true());
    json_object_set_new(
        f, "message",
        json_sprintf("no progress for %g s under load (watchdog): the "
                     "stacks of every thread follow",
                     watchdog_secs(in)));
    all_stacks(in, pid, json_object_get(f, "stacks"));
    mc_det_finish(f, in->ctx);
    return f;
}

static int stack_in_module(json_t *st, const struct mc_det_ctx *ctx)
{
    size_t i;
    json_t *fr;
    json_array_foreach(json_object_get(st, "frames"), i, fr)
    {
        if (mc_det_frame_in_module(fr, ctx))
            return 1;
    }
    return 0;
}

/* What is known of requests that got no answer while the stub still ran:
 * the stacks of the threads inside the module (every thread when none
 * is), taken before the stub is stopped. */
static json_t *hung_stacks(const struct mc_run_in *in, pid_t pid)
{
    json_t *all = json_array(), *mine = json_array(), *st;
    size_t i;
    all_stacks(in, pid, all);
    json_array_foreach(all, i, st)
    {
        if (stack_in_module(st, in->ctx))
            json_array_append(mine, st);
    }
    if (!json_array_size(mine)) {
        json_decref(mine);
        return all;
    }
    json_decref(all);
    return mine;
}

static double watchdog_secs(const struct mc_run_in *in)
{
    if (in->o->watchdog > 0)
        return in->o->watchdog;
    return is_valgrind(in->o->detector) ? 30 : 5;
}

static int report_file(const struct dirent *e)
{
    return !strncmp(e->d_name, "tsan.", 5) ||
           !strncmp(e->d_name, "crashcap.", 9) ||
           !strncmp(e->d_name, "core", 4);
}

/* Whether a detector report or capture file has appeared (the TSan log
 * is created at the first report). */
static int reports_exist(const char *dir)
{
    struct dirent **list = NULL;
    int k = scandir(dir, &list, report_file, NULL);
    for (int i = 0; i < k; ++i)
        free(list[i]);
    free(list);
    return k > 0;
}

static void watch_step(const struct mc_run_in *in, struct stub *s,
                       struct loader *l, struct watch *w,
                       struct mc_run_out *out)
{
    double now = mc_now();
    unsigned long long cpu;
    if (in->o->cancel && atomic_load(in->o->cancel)) {
        w->cancelled = 1;
        atomic_store(&l->cancel, 1);
    }
    if (!w->died && !mc_proc_alive(&s->proc)) {
        w->died = 1;
        w->died_at = now;
        atomic_store(&l->cancel, 1);
        return;
    }
    if (now > w->deadline && !w->timeout) {
        w->timeout = 1;
        atomic_store(&l->cancel, 1);
    }
    if (!w->first_report && reports_exist(in->rundir))
        w->first_report = now;
    if (w->died || w->deadlock)
        return;
    cpu = mc_proc_tree_cpu(s->proc.pid);
    if (now - w->mark_t < watchdog_secs(in))
        return;
    if (cpu - w->mark_cpu <= 2) { /* < 20 ms of CPU in the whole window */
        w->deadlock = 1;
        w->deadlock_at = now;
        json_array_append_new(out->findings, deadlock_finding(in, s->proc.pid));
        atomic_store(&l->cancel, 1);
        return;
    }
    w->mark_t = now;
    w->mark_cpu = cpu;
}

static void load_opts(const struct mc_run_in *in, struct stub *s,
                      struct loader *l)
{
    struct mc_load_opts *o = &l->opts;
    unsigned conns = in->o->connections ? in->o->connections : servers_of(in);
    mc_load_opts_init(o);
    o->port = s->port;
    o->scenario = in->scenario;
    o->connections = conns > 64 ? 64 : conns ? conns : 1;
    o->threads = o->connections < 2 ? 1 : 2;
    o->requests = in->o->requests;
    o->seconds = in->o->seconds;
    o->seed = in->o->seed;
    o->timeout_ms = is_valgrind(in->o->detector) ? 60000 : 20000;
    o->unreachable_ms = is_valgrind(in->o->detector) ? 10000 : 2000;
    o->progress = !in->o->quiet;
    o->cancel = &l->cancel;
}

static void drive(const struct mc_run_in *in, struct stub *s, struct loader *l,
                  struct watch *w, struct mc_run_out *out)
{
    pthread_t t;
    double slack = is_valgrind(in->o->detector) ? 120 : 30;
    load_opts(in, s, l);
    w->started = w->mark_t = mc_now();
    w->deadline =
        w->started + (in->o->seconds > 0 ? in->o->seconds : 60) + slack;
    w->mark_cpu = mc_proc_tree_cpu(s->proc.pid);
    if (pthread_create(&t, NULL, load_main, l) != 0) {
        snprintf(out->note, sizeof out->note, "cannot start the load thread");
        l->st = MC_ERR_RUNTIME;
        return;
    }
    while (!atomic_load(&l->done)) {
        usleep(100000);
        watch_step(in, s, l, w, out);
    }
    pthread_join(t, NULL);
}

/* ---- collecting findings ------------------------------------------------ */

static int has_prefix(const char *s, const char *p)
{
    return !strncmp(s, p, strlen(p));
}

static int ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && !strcmp(s + a - b, suffix);
}

static int artefact(const struct dirent *e)
{
    const char *n = e->d_name;
    return has_prefix(n, "tsan.") || has_prefix(n, "vg.") ||
           has_prefix(n, "crashcap.") || !strcmp(n, "core") ||
           has_prefix(n, "core.");
}

static json_t *core_finding(const struct mc_run_in *in, const char *core)
{
    char *text = mc_gdb_core_stack(in->stub, core, 60);
    json_t *f = mc_det_finding("crash", in->o->detector);
    const char *sig = text ? strstr(text, "terminated with signal ") : NULL;
    if (sig) {
        char name[32] = "";
        sscanf(sig + 23, "%31[A-Z0-9]", name);
        json_object_set_new(f, "signal", json_string(name));
        json_object_set_new(f, "message",
                            json_sprintf("the stub died of %s", name));
    }
    if (text) {
        json_t *stacks = mc_gdb_parse_stacks(text);
        json_t *st = json_array_get(stacks, 0);
        if (st) {
            json_object_set_new(st, "access", json_string("crash"));
            json_array_append(json_object_get(f, "stacks"), st);
        }
        json_decref(stacks);
    }
    if (text) {
        char *raw = path_in(in->rundir, "core-stack.txt");
        if (mc_file_write_atomic(raw, text, strlen(text)) != MC_OK)
            mc_warn("modcert stress", "%s: cannot write", raw);
        free(raw);
    }
    free(text);
    mc_det_finish(f, in->ctx);
    return f;
}

static void collect_one(const struct mc_run_in *in, const char *name,
                        json_t *findings)
{
    char *p = path_in(in->rundir, name);
    char err[256];
    if (has_prefix(name, "tsan.")) {
        if (mc_tsan_parse(p, in->ctx, findings, err, sizeof err) != MC_OK)
            mc_warn("modcert stress", "%s", err);
    } else if (has_prefix(name, "vg.") && ends_with(name, ".xml")) {
        if (mc_valgrind_parse(p, in->ctx, findings, err, sizeof err) != MC_OK)
            mc_warn("modcert stress", "%s", err);
    } else if (has_prefix(name, "vg.") && ends_with(name, ".log")) {
        mc_valgrind_parse_log(p, in->ctx, in->o->detector, findings);
    } else if (has_prefix(name, "crashcap.")) {
        json_t *f = mc_crashcap_read(p, in->ctx);
        if (f) {
            json_object_set_new(f, "detector", json_string(in->o->detector));
            json_array_append_new(findings, f);
        }
    } else if (has_prefix(name, "core")) {
        json_array_append_new(findings, core_finding(in, p));
        if (!in->o->keep)
            unlink(p); /* large; its stack is in core-stack.txt */
    }
    free(p);
}

static void collect_artefacts(const struct mc_run_in *in, json_t *findings)
{
    struct dirent **list = NULL;
    int k = scandir(in->rundir, &list, artefact, alphasort);
    for (int i = 0; i < k; ++i) {
        collect_one(in, list[i]->d_name, findings);
        free(list[i]);
    }
    free(list);
}

static int count_kind(json_t *findings, const char *kind)
{
    size_t i;
    json_t *f;
    int n = 0;
    json_array_foreach(findings, i, f)
    {
        n += !strcmp(json_string_value(json_object_get(f, "kind")), kind);
    }
    return n;
}

/* After a module's exit(), the process tears down under the other
 * threads' feet: crashes and races outside the module in that run are
 * consequences, not findings of their own. */
static void drop_exit_aftermath(json_t *findings)
{
    size_t i = 0;
    if (!count_kind(findings, "exit"))
        return;
    while (i < json_array_size(findings)) {
        json_t *f = json_array_get(findings, i);
        const char *k = json_string_value(json_object_get(f, "kind"));
        if (strcmp(k, "exit") && strcmp(k, "failed-check") &&
            !json_is_true(json_object_get(f, "in_module")))
            json_array_remove(findings, i);
        else
            ++i;
    }
}

/* The stub died before we stopped it and nothing above explains how. */
static void early_death(const struct mc_run_in *in, const struct stub *s,
                        json_t *findings)
{
    int st = s->proc.status;
    json_t *f;
    if (count_kind(findings, "crash") || count_kind(findings, "exit"))
        return;
    if (WIFSIGNALED(st)) {
        f = mc_det_finding("crash", in->o->detector);
        json_object_set_new(f, "signal",
                            json_string(sigabbrev_np(WTERMSIG(st))
                                            ? sigabbrev_np(WTERMSIG(st))
                                            : "?"));
        json_object_set_new(f, "message",
                            json_sprintf("the stub died of signal %d under "
                                         "load (no stack captured)",
                                         WTERMSIG(st)));
    } else {
        f = mc_det_finding("exit", in->o->detector);
        json_object_set_new(f, "exit_code", json_integer(WEXITSTATUS(st)));
        json_object_set_new(f, "message",
                            json_sprintf("the stub exited with status %d "
                                         "under load (no stack captured)",
                                         WEXITSTATUS(st)));
    }
    json_array_append_new(findings, f);
}

static json_t *check_finding(const char *check, json_t *fail)
{
    json_t *f = mc_det_finding("failed-check", "none");
    json_object_set_new(f, "check", json_string(check));
    json_object_set_new(f, "oracle", json_true()); /* a response check */
    json_object_set(f, "request", json_object_get(fail, "request"));
    json_object_set(f, "expected", json_object_get(fail, "expected"));
    json_object_set(f, "got", json_object_get(fail, "got"));
    json_object_set_new(f, "in_module", json_true());
    json_object_set_new(f, "occurrences", json_integer(1));
    return f;
}

/* A request that got no (complete) answer in time while the stub was
 * neither dead nor deadlocked: a `timeout` finding with the request, what
 * was waited for, and the stacks taken before the stub was stopped. */
static json_t *timeout_finding(const struct mc_run_in *in, json_t *fail,
                               json_t *hung)
{
    json_t *f = mc_det_finding("timeout", "none");
    const char *req = json_string_value(json_object_get(fail, "request"));
    const char *got = json_string_value(json_object_get(fail, "got"));
    const char *exp = json_string_value(json_object_get(fail, "expected"));
    json_object_set_new(f, "check", json_string("timeout"));
    json_object_set(f, "request", json_object_get(fail, "request"));
    json_object_set(f, "expected", json_object_get(fail, "expected"));
    json_object_set(f, "got", json_object_get(fail, "got"));
    json_object_set_new(
        f, "message",
        json_sprintf("request %s: %s, expected %s; the server was neither "
                     "dead nor deadlocked",
                     req ? req : "?", got ? got : "no response",
                     exp ? exp : "a response"));
    if (hung)
        json_array_extend(json_object_get(f, "stacks"), hung);
    mc_det_finish(f, in->ctx);
    json_object_set_new(f, "occurrences", json_integer(1));
    return f;
}

/* One finding per (request, check) of the failed responses, and one per
 * failed relation; unanswered requests are `timeout` findings. Connection
 * failures after the stub died (or deadlocked) are effects of that, not
 * separate findings. */
static void failed_checks(const struct mc_run_in *in, json_t *load, int died,
                          json_t *hung, json_t *findings)
{
    json_t *seen = json_object(), *fail, *rel;
    size_t i;
    json_array_foreach(json_object_get(load, "failures"), i, fail)
    {
        const char *check = json_string_value(json_object_get(fail, "check"));
        const char *req = json_string_value(json_object_get(fail, "request"));
        char key[512];
        json_t *prev;
        if (!check || (died && (!strcmp(check, "connection closed") ||
                                !strcmp(check, "timeout"))))
            continue;
        snprintf(key, sizeof key, "%s\x1f%s", req ? req : "", check);
        prev = json_object_get(seen, key);
        if (prev) {
            json_object_set_new(prev, "occurrences",
                                json_integer(json_integer_value(json_object_get(
                                                 prev, "occurrences")) +
                                             1));
            continue;
        }
        prev = !strcmp(check, "timeout") ? timeout_finding(in, fail, hung)
                                         : check_finding(check, fail);
        json_object_set(seen, key, prev);
        json_array_append_new(findings, prev);
    }
    json_array_foreach(json_object_get(load, "relations"), i, rel)
    {
        char check[128];
        if (!json_is_false(json_object_get(rel, "ok")))
            continue;
        snprintf(check, sizeof check, "relation %s",
                 json_string_value(json_object_get(rel, "kind")));
        json_array_append_new(findings, check_finding(check, rel));
    }
    json_decref(seen);
}

static void stamp(const struct mc_run_in *in, json_t *findings)
{
    size_t i;
    json_t *f;
    json_array_foreach(findings, i, f)
    {
        json_object_set_new(f, "profile", json_string(in->profile));
        if (!json_object_get(f, "detector") ||
            !strcmp(json_string_value(json_object_get(f, "detector")), "none"))
            json_object_set_new(f, "detector", json_string(in->o->detector));
        json_object_set_new(f, "seed", json_integer((json_int_t)in->o->seed));
        json_object_set_new(f, "perturb", json_real(in->o->perturb));
        json_object_set_new(f, "threads",
                            json_integer(!strcmp(in->profile, "prefork")
                                             ? 1
                                             : run_threads(in->o)));
        json_object_set_new(f, "threaded_only", json_false());
    }
}

static json_t *run_record(const struct mc_run_in *in, const struct stub *s,
                          const struct loader *l, json_t *load)
{
    json_t *r = json_object();
    json_object_set_new(r, "profile", json_string(in->profile));
    json_object_set_new(r, "detector", json_string(in->o->detector));
    json_object_set_new(r, "requests",
                        json_integer((json_int_t)l->res.requests));
    json_object_set_new(r, "seconds", json_real(l->res.seconds));
    json_object_set_new(r, "seed", json_integer((json_int_t)in->o->seed));
    json_object_set_new(
        r, "threads",
        json_integer(!strcmp(in->profile, "prefork") ? 1 : run_threads(in->o)));
    json_object_set_new(
        r, "processes",
        json_integer(in->o->processes
                         ? in->o->processes
                         : (!strcmp(in->profile, "winnt") ? 1 : 0)));
    json_object_set_new(r, "port", json_integer(s->port));
    json_object_set_new(r, "rundir", json_string(in->rundir));
    json_object_set_new(r, "module_so", json_string(in->module->so));
    json_object_set_new(r, "instrumented",
                        json_boolean(in->module->instrumented));
    json_object_set(r, "load", load ? load : json_null());
    return r;
}

/* Milliseconds from the start of the load to the first evidence: a
 * detector report, a failed response, the stub's death, the watchdog. */
static void first_detection(json_t *run, const struct watch *w,
                            const struct loader *l, const json_t *load)
{
    double best = -1;
    double cand[3] = {w->first_report, w->died ? w->died_at : 0,
                      w->deadlock ? w->deadlock_at : 0};
    for (size_t i = 0; i < MC_ARRAY_LEN(cand); ++i)
        if (cand[i] > 0 && (best < 0 || (cand[i] - w->started) * 1000 < best))
            best = (cand[i] - w->started) * 1000;
    if (load && l->res.first_failure_ms >= 0 &&
        (best < 0 || l->res.first_failure_ms < best))
        best = l->res.first_failure_ms;
    json_object_set_new(run, "first_detection_ms",
                        best >= 0 ? json_real(best) : json_null());
}

static void conclude(const struct mc_run_in *in, struct stub *s,
                     struct loader *l, struct watch *w, struct mc_run_out *out)
{
    json_t *load =
        l->st == MC_OK ? mc_load_result_json(&l->res, &l->opts) : NULL;
    int died = w->died;
    json_t *hung = NULL;
    /* not after SIGINT: the person waits for the report, not for gdb */
    if ((w->timeout || (load && l->res.timeouts)) && !died && !w->deadlock &&
        !w->cancelled && mc_proc_alive(&s->proc))
        hung = hung_stacks(in, s->proc.pid);
    /* a deadlocked stub, or one with a hung request, cannot finish its
     * requests: no long grace */
    double grace = w->deadlock || hung            ? 1
                   : is_valgrind(in->o->detector) ? 30
                                                  : 10;
    if (mc_proc_stop(&s->proc, grace) && !w->deadlock && !died && !hung)
        mc_warn("modcert stress", "%s: the stub ignored SIGTERM for %g s",
                in->rundir, grace);
    collect_artefacts(in, out->findings);
    drop_exit_aftermath(out->findings);
    if (died)
        early_death(in, s, out->findings);
    if (load)
        failed_checks(in, load, died || w->deadlock, hung, out->findings);
    if (w->timeout) {
        json_t *f = mc_det_finding("timeout", in->o->detector);
        json_object_set_new(f, "message",
                            json_sprintf("the run did not end within %.0f s",
                                         w->deadline - w->started));
        if (hung)
            json_array_extend(json_object_get(f, "stacks"), hung);
        mc_det_finish(f, in->ctx);
        json_array_append_new(out->findings, f);
    }
    json_decref(hung);
    stamp(in, out->findings);
    out->complete = l->st == MC_OK && !w->timeout && !w->cancelled &&
                    (l->res.complete || died || w->deadlock);
    if (l->st != MC_OK && snprintf(out->note, sizeof out->note, "load: %s",
                                   l->err) >= (int)sizeof out->note)
        out->note[sizeof out->note - 1] = 0; /* cut, still terminated */
    else if (w->cancelled)
        snprintf(out->note, sizeof out->note, "interrupted");
    else if (!out->complete)
        snprintf(out->note, sizeof out->note, "load: %s",
                 l->res.incomplete_reason);
    out->run = run_record(in, s, l, load);
    first_detection(out->run, w, l, load);
    json_object_set_new(out->run, "complete", json_boolean(out->complete));
    json_decref(load);
}

void mc_stress_run(const struct mc_run_in *in, struct mc_run_out *out)
{
    struct stub s;
    struct loader *l = mc_xcalloc(1, sizeof *l);
    struct watch w;
    memset(&s, 0, sizeof s);
    memset(&w, 0, sizeof w);
    memset(out, 0, sizeof *out);
    out->findings = json_array();
    if (mc_mkdirs(in->rundir) != MC_OK) {
        snprintf(out->note, sizeof out->note, "%s: cannot create", in->rundir);
    } else if (start_stub(in, &s, out) == 0) {
        drive(in, &s, l, &w, out);
        conclude(in, &s, l, &w, out);
        mc_load_result_free(&l->res);
    }
    if (!out->run) {
        out->run = json_object();
        json_object_set_new(out->run, "profile", json_string(in->profile));
        json_object_set_new(out->run, "complete", json_false());
        json_object_set_new(out->run, "requests", json_integer(0));
    }
    json_object_set_new(out->run, "note", json_string(out->note));
    free(s.conf);
    free(s.out);
    free(l);
}
