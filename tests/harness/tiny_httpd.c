/*
 * tiny_httpd.c — canned answers by path (the query string ?t=TOKEN is the
 * token the client sent):
 *   /ok       200 "ok TOKEN\n", Content-Length, keep-alive
 *   /chunked  200 "tok=TOKEN\n" in two chunks, keep-alive
 *   /close    200 "ok TOKEN\n", Content-Length, Connection: close
 *   /eof      200 "ok TOKEN\n" delimited by closing the connection
 *   /wrong    like /ok, but every 5th answer carries "WRONG" as the token
 *   /hdr      200 with X-Token: TOKEN; and X-Secret: 1 when TOKEN ends in 0
 *   /counter  200 "hits=N\n", N = a locked counter incremented per request
 *   /racy     like /counter, but every 4th request is not counted (repeats)
 *   /total    200 "total=N\n" of the counter
 *   /reset    sets the counter to 0
 *   /echo     200 with the request body as the response body
 *   /drop     closes the connection without answering
 *   /idle     like /ok (keep-alive), then closes the connection, as a
 *             server whose keep-alive timeout expires does
 *   /slow     answers /ok after 500 ms
 *   /drip     like /hdr without X-Secret, written 3 bytes at a time
 *   /big      200 with 200000 bytes of 'x' and then "TOKEN\n"
 *   /continue "100 Continue" first, then like /ok
 *   anything else: 404
 */
#include "tiny_httpd.h"

#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define TINY_MAX_CONNS 4096

struct tiny_httpd {
    int lfd;
    unsigned port;
    pthread_t acceptor;
    pthread_mutex_t lock; /* guards conns, nconns, counter, racy_n */
    pthread_t threads[TINY_MAX_CONNS];
    int fds[TINY_MAX_CONNS];
    int nconns;
    long counter, racy_n;
    atomic_long accepted, requests, wrong_n;
    atomic_int stopping;
};

struct req {
    char method[16];
    char path[512];
    char token[128];
    char body[4096];
    size_t body_len;
};

static int send_all(int fd, const char *p, size_t n)
{
    while (n) {
        ssize_t k = send(fd, p, n, MSG_NOSIGNAL);
        if (k <= 0)
            return -1;
        p += k;
        n -= (size_t)k;
    }
    return 0;
}

static int respond(int fd, const char *extra_headers, const char *body,
                   int close_after)
{
    char buf[8192];
    int n = snprintf(buf, sizeof buf,
                     "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
                     "Content-Length: %zu\r\n%s%s\r\n%s",
                     strlen(body), extra_headers,
                     close_after ? "Connection: close\r\n" : "", body);
    return send_all(fd, buf, (size_t)n) ? -1 : (close_after ? 1 : 0);
}

static long count(struct tiny_httpd *t, int racy, int reset)
{
    pthread_mutex_lock(&t->lock);
    if (reset)
        t->counter = 0;
    else if (!racy || ++t->racy_n % 4)
        t->counter++;
    long v = t->counter;
    pthread_mutex_unlock(&t->lock);
    return v;
}

static int drip(int fd, const char *token)
{
    char buf[512];
    int n = snprintf(buf, sizeof buf,
                     "HTTP/1.1 200 OK\r\nX-Token: %s\r\nContent-Length: %zu"
                     "\r\n\r\nok %s\n",
                     token, strlen(token) + 4, token);
    for (int i = 0; i < n; i += 3) {
        if (send_all(fd, buf + i, (size_t)(n - i < 3 ? n - i : 3)))
            return -1;
        struct timespec ts = {0, 200000};
        nanosleep(&ts, NULL);
    }
    return 0;
}

static int big(int fd, const char *token)
{
    size_t pad = 200000, n = pad + strlen(token) + 1;
    char head[128];
    int h = snprintf(head, sizeof head,
                     "HTTP/1.1 200 OK\r\nContent-Length: %zu\r\n\r\n", n);
    char *body = malloc(n + 1);
    if (!body)
        return -1;
    memset(body, 'x', pad);
    snprintf(body + pad, n + 1 - pad, "%s\n", token);
    int rc = send_all(fd, head, (size_t)h) || send_all(fd, body, n) ? -1 : 0;
    free(body);
    return rc;
}

