/*
 * session.c — a stress session (stress.h): prepare the module, stub,
 * scenario and config snippet, run one profile (or prefork then the
 * threaded one for --differential), then classify threaded-only failures,
 * deduplicate, apply suppressions and assemble the report.
 */
#include "stress.h"

#include "mc_buf.h"
#include "mc_file.h"
#include "module.h"
#include "proc.h"
#include "run.h"
#include "suppress.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

void mc_stress_opts_init(struct mc_stress_opts *o)
{
    memset(o, 0, sizeof *o);
    o->profile = "winnt";
    o->detector = "tsan";
}

static int one_of(const char *s, const char *const *set)
{
    for (; *set; ++set)
        if (!strcmp(s, *set))
            return 1;
    return 0;
}

static const char *const profiles[] = {"winnt", "worker", "prefork", NULL};
static const char *const detectors[] = {"tsan", "helgrind", "drd", "none",
                                        NULL};

/* ---- report skeleton ---------------------------------------------------- */

static json_t *abs_or_null(const char *p)
{
    char abs[PATH_MAX];
    if (!p)
        return json_null();
    return json_string(realpath(p, abs) ? abs : p);
}

static json_t *parameters(const struct mc_stress_opts *o)
{
    json_t *p = json_object();
    json_object_set_new(p, "module", abs_or_null(o->module));
    json_object_set_new(p, "config", abs_or_null(o->config));
    json_object_set_new(p, "scenario", abs_or_null(o->scenario));
    json_object_set_new(p, "profile", json_string(o->profile));
    json_object_set_new(p, "threads", json_integer(o->threads));
    json_object_set_new(p, "processes", json_integer(o->processes));
    json_object_set_new(p, "detector", json_string(o->detector));
    json_object_set_new(p, "requests", json_integer((json_int_t)o->requests));
    json_object_set_new(p, "seconds", json_real(o->seconds));
    json_object_set_new(p, "seed", json_integer((json_int_t)o->seed));
    json_object_set_new(p, "perturb", json_real(o->perturb));
    json_object_set_new(p, "differential", json_boolean(o->differential));
    json_object_set_new(p, "handler",
                        o->handler ? json_string(o->handler) : json_null());
    json_object_set_new(p, "suppressions", abs_or_null(o->suppressions));
    json_object_set_new(p, "connections", json_integer(o->connections));
    json_object_set_new(p, "watchdog", json_real(o->watchdog));
    json_object_set_new(p, "stack", json_integer((json_int_t)o->stack));
    json_object_set_new(p, "cflags",
                        o->cflags ? json_string(o->cflags) : json_null());
    return p;
}

