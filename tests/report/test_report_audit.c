/* test_report_audit.c — `modcert audit` on fixture modules built by CMake:
 * exact findings on the unsafe fixture, none on the clean one, clear errors
 * on bad input. */
#include "helpers.h"

static json_t *audit(const char *so)
{
    struct mc_buf p = MC_BUF_INIT, err = MC_BUF_INIT;
    mc_buf_printf(&p, "%s/%s", FIXTURE_SO_DIR, so);
    json_t *doc = NULL;
    if (mc_audit_module(p.data, NULL, &doc, &err) != MC_OK)
        fail_msg("audit %s: %s", p.data, err.data);
    mc_buf_free(&p);
    mc_buf_free(&err);
    return doc;
}

/* "check:symbol" of every finding, sorted (the audit sorts them). */
static char *finding_list(const json_t *doc)
{
    struct mc_buf b = MC_BUF_INIT;
    size_t i;
    json_t *f;
    json_array_foreach(json_object_get(doc, "findings"), i, f)
    {
        mc_buf_printf(&b, "%s:%s;", str(f, "check"), str(f, "symbol"));
    }
    return mc_buf_steal(&b);
}

static void unsafe_fixture_exact_findings(void **state)
{
    (void)state;
    json_t *doc = audit("mod_unsafe_fixture.so");
    char *list = finding_list(doc);
    assert_string_equal(list, "binary-mt-unsafe-import:gmtime;"
                              "binary-mt-unsafe-import:strtok;"
                              "binary-writable-global:calls;"
                              "binary-writable-global:fixture_counter;"
                              "binary-writable-global:hits;");
    free(list);
    json_t *facts = json_object_get(doc, "facts");
    assert_string_equal(str(facts, "module_symbol"), "unsafe_fixture_module");
    assert_false(is_true(facts, "imports_ap_mpm_query"));
    json_t *g = json_array_get(json_object_get(doc, "findings"), 0);
    assert_string_equal(str(g, "severity"), "medium");
    assert_string_equal(str(g, "lens"), "binary");
    assert_non_null(strstr(str(g, "fix"), "apr_time_exp_gmt"));
    /* writable globals are informational, with their size */
    json_t *w = json_array_get(json_object_get(doc, "findings"), 4);
    assert_string_equal(str(w, "severity"), "info");
    assert_int_equal(json_integer_value(json_object_get(w, "size")),
                     sizeof(long));
    /* a static local: clang names it "function.var" (the function is kept),
     * gcc "var.N" (the function is unknown) */
    json_t *c = json_array_get(json_object_get(doc, "findings"), 2);
    if (!strncmp(str(c, "elf_symbol"), "unsafe_fixture_handler.", 23))
        assert_string_equal(str(c, "function"), "unsafe_fixture_handler");
    else
        assert_true(!strncmp(str(c, "elf_symbol"), "calls.", 6) &&
                    !*str(c, "function"));
    assert_int_equal(strlen(str(json_object_get(doc, "module"), "sha256")), 64);
    json_decref(doc);
}

static void clean_fixture_no_findings(void **state)
{
    (void)state;
    json_t *doc = audit("mod_clean_fixture.so");
    char *list = finding_list(doc);
    assert_string_equal(list, "");
    free(list);
    assert_string_equal(str(json_object_get(doc, "facts"), "module_symbol"),
                        "clean_fixture_module");
    json_decref(doc);
}

static void not_an_elf_is_named(void **state)
{
    (void)state;
    char *p = fixture("scan-clean.json");
    json_t *doc = NULL;
    struct mc_buf err = MC_BUF_INIT;
    assert_int_equal(mc_audit_module(p, NULL, &doc, &err), MC_ERR_PARSE);
    assert_null(doc);
    assert_non_null(strstr(err.data, "scan-clean.json"));
    assert_non_null(strstr(err.data, "not an ELF shared object"));
    mc_buf_reset(&err);
    assert_int_equal(mc_audit_module("/nonexistent/mod_x.so", NULL, &doc, &err),
                     MC_ERR_IO);
    assert_non_null(strstr(err.data, "/nonexistent/mod_x.so"));
    mc_buf_free(&err);
    free(p);
}

static void missing_knowledge_file_is_named(void **state)
{
    (void)state;
    struct mc_audit_options o = {"/nonexistent/mt.txt", NULL};
    json_t *doc = NULL;
    struct mc_buf err = MC_BUF_INIT, p = MC_BUF_INIT;
    mc_buf_printf(&p, "%s/mod_clean_fixture.so", FIXTURE_SO_DIR);
    assert_int_equal(mc_audit_module(p.data, &o, &doc, &err), MC_ERR_IO);
    assert_non_null(strstr(err.data, "/nonexistent/mt.txt"));
    mc_buf_free(&err);
    mc_buf_free(&p);
}

static void text_rendering_is_clang_style(void **state)
{
    (void)state;
    json_t *doc = audit("mod_unsafe_fixture.so");
    struct mc_buf b = MC_BUF_INIT;
    mc_audit_render_text(doc, &b);
    assert_non_null(strstr(b.data, "mod_unsafe_fixture.so: medium: the module "
                                   "imports strtok()"));
    assert_non_null(strstr(b.data, "[binary-mt-unsafe-import]"));
    assert_non_null(strstr(b.data, "5 finding(s)"));
    mc_buf_free(&b);
    json_decref(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(unsafe_fixture_exact_findings),
        cmocka_unit_test(clean_fixture_no_findings),
        cmocka_unit_test(not_an_elf_is_named),
        cmocka_unit_test(missing_knowledge_file_is_named),
        cmocka_unit_test(text_rendering_is_clang_style),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
