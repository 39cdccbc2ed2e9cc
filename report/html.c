/*
 * html.c — a self-contained HTML page (no network: inline CSS and JS, no
 * external resources): the verdict, findings grouped by root cause, source
 * excerpts read from the module's sources, the two racing stacks side by
 * side and an SVG two-lane picture of the interleaving for dynamic races.
 * Every piece of report or source text goes through mc__html_escape.
 */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mc_file.h"

#define EXCERPT_CONTEXT 3
#define MAX_SOURCE_BYTES (8u << 20)

static const char css[] =
    "body{font:14px/1.45 system-ui,sans-serif;margin:0;color:#1d1d1f;"
    "background:#f6f7f9}main{max-width:1100px;margin:0 auto;padding:16px}"
    "header.verdict{padding:16px 20px;border-radius:8px;color:#fff}"
    ".certified{background:#1a7f37}.not-certified{background:#c62828}"
    ".incomplete{background:#9a6700}h1{margin:0 0 6px;font-size:22px}"
    "table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid "
    "#d0d7de;padding:3px 8px;text-align:left;vertical-align:top}"
    "section.group{background:#fff;border:1px solid #d0d7de;border-radius:8px;"
    "margin:14px 0;padding:8px 14px}article.finding{border-top:1px solid "
    "#eaeef2;padding:8px 0}.sev{display:inline-block;padding:0 6px;"
    "border-radius:4px;color:#fff;font-size:12px}.sev-high{background:#c62828}"
    ".sev-medium{background:#d97706}.sev-low{background:#57606a}"
    ".sev-info{background:#8c959f}.confirmed{color:#c62828;font-weight:600}"
    ".accepted{opacity:.55}pre.src{background:#0d1117;color:#e6edf3;"
    "padding:6px 0;overflow:auto;font:12px/1.4 ui-monospace,monospace}"
    "pre.src span{display:block;padding:0 8px}pre.src span.hit{background:"
    "#8b2b2b}.stacks{display:flex;gap:12px}.stack{flex:1;min-width:0;"
    "background:#f6f8fa;border:1px solid #d0d7de;border-radius:6px;"
    "padding:6px 10px}.stack ol{margin:4px 0;padding-left:20px;font:12px/1.4 "
    "ui-monospace,monospace}code{font:12px ui-monospace,monospace}"
    "body.hide-accepted .accepted{display:none}";

/* Marks the body once the page is live (the DOM test reads it) and lets
 * the reader hide accepted findings. */
static const char js[] =
    "document.addEventListener('DOMContentLoaded',function(){"
    "document.body.setAttribute('data-findings-rendered',"
    "document.querySelectorAll('article.finding').length);"
    "var c=document.getElementById('toggle-accepted');if(!c)return;"
    "c.addEventListener('change',function(){document.body.classList."
    "toggle('hide-accepted',!c.checked);});});";

static void esc(struct mc_buf *o, const char *s)
{
    mc__html_escape(o, s);
}

/* ---- source excerpts --------------------------------------------------------- */

static int readable(const char *path)
{
    FILE *f = fopen(path, "r");
    if (f)
        fclose(f);
    return f != NULL;
}

/* Finds a finding's source file: as given, under the source root, or (for
 * absolute paths from another machine, e.g. a detector's log) the longest
 * tail of the path that exists under the source root. */
static char *resolve_source(const json_t *report, const char *file)
{
    const char *root =
        mc__str(json_object_get(report, "module"), "source_root", "");
    struct mc_buf p = MC_BUF_INIT;
    if (file[0] == '/' || !*root) {
        mc_buf_puts(&p, file);
        if (!*root || readable(p.data))
            return mc_buf_steal(&p);
    }
    for (const char *tail = file; tail; tail = strchr(tail + 1, '/')) {
        mc_buf_reset(&p);
        mc_buf_printf(&p, "%s/%s", root, tail + (*tail == '/'));
        if (readable(p.data))
            return mc_buf_steal(&p);
    }
    mc_buf_reset(&p);
    mc_buf_puts(&p, file);
    return mc_buf_steal(&p);
}

