/* test_load.c — the load client (mc_load_run) against tiny_httpd: correct
 * answers pass over keep-alive, chunked, close-delimited and closing
 * connections; wrong answers, dropped connections, timeouts and broken
 * relations are detected and described. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <pthread.h>
#include <time.h>
#include <unistd.h>

#include "load.h"
#include "tiny_httpd.h"

struct fixture {
    struct tiny_httpd *srv;
    struct mc_scenario *scn;
    struct mc_load_opts o;
    struct mc_load_result r;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    f->srv = tiny_start();
    if (!f->srv)
        return -1;
    mc_load_opts_init(&f->o);
    f->o.port = tiny_port(f->srv);
    f->o.connections = 8;
    f->o.threads = 2;
    f->o.requests = 400;
    f->o.seconds = 20;
    f->o.seed = 12345;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    mc_load_result_free(&f->r);
    mc_scenario_free(f->scn);
    if (f->srv)
        tiny_stop(f->srv);
    free(f);
    return 0;
}

/* Parses the scenario and runs it; fails the test if the run cannot start. */
static struct mc_load_result *run(struct fixture *f, const char *scenario)
{
    char err[512];
    mc_scenario_free(f->scn);
    f->scn = NULL;
    if (mc_scenario_parse(scenario, "test.json", &f->scn, err, sizeof err))
        fail_msg("scenario: %s", err);
    f->o.scenario = f->scn;
    mc_load_result_free(&f->r);
    if (mc_load_run(&f->o, &f->r, err, sizeof err))
        fail_msg("mc_load_run: %s", err);
    if (!f->r.complete)
        fail_msg("run incomplete: %s", f->r.incomplete_reason);
    return &f->r;
}

static void assert_no_failures(const struct mc_load_result *r)
{
    if (!r->failed)
        return;
    const struct mc_load_failure *x = &r->failures[0];
    fail_msg("%llu failed; first: %s seq %llu conn %u: %s: expected \"%s\" "
             "got \"%s\"",
             (unsigned long long)r->failed, x->request,
             (unsigned long long)x->seq, x->conn, x->check, x->expected,
             x->got);
}

static void keepalive_all_pass(void **state)
{
    struct fixture *f = *state;
    struct mc_load_result *r =
        run(f, "{\"load\": [{\"id\": \"ok\", \"path\": \"/ok?t={token}\", "
               "\"expect\": {\"status\": 200, \"body\": \"ok {token}\\n\", "
               "\"headers\": {\"Content-Type\": \"text/plain\", "
               "\"X-Nope\": null}}}]}");
    assert_int_equal(r->requests, 400);
    assert_int_equal(r->failed, 0);
    assert_int_equal(r->status[200], 400);
    assert_int_equal(mc_load_exit_status(r), 0);
    assert_int_equal(tiny_requests(f->srv), 400);
    /* keep-alive: one connection per client connection, plus the probe
     * mc_load_run makes before it starts */
    assert_int_equal(tiny_accepted(f->srv), 8 + 1);
    assert_true(r->latency.p50_ms > 0);
    assert_true(r->latency.p50_ms <= r->latency.p99_ms);
    assert_true(r->latency.p99_ms <= r->latency.max_ms);
}

