/*
 * load_report.c — a load result as JSON and as a human summary.
 */
#include "load.h"

#include <string.h>

static json_t *latency_json(const struct mc_latency *l)
{
    return json_pack("{s:s, s:f, s:f, s:f, s:f, s:f}", "unit", "ms", "p50",
                     l->p50_ms, "p90", l->p90_ms, "p99", l->p99_ms, "max",
                     l->max_ms, "mean", l->mean_ms);
}

static json_t *status_json(const struct mc_load_result *r)
{
    json_t *o = json_object();
    for (unsigned i = 0; i < 600; i++) {
        if (!r->status[i])
            continue;
        char k[8];
        snprintf(k, sizeof k, "%u", i);
        json_object_set_new(o, i ? k : "other",
                            json_integer((json_int_t)r->status[i]));
    }
    return o;
}

static json_t *failures_json(const struct mc_load_result *r)
{
    json_t *a = json_array();
    for (size_t i = 0; i < r->nfailures; i++) {
        const struct mc_load_failure *f = &r->failures[i];
        json_array_append_new(
            a, json_pack("{s:s, s:s, s:I, s:i, s:s, s:s, s:s, s:f}", "request",
                         f->request, "section", f->section, "seq",
                         (json_int_t)f->seq, "conn", (int)f->conn, "check",
                         f->check, "expected", f->expected, "got", f->got,
                         "t_ms", f->t_ms));
    }
    return a;
}

static json_t *relation_json(const struct mc_relation_result *rr,
                             const struct mc_relation *rel, int evaluated)
{
    json_t *o = json_pack(
        "{s:s, s:s, s:s}", "kind", mc_rel_kind_name(rel->kind), "request",
        rel->request->id, "capture", rel->request->captures[rel->capture].name);
    if (rel->of)
        json_object_set_new(o, "of", json_string(rel->of->id));
    if (rel->kind != MC_REL_DISTINCT)
        json_object_set_new(o, "offset", json_integer(rel->offset));
    json_object_set_new(o, "ok",
                        evaluated ? json_boolean(rr->ok) : json_null());
    json_object_set_new(o, "expected",
                        evaluated ? json_string(rr->expected) : json_null());
    json_object_set_new(o, "got",
                        evaluated
                            ? json_string(rr->got)
                            : json_string("not evaluated: run incomplete"));
    return o;
}

static json_t *relations_json(const struct mc_load_result *r,
                              const struct mc_scenario *s)
{
    json_t *a = json_array();
    for (size_t i = 0; i < r->nrelations; i++)
        json_array_append_new(
            a, relation_json(&r->relations[i], &s->relations[i], r->complete));
    return a;
}

json_t *mc_load_result_json(const struct mc_load_result *r,
                            const struct mc_load_opts *o)
{
    json_t *j = json_object();
    json_object_set_new(j, "host", json_string(o->host));
    json_object_set_new(j, "port", json_integer(o->port));
    json_object_set_new(j, "scenario", json_string(o->scenario->name));
    json_object_set_new(j, "connections", json_integer(o->connections));
    json_object_set_new(j, "threads", json_integer(o->threads));
    json_object_set_new(j, "seed", json_integer((json_int_t)r->seed));
    json_object_set_new(j, "requests", json_integer((json_int_t)r->requests));
    json_object_set_new(j, "setup_requests",
                        json_integer((json_int_t)r->setup_requests));
    json_object_set_new(j, "final_requests",
                        json_integer((json_int_t)r->final_requests));
    json_object_set_new(j, "seconds", json_real(r->seconds));
    json_object_set_new(j, "complete", json_boolean(r->complete));
    json_object_set_new(j, "incomplete_reason",
                        r->complete ? json_null()
                                    : json_string(r->incomplete_reason));
    json_object_set_new(j, "rps", json_real(r->rps));
    json_object_set_new(j, "latency", latency_json(&r->latency));
    json_object_set_new(j, "status", status_json(r));
    json_object_set_new(j, "failed", json_integer((json_int_t)r->failed));
    json_object_set_new(
        j, "first_failure_ms",
        r->first_failure_ms < 0 ? json_null() : json_real(r->first_failure_ms));
    json_t *by = json_object();
    for (unsigned k = 0; k < MC_CHECK_KINDS; k++)
        if (r->failed_by_check[k])
            json_object_set_new(
                by, mc_check_kind_name((enum mc_check_kind)k),
                json_integer((json_int_t)r->failed_by_check[k]));
    json_object_set_new(j, "failed_by_check", by);
    json_object_set_new(j, "timeouts", json_integer((json_int_t)r->timeouts));
    json_object_set_new(j, "closed", json_integer((json_int_t)r->closed));
    json_object_set_new(j, "resent", json_integer((json_int_t)r->resent));
    json_object_set_new(j, "connect_errors",
                        json_integer((json_int_t)r->connect_errors));
    json_object_set_new(j, "failures", failures_json(r));
    json_object_set_new(j, "relations", relations_json(r, o->scenario));
    json_object_set_new(j, "relations_failed",
                        json_integer((json_int_t)r->relations_failed));
    json_object_set_new(j, "exit_status", json_integer(mc_load_exit_status(r)));
    return j;
}