/* Returns 0 keep going, 1 close after this answer, -1 close now. */
static int answer(struct tiny_httpd *t, int fd, const struct req *r)
{
    char body[1024], hdr[256];
    const char *p = r->path;
    snprintf(body, sizeof body, "ok %s\n", r->token);
    if (!strcmp(p, "/ok"))
        return respond(fd, "", body, 0);
    if (!strcmp(p, "/close"))
        return respond(fd, "", body, 1);
    if (!strcmp(p, "/wrong")) {
        if (atomic_fetch_add(&t->wrong_n, 1) % 5 == 4)
            snprintf(body, sizeof body, "ok WRONG\n");
        return respond(fd, "", body, 0);
    }
    if (!strcmp(p, "/hdr")) {
        size_t n = strlen(r->token);
        snprintf(hdr, sizeof hdr, "X-Token: %s\r\n%s", r->token,
                 n && r->token[n - 1] == '0' ? "X-Secret: 1\r\n" : "");
        return respond(fd, hdr, body, 0);
    }
    if (!strcmp(p, "/counter") || !strcmp(p, "/racy")) {
        snprintf(body, sizeof body, "hits=%ld\n", count(t, p[1] == 'r', 0));
        return respond(fd, "", body, 0);
    }
    if (!strcmp(p, "/reset")) {
        count(t, 0, 1);
        return respond(fd, "", "reset\n", 0);
    }
    if (!strcmp(p, "/total")) {
        pthread_mutex_lock(&t->lock);
        snprintf(body, sizeof body, "total=%ld\n", t->counter);
        pthread_mutex_unlock(&t->lock);
        return respond(fd, "", body, 0);
    }
    if (!strcmp(p, "/echo")) {
        snprintf(body, sizeof body, "%.*s", (int)r->body_len, r->body);
        return respond(fd, "", body, 0);
    }
    if (!strcmp(p, "/chunked")) {
        char buf[1024];
        int n = snprintf(buf, sizeof buf,
                         "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n"
                         "\r\n4\r\ntok=\r\n%zx\r\n%s\n\r\n0\r\n\r\n",
                         strlen(r->token) + 1, r->token);
        return send_all(fd, buf, (size_t)n);
    }
    if (!strcmp(p, "/eof")) {
        char buf[1024];
        int n =
            snprintf(buf, sizeof buf,
                     "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n%s", body);
        send_all(fd, buf, (size_t)n);
        return 1;
    }
    if (!strcmp(p, "/drop"))
        return -1;
    if (!strcmp(p, "/idle"))
        return respond(fd, "", body, 0) ? -1 : 1;
    if (!strcmp(p, "/continue")) {
        static const char cont[] = "HTTP/1.1 100 Continue\r\n\r\n";
        if (send_all(fd, cont, sizeof cont - 1))
            return -1;
        return respond(fd, "", body, 0);
    }
    if (!strcmp(p, "/drip"))
        return drip(fd, r->token);
    if (!strcmp(p, "/big"))
        return big(fd, r->token);
    if (!strcmp(p, "/slow")) {
        struct timespec ts = {0, 500 * 1000000};
        nanosleep(&ts, NULL);
        return respond(fd, "", body, 0);
    }
    static const char nf[] =
        "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n";
    return send_all(fd, nf, sizeof nf - 1);
}

/* Splits "/path?t=TOKEN" into r->path and r->token. */
static void split_target(struct req *r, const char *target, size_t n)
{
    snprintf(r->path, sizeof r->path, "%.*s", (int)n, target);
    r->token[0] = '\0';
    char *q = strchr(r->path, '?');
    if (!q)
        return;
    *q = '\0';
    char *tk = strstr(q + 1, "t=");
    if (tk) {
        snprintf(r->token, sizeof r->token, "%s", tk + 2);
        r->token[strcspn(r->token, "&")] = '\0';
    }
}

static size_t content_length(const char *head)
{
    const char *p = head;
    while ((p = strchr(p, '\n'))) {
        p++;
        if (!strncasecmp(p, "Content-Length:", 15))
            return (size_t)strtoul(p + 15, NULL, 10);
    }
    return 0;
}

