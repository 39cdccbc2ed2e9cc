/*
 * mpm.c - the three process/thread profiles and their ap_mpm_query answers.
 *
 *   winnt:   one process; a listener thread accepts and waits for the first
 *            bytes of each connection (as AcceptEx does) before handing it,
 *            with those bytes, to one of ThreadsPerChild worker threads that
 *            run with a small stack (ThreadStackSize, 256 KiB by default)
 *            above a 64 MiB guard, so an oversized frame faults in place.
 *   worker:  N child processes, each a listener thread plus ThreadsPerChild
 *            workers.
 *   prefork: N child processes of one thread each, accepting in turn under
 *            a cross-process accept mutex.
 *
 * child_init runs in every child (in the single process for winnt). SIGTERM
 * stops accepting, wakes idle keep-alive connections, lets in-flight requests
 * finish, joins the threads, destroys pchild (running its cleanups) and, in
 * the parent, reaps the children.
 *
 * Threading: the dispatch queue's mutex guards its ring; each worker's
 * idle_lock guards its idle_fd; the stop flag is atomic. Everything else is
 * set up before threads start.
 */
#include "stub.h"

#include "apr_portable.h"
#include "apr_proc_mutex.h"
#include "apr_strings.h"
#include "apr_thread_mutex.h"
#include "apr_thread_cond.h"
#include "mpm_common.h"
#include "scoreboard.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

atomic_int mc__stub_stop_flag;

void mc__scoreboard_child_init(apr_pool_t *pchild, int slot, int threads);
static atomic_int mpm_state = AP_MPMQ_STARTING;

AP_DECLARE_DATA int ap_max_requests_per_child = 0;
AP_DECLARE_DATA const char *ap_pid_fname = NULL;
AP_DECLARE_DATA char ap_coredump_dir[MAX_STRING_LEN];
AP_DECLARE_DATA int ap_coredumpdir_configured = 0;
AP_DECLARE_DATA int ap_graceful_shutdown_timeout = 0;
AP_DECLARE_DATA apr_uint32_t ap_max_mem_free = 0;
AP_DECLARE_DATA apr_size_t ap_thread_stacksize = 0;

/* --- ap_mpm_query --------------------------------------------------------- */

static int threads_of(void)
{
    return mc__stub.profile == MC_PROFILE_PREFORK ? 1
                                                  : mc__stub.threads_per_child;
}

int mc__mpm_query(int code, int *result)
{
    int pre = mc__stub.profile == MC_PROFILE_PREFORK;
    int nt = mc__stub.profile == MC_PROFILE_WINNT;
    switch (code) {
        case AP_MPMQ_MAX_DAEMON_USED:
        case AP_MPMQ_MAX_DAEMONS:
        case AP_MPMQ_HARD_LIMIT_DAEMONS:
            *result = nt ? 1 : mc__stub.processes;
            return APR_SUCCESS;
        case AP_MPMQ_IS_THREADED:
            *result = pre ? AP_MPMQ_NOT_SUPPORTED : AP_MPMQ_STATIC;
            return APR_SUCCESS;
        case AP_MPMQ_IS_FORKED:
            *result = nt ? AP_MPMQ_NOT_SUPPORTED : AP_MPMQ_DYNAMIC;
            return APR_SUCCESS;
        case AP_MPMQ_HARD_LIMIT_THREADS:
        case AP_MPMQ_MAX_THREADS:
            *result = threads_of();
            return APR_SUCCESS;
        case AP_MPMQ_MIN_SPARE_DAEMONS:
        case AP_MPMQ_MAX_SPARE_DAEMONS:
            *result = pre ? mc__stub.processes : 0;
            return APR_SUCCESS;
        case AP_MPMQ_MIN_SPARE_THREADS:
        case AP_MPMQ_MAX_SPARE_THREADS:
            *result = pre ? 0 : threads_of();
            return APR_SUCCESS;
        case AP_MPMQ_MAX_REQUESTS_DAEMON:
            *result = ap_max_requests_per_child;
            return APR_SUCCESS;
        case AP_MPMQ_MPM_STATE:
            *result = atomic_load(&mpm_state);
            return APR_SUCCESS;
        case AP_MPMQ_IS_ASYNC:
        case AP_MPMQ_HAS_SERF:
        case AP_MPMQ_GENERATION:
            *result = 0;
            return APR_SUCCESS;
        default:
            return APR_ENOTIMPL;
    }
}

