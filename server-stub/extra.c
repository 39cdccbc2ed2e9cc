/*
 * extra.c - httpd API around the request that modules use less often:
 * a per-process
 * scoreboard (each worker thread updates only its own slot, as in httpd),
 * request helpers (context info, XML body limit,
 * signatures), CGI header scanning from strings, and listener/vhost odds.
 *
 * The scoreboard is allocated in each child before its threads start; the
 * mutex registry is written in the configuration phase.
 */
#include "stub.h"

#include "ap_listen.h"
#include "apr_strings.h"
#include "http_main.h"
#include "http_vhost.h"
#include "mod_unixd.h"
#include "scoreboard.h"
#include "util_mutex.h"
#include "util_script.h"

#include <string.h>
#include <unistd.h>

/* --- scoreboard (per process) ---------------------------------------------------- */

struct ap_sb_handle_t {
    int child_num;
    int thread_num;
};

static int sb_threads; /* child start, before workers */

void mc__scoreboard_child_init(apr_pool_t *pchild, int slot, int threads);
void mc__scoreboard_child_init(apr_pool_t *pchild, int slot, int threads)
{
    int procs = mc__stub.processes > slot ? mc__stub.processes : slot + 1;
    scoreboard *sb = apr_pcalloc(pchild, sizeof(*sb));
    sb->global = apr_pcalloc(pchild, sizeof(global_score));
    sb->global->server_limit = procs;
    sb->global->thread_limit = threads;
    sb->global->restart_time = apr_time_now();
    sb->parent = apr_pcalloc(pchild, sizeof(process_score) * (apr_size_t)procs);
    sb->servers =
        apr_pcalloc(pchild, sizeof(worker_score *) * (apr_size_t)procs);
    for (int i = 0; i < procs; ++i)
        sb->servers[i] =
            apr_pcalloc(pchild, sizeof(worker_score) * (apr_size_t)threads);
    sb->parent[slot].pid = getpid();
    for (int t = 0; t < threads; ++t) {
        sb->servers[slot][t].thread_num = slot * threads + t;
        sb->servers[slot][t].pid = getpid();
        sb->servers[slot][t].status = SERVER_READY;
    }
    sb_threads = threads;
    ap_scoreboard_image = sb;
}

AP_DECLARE(void)
ap_create_sb_handle(ap_sb_handle_t **new_sbh, apr_pool_t *p, int child_num,
                    int thread_num)
{
    *new_sbh = apr_palloc(p, sizeof(ap_sb_handle_t));
    (*new_sbh)->child_num = child_num;
    (*new_sbh)->thread_num = thread_num;
}

AP_DECLARE(int) ap_exists_scoreboard_image(void)
{
    mc_stub_perturb();
    return ap_scoreboard_image != NULL;
}

AP_DECLARE(worker_score *)
ap_get_scoreboard_worker_from_indexes(int child_num, int thread_num)
{
    mc_stub_perturb();
    if (!ap_scoreboard_image || child_num < 0 ||
        child_num >= ap_scoreboard_image->global->server_limit ||
        thread_num < 0 || thread_num >= sb_threads)
        return NULL;
    return &ap_scoreboard_image->servers[child_num][thread_num];
}

AP_DECLARE(worker_score *) ap_get_scoreboard_worker(ap_sb_handle_t *sbh)
{
    if (!sbh)
        return NULL;
    return ap_get_scoreboard_worker_from_indexes(sbh->child_num,
                                                 sbh->thread_num);
}

AP_DECLARE(void)
ap_copy_scoreboard_worker(worker_score *dest, int child_num, int thread_num)
{
    worker_score *ws =
        ap_get_scoreboard_worker_from_indexes(child_num, thread_num);
    if (ws)
        memcpy(dest, ws, sizeof(*ws));
    else
        memset(dest, 0, sizeof(*dest));
}

AP_DECLARE(process_score *) ap_get_scoreboard_process(int x)
{
    mc_stub_perturb();
    if (!ap_scoreboard_image || x < 0 ||
        x >= ap_scoreboard_image->global->server_limit)
        return NULL;
    return &ap_scoreboard_image->parent[x];
}

AP_DECLARE(global_score *) ap_get_scoreboard_global(void)
{
    mc_stub_perturb();
    return ap_scoreboard_image ? ap_scoreboard_image->global : NULL;
}

AP_DECLARE(int)
ap_update_child_status(ap_sb_handle_t *sbh, int status, request_rec *r)
{
    worker_score *ws = ap_get_scoreboard_worker(sbh);
    int old;
    if (!ws)
        return -1;
    old = ws->status;
    ws->status = (unsigned char)status;
    ws->last_used = apr_time_now();
    if (r && r->the_request)
        apr_cpystrn(ws->request, r->the_request, sizeof(ws->request));
    if (r && r->useragent_ip)
        apr_cpystrn(ws->client64, r->useragent_ip, sizeof(ws->client64));
    return old;
}

AP_DECLARE(int)
ap_update_child_status_from_conn(ap_sb_handle_t *sbh, int status, conn_rec *c)
{
    worker_score *ws = ap_get_scoreboard_worker(sbh);
    int old = ap_update_child_status(sbh, status, NULL);
    if (ws && c && c->client_ip)
        apr_cpystrn(ws->client64, c->client_ip, sizeof(ws->client64));
    return old;
}

AP_DECLARE(int)
ap_update_child_status_from_indexes(int child_num, int thread_num, int status,
                                    request_rec *r)
{
    ap_sb_handle_t h = {child_num, thread_num};
    return ap_update_child_status(&h, status, r);
}

