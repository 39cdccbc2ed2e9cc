/*
 * markdown.c — Markdown for CI job summaries and pull-request comments: a
 * verdict line, the reasons, what ran, and the findings grouped by root
 * cause (the shared global or the unsafe callee), each row linking its
 * check's documentation. All report text is escaped (it may come from
 * module source and must not inject markup into a PR comment).
 */
#include "internal.h"

#include <string.h>

#define MD_MAX_REASONS 20

static const char *status_word(const json_t *v)
{
    const char *s = mc__str(v, "status", "");
    return !strcmp(s, "certified")    ? "CERTIFIED"
           : !strcmp(s, "incomplete") ? "INCOMPLETE"
                                      : "NOT CERTIFIED";
}

static void header(const json_t *r, struct mc_buf *out)
{
    const json_t *v = json_object_get(r, "verdict");
    const json_t *m = json_object_get(r, "module");
    mc_buf_puts(out, "## modcert: **");
    mc_buf_puts(out, status_word(v));
    mc_buf_puts(out, "** — ");
    mc__md_escape(out, mc__str(m, "name", "?"));
    mc_buf_puts(out, "\n\n");
    const char *sha = mc__str(m, "sha256", NULL);
    if (sha)
        mc_buf_printf(out, "Module sha256 `%.16s…` · ", sha);
    mc_buf_printf(out, "modcert %s · report %s · %s\n\n",
                  mc__str(json_object_get(r, "tool"), "version", "?"),
                  mc__str(r, "schema", "?"),
                  mc__bool(r, "complete", 0) ? "complete"
                                             : "**incomplete** (cut short)");
    size_t i;
    json_t *x;
    const json_t *reasons = json_object_get(v, "reasons");
    json_array_foreach(reasons, i, x)
    {
        if (i == MD_MAX_REASONS) {
            mc_buf_printf(out, "- … and %zu more\n",
                          json_array_size(reasons) - MD_MAX_REASONS);
            break;
        }
        mc_buf_puts(out, "- ");
        mc__md_escape(out, json_string_value(x));
        mc_buf_putc(out, '\n');
    }
    mc_buf_putc(out, '\n');
}

static void lenses(const json_t *r, struct mc_buf *out)
{
    const json_t *run = json_object_get(r, "run");
    const json_t *ls = json_object_get(run, "lenses");
    mc_buf_puts(out, "**Lenses:**");
    const char *name;
    json_t *l;
    json_object_foreach((json_t *)ls, name, l)
    {
        mc_buf_printf(out, " %s: %s;", name,
                      !mc__bool(l, "ran", 0)       ? "did not run"
                      : mc__bool(l, "complete", 0) ? "ran"
                                                   : "cut short");
    }
    size_t i;
    json_t *p;
    mc_buf_puts(out, " profiles:");
    json_array_foreach(json_object_get(run, "profiles"), i, p)
    {
        mc_buf_putc(out, ' ');
        mc__md_escape(out, json_string_value(p));
    }
    mc_buf_printf(out, "; requests: %lld\n\n", mc__int(run, "requests", 0));
}

static void row(const json_t *f, struct mc_buf *out)
{
    struct mc_buf doc = MC_BUF_INIT;
    const char *check = mc__str(f, "check", "?");
    mc__check_doc(&doc, check);
    mc_buf_printf(out, "| %s | [", mc__str(f, "id", "?"));
    mc__md_escape(out, check);
    mc_buf_printf(out, "](%s) | %s | %s | ", doc.data, mc__str(f, "lens", ""),
                  mc__str(f, "severity", ""));
    mc__md_escape(out, mc__basename(mc__str(f, "file", "")));
    if (mc__int(f, "line", 0) > 0)
        mc_buf_printf(out, ":%lld", mc__int(f, "line", 0));
    mc_buf_puts(out, " | ");
    mc__md_escape(out, mc__str(f, "function", ""));
    mc_buf_puts(out, " | ");
    const json_t *by = json_object_get(f, "confirmed_by");
    if (mc__bool(f, "confirmed", 0))
        mc_buf_printf(out, "yes%s%s", json_array_size(by) ? " by " : "",
                      json_array_size(by)
                          ? json_string_value(json_array_get(by, 0))
                          : "");
    else
        mc_buf_puts(out, "no");
    mc_buf_puts(out, mc__bool(f, "suppressed", 0) ? " (accepted)" : "");
    mc_buf_puts(out, " | ");
    mc__md_escape(out, mc__str(f, "message", ""));
    mc_buf_puts(out, " |\n");
    mc_buf_free(&doc);
}

/* A PR comment holds at most 65536 characters: past this many rows the
 * tables stop and point at the full HTML/JSON report. */
#define MD_MAX_ROWS 150

static void group(const json_t *findings, const char *cause, struct mc_buf *out,
                  size_t *budget)
{
    mc_buf_puts(out, "#### ");
    mc__md_escape(out, cause);
    mc_buf_puts(out, "\n\n| ID | Check | Lens | Severity | Where | Function | "
                     "Confirmed | Message |\n|---|---|---|---|---|---|---|---|"
                     "\n");
    size_t i;
    json_t *f;
    json_array_foreach(findings, i, f)
    {
        if (*budget && !strcmp(mc__str(f, "root_cause", ""), cause)) {
            row(f, out);
            --*budget;
        }
    }
    mc_buf_putc(out, '\n');
}

/* Calls group() once per distinct root cause, in order of first finding. */
static void groups(const json_t *findings, struct mc_buf *out)
{
    size_t i, j, budget = MD_MAX_ROWS;
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
        if (!seen && budget)
            group(findings, cause, out, &budget);
    }
    if (json_array_size(findings) > MD_MAX_ROWS)
        mc_buf_printf(out,
                      "_%zu more finding(s) not shown here: see "
                      "report.html or report.json._\n\n",
                      json_array_size(findings) - MD_MAX_ROWS);
}

void mc_render_markdown(const json_t *r, struct mc_buf *out)
{
    header(r, out);
    lenses(r, out);
    const json_t *findings = json_object_get(r, "findings");
    const json_t *c = json_object_get(json_object_get(r, "verdict"), "counts");
    mc_buf_printf(out,
                  "### Findings: %zu (%lld confirmed at run time, %lld "
                  "accepted by the baseline)\n\n",
                  json_array_size(findings), mc__int(c, "confirmed", 0),
                  mc__int(c, "accepted", 0));
    if (json_array_size(findings) == 0)
        mc_buf_puts(out, "No findings.\n\n");
    groups(findings, out);
    size_t i;
    json_t *s;
    json_array_foreach(json_object_get(r, "suppressions"), i, s)
    {
        if (i == 0)
            mc_buf_puts(out, "### Accepted findings (baseline and inline "
                             "suppressions)\n\n");
        mc_buf_printf(out, "- %s ", mc__str(s, "status", "?"));
        mc__md_escape(out, mc__str(s, "check", ""));
        mc_buf_puts(out, " ");
        mc__md_escape(out, mc__str(s, "symbol", ""));
        mc_buf_puts(out, ": ");
        mc__md_escape(out, mc__str(s, "reason", ""));
        if (*mc__str(s, "expires", ""))
            mc_buf_printf(out, " (expires %s)", mc__str(s, "expires", ""));
        mc_buf_putc(out, '\n');
    }
}