AP_DECLARE(apr_status_t) ap_mpm_query(int query_code, int *result)
{
    apr_status_t rv;
    mc_stub_perturb();
    if (ap_run_mpm_query(query_code, result, &rv) != DECLINED)
        return rv;
    return mc__mpm_query(query_code, result);
}

static const char *profile_name(void)
{
    static const char *const names[] = {"winnt", "worker", "prefork"};
    return names[mc__stub.profile];
}

AP_DECLARE(const char *) ap_show_mpm(void)
{
    const char *n = ap_run_mpm_get_name();
    return n ? n : profile_name();
}

static const char *mpm_get_name(void)
{
    return profile_name();
}

static int mpm_query_hook(int code, int *result, apr_status_t *rv)
{
    *rv = mc__mpm_query(code, result);
    return *rv == APR_ENOTIMPL ? DECLINED : OK;
}

AP_DECLARE(apr_status_t)
ap_mpm_register_timed_callback(apr_time_t t, ap_mpm_callback_fn_t *cbfn,
                               void *baton)
{
    return ap_run_mpm_register_timed_callback(t, cbfn, baton);
}

void mc__mpm_register_hooks(void);
void mc__mpm_register_hooks(void)
{
    ap_hook_mpm_query(mpm_query_hook, NULL, NULL, APR_HOOK_REALLY_LAST);
    ap_hook_mpm_get_name(mpm_get_name, NULL, NULL, APR_HOOK_REALLY_LAST);
}

/* --- listeners ----------------------------------------------------------------- */

static const char *open_listener(apr_pool_t *p, struct mc_listener *l)
{
    apr_sockaddr_t *sa;
    apr_status_t rv;
    char eb[120];
    rv = apr_sockaddr_info_get(&sa, l->host, APR_UNSPEC, l->port, 0, p);
    if (rv == APR_SUCCESS)
        rv = apr_socket_create(&l->sock, sa->family, SOCK_STREAM, APR_PROTO_TCP,
                               p);
    if (rv == APR_SUCCESS) {
        apr_socket_opt_set(l->sock, APR_SO_REUSEADDR, 1);
        rv = apr_socket_bind(l->sock, sa);
    }
    if (rv == APR_SUCCESS)
        rv = apr_socket_listen(l->sock, 511);
    if (rv != APR_SUCCESS)
        return apr_psprintf(p, "could not bind to address %s:%u: %s", l->host,
                            l->port, apr_strerror(rv, eb, sizeof(eb)));
    return NULL;
}

static int listener_fd(const struct mc_listener *l)
{
    apr_os_sock_t fd;
    apr_os_sock_get(&fd, l->sock);
    return fd;
}

const char *mc__open_listeners(apr_pool_t *p);
const char *mc__open_listeners(apr_pool_t *p)
{
    if (mc__stub.listeners->nelts == 0)
        return "no listening sockets available, shutting down (add a Listen "
               "directive)";
    for (int i = 0; i < mc__stub.listeners->nelts; ++i) {
        const char *err = open_listener(
            p, &APR_ARRAY_IDX(mc__stub.listeners, i, struct mc_listener));
        if (err)
            return err;
    }
    return NULL;
}

/* --- dispatch queue -------------------------------------------------------------- */

struct job {
    int fd;
    char *pre; /* malloc'd first bytes (winnt) or NULL */
    apr_size_t prelen;
};

struct queue {
    apr_thread_mutex_t *lock; /* guards everything below */
    apr_thread_cond_t *not_empty;
    apr_thread_cond_t *not_full;
    struct job *ring;
    int cap, head, count;
    int closed;
};

static void queue_init(struct queue *q, apr_pool_t *p, int cap)
{
    apr_thread_mutex_create(&q->lock, APR_THREAD_MUTEX_DEFAULT, p);
    apr_thread_cond_create(&q->not_empty, p);
    apr_thread_cond_create(&q->not_full, p);
    q->ring = apr_pcalloc(p, sizeof(struct job) * (apr_size_t)cap);
    q->cap = cap;
    q->head = q->count = q->closed = 0;
}

