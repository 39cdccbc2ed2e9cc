/*
 * A module thread (apr_thread_create) runs concurrently with request
 * threads: localtime and strtok there are MT-unsafe calls.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"
#include "apr_thread_proc.h"
#include <time.h>

static void *APR_THREAD_FUNC rotator(apr_thread_t *thd, void *data)
{
    char name[32] = "a,b";
    time_t now = time(NULL);
    struct tm *tm = localtime(&now); /* expect: mt-unsafe-call(localtime) */

    if (tm && tm->tm_hour == 0 && strtok(name, ",")) /* expect: mt-unsafe-call(strtok) */
        apr_sleep(apr_time_from_sec(1));
    return NULL;
}

static void rot_child_init(apr_pool_t *pchild, server_rec *s)
{
    apr_thread_t *t;
    apr_thread_create(&t, NULL, rotator, NULL, pchild);
}

static void rot_register_hooks(apr_pool_t *p)
{
    ap_hook_child_init(rot_child_init, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA rot_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    rot_register_hooks
};