static const char *jstr(const json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

mc_status mc_stress_opts_from_json(const json_t *p, struct mc_stress_opts *o,
                                   char *err, size_t errlen)
{
    if (!json_is_object(p) || !jstr(p, "module")) {
        snprintf(err, errlen, "report has no 'parameters' with a module");
        return MC_ERR_PARSE;
    }
    mc_stress_opts_init(o);
    o->module = jstr(p, "module");
    o->config = jstr(p, "config");
    o->scenario = jstr(p, "scenario");
    o->profile = jstr(p, "profile") ? jstr(p, "profile") : "winnt";
    o->detector = jstr(p, "detector") ? jstr(p, "detector") : "tsan";
    o->handler = jstr(p, "handler");
    o->suppressions = jstr(p, "suppressions");
    o->cflags = jstr(p, "cflags");
    o->threads = (unsigned)json_integer_value(json_object_get(p, "threads"));
    o->processes =
        (unsigned)json_integer_value(json_object_get(p, "processes"));
    o->requests = (uint64_t)json_integer_value(json_object_get(p, "requests"));
    o->seconds = json_number_value(json_object_get(p, "seconds"));
    o->seed = (uint64_t)json_integer_value(json_object_get(p, "seed"));
    o->perturb = json_number_value(json_object_get(p, "perturb"));
    o->connections =
        (unsigned)json_integer_value(json_object_get(p, "connections"));
    o->watchdog = json_number_value(json_object_get(p, "watchdog"));
    o->stack = (unsigned long)json_integer_value(json_object_get(p, "stack"));
    o->differential = json_is_true(json_object_get(p, "differential"));
    return MC_OK;
}

static const char *jstr0(const json_t *o, const char *k)
{
    const char *v = jstr(o, k);
    return v ? v : "";
}

/* ---- comparing findings ------------------------------------------------- */

/* "file:line" of a stack's innermost module frame (else innermost frame). */
static void stack_site(const json_t *st, char *out, size_t len)
{
    json_t *frames = json_object_get(st, "frames"), *fr, *pick = NULL;
    size_t i;
    out[0] = 0;
    json_array_foreach(frames, i, fr)
    {
        if (!pick && jstr(fr, "file"))
            pick = fr;
    }
    if (pick) {
        const char *f = jstr(pick, "file"), *b = strrchr(f, '/');
        snprintf(out, len, "%s:%lld", b ? b + 1 : f,
                 (long long)json_integer_value(json_object_get(pick, "line")));
    }
}

static int same_line(const json_t *a, const json_t *b)
{
    const char *fa = jstr(a, "file"), *fb = jstr(b, "file");
    const char *ba, *bb;
    if (!fa || !fb)
        return -1; /* unknown */
    ba = strrchr(fa, '/') ? strrchr(fa, '/') + 1 : fa;
    bb = strrchr(fb, '/') ? strrchr(fb, '/') + 1 : fb;
    return !strcmp(ba, bb) &&
           json_integer_value(json_object_get(a, "line")) ==
               json_integer_value(json_object_get(b, "line"));
}

/* Some module site of a's stacks equals one of b's. */
static int share_site(const json_t *a, const json_t *b)
{
    size_t i, j;
    json_t *sa, *sb;
    json_array_foreach(json_object_get(a, "stacks"), i, sa)
    {
        char x[1200];
        stack_site(sa, x, sizeof x);
        json_array_foreach(json_object_get(b, "stacks"), j, sb)
        {
            char y[1200];
            stack_site(sb, y, sizeof y);
            if (x[0] && !strcmp(x, y))
                return 1;
        }
    }
    return 0;
}

static int same_str(const json_t *a, const json_t *b, const char *k)
{
    const char *x = jstr(a, k), *y = jstr(b, k);
    return x && y && !strcmp(x, y);
}

int mc_stress_same_failure(const json_t *want, const json_t *found)
{
    const char *kind = jstr(want, "kind");
    int sl;
    if (!kind || !same_str(want, found, "kind"))
        return 0;
    if (!strcmp(kind, "failed-check"))
        return same_str(want, found, "check") &&
               same_str(want, found, "request");
    if (!strcmp(kind, "race")) {
        if (same_str(want, found, "symbol"))
            return 1;
        return same_line(want, found) == 1 || share_site(want, found);
    }
    sl = same_line(want, found);
    return sl != 0; /* same place, or a place unknown on either side */
}

static json_t *find_same(const json_t *f, json_t *set)
{
    size_t i;
    json_t *g;
    json_array_foreach(set, i, g)
    {
        if (mc_stress_same_failure(f, g))
            return g;
    }
    return NULL;
}

/* Deduplicates by access pair (races), by request+check, by place. */
static void dedup_key(const json_t *f, char *key, size_t len)
{
    char a[1200] = "", b[1200] = "";
    json_t *stacks = json_object_get(f, "stacks");
    const char *kind = jstr(f, "kind");
    if (!strcmp(kind, "failed-check")) {
        snprintf(key, len, "fc\x1f%s\x1f%s", jstr0(f, "request"),
                 jstr0(f, "check"));
        return;
    }
    if (!strcmp(kind, "race") || !strcmp(kind, "deadlock")) {
        stack_site(json_array_get(stacks, 0), a, sizeof a);
        stack_site(json_array_get(stacks, 1), b, sizeof b);
        if (strcmp(a, b) > 0) {
            char t[1200];
            memcpy(t, a, sizeof t);
            memcpy(a, b, sizeof a);
            memcpy(b, t, sizeof b);
        }
    } else {
        snprintf(a, sizeof a, "%s:%lld", jstr0(f, "file"),
                 (long long)json_integer_value(json_object_get(f, "line")));
    }
    snprintf(key, len, "%s\x1f%s\x1f%s\x1f%s", kind, jstr0(f, "profile"), a, b);
}

static json_t *dedup(json_t *findings)
{
    json_t *out = json_array(), *seen = json_object(), *f;
    size_t i;
    json_array_foreach(findings, i, f)
    {
        char key[3000];
        json_t *prev;
        long long occ = json_integer_value(json_object_get(f, "occurrences"));
        dedup_key(f, key, sizeof key);
        prev = json_object_get(seen, key);
        if (occ < 1)
            occ = 1;
        if (prev) {
            json_object_set_new(prev, "occurrences",
                                json_integer(json_integer_value(json_object_get(
                                                 prev, "occurrences")) +
                                             occ));
            continue;
        }
        json_object_set_new(f, "occurrences", json_integer(occ));
        json_object_set(seen, key, f);
        json_array_append(out, f);
    }
    json_decref(seen);
    return out;
}

/* Module findings first (in_module), then by kind; stable otherwise. */
static int finding_rank(const json_t *f)
{
    static const char *const order[] = {"crash", "exit",         "deadlock",
                                        "race",  "failed-check", "timeout"};
    int r = json_is_true(json_object_get(f, "in_module")) ? 0 : 100;
    for (size_t i = 0; i < MC_ARRAY_LEN(order); ++i)
        if (!strcmp(jstr(f, "kind"), order[i]))
            return r + (int)i;
    return r + 50;
}

static json_t *sorted(json_t *arr)
{
    json_t *out = json_array();
    for (int rank = 0; rank < 200; ++rank) {
        size_t i;
        json_t *f;
        json_array_foreach(arr, i, f)
        {
            if (finding_rank(f) == rank)
                json_array_append(out, f);
        }
    }
    return out;
}

/* ---- the session --------------------------------------------------------- */

struct session {
    struct mc_stress_opts o;
    char workdir[PATH_MAX];
    char stub[PATH_MAX];
    struct mc_module module;
    struct mc_scenario *scenario;
    char *snippet;
    char *crashcap;
    struct mc_det_ctx ctx;
    const char *moduleish[2];
    char so_base[2][256];
    json_t *report;
    char note[1024];
};

static void note(struct session *s, const char *fmt, ...) MC_PRINTF(2, 3);
static void note(struct session *s, const char *fmt, ...)
{
    va_list ap;
    if (s->note[0])
        return; /* the first reason is the one that matters */
    va_start(ap, fmt);
    vsnprintf(s->note, sizeof s->note, fmt, ap);
    va_end(ap);
}

static void defaults(struct session *s)
{
    struct mc_stress_opts *o = &s->o;
    if (!o->profile)
        o->profile = "winnt";
    if (!o->detector)
        o->detector = "tsan";
    if (!o->requests && o->seconds <= 0) {
        o->requests = 2000;
        o->seconds = 20;
    }
    if (!o->seed) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        o->seed = ((uint64_t)ts.tv_sec * 1000003u ^ (uint64_t)ts.tv_nsec) %
                      1000000000u +
                  1;
    }
}

