/*
 * Negative: const globals (a mime-suffix table and a const struct) are
 * immutable, so reading them from any number of threads is safe.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"

struct suffix_type {
    const char *suffix;
    const char *type;
};

static const struct suffix_type suffixes[] = {
    {".txt", "text/plain"},
    {".json", "application/json"},
    {".svg", "image/svg+xml"},
};
static const int n_suffixes = sizeof(suffixes) / sizeof(suffixes[0]);

static int suffix_type_checker(request_rec *r)
{
    size_t len;
    int i;

    if (!r->filename)
        return DECLINED;
    len = strlen(r->filename);
    for (i = 0; i < n_suffixes; i++) {
        size_t sl = strlen(suffixes[i].suffix);
        if (len > sl && strcmp(r->filename + len - sl, suffixes[i].suffix) == 0) {
            ap_set_content_type(r, suffixes[i].type);
            return OK;
        }
    }
    return DECLINED;
}

static void suffix_register_hooks(apr_pool_t *p)
{
    ap_hook_type_checker(suffix_type_checker, NULL, NULL, APR_HOOK_FIRST);
}

module AP_MODULE_DECLARE_DATA suffix_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    suffix_register_hooks
};
