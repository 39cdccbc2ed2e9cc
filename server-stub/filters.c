/*
 * filters.c - httpd's filter chains: the registry of named input and output
 * filters, insertion by filter type (resource < content set < protocol <
 * transcode < connection < network) into r->output_filters /
 * r->proto_output_filters / c->output_filters (and the input equivalents),
 * ap_pass_brigade / ap_get_brigade, and the core filters at the ends of the
 * chains: CORE (writes to the socket) and CORE_IN (reads from it).
 *
 * The registry is written in the configuration phase (modules register
 * filters from register_hooks) and only read at request time. Filter
 * instances live in request or connection pools and belong to the thread
 * serving that connection.
 */
#include "stub.h"
#include "stub_conn.h"

#include "apr_hash.h"
#include "apr_lib.h"
#include "apr_strings.h"
#include "util_filter.h"

#include <string.h>

static apr_hash_t *output_registry; /* config phase */
static apr_hash_t *input_registry;  /* config phase */
static apr_pool_t *registry_pool;   /* config phase */

AP_DECLARE_DATA ap_filter_rec_t *ap_core_output_filter_handle = NULL;
AP_DECLARE_DATA ap_filter_rec_t *ap_core_input_filter_handle = NULL;
AP_DECLARE_DATA ap_filter_rec_t *ap_subreq_core_filter_handle = NULL;
AP_DECLARE_DATA ap_filter_rec_t *ap_content_length_filter_handle = NULL;

void mc__filters_registry_init(apr_pool_t *p);
void mc__filters_registry_init(apr_pool_t *p)
{
    registry_pool = p;
    output_registry = apr_hash_make(p);
    input_registry = apr_hash_make(p);
}

static const char *lower_name(apr_pool_t *p, const char *name)
{
    char *n = apr_pstrdup(p, name);
    ap_str_tolower(n);
    return n;
}

static ap_filter_rec_t *register_filter(apr_hash_t *reg, const char *name,
                                        ap_filter_func func,
                                        ap_init_filter_func init,
                                        ap_filter_type ftype)
{
    const char *key = lower_name(registry_pool, name);
    ap_filter_rec_t *frec = apr_hash_get(reg, key, APR_HASH_KEY_STRING);
    if (!frec) {
        frec = apr_pcalloc(registry_pool, sizeof(*frec));
        frec->name = key;
        apr_hash_set(reg, key, APR_HASH_KEY_STRING, frec);
    }
    frec->filter_func = func;
    frec->filter_init_func = init;
    frec->ftype = ftype;
    return frec;
}

AP_DECLARE(ap_filter_rec_t *)
ap_register_input_filter(const char *name, ap_in_filter_func filter_func,
                         ap_init_filter_func filter_init, ap_filter_type ftype)
{
    ap_filter_func f;
    mc_stub_perturb();
    f.in_func = filter_func;
    return register_filter(input_registry, name, f, filter_init, ftype);
}

AP_DECLARE(ap_filter_rec_t *)
ap_register_output_filter_protocol(const char *name,
                                   ap_out_filter_func filter_func,
                                   ap_init_filter_func filter_init,
                                   ap_filter_type ftype,
                                   unsigned int proto_flags)
{
    ap_filter_func f;
    ap_filter_rec_t *r;
    mc_stub_perturb();
    f.out_func = filter_func;
    r = register_filter(output_registry, name, f, filter_init, ftype);
    r->proto_flags = proto_flags;
    return r;
}

AP_DECLARE(ap_filter_rec_t *)
ap_register_output_filter(const char *name, ap_out_filter_func filter_func,
                          ap_init_filter_func filter_init, ap_filter_type ftype)
{
    return ap_register_output_filter_protocol(name, filter_func, filter_init,
                                              ftype, 0);
}

