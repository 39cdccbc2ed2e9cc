/*
 * Process-wide state changed at request time: the working directory, the
 * root, the file creation mask and the credentials belong to the whole
 * process, so one request's chdir/setuid moves every other thread serving
 * a request. A lock around the call does not help (the other threads do
 * not take it before resolving a relative path). The same calls at
 * child_init (one thread, before any request) are fine.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "apr_thread_mutex.h"

#include <grp.h>
#include <sys/stat.h>
#include <unistd.h>

module AP_MODULE_DECLARE_DATA ps_module;

static apr_thread_mutex_t *ps_lock;

static void ps_child_init(apr_pool_t *p, server_rec *s)
{
    apr_thread_mutex_create(&ps_lock, APR_THREAD_MUTEX_DEFAULT, p);
    if (chdir("/") != 0)
        return;
    umask(022);
    if (setgid(65534) != 0 || setuid(65534) != 0)
        return;
}

static int ps_fixups(request_rec *r)
{
    gid_t none[1] = {65534};
    if (!r->filename)
        return DECLINED;
    if (chdir(ap_make_dirstr_parent(r->pool, r->filename)) != 0) /* expect: mt-unsafe-call(chdir) */
        return DECLINED;
    apr_thread_mutex_lock(ps_lock);
    umask(077); /* expect: mt-unsafe-call(umask) */
    apr_thread_mutex_unlock(ps_lock);
    setgroups(1, none); /* expect: mt-unsafe-call(setgroups) */
    if (seteuid(r->finfo.user) != 0) /* expect: mt-unsafe-call(seteuid) */
        return HTTP_FORBIDDEN;
    return DECLINED;
}

static void ps_register_hooks(apr_pool_t *p)
{
    ap_hook_child_init(ps_child_init, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_fixups(ps_fixups, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA ps_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    ps_register_hooks
};
