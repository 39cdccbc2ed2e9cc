/*
 * A request handler that runs a helper program resets SIGCHLD around the
 * wait and restores it afterwards. The disposition belongs to the whole
 * process: while one request has it at SIG_DFL, another thread's wait or
 * another module's handler sees the wrong one. Installing the handler at
 * child_init (before any request thread) is fine.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "apr_signal.h"
#include "apr_thread_proc.h"

#include <signal.h>

module AP_MODULE_DECLARE_DATA sd_module;

static void sd_on_usr2(int sig)
{
    (void)sig;
}

static void sd_child_init(apr_pool_t *p, server_rec *s)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = sd_on_usr2;
    sigaction(SIGUSR2, &sa, NULL);
    apr_signal(SIGPIPE, SIG_IGN);
}

static int sd_run(request_rec *r, const char *prog)
{
    apr_procattr_t *attr;
    apr_proc_t proc;
    apr_exit_why_e why;
    int status = -1;
    const char *argv[] = {prog, NULL};
    sigset_t block, old;
    apr_sigfunc_t *saved = apr_signal(SIGCHLD, SIG_DFL); /* expect: mt-unsafe-call(apr_signal) */
    sigemptyset(&block);
    sigaddset(&block, SIGUSR2);
    sigprocmask(SIG_BLOCK, &block, &old); /* expect: mt-unsafe-call(sigprocmask) */
    if (apr_procattr_create(&attr, r->pool) == APR_SUCCESS &&
        apr_proc_create(&proc, prog, argv, NULL, attr, r->pool) ==
            APR_SUCCESS)
        apr_proc_wait(&proc, &status, &why, APR_WAIT);
    sigprocmask(SIG_SETMASK, &old, NULL); /* expect: mt-unsafe-call(sigprocmask) */
    signal(SIGCHLD, saved); /* expect: mt-unsafe-call(signal) */
    return status;
}

static int sd_handler(request_rec *r)
{
    if (strcmp(r->handler, "sd-run"))
        return DECLINED;
    return sd_run(r, "/bin/true") == 0 ? OK : HTTP_INTERNAL_SERVER_ERROR;
}

static void sd_register_hooks(apr_pool_t *p)
{
    ap_hook_child_init(sd_child_init, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_handler(sd_handler, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA sd_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    sd_register_hooks
};