static ap_filter_rec_t *find_frec(apr_hash_t *reg, const char *name)
{
    char key[128];
    apr_size_t n = strlen(name);
    if (n >= sizeof(key))
        return NULL;
    for (apr_size_t i = 0; i <= n; ++i)
        key[i] = (char)apr_tolower(name[i]);
    return apr_hash_get(reg, key, (apr_ssize_t)n);
}

AP_DECLARE(ap_filter_rec_t *) ap_get_output_filter_handle(const char *name)
{
    mc_stub_perturb();
    return find_frec(output_registry, name);
}

AP_DECLARE(ap_filter_rec_t *) ap_get_input_filter_handle(const char *name)
{
    mc_stub_perturb();
    return find_frec(input_registry, name);
}

/* httpd's insertion rule: before the first filter of a higher type, or of
 * another request (a sub-request's filters sit before its parent's). */
static int insert_before(const ap_filter_t *f, const ap_filter_t *before)
{
    return before == NULL || before->frec->ftype > f->frec->ftype ||
           before->r != f->r;
}

/* The three heads (request, protocol, connection) index one singly linked
 * list; an empty segment's head equals the next segment's head. */
static void link_filter(ap_filter_t *f, ap_filter_t **heads[3], int seg)
{
    ap_filter_t *old = *heads[seg];
    if (insert_before(f, old)) {
        ap_filter_t *start = NULL;
        for (int i = 0; i < seg && !start; ++i)
            if (heads[i])
                start = *heads[i];
        if (start && start != old) {
            ap_filter_t *pred = start;
            while (pred && pred->next != old)
                pred = pred->next;
            if (pred)
                pred->next = f;
        }
        f->next = old;
        for (int i = 0; i <= seg; ++i)
            if (heads[i] && *heads[i] == old)
                *heads[i] = f;
    } else {
        ap_filter_t *fscan = old;
        while (!insert_before(f, fscan->next))
            fscan = fscan->next;
        f->next = fscan->next;
        fscan->next = f;
    }
}

static ap_filter_t *add_any_filter(ap_filter_rec_t *frec, void *ctx,
                                   request_rec *r, conn_rec *c,
                                   ap_filter_t **r_filters,
                                   ap_filter_t **p_filters,
                                   ap_filter_t **c_filters)
{
    ap_filter_t **heads[3] = {r_filters, p_filters, c_filters};
    int seg = frec->ftype < AP_FTYPE_PROTOCOL     ? 0
              : frec->ftype < AP_FTYPE_CONNECTION ? 1
                                                  : 2;
    ap_filter_t *f;
    if (seg < 2 && !r)
        return NULL;
    f = apr_palloc(seg < 2 ? r->pool : c->pool, sizeof(*f));
    f->frec = frec;
    f->ctx = ctx;
    f->r = seg < 2 ? r : NULL;
    f->c = c;
    f->next = NULL;
    link_filter(f, heads, seg);
    return f;
}

AP_DECLARE(ap_filter_t *)
ap_add_output_filter_handle(ap_filter_rec_t *f, void *ctx, request_rec *r,
                            conn_rec *c)
{
    mc_stub_perturb();
    if (!f)
        return NULL;
    return add_any_filter(f, ctx, r, c, r ? &r->output_filters : NULL,
                          r ? &r->proto_output_filters : NULL,
                          &c->output_filters);
}

AP_DECLARE(ap_filter_t *)
ap_add_input_filter_handle(ap_filter_rec_t *f, void *ctx, request_rec *r,
                           conn_rec *c)
{
    mc_stub_perturb();
    if (!f)
        return NULL;
    return add_any_filter(f, ctx, r, c, r ? &r->input_filters : NULL,
                          r ? &r->proto_input_filters : NULL,
                          &c->input_filters);
}

