/*
 * mod_banner.c — a per-directory banner that authors set in .htaccess.
 *
 * Feature: content authors put `BannerText "..."` in a directory's
 * .htaccess (AllowOverride FileInfo); the "banner" handler answers
 *
 *     banner=<the text of the directory's .htaccess>
 *
 * Seeded defect (unsafe under threads): banner_set_text() stores the text in
 * a global buffer, `banner_text`, instead of the per-directory config.
 * Because the directive is allowed in .htaccess, httpd runs its handler while
 * serving each request (the .htaccess files are read during the directory
 * walk), so the global is written by concurrent requests and read later by
 * banner_handler(). Client-observable: a page shows the banner of another
 * directory. Fix: store the text in the per-dir config (create_dir_config)
 * and read it with ap_get_module_config(r->per_dir_config, ...).
 *
 *     Alias /banner "@SAMPLES@/htdocs/banner"
 *     <Directory "@SAMPLES@/htdocs/banner">
 *         AllowOverride FileInfo
 *         SetHandler banner
 *         Require all granted
 *     </Directory>
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "ap_config.h"

#include "apr_strings.h"

#define BANNER_MAX 128

/* The banner text: written by every .htaccess that sets it. */
static char banner_text[BANNER_MAX] = "(none)";

static const char *banner_set_text(cmd_parms *cmd, void *dconf,
                                   const char *text)
{
    apr_cpystrn(banner_text, text, sizeof(banner_text));
    return NULL;
}

static int banner_handler(request_rec *r)
{
    if (strcmp(r->handler, "banner") != 0) {
        return DECLINED;
    }
    if (r->method_number != M_GET) {
        return HTTP_METHOD_NOT_ALLOWED;
    }
    ap_set_content_type(r, "text/plain");
    apr_table_setn(r->headers_out, "Cache-Control", "no-store");
    ap_rprintf(r, "banner=%s\n", banner_text);
    return OK;
}

static const command_rec banner_cmds[] = {
    AP_INIT_TAKE1("BannerText", banner_set_text, NULL, OR_FILEINFO,
                  "the banner shown on pages of this directory"),
    {NULL}};

static void banner_register_hooks(apr_pool_t *p)
{
    ap_hook_handler(banner_handler, NULL, NULL, APR_HOOK_MIDDLE);
}

AP_DECLARE_MODULE(banner) = {
    STANDARD20_MODULE_STUFF,
    NULL,                 /* create per-dir config */
    NULL,                 /* merge per-dir config */
    NULL,                 /* create per-server config */
    NULL,                 /* merge per-server config */
    banner_cmds,          /* command table */
    banner_register_hooks /* register hooks */
};
