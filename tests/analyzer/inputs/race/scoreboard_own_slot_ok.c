/*
 * A connection hook records the client in its own scoreboard slot (found
 * through c->sbh) and counts the other workers busy with the same client.
 * The scoreboard is httpd's shared-by-design state: each thread writes
 * only its own slot and readers accept stale values (httpd itself takes
 * no lock), so neither access is a race of the module.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_connection.h"
#include "ap_mpm.h"
#include "apr_strings.h"
#include "scoreboard.h"

module AP_MODULE_DECLARE_DATA so_module;

struct so_handle {
    int child_num;
    int thread_num;
};

static int so_daemons, so_threads;

static int so_post_config(apr_pool_t *p, apr_pool_t *plog, apr_pool_t *ptemp,
                          server_rec *s)
{
    ap_mpm_query(AP_MPMQ_HARD_LIMIT_DAEMONS, &so_daemons);
    ap_mpm_query(AP_MPMQ_HARD_LIMIT_THREADS, &so_threads);
    return OK;
}

static int so_process_connection(conn_rec *c)
{
    struct so_handle *h = c->sbh;
    worker_score *mine = &ap_scoreboard_image->servers[h->child_num][h->thread_num];
    int same = 0;
    apr_cpystrn(mine->client, c->client_ip, sizeof(mine->client));
    for (int i = 0; i < so_daemons; i++) {
        for (int j = 0; j < so_threads; j++) {
            worker_score *ws = ap_get_scoreboard_worker_from_indexes(i, j);
            if (ws->status == SERVER_BUSY_READ &&
                !strcmp(ws->client, c->client_ip))
                same++;
        }
    }
    return same > 8 ? OK : DECLINED;
}

static void so_register_hooks(apr_pool_t *p)
{
    ap_hook_post_config(so_post_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_process_connection(so_process_connection, NULL, NULL,
                               APR_HOOK_FIRST);
}

module AP_MODULE_DECLARE_DATA so_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    so_register_hooks
};
