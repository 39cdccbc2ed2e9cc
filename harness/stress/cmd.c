/*
 * cmd.c — `modcert stress` and `modcert repro` (docs/stress.md): argument
 * parsing, SIGINT handling, the human summary and the JSON report, which is
 * always written (atomically), also for a run cut short.
 */
#include "stress.h"

#include "mc_file.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Set by the SIGINT/SIGTERM handler while a command runs; read by the
 * session's watchdog. Written only from the signal handler. */
static atomic_int mc__stress_interrupted;

static void on_interrupt(int sig)
{
    (void)sig;
    atomic_store(&mc__stress_interrupted, 1);
}

static void catch_interrupts(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_interrupt;
    sa.sa_flags = SA_RESETHAND; /* a second ^C ends the tool at once */
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
}

static void stress_usage(FILE *out)
{
    fputs(
        "usage: modcert stress --module PATH(.so | .c | source dir)\n"
        "         [--config SNIPPET] [--scenario FILE] [--handler NAME]\n"
        "         [--profile winnt|worker|prefork] [--threads N] "
        "[--processes N]\n"
        "         [--detector tsan|helgrind|drd|none] [--requests N] "
        "[--seconds S]\n"
        "         [--seed N] [--perturb P] [--differential] [--json OUT]\n"
        "         [--suppressions FILE] [--connections N] [--watchdog S]\n"
        "         [--stack BYTES] [--cflags FLAGS] [--workdir DIR] "
        "[--keep] [-q]\n"
        "\n"
        "Serves the module in modcert-stub under concurrent checked load and\n"
        "a race detector; races, failed response checks, crashes, exit()\n"
        "calls, deadlocks and timeouts become findings in a JSON report.\n"
        "\n"
        "  --module PATH       a .so, or sources compiled here with apxs' "
        "flags\n"
        "  --config SNIPPET    httpd.conf lines after the LoadModule "
        "(default:\n"
        "                      SetHandler NAME at /)\n"
        "  --scenario FILE     requests and response checks (default GET "
        "/?t={token})\n"
        "  --handler NAME      handler of the default config (default: the\n"
        "                      module name)\n"
        "  --profile P         winnt (default), worker or prefork\n"
        "  --threads N         worker threads per process (default 16)\n"
        "  --processes N       processes of worker and prefork\n"
        "  --detector D        tsan (default), helgrind, drd or none\n"
        "  --requests N        load bound in requests (default 2000)\n"
        "  --seconds S         load bound in seconds (default 20)\n"
        "  --seed N            seed of the load mix and the perturbation\n"
        "  --perturb P         yield probability at each stub perturbation\n"
        "                      point (default 0: off)\n"
        "  --differential      prefork first, then the threaded profile;\n"
        "                      classifies threaded-only failures\n"
        "  --json OUT          report path (default modcert-stress.json; - "
        "stdout)\n"
        "  --suppressions FILE known findings to drop, each with a reason\n"
        "  --connections N     client connections (default: the workers, <= "
        "64)\n"
        "  --watchdog S        no progress for S seconds is a deadlock "
        "(5)\n"
        "  --stack BYTES       worker thread stack size (ThreadStackSize)\n"
        "  --cflags FLAGS      extra compiler flags for module sources\n"
        "  --workdir DIR       keep configs, logs and detector output in "
        "DIR\n"
        "  --keep              keep the temporary work directory\n"
        "  -q, --quiet         no progress line\n"
        "\n"
        "exit status: 0 no finding, 1 findings, 2 could not complete (the\n"
        "report is written in every case). See docs/stress.md.\n",
        out);
}

static const char repro_help[] =
    "usage: modcert repro --from REPORT.json [--finding N] [--runs K] "
    "[--json OUT] [-q]\n"
    "\n"
    "Replays one finding of a modcert stress report with its recorded\n"
    "module, config, scenario, profile, seed and perturbation, K times, and\n"
    "counts the runs that show the same failure.\n"
    "\n"
    "  --from REPORT.json  the stress report holding the finding\n"
    "  --finding N         which finding (its index, default 1)\n"
    "  --runs K            how many replays (default 5, at most 1000)\n"
    "  --json OUT          write the replay counts as JSON\n"
    "  -q, --quiet         no progress lines\n"
    "\n"
    "exit status: 1 reproduced at least once, 0 never, 2 runs could not\n"
    "complete. See docs/stress.md.\n";

