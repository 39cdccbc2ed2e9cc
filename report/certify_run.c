/*
 * certify_run.c — subprocesses for `modcert certify` (certify.h): a lens
 * run under a time limit and a stop flag, and the module build from
 * sources with apxs' flags.
 */
#include "certify.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void nap(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL); /* EINTR is fine: the caller re-checks */
}

char *mc__self_exe(void)
{
    char buf[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
    if (n <= 0)
        return NULL;
    buf[n] = 0;
    return mc_xstrdup(buf);
}

/* In the child: own process group, stdin from /dev/null, output to log. */
static void child_exec(char *const argv[], const char *log_path)
{
    int in = open("/dev/null", O_RDONLY);
    int out = open(log_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    setpgid(0, 0);
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    signal(SIGPIPE, SIG_DFL);
    if (in >= 0)
        dup2(in, 0);
    if (out >= 0) {
        dup2(out, 1);
        dup2(out, 2);
    }
    execvp(argv[0], argv);
    dprintf(2, "modcert certify: cannot run '%s'\n", argv[0]);
    _exit(127);
}

static int reap(pid_t pid, struct mc__proc_result *r)
{
    int status;
    pid_t w = waitpid(pid, &status, WNOHANG);
    if (w != pid)
        return 0;
    if (WIFEXITED(status)) {
        r->exit_status = WEXITSTATUS(status);
    } else {
        r->exit_status = MC_EXIT_INCOMPLETE;
        r->signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
    }
    return 1;
}

/* Asks the process to stop with soft_sig, then kills its group. */
static void stop_child(pid_t pid, int soft_sig, double grace,
                       struct mc__proc_result *r)
{
    double until = now_seconds() + grace;
    kill(pid, soft_sig);
    while (now_seconds() < until) {
        if (reap(pid, r)) {
            kill(-pid, SIGKILL); /* stray members of its group, if any */
            return;
        }
        nap(50);
    }
    kill(-pid, SIGKILL);
    kill(pid, SIGKILL);
    while (!reap(pid, r))
        nap(20);
}

mc_status mc__proc_run(char *const argv[], const char *log_path, double limit,
                       double grace, int soft_sig, volatile sig_atomic_t *stop,
                       struct mc__proc_result *r, struct mc_buf *err)
{
    double t0 = now_seconds();
    pid_t pid;
    memset(r, 0, sizeof *r);
    r->exit_status = MC_EXIT_INCOMPLETE;
    pid = fork();
    if (pid < 0) {
        mc__err(err, "cannot start '%s': fork failed", argv[0]);
        return MC_ERR_RUNTIME;
    }
    if (pid == 0)
        child_exec(argv, log_path);
    setpgid(pid, pid); /* also in the parent: no race with the kill below */
    r->started = 1;
    while (!reap(pid, r)) {
        if (stop && *stop) {
            r->stopped = 1;
            stop_child(pid, soft_sig, grace, r);
            break;
        }
        if (limit > 0 && now_seconds() - t0 > limit) {
            r->timed_out = 1;
            stop_child(pid, soft_sig, grace, r);
            break;
        }
        nap(25);
    }
    if (r->signal)
        kill(-pid, SIGKILL); /* it died: its children must not outlive it */
    r->seconds = now_seconds() - t0;
    return MC_OK;
}

/* ---- building a module from sources ----------------------------------- */

struct argv_buf {
    char **v;
    size_t n;
};

static void push(struct argv_buf *a, const char *s)
{
    a->v = mc_xrealloc(a->v, sizeof(char *) * (a->n + 2));
    a->v[a->n++] = mc_xstrdup(s);
    a->v[a->n] = NULL;
}

static void argv_free(struct argv_buf *a)
{
    for (size_t i = 0; i < a->n; i++)
        free(a->v[i]);
    free(a->v);
}

/* Whether prog is an executable in $PATH. */
static int in_path(const char *prog)
{
    const char *path = getenv("PATH"); /* CLI phase */
    char *copy = mc_xstrdup(path ? path : "/usr/bin:/bin"), *save = NULL;
    int found = 0;
    for (char *d = strtok_r(copy, ":", &save); d && !found;
         d = strtok_r(NULL, ":", &save)) {
        char full[PATH_MAX];
        snprintf(full, sizeof full, "%s/%s", d, prog);
        found = access(full, X_OK) == 0;
    }
    free(copy);
    return found;
}

/* Output of `apxs -q VAR`, or "" when apxs cannot tell. */
static char *apxs_query(const char *var)
{
    const char *apxs = getenv("APXS"); /* CLI phase, before any lens runs */
    struct mc_buf out = MC_BUF_INIT;
    int fds[2], status;
    pid_t pid;
    char chunk[1024];
    ssize_t n;
    if (pipe(fds) != 0)
        return mc_xstrdup("");
    pid = fork();
    if (pid == 0) {
        int null = open("/dev/null", O_RDWR);
        dup2(fds[1], 1);
        if (null >= 0)
            dup2(null, 2);
        close(fds[0]);
        execlp(apxs && *apxs ? apxs : "apxs", "apxs", "-q", var, (char *)NULL);
        _exit(127);
    }
    close(fds[1]);
    while (pid > 0 && (n = read(fds[0], chunk, sizeof chunk)) != 0) {
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            break;
        mc_buf_append(&out, chunk, (size_t)n);
    }
    close(fds[0]);
    if (pid > 0)
        waitpid(pid, &status, 0);
    mc_buf_putc(&out, 0);
    return mc_buf_steal(&out);
}

static void push_words(struct argv_buf *a, char *text)
{
    char *save = NULL;
    for (char *t = strtok_r(text, " \t\n", &save); t;
         t = strtok_r(NULL, " \t\n", &save))
        push(a, t);
}

mc_status mc__build_module(const char *const *sources, size_t nsources,
                           const char *out_so, const char *log_path,
                           volatile sig_atomic_t *stop, struct mc_buf *err)
{
    static const char *const vars[] = {"CFLAGS", "CPPFLAGS", "EXTRA_CPPFLAGS",
                                       "EXTRA_INCLUDES"};
    const char *cc = getenv("MODCERT_CC"); /* CLI phase */
    struct argv_buf a = {NULL, 0};
    struct mc__proc_result r;
    mc_status st;
    push(&a, cc && *cc ? cc : in_path("clang-19") ? "clang-19" : "cc");
    push(&a, "-shared");
    push(&a, "-fPIC");
    push(&a, "-DPIC");
    for (size_t i = 0; i < MC_ARRAY_LEN(vars); i++) {
        char *w = apxs_query(vars[i]);
        push_words(&a, w);
        free(w);
    }
    push(&a, "-g");
    push(&a, "-o");
    push(&a, out_so);
    for (size_t i = 0; i < nsources; i++)
        push(&a, sources[i]);
    push(&a, "-Wl,--allow-shlib-undefined");
    st = mc__proc_run(a.v, log_path, 300, 2, SIGTERM, stop, &r, err);
    if (st == MC_OK && (r.exit_status != 0 || r.stopped || r.timed_out)) {
        mc__err(err, "compiling %s%s into %s failed (see %s)", sources[0],
                nsources > 1 ? " ..." : "", out_so, log_path);
        st = MC_ERR_RUNTIME;
    }
    argv_free(&a);
    return st;
}
