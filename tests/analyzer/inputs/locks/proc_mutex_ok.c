/*
 * Negative: an apr_proc_mutex (created at post_config, reopened in
 * child_init) guards the module's state. APR_LOCK_DEFAULT on Linux is a
 * mechanism that also excludes threads of one process (not fcntl/flock).
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"
#include "apr_proc_mutex.h"

static apr_proc_mutex_t *state_lock;
static const char *state_lock_file = "/tmp/mod_pm.lock";
static int in_maintenance; /* guarded by state_lock */

static int pm_post_config(apr_pool_t *pconf, apr_pool_t *plog,
                          apr_pool_t *ptemp, server_rec *s)
{
    return apr_proc_mutex_create(&state_lock, state_lock_file,
                                 APR_LOCK_DEFAULT, pconf) == APR_SUCCESS
               ? OK
               : HTTP_INTERNAL_SERVER_ERROR;
}

static void pm_child_init(apr_pool_t *pchild, server_rec *s)
{
    apr_proc_mutex_child_init(&state_lock, state_lock_file, pchild);
}

static int pm_access(request_rec *r)
{
    int maint;

    apr_proc_mutex_lock(state_lock);
    if (r->args && strcmp(r->args, "maint=on") == 0)
        in_maintenance = 1;
    maint = in_maintenance;
    apr_proc_mutex_unlock(state_lock);
    return maint ? HTTP_SERVICE_UNAVAILABLE : DECLINED;
}

static void pm_register_hooks(apr_pool_t *p)
{
    ap_hook_post_config(pm_post_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_child_init(pm_child_init, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_access_checker(pm_access, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA pm_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    pm_register_hooks
};
