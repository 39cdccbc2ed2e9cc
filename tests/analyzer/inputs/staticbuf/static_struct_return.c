/*
 * A parser that returns a pointer to a static struct (the
 * gethostbyname-style API) used by a request hook.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"

struct parsed_range {
    apr_off_t start, end;
};

static struct parsed_range *parse_range(const char *h)
{
    static struct parsed_range pr;

    pr.start = apr_atoi64(h);
    pr.end = pr.start + 1;
    return &pr; /* expect: static-buffer-return(pr) */
}

static int range_header_parser(request_rec *r)
{
    const char *h = apr_table_get(r->headers_in, "X-Range");
    struct parsed_range *p;

    if (!h)
        return DECLINED;
    p = parse_range(h);
    apr_table_setn(r->notes, "range-end", apr_off_t_toa(r->pool, p->end));
    return DECLINED;
}

static void range_register_hooks(apr_pool_t *p)
{
    ap_hook_header_parser(range_header_parser, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA range_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    range_register_hooks
};
