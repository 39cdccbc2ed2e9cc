/* varbuf.c — util_varbuf.h resizable string buffers.
 *
 * Contract: buffer memory is malloc'd and owned by a cleanup registered on
 * vb->pool, so it is released by ap_varbuf_free() or when that pool is
 * cleared. A varbuf, like its pool, belongs to one thread at a time. Each
 * exported function calls MC_API_ENTER() once on entry.
 */
#include <stdlib.h>
#include <string.h>

#include "apr_pools.h"
#include "apr_strings.h"

#include "httpd.h"
#include "http_config.h"
#include "util_varbuf.h"

#include "api_internal.h"

struct ap_varbuf_info {
    char *mem;
};

static apr_status_t varbuf_cleanup(void *data)
{
    struct ap_varbuf_info *info = data;

    free(info->mem);
    info->mem = NULL;
    return APR_SUCCESS;
}

/* Empty, unallocated state: buf points at a constant "". */
static void varbuf_reset(struct ap_varbuf *vb)
{
    static const char empty[1] = "";

    vb->buf = (char *)empty;
    vb->avail = 0;
    vb->strlen = AP_VARBUF_UNKNOWN; /* as httpd */
    vb->info = NULL;
}

AP_DECLARE(void)
ap_varbuf_init(apr_pool_t *pool, struct ap_varbuf *vb, apr_size_t init_size)
{
    MC_API_ENTER();
    vb->pool = pool;
    varbuf_reset(vb);
    if (init_size)
        mc__varbuf_grow(vb, init_size);
}

/* Grow to at least new_size (usually doubling), keeping the content. */
void mc__varbuf_grow(struct ap_varbuf *vb, apr_size_t new_size)
{
    struct ap_varbuf_info *info;
    apr_size_t keep;
    char *mem;

    if (new_size <= vb->avail)
        return;
    if (new_size < 2 * vb->avail)
        new_size = 2 * vb->avail;
    if (new_size < 64)
        new_size = 64;
    mem = malloc(new_size + 1);
    if (!mem)
        ap_abort_on_oom();
    keep = vb->strlen == AP_VARBUF_UNKNOWN ? vb->avail + 1 : vb->strlen + 1;
    if (vb->avail && keep)
        memcpy(mem, vb->buf, keep);
    else
        mem[0] = '\0';
    if (vb->info)
        apr_pool_cleanup_run(vb->pool, vb->info, varbuf_cleanup);
    info = apr_palloc(vb->pool, sizeof(*info));
    info->mem = mem;
    apr_pool_cleanup_register(vb->pool, info, varbuf_cleanup,
                              apr_pool_cleanup_null);
    vb->info = info;
    vb->buf = mem;
    vb->avail = new_size;
}

AP_DECLARE(void) ap_varbuf_grow(struct ap_varbuf *vb, apr_size_t new_size)
{
    MC_API_ENTER();
    mc__varbuf_grow(vb, new_size);
}

AP_DECLARE(void) ap_varbuf_free(struct ap_varbuf *vb)
{
    MC_API_ENTER();
    if (vb->info)
        apr_pool_cleanup_run(vb->pool, vb->info, varbuf_cleanup);
    vb->info = NULL;
    vb->buf = NULL;
}

void mc__varbuf_append(struct ap_varbuf *vb, const char *str, apr_size_t len)
{
    if (len == 0)
        return;
    if (vb->strlen == AP_VARBUF_UNKNOWN)
        vb->strlen = vb->avail ? strlen(vb->buf) : 0;
    mc__varbuf_grow(vb, vb->strlen + len);
    memcpy(vb->buf + vb->strlen, str, len);
    vb->strlen += len;
    vb->buf[vb->strlen] = '\0';
}

AP_DECLARE(void)
ap_varbuf_strmemcat(struct ap_varbuf *vb, const char *str, int len)
{
    MC_API_ENTER();
    if (len > 0)
        mc__varbuf_append(vb, str, (apr_size_t)len);
}

AP_DECLARE(char *)
ap_varbuf_pdup(apr_pool_t *p, struct ap_varbuf *vb, const char *prepend,
               apr_size_t prepend_len, const char *append,
               apr_size_t append_len, apr_size_t *new_len)
{
    apr_size_t mid = 0, total;
    char *out;

    MC_API_ENTER();
    if (vb->avail && vb->strlen) {
        if (vb->strlen == AP_VARBUF_UNKNOWN)
            vb->strlen = strlen(vb->buf);
        mid = vb->strlen;
    }
    if (!prepend)
        prepend_len = 0;
    if (!append)
        append_len = 0;
    total = prepend_len + mid + append_len;
    out = apr_palloc(p, total + 1);
    if (prepend_len)
        memcpy(out, prepend, prepend_len);
    if (mid)
        memcpy(out + prepend_len, vb->buf, mid);
    if (append_len)
        memcpy(out + prepend_len + mid, append, append_len);
    out[total] = '\0';
    if (new_len)
        *new_len = total;
    return out;
}