static void excerpt_lines(struct mc_buf *o, const char *text, long long line)
{
    long long n = 1;
    const char *s = text;
    mc_buf_puts(o, "<pre class=\"src\">");
    while (*s && n <= line + EXCERPT_CONTEXT) {
        const char *e = strchr(s, '\n');
        size_t len = e ? (size_t)(e - s) : strlen(s);
        if (n >= line - EXCERPT_CONTEXT) {
            char *ln = mc_xstrndup(s, len);
            mc_buf_printf(o, "<span%s>%5lld  ",
                          n == line ? " class=\"hit\"" : "", n);
            esc(o, ln);
            mc_buf_puts(o, "</span>");
            free(ln);
        }
        if (!e)
            break;
        s = e + 1;
        n++;
    }
    mc_buf_puts(o, "</pre>\n");
}

static void source_excerpt(struct mc_buf *o, const json_t *report,
                           const char *file, long long line)
{
    if (!file || !*file || line <= 0)
        return;
    char *path = resolve_source(report, file), *text = NULL;
    size_t len = 0;
    if (mc_file_read(path, &text, &len) == MC_OK && len < MAX_SOURCE_BYTES)
        excerpt_lines(o, text, line);
    else
        mc_buf_puts(o, "<p class=\"nosrc\">(source not available)</p>\n");
    free(text);
    free(path);
}

/* ---- stacks and the interleaving picture -------------------------------------- */

static const json_t *frames_of(const json_t *stack)
{
    return json_is_array(stack) ? stack : json_object_get(stack, "frames");
}

static void stack_html(struct mc_buf *o, const json_t *st, size_t idx)
{
    mc_buf_printf(o, "<div class=\"stack\" data-thread=\"%zu\"><b>", idx + 1);
    esc(o, mc__str(st, "access", "access"));
    mc_buf_puts(o, " by thread ");
    esc(o, mc__str(st, "thread", idx ? "B" : "A"));
    if (*mc__str(st, "hook", "")) {
        mc_buf_puts(o, " in hook ");
        esc(o, mc__str(st, "hook", ""));
    }
    mc_buf_puts(o, "</b><ol>");
    size_t i;
    json_t *fr;
    json_array_foreach(frames_of(st), i, fr)
    {
        mc_buf_puts(o, "<li>");
        esc(o, mc__str(fr, "function", mc__str(fr, "func", "?")));
        if (*mc__str(fr, "file", "")) {
            mc_buf_puts(o, " <span class=\"loc\">");
            esc(o, mc__basename(mc__str(fr, "file", "")));
            mc_buf_printf(o, ":%lld</span>", mc__int(fr, "line", 0));
        }
        mc_buf_puts(o, "</li>");
    }
    mc_buf_puts(o, "</ol></div>\n");
}

static int is_previous(const json_t *st)
{
    return mc__bool(st, "previous", 0) ||
           !strcmp(mc__str(st, "role", ""), "previous");
}

static void lane_label(struct mc_buf *o, const json_t *st, size_t idx)
{
    const json_t *top = json_array_get(frames_of(st), 0);
    esc(o, mc__str(st, "access", "access"));
    mc_buf_puts(o, " ");
    esc(o, mc__str(top, "function", mc__str(top, "func", "?")));
    if (mc__int(top, "line", 0) > 0) {
        mc_buf_puts(o, " :");
        mc_buf_printf(o, "%lld", mc__int(top, "line", 0));
    }
    (void)idx;
}

/* Two lanes (one per thread), time left to right: the earlier access, then
 * the later one, and the conflict between them (no happens-before edge). */
static void interleaving_svg(struct mc_buf *o, const json_t *stacks)
{
    size_t first = is_previous(json_array_get(stacks, 1)) ? 1 : 0;
    mc_buf_puts(o, "<svg class=\"interleaving\" role=\"img\" "
                   "xmlns=\"http://www.w3.org/2000/svg\" width=\"640\" "
                   "height=\"130\" viewBox=\"0 0 640 130\"><title>interleaving"
                   " of the two racing accesses</title>"
                   "<line x1=\"110\" y1=\"40\" x2=\"630\" y2=\"40\" "
                   "stroke=\"#8c959f\"/><line x1=\"110\" y1=\"100\" x2=\"630\""
                   " y2=\"100\" stroke=\"#8c959f\"/>");
    for (size_t k = 0; k < 2; k++) {
        mc_buf_printf(o, "<text x=\"4\" y=\"%d\" font-size=\"12\">thread ",
                      k == 0 ? 44 : 104);
        esc(o, mc__str(json_array_get(stacks, k), "thread", k ? "2" : "1"));
        mc_buf_puts(o, "</text>");
    }
    for (size_t k = 0; k < 2; k++) {
        size_t idx = k == 0 ? first : 1 - first;
        int x = k == 0 ? 140 : 380, y = idx == 0 ? 40 : 100;
        mc_buf_printf(o,
                      "<rect x=\"%d\" y=\"%d\" width=\"220\" height=\"22\" "
                      "rx=\"4\" fill=\"%s\"/><text x=\"%d\" y=\"%d\" "
                      "font-size=\"11\" fill=\"#fff\">",
                      x, y - 11, k == 0 ? "#57606a" : "#c62828", x + 6, y + 4);
        lane_label(o, json_array_get(stacks, idx), idx);
        mc_buf_puts(o, "</text>");
    }
    mc_buf_puts(o, "<line x1=\"360\" y1=\"40\" x2=\"380\" y2=\"100\" "
                   "stroke=\"#c62828\" stroke-dasharray=\"4 3\"/>"
                   "<text x=\"250\" y=\"125\" font-size=\"11\">"
                   "conflicting accesses, no lock orders them</text></svg>\n");
}