static void chunked_eof_and_close_pass(void **state)
{
    struct fixture *f = *state;
    f->o.requests = 150;
    struct mc_load_result *r =
        run(f, "{\"load\": ["
               "{\"id\": \"ch\", \"path\": \"/chunked?t={token}\", "
               " \"expect\": {\"status\": 200, \"body\": \"tok={token}\\n\"}},"
               "{\"id\": \"eof\", \"path\": \"/eof?t={token}\", "
               " \"expect\": {\"body\": \"ok {token}\\n\"}},"
               "{\"id\": \"cl\", \"path\": \"/close?t={token}\", "
               " \"expect\": {\"body\": \"re:^ok {token}\"}},"
               "{\"id\": \"post\", \"method\": \"POST\", \"path\": \"/echo\", "
               " \"body\": \"seq={seq} conn={conn}\", "
               " \"expect\": {\"body\": \"seq={seq} conn={conn}\"}}]}");
    assert_int_equal(r->requests, 150);
    if (r->failed)
        fail_msg("%s seq %llu: %s: expected %s got %s", r->failures[0].request,
                 (unsigned long long)r->failures[0].seq, r->failures[0].check,
                 r->failures[0].expected, r->failures[0].got);
    /* closing answers forced reconnects */
    assert_true(tiny_accepted(f->srv) > 8);
    assert_int_equal(mc_load_exit_status(r), 0);
}

static void wrong_answers_are_caught(void **state)
{
    struct fixture *f = *state;
    f->o.requests = 200;
    struct mc_load_result *r =
        run(f, "{\"load\": [{\"id\": \"w\", \"path\": \"/wrong?t={token}\", "
               "\"expect\": {\"body\": \"ok {token}\\n\"}}]}");
    assert_int_equal(r->requests, 200);
    assert_int_equal(r->failed, 40); /* every 5th answer */
    assert_int_equal(mc_load_exit_status(r), 1);
    const struct mc_load_failure *x = &r->failures[0];
    assert_string_equal(x->request, "w");
    assert_string_equal(x->section, "load");
    assert_string_equal(x->check, "body");
    assert_string_equal(x->got, "ok WRONG\\n");
    assert_non_null(strstr(x->expected, "ok "));
    assert_null(strstr(x->expected, "WRONG"));
    assert_true(x->conn < 8);
    assert_true(r->first_failure_ms >= 0);
    assert_true(r->first_failure_ms <= x->t_ms);
    for (size_t i = 1; i < r->nfailures; i++)
        assert_true(r->failures[i - 1].t_ms <= r->failures[i].t_ms);
    json_t *j = mc_load_result_json(r, &f->o);
    assert_int_equal(json_array_size(json_object_get(j, "failures")), 40);
    assert_int_equal(json_integer_value(json_object_get(j, "failed")), 40);
    assert_int_equal(r->failed_by_check[MC_CHECK_BODY], 40);
    assert_int_equal(json_integer_value(json_object_get(
                         json_object_get(j, "failed_by_check"), "body")),
                     40);
    json_decref(j);
}

static void header_checks(void **state)
{
    struct fixture *f = *state;
    f->o.requests = 100;
    struct mc_load_result *r =
        run(f, "{\"load\": [{\"path\": \"/hdr?t={token}\", \"expect\": "
               "{\"headers\": {\"x-token\": \"{token}\", \"X-Secret\": "
               "null}}}]}");
    /* tokens end in base-36 digits of seq 0..99: '0' for seq 0 and 36, 72 */
    assert_int_equal(r->failed, 3);
    assert_string_equal(r->failures[0].check, "header X-Secret");
    assert_string_equal(r->failures[0].expected, "(absent)");
    assert_string_equal(r->failures[0].got, "1");
}

static void split_and_large_responses(void **state)
{
    struct fixture *f = *state;
    f->o.requests = 40;
    f->o.connections = 4;
    struct mc_load_result *r =
        run(f, "{\"load\": ["
               "{\"id\": \"drip\", \"path\": \"/drip?t={token}\", \"expect\": "
               " {\"headers\": {\"X-Token\": \"{token}\"}, "
               "  \"body\": \"ok {token}\\n\"}},"
               "{\"id\": \"cont\", \"path\": \"/continue?t={token}\", "
               " \"expect\": {\"status\": 200, \"body\": \"ok {token}\\n\", "
               " \"headers\": {\"Content-Length\": \"re:^[0-9]+$\"}}},"
               "{\"id\": \"big\", \"path\": \"/big?t={token}\", \"expect\": "
               " {\"body\": \"re:^x+{token}\\n$\", \"body_contains\": "
               "  \"xxxx{token}\"}}]}");
    assert_int_equal(r->requests, 40);
    assert_no_failures(r);
    assert_int_equal(r->status[200], 40);
}