static int is_valgrind(const char *det)
{
    return !strcmp(det, "helgrind") || !strcmp(det, "drd");
}

/* valgrind 3.19 cannot read the DWARF 5 that clang-19 writes and gives up
 * on the whole binary: it gets a copy of the host without debug info
 * (stub frames keep their function names from the symbol table). */
static int valgrind_stub(struct session *s)
{
    char copy[PATH_MAX + 32], *out = NULL;
    int rc;
    snprintf(copy, sizeof copy, "%s/modcert-stub", s->workdir);
    char *argv[] = {"objcopy", "--strip-debug", s->stub, copy, NULL};
    rc = mc_run_capture(argv, 60, &out);
    if (rc != 0) {
        note(s, "objcopy --strip-debug %s failed: %.200s", s->stub,
             out ? out : "");
        free(out);
        return -1;
    }
    free(out);
    if (snprintf(s->stub, sizeof s->stub, "%s", copy) >= (int)sizeof s->stub)
        return -1;
    return 0;
}

/* A prebuilt module from clang has the same DWARF 5 problem: valgrind gets
 * a copy without debug info (its frames keep function names, lose lines).
 * gcc's DWARF 5 reads fine. */
static void valgrind_module(struct session *s)
{
    char *out = NULL, copy[PATH_MAX + 32];
    char *q[] = {"readelf", "-p", ".comment", s->module.so, NULL};
    int clang = mc_run_capture(q, 20, &out) == 0 && out && strstr(out, "clang");
    free(out);
    out = NULL;
    if (!clang || s->module.nsources)
        return;
    snprintf(copy, sizeof copy, "%s/%s", s->workdir,
             strrchr(s->module.so, '/') ? strrchr(s->module.so, '/') + 1
                                        : s->module.so);
    char *argv[] = {"objcopy", "--strip-debug", s->module.so, copy, NULL};
    if (mc_run_capture(argv, 60, &out) == 0) {
        mc_warn("modcert stress",
                "%s: clang DWARF 5 debug info, which valgrind cannot read: "
                "using a copy without it (no source lines; give the sources "
                "for lines)",
                s->module.so);
        free(s->module.so);
        s->module.so = mc_xstrdup(copy);
    }
    free(out);
}