AP_DECLARE(ap_filter_t *)
ap_add_output_filter(const char *name, void *ctx, request_rec *r, conn_rec *c)
{
    ap_filter_rec_t *frec = find_frec(output_registry, name);
    mc_stub_perturb();
    if (!frec) {
        ap_log_cerror(APLOG_MARK, APLOG_ERR, 0, c,
                      "no filter %s is registered; not added", name);
        return NULL;
    }
    return add_any_filter(frec, ctx, r, c, r ? &r->output_filters : NULL,
                          r ? &r->proto_output_filters : NULL,
                          &c->output_filters);
}

AP_DECLARE(ap_filter_t *)
ap_add_input_filter(const char *name, void *ctx, request_rec *r, conn_rec *c)
{
    ap_filter_rec_t *frec = find_frec(input_registry, name);
    mc_stub_perturb();
    if (!frec) {
        ap_log_cerror(APLOG_MARK, APLOG_ERR, 0, c,
                      "no filter %s is registered; not added", name);
        return NULL;
    }
    return add_any_filter(frec, ctx, r, c, r ? &r->input_filters : NULL,
                          r ? &r->proto_input_filters : NULL,
                          &c->input_filters);
}

static void remove_any_filter(ap_filter_t *f, ap_filter_t **r_filt,
                              ap_filter_t **p_filt, ap_filter_t **c_filt)
{
    ap_filter_t **heads[3] = {r_filt, p_filt, c_filt};
    ap_filter_t *start = NULL;
    for (int i = 0; i < 3 && !start; ++i)
        if (heads[i])
            start = *heads[i];
    if (start && start != f) {
        ap_filter_t *pred = start;
        while (pred && pred->next != f)
            pred = pred->next;
        if (pred)
            pred->next = f->next;
    }
    for (int i = 0; i < 3; ++i)
        if (heads[i] && *heads[i] == f)
            *heads[i] = f->next;
}

AP_DECLARE(void) ap_remove_output_filter(ap_filter_t *f)
{
    mc_stub_perturb();
    remove_any_filter(f, f->r ? &f->r->output_filters : NULL,
                      f->r ? &f->r->proto_output_filters : NULL,
                      &f->c->output_filters);
}

AP_DECLARE(void) ap_remove_input_filter(ap_filter_t *f)
{
    mc_stub_perturb();
    remove_any_filter(f, f->r ? &f->r->input_filters : NULL,
                      f->r ? &f->r->proto_input_filters : NULL,
                      &f->c->input_filters);
}

static apr_status_t remove_byhandle(ap_filter_t *next, const char *handle,
                                    int output)
{
    ap_filter_rec_t *frec =
        find_frec(output ? output_registry : input_registry, handle);
    for (ap_filter_t *f = next; f; f = f->next)
        if (f->frec == frec) {
            if (output)
                ap_remove_output_filter(f);
            else
                ap_remove_input_filter(f);
            return APR_SUCCESS;
        }
    return APR_NOTFOUND;
}

AP_DECLARE(apr_status_t)
ap_remove_output_filter_byhandle(ap_filter_t *next, const char *handle)
{
    mc_stub_perturb();
    return remove_byhandle(next, handle, 1);
}

AP_DECLARE(apr_status_t)
ap_remove_input_filter_byhandle(ap_filter_t *next, const char *handle)
{
    mc_stub_perturb();
    return remove_byhandle(next, handle, 0);
}

AP_DECLARE(apr_status_t)
ap_get_brigade(ap_filter_t *next, apr_bucket_brigade *bb, ap_input_mode_t mode,
               apr_read_type_e block, apr_off_t readbytes)
{
    mc_stub_perturb();
    if (next)
        return next->frec->filter_func.in_func(next, bb, mode, block,
                                               readbytes);
    return AP_NOBODY_READ;
}

AP_DECLARE(apr_status_t)
ap_pass_brigade(ap_filter_t *next, apr_bucket_brigade *bb)
{
    mc_stub_perturb();
    if (next) {
        apr_bucket *e = APR_BRIGADE_LAST(bb);
        if (e != APR_BRIGADE_SENTINEL(bb) && APR_BUCKET_IS_EOS(e) && next->r) {
            /* the request's response is complete: note it like httpd */
            request_rec *r = next->r;
            while (r) {
                r->eos_sent = 1;
                r = r->prev;
            }
        }
        return next->frec->filter_func.out_func(next, bb);
    }
    return AP_NOBODY_WROTE;
}