static int queue_push(struct queue *q, struct job j)
{
    apr_thread_mutex_lock(q->lock);
    while (q->count == q->cap && !q->closed)
        apr_thread_cond_wait(q->not_full, q->lock);
    if (q->closed) {
        apr_thread_mutex_unlock(q->lock);
        return 0;
    }
    q->ring[(q->head + q->count) % q->cap] = j;
    q->count++;
    apr_thread_mutex_unlock(q->lock);
    /* signalled after the unlock: the woken worker does not run into a
     * still-held lock and sleep again (one wake-up per job, not two) */
    apr_thread_cond_signal(q->not_empty);
    return 1;
}

static int queue_pop(struct queue *q, struct job *j)
{
    int full;
    apr_thread_mutex_lock(q->lock);
    while (q->count == 0 && !q->closed)
        apr_thread_cond_wait(q->not_empty, q->lock);
    if (q->count == 0) {
        apr_thread_mutex_unlock(q->lock);
        return 0;
    }
    *j = q->ring[q->head];
    q->head = (q->head + 1) % q->cap;
    full = q->count-- == q->cap;
    apr_thread_mutex_unlock(q->lock);
    if (full) /* only a full queue has a waiting producer */
        apr_thread_cond_signal(q->not_full);
    return 1;
}

static void queue_close(struct queue *q)
{
    apr_thread_mutex_lock(q->lock);
    q->closed = 1;
    apr_thread_cond_broadcast(q->not_empty);
    apr_thread_cond_broadcast(q->not_full);
    apr_thread_mutex_unlock(q->lock);
}

/* --- workers ---------------------------------------------------------------- */

struct worker {
    int index; /* global thread index: slot * threads + i */
    int local;
    apr_thread_t *thread;
    apr_pool_t *ptrans;
    apr_thread_mutex_t *idle_lock; /* guards idle_fd */
    int idle_fd;
    long conns;
    struct child *child;
    ap_sb_handle_t *sbh;
};

struct child {
    int slot;
    apr_pool_t *pchild;
    struct queue q;
    struct worker *workers;
    int nworkers;
    int wake[2]; /* pipe that wakes the listener */
    apr_thread_t *listener;
    apr_proc_mutex_t *accept_mutex;
};

static _Thread_local struct worker *tl_worker;

/* prefork: the one thread's idle connection, for the SIGTERM handler
 * (shutdown() is async-signal-safe); written by that same thread. */
static volatile sig_atomic_t signal_idle_fd = -1;

void mc__mpm_idle(conn_rec *c, int idle)
{
    struct worker *w = tl_worker;
    apr_os_sock_t fd;
    if (!w || !w->idle_lock)
        return;
    apr_os_sock_get(&fd, ap_get_conn_socket(c));
    if (mc__stub.profile == MC_PROFILE_PREFORK) {
        signal_idle_fd = idle ? fd : -1;
        if (idle && mc__stub_stopping)
            shutdown(fd, SHUT_RDWR);
    }
    apr_thread_mutex_lock(w->idle_lock);
    w->idle_fd = idle ? fd : -1;
    apr_thread_mutex_unlock(w->idle_lock);
}

static void lingering_close(apr_socket_t *sock)
{
    char buf[512];
    apr_size_t n;
    apr_socket_shutdown(sock, APR_SHUTDOWN_WRITE);
    apr_socket_timeout_set(sock, apr_time_from_msec(100));
    for (int i = 0; i < 8; ++i) {
        n = sizeof(buf);
        if (apr_socket_recv(sock, buf, &n) != APR_SUCCESS || n == 0)
            break;
    }
    apr_socket_close(sock);
}

static void serve(struct worker *w, struct job *j)
{
    apr_socket_t *sock = NULL;
    apr_os_sock_t fd = j->fd;
    apr_bucket_alloc_t *ba;
    conn_rec *c;
    long id =
        (long)w->index +
        (long)(w->child->nworkers * (mc__stub.processes + 1)) * w->conns++;
    apr_pool_clear(w->ptrans);
    apr_os_sock_put(&sock, &fd, w->ptrans);
    ba = apr_bucket_alloc_create(w->ptrans);
    c = mc__create_conn(w->ptrans, sock, id, ba, j->pre, j->prelen, w->sbh);
    free(j->pre);
    if (c)
        mc__process_connection(c);
    lingering_close(sock);
}

