/*
 * sarif.c — SARIF 2.1.0 rendering (OASIS). One run, tool "modcert", one
 * rule per check id present, one result per finding: locations, stable
 * partialFingerprints, codeFlows for the static reaching path and, for
 * dynamic races, one threadFlow per racing thread; accepted findings carry
 * a SARIF suppression with the baseline reason.
 */
#include "internal.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static const char *level_of(const char *sev)
{
    int r = mc__severity_rank(sev);
    return r >= 3 ? "error" : r == 2 ? "warning" : "note";
}

/* Percent-encodes a path for a URI reference. */
static void uri_path(struct mc_buf *out, const char *p)
{
    static const char hex[] = "0123456789ABCDEF";
    for (; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (isalnum(c) || strchr("-._~/", c)) {
            mc_buf_putc(out, (char)c);
        } else {
            mc_buf_putc(out, '%');
            mc_buf_putc(out, hex[c >> 4]);
            mc_buf_putc(out, hex[c & 15]);
        }
    }
}

static json_t *artifact(const char *file)
{
    struct mc_buf b = MC_BUF_INIT;
    if (file[0] == '/')
        mc_buf_puts(&b, "file://");
    uri_path(&b, file);
    json_t *a = json_pack("{s:s}", "uri", b.data ? b.data : "");
    if (file[0] != '/')
        json_object_set_new(a, "uriBaseId", json_string("SRCROOT"));
    mc_buf_free(&b);
    return a;
}

/* A location from a file and line (line <= 0: the whole artifact). */
static json_t *location(const char *file, long long line, long long col,
                        const char *msg)
{
    json_t *loc = json_object();
    if (file && *file) {
        json_t *phys = json_pack("{s:o}", "artifactLocation", artifact(file));
        if (line > 0) {
            json_t *reg = json_pack("{s:I}", "startLine", (json_int_t)line);
            if (col > 0)
                json_object_set_new(reg, "startColumn", json_integer(col));
            json_object_set_new(phys, "region", reg);
        }
        json_object_set_new(loc, "physicalLocation", phys);
    }
    if (msg && *msg)
        json_object_set_new(loc, "message", json_pack("{s:s}", "text", msg));
    return loc;
}

/* The artifact a finding without a file is about: the module .so, else its
 * first source (GitHub code scanning wants a physical location). */
static const char *module_artifact(const json_t *report)
{
    const json_t *m = json_object_get(report, "module");
    const char *so = mc__str(json_object_get(m, "so"), "path", NULL);
    if (so)
        return so;
    return mc__str(json_array_get(json_object_get(m, "sources"), 0), "path",
                   "");
}

static json_t *finding_location(const json_t *f, const json_t *report)
{
    const char *file = mc__str(f, "file", "");
    json_t *loc =
        location(*file ? file : module_artifact(report), mc__int(f, "line", 0),
                 mc__int(f, "column", 0), NULL);
    const char *fn = mc__str(f, "function", "");
    if (*fn)
        json_object_set_new(
            loc, "logicalLocations",
            json_pack("[{s:s, s:s}]", "name", fn, "kind", "function"));
    return loc;
}

/* ---- code flows ------------------------------------------------------------ */

static json_t *step_location(const json_t *step, const json_t *f, int last)
{
    if (json_is_string(step)) {
        const char *fn = json_string_value(step);
        return last ? location(mc__str(f, "file", ""), mc__int(f, "line", 0),
                               mc__int(f, "column", 0), fn)
                    : location(NULL, 0, 0, fn);
    }
    const char *fn = mc__str(step, "function", mc__str(step, "func", "?"));
    return location(mc__str(step, "file", ""), mc__int(step, "line", 0), 0, fn);
}

/* The static reaching path: root (e.g. the handler hook) to the access. */
static json_t *path_flow(const json_t *f)
{
    const json_t *path = json_object_get(f, "path");
    size_t n = json_array_size(path), i;
    json_t *locs = json_array(), *step;
    const char *root = mc__str(f, "root", "");
    if (*root) {
        struct mc_buf h = MC_BUF_INIT;
        mc_buf_printf(&h, "%s hook", root);
        json_array_append_new(locs, json_pack("{s:o, s:i}", "location",
                                              location(NULL, 0, 0, h.data),
                                              "nestingLevel", 0));
        mc_buf_free(&h);
    }
    json_array_foreach(path, i, step)
    {
        json_array_append_new(
            locs, json_pack("{s:o, s:I}", "location",
                            step_location(step, f, i + 1 == n), "nestingLevel",
                            (json_int_t)(i + (*root != 0))));
    }
    struct mc_buf m = MC_BUF_INIT;
    const char *first = *root ? root
                        : json_string_value(json_array_get(path, 0))
                            ? json_string_value(json_array_get(path, 0))
                            : "its root";
    mc_buf_printf(&m, "reached in phase %s from %s", mc__str(f, "phase", "?"),
                  first);
    json_t *flow = json_pack("{s:{s:s}, s:[{s:o}]}", "message", "text", m.data,
                             "threadFlows", "locations", locs);
    mc_buf_free(&m);
    return flow;
}