static void stacks_html(struct mc_buf *o, const json_t *f)
{
    const json_t *stacks = json_object_get(f, "stacks");
    if (json_array_size(stacks) == 0)
        return;
    mc_buf_puts(o, "<div class=\"stacks\">");
    size_t i;
    json_t *st;
    json_array_foreach(stacks, i, st)
    {
        stack_html(o, st, i);
    }
    mc_buf_puts(o, "</div>\n");
    if (!strcmp(mc__str(f, "kind", ""), "race") && json_array_size(stacks) >= 2)
        interleaving_svg(o, stacks);
}

/* ---- findings ------------------------------------------------------------------ */

static void path_html(struct mc_buf *o, const json_t *f)
{
    const json_t *path = json_object_get(f, "path");
    const char *root = mc__str(f, "root", "");
    if (json_array_size(path) == 0 && !*root)
        return;
    mc_buf_puts(o, "<p class=\"path\">reached from: ");
    if (*root) {
        mc_buf_puts(o, "<b>");
        esc(o, root);
        mc_buf_puts(o, "</b> hook");
        if (json_array_size(path))
            mc_buf_puts(o, " &rarr; ");
    }
    size_t i;
    json_t *s;
    json_array_foreach(path, i, s)
    {
        if (i)
            mc_buf_puts(o, " &rarr; ");
        esc(o, json_is_string(s) ? json_string_value(s)
                                 : mc__str(s, "function", "?"));
    }
    mc_buf_puts(o, "</p>\n");
}

/* Profile, detector, seed (to replay it) and the threaded-only verdict. */
static void dynamic_facts(struct mc_buf *o, const json_t *f)
{
    if (strcmp(mc__str(f, "lens", ""), "dynamic"))
        return;
    mc_buf_puts(o, "<p class=\"dyn\">profile ");
    esc(o, mc__str(f, "profile", "?"));
    mc_buf_puts(o, " &middot; detector ");
    esc(o, mc__str(f, "detector", "?"));
    const json_t *seed = json_object_get(f, "seed");
    if (json_is_integer(seed))
        mc_buf_printf(o, " &middot; seed %lld",
                      (long long)json_integer_value(seed));
    if (mc__bool(f, "threaded_only", 0))
        mc_buf_puts(o, " &middot; <b class=\"threaded\">threaded-only</b>: "
                       "it does not happen with one thread per process "
                       "(the Windows-only bug, reproduced on Unix)");
    mc_buf_puts(o, "</p>\n");
}

static void finding_head(struct mc_buf *o, const json_t *f)
{
    const char *sev = mc__str(f, "severity", "low");
    mc_buf_puts(o, "<h4><span class=\"sev sev-");
    esc(o, sev);
    mc_buf_puts(o, "\">");
    esc(o, sev);
    mc_buf_puts(o, "</span> ");
    esc(o, mc__str(f, "id", ""));
    mc_buf_puts(o, " <code>");
    esc(o, mc__str(f, "check", ""));
    mc_buf_puts(o, "</code> (");
    esc(o, mc__str(f, "lens", ""));
    mc_buf_puts(o, ") ");
    esc(o, mc__basename(mc__str(f, "file", "")));
    if (mc__int(f, "line", 0) > 0)
        mc_buf_printf(o, ":%lld", mc__int(f, "line", 0));
    if (*mc__str(f, "function", "")) {
        mc_buf_puts(o, " in ");
        esc(o, mc__str(f, "function", ""));
    }
    if (mc__bool(f, "confirmed", 0))
        mc_buf_puts(o, " <span class=\"confirmed\">confirmed</span>");
    if (mc__bool(f, "suppressed", 0))
        mc_buf_puts(o, " <span class=\"acc\">accepted</span>");
    mc_buf_puts(o, "</h4>\n");
}

