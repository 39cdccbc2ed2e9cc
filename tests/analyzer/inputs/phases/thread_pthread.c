/*
 * A pthread started in child_init that periodically
 * refreshes a cached message: the refresh races with request-time reads.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"
#include <pthread.h>
#include <unistd.h>

static char motd[128] = "welcome";
static int refreshes;

static void *motd_refresher(void *arg)
{
    for (;;) {
        refreshes++; /* expect: global-race(refreshes) */
        apr_snprintf(motd, sizeof(motd), "refresh %d", refreshes); /* expect: global-race(motd), global-race(refreshes) */
        sleep(10);
    }
    return NULL;
}

static void motd_child_init(apr_pool_t *pchild, server_rec *s)
{
    pthread_t tid;

    if (pthread_create(&tid, NULL, motd_refresher, NULL) == 0)
        pthread_detach(tid);
}

static int motd_handler(request_rec *r)
{
    if (!r->handler || strcmp(r->handler, "motd") != 0)
        return DECLINED;
    ap_set_content_type(r, "text/plain");
    ap_rputs(motd, r); /* expect: global-race(motd) */
    return OK;
}

static void motd_register_hooks(apr_pool_t *p)
{
    ap_hook_child_init(motd_child_init, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_handler(motd_handler, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA motd_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    motd_register_hooks
};
