/* test_report_cert.c — keygen, signing and every verification outcome:
 * valid, tampered .so, tampered certificate, wrong key, failing verdict,
 * malformed certificate, report mismatch. */
#include "helpers.h"

#include <sys/stat.h>

static void copy_file(const char *from, const char *to)
{
    char *data = NULL;
    size_t len = 0;
    assert_int_equal(mc_file_read(from, &data, &len), MC_OK);
    assert_int_equal(mc_file_write_atomic(to, data, len), MC_OK);
    free(data);
}

/* A report over a private copy of the clean fixture .so. */
static json_t *report_for(const char *so, int clean)
{
    struct mc_report_inputs in;
    init_inputs(&in);
    in.so_path = so;
    json_t *scan =
        load_fixture(clean ? "scan-clean.json" : "scan-counter.json");
    json_t *stress =
        load_fixture(clean ? "stress-clean.json" : "stress-counter-winnt.json");
    in.scan.doc = scan;
    in.stress.doc = stress;
    struct mc_policy p;
    mc_policy_default(&p, TEST_NOW);
    json_t *r = NULL;
    struct mc_buf err = MC_BUF_INIT;
    if (mc_report_merge(&in, &p, &r, &err) != MC_OK)
        fail_msg("merge: %s", err.data);
    mc_buf_free(&err);
    mc_policy_free(&p);
    json_decref(scan);
    json_decref(stress);
    return r;
}

struct env {
    char *so, *key, *pub, *key2, *pub2, *cert, *report;
};

static void sign_to(const json_t *r, const char *key, const char *path)
{
    struct mc_buf err = MC_BUF_INIT;
    if (mc_cert_write(r, key, path, &err) != MC_OK)
        fail_msg("sign: %s", err.data);
    mc_buf_free(&err);
}

static int setup(void **state)
{
    struct env *e = calloc(1, sizeof *e);
    e->so = scratch("mod_clean_copy.so");
    e->key = scratch("k1");
    e->pub = scratch("k1.pub");
    e->key2 = scratch("k2");
    e->pub2 = scratch("k2.pub");
    e->cert = scratch("certificate.json");
    e->report = scratch("report.json");
    copy_file(FIXTURE_SO_DIR "/mod_clean_fixture.so", e->so);
    struct mc_buf err = MC_BUF_INIT;
    assert_int_equal(mc_cert_keygen(e->key, &err), MC_OK);
    assert_int_equal(mc_cert_keygen(e->key2, &err), MC_OK);
    mc_buf_free(&err);
    json_t *r = report_for(e->so, 1);
    assert_true(is_true(json_object_get(r, "verdict"), "certified"));
    assert_int_equal(json_dump_file(r, e->report, JSON_INDENT(2)), 0);
    sign_to(r, e->key, e->cert);
    json_decref(r);
    *state = e;
    return 0;
}

static int teardown(void **state)
{
    struct env *e = *state;
    free(e->so);
    free(e->key);
    free(e->pub);
    free(e->key2);
    free(e->pub2);
    free(e->cert);
    free(e->report);
    free(e);
    return 0;
}

static enum mc_cert_result verify(const char *cert, const char *so,
                                  const char *pub, const char *report,
                                  const char *want_reason)
{
    struct mc_buf why = MC_BUF_INIT;
    enum mc_cert_result r = mc_cert_verify(cert, so, pub, report, &why);
    if (want_reason && (!why.data || !strstr(why.data, want_reason)))
        fail_msg("reason '%s' does not contain '%s'", why.data ? why.data : "",
                 want_reason);
    mc_buf_free(&why);
    return r;
}

