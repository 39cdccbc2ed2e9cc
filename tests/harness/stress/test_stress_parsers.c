/*
 * test_stress_parsers.c — the detector parsers (TSan text, helgrind/drd XML,
 * gdb backtraces), finding comparison and suppressions, on recorded
 * detector output under tests/harness/stress/fixtures/.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "detectors/detector.h"
#include "mc_file.h"
#include "stress/stress.h"
#include "stress/suppress.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef FIXTURES
#error "FIXTURES must name the fixture directory"
#endif

static const char *jstr(const json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

static long long jint(const json_t *o, const char *k)
{
    return (long long)json_integer_value(json_object_get(o, k));
}

static json_t *parse(const char *name, const char *so)
{
    char path[512], err[256];
    struct mc_det_ctx ctx;
    json_t *out = json_array();
    memset(&ctx, 0, sizeof ctx);
    ctx.module_so = so;
    snprintf(path, sizeof path, "%s/%s", FIXTURES, name);
    if (strstr(name, ".xml"))
        assert_int_equal(mc_valgrind_parse(path, &ctx, out, err, sizeof err),
                         MC_OK);
    else
        assert_int_equal(mc_tsan_parse(path, &ctx, out, err, sizeof err),
                         MC_OK);
    return out;
}

static const char *base(const char *p)
{
    const char *s = p ? strrchr(p, '/') : NULL;
    return s ? s + 1 : p;
}

static void tsan_race(void **state)
{
    json_t *fs = parse("tsan-counter-segv.log", "mod_hitcount.tsan.so");
    json_t *race = json_array_get(fs, 0);
    json_t *st0, *st1;
    (void)state;
    assert_int_equal(json_array_size(fs), 2);
    assert_string_equal(jstr(race, "kind"), "race");
    assert_string_equal(jstr(race, "symbol"), "hit_count");
    assert_string_equal(base(jstr(race, "file")), "mod_hitcount.c");
    assert_int_equal(jint(race, "line"), 45);
    assert_string_equal(jstr(race, "function"), "hitcount_handler");
    assert_true(json_is_true(json_object_get(race, "in_module")));
    st0 = json_array_get(json_object_get(race, "stacks"), 0);
    st1 = json_array_get(json_object_get(race, "stacks"), 1);
    assert_string_equal(jstr(st0, "access"), "read");
    assert_string_equal(jstr(st0, "thread"), "T3");
    assert_string_equal(jstr(st0, "hook"), "handler");
    assert_true(json_is_false(json_object_get(st0, "previous")));
    assert_string_equal(jstr(st1, "access"), "write");
    assert_true(json_is_true(json_object_get(st1, "previous")));
    assert_int_equal(
        jint(json_array_get(json_object_get(st1, "frames"), 0), "line"), 51);
    /* thread creation stacks are not accesses */
    assert_int_equal(json_array_size(json_object_get(race, "stacks")), 2);
    json_decref(fs);
}

static void tsan_crash(void **state)
{
    json_t *fs = parse("tsan-counter-segv.log", "mod_bigreport.tsan.so");
    json_t *crash = json_array_get(fs, 1);
    json_t *race = json_array_get(fs, 0);
    (void)state;
    assert_string_equal(jstr(crash, "kind"), "crash");
    assert_string_equal(jstr(crash, "signal"), "SEGV");
    /* the module's own line, not the inlined memset of a system header */
    assert_string_equal(base(jstr(crash, "file")), "mod_bigreport.c");
    assert_int_equal(jint(crash, "line"), 52);
    assert_true(json_is_true(json_object_get(crash, "in_module")));
    /* the counter race is not this module's: placed, but not in_module */
    assert_true(json_is_false(json_object_get(race, "in_module")));
    json_decref(fs);
}

static void tsan_lock_order(void **state)
{
    json_t *fs = parse("tsan-lock-order.log", "mod_ledger.tsan.so");
    json_t *d = json_array_get(fs, 0);
    json_t *stacks = json_object_get(d, "stacks");
    (void)state;
    assert_int_equal(json_array_size(fs), 1);
    assert_string_equal(jstr(d, "kind"), "deadlock");
    assert_int_equal(json_array_size(stacks), 4);
    assert_string_equal(jstr(json_array_get(stacks, 0), "access"), "lock");
    assert_string_equal(jstr(json_array_get(stacks, 2), "thread"), "T2");
    assert_int_equal(jint(d, "line"), 78);
    assert_string_equal(jstr(d, "function"), "ledger_transfer");
    json_decref(fs);
}