static int parse_u64(const char *s, uint64_t *out)
{
    char *end;
    unsigned long long v;
    if (!s || !*s || *s == '-')
        return -1;
    v = strtoull(s, &end, 10);
    if (*end)
        return -1;
    *out = v;
    return 0;
}

static int parse_num(const char *s, double *out)
{
    char *end;
    if (!s || !*s)
        return -1;
    *out = strtod(s, &end);
    return *end || *out < 0 ? -1 : 0;
}

static int set_uint(const char *v, unsigned *out)
{
    uint64_t x;
    if (parse_u64(v, &x) || x > 100000)
        return -1;
    *out = (unsigned)x;
    return 0;
}

/* One option with a value; returns 0, or -1 for a bad value, 1 unknown. */
static int stress_opt(const char *a, const char *v, struct mc_stress_opts *o,
                      const char **json)
{
    uint64_t u;
    if (!strcmp(a, "--module"))
        o->module = v;
    else if (!strcmp(a, "--config"))
        o->config = v;
    else if (!strcmp(a, "--scenario"))
        o->scenario = v;
    else if (!strcmp(a, "--profile"))
        o->profile = v;
    else if (!strcmp(a, "--detector"))
        o->detector = v;
    else if (!strcmp(a, "--handler"))
        o->handler = v;
    else if (!strcmp(a, "--json"))
        *json = v;
    else if (!strcmp(a, "--suppressions"))
        o->suppressions = v;
    else if (!strcmp(a, "--workdir"))
        o->workdir = v;
    else if (!strcmp(a, "--cflags"))
        o->cflags = v;
    else if (!strcmp(a, "--threads"))
        return set_uint(v, &o->threads);
    else if (!strcmp(a, "--processes"))
        return set_uint(v, &o->processes);
    else if (!strcmp(a, "--connections"))
        return set_uint(v, &o->connections);
    else if (!strcmp(a, "--requests"))
        return parse_u64(v, &o->requests);
    else if (!strcmp(a, "--seed"))
        return parse_u64(v, &o->seed);
    else if (!strcmp(a, "--stack")) {
        if (parse_u64(v, &u))
            return -1;
        o->stack = (unsigned long)u;
    } else if (!strcmp(a, "--seconds"))
        return parse_num(v, &o->seconds);
    else if (!strcmp(a, "--watchdog"))
        return parse_num(v, &o->watchdog);
    else if (!strcmp(a, "--perturb"))
        return parse_num(v, &o->perturb) || o->perturb > 1 ? -1 : 0;
    else
        return 1;
    return 0;
}

static int parse_stress(int argc, char **argv, struct mc_stress_opts *o,
                        const char **json)
{
    for (int i = 1; i < argc; ++i) {
        const char *a = argv[i];
        int rc;
        if (!strcmp(a, "--differential")) {
            o->differential = 1;
            continue;
        }
        if (!strcmp(a, "--keep")) {
            o->keep = 1;
            continue;
        }
        if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
            o->quiet = 1;
            continue;
        }
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            stress_usage(stdout);
            return 1;
        }
        if (i + 1 >= argc) {
            mc_error("modcert stress", "option '%s' needs a value", a);
            return -1;
        }
        rc = stress_opt(a, argv[++i], o, json);
        if (rc) {
            mc_error("modcert stress",
                     rc > 0 ? "unknown option '%s'"
                            : "bad value for '%s': '%s'",
                     a, argv[i]);
            return -1;
        }
    }
    if (!o->module) {
        mc_error("modcert stress", "--module PATH is required");
        return -1;
    }
    return 0;
}