AP_DECLARE(apr_status_t)
ap_pass_brigade_fchk(request_rec *r, apr_bucket_brigade *bb, const char *fmt,
                     ...)
{
    apr_status_t rv = ap_pass_brigade(r->output_filters, bb);
    if (rv != APR_SUCCESS) {
        if (rv != AP_FILTER_ERROR) {
            if (fmt) {
                va_list ap;
                const char *msg;
                va_start(ap, fmt);
                msg = apr_pvsprintf(r->pool, fmt, ap);
                va_end(ap);
                ap_log_rerror(APLOG_MARK, APLOG_DEBUG, rv, r, "%s", msg);
            }
            return HTTP_INTERNAL_SERVER_ERROR;
        }
        return AP_FILTER_ERROR;
    }
    return OK;
}

AP_DECLARE(apr_status_t)
ap_save_brigade(ap_filter_t *f, apr_bucket_brigade **saveto,
                apr_bucket_brigade **b, apr_pool_t *p)
{
    apr_status_t rv, srv = APR_SUCCESS;
    mc_stub_perturb();
    if (!*saveto)
        *saveto = apr_brigade_create(p, f->c->bucket_alloc);
    for (apr_bucket *e = APR_BRIGADE_FIRST(*b); e != APR_BRIGADE_SENTINEL(*b);
         e = APR_BUCKET_NEXT(e)) {
        rv = apr_bucket_setaside(e, p);
        if (rv != APR_SUCCESS && rv != APR_ENOTIMPL)
            srv = rv;
    }
    APR_BRIGADE_CONCAT(*saveto, *b);
    return srv;
}

AP_DECLARE_NONSTD(apr_status_t)
ap_filter_flush(apr_bucket_brigade *bb, void *ctx)
{
    ap_filter_t *f = ctx;
    apr_status_t rv = ap_pass_brigade(f, bb);
    apr_brigade_cleanup(bb);
    return rv;
}

AP_DECLARE(apr_status_t) ap_fflush(ap_filter_t *f, apr_bucket_brigade *bb)
{
    apr_bucket *b = apr_bucket_flush_create(f->c->bucket_alloc);
    APR_BRIGADE_INSERT_TAIL(bb, b);
    return ap_pass_brigade(f, bb);
}

AP_DECLARE_NONSTD(apr_status_t)
ap_fputstrs(ap_filter_t *f, apr_bucket_brigade *bb, ...)
{
    va_list args;
    apr_status_t rv;
    va_start(args, bb);
    rv = apr_brigade_vputstrs(bb, ap_filter_flush, f, args);
    va_end(args);
    return rv;
}

AP_DECLARE_NONSTD(apr_status_t)
ap_fprintf(ap_filter_t *f, apr_bucket_brigade *bb, const char *fmt, ...)
{
    va_list args;
    apr_status_t rv;
    va_start(args, fmt);
    rv = apr_brigade_vprintf(bb, ap_filter_flush, f, fmt, args);
    va_end(args);
    return rv;
}

AP_DECLARE(void) ap_filter_protocol(ap_filter_t *f, unsigned int flags)
{
    mc_stub_perturb();
    f->frec->proto_flags = flags;
}

/* --- CORE: write to the socket --------------------------------------------- */

static apr_status_t send_iov(conn_rec *c, apr_socket_t *s, struct iovec *v,
                             int n)
{
    while (n > 0) {
        apr_size_t sent = 0;
        apr_status_t rv = apr_socket_sendv(s, v, n, &sent);
        if (rv != APR_SUCCESS) {
            c->aborted = 1;
            return rv;
        }
        while (n > 0 && sent >= v->iov_len) {
            sent -= v->iov_len;
            ++v;
            --n;
        }
        if (n > 0) {
            v->iov_base = (char *)v->iov_base + sent;
            v->iov_len -= sent;
        }
    }
    return APR_SUCCESS;
}