static const json_t *frames_of(const json_t *stack)
{
    return json_is_array(stack) ? stack : json_object_get(stack, "frames");
}

/* One racing thread: frames are innermost first; a thread flow runs from
 * the outermost call to the access. */
static json_t *thread_flow(const json_t *stack, size_t idx)
{
    const json_t *frames = frames_of(stack);
    json_t *locs = json_array();
    for (size_t k = json_array_size(frames); k-- > 0;) {
        const json_t *fr = json_array_get(frames, k);
        json_array_append_new(
            locs,
            json_pack(
                "{s:o}", "location",
                location(mc__str(fr, "file", ""), mc__int(fr, "line", 0), 0,
                         mc__str(fr, "function", mc__str(fr, "func", "?")))));
    }
    if (json_array_size(locs) == 0)
        json_array_append_new(locs,
                              json_pack("{s:o}", "location",
                                        location(NULL, 0, 0, "(no frames)")));
    struct mc_buf m = MC_BUF_INIT;
    mc_buf_printf(&m, "%s by thread %s%s%s", mc__str(stack, "access", "access"),
                  mc__str(stack, "thread", idx ? "B" : "A"),
                  *mc__str(stack, "hook", "") ? " in hook " : "",
                  mc__str(stack, "hook", ""));
    json_t *tf =
        json_pack("{s:s, s:{s:s}, s:o}", "id", idx ? "thread-2" : "thread-1",
                  "message", "text", m.data, "locations", locs);
    mc_buf_free(&m);
    return tf;
}

static json_t *race_flow(const json_t *f)
{
    json_t *tfs = json_array();
    size_t i;
    json_t *st;
    json_array_foreach(json_object_get(f, "stacks"), i, st)
    {
        json_array_append_new(tfs, thread_flow(st, i));
    }
    return json_pack("{s:{s:s}, s:o}", "message", "text",
                     "the racing accesses, one thread flow per thread",
                     "threadFlows", tfs);
}

static json_t *code_flows(const json_t *f)
{
    json_t *flows = json_array();
    if (json_array_size(json_object_get(f, "path")) > 0 ||
        *mc__str(f, "root", ""))
        json_array_append_new(flows, path_flow(f));
    if (json_array_size(json_object_get(f, "stacks")) > 0)
        json_array_append_new(flows, race_flow(f));
    if (json_array_size(flows) == 0) {
        json_decref(flows);
        return NULL;
    }
    return flows;
}

/* ---- rules and results ------------------------------------------------------ */

static void pascal(struct mc_buf *out, const char *id)
{
    int up = 1;
    for (; *id; id++) {
        if (*id == '-') {
            up = 1;
            continue;
        }
        mc_buf_putc(out, up ? (char)toupper((unsigned char)*id) : *id);
        up = 0;
    }
}

static json_t *rule(const char *check, const char *sev)
{
    struct mc_buf name = MC_BUF_INIT, text = MC_BUF_INIT, md = MC_BUF_INIT,
                  doc = MC_BUF_INIT;
    const char *sum = mc__check_summary(check);
    pascal(&name, check);
    mc__check_doc(&doc, check);
    mc_buf_printf(&text,
                  "%s Under a threaded MPM (worker, event, winnt) "
                  "many threads run the module at once. See %s for "
                  "why it breaks, a bad and a fixed example.",
                  sum, doc.data);
    mc_buf_printf(&md,
                  "**%s** — %s\n\nUnder a threaded MPM (worker, event, "
                  "winnt) many threads run the module at once. See "
                  "[%s](%s) for why it breaks, a bad and a fixed "
                  "example.",
                  check, sum, doc.data, doc.data);
    json_t *r = json_pack(
        "{s:s, s:s, s:{s:s}, s:{s:s}, s:{s:s, s:s}, s:{s:s}, s:{s:[ss]}}", "id",
        check, "name", name.data, "shortDescription", "text", sum,
        "fullDescription", "text", sum, "help", "text", text.data, "markdown",
        md.data, "defaultConfiguration", "level", level_of(sev), "properties",
        "tags", "concurrency", "thread-safety");
    mc_buf_free(&name);
    mc_buf_free(&text);
    mc_buf_free(&md);
    mc_buf_free(&doc);
    return r;
}