static const char *jstr(const json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

static void print_finding(FILE *out, const json_t *f)
{
    const char *file = jstr(f, "file");
    const char *slash = file ? strrchr(file, '/') : NULL;
    fprintf(out, "  #%lld %s%s",
            (long long)json_integer_value(json_object_get(f, "index")),
            jstr(f, "kind"),
            json_is_true(json_object_get(f, "in_module")) ? "" : " (stub/APR)");
    if (file)
        fprintf(out, " at %s:%lld", slash ? slash + 1 : file,
                (long long)json_integer_value(json_object_get(f, "line")));
    if (jstr(f, "function"))
        fprintf(out, " in %s", jstr(f, "function"));
    if (jstr(f, "symbol"))
        fprintf(out, " on '%s'", jstr(f, "symbol"));
    if (jstr(f, "check"))
        fprintf(out, " check '%s' of '%s'", jstr(f, "check"),
                jstr(f, "request") ? jstr(f, "request") : "?");
    fprintf(out, " [%s, %s, seed %lld%s] x%lld\n", jstr(f, "profile"),
            jstr(f, "detector"),
            (long long)json_integer_value(json_object_get(f, "seed")),
            json_is_true(json_object_get(f, "threaded_only"))
                ? ", threaded-only"
                : "",
            (long long)json_integer_value(json_object_get(f, "occurrences")));
}

static void print_summary(FILE *out, const json_t *r)
{
    json_t *fs = json_object_get(r, "findings"), *f;
    size_t i;
    fprintf(out,
            "modcert stress: %zu finding(s), %zu suppressed; %lld requests in "
            "%.1f s; %s\n",
            json_array_size(fs),
            json_array_size(json_object_get(r, "suppressed")),
            (long long)json_integer_value(json_object_get(r, "requests")),
            json_number_value(json_object_get(r, "seconds")),
            json_is_true(json_object_get(r, "complete")) ? "complete"
                                                         : "INCOMPLETE");
    if (jstr(r, "note"))
        fprintf(out, "  note: %s\n", jstr(r, "note"));
    json_array_foreach(fs, i, f)
    {
        if (i == 20) {
            fprintf(out, "  ... (%zu more in the JSON report)\n",
                    json_array_size(fs) - 20);
            break;
        }
        print_finding(out, f);
    }
}

static int write_report(const json_t *r, const char *path)
{
    char *text = json_dumps(r, JSON_INDENT(2) | JSON_SORT_KEYS);
    int rc = 0;
    if (!text)
        return -1;
    if (!strcmp(path, "-")) {
        fputs(text, stdout);
        fputc('\n', stdout);
    } else if (mc_file_write_atomic(path, text, strlen(text)) != MC_OK) {
        mc_error("modcert stress", "%s: cannot write the report", path);
        rc = -1;
    }
    free(text);
    return rc;
}

int mc_cmd_stress(int argc, char **argv)
{
    struct mc_stress_opts o;
    const char *json = "modcert-stress.json";
    json_t *report;
    int status, rc;
    mc_stress_opts_init(&o);
    rc = parse_stress(argc, argv, &o, &json);
    if (rc)
        return rc > 0 ? MC_EXIT_OK : MC_EXIT_INCOMPLETE;
    catch_interrupts();
    o.cancel = &mc__stress_interrupted;
    report = mc_stress_session(&o, &status);
    if (write_report(report, json) != 0)
        status = MC_EXIT_INCOMPLETE;
    print_summary(strcmp(json, "-") ? stdout : stderr, report);
    json_decref(report);
    return status;
}

/* ---- repro --------------------------------------------------------------- */

struct repro_args {
    const char *from, *json;
    uint64_t finding, runs;
    int quiet;
};

static int parse_repro(int argc, char **argv, struct repro_args *a)
{
    a->finding = 1;
    a->runs = 5;
    for (int i = 1; i < argc; ++i) {
        const char *k = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(k, "-q") || !strcmp(k, "--quiet")) {
            a->quiet = 1;
            continue;
        }
        if (!strcmp(k, "-h") || !strcmp(k, "--help")) {
            fputs(repro_help, stdout);
            return 1;
        }
        if (!v) {
            mc_error("modcert repro", "option '%s' needs a value", k);
            return -1;
        }
        ++i;
        if (!strcmp(k, "--from"))
            a->from = v;
        else if (!strcmp(k, "--json"))
            a->json = v;
        else if (!strcmp(k, "--finding") && !parse_u64(v, &a->finding) &&
                 a->finding > 0)
            ;
        else if (!strcmp(k, "--runs") && !parse_u64(v, &a->runs) &&
                 a->runs > 0 && a->runs <= 1000)
            ;
        else {
            mc_error("modcert repro", "bad option or value '%s %s'", k, v);
            return -1;
        }
    }
    if (!a->from) {
        mc_error("modcert repro",
                 "usage: modcert repro --from REPORT.json [--finding N] "
                 "[--runs K] [--json OUT] [-q]");
        return -1;
    }
    return 0;
}