static void *APR_THREAD_FUNC worker_main(apr_thread_t *t, void *arg)
{
    struct worker *w = arg;
    struct job j;
    (void)t;
    tl_worker = w;
    mc__stub_perturb_thread((unsigned)w->index + 1);
    while (queue_pop(&w->child->q, &j))
        serve(w, &j);
    return NULL;
}

/* --- listeners: winnt (accept + first read) and worker (accept) ------------- */

struct pending {
    int fd;
    apr_time_t since;
};

/* Hands a connection whose first bytes (buf, n) were read to a worker;
 * n <= 0 (closed or failed before sending anything) closes it. */
static void winnt_dispatch(struct child *ch, int fd, const char *buf, ssize_t n)
{
    struct job j;
    if (n <= 0) {
        close(fd);
        return;
    }
    j.fd = fd;
    j.prelen = (apr_size_t)n;
    j.pre = malloc((size_t)n);
    memcpy(j.pre, buf, (size_t)n);
    if (!queue_push(&ch->q, j)) {
        free(j.pre);
        close(fd);
    }
}

static int no_data_yet(ssize_t n)
{
    return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR);
}

static int is_listener(int fd)
{
    for (int i = 0; i < mc__stub.listeners->nelts; ++i)
        if (listener_fd(&APR_ARRAY_IDX(mc__stub.listeners, i,
                                       struct mc_listener)) == fd)
            return 1;
    return 0;
}

static void drop_pending(struct pending *pend, int *npend, int fd)
{
    for (int i = 0; i < *npend; ++i)
        if (pend[i].fd == fd) {
            pend[i] = pend[--*npend];
            return;
        }
}

static void sweep_pending(struct pending *pend, int *npend, int epfd)
{
    apr_time_t now = apr_time_now();
    for (int i = 0; i < *npend;) {
        if (now - pend[i].since > mc__stub.server->timeout) {
            epoll_ctl(epfd, EPOLL_CTL_DEL, pend[i].fd, NULL);
            close(pend[i].fd);
            pend[i] = pend[--*npend];
        } else {
            ++i;
        }
    }
}

#define MC_MAX_PENDING 4096

/* Accepts every pending connection. The first bytes are usually there
 * already (clients send right after connecting): read them at once and
 * dispatch, without a trip through epoll (3 fewer system calls and one
 * fewer listener loop per connection); otherwise wait for them in epoll,
 * for at most Timeout (sweep_pending). Either way a worker only gets a
 * connection with its first bytes read, as AcceptEx gives winnt's. */
static void winnt_accept(struct child *ch, int lfd, int epfd,
                         struct pending *pend, int *npend)
{
    char buf[4096];
    for (;;) {
        int fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
        struct epoll_event ev = {.events = EPOLLIN | EPOLLONESHOT};
        ssize_t n;
        if (fd < 0)
            return;
        n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
        if (!no_data_yet(n)) {
            winnt_dispatch(ch, fd, buf, n);
            continue;
        }
        if (*npend >= MC_MAX_PENDING) {
            close(fd);
            continue;
        }
        ev.data.fd = fd;
        epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev);
        pend[*npend].fd = fd;
        pend[*npend].since = apr_time_now();
        ++*npend;
    }
}

/* A waiting connection became readable: read its first bytes and
 * dispatch it, or re-arm it when that was spurious. It leaves epoll before
 * a worker can close it (and its number be reused). */
static void winnt_first_read(struct child *ch, int epfd, struct pending *pend,
                             int *npend, int fd)
{
    char buf[4096];
    ssize_t n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
    if (no_data_yet(n)) {
        struct epoll_event ev = {.events = EPOLLIN | EPOLLONESHOT,
                                 .data.fd = fd};
        epoll_ctl(epfd, EPOLL_CTL_MOD, fd, &ev);
        return;
    }
    epoll_ctl(epfd, EPOLL_CTL_DEL, fd, NULL);
    drop_pending(pend, npend, fd);
    winnt_dispatch(ch, fd, buf, n);
}