static void keys_have_headers_and_private_mode(void **state)
{
    struct env *e = *state;
    struct stat st;
    assert_int_equal(stat(e->key, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    char *text = NULL;
    assert_int_equal(mc_file_read(e->pub, &text, NULL), MC_OK);
    assert_true(strncmp(text, "modcert ed25519 public key v1\n", 30) == 0);
    free(text);
    assert_int_equal(mc_file_read(e->key, &text, NULL), MC_OK);
    assert_true(strncmp(text, "modcert ed25519 secret key v1\n", 30) == 0);
    free(text);
}

static void valid_certificate_passes(void **state)
{
    struct env *e = *state;
    assert_int_equal(verify(e->cert, e->so, e->pub, NULL, NULL), MC_CERT_VALID);
    assert_int_equal(verify(e->cert, e->so, e->pub, e->report, NULL),
                     MC_CERT_VALID);
}

static void tampered_module_fails(void **state)
{
    struct env *e = *state;
    char *bad = scratch("mod_tampered.so");
    copy_file(e->so, bad);
    FILE *f = fopen(bad, "ab");
    assert_non_null(f);
    fputc(0, f);
    fclose(f);
    assert_int_equal(verify(e->cert, bad, e->pub, NULL, "module mismatch"),
                     MC_CERT_MODULE_MISMATCH);
    free(bad);
}

static void tampered_certificate_fails(void **state)
{
    struct env *e = *state;
    json_t *c = json_load_file(e->cert, 0, NULL);
    json_object_set_new(json_object_get(c, "module"), "name",
                        json_string("mod_other"));
    char *bad = scratch("cert-tampered.json");
    json_dump_file(c, bad, 0);
    assert_int_equal(verify(bad, e->so, e->pub, NULL, "tampered certificate"),
                     MC_CERT_BAD_SIGNATURE);
    /* re-indenting is not tampering: the signature is over canonical JSON */
    json_decref(c);
    c = json_load_file(e->cert, 0, NULL);
    json_dump_file(c, bad, JSON_INDENT(7));
    assert_int_equal(verify(bad, e->so, e->pub, NULL, NULL), MC_CERT_VALID);
    json_decref(c);
    free(bad);
}

static void wrong_key_fails(void **state)
{
    struct env *e = *state;
    assert_int_equal(verify(e->cert, e->so, e->pub2, NULL, "wrong key"),
                     MC_CERT_WRONG_KEY);
    /* a forged key_id does not help: the signature still fails */
    json_t *c = json_load_file(e->cert, 0, NULL);
    json_t *c2 = NULL;
    json_t *r = json_load_file(e->report, 0, NULL);
    struct mc_buf err = MC_BUF_INIT;
    assert_int_equal(mc_cert_sign(r, e->key2, &c2, &err), MC_OK);
    json_object_set(c, "key_id", json_object_get(c2, "key_id"));
    char *bad = scratch("cert-forged-kid.json");
    json_dump_file(c, bad, 0);
    assert_int_equal(verify(bad, e->so, e->pub2, NULL, "tampered"),
                     MC_CERT_BAD_SIGNATURE);
    json_decref(c);
    json_decref(c2);
    json_decref(r);
    mc_buf_free(&err);
    free(bad);
}

static void failing_verdict_fails(void **state)
{
    struct env *e = *state;
    json_t *r = report_for(e->so, 0);
    assert_false(is_true(json_object_get(r, "verdict"), "certified"));
    char *c = scratch("cert-failing.json");
    sign_to(r, e->key, c);
    assert_int_equal(verify(c, e->so, e->pub, NULL, "failing verdict"),
                     MC_CERT_NOT_CERTIFIED);
    json_decref(r);
    free(c);
}

static void malformed_certificate_fails(void **state)
{
    struct env *e = *state;
    char *bad = scratch("cert-malformed.json");
    assert_int_equal(mc_file_write_atomic(bad, "{\"schema\": ", 11), MC_OK);
    assert_int_equal(verify(bad, e->so, e->pub, NULL, "malformed"),
                     MC_CERT_MALFORMED);
    json_t *c = json_load_file(e->cert, 0, NULL);
    json_object_del(c, "signature");
    json_dump_file(c, bad, 0);
    assert_int_equal(verify(bad, e->so, e->pub, NULL, "missing"),
                     MC_CERT_MALFORMED);
    json_decref(c);
    assert_int_equal(verify("/nonexistent/cert.json", e->so, e->pub, NULL,
                            "/nonexistent/cert.json"),
                     MC_CERT_IO);
    free(bad);
}

static void other_report_is_detected(void **state)
{
    struct env *e = *state;
    json_t *r = json_load_file(e->report, 0, NULL);
    json_object_set_new(r, "generated", json_string("2000-01-01T00:00:00Z"));
    char *other = scratch("report-other.json");
    json_dump_file(r, other, 0);
    assert_int_equal(verify(e->cert, e->so, e->pub, other, "report mismatch"),
                     MC_CERT_REPORT_MISMATCH);
    json_decref(r);
    free(other);
}

static void sign_refuses_report_without_module_hash(void **state)
{
    struct env *e = *state;
    json_t *r = report_for(NULL, 1);
    json_t *c = NULL;
    struct mc_buf err = MC_BUF_INIT;
    assert_int_not_equal(mc_cert_sign(r, e->key, &c, &err), MC_OK);
    assert_non_null(strstr(err.data, "sha256"));
    assert_null(c);
    mc_buf_free(&err);
    json_decref(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(keys_have_headers_and_private_mode),
        cmocka_unit_test(valid_certificate_passes),
        cmocka_unit_test(tampered_module_fails),
        cmocka_unit_test(tampered_certificate_fails),
        cmocka_unit_test(wrong_key_fails),
        cmocka_unit_test(failing_verdict_fails),
        cmocka_unit_test(malformed_certificate_fails),
        cmocka_unit_test(other_report_is_detected),
        cmocka_unit_test(sign_refuses_report_without_module_hash),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