static const char counter_scenario[] =
    "{\"setup\": [{\"id\": \"reset\", \"path\": \"/reset\"}],"
    " \"load\": [{\"id\": \"hit\", \"path\": \"/%s?t={token}\","
    "   \"expect\": {\"status\": 200}, \"capture\": {\"n\": "
    "\"hits=([0-9]+)\"}}],"
    " \"final\": [{\"id\": \"total\", \"path\": \"/total\", "
    "   \"capture\": {\"n\": \"total=([0-9]+)\"}}],"
    " \"relations\": ["
    "  {\"kind\": \"distinct\", \"request\": \"hit\", \"capture\": \"n\"},"
    "  {\"kind\": \"max-equals-count\", \"request\": \"hit\", \"capture\": "
    "\"n\"},"
    "  {\"kind\": \"equals-count\", \"request\": \"total\", \"capture\": "
    "\"n\", \"of\": \"hit\"}]}";

static void relations_hold_for_a_locked_counter(void **state)
{
    struct fixture *f = *state;
    char scn[2048];
    snprintf(scn, sizeof scn, counter_scenario, "counter");
    struct mc_load_result *r = run(f, scn);
    assert_int_equal(r->failed, 0);
    assert_true(r->first_failure_ms < 0);
    assert_int_equal(r->setup_requests, 1);
    assert_int_equal(r->final_requests, 1);
    assert_int_equal(r->nrelations, 3);
    assert_int_equal(r->relations_failed, 0);
    assert_string_equal(r->relations[2].got, "400 from seq 401 (conn 0)");
    assert_int_equal(mc_load_exit_status(r), 0);
}

static void relations_fail_for_a_racy_counter(void **state)
{
    struct fixture *f = *state;
    char scn[2048];
    snprintf(scn, sizeof scn, counter_scenario, "racy");
    struct mc_load_result *r = run(f, scn);
    assert_int_equal(r->failed, 0);
    assert_int_equal(r->relations_failed, 3);
    assert_false(r->relations[0].ok);
    assert_non_null(strstr(r->relations[0].got, "repeated"));
    assert_string_equal(r->relations[1].expected,
                        "max 400 (400 successful 'hit' +0)");
    assert_string_equal(r->relations[2].got, "300 from seq 401 (conn 0)");
    assert_int_equal(mc_load_exit_status(r), 1);
}

static void dropped_connections_fail(void **state)
{
    struct fixture *f = *state;
    f->o.requests = 60;
    struct mc_load_result *r =
        run(f, "{\"load\": [{\"id\": \"ok\", \"path\": \"/ok?t={token}\", "
               "\"weight\": 2}, {\"id\": \"drop\", \"path\": \"/drop\"}]}");
    assert_int_equal(r->requests, 60);
    assert_true(r->failed > 0);
    assert_int_equal(r->failed, r->closed);
    assert_int_equal(r->failed_by_check[MC_CHECK_CLOSED], r->failed);
    for (size_t i = 0; i < r->nfailures; i++) {
        assert_string_equal(r->failures[i].request, "drop");
        assert_string_equal(r->failures[i].check, "connection closed");
    }
    assert_int_equal(r->status[200], 60 - r->failed);
}

/* A server that closes kept-alive connections as idle: the request sent as
 * the close arrives is resent once on a new connection, not failed. */
static void idle_closes_are_resent(void **state)
{
    struct fixture *f = *state;
    f->o.requests = 200;
    f->o.connections = 4;
    struct mc_load_result *r =
        run(f, "{\"load\": [{\"id\": \"idle\", \"path\": "
               "\"/idle?t={token}\", \"expect\": {\"status\": 200, "
               "\"body_contains\": \"ok {token}\"}}]}");
    assert_int_equal(r->requests, 200);
    assert_int_equal(r->failed, 0);
    assert_int_equal(r->status[200], 200);
    assert_true(r->resent > 0);
    assert_true(r->resent <= 200);
}

