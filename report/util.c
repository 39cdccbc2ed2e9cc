/* util.c — small helpers shared by report/'s files (see internal.h). */
#include "internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mc_file.h"

const char *mc__str(const json_t *obj, const char *key, const char *def)
{
    const json_t *v = json_is_object(obj) ? json_object_get(obj, key) : NULL;
    return json_is_string(v) ? json_string_value(v) : def;
}

long long mc__int(const json_t *obj, const char *key, long long def)
{
    const json_t *v = json_is_object(obj) ? json_object_get(obj, key) : NULL;
    if (json_is_integer(v))
        return json_integer_value(v);
    if (json_is_real(v))
        return (long long)json_real_value(v);
    return def;
}

int mc__bool(const json_t *obj, const char *key, int def)
{
    const json_t *v = json_is_object(obj) ? json_object_get(obj, key) : NULL;
    return json_is_boolean(v) ? json_is_true(v) : def;
}

void mc__err(struct mc_buf *err, const char *fmt, ...)
{
    if (!err)
        return;
    va_list ap;
    va_start(ap, fmt);
    char tmp[1024];
    vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (err->len)
        mc_buf_puts(err, "; ");
    mc_buf_puts(err, tmp);
}

int mc__severity_rank(const char *sev)
{
    static const char *const names[] = {"info", "low", "medium", "high"};
    for (int i = 0; sev && i < 4; i++) {
        if (!strcmp(sev, names[i]))
            return i;
    }
    return -1;
}

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        s[--n] = '\0';
    return s;
}

/* A knowledge line: fields separated by TABs, or by '|' (the analyzer's
 * data files: "name | fix | source"). */
static void split_tsv_line(char *line, json_t *table)
{
    const char *sep = strchr(line, '\t') ? "\t" : "|";
    char *save = NULL;
    char *name = strtok_r(line, sep, &save);
    if (!name || !*(name = trim(name)))
        return;
    json_t *fields = json_array();
    for (char *f = strtok_r(NULL, sep, &save); f;
         f = strtok_r(NULL, sep, &save))
        json_array_append_new(fields, json_string(trim(f)));
    json_object_set_new(table, name, fields);
}

json_t *mc__tsv_parse(const char *text)
{
    char *copy = mc_xstrdup(text);
    json_t *table = json_object();
    char *save = NULL;
    for (char *line = strtok_r(copy, "\n", &save); line;
         line = strtok_r(NULL, "\n", &save)) {
        size_t n = strlen(line);
        if (n && line[n - 1] == '\r')
            line[n - 1] = '\0';
        if (line[0] == '#' || line[0] == '\0')
            continue;
        split_tsv_line(line, table);
    }
    free(copy);
    return table;
}

mc_status mc__tsv_load(const char *path, json_t **out, struct mc_buf *err)
{
    char *text = NULL;
    if (mc_file_read(path, &text, NULL) != MC_OK) {
        mc__err(err, "cannot read knowledge file '%s'", path);
        return MC_ERR_IO;
    }
    *out = mc__tsv_parse(text);
    free(text);
    return MC_OK;
}

const char *mc__basename(const char *path)
{
    if (!path)
        return "";
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

static int is_suffix_at_slash(const char *longer, const char *shorter)
{
    size_t nl = strlen(longer), ns = strlen(shorter);
    if (ns == 0 || ns > nl)
        return 0;
    if (strcmp(longer + nl - ns, shorter) != 0)
        return 0;
    return ns == nl || longer[nl - ns - 1] == '/';
}

int mc__same_file(const char *a, const char *b)
{
    if (!a || !b || !*a || !*b)
        return 0;
    while (!strncmp(a, "./", 2))
        a += 2;
    while (!strncmp(b, "./", 2))
        b += 2;
    return is_suffix_at_slash(a, b) || is_suffix_at_slash(b, a);
}

void mc__html_escape(struct mc_buf *out, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
            case '&':
                mc_buf_puts(out, "&amp;");
                break;
            case '<':
                mc_buf_puts(out, "&lt;");
                break;
            case '>':
                mc_buf_puts(out, "&gt;");
                break;
            case '"':
                mc_buf_puts(out, "&quot;");
                break;
            case '\'':
                mc_buf_puts(out, "&#39;");
                break;
            default:
                if ((unsigned char)*s < 0x20 && *s != '\n' && *s != '\t')
                    mc_buf_putc(out, '?');
                else
                    mc_buf_putc(out, *s);
        }
    }
}

