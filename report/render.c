/*
 * render.c — format selection, the plain-text summary and atomic writes
 * of every rendering.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

#include "mc_file.h"

static const struct {
    const char *name;
    enum mc_format fmt;
    const char *file;
} formats[] = {
    {"json", MC_FMT_JSON, "report.json"},
    {"sarif", MC_FMT_SARIF, "report.sarif"},
    {"md", MC_FMT_MD, "report.md"},
    {"markdown", MC_FMT_MD, NULL},
    {"html", MC_FMT_HTML, "report.html"},
    {"text", MC_FMT_TEXT, NULL},
};

mc_status mc_format_parse(const char *name, enum mc_format *out)
{
    for (size_t i = 0; name && i < MC_ARRAY_LEN(formats); i++) {
        if (!strcmp(name, formats[i].name)) {
            *out = formats[i].fmt;
            return MC_OK;
        }
    }
    return MC_ERR_USAGE;
}

static void render_json(const json_t *r, struct mc_buf *out)
{
    char *s = json_dumps(r, JSON_INDENT(2) | JSON_SORT_KEYS |
                                JSON_REAL_PRECISION(17));
    mc_buf_puts(out, s ? s : "null");
    mc_buf_putc(out, '\n');
    free(s);
}

void mc_render_text(const json_t *r, struct mc_buf *out)
{
    const json_t *v = json_object_get(r, "verdict");
    const json_t *m = json_object_get(r, "module");
    mc_buf_printf(out, "modcert: %s: %s\n", mc__str(m, "name", "?"),
                  !strcmp(mc__str(v, "status", ""), "certified") ? "CERTIFIED"
                  : !strcmp(mc__str(v, "status", ""), "incomplete")
                      ? "INCOMPLETE (could not complete)"
                      : "NOT CERTIFIED");
    size_t i;
    json_t *x;
    json_array_foreach(json_object_get(v, "reasons"), i, x)
    {
        mc_buf_printf(out, "  - %s\n", json_string_value(x));
    }
    json_array_foreach(json_object_get(r, "findings"), i, x)
    {
        mc_buf_printf(out, "%s %-8s %-6s %s:%lld: %s [%s]%s%s\n",
                      mc__str(x, "id", "?"), mc__str(x, "lens", ""),
                      mc__str(x, "severity", ""), mc__str(x, "file", ""),
                      mc__int(x, "line", 0), mc__str(x, "message", ""),
                      mc__str(x, "check", ""),
                      mc__bool(x, "confirmed", 0) ? " (confirmed)" : "",
                      mc__bool(x, "suppressed", 0) ? " (accepted)" : "");
    }
}

mc_status mc_report_render(const json_t *r, enum mc_format fmt,
                           struct mc_buf *out, struct mc_buf *err)
{
    if (mc_report_check(r, err) != MC_OK)
        return MC_ERR_PARSE;
    switch (fmt) {
        case MC_FMT_JSON:
            render_json(r, out);
            break;
        case MC_FMT_SARIF:
            mc_render_sarif(r, out);
            break;
        case MC_FMT_MD:
            mc_render_markdown(r, out);
            break;
        case MC_FMT_HTML:
            mc_render_html(r, out);
            break;
        case MC_FMT_TEXT:
            mc_render_text(r, out);
            break;
    }
    return MC_OK;
}

mc_status mc_report_write(const json_t *r, enum mc_format fmt, const char *path,
                          struct mc_buf *err)
{
    struct mc_buf b = MC_BUF_INIT;
    mc_status st = mc_report_render(r, fmt, &b, err);
    if (st == MC_OK &&
        mc_file_write_atomic(path, b.data ? b.data : "", b.len) != MC_OK) {
        mc__err(err, "cannot write '%s'", path);
        st = MC_ERR_IO;
    }
    mc_buf_free(&b);
    return st;
}

mc_status mc_report_write_all(const json_t *r, const char *dir,
                              struct mc_buf *err)
{
    if (mc_mkdirs(dir) != MC_OK) {
        mc__err(err, "cannot create output directory '%s'", dir);
        return MC_ERR_IO;
    }
    for (size_t i = 0; i < MC_ARRAY_LEN(formats); i++) {
        if (!formats[i].file)
            continue;
        struct mc_buf path = MC_BUF_INIT;
        mc_buf_printf(&path, "%s/%s", dir, formats[i].file);
        mc_status st = mc_report_write(r, formats[i].fmt, path.data, err);
        mc_buf_free(&path);
        if (st != MC_OK)
            return st;
    }
    return MC_OK;
}