static void valgrind_xml(void **state)
{
    static const char *const files[] = {"helgrind-counter.xml",
                                        "drd-counter.xml"};
    static const char *const tools[] = {"helgrind", "drd"};
    (void)state;
    for (int i = 0; i < 2; ++i) {
        json_t *fs = parse(files[i], "module.so");
        json_t *f = json_array_get(fs, 0);
        json_t *st = json_array_get(json_object_get(f, "stacks"), 0);
        assert_int_equal(json_array_size(fs), 2); /* API errors skipped */
        assert_string_equal(jstr(f, "kind"), "race");
        assert_string_equal(jstr(f, "detector"), tools[i]);
        assert_string_equal(base(jstr(f, "file")), "mod_hitcount.c");
        assert_true(jint(f, "line") == 45 || jint(f, "line") == 51);
        assert_true(json_is_true(json_object_get(f, "in_module")));
        assert_string_equal(jstr(st, "hook"), "handler");
        if (i == 0) {
            assert_string_equal(jstr(f, "symbol"), "hit_count");
            assert_int_equal(json_array_size(json_object_get(f, "stacks")), 2);
            assert_string_equal(jstr(st, "access"), "read");
        }
        json_decref(fs);
    }
}

static void gdb_stacks(void **state)
{
    char path[512], *text;
    size_t len;
    struct mc_det_ctx ctx;
    json_t *stacks, *f;
    (void)state;
    snprintf(path, sizeof path, "%s/gdb-deadlock.txt", FIXTURES);
    assert_int_equal(mc_file_read(path, &text, &len), MC_OK);
    stacks = mc_gdb_parse_stacks(text);
    free(text);
    assert_int_equal(json_array_size(stacks), 6);
    memset(&ctx, 0, sizeof ctx);
    ctx.module_so = "/x/mod_mcdeadlock.so";
    f = mc_det_finding("deadlock", "none");
    json_array_extend(json_object_get(f, "stacks"), stacks);
    mc_det_finish(f, &ctx);
    /* take_both is inlined: gdb names the object only on its caller */
    assert_string_equal(jstr(f, "function"), "take_both");
    assert_string_equal(base(jstr(f, "file")), "mod_mcdeadlock.c");
    assert_true(jint(f, "line") == 20 || jint(f, "line") == 22);
    json_decref(stacks);
    json_decref(f);
}

static json_t *race(const char *file, int line, const char *sym)
{
    return json_pack("{s:s,s:s,s:i,s:s?,s:[]}", "kind", "race", "file", file,
                     "line", line, "symbol", sym, "stacks");
}

static void same_failure(void **state)
{
    json_t *a = race("/a/mod_x.c", 10, "hits");
    json_t *b = race("/b/mod_x.c", 12, "hits");
    json_t *c = race("/a/mod_x.c", 12, NULL);
    json_t *d = race("/a/mod_x.c", 10, NULL);
    json_t *fc1 = json_pack("{s:s,s:s,s:s}", "kind", "failed-check", "check",
                            "body", "request", "hit");
    json_t *fc2 = json_pack("{s:s,s:s,s:s}", "kind", "failed-check", "check",
                            "status", "request", "hit");
    (void)state;
    assert_true(mc_stress_same_failure(a, b));  /* same global */
    assert_false(mc_stress_same_failure(c, d)); /* other line, no symbol */
    assert_true(mc_stress_same_failure(d, a));
    assert_false(mc_stress_same_failure(fc1, fc2));
    assert_true(mc_stress_same_failure(fc1, fc1));
    assert_false(mc_stress_same_failure(a, fc1));
    json_decref(a);
    json_decref(b);
    json_decref(c);
    json_decref(d);
    json_decref(fc1);
    json_decref(fc2);
}

static void suppressions(void **state)
{
    char path[] = "/tmp/mc-supp-XXXXXX";
    const char *text = "# test\n"
                       "race:mod_x.c:10  counter is statistics only\n"
                       "\n"
                       "crash:*  \n"
                       "deadlock:nothing  stale\n";
    int fd = mkstemp(path);
    json_t *fs = json_array(), *kept = json_array(), *supp = json_array();
    json_t *rep = json_object(), *errs;
    (void)state;
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    json_array_append_new(fs, race("/a/mod_x.c", 10, NULL));
    json_array_append_new(fs, race("/a/mod_x.c", 11, NULL));
    mc_stress_suppress_apply(path, fs, kept, supp, rep);
    unlink(path);
    assert_int_equal(json_array_size(kept), 1);
    assert_int_equal(json_array_size(supp), 1);
    assert_string_equal(
        jstr(json_object_get(json_array_get(supp, 0), "suppression"), "reason"),
        "counter is statistics only");
    errs = json_object_get(rep, "suppression_errors");
    assert_int_equal(json_array_size(errs), 1); /* crash:* has no reason */
    assert_non_null(strstr(json_string_value(json_array_get(errs, 0)), ":4:"));
    assert_int_equal(json_array_size(json_object_get(rep, "suppressions")), 2);
    json_decref(fs);
    json_decref(kept);
    json_decref(supp);
    json_decref(rep);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(tsan_race),       cmocka_unit_test(tsan_crash),
        cmocka_unit_test(tsan_lock_order), cmocka_unit_test(valgrind_xml),
        cmocka_unit_test(gdb_stacks),      cmocka_unit_test(same_failure),
        cmocka_unit_test(suppressions),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