void mc__md_escape(struct mc_buf *out, const char *s)
{
    for (; s && *s; s++) {
        if (*s == '<')
            mc_buf_puts(out, "&lt;");
        else if (*s == '>')
            mc_buf_puts(out, "&gt;");
        else if (*s == '&')
            mc_buf_puts(out, "&amp;");
        else if (*s == '\n' || *s == '\r')
            mc_buf_putc(out, ' ');
        else {
            if (strchr("\\`*_[]()|#!~", *s))
                mc_buf_putc(out, '\\');
            mc_buf_putc(out, *s);
        }
    }
}

void mc__date(time_t t, char out[11])
{
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 11, "%Y-%m-%d", &tm);
}

void mc__timestamp(time_t t, char out[21])
{
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

int mc__parse_expiry(const char *s, time_t *out)
{
    int y, m, d;
    char tail;
    if (!s || sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3)
        return -1;
    if (y < 1970 || m < 1 || m > 12 || d < 1 || d > 31)
        return -1;
    struct tm tm = {0};
    tm.tm_year = y - 1900;
    tm.tm_mon = m - 1;
    tm.tm_mday = d + 1; /* the acceptance holds through that whole day */
    *out = timegm(&tm);
    return 0;
}

void mc__root_cause(const json_t *f, struct mc_buf *out)
{
    const char *check = mc__str(f, "check", "");
    const char *sym = mc__str(f, "symbol", "");
    if (*sym) {
        if (strstr(check, "mt-unsafe") ||
            !strcmp(check, "static-buffer-return"))
            mc_buf_printf(out, "call %s", sym);
        else if (!strcmp(check, "binary-library-caveat"))
            mc_buf_printf(out, "library %s", sym);
        else
            mc_buf_printf(out, "global %s", sym);
        return;
    }
    const char *file = mc__str(f, "file", "");
    if (!*file)
        mc_buf_puts(out, check);
    else if (mc__int(f, "line", 0) <= 0)
        mc_buf_puts(out, mc__basename(file));
    else
        mc_buf_printf(out, "%s:%lld", mc__basename(file),
                      mc__int(f, "line", 0));
}

void mc__check_doc(struct mc_buf *out, const char *check)
{
    if (!strncmp(check, "binary-", 7))
        mc_buf_printf(out, "docs/audit.md#%s", check);
    else if (!strncmp(check, "dynamic-", 8))
        mc_buf_printf(out, "docs/report.md#%s", check);
    else
        mc_buf_printf(out, "docs/checks/%s.md", check);
}

static const struct {
    const char *id;
    const char *summary;
} check_summaries[] = {
    {"global-race", "Unsynchronized write, or read/write pair, of shared "
                    "global or static state reachable at request time."},
    {"mt-unsafe-call", "Call of an MT-unsafe library function reachable at "
                       "request time."},
    {"config-mutation", "Write to server config or unmerged per-directory "
                        "config at request time."},
    {"shared-pool-alloc", "Allocation from a shared pool (pconf, "
                          "s->process->pool, a pool kept in a global) at "
                          "request time."},
    {"static-buffer-return", "Function returning a pointer into a static "
                             "buffer, used at request time."},
    {"lock-leak", "A lock not released on some path."},
    {"lock-order", "Two locks taken in inconsistent orders."},
    {"large-stack-frame", "A request-time function whose stack frame is too "
                          "large for a small (Windows-like) thread stack."},
    {"binary-mt-unsafe-import", "The module binary imports an MT-unsafe "
                                "library function."},
    {"binary-library-caveat", "The module links a library with known "
                              "thread-safety caveats."},
    {"binary-writable-global", "The module binary owns writable global "
                               "data, shared by all threads of a process."},
    {"dynamic-race", "A data race observed by a race detector while the "
                     "module served concurrent requests."},
    {"dynamic-failed-check", "A response failed its scenario check under "
                             "concurrent load."},
    {"dynamic-crash", "The module crashed (signal or abort) under load."},
    {"dynamic-deadlock", "Threads stopped making progress (deadlock) under "
                         "load."},
    {"dynamic-exit", "The module called exit() while serving requests."},
    {"dynamic-timeout", "The run did not finish within its time bound."},
};

const char *mc__check_summary(const char *check)
{
    for (size_t i = 0; i < MC_ARRAY_LEN(check_summaries); i++) {
        if (!strcmp(check_summaries[i].id, check))
            return check_summaries[i].summary;
    }
    return "A thread-safety finding reported by modcert.";
}
