/*
 * subreq.c - sub-requests (ap_sub_req_lookup_uri/_file, ap_sub_req_method_uri,
 * ap_run_sub_req, ap_destroy_sub_req). A sub-request has its own pool (a
 * child of the parent request's), runs the request phases up to fixups when
 * looked up, and its output, if run, goes through SUBREQ_CORE into the
 * parent's filter chain without the EOS. Same thread as the parent.
 */
#include "stub.h"

#include "apr_strings.h"
#include "util_filter.h"

#include <string.h>

static apr_status_t subreq_core_filter(ap_filter_t *f, apr_bucket_brigade *bb)
{
    apr_bucket *e = APR_BRIGADE_LAST(bb);
    if (e != APR_BRIGADE_SENTINEL(bb) && APR_BUCKET_IS_EOS(e))
        apr_bucket_delete(e);
    if (!APR_BRIGADE_EMPTY(bb))
        return ap_pass_brigade(f->next, bb);
    return APR_SUCCESS;
}

void mc__subreq_init(void);
void mc__subreq_init(void)
{
    ap_subreq_core_filter_handle = ap_register_output_filter(
        "SUBREQ_CORE", subreq_core_filter, NULL, AP_FTYPE_CONTENT_SET);
}

static int recursion_exceeded(const request_rec *r)
{
    int n = 0;
    for (const request_rec *t = r; t; t = t->main)
        ++n;
    return n > mc__core_server(r->server)->core.subreq_limit;
}

static request_rec *make_sub_request(const request_rec *r,
                                     ap_filter_t *next_filter)
{
    apr_pool_t *rrp;
    request_rec *rnew;
    apr_pool_create(&rrp, r->pool);
    apr_pool_tag(rrp, "subrequest");
    rnew = apr_pcalloc(rrp, sizeof(*rnew));
    rnew->pool = rrp;
    rnew->hostname = r->hostname;
    rnew->request_time = r->request_time;
    rnew->connection = r->connection;
    rnew->server = r->server;
    rnew->log = r->log;
    rnew->request_config = ap_create_request_config(rnew->pool);
    rnew->per_dir_config = r->server->lookup_defaults;
    rnew->htaccess = r->htaccess;
    rnew->allowed_methods = ap_make_method_list(rnew->pool, 2);
    rnew->headers_in = apr_table_copy(rnew->pool, r->headers_in);
    rnew->trailers_in = apr_table_copy(rnew->pool, r->trailers_in);
    rnew->err_headers_out = apr_table_make(rnew->pool, 5);
    rnew->headers_out = apr_table_make(rnew->pool, 5);
    rnew->trailers_out = apr_table_make(rnew->pool, 5);
    rnew->notes = apr_table_make(rnew->pool, 5);
    rnew->subprocess_env = apr_table_copy(rnew->pool, r->subprocess_env);
    rnew->useragent_addr = r->useragent_addr;
    rnew->useragent_ip = r->useragent_ip;
    rnew->main = (request_rec *)r;
    rnew->proto_output_filters = r->proto_output_filters;
    rnew->output_filters = next_filter ? next_filter : r->proto_output_filters;
    ap_add_output_filter_handle(ap_subreq_core_filter_handle, NULL, rnew,
                                rnew->connection);
    rnew->input_filters = r->input_filters;
    rnew->proto_input_filters = r->proto_input_filters;
    rnew->the_request = r->the_request;
    rnew->protocol = r->protocol;
    rnew->proto_num = r->proto_num;
    rnew->status = HTTP_OK;
    rnew->assbackwards = 1; /* no headers of its own */
    rnew->used_path_info = AP_REQ_DEFAULT_PATH_INFO;
    rnew->user = r->user;
    rnew->ap_auth_type = r->ap_auth_type;
    ap_run_create_request(rnew);
    return rnew;
}