static void finding_html(struct mc_buf *o, const json_t *report,
                         const json_t *f)
{
    mc_buf_puts(o, "<article class=\"finding");
    if (mc__bool(f, "suppressed", 0))
        mc_buf_puts(o, " accepted");
    mc_buf_puts(o, "\" id=\"finding-");
    esc(o, mc__str(f, "id", ""));
    mc_buf_puts(o, "\" data-id=\"");
    esc(o, mc__str(f, "id", ""));
    mc_buf_puts(o, "\" data-check=\"");
    esc(o, mc__str(f, "check", ""));
    mc_buf_printf(o, "\" data-lens=\"%s\" data-confirmed=\"%s\">\n",
                  mc__str(f, "lens", ""),
                  mc__bool(f, "confirmed", 0) ? "true" : "false");
    finding_head(o, f);
    mc_buf_puts(o, "<p class=\"msg\">");
    esc(o, mc__str(f, "message", ""));
    mc_buf_puts(o, "</p>\n");
    if (*mc__str(f, "fix", "")) {
        mc_buf_puts(o, "<p class=\"fix\">Fix: ");
        esc(o, mc__str(f, "fix", ""));
        mc_buf_puts(o, "</p>\n");
    }
    path_html(o, f);
    dynamic_facts(o, f);
    if (strcmp(mc__str(f, "lens", ""), "binary"))
        source_excerpt(o, report, mc__str(f, "file", ""),
                       mc__int(f, "line", 0));
    stacks_html(o, f);
    mc_buf_puts(o, "</article>\n");
}

static void group_html(struct mc_buf *o, const json_t *report,
                       const json_t *findings, const char *cause)
{
    mc_buf_puts(o, "<section class=\"group\" data-root-cause=\"");
    esc(o, cause);
    mc_buf_puts(o, "\"><h3>");
    esc(o, cause);
    mc_buf_puts(o, "</h3>\n");
    size_t i;
    json_t *f;
    json_array_foreach(findings, i, f)
    {
        if (!strcmp(mc__str(f, "root_cause", ""), cause))
            finding_html(o, report, f);
    }
    mc_buf_puts(o, "</section>\n");
}

static void findings_html(struct mc_buf *o, const json_t *report)
{
    const json_t *findings = json_object_get(report, "findings");
    mc_buf_printf(o,
                  "<h2>Findings (%zu)</h2>\n<label><input type=\"checkbox\" "
                  "id=\"toggle-accepted\" checked> show accepted "
                  "findings</label>\n",
                  json_array_size(findings));
    size_t i, j;
    json_t *f, *g;
    json_array_foreach(findings, i, f)
    {
        const char *cause = mc__str(f, "root_cause", "");
        int seen = 0;
        json_array_foreach(findings, j, g)
        {
            if (j >= i)
                break;
            seen |= !strcmp(mc__str(g, "root_cause", ""), cause);
        }
        if (!seen)
            group_html(o, report, findings, cause);
    }
}

/* ---- page ---------------------------------------------------------------------- */

static void verdict_html(struct mc_buf *o, const json_t *r)
{
    const json_t *v = json_object_get(r, "verdict");
    const char *status = mc__str(v, "status", "incomplete");
    mc_buf_puts(o, "<header class=\"verdict ");
    esc(o, status);
    mc_buf_puts(o, "\" id=\"verdict\" data-status=\"");
    esc(o, status);
    mc_buf_puts(o, "\"><h1>");
    esc(o, !strcmp(status, "certified")       ? "CERTIFIED"
           : !strcmp(status, "not-certified") ? "NOT CERTIFIED"
                                              : "INCOMPLETE");
    mc_buf_puts(o, ": ");
    esc(o, mc__str(json_object_get(r, "module"), "name", "?"));
    mc_buf_puts(o, "</h1><ul class=\"reasons\">");
    size_t i;
    json_t *x;
    json_array_foreach(json_object_get(v, "reasons"), i, x)
    {
        mc_buf_puts(o, "<li>");
        esc(o, json_string_value(x));
        mc_buf_puts(o, "</li>");
    }
    mc_buf_puts(o, "</ul></header>\n");
}