static int find_stub(struct session *s)
{
    const char *dir = getenv("MODCERT_STUB_DIR"); /* startup: CLI phase */
    const char *name =
        strcmp(s->o.detector, "tsan") ? "modcert-stub" : "modcert-stub-tsan";
    char self[PATH_MAX];
    ssize_t n;
    if (dir && *dir) {
        snprintf(s->stub, sizeof s->stub, "%s/%s", dir, name);
    } else {
        n = readlink("/proc/self/exe", self, sizeof self - 1);
        if (n <= 0)
            return -1;
        self[n] = 0;
        *strrchr(self, '/') = 0;
        if (snprintf(s->stub, sizeof s->stub, "%s/%s", self, name) >=
            (int)sizeof s->stub)
            return -1;
    }
    if (access(s->stub, X_OK) != 0) {
        note(s,
             "%s: host executable not found (build it, or set "
             "MODCERT_STUB_DIR)",
             s->stub);
        return -1;
    }
    return is_valgrind(s->o.detector) ? valgrind_stub(s) : 0;
}

/* The work directory as an absolute path: the stub runs in its own
 * directory, and the preload paths must hold from anywhere. */
static int make_workdir(struct session *s)
{
    char abs[PATH_MAX];
    if (s->o.workdir) {
        snprintf(s->workdir, sizeof s->workdir, "%s", s->o.workdir);
        if (mc_mkdirs(s->workdir) != MC_OK) {
            note(s, "%s: cannot create the work directory", s->workdir);
            return -1;
        }
    } else {
        const char *tmp = getenv("TMPDIR"); /* startup: CLI phase */
        snprintf(s->workdir, sizeof s->workdir, "%s/modcert-stress-XXXXXX",
                 tmp && *tmp ? tmp : "/tmp");
        if (!mkdtemp(s->workdir)) {
            note(s, "%s: cannot create a work directory", s->workdir);
            return -1;
        }
    }
    if (!realpath(s->workdir, abs)) {
        note(s, "%s: cannot resolve the work directory", s->workdir);
        return -1;
    }
    snprintf(s->workdir, sizeof s->workdir, "%s", abs);
    return 0;
}

/* The preload list becomes "crashcap.so:tsanmodels.so". */
static void add_tsan_models(struct session *s)
{
    char err[512];
    char *models = mc_tsan_models_build(s->workdir, err, sizeof err);
    struct mc_buf b = MC_BUF_INIT;
    if (!models) {
        mc_warn("modcert stress", "%s (APR hash races not modelled)", err);
        return;
    }
    if (s->crashcap)
        mc_buf_printf(&b, "%s:%s", s->crashcap, models);
    else
        mc_buf_puts(&b, models);
    free(s->crashcap);
    free(models);
    s->crashcap = mc_buf_steal(&b);
}

static int load_inputs(struct session *s)
{
    char err[2048];
    size_t len;
    struct mc_buf cflags = MC_BUF_INIT;
    mc_status st;
    /* DWARF 4 for valgrind's debuginfo reader (see valgrind_stub) */
    mc_buf_printf(&cflags, "%s%s", s->o.cflags ? s->o.cflags : "",
                  is_valgrind(s->o.detector) ? " -gdwarf-4" : "");
    st =
        mc_module_prepare(s->o.module, !strcmp(s->o.detector, "tsan"),
                          s->workdir, cflags.data, &s->module, err, sizeof err);
    mc_buf_free(&cflags);
    if (st != MC_OK) {
        note(s, "%s", err);
        return -1;
    }
    if (s->o.scenario) {
        if (mc_scenario_load(s->o.scenario, &s->scenario, err, sizeof err) !=
            MC_OK) {
            note(s, "%s", err);
            return -1;
        }
    } else {
        s->scenario = mc_scenario_default("/");
    }
    if (s->o.config) {
        if (mc_file_read(s->o.config, &s->snippet, &len) != MC_OK) {
            note(s, "%s: cannot read the config snippet", s->o.config);
            return -1;
        }
    } else {
        struct mc_buf b = MC_BUF_INIT;
        mc_buf_printf(&b, "<Location />\n    SetHandler %s\n</Location>\n",
                      s->o.handler ? s->o.handler : s->module.handler);
        s->snippet = mc_buf_steal(&b);
    }
    if (is_valgrind(s->o.detector))
        valgrind_module(s);
    s->crashcap = mc_crashcap_build(s->workdir, err, sizeof err);
    if (!s->crashcap)
        mc_warn("modcert stress", "%s (exit() stacks not captured)", err);
    if (!strcmp(s->o.detector, "tsan"))
        add_tsan_models(s);
    return 0;
}