static void *APR_THREAD_FUNC winnt_listener(apr_thread_t *t, void *arg)
{
    struct child *ch = arg;
    int epfd = epoll_create1(EPOLL_CLOEXEC);
    struct pending *pend = calloc(MC_MAX_PENDING, sizeof(*pend));
    int npend = 0;
    struct epoll_event ev = {.events = EPOLLIN};
    (void)t;
    ev.data.fd = ch->wake[0];
    epoll_ctl(epfd, EPOLL_CTL_ADD, ch->wake[0], &ev);
    for (int i = 0; i < mc__stub.listeners->nelts; ++i) {
        int lfd = listener_fd(
            &APR_ARRAY_IDX(mc__stub.listeners, i, struct mc_listener));
        fcntl(lfd, F_SETFL, fcntl(lfd, F_GETFL) | O_NONBLOCK);
        ev.data.fd = lfd;
        epoll_ctl(epfd, EPOLL_CTL_ADD, lfd, &ev);
    }
    while (!mc__stub_stopping) {
        struct epoll_event evs[64];
        int n = epoll_wait(epfd, evs, 64, 500);
        for (int i = 0; i < n; ++i) {
            int fd = evs[i].data.fd;
            if (fd == ch->wake[0])
                continue;
            if (is_listener(fd))
                winnt_accept(ch, fd, epfd, pend, &npend);
            else
                winnt_first_read(ch, epfd, pend, &npend, fd);
        }
        sweep_pending(pend, &npend, epfd);
    }
    for (int i = 0; i < npend; ++i)
        close(pend[i].fd);
    free(pend);
    close(epfd);
    return NULL;
}

static void *APR_THREAD_FUNC worker_listener(apr_thread_t *t, void *arg)
{
    struct child *ch = arg;
    int nl = mc__stub.listeners->nelts;
    struct pollfd *pfd = calloc((size_t)nl + 1, sizeof(*pfd));
    (void)t;
    for (int i = 0; i < nl; ++i) {
        pfd[i].fd = listener_fd(
            &APR_ARRAY_IDX(mc__stub.listeners, i, struct mc_listener));
        pfd[i].events = POLLIN;
        fcntl(pfd[i].fd, F_SETFL, fcntl(pfd[i].fd, F_GETFL) | O_NONBLOCK);
    }
    pfd[nl].fd = ch->wake[0];
    pfd[nl].events = POLLIN;
    while (!mc__stub_stopping) {
        int n = poll(pfd, (nfds_t)nl + 1, 500);
        for (int i = 0; n > 0 && i < nl; ++i) {
            int fd;
            if (!(pfd[i].revents & POLLIN))
                continue;
            while ((fd = accept4(pfd[i].fd, NULL, NULL, SOCK_CLOEXEC)) >= 0) {
                struct job j = {fd, NULL, 0};
                if (!queue_push(&ch->q, j)) {
                    close(fd);
                    break;
                }
            }
        }
    }
    free(pfd);
    return NULL;
}

/* --- prefork: one thread accepting under the accept mutex ------------------- */

static int prefork_accept(struct child *ch)
{
    int nl = mc__stub.listeners->nelts;
    struct pollfd pfd[16];
    int fd = -1;
    if (apr_proc_mutex_lock(ch->accept_mutex) != APR_SUCCESS)
        return -1;
    while (fd < 0 && !mc__stub_stopping) {
        int n;
        for (int i = 0; i < nl && i < 16; ++i) {
            pfd[i].fd = listener_fd(
                &APR_ARRAY_IDX(mc__stub.listeners, i, struct mc_listener));
            pfd[i].events = POLLIN;
        }
        n = poll(pfd, (nfds_t)(nl < 16 ? nl : 16), 200);
        for (int i = 0; n > 0 && i < nl && fd < 0; ++i)
            if (pfd[i].revents & POLLIN)
                fd = accept4(pfd[i].fd, NULL, NULL, SOCK_CLOEXEC);
    }
    apr_proc_mutex_unlock(ch->accept_mutex);
    return fd;
}

static void prefork_loop(struct child *ch)
{
    struct worker *w = &ch->workers[0];
    tl_worker = w;
    for (int i = 0; i < mc__stub.listeners->nelts; ++i) {
        int lfd = listener_fd(
            &APR_ARRAY_IDX(mc__stub.listeners, i, struct mc_listener));
        fcntl(lfd, F_SETFL, fcntl(lfd, F_GETFL) | O_NONBLOCK);
    }
    while (!mc__stub_stopping) {
        int fd = prefork_accept(ch);
        struct job j = {fd, NULL, 0};
        if (fd >= 0)
            serve(w, &j);
    }
}

