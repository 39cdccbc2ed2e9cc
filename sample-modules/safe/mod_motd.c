/*
 * mod_motd.c — a message of the day, fixed at start-up.
 *
 * Feature: `MotdText "..."` (server config) sets the message; post_config
 * frames it once; GET /motd answers
 *
 *     motd=*** <the text> ***
 *     length=<characters of the framed message>
 *
 * Why it is safe: the globals `motd_text`, `motd_framed` and `motd_length`
 * are written only at configuration time — by a directive allowed in the
 * server config only (RSRC_CONF, never in .htaccess) and by post_config —
 * before any worker thread exists; at request time they are only read.
 *
 *     MotdText "Welcome to the test server"
 *     <Location /motd>
 *         SetHandler motd
 *     </Location>
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "ap_config.h"

#include "apr_strings.h"

/* Written at config time only (directive, post_config); read by requests. */
static const char *motd_text = "Hello";
static const char *motd_framed;
static apr_size_t motd_length;

static const char *motd_set_text(cmd_parms *cmd, void *dummy, const char *arg)
{
    motd_text = arg;
    return NULL;
}

static int motd_post_config(apr_pool_t *pconf, apr_pool_t *plog,
                            apr_pool_t *ptemp, server_rec *s)
{
    motd_framed = apr_pstrcat(pconf, "*** ", motd_text, " ***", NULL);
    motd_length = strlen(motd_framed);
    return OK;
}

static int motd_handler(request_rec *r)
{
    if (strcmp(r->handler, "motd") != 0) {
        return DECLINED;
    }
    ap_set_content_type(r, "text/plain");
    ap_rprintf(r, "motd=%s\n", motd_framed);
    ap_rprintf(r, "length=%lu\n", (unsigned long)motd_length);
    return OK;
}

static const command_rec motd_cmds[] = {AP_INIT_TAKE1("MotdText", motd_set_text,
                                                      NULL, RSRC_CONF,
                                                      "the message of the day"),
                                        {NULL}};

static void motd_register_hooks(apr_pool_t *p)
{
    ap_hook_post_config(motd_post_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_handler(motd_handler, NULL, NULL, APR_HOOK_MIDDLE);
}

AP_DECLARE_MODULE(motd) = {
    STANDARD20_MODULE_STUFF,
    NULL,               /* create per-dir config */
    NULL,               /* merge per-dir config */
    NULL,               /* create per-server config */
    NULL,               /* merge per-server config */
    motd_cmds,          /* command table */
    motd_register_hooks /* register hooks */
};
