/*
 * proc.c — start, watch and stop the stub by pid; gdb stack capture.
 */
#include "proc.h"

#include "mc_buf.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

double mc_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void child_setup(const char *dir, const char *out,
                        const char *const env[], int cores)
{
    int fd = open(out, O_WRONLY | O_CREAT | O_APPEND, 0644);
    struct rlimit rl = {0, 0};
    setpgid(0, 0);
    if (fd >= 0) {
        dup2(fd, 1);
        dup2(fd, 2);
        close(fd);
    }
    fd = open("/dev/null", O_RDONLY);
    if (fd >= 0) {
        dup2(fd, 0);
        close(fd);
    }
    if (cores)
        rl.rlim_cur = rl.rlim_max = RLIM_INFINITY;
    setrlimit(RLIMIT_CORE, &rl);
    for (size_t i = 0; env && env[i]; ++i)
        putenv((char *)env[i]);
    if (chdir(dir) != 0)
        _exit(127);
}

mc_status mc_proc_start(struct mc_proc *p, char *const argv[], const char *dir,
                        const char *out, const char *const env[], int cores,
                        char *err, size_t errlen)
{
    pid_t pid, parent = getpid();
    memset(p, 0, sizeof *p);
    pid = fork();
    if (pid < 0) {
        snprintf(err, errlen, "cannot fork to start %s", argv[0]);
        return MC_ERR_RUNTIME;
    }
    if (pid == 0) {
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, NULL);
        signal(SIGINT, SIG_DFL);
        signal(SIGTERM, SIG_DFL);
        signal(SIGPIPE, SIG_DFL);
        /* The server lives in its own process group (so it can be stopped
         * as a whole), which a kill of ours would not reach: if we die,
         * however we die, it gets SIGTERM and shuts down. The flag survives
         * exec; it fires when the forking thread ends, and we fork from the
         * main thread. */
        prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (getppid() != parent)
            _exit(127);
        child_setup(dir, out, env, cores);
        execv(argv[0], argv);
        fprintf(stderr, "modcert stress: cannot execute %s\n", argv[0]);
        _exit(127);
    }
    setpgid(pid, pid); /* both sides, so the group exists before we kill */
    p->pid = pid;
    return MC_OK;
}

int mc_proc_alive(struct mc_proc *p)
{
    int st;
    pid_t r;
    if (p->exited || p->pid <= 0)
        return 0;
    r = waitpid(p->pid, &st, WNOHANG);
    if (r == p->pid) {
        p->exited = 1;
        p->status = st;
        p->exit_at = mc_now();
        return 0;
    }
    return 1;
}

int mc_proc_stop(struct mc_proc *p, double grace)
{
    double end;
    if (!mc_proc_alive(p)) {
        if (p->pid > 0)
            kill(-p->pid, SIGKILL); /* children left behind by the group */
        return 0;
    }
    kill(p->pid, SIGTERM);
    end = mc_now() + grace;
    while (mc_now() < end) {
        if (!mc_proc_alive(p)) {
            kill(-p->pid, SIGKILL);
            return 0;
        }
        usleep(20000);
    }
    kill(-p->pid, SIGKILL);
    kill(p->pid, SIGKILL);
    if (waitpid(p->pid, &p->status, 0) == p->pid) {
        p->exited = 1;
        p->exit_at = mc_now();
    }
    return 1;
}

/* Fields of /proc/PID/stat after "(comm) ": state is field 3. */
static int read_stat(pid_t pid, pid_t *ppid, unsigned long long *cpu)
{
    char path[64], buf[1024];
    FILE *f;
    char *rp;
    unsigned long long ut = 0, st = 0;
    int pp = 0;
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    f = fopen(path, "r");
    if (!f)
        return -1;
    if (!fgets(buf, sizeof buf, f)) {
        fclose(f);
        return -1;
    }
    fclose(f);
    rp = strrchr(buf, ')');
    if (!rp ||
        sscanf(rp + 2, "%*c %d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu",
               &pp, &ut, &st) != 3)
        return -1;
    *ppid = pp;
    *cpu = ut + st;
    return 0;
}