AP_DECLARE(int)
ap_update_child_status_descr(ap_sb_handle_t *sbh, int status, const char *descr)
{
    worker_score *ws = ap_get_scoreboard_worker(sbh);
    int old = ap_update_child_status(sbh, status, NULL);
    if (ws && descr)
        apr_cpystrn(ws->request, descr, sizeof(ws->request));
    return old;
}

AP_DECLARE(void) ap_increment_counts(ap_sb_handle_t *sbh, request_rec *r)
{
    worker_score *ws = ap_get_scoreboard_worker(sbh);
    if (!ws)
        return;
    ws->access_count++;
    ws->my_access_count++;
    ws->bytes_served += r->bytes_sent;
    ws->my_bytes_served += r->bytes_sent;
}

AP_DECLARE(void) ap_time_process_request(ap_sb_handle_t *sbh, int status)
{
    worker_score *ws = ap_get_scoreboard_worker(sbh);
    if (!ws)
        return;
    if (status == START_PREQUEST)
        ws->start_time = ws->last_used = apr_time_now();
    else if (status == STOP_PREQUEST)
        ws->stop_time = ws->last_used = apr_time_now();
}

/* --- request helpers -------------------------------------------------------- */

AP_DECLARE(apr_size_t) ap_get_limit_xml_body(const request_rec *r)
{
    const struct mc_core_dir *d = ap_get_core_module_config(r->per_dir_config);
    mc_stub_perturb();
    if (d->core.limit_xml_body <= 0)
        return 1000000; /* httpd's AP_DEFAULT_LIMIT_XML_BODY */
    return (apr_size_t)d->core.limit_xml_body;
}

AP_DECLARE(void)
ap_set_context_info(request_rec *r, const char *prefix,
                    const char *document_root)
{
    core_request_config *rc = ap_get_core_module_config(r->request_config);
    mc_stub_perturb();
    if (prefix)
        rc->context_prefix = prefix;
    if (document_root)
        rc->context_document_root = document_root;
}

AP_DECLARE(void) ap_set_document_root(request_rec *r, const char *document_root)
{
    core_request_config *rc = ap_get_core_module_config(r->request_config);
    mc_stub_perturb();
    rc->document_root = document_root;
}

AP_DECLARE(const char *) ap_psignature(const char *prefix, request_rec *r)
{
    (void)prefix;
    (void)r;
    mc_stub_perturb();
    return ""; /* ServerSignature Off, httpd's default */
}

/* --- CGI headers from strings ----------------------------------------------- */

struct strs_src {
    const char **strs;
    int n, i;
    apr_size_t off;
};

static int getsfunc_strs(char *buf, int len, void *arg)
{
    struct strs_src *s = arg;
    int o = 0;
    while (s->i < s->n && o < len - 1) {
        const char *p = s->strs[s->i] + s->off;
        if (!*p) {
            s->i++;
            s->off = 0;
            continue;
        }
        if (*p == '\n') {
            s->off++;
            buf[o] = '\0';
            return 1;
        }
        if (*p != '\r')
            buf[o++] = *p;
        s->off++;
    }
    buf[o] = '\0';
    return o > 0;
}

AP_DECLARE_NONSTD(int)
ap_scan_script_header_err_strs(request_rec *r, char *buffer,
                               const char **termch, int *termarg, ...)
{
    struct strs_src src;
    const char *strs[32];
    va_list ap;
    int rv;
    src.n = 0;
    va_start(ap, termarg);
    while (src.n < 32 && (strs[src.n] = va_arg(ap, const char *)) != NULL)
        src.n++;
    va_end(ap);
    src.strs = strs;
    src.i = 0;
    src.off = 0;
    rv = ap_scan_script_header_err_core(r, buffer, getsfunc_strs, &src);
    if (termch)
        *termch = src.i < src.n ? src.strs[src.i] + src.off : NULL;
    if (termarg)
        *termarg = src.i;
    return rv;
}

/* --- listeners, vhosts, unixd ------------------------------------------------- */

AP_DECLARE_NONSTD(void) ap_close_listeners(void)
{
    mc_stub_perturb();
    for (int i = 0; mc__stub.listeners && i < mc__stub.listeners->nelts; ++i) {
        struct mc_listener *l =
            &APR_ARRAY_IDX(mc__stub.listeners, i, struct mc_listener);
        if (l->sock)
            apr_socket_close(l->sock);
        l->sock = NULL;
    }
}

AP_DECLARE(void) ap_lingering_close(conn_rec *c)
{
    apr_socket_t *s = ap_get_conn_socket(c);
    char buf[512];
    mc_stub_perturb();
    if (!s)
        return;
    ap_flush_conn(c);
    apr_socket_shutdown(s, APR_SHUTDOWN_WRITE);
    apr_socket_timeout_set(s, apr_time_from_msec(100));
    for (int i = 0; i < 8; ++i) {
        apr_size_t n = sizeof(buf);
        if (apr_socket_recv(s, buf, &n) != APR_SUCCESS || n == 0)
            break;
    }
    c->aborted = 1;
}

AP_CORE_DECLARE(void) ap_flush_conn(conn_rec *c)
{
    apr_bucket_brigade *bb = apr_brigade_create(c->pool, c->bucket_alloc);
    apr_bucket *b = apr_bucket_flush_create(c->bucket_alloc);
    APR_BRIGADE_INSERT_TAIL(bb, b);
    ap_pass_brigade(c->output_filters, bb);
    apr_brigade_destroy(bb);
}

AP_DECLARE(void) ap_update_vhost_given_ip(conn_rec *conn)
{
    mc_stub_perturb();
    conn->base_server = mc__stub.server; /* one server, no vhosts */
}

AP_DECLARE(int) ap_unixd_setup_child(void)
{
    mc_stub_perturb();
    return 0; /* the stub never changes user or group */
}