static void setup_ctx(struct session *s)
{
    const char *b = strrchr(s->module.so, '/');
    s->ctx.module_so = s->module.so;
    s->ctx.sources = (const char *const *)s->module.sources;
    s->ctx.nsources = s->module.nsources;
    s->ctx.functions = (const char *const *)s->module.functions;
    s->ctx.nfunctions = s->module.nfunctions;
    snprintf(s->so_base[0], sizeof s->so_base[0], "%s", b ? b + 1 : "");
    s->moduleish[0] = s->so_base[0];
    s->ctx.moduleish = s->moduleish;
    s->ctx.nmoduleish = 1;
    if (s->module.so_plain) {
        b = strrchr(s->module.so_plain, '/');
        snprintf(s->so_base[1], sizeof s->so_base[1], "%s", b ? b + 1 : "");
        s->moduleish[1] = s->so_base[1];
        s->ctx.nmoduleish = 2;
    }
}

static json_t *module_json(const struct session *s)
{
    json_t *m = json_object(), *src = json_array();
    json_object_set_new(m, "path", abs_or_null(s->o.module));
    json_object_set_new(m, "so",
                        s->module.so ? json_string(s->module.so) : json_null());
    json_object_set_new(m, "symbol",
                        s->module.symbol ? json_string(s->module.symbol)
                                         : json_null());
    json_object_set_new(m, "instrumented",
                        json_boolean(s->module.instrumented));
    for (size_t i = 0; i < s->module.nsources; ++i)
        json_array_append_new(src, json_string(s->module.sources[i]));
    json_object_set_new(m, "sources", src);
    return m;
}

/* Marks the threaded run's failures that the prefork run did not show. */
static void classify(json_t *prefork, json_t *threaded)
{
    size_t i;
    json_t *f;
    json_array_foreach(threaded, i, f)
    {
        json_object_set_new(f, "threaded_only",
                            json_boolean(!find_same(f, prefork)));
    }
}

static int run_profiles(struct session *s, json_t *runs, json_t *all)
{
    const char *list[2];
    json_t *per[2] = {NULL, NULL};
    int n = 0, complete = 1;
    if (s->o.differential) {
        list[n++] = "prefork";
        list[n++] = strcmp(s->o.profile, "prefork") ? s->o.profile : "winnt";
    } else {
        list[n++] = s->o.profile;
    }
    for (int i = 0; i < n; ++i) {
        /* The differential baseline is the module without concurrency:
         * one prefork process (per-process state stays one state). */
        struct mc_stress_opts base = s->o;
        struct mc_run_in in = {&s->o,   list[i],     NULL,
                               s->stub, s->crashcap, &s->module,
                               &s->ctx, s->scenario, s->snippet};
        struct mc_run_out out;
        char dir[PATH_MAX + 32];
        snprintf(dir, sizeof dir, "%s/%s", s->workdir, list[i]);
        in.rundir = dir;
        if (s->o.differential && i == 0) {
            base.processes = 1;
            in.o = &base;
        }
        if (!s->o.quiet)
            fprintf(stderr, "modcert stress: %s run (%s), in %s\n", list[i],
                    s->o.detector, dir);
        mc_stress_run(&in, &out);
        json_array_append_new(runs, out.run);
        per[i] = out.findings;
        if (!out.complete) {
            complete = 0;
            note(s, "%s run: %s", list[i], out.note);
        }
        if (s->o.cancel && atomic_load(s->o.cancel))
            break;
    }
    if (n == 2 && per[1])
        classify(per[0], per[1]);
    for (int i = 0; i < n; ++i)
        if (per[i]) {
            json_array_extend(all, per[i]);
            json_decref(per[i]);
        }
    return complete;
}