static void slow_answers_time_out(void **state)
{
    struct fixture *f = *state;
    f->o.requests = 4;
    f->o.connections = 2;
    f->o.timeout_ms = 150;
    struct mc_load_result *r =
        run(f, "{\"load\": [{\"id\": \"s\", \"path\": \"/slow\"}]}");
    assert_int_equal(r->requests, 4);
    assert_int_equal(r->failed, 4);
    assert_int_equal(r->timeouts, 4);
    assert_int_equal(r->failed_by_check[MC_CHECK_TIMEOUT], 4);
    assert_string_equal(r->failures[0].check, "timeout");
    assert_string_equal(r->failures[0].expected, "a response within 150 ms");
}

static void time_bound_stops_the_run(void **state)
{
    struct fixture *f = *state;
    f->o.requests = 0;
    f->o.seconds = 0.3;
    f->o.connections = 4;
    struct mc_load_result *r =
        run(f, "{\"load\": [{\"path\": \"/ok?t={token}\"}]}");
    assert_true(r->requests > 0);
    assert_true(r->seconds >= 0.29 && r->seconds < 10.0);
    assert_no_failures(r);
    assert_true(r->complete);
}

static void refused_connection_cannot_run(void **state)
{
    struct fixture *f = *state;
    /* a port nobody listens on: bind, read the port, close */
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET,
                            .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t alen = sizeof a;
    assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
    assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &alen), 0);
    close(fd);
    f->scn = mc_scenario_default(NULL);
    f->o.scenario = f->scn;
    f->o.port = ntohs(a.sin_port);
    char err[512];
    mc_status st = mc_load_run(&f->o, &f->r, err, sizeof err);
    assert_int_equal(st, MC_ERR_RUNTIME);
    assert_non_null(strstr(err, "cannot connect to 127.0.0.1:"));
    assert_non_null(strstr(err, "refused"));
}

static void cancel_cuts_the_run_short(void **state)
{
    struct fixture *f = *state;
    atomic_int cancel;
    atomic_init(&cancel, 1);
    f->o.cancel = &cancel;
    f->scn = mc_scenario_default("/ok");
    f->o.scenario = f->scn;
    char err[512];
    assert_int_equal(mc_load_run(&f->o, &f->r, err, sizeof err), MC_OK);
    assert_false(f->r.complete);
    assert_string_equal(f->r.incomplete_reason, "cancelled");
    assert_int_equal(mc_load_exit_status(&f->r), 2);
    assert_true(f->r.requests < 400);
}

static void *stop_server_soon(void *arg)
{
    struct fixture *f = arg;
    struct timespec ts = {0, 200 * 1000000};
    nanosleep(&ts, NULL);
    tiny_stop(f->srv);
    return NULL;
}

static void server_gone_mid_run_is_incomplete(void **state)
{
    struct fixture *f = *state;
    f->o.requests = 0;
    f->o.seconds = 10;
    f->o.unreachable_ms = 300;
    f->scn = mc_scenario_default("/ok");
    f->o.scenario = f->scn;
    pthread_t th;
    assert_int_equal(pthread_create(&th, NULL, stop_server_soon, f), 0);
    char err[512];
    mc_status st = mc_load_run(&f->o, &f->r, err, sizeof err);
    pthread_join(th, NULL);
    f->srv = NULL;
    assert_int_equal(st, MC_OK);
    assert_false(f->r.complete);
    assert_non_null(strstr(f->r.incomplete_reason, "cannot connect to"));
    assert_true(f->r.seconds < 5);
    assert_true(f->r.requests > 0);
    assert_int_equal(mc_load_exit_status(&f->r), 2);
}