static void print_status(FILE *out, const struct mc_load_result *r)
{
    fprintf(out, "  status    ");
    int any = 0;
    for (unsigned i = 0; i < 600; i++) {
        if (!r->status[i])
            continue;
        fprintf(out, "%s %u: %llu", any ? "," : "", i,
                (unsigned long long)r->status[i]);
        any = 1;
    }
    fprintf(out, "%s\n", any ? "" : " (no responses)");
}

static void print_failures(FILE *out, const struct mc_load_result *r,
                           size_t show)
{
    if (!r->failed) {
        fprintf(out, "  checks     all passed\n");
        return;
    }
    fprintf(out, "  checks     %llu request(s) FAILED:",
            (unsigned long long)r->failed);
    const char *sep = " ";
    for (unsigned k = 0; k < MC_CHECK_KINDS; k++) {
        if (!r->failed_by_check[k])
            continue;
        fprintf(out, "%s%s %llu", sep,
                mc_check_kind_name((enum mc_check_kind)k),
                (unsigned long long)r->failed_by_check[k]);
        sep = ", ";
    }
    fputc('\n', out);
    for (size_t i = 0; i < r->nfailures && i < show; i++) {
        const struct mc_load_failure *f = &r->failures[i];
        fprintf(out,
                "    %s '%s' seq %llu conn %u: %s: expected \"%s\", got "
                "\"%s\"\n",
                f->section, f->request, (unsigned long long)f->seq, f->conn,
                f->check, f->expected, f->got);
    }
    if (r->failed > show && r->nfailures > 0)
        fprintf(
            out, "    ... (%llu more)\n",
            (unsigned long long)(r->failed -
                                 (show < r->nfailures ? show : r->nfailures)));
}

static void print_relations(FILE *out, const struct mc_load_result *r,
                            const struct mc_scenario *s)
{
    if (!r->nrelations)
        return;
    fprintf(out, "  relations  %zu of %zu held%s\n",
            r->complete ? r->nrelations - r->relations_failed : 0,
            r->nrelations, r->complete ? "" : " (not evaluated)");
    for (size_t i = 0; r->complete && i < r->nrelations; i++) {
        const struct mc_relation *rel = &s->relations[i];
        const struct mc_relation_result *rr = &r->relations[i];
        fprintf(out, "    %s %s %s.%s: expected %s, got %s\n",
                rr->ok ? "ok    " : "FAILED", mc_rel_kind_name(rel->kind),
                rel->request->id, rel->request->captures[rel->capture].name,
                rr->expected, rr->got);
    }
}

void mc_load_print_summary(FILE *out, const struct mc_load_result *r,
                           const struct mc_load_opts *o, size_t show)
{
    fprintf(out,
            "modcert load: %s:%u, scenario '%s', %u connections, %u "
            "threads, seed %llu\n",
            o->host, o->port, o->scenario->name, o->connections, o->threads,
            (unsigned long long)r->seed);
    fprintf(out,
            "  requests   %llu in %.2f s (%.0f req/s); setup %llu, "
            "final %llu\n",
            (unsigned long long)r->requests, r->seconds, r->rps,
            (unsigned long long)r->setup_requests,
            (unsigned long long)r->final_requests);
    fprintf(out,
            "  latency    p50 %.3f ms, p90 %.3f ms, p99 %.3f ms, max %.3f "
            "ms\n",
            r->latency.p50_ms, r->latency.p90_ms, r->latency.p99_ms,
            r->latency.max_ms);
    print_status(out, r);
    print_failures(out, r, show);
    print_relations(out, r, o->scenario);
    if (r->connect_errors)
        fprintf(out, "  connect    %llu failed connection attempts\n",
                (unsigned long long)r->connect_errors);
    if (!r->complete)
        fprintf(out, "  INCOMPLETE %s\n", r->incomplete_reason);
}
