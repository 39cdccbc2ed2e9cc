/*
 * Several medium locals add up: 48 + 80 + 32 KiB arrays in a helper of an
 * output filter make a 160 KiB frame, over the limit although no single
 * local is (reported at the largest local).
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"
#include "util_filter.h"

static void transcode(const char *in, apr_size_t len, char *out, apr_size_t outlen)
{
    char stage1[48 * 1024];
    char stage2[80 * 1024]; /* expect: large-stack-frame(stage2) */
    char stage3[32 * 1024];

    apr_cpystrn(stage1, in, len < sizeof(stage1) ? len + 1 : sizeof(stage1));
    apr_cpystrn(stage2, stage1, sizeof(stage2));
    apr_cpystrn(stage3, stage2, sizeof(stage3));
    apr_cpystrn(out, stage3, outlen);
}

static apr_status_t tc_filter(ap_filter_t *f, apr_bucket_brigade *bb)
{
    char small[256];

    transcode("x", 1, small, sizeof(small));
    return ap_pass_brigade(f->next, bb);
}

static void tc_register_hooks(apr_pool_t *p)
{
    ap_register_output_filter("TRANSCODE", tc_filter, NULL, AP_FTYPE_RESOURCE);
}

module AP_MODULE_DECLARE_DATA tc_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    tc_register_hooks
};