#define MC_MAX_IOV 64

/* What CORE holds back, as httpd's core output filter does: small pieces of
 * output wait for a FLUSH bucket (sent at the end of every request whose
 * successor has not arrived yet, by ap_rflush, at connection close), for
 * MC_MIN_WRITE bytes, or for MC_MAX_PIPELINED ended requests. So a small
 * response leaves in one write, and the request's EOR bucket (which ends
 * the request: log_transaction, then the request pool's cleanups) is
 * destroyed right after the bytes before it, in the same call, as in
 * httpd. Lives in the connection pool; its buckets are set aside into
 * its own subpool, cleared whenever everything has been written. */
#define MC_MIN_WRITE 4096
#define MC_MAX_PIPELINED 5

struct core_out {
    apr_bucket_brigade *held;
    apr_pool_t *pool;
};

/* Sends the data buckets at the head of held, up to a metadata bucket or
 * MC_MAX_IOV pieces, and deletes them; then deletes the metadata buckets
 * that follow (an EOR among them ends its request now). */
static apr_status_t send_head(conn_rec *c, apr_bucket_brigade *held)
{
    struct iovec v[MC_MAX_IOV];
    int n = 0, count = 0;
    apr_status_t rv = APR_SUCCESS;
    apr_bucket *e;
    for (e = APR_BRIGADE_FIRST(held);
         e != APR_BRIGADE_SENTINEL(held) && !APR_BUCKET_IS_METADATA(e) &&
         n < MC_MAX_IOV;
         e = APR_BUCKET_NEXT(e), ++count) {
        const char *data;
        apr_size_t len;
        rv = apr_bucket_read(e, &data, &len, APR_BLOCK_READ);
        if (rv != APR_SUCCESS)
            break;
        if (len) {
            v[n].iov_base = (void *)data;
            v[n++].iov_len = len;
        }
    }
    if (rv == APR_SUCCESS && n > 0)
        rv = send_iov(c, ap_get_conn_socket(c), v, n);
    if (rv != APR_SUCCESS)
        return rv;
    while (count-- > 0)
        apr_bucket_delete(APR_BRIGADE_FIRST(held));
    while (!APR_BRIGADE_EMPTY(held) &&
           APR_BUCKET_IS_METADATA(APR_BRIGADE_FIRST(held)))
        apr_bucket_delete(APR_BRIGADE_FIRST(held));
    return APR_SUCCESS;
}

/* Sets the new buckets aside (reading those that cannot be set aside as
 * they are) and appends them to held. */
static apr_status_t hold(struct core_out *ctx, apr_bucket_brigade *bb)
{
    for (apr_bucket *e = APR_BRIGADE_FIRST(bb); e != APR_BRIGADE_SENTINEL(bb);
         e = APR_BUCKET_NEXT(e)) {
        apr_status_t rv = apr_bucket_setaside(e, ctx->pool);
        if (rv == APR_ENOTIMPL) {
            const char *data;
            apr_size_t len;
            rv = apr_bucket_read(e, &data, &len, APR_BLOCK_READ);
            if (rv == APR_SUCCESS)
                rv = apr_bucket_setaside(e, ctx->pool);
        }
        if (rv != APR_SUCCESS && rv != APR_ENOTIMPL)
            return rv;
    }
    APR_BRIGADE_CONCAT(ctx->held, bb);
    return APR_SUCCESS;
}

/* Whether held must go out now: a FLUSH, enough bytes, a bucket of unknown
 * length, or too many ended requests waiting. */