static void identity_html(struct mc_buf *o, const json_t *r)
{
    const json_t *m = json_object_get(r, "module");
    mc_buf_puts(o, "<table class=\"identity\"><tr><th>module .so sha256</th>"
                   "<td><code>");
    esc(o, mc__str(m, "sha256", "(no .so)"));
    mc_buf_puts(o, "</code></td></tr>");
    size_t i;
    json_t *s;
    json_array_foreach(json_object_get(m, "sources"), i, s)
    {
        mc_buf_puts(o, "<tr><th>");
        esc(o, mc__str(s, "path", ""));
        mc_buf_puts(o, "</th><td><code>");
        esc(o, mc__str(s, "sha256", ""));
        mc_buf_puts(o, "</code></td></tr>");
    }
    mc_buf_puts(o, "<tr><th>tool</th><td>modcert ");
    esc(o, mc__str(json_object_get(r, "tool"), "version", "?"));
    mc_buf_puts(o, "</td></tr><tr><th>generated</th><td>");
    esc(o, mc__str(r, "generated", ""));
    mc_buf_printf(o,
                  "</td></tr><tr><th>complete</th><td>%s</td></tr>"
                  "</table>\n",
                  mc__bool(r, "complete", 0) ? "yes" : "no (cut short)");
}

static void lens_row(struct mc_buf *o, const char *name, const json_t *l)
{
    mc_buf_puts(o, "<tr><th>");
    esc(o, name);
    mc_buf_printf(o, "</th><td>%s</td><td>",
                  !mc__bool(l, "ran", 0)       ? "did not run"
                  : mc__bool(l, "complete", 0) ? "complete"
                                               : "cut short");
    esc(o, mc__str(l, "note", ""));
    mc_buf_puts(o, "</td></tr>");
}

static void run_html(struct mc_buf *o, const json_t *r)
{
    const json_t *run = json_object_get(r, "run");
    const json_t *lenses = json_object_get(run, "lenses");
    mc_buf_puts(o, "<h2>What ran</h2><table class=\"run\">");
    const char *name;
    json_t *l;
    json_object_foreach((json_t *)lenses, name, l)
    {
        lens_row(o, name, l);
    }
    size_t i;
    json_t *d;
    json_array_foreach(
        json_object_get(json_object_get(lenses, "dynamic"), "runs"), i, d)
    {
        mc_buf_puts(o, "<tr><th>stress run</th><td>profile ");
        esc(o, mc__str(d, "profile", "?"));
        mc_buf_puts(o, ", detector ");
        esc(o, mc__str(d, "detector", "?"));
        mc_buf_printf(o, "</td><td>%lld requests, seed %lld</td></tr>",
                      mc__int(d, "requests", 0), mc__int(d, "seed", 0));
    }
    mc_buf_puts(o, "</table>\n");
}

static void suppressions_html(struct mc_buf *o, const json_t *r)
{
    const json_t *sup = json_object_get(r, "suppressions");
    if (json_array_size(sup) == 0)
        return;
    mc_buf_puts(o, "<h2>Accepted findings</h2><table class=\"suppressions\">"
                   "<tr><th>status</th><th>kind</th><th>check</th><th>symbol"
                   "</th><th>reason</th><th>expires</th></tr>");
    size_t i;
    json_t *s;
    json_array_foreach(sup, i, s)
    {
        static const char *const cols[] = {"status", "kind",   "check",
                                           "symbol", "reason", "expires"};
        mc_buf_puts(o, "<tr>");
        for (size_t k = 0; k < MC_ARRAY_LEN(cols); k++) {
            mc_buf_puts(o, "<td>");
            esc(o, mc__str(s, cols[k], ""));
            mc_buf_puts(o, "</td>");
        }
        mc_buf_puts(o, "</tr>");
    }
    mc_buf_puts(o, "</table>\n");
}

void mc_render_html(const json_t *r, struct mc_buf *o)
{
    mc_buf_puts(o, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta "
                   "charset=\"utf-8\"><meta http-equiv=\"Content-Security-"
                   "Policy\" content=\"default-src 'none'; style-src "
                   "'unsafe-inline'; script-src 'unsafe-inline'; img-src "
                   "data:\"><title>modcert report: ");
    esc(o, mc__str(json_object_get(r, "module"), "name", "?"));
    mc_buf_printf(o,
                  "</title><style>%s</style><script>%s</script></head>\n"
                  "<body><main>\n",
                  css, js);
    verdict_html(o, r);
    identity_html(o, r);
    run_html(o, r);
    findings_html(o, r);
    suppressions_html(o, r);
    mc_buf_puts(o, "</main></body></html>\n");
}