AP_DECLARE(request_rec *)
ap_sub_req_method_uri(const char *method, const char *new_uri,
                      const request_rec *r, ap_filter_t *next_filter)
{
    request_rec *rnew;
    int res;
    mc_stub_perturb();
    rnew = make_sub_request(r, next_filter);
    rnew->method = method;
    rnew->method_number = ap_method_number_of(method);
    if (new_uri[0] == '/') {
        ap_parse_uri(rnew, new_uri);
    } else {
        char *udir = ap_make_dirstr_parent(rnew->pool, r->uri);
        ap_parse_uri(rnew, ap_make_full_path(rnew->pool, udir, new_uri));
    }
    if (recursion_exceeded(r)) {
        rnew->status = HTTP_INTERNAL_SERVER_ERROR;
        return rnew;
    }
    res = ap_run_quick_handler(rnew, 1);
    if (res != OK) {
        res = ap_process_request_internal(rnew);
        if (res)
            rnew->status = res;
    }
    return rnew;
}

AP_DECLARE(request_rec *)
ap_sub_req_lookup_uri(const char *new_uri, const request_rec *r,
                      ap_filter_t *next_filter)
{
    return ap_sub_req_method_uri("GET", new_uri, r, next_filter);
}

AP_DECLARE(request_rec *)
ap_sub_req_lookup_file(const char *new_file, const request_rec *r,
                       ap_filter_t *next_filter)
{
    request_rec *rnew;
    int res;
    mc_stub_perturb();
    rnew = make_sub_request(r, next_filter);
    rnew->method = "GET";
    rnew->method_number = M_GET;
    rnew->uri = "INTERNALLY GENERATED file-relative req";
    rnew->filename = new_file[0] == '/'
                         ? apr_pstrdup(rnew->pool, new_file)
                         : ap_make_full_path(
                               rnew->pool,
                               ap_make_dirstr_parent(
                                   rnew->pool, r->filename ? r->filename : "/"),
                               new_file);
    if (recursion_exceeded(r)) {
        rnew->status = HTTP_INTERNAL_SERVER_ERROR;
        return rnew;
    }
    res = ap_directory_walk(rnew);
    if (res == OK)
        res = ap_run_type_checker(rnew);
    if (res == OK || res == DECLINED)
        res = ap_run_fixups(rnew);
    if (res != OK && res != DECLINED)
        rnew->status = res;
    return rnew;
}

AP_DECLARE(request_rec *)
ap_sub_req_lookup_dirent(const apr_finfo_t *finfo, const request_rec *r,
                         int subtype, ap_filter_t *next_filter)
{
    (void)subtype;
    return ap_sub_req_lookup_file(
        ap_make_full_path(
            r->pool,
            r->filename ? ap_make_dirstr_parent(r->pool, r->filename) : "/",
            finfo->name),
        r, next_filter);
}

AP_DECLARE(void) ap_finalize_sub_req_protocol(request_rec *sub)
{
    apr_bucket_brigade *bb;
    mc_stub_perturb();
    bb = apr_brigade_create(sub->pool, sub->connection->bucket_alloc);
    APR_BRIGADE_INSERT_TAIL(
        bb, apr_bucket_eos_create(sub->connection->bucket_alloc));
    ap_pass_brigade(sub->output_filters, bb);
}

AP_DECLARE(int) ap_run_sub_req(request_rec *r)
{
    int retval = DECLINED;
    mc_stub_perturb();
    /* like httpd: a failed lookup is the caller's business (rr->status);
     * running it anyway invokes the handler it got so far */
    if (!(r->filename && r->finfo.filetype != APR_NOFILE))
        retval = ap_run_quick_handler(r, 0);
    if (retval != OK)
        retval = ap_invoke_handler(r);
    if (retval == DONE)
        retval = OK;
    ap_finalize_sub_req_protocol(r);
    return retval;
}

AP_DECLARE(void) ap_destroy_sub_req(request_rec *r)
{
    mc_stub_perturb();
    apr_pool_destroy(r->pool);
}

AP_DECLARE(int) ap_some_authn_required(request_rec *r)
{
    return ap_some_auth_required(r);
}
