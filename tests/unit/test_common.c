/* test_common.c — unit tests of common/: buffers, arenas, files, hashes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mc_arena.h"
#include "mc_buf.h"
#include "mc_file.h"

static void buf_grows_and_formats(void **state)
{
    (void)state;
    struct mc_buf b = MC_BUF_INIT;
    for (int i = 0; i < 1000; i++)
        mc_buf_printf(&b, "%d,", i);
    assert_int_equal(b.len, strlen(b.data));
    assert_true(strncmp(b.data, "0,1,2,", 6) == 0);
    assert_non_null(strstr(b.data, ",999,"));
    mc_buf_reset(&b);
    assert_int_equal(b.len, 0);
    mc_buf_puts(&b, "x");
    char *s = mc_buf_steal(&b);
    assert_string_equal(s, "x");
    assert_null(b.data);
    free(s);
}

static void arena_is_zeroed_aligned_and_counts(void **state)
{
    (void)state;
    struct mc_arena a;
    mc_arena_init(&a, 128);
    char *p = mc_arena_alloc(&a, 7);
    char *q = mc_arena_alloc(&a, 1000); /* larger than a block */
    assert_int_equal(((uintptr_t)p) % 16, 0);
    assert_int_equal(((uintptr_t)q) % 16, 0);
    for (int i = 0; i < 1000; i++)
        assert_int_equal(q[i], 0);
    assert_string_equal(mc_arena_printf(&a, "%s-%d", "ab", 12), "ab-12");
    assert_true(a.total >= 1007);
    mc_arena_destroy(&a);
    assert_int_equal(a.total, 0);
}

static void file_roundtrip_and_sha256(void **state)
{
    (void)state;
    char dir[] = "/tmp/mc_test_XXXXXX";
    assert_non_null(mkdtemp(dir));
    char sub[256], path[300];
    snprintf(sub, sizeof sub, "%s/a/b", dir);
    assert_int_equal(mc_mkdirs(sub), MC_OK);
    snprintf(path, sizeof path, "%s/f.txt", sub);
    assert_int_equal(mc_file_write_atomic(path, "abc", 3), MC_OK);
    char *data = NULL;
    size_t len = 0;
    assert_int_equal(mc_file_read(path, &data, &len), MC_OK);
    assert_int_equal(len, 3);
    assert_string_equal(data, "abc");
    free(data);
    char hex[65];
    assert_int_equal(mc_file_sha256(path, hex), MC_OK);
    /* SHA-256("abc"), FIPS 180-2 test vector. */
    assert_string_equal(
        hex,
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    assert_int_equal(mc_file_read("/nonexistent/x", &data, &len), MC_ERR_IO);
    unlink(path);
    rmdir(sub);
    snprintf(sub, sizeof sub, "%s/a", dir);
    rmdir(sub);
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(buf_grows_and_formats),
        cmocka_unit_test(arena_is_zeroed_aligned_and_counts),
        cmocka_unit_test(file_roundtrip_and_sha256),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