/* --- a child (or the single winnt process) ------------------------------------ */

static void on_stop_signal(int sig)
{
    int fd = signal_idle_fd;
    (void)sig;
    atomic_store(&mc__stub_stop_flag, 1);
    if (fd >= 0)
        shutdown(fd, SHUT_RDWR);
}

static apr_size_t stack_size(void)
{
    if (mc__stub.thread_stack)
        return mc__stub.thread_stack;
#if defined(__has_feature)
#if __has_feature(thread_sanitizer) || __has_feature(address_sanitizer)
    return 4 * 256 * 1024; /* sanitizer runtimes need deeper stacks */
#endif
#endif
    return mc__stub.profile == MC_PROFILE_WINNT ? 256 * 1024 : 0;
}

/* Below each worker's stack lies a PROT_NONE guard far larger than any
 * sane frame. With glibc's one-page guard a frame bigger than the stack
 * jumps over the guard into a neighbour's stack and faults later, in libc,
 * with a clobbered return address; with this guard the first touch of the
 * frame faults inside the module function, as a stack probe does on
 * Windows. Address space only: nothing is committed. */
#define WORKER_STACK_GUARD ((apr_size_t)64 * 1024 * 1024)

static void make_workers(struct child *ch, int n)
{
    ch->nworkers = n;
    ch->workers =
        apr_pcalloc(ch->pchild, sizeof(struct worker) * (apr_size_t)n);
    for (int i = 0; i < n; ++i) {
        struct worker *w = &ch->workers[i];
        apr_allocator_t *al;
        w->index = ch->slot * n + i;
        w->local = i;
        w->child = ch;
        w->idle_fd = -1;
        apr_allocator_create(&al);
        apr_allocator_max_free_set(al, 512 * 1024);
        apr_pool_create_ex(&w->ptrans, ch->pchild, NULL, al);
        apr_allocator_owner_set(al, w->ptrans);
        apr_pool_tag(w->ptrans, "transaction");
        apr_thread_mutex_create(&w->idle_lock, APR_THREAD_MUTEX_DEFAULT,
                                ch->pchild);
        ap_create_sb_handle(&w->sbh, ch->pchild, ch->slot, i);
    }
}

static void wake_idle(struct child *ch)
{
    for (int i = 0; i < ch->nworkers; ++i) {
        struct worker *w = &ch->workers[i];
        apr_thread_mutex_lock(w->idle_lock);
        if (w->idle_fd >= 0)
            shutdown(w->idle_fd, SHUT_RDWR);
        apr_thread_mutex_unlock(w->idle_lock);
    }
}

static void wait_for_stop(struct child *ch)
{
    sigset_t set;
    int sig;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGHUP);
    sigwait(&set, &sig);
    atomic_store(&mc__stub_stop_flag, 1);
    atomic_store(&mpm_state, AP_MPMQ_STOPPING);
    if (write(ch->wake[1], "x", 1) < 0) {
        /* the listener also polls the stop flag */
    }
}

static void run_threaded_child(struct child *ch)
{
    apr_threadattr_t *attr;
    apr_size_t ss = stack_size();
    apr_status_t rv;
    make_workers(ch, mc__stub.threads_per_child);
    queue_init(&ch->q, ch->pchild, mc__stub.threads_per_child * 2 + 16);
    if (pipe(ch->wake) != 0)
        ch->wake[0] = ch->wake[1] = -1;
    apr_threadattr_create(&attr, ch->pchild);
    if (ss)
        apr_threadattr_stacksize_set(attr, ss);
    apr_threadattr_guardsize_set(attr, WORKER_STACK_GUARD);
    for (int i = 0; i < ch->nworkers; ++i) {
        /* ap_thread_create, as httpd 2.4's MPMs: ap_thread_current() is
         * then the request thread's apr_thread_t in every hook. */
        rv = ap_thread_create(&ch->workers[i].thread, attr, worker_main,
                              &ch->workers[i], ch->pchild);
        if (rv != APR_SUCCESS) {
            mc__log(mc__stub.server, APLOG_CRIT, rv,
                    "could not create worker thread %d", i);
            ch->nworkers = i;
            break;
        }
    }
    ap_thread_create(&ch->listener, NULL,
                     mc__stub.profile == MC_PROFILE_WINNT ? winnt_listener
                                                          : worker_listener,
                     ch, ch->pchild);
    atomic_store(&mpm_state, AP_MPMQ_RUNNING);
    wait_for_stop(ch);
    apr_thread_join(&rv, ch->listener);
    queue_close(&ch->q);
    wake_idle(ch);
    for (int i = 0; i < ch->nworkers; ++i)
        apr_thread_join(&rv, ch->workers[i].thread);
    close(ch->wake[0]);
    close(ch->wake[1]);
}

