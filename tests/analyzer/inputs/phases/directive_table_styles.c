/*
 * Directive tables in older styles: the override class
 * behind a macro, AP_INIT_ITERATE / AP_INIT_NO_ARGS; one handler shared by
 * a RSRC_CONF and an OR_ALL directive (so it can run at request time).
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "apr_strings.h"

#define MY_OVERRIDE (OR_FILEINFO | OR_INDEXES)

static const char *ext_list[16];
static int next_ext;
static int legacy_mode;
static const char *shared_value;

static const char *cmd_ext(cmd_parms *cmd, void *d, const char *ext)
{
    if (next_ext < 16) /* expect: global-race(next_ext) */
        ext_list[next_ext++] = ext; /* expect: global-race(ext_list), global-race(next_ext) */
    return NULL;
}

static const char *cmd_legacy(cmd_parms *cmd, void *d)
{
    legacy_mode = 1; /* expect: global-race(legacy_mode) */
    return NULL;
}

static const char *cmd_shared(cmd_parms *cmd, void *d, const char *v)
{
    shared_value = v; /* expect: global-race(shared_value) */
    return NULL;
}

static const command_rec old_cmds[] = {
    AP_INIT_ITERATE("OldExt", cmd_ext, NULL, MY_OVERRIDE, "extensions"),
    AP_INIT_NO_ARGS("OldLegacy", cmd_legacy, NULL, OR_OPTIONS, "legacy"),
    AP_INIT_TAKE1("OldServerValue", cmd_shared, NULL, RSRC_CONF, "value"),
    AP_INIT_TAKE1("OldDirValue", cmd_shared, NULL, OR_ALL, "value"),
    {NULL}
};

static void old_register_hooks(apr_pool_t *p)
{
}

module AP_MODULE_DECLARE_DATA old_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL,
    old_cmds,
    old_register_hooks
};
