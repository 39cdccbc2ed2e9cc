/*
 * mod_greeting.c — a personalised greeting page.
 *
 * Feature: GET /greet?NAME answers "greeting=<Salutation>, NAME!" and
 * "visitor=NAME", with the salutation set per virtual host:
 *
 *     GreetingSalutation "Good morning"      (server config, default Hello)
 *
 * Seeded defect (unsafe under threads): greeting_handler() stores the
 * visitor's name in the per-server config (`conf->visitor`) to hand it to
 * greeting_render(). The server config is one struct shared by every thread
 * of the process, so a concurrent request replaces the name before it is
 * printed. Client-observable: a visitor is greeted with another visitor's
 * name. Fix: pass the name as an argument, or keep per-request data in
 * r->notes / a struct in r->pool; server config is read-only after start-up.
 *
 *     GreetingSalutation Hello
 *     <Location /greet>
 *         SetHandler greeting
 *     </Location>
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "ap_config.h"

#include "apr_strings.h"

module AP_MODULE_DECLARE_DATA greeting_module;

struct greeting_conf {
    const char *salutation; /* GreetingSalutation, config time */
    const char *visitor;    /* the name being greeted */
};

static void *greeting_create_server(apr_pool_t *p, server_rec *s)
{
    struct greeting_conf *conf = apr_pcalloc(p, sizeof(*conf));

    conf->salutation = "Hello";
    return conf;
}

static const char *greeting_set_salutation(cmd_parms *cmd, void *dummy,
                                           const char *arg)
{
    struct greeting_conf *conf =
        ap_get_module_config(cmd->server->module_config, &greeting_module);

    conf->salutation = arg;
    return NULL;
}

static void greeting_render(request_rec *r, const struct greeting_conf *conf)
{
    ap_rprintf(r, "greeting=%s, %s!\n", conf->salutation,
               ap_escape_html(r->pool, conf->visitor));
    ap_rprintf(r, "visitor=%s\n", ap_escape_html(r->pool, conf->visitor));
}

static int greeting_handler(request_rec *r)
{
    struct greeting_conf *conf =
        ap_get_module_config(r->server->module_config, &greeting_module);
    char *name;

    if (strcmp(r->handler, "greeting") != 0) {
        return DECLINED;
    }
    name = apr_pstrdup(r->pool, r->args ? r->args : "stranger");
    ap_unescape_url(name);
    conf->visitor = name;

    ap_set_content_type(r, "text/plain");
    apr_table_setn(r->headers_out, "Cache-Control", "no-store");
    greeting_render(r, conf);
    return OK;
}

static const command_rec greeting_cmds[] = {
    AP_INIT_TAKE1("GreetingSalutation", greeting_set_salutation, NULL,
                  RSRC_CONF, "the word that greets visitors (default Hello)"),
    {NULL}};

static void greeting_register_hooks(apr_pool_t *p)
{
    ap_hook_handler(greeting_handler, NULL, NULL, APR_HOOK_MIDDLE);
}

AP_DECLARE_MODULE(greeting) = {
    STANDARD20_MODULE_STUFF,
    NULL,                   /* create per-dir config */
    NULL,                   /* merge per-dir config */
    greeting_create_server, /* create per-server config */
    NULL,                   /* merge per-server config */
    greeting_cmds,          /* command table */
    greeting_register_hooks /* register hooks */
};
