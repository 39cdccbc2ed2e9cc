/*
 * cmd_load.c — `modcert load`: drive a scenario against a running server
 * and check every response. Argument parsing and output only; the work is
 * mc_load_run (load.h).
 */
#include "load.h"

#include <errno.h>
#include <http_parser.h>
#include <stdlib.h>
#include <string.h>

#include "mc_file.h"

#define PROG "modcert load"

static const char load_help[] =
    "usage: modcert load --url http://HOST:PORT[/PATH] [options]\n"
    "\n"
    "Drives concurrent keep-alive HTTP/1.1 load at a running server and\n"
    "checks every response against a scenario (docs/scenario.md).\n"
    "\n"
    "options:\n"
    "  --url URL              server to load (http only); without\n"
    "                         --scenario, PATH (default /) is requested\n"
    "                         with a unique ?t={token} each, expecting 200\n"
    "  --scenario FILE        scenario JSON (setup, load mix, final,\n"
    "                         expectations, relations)\n"
    "  -c, --connections C    concurrent keep-alive connections (16)\n"
    "  -t, --threads T        load threads, at most C (2)\n"
    "  -n, --requests N       load-phase bound in requests; 0: none (1000)\n"
    "  -d, --seconds S        load-phase bound in seconds; 0: none (10);\n"
    "                         the load stops at whichever comes first\n"
    "  --timeout MS           per-request timeout in milliseconds (10000)\n"
    "  --seed N               seed of the tokens and the request mix\n"
    "                         (default: from the clock; printed)\n"
    "  --json OUT             write the result as JSON to OUT ('-': stdout,\n"
    "                         the summary then goes to stderr)\n"
    "  --show N               failures described in the summary (5)\n"
    "  -q, --quiet            no summary and no progress line\n"
    "  -h, --help             this text\n"
    "Values may also be attached: --requests=500, -c64.\n"
    "\n"
    "A progress line is written to stderr only when it is a terminal.\n"
    "exit status: 0 every check and relation held; 1 some check or\n"
    "relation failed; 2 the run could not be done or was cut short (bad\n"
    "arguments or scenario, server not reachable, ...).\n";

struct load_args {
    const char *url, *scenario, *json;
    int quiet;
    size_t show;
    char host[256];
    char path[1024];
    struct mc_load_opts o;
};

static int parse_u64(const char *opt, const char *s, uint64_t max,
                     uint64_t *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || end == s || *end || *s == '-' || v > max) {
        mc_error(PROG, "%s: '%s' is not a number from 0 to %llu", opt, s,
                 (unsigned long long)max);
        return 0;
    }
    *out = v;
    return 1;
}

static int parse_secs(const char *s, double *out)
{
    char *end;
    double v = strtod(s, &end);
    if (end == s || *end || !(v >= 0) || v > 1e6) {
        mc_error(PROG, "--seconds: '%s' is not a number of seconds", s);
        return 0;
    }
    *out = v;
    return 1;
}

static int parse_url(struct load_args *a)
{
    struct http_parser_url u;
    http_parser_url_init(&u);
    size_t n = strlen(a->url);
    if (http_parser_parse_url(a->url, n, 0, &u) ||
        !(u.field_set & (1 << UF_SCHEMA)) || !(u.field_set & (1 << UF_HOST)) ||
        u.field_data[UF_SCHEMA].len != 4 ||
        strncasecmp(a->url + u.field_data[UF_SCHEMA].off, "http", 4)) {
        mc_error(PROG, "--url: '%s' is not an http://HOST:PORT URL", a->url);
        return 0;
    }
    snprintf(a->host, sizeof a->host, "%.*s", (int)u.field_data[UF_HOST].len,
             a->url + u.field_data[UF_HOST].off);
    a->o.port = (u.field_set & (1 << UF_PORT)) ? u.port : 80;
    a->o.host = a->host;
    size_t off = (u.field_set & (1 << UF_PATH)) ? u.field_data[UF_PATH].off : n;
    snprintf(a->path, sizeof a->path, "%s", off < n ? a->url + off : "/");
    char *frag = strchr(a->path, '#');
    if (frag)
        *frag = '\0';
    return 1;
}

/* Sets option `name` (long form) to v; returns 1 ok, 0 error. */
static int set_opt(struct load_args *a, const char *name, const char *v)
{
    uint64_t n;
    if (!strcmp(name, "--url"))
        a->url = v;
    else if (!strcmp(name, "--scenario"))
        a->scenario = v;
    else if (!strcmp(name, "--json"))
        a->json = v;
    else if (!strcmp(name, "--connections")) {
        if (!parse_u64(name, v, 10000, &n))
            return 0;
        a->o.connections = (unsigned)n;
    } else if (!strcmp(name, "--threads")) {
        if (!parse_u64(name, v, 256, &n))
            return 0;
        a->o.threads = (unsigned)n;
    } else if (!strcmp(name, "--requests")) {
        return parse_u64(name, v, UINT64_MAX / 2, &a->o.requests);
    } else if (!strcmp(name, "--seconds")) {
        return parse_secs(v, &a->o.seconds);
    } else if (!strcmp(name, "--timeout")) {
        if (!parse_u64(name, v, 3600000, &n))
            return 0;
        if (!n) {
            mc_error(PROG, "--timeout: must be at least 1 ms");
            return 0;
        }
        a->o.timeout_ms = (unsigned)n;
    } else if (!strcmp(name, "--seed")) {
        return parse_u64(name, v, UINT64_MAX, &a->o.seed);
    } else if (!strcmp(name, "--show")) {
        if (!parse_u64(name, v, 100000, &n))
            return 0;
        a->show = (size_t)n;
    } else {
        mc_error(PROG, "unknown option '%s' (see `modcert load --help`)", name);
        return 0;
    }
    return 1;
}