static void block_signals(void)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
}

/* A forked child's main thread: forget the parent's registration (the
 * thread-local was copied by fork) and register this thread for the child's
 * life, as httpd's MPMs do, so ap_thread_current() works in child_init and,
 * under prefork, in every request. */
static void register_child_main_thread(apr_pool_t *pchild)
{
    apr_thread_t *thd = NULL;
    ap_thread_current_after_fork();
    if (ap_thread_main_create(&thd, pchild) != APR_SUCCESS)
        mc__log(mc__stub.server, APLOG_WARNING, 0,
                "could not register the child's main thread");
}

static int child_main(int slot, apr_proc_mutex_t *am)
{
    struct child ch;
    apr_allocator_t *al;
    apr_thread_mutex_t *m;
    memset(&ch, 0, sizeof(ch));
    ch.slot = slot;
    apr_allocator_create(&al);
    apr_pool_create_ex(&ch.pchild, mc__stub.pconf, NULL, al);
    apr_allocator_owner_set(al, ch.pchild);
    apr_thread_mutex_create(&m, APR_THREAD_MUTEX_DEFAULT, ch.pchild);
    apr_allocator_mutex_set(al, m);
    apr_pool_tag(ch.pchild, "pchild");
    if (mc__stub.profile != MC_PROFILE_WINNT)
        register_child_main_thread(ch.pchild);
    mc__stub_perturb_thread(0x10000u + (unsigned)slot);
    if (mc__stub.profile == MC_PROFILE_PREFORK) {
        struct sigaction sa;
        memset(&sa, 0, sizeof(sa));
        sa.sa_handler = on_stop_signal;
        sigaction(SIGTERM, &sa, NULL);
        sigaction(SIGINT, &sa, NULL);
        ch.accept_mutex = am;
        apr_proc_mutex_child_init(&ch.accept_mutex, NULL, ch.pchild);
        mc__scoreboard_child_init(ch.pchild, slot, 1);
        ap_run_child_init(ch.pchild, mc__stub.server);
        make_workers(&ch, 1);
        atomic_store(&mpm_state, AP_MPMQ_RUNNING);
        prefork_loop(&ch);
    } else {
        block_signals();
        mc__scoreboard_child_init(ch.pchild, slot, mc__stub.threads_per_child);
        ap_run_child_init(ch.pchild, mc__stub.server);
        run_threaded_child(&ch);
    }
    ap_run_child_stopping(ch.pchild, 0);
    apr_pool_destroy(ch.pchild);
    return 0;
}

/* --- parent ---------------------------------------------------------------------- */

/* The parent's children, by slot. */
struct kids {
    int n;
    pid_t *pid;           /* 0 = slot empty */
    apr_time_t *born;     /* when the slot's child was forked */
    apr_proc_mutex_t *am; /* prefork's accept mutex */
};

static void spawn(struct kids *k, int slot)
{
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid == 0) {
        sigset_t chld;
        /* a child must not outlive a parent that was killed (the parent
         * itself waits for its children when it stops) */
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent)
            _exit(1);
        sigemptyset(&chld);
        sigaddset(&chld, SIGCHLD);
        pthread_sigmask(SIG_UNBLOCK, &chld, NULL); /* the module's children */
        if (mc__stub.profile == MC_PROFILE_PREFORK) {
            sigset_t none;
            sigemptyset(&none);
            pthread_sigmask(SIG_SETMASK, &none, NULL);
        }
        _exit(child_main(slot, k->am));
    }
    k->pid[slot] = pid > 0 ? pid : 0;
    k->born[slot] = apr_time_now();
    if (pid < 0)
        mc__log(mc__stub.server, APLOG_ERR, errno,
                "could not fork the child process for slot %d", slot);
}