static int numeric_entry(const struct dirent *e)
{
    return e->d_name[0] >= '1' && e->d_name[0] <= '9';
}

size_t mc_proc_tree(pid_t pid, pid_t *out, size_t max)
{
    size_t n = 0;
    struct dirent **list = NULL;
    int k;
    if (max == 0)
        return 0;
    out[n++] = pid;
    k = scandir("/proc", &list, numeric_entry, NULL);
    /* one level of children is all the stub makes (worker, prefork) */
    for (int i = 0; i < k; ++i) {
        pid_t q = (pid_t)atoi(list[i]->d_name), pp;
        unsigned long long c;
        if (n < max && q != pid && read_stat(q, &pp, &c) == 0 && pp == pid)
            out[n++] = q;
        free(list[i]);
    }
    free(list);
    return n;
}

unsigned long long mc_proc_tree_cpu(pid_t pid)
{
    pid_t pids[128], pp;
    unsigned long long total = 0, c;
    size_t n = mc_proc_tree(pid, pids, MC_ARRAY_LEN(pids));
    for (size_t i = 0; i < n; ++i)
        if (read_stat(pids[i], &pp, &c) == 0)
            total += c;
    return total;
}

static void read_all(int fd, struct mc_buf *b, double end, pid_t pid)
{
    char chunk[4096];
    fcntl(fd, F_SETFL, O_NONBLOCK);
    for (;;) {
        ssize_t n = read(fd, chunk, sizeof chunk);
        if (n > 0) {
            if (b->len < (8u << 20))
                mc_buf_append(b, chunk, (size_t)n);
            continue;
        }
        if (n == 0)
            break;
        if (errno != EAGAIN && errno != EINTR)
            break;
        if (mc_now() > end) {
            kill(pid, SIGKILL);
            break;
        }
        usleep(10000);
    }
}

int mc_run_capture(char *const argv[], double limit, char **output)
{
    int fds[2], st = 0;
    struct mc_buf b = MC_BUF_INIT;
    pid_t pid;
    if (pipe(fds) != 0)
        return -1;
    pid = fork();
    if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        return -1;
    }
    if (pid == 0) {
        int nul = open("/dev/null", O_RDONLY);
        if (nul >= 0)
            dup2(nul, 0);
        dup2(fds[1], 1);
        dup2(fds[1], 2);
        close(fds[0]);
        execvp(argv[0], argv);
        _exit(127);
    }
    close(fds[1]);
    read_all(fds[0], &b, mc_now() + limit, pid);
    close(fds[0]);
    waitpid(pid, &st, 0);
    mc_buf_putc(&b, 0);
    if (output)
        *output = mc_buf_steal(&b);
    mc_buf_free(&b);
    if (!WIFEXITED(st))
        return -1;
    return WEXITSTATUS(st);
}

char *mc_gdb_all_stacks(pid_t pid, double limit)
{
    char pidbuf[32], *out = NULL;
    snprintf(pidbuf, sizeof pidbuf, "%d", (int)pid);
    char *argv[] = {"gdb", "-nx",
                    "-q",  "-batch",
                    "-p",  pidbuf,
                    "-ex", "set pagination off",
                    "-ex", "thread apply all bt",
                    NULL};
    if (mc_run_capture(argv, limit, &out) < 0 && out && !*out) {
        free(out);
        return NULL;
    }
    return out;
}

char *mc_gdb_core_stack(const char *exe, const char *core, double limit)
{
    char *out = NULL;
    char *argv[] = {
        "gdb", "-nx", "-q",        "-batch",     "-ex", "set pagination off",
        "-ex", "bt",  (char *)exe, (char *)core, NULL};
    if (mc_run_capture(argv, limit, &out) < 0 && out && !*out) {
        free(out);
        return NULL;
    }
    return out;
}