static void totals(json_t *report, json_t *runs)
{
    size_t i;
    json_t *r;
    json_int_t req = 0;
    double secs = 0, first = -1;
    json_array_foreach(runs, i, r)
    {
        json_t *fd = json_object_get(r, "first_detection_ms");
        req += json_integer_value(json_object_get(r, "requests"));
        secs += json_number_value(json_object_get(r, "seconds"));
        if (json_is_number(fd) && (first < 0 || json_number_value(fd) < first))
            first = json_number_value(fd);
    }
    json_object_set_new(report, "first_detection_ms",
                        first >= 0 ? json_real(first) : json_null());
    json_object_set_new(report, "requests", json_integer(req));
    json_object_set_new(report, "seconds", json_real(secs));
}

static int counts_as_finding(const json_t *f)
{
    const char *k = jstr(f, "kind");
    /* a detector's report placed in the stub or APR is information; a
     * run that stopped making progress always counts */
    if (!strcmp(k, "race") || (!strcmp(k, "deadlock") &&
                               !json_is_true(json_object_get(f, "watchdog"))))
        return json_is_true(json_object_get(f, "in_module"));
    return 1;
}

static void finish(struct session *s, json_t *all, int complete)
{
    json_t *d = dedup(all), *kept = json_array(), *supp = json_array();
    json_t *final, *f;
    size_t i;
    int counted = 0, interrupted = s->o.cancel && atomic_load(s->o.cancel);
    mc_stress_suppress_apply(s->o.suppressions, d, kept, supp, s->report);
    final = sorted(kept);
    json_array_foreach(final, i, f)
    {
        json_object_set_new(f, "index", json_integer((json_int_t)i + 1));
        counted += counts_as_finding(f);
    }
    json_object_set_new(s->report, "findings", final);
    json_object_set_new(s->report, "suppressed", supp);
    json_object_set_new(s->report, "interrupted", json_boolean(interrupted));
    if (interrupted)
        complete = 0;
    json_object_set_new(s->report, "complete", json_boolean(complete));
    json_object_set_new(s->report, "note",
                        s->note[0] ? json_string(s->note) : json_null());
    json_object_set_new(s->report, "exit_status",
                        json_integer(!complete ? MC_EXIT_INCOMPLETE
                                     : counted ? MC_EXIT_FINDINGS
                                               : MC_EXIT_OK));
    json_decref(d);
    json_decref(kept);
}

static void cleanup(struct session *s)
{
    if (!s->o.keep && !s->o.workdir && s->workdir[0]) {
        char *argv[] = {"rm", "-rf", s->workdir, NULL};
        char *out = NULL;
        mc_run_capture(argv, 60, &out);
        free(out);
    }
    mc_module_free(&s->module);
    if (s->scenario)
        mc_scenario_free(s->scenario);
    free(s->snippet);
    free(s->crashcap);
}

json_t *mc_stress_session(const struct mc_stress_opts *o, int *exit_status)
{
    struct session *s = mc_xcalloc(1, sizeof *s);
    json_t *runs = json_array(), *all = json_array(), *report;
    int complete = 0;
    s->o = *o;
    defaults(s);
    s->report = json_object();
    json_object_set_new(s->report, "schema", json_string("modcert-stress/1"));
    json_object_set_new(s->report, "parameters", parameters(&s->o));
    if (!one_of(s->o.profile, profiles))
        note(s, "unknown profile '%s' (winnt, worker, prefork)", s->o.profile);
    else if (!one_of(s->o.detector, detectors))
        note(s, "unknown detector '%s' (tsan, helgrind, drd, none)",
             s->o.detector);
    else if (!s->o.module)
        note(s, "no module given (--module PATH)");
    else if (make_workdir(s) == 0 && find_stub(s) == 0 && load_inputs(s) == 0) {
        setup_ctx(s);
        complete = run_profiles(s, runs, all);
    }
    json_object_set_new(s->report, "module", module_json(s));
    json_object_set_new(s->report, "workdir", json_string(s->workdir));
    totals(s->report, runs);
    json_object_set_new(s->report, "runs", runs);
    finish(s, all, complete);
    json_decref(all);
    *exit_status =
        (int)json_integer_value(json_object_get(s->report, "exit_status"));
    report = s->report;
    cleanup(s);
    free(s);
    return report;
}