/* Options that replay `want` exactly: its profile, seed, perturbation. */
static void replay_opts(const json_t *want, struct mc_stress_opts *o)
{
    const char *prof = jstr(want, "profile");
    json_t *seed = json_object_get(want, "seed");
    json_t *perturb = json_object_get(want, "perturb");
    if (prof)
        o->profile = prof;
    if (json_is_integer(seed))
        o->seed = (uint64_t)json_integer_value(seed);
    if (json_is_number(perturb))
        o->perturb = json_number_value(perturb);
    if (o->differential && prof && !strcmp(prof, "prefork"))
        o->processes = 1; /* the differential baseline's one process */
    o->differential = 0;
    o->workdir = NULL;
    o->suppressions = NULL;
}

static int found_in(const json_t *want, const json_t *report)
{
    size_t i;
    json_t *f;
    json_array_foreach(json_object_get(report, "findings"), i, f)
    {
        if (mc_stress_same_failure(want, f))
            return 1;
    }
    return 0;
}

static int replay(const struct repro_args *a, const json_t *want,
                  struct mc_stress_opts *o, json_t *results)
{
    uint64_t hits = 0, done = 0;
    for (uint64_t k = 0; k < a->runs; ++k) {
        int status, hit;
        json_t *r = mc_stress_session(o, &status);
        hit = found_in(want, r);
        hits += (uint64_t)hit;
        done += json_is_true(json_object_get(r, "complete")) || hit;
        json_array_append_new(
            results,
            json_pack(
                "{s:I,s:b,s:b,s:I,s:f}", "run", (json_int_t)k + 1, "reproduced",
                hit, "complete", json_is_true(json_object_get(r, "complete")),
                "requests", json_integer_value(json_object_get(r, "requests")),
                "seconds", json_number_value(json_object_get(r, "seconds"))));
        if (!a->quiet)
            fprintf(stderr, "modcert repro: run %llu of %llu: %s\n",
                    (unsigned long long)k + 1, (unsigned long long)a->runs,
                    hit ? "reproduced" : "not reproduced");
        json_decref(r);
        if (atomic_load(&mc__stress_interrupted))
            break;
    }
    printf("modcert repro: finding #%llu (%s) reproduced in %llu of %llu "
           "runs\n",
           (unsigned long long)a->finding, jstr(want, "kind"),
           (unsigned long long)hits, (unsigned long long)a->runs);
    if (done < a->runs)
        return MC_EXIT_INCOMPLETE;
    return hits ? MC_EXIT_FINDINGS : MC_EXIT_OK;
}

int mc_cmd_repro(int argc, char **argv)
{
    struct repro_args a;
    struct mc_stress_opts o;
    json_error_t jerr;
    json_t *rep, *want, *out, *results;
    char err[512];
    int status;
    memset(&a, 0, sizeof a);
    status = parse_repro(argc, argv, &a);
    if (status)
        return status > 0 ? MC_EXIT_OK : MC_EXIT_INCOMPLETE;
    rep = json_load_file(a.from, 0, &jerr);
    if (!rep) {
        mc_error("modcert repro", "%s: line %d: %s", a.from, jerr.line,
                 jerr.text);
        return MC_EXIT_INCOMPLETE;
    }
    want = json_array_get(json_object_get(rep, "findings"), a.finding - 1);
    if (!want || mc_stress_opts_from_json(json_object_get(rep, "parameters"),
                                          &o, err, sizeof err) != MC_OK) {
        mc_error("modcert repro", "%s: %s", a.from,
                 want ? err : "no such finding (see --finding)");
        json_decref(rep);
        return MC_EXIT_INCOMPLETE;
    }
    replay_opts(want, &o);
    o.quiet = a.quiet;
    catch_interrupts();
    o.cancel = &mc__stress_interrupted;
    results = json_array();
    status = replay(&a, want, &o, results);
    out = json_pack("{s:s,s:I,s:O,s:o,s:I}", "from", a.from, "finding",
                    (json_int_t)a.finding, "want", want, "runs", results,
                    "exit_status", (json_int_t)status);
    json_object_set_new(out, "reproduced", json_integer(0));
    {
        size_t i;
        json_t *r;
        json_int_t n = 0;
        json_array_foreach(results, i, r)
        {
            n += json_is_true(json_object_get(r, "reproduced"));
        }
        json_object_set_new(out, "reproduced", json_integer(n));
    }
    if (a.json && write_report(out, a.json) != 0)
        status = MC_EXIT_INCOMPLETE;
    json_decref(out);
    json_decref(rep);
    return status;
}