static size_t rule_index(json_t *rules, const char *check, const char *sev)
{
    size_t i;
    json_t *r;
    json_array_foreach(rules, i, r)
    {
        if (!strcmp(mc__str(r, "id", ""), check))
            return i;
    }
    json_array_append_new(rules, rule(check, sev));
    return json_array_size(rules) - 1;
}

static json_t *result_message(const json_t *f)
{
    struct mc_buf m = MC_BUF_INIT;
    mc_buf_puts(&m, mc__str(f, "message", "finding"));
    if (*mc__str(f, "fix", ""))
        mc_buf_printf(&m, " Fix: %s.", mc__str(f, "fix", ""));
    const json_t *by = json_object_get(f, "confirmed_by");
    if (json_array_size(by))
        mc_buf_printf(&m, " Confirmed at run time by %s.",
                      json_string_value(json_array_get(by, 0)));
    json_t *msg = json_pack("{s:s}", "text", m.data);
    mc_buf_free(&m);
    return msg;
}

static json_t *result(const json_t *f, const json_t *report, json_t *rules)
{
    const char *check = mc__str(f, "check", "unknown");
    const char *sev = mc__str(f, "severity", "low");
    size_t idx = rule_index(rules, check, sev);
    json_t *res = json_pack(
        "{s:s, s:I, s:s, s:o, s:[o], s:{s:s}, s:{s:s, s:s, s:b, s:s, s:s}}",
        "ruleId", check, "ruleIndex", (json_int_t)idx, "level", level_of(sev),
        "message", result_message(f), "locations", finding_location(f, report),
        "partialFingerprints", "modcertFingerprint/v1",
        mc__str(f, "fingerprint", ""), "properties", "modcertId",
        mc__str(f, "id", ""), "lens", mc__str(f, "lens", ""), "confirmed",
        mc__bool(f, "confirmed", 0), "severity", sev, "rootCause",
        mc__str(f, "root_cause", ""));
    json_t *flows = code_flows(f);
    if (flows)
        json_object_set_new(res, "codeFlows", flows);
    if (mc__bool(f, "suppressed", 0))
        json_object_set_new(
            res, "suppressions",
            json_pack("[{s:s, s:s, s:s}]", "kind", "external", "status",
                      "accepted", "justification",
                      mc__str(json_object_get(f, "suppression"), "reason",
                              "accepted by the baseline")));
    return res;
}

static json_t *base_ids(const json_t *report)
{
    const char *root =
        mc__str(json_object_get(report, "module"), "source_root", "");
    if (root[0] != '/')
        return NULL;
    struct mc_buf b = MC_BUF_INIT;
    mc_buf_puts(&b, "file://");
    uri_path(&b, root);
    if (b.data[b.len - 1] != '/')
        mc_buf_putc(&b, '/');
    json_t *ids = json_pack("{s:{s:s}}", "SRCROOT", "uri", b.data);
    mc_buf_free(&b);
    return ids;
}

void mc_render_sarif(const json_t *report, struct mc_buf *out)
{
    json_t *rules = json_array(), *results = json_array();
    size_t i;
    json_t *f;
    json_array_foreach(json_object_get(report, "findings"), i, f)
    {
        json_array_append_new(results, result(f, report, rules));
    }
    const char *ver = mc__str(json_object_get(report, "tool"), "version", "0");
    json_t *run = json_pack(
        "{s:{s:{s:s, s:s, s:s, s:o}}, s:o, s:[{s:b}], s:{s:O, s:O}}", "tool",
        "driver", "name", "modcert", "version", ver, "semanticVersion", ver,
        "rules", rules, "results", results, "invocations",
        "executionSuccessful", mc__bool(report, "complete", 0), "properties",
        "verdict", json_object_get(report, "verdict"), "module",
        json_object_get(report, "module"));
    json_t *ids = base_ids(report);
    if (ids)
        json_object_set_new(run, "originalUriBaseIds", ids);
    json_t *doc = json_pack("{s:s, s:s, s:[o]}", "$schema",
                            "https://json.schemastore.org/sarif-2.1.0.json",
                            "version", "2.1.0", "runs", run);
    char *s = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    mc_buf_puts(out, s);
    mc_buf_putc(out, '\n');
    free(s);
    json_decref(doc);
}