/* Reads one request; buf holds len pending bytes between calls. */
static int read_request(int fd, char *buf, size_t *len, size_t cap,
                        struct req *r)
{
    char *end;
    while (!(buf[*len] = '\0', end = strstr(buf, "\r\n\r\n"))) {
        if (*len >= cap - 1)
            return -1;
        ssize_t k = recv(fd, buf + *len, cap - 1 - *len, 0);
        if (k <= 0)
            return -1;
        *len += (size_t)k;
    }
    size_t head = (size_t)(end + 4 - buf);
    *end = '\0';
    size_t blen = content_length(buf);
    if (blen >= sizeof r->body || head + blen >= cap)
        return -1;
    while (*len < head + blen) {
        ssize_t k = recv(fd, buf + *len, cap - 1 - *len, 0);
        if (k <= 0)
            return -1;
        *len += (size_t)k;
    }
    const char *sp1 = strchr(buf, ' ');
    const char *sp2 = sp1 ? strchr(sp1 + 1, ' ') : NULL;
    if (!sp2)
        return -1;
    snprintf(r->method, sizeof r->method, "%.*s", (int)(sp1 - buf), buf);
    split_target(r, sp1 + 1, (size_t)(sp2 - sp1 - 1));
    memcpy(r->body, buf + head, blen);
    r->body_len = blen;
    memmove(buf, buf + head + blen, *len - head - blen);
    *len -= head + blen;
    return 0;
}

struct conn_arg {
    struct tiny_httpd *t;
    int fd;
};

static void *conn_main(void *arg)
{
    struct conn_arg *ca = arg;
    struct tiny_httpd *t = ca->t;
    int fd = ca->fd;
    free(ca);
    char *buf = malloc(16384);
    size_t len = 0;
    struct req r;
    while (buf && !atomic_load(&t->stopping) &&
           !read_request(fd, buf, &len, 16384, &r)) {
        atomic_fetch_add(&t->requests, 1);
        if (answer(t, fd, &r))
            break;
    }
    free(buf);
    shutdown(fd, SHUT_RDWR);
    return NULL;
}

static void *accept_main(void *arg)
{
    struct tiny_httpd *t = arg;
    for (;;) {
        int fd = accept(t->lfd, NULL, NULL);
        if (fd < 0) {
            if (errno == EINTR || errno == ECONNABORTED)
                continue;
            return NULL;
        }
        atomic_fetch_add(&t->accepted, 1);
        pthread_mutex_lock(&t->lock);
        int slot = t->nconns < TINY_MAX_CONNS ? t->nconns++ : -1;
        struct conn_arg *ca = malloc(sizeof *ca);
        if (slot >= 0 && ca) {
            ca->t = t;
            ca->fd = fd;
            t->fds[slot] = fd;
            if (pthread_create(&t->threads[slot], NULL, conn_main, ca)) {
                t->nconns--;
                free(ca);
                close(fd);
            }
        } else {
            free(ca);
            close(fd);
        }
        pthread_mutex_unlock(&t->lock);
    }
}

struct tiny_httpd *tiny_start(void)
{
    struct tiny_httpd *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    pthread_mutex_init(&t->lock, NULL);
    t->lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_in a = {.sin_family = AF_INET,
                            .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t alen = sizeof a;
    if (t->lfd < 0 || bind(t->lfd, (struct sockaddr *)&a, sizeof a) ||
        listen(t->lfd, 512) ||
        getsockname(t->lfd, (struct sockaddr *)&a, &alen) ||
        pthread_create(&t->acceptor, NULL, accept_main, t)) {
        if (t->lfd >= 0)
            close(t->lfd);
        free(t);
        return NULL;
    }
    t->port = ntohs(a.sin_port);
    return t;
}

void tiny_stop(struct tiny_httpd *t)
{
    atomic_store(&t->stopping, 1);
    shutdown(t->lfd, SHUT_RDWR); /* wakes accept() */
    pthread_join(t->acceptor, NULL);
    close(t->lfd);
    pthread_mutex_lock(&t->lock);
    for (int i = 0; i < t->nconns; i++)
        shutdown(t->fds[i], SHUT_RDWR); /* wakes recv() */
    pthread_mutex_unlock(&t->lock);
    for (int i = 0; i < t->nconns; i++) {
        pthread_join(t->threads[i], NULL);
        close(t->fds[i]);
    }
    pthread_mutex_destroy(&t->lock);
    free(t);
}

unsigned tiny_port(const struct tiny_httpd *t)
{
    return t->port;
}

long tiny_accepted(const struct tiny_httpd *t)
{
    return atomic_load(&t->accepted);
}

long tiny_requests(const struct tiny_httpd *t)
{
    return atomic_load(&t->requests);
}