static int must_write(apr_bucket_brigade *held)
{
    apr_off_t bytes = 0;
    int ended = 0;
    for (apr_bucket *e = APR_BRIGADE_FIRST(held);
         e != APR_BRIGADE_SENTINEL(held); e = APR_BUCKET_NEXT(e)) {
        if (APR_BUCKET_IS_FLUSH(e) || e->length == (apr_size_t)-1)
            return 1;
        if (AP_BUCKET_IS_EOR(e) && ++ended >= MC_MAX_PIPELINED)
            return 1;
        if (!APR_BUCKET_IS_METADATA(e))
            bytes += (apr_off_t)e->length;
    }
    return bytes >= MC_MIN_WRITE;
}

static struct core_out *core_out_ctx(ap_filter_t *f)
{
    struct core_out *ctx = f->ctx;
    if (!ctx) {
        ctx = f->ctx = apr_pcalloc(f->c->pool, sizeof(*ctx));
        apr_pool_create(&ctx->pool, f->c->pool);
        apr_pool_tag(ctx->pool, "core_output_held");
        ctx->held = apr_brigade_create(f->c->pool, f->c->bucket_alloc);
    }
    return ctx;
}

static apr_status_t core_output_filter(ap_filter_t *f, apr_bucket_brigade *bb)
{
    conn_rec *c = f->c;
    struct core_out *ctx = core_out_ctx(f);
    apr_status_t rv = c->aborted ? APR_ECONNABORTED : hold(ctx, bb);
    while (rv == APR_SUCCESS && !APR_BRIGADE_EMPTY(ctx->held) &&
           must_write(ctx->held))
        rv = send_head(c, ctx->held);
    if (rv != APR_SUCCESS) {
        c->aborted = 1;
        apr_brigade_cleanup(bb);
        apr_brigade_cleanup(ctx->held); /* ends the requests held back */
    }
    if (APR_BRIGADE_EMPTY(ctx->held))
        apr_pool_clear(ctx->pool);
    return rv;
}

/* --- CORE_IN: read from the connection buffer / socket ---------------------- */

static apr_status_t core_input_filter(ap_filter_t *f, apr_bucket_brigade *bb,
                                      ap_input_mode_t mode,
                                      apr_read_type_e block,
                                      apr_off_t readbytes)
{
    struct mc_conn *mc = mc__conn(f->c);
    apr_size_t avail;
    apr_status_t rv;
    (void)block;
    if (mode == AP_MODE_INIT)
        return APR_SUCCESS;
    if (mc->pos >= mc->len) {
        rv = mc__conn_fill(mc, mc->timeout);
        if (rv != APR_SUCCESS)
            return rv;
    }
    avail = mc->len - mc->pos;
    if (mode == AP_MODE_GETLINE) {
        const char *nl = memchr(mc->buf + mc->pos, '\n', avail);
        if (nl)
            avail = (apr_size_t)(nl - (mc->buf + mc->pos)) + 1;
    } else if (mode != AP_MODE_EXHAUSTIVE && readbytes > 0 &&
               (apr_off_t)avail > readbytes) {
        avail = (apr_size_t)readbytes;
    }
    APR_BRIGADE_INSERT_TAIL(bb,
                            apr_bucket_heap_create(mc->buf + mc->pos, avail,
                                                   NULL, f->c->bucket_alloc));
    if (mode != AP_MODE_SPECULATIVE)
        mc->pos += avail;
    return APR_SUCCESS;
}

void mc__filters_init(apr_pool_t *p)
{
    (void)p;
    ap_core_output_filter_handle = ap_register_output_filter(
        "CORE", core_output_filter, NULL, AP_FTYPE_NETWORK);
    ap_core_input_filter_handle = ap_register_input_filter(
        "CORE_IN", core_input_filter, NULL, AP_FTYPE_NETWORK);
    mc__core_output_frec = ap_core_output_filter_handle;
    mc__core_input_frec = ap_core_input_filter_handle;
}

ap_filter_rec_t *mc__core_output_frec;
ap_filter_rec_t *mc__core_input_frec;
