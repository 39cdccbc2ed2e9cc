/*
 * Negative: a 1 MiB buffer in post_config runs on the main thread's large
 * stack at config time, not on a worker thread.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"

static char first_line[128];

static int load_post_config(apr_pool_t *pconf, apr_pool_t *plog,
                            apr_pool_t *ptemp, server_rec *s)
{
    char file[1024 * 1024];
    apr_file_t *f;
    apr_size_t n = sizeof(file) - 1;

    if (apr_file_open(&f, "/etc/hostname", APR_READ, 0, ptemp) != APR_SUCCESS)
        return OK;
    if (apr_file_read(f, file, &n) == APR_SUCCESS) {
        file[n] = 0;
        apr_cpystrn(first_line, file, sizeof(first_line));
    }
    apr_file_close(f);
    return OK;
}

static int load_fixups(request_rec *r)
{
    apr_table_setn(r->notes, "host-file", first_line);
    return DECLINED;
}

static void load_register_hooks(apr_pool_t *p)
{
    ap_hook_post_config(load_post_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_fixups(load_fixups, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA load_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    load_register_hooks
};