static int cli(int argc, const char **args)
{
    char *argv[32];
    for (int i = 0; i < argc; i++)
        argv[i] = (char *)args[i];
    argv[argc] = NULL;
    return mc_cmd_load(argc, argv);
}

static void cli_exit_status_and_json(void **state)
{
    struct fixture *f = *state;
    char url[128], bad[128], json[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%u/ok", f->o.port);
    snprintf(bad, sizeof bad, "http://127.0.0.1:%u/missing", f->o.port);
    snprintf(json, sizeof json, "test_load_cli.%d.json", (int)getpid());
    const char *ok[] = {"load", "--url", url,      "-n", "50",
                        "-c",   "4",     "--json", json, "--quiet"};
    assert_int_equal(cli(10, ok), 0);
    json_error_t je;
    json_t *j = json_load_file(json, 0, &je);
    assert_non_null(j);
    assert_int_equal(json_integer_value(json_object_get(j, "requests")), 50);
    assert_int_equal(json_integer_value(json_object_get(j, "connections")), 4);
    assert_true(json_is_true(json_object_get(j, "complete")));
    assert_int_equal(json_integer_value(
                         json_object_get(json_object_get(j, "status"), "200")),
                     50);
    assert_non_null(json_object_get(json_object_get(j, "latency"), "p99"));
    assert_int_equal(json_array_size(json_object_get(j, "failures")), 0);
    assert_int_equal(json_integer_value(json_object_get(j, "exit_status")), 0);
    json_decref(j);

    const char *notfound[] = {"load", "--url", bad,      "-n", "10",
                              "-c",   "2",     "--json", json, "--quiet"};
    assert_int_equal(cli(10, notfound), 1);
    j = json_load_file(json, 0, &je);
    json_t *x = json_array_get(json_object_get(j, "failures"), 0);
    assert_string_equal(json_string_value(json_object_get(x, "check")),
                        "status");
    assert_string_equal(json_string_value(json_object_get(x, "expected")),
                        "200");
    assert_string_equal(json_string_value(json_object_get(x, "got")), "404");
    assert_string_equal(json_string_value(json_object_get(x, "request")),
                        "get");
    assert_true(json_is_integer(json_object_get(x, "seq")));
    assert_true(json_is_integer(json_object_get(x, "conn")));
    json_decref(j);
    unlink(json);

    const char *noscn[] = {
        "load", "--url", url, "--scenario", "/nonexistent/s.json", "-q"};
    assert_int_equal(cli(6, noscn), 2);
    const char *badopt[] = {"load", "--url", url, "--conections", "3"};
    assert_int_equal(cli(5, badopt), 2);
    const char *badnum[] = {"load", "--url", url, "-c", "x"};
    assert_int_equal(cli(5, badnum), 2);
    const char *nourl[] = {"load", "-n", "3"};
    assert_int_equal(cli(3, nourl), 2);
    const char *badurl[] = {"load", "--url", "ftp://127.0.0.1:21/"};
    assert_int_equal(cli(3, badurl), 2);
    const char *refused[] = {"load", "--url", "http://127.0.0.1:1/", "-q"};
    assert_int_equal(cli(4, refused), 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(keepalive_all_pass, setup, teardown),
        cmocka_unit_test_setup_teardown(chunked_eof_and_close_pass, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(wrong_answers_are_caught, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(header_checks, setup, teardown),
        cmocka_unit_test_setup_teardown(split_and_large_responses, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(relations_hold_for_a_locked_counter,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(relations_fail_for_a_racy_counter,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(dropped_connections_fail, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(idle_closes_are_resent, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(slow_answers_time_out, setup, teardown),
        cmocka_unit_test_setup_teardown(time_bound_stops_the_run, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(refused_connection_cannot_run, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(cancel_cuts_the_run_short, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(server_gone_mid_run_is_incomplete,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(cli_exit_status_and_json, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