/* The long name of a valued option: "--x", "--x=V", "-c", "-c16". Sets
 * *inline_v when the value is attached. NULL when it takes no value. */
static const char *option_name(const char *arg, char *buf, size_t len,
                               const char **inline_v)
{
    static const char *const shorts[][2] = {{"-c", "--connections"},
                                            {"-t", "--threads"},
                                            {"-n", "--requests"},
                                            {"-d", "--seconds"}};
    *inline_v = NULL;
    if (!strncmp(arg, "--", 2)) {
        const char *eq = strchr(arg, '=');
        if (eq)
            *inline_v = eq + 1;
        snprintf(buf, len, "%.*s", (int)(eq ? eq - arg : (long)strlen(arg)),
                 arg);
        return buf;
    }
    for (size_t i = 0; i < MC_ARRAY_LEN(shorts); i++) {
        if (strncmp(arg, shorts[i][0], 2))
            continue;
        if (arg[2])
            *inline_v = arg + 2;
        return shorts[i][1];
    }
    return arg;
}

/* One argument; returns 1 ok, 0 error, -1 help. *i advances past a value. */
static int parse_opt(struct load_args *a, int argc, char **argv, int *i)
{
    const char *arg = argv[*i];
    if (!strcmp(arg, "--help") || !strcmp(arg, "-h"))
        return -1;
    if (!strcmp(arg, "--quiet") || !strcmp(arg, "-q")) {
        a->quiet = 1;
        return 1;
    }
    char buf[64];
    const char *v;
    const char *name = option_name(arg, buf, sizeof buf, &v);
    if (strncmp(name, "--", 2)) {
        mc_error(PROG, "unknown option '%s' (see `modcert load --help`)", arg);
        return 0;
    }
    if (!v && *i + 1 >= argc) {
        mc_error(PROG,
                 "'%s' needs a value (see "
                 "`modcert load --help`)",
                 arg);
        return 0;
    }
    if (!v)
        v = argv[++*i];
    return set_opt(a, name, v);
}

static int parse_args(struct load_args *a, int argc, char **argv)
{
    memset(a, 0, sizeof *a);
    mc_load_opts_init(&a->o);
    a->o.progress = 1;
    a->show = 5;
    for (int i = 1; i < argc; i++) {
        int rc = parse_opt(a, argc, argv, &i);
        if (rc <= 0)
            return rc;
    }
    if (!a->url) {
        mc_error(PROG, "--url is required (see `modcert load --help`)");
        return 0;
    }
    if (a->quiet)
        a->o.progress = 0;
    if (a->o.threads > a->o.connections)
        a->o.threads = a->o.connections ? a->o.connections : 1;
    return parse_url(a);
}

static int write_json(const struct load_args *a, const struct mc_load_result *r)
{
    json_t *j = mc_load_result_json(r, &a->o);
    char *text = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(j);
    if (!text) {
        mc_error(PROG, "%s: cannot encode the result as JSON", a->json);
        return 0;
    }
    int ok = 1;
    if (!strcmp(a->json, "-")) {
        fputs(text, stdout);
        fputc('\n', stdout);
    } else {
        size_t n = strlen(text);
        text[n] = '\n';
        ok = mc_file_write_atomic(a->json, text, n + 1) == MC_OK;
        text[n] = '\0';
        if (!ok)
            mc_error(PROG, "%s: cannot write the JSON result", a->json);
    }
    free(text);
    return ok;
}

static struct mc_scenario *load_scenario(const struct load_args *a)
{
    if (!a->scenario)
        return mc_scenario_default(a->path);
    struct mc_scenario *s = NULL;
    char err[1024];
    if (mc_scenario_load(a->scenario, &s, err, sizeof err)) {
        mc_error(PROG, "%s", err);
        return NULL;
    }
    return s;
}

int mc_cmd_load(int argc, char **argv)
{
    struct load_args a;
    int rc = parse_args(&a, argc, argv);
    if (rc < 0) {
        fputs(load_help, stdout);
        return MC_EXIT_OK;
    }
    if (!rc)
        return MC_EXIT_INCOMPLETE;
    struct mc_scenario *s = load_scenario(&a);
    if (!s)
        return MC_EXIT_INCOMPLETE;
    a.o.scenario = s;
    struct mc_load_result r;
    char err[512];
    if (mc_load_run(&a.o, &r, err, sizeof err)) {
        mc_error(PROG, "%s", err);
        mc_load_result_free(&r);
        mc_scenario_free(s);
        return MC_EXIT_INCOMPLETE;
    }
    int status = mc_load_exit_status(&r);
    if (!a.quiet)
        mc_load_print_summary(a.json && !strcmp(a.json, "-") ? stderr : stdout,
                              &r, &a.o, a.show);
    if (a.json && !write_json(&a, &r))
        status = MC_EXIT_INCOMPLETE;
    mc_load_result_free(&r);
    mc_scenario_free(s);
    return status;
}