/* Reaps the children that ended. As httpd's parent does, one that ended
 * while the server was not stopping is logged (a crash names its signal)
 * and its slot is filled again: at once if it had lived a second, else
 * on a later round, so a module that kills every child cannot make the
 * parent fork in a tight loop. */
static void reap_and_respawn(struct kids *k)
{
    int st;
    pid_t pid;
    while ((pid = waitpid(-1, &st, WNOHANG)) > 0) {
        for (int i = 0; i < k->n; ++i) {
            if (k->pid[i] != pid)
                continue;
            k->pid[i] = 0;
            if (WIFSIGNALED(st))
                mc__log(mc__stub.server, APLOG_ERR, 0,
                        "child process %d (slot %d) was killed by signal %d "
                        "(%s)%s",
                        (int)pid, i, WTERMSIG(st), sigdescr_np(WTERMSIG(st)),
                        WCOREDUMP(st) ? ", core dumped" : "");
            else
                mc__log(mc__stub.server, APLOG_ERR, 0,
                        "child process %d (slot %d) exited with status %d",
                        (int)pid, i, WEXITSTATUS(st));
        }
    }
    for (int i = 0; i < k->n; ++i)
        if (!k->pid[i] && !atomic_load(&mc__stub_stop_flag) &&
            apr_time_now() - k->born[i] >= apr_time_from_sec(1))
            spawn(k, i);
}

/* Waits for the children told to stop; as httpd's parent, kills those
 * still there after MC_STOP_WAIT (a module stuck in its exit). */
#define MC_STOP_WAIT apr_time_from_sec(5)

static void stop_children(struct kids *k)
{
    apr_time_t until = apr_time_now() + MC_STOP_WAIT;
    int left = 1;
    while (left && apr_time_now() < until) {
        left = 0;
        for (int i = 0; i < k->n; ++i) {
            int st;
            if (k->pid[i] > 0 && waitpid(k->pid[i], &st, WNOHANG) == 0)
                left = 1;
            else
                k->pid[i] = 0;
        }
        if (left)
            apr_sleep(apr_time_from_msec(20));
    }
    for (int i = 0; i < k->n; ++i) {
        int st;
        if (k->pid[i] <= 0)
            continue;
        mc__log(mc__stub.server, APLOG_ERR, 0,
                "child process %d did not stop within %d s; killed",
                (int)k->pid[i], (int)apr_time_sec(MC_STOP_WAIT));
        kill(k->pid[i], SIGKILL);
        waitpid(k->pid[i], &st, 0);
    }
}

static int run_parent(void)
{
    struct kids k;
    sigset_t set;
    int sig = 0;
    k.n = mc__stub.processes;
    k.pid = apr_pcalloc(mc__stub.pconf, sizeof(pid_t) * (apr_size_t)k.n);
    k.born = apr_pcalloc(mc__stub.pconf, sizeof(apr_time_t) * (apr_size_t)k.n);
    k.am = NULL;
    if (mc__stub.profile == MC_PROFILE_PREFORK &&
        apr_proc_mutex_create(&k.am, NULL, APR_LOCK_DEFAULT, mc__stub.pconf) !=
            APR_SUCCESS) {
        mc__log(mc__stub.server, APLOG_CRIT, 0,
                "could not create the accept mutex");
        return 1;
    }
    block_signals();
    sigemptyset(&set);
    sigaddset(&set, SIGCHLD);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    for (int i = 0; i < k.n; ++i)
        spawn(&k, i);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGHUP);
    while (sig != SIGTERM && sig != SIGINT && sig != SIGHUP) {
        struct timespec tick = {1, 0}; /* also respawns delayed slots */
        sig = sigtimedwait(&set, NULL, &tick);
        if (sig == SIGTERM || sig == SIGINT || sig == SIGHUP)
            atomic_store(&mc__stub_stop_flag, 1);
        reap_and_respawn(&k);
    }
    for (int i = 0; i < k.n; ++i)
        if (k.pid[i] > 0)
            kill(k.pid[i], SIGTERM);
    stop_children(&k);
    return 0;
}

int mc__mpm_run(void)
{
    signal(SIGPIPE, SIG_IGN);
    if (mc__stub.profile == MC_PROFILE_WINNT)
        return child_main(0, NULL);
    return run_parent();
}
