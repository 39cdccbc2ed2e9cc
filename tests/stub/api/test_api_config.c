/* test_api_config.c — directive slot handlers, ap_server_root_relative and
 * the configuration-file readers (config_slots.c, cfgfile.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "apr_strings.h"
#include "httpd.h"
#include "http_config.h"
#include "http_main.h"
#include "util_varbuf.h"

#include "support.h"

static apr_pool_t *pool;

struct conf {
    const char *name;
    int count;
    int on;
    char flag;
    const char *file;
};

static cmd_parms parms_for(const char *directive, size_t offset)
{
    static command_rec cmd;
    static ap_directive_t dir;
    cmd_parms parms;

    memset(&parms, 0, sizeof(parms));
    memset(&cmd, 0, sizeof(cmd));
    memset(&dir, 0, sizeof(dir));
    cmd.name = directive;
    cmd.errmsg = "Directive is obsolete; use NewThing";
    dir.directive = directive;
    parms.info = (void *)offset;
    parms.pool = pool;
    parms.temp_pool = pool;
    parms.cmd = &cmd;
    parms.directive = &dir;
    return parms;
}

static void slot_setters_store_at_offset(void **state)
{
    struct conf c;
    cmd_parms p;

    (void)state;
    memset(&c, 0, sizeof(c));
    p = parms_for("TestName", offsetof(struct conf, name));
    assert_null(ap_set_string_slot(&p, &c, "Value"));
    assert_string_equal(c.name, "Value");
    assert_null(ap_set_string_slot_lower(&p, &c, "MiXeD"));
    assert_string_equal(c.name, "mixed");
    p = parms_for("TestOn", offsetof(struct conf, on));
    assert_null(ap_set_flag_slot(&p, &c, 7));
    assert_int_equal(c.on, 1);
    assert_null(ap_set_flag_slot(&p, &c, 0));
    assert_int_equal(c.on, 0);
    p = parms_for("TestFlag", offsetof(struct conf, flag));
    assert_null(ap_set_flag_slot_char(&p, &c, 1));
    assert_int_equal(c.flag, 1);
    assert_string_equal(ap_set_deprecated(&p, &c, "x"),
                        "Directive is obsolete; use NewThing");
}

static void int_slot_validates(void **state)
{
    struct conf c;
    cmd_parms p = parms_for("TestCount", offsetof(struct conf, count));

    (void)state;
    memset(&c, 0, sizeof(c));
    assert_null(ap_set_int_slot(&p, &c, "-42"));
    assert_int_equal(c.count, -42);
    assert_string_equal(ap_set_int_slot(&p, &c, "12abc"),
                        "Invalid value for directive TestCount, expected "
                        "integer");
    assert_non_null(ap_set_int_slot(&p, &c, ""));
}

static void file_slot_and_server_root(void **state)
{
    struct conf c;
    cmd_parms p = parms_for("TestFile", offsetof(struct conf, file));

    (void)state;
    memset(&c, 0, sizeof(c));
    ap_server_root = "/srv/root";
    assert_string_equal(ap_server_root_relative(pool, "logs/x.log"),
                        "/srv/root/logs/x.log");
    assert_string_equal(ap_server_root_relative(pool, "/abs/y"), "/abs/y");
    assert_null(ap_set_file_slot(&p, &c, "conf/a.conf"));
    assert_string_equal(c.file, "/srv/root/conf/a.conf");
}

static const char *write_file(const char *text)
{
    char *path = apr_pstrdup(pool, "/tmp/mc_stubapi_cfg_XXXXXX");
    int fd = mkstemp(path);

    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    return path;
}

static void getline_trims_joins_and_counts(void **state)
{
    const char *path = write_file("  # comment  \n"
                                  "Directive one \\\n"
                                  "   two\r\n"
                                  "\n"
                                  "\tLast   ");
    ap_configfile_t *cfg = NULL;
    char buf[128];

    (void)state;
    assert_int_equal(ap_pcfg_openfile(&cfg, pool, path), APR_SUCCESS);
    assert_string_equal(cfg->name, path);
    assert_int_equal(ap_cfg_getline(buf, sizeof(buf), cfg), APR_SUCCESS);
    assert_string_equal(buf, "# comment");
    assert_int_equal(cfg->line_number, 1);
    assert_int_equal(ap_cfg_getline(buf, sizeof(buf), cfg), APR_SUCCESS);
    assert_string_equal(buf, "Directive one    two");
    assert_int_equal(cfg->line_number, 3);
    assert_int_equal(ap_cfg_getline(buf, sizeof(buf), cfg), APR_SUCCESS);
    assert_string_equal(buf, "");
    assert_int_equal(ap_cfg_getline(buf, sizeof(buf), cfg), APR_SUCCESS);
    assert_string_equal(buf, "Last");
    assert_int_equal(ap_cfg_getline(buf, sizeof(buf), cfg), APR_EOF);
    assert_int_equal(ap_cfg_closefile(cfg), APR_SUCCESS);
    unlink(path);
}

static void long_lines_and_varbuf(void **state)
{
    char line[300];
    const char *path;
    ap_configfile_t *cfg = NULL;
    char small[16];
    struct ap_varbuf vb;

    (void)state;
    memset(line, 'x', sizeof(line) - 2);
    line[sizeof(line) - 2] = '\n';
    line[sizeof(line) - 1] = '\0';
    path = write_file(apr_pstrcat(pool, line, "  short  \n", NULL));
    assert_int_equal(ap_pcfg_openfile(&cfg, pool, path), APR_SUCCESS);
    assert_int_equal(ap_cfg_getline(small, sizeof(small), cfg), APR_ENOSPC);
    assert_string_equal(ap_pcfg_strerror(pool, cfg, APR_ENOSPC),
                        apr_psprintf(pool,
                                     "Error reading %s at line 1: Line too "
                                     "long",
                                     path));
    assert_null(ap_pcfg_strerror(pool, cfg, APR_SUCCESS));
    ap_cfg_closefile(cfg);

    assert_int_equal(ap_pcfg_openfile(&cfg, pool, path), APR_SUCCESS);
    ap_varbuf_init(pool, &vb, 8);
    assert_int_equal(ap_varbuf_cfg_getline(&vb, cfg, 1024), APR_SUCCESS);
    assert_int_equal(vb.strlen, sizeof(line) - 2);
    assert_int_equal(cfg->line_number, 1);
    assert_int_equal(ap_varbuf_cfg_getline(&vb, cfg, 1024), APR_SUCCESS);
    assert_string_equal(vb.buf, "short");
    assert_int_equal(cfg->line_number, 2);
    assert_int_equal(ap_varbuf_cfg_getline(&vb, cfg, 1024), APR_EOF);
    ap_cfg_closefile(cfg);

    assert_int_equal(ap_pcfg_openfile(&cfg, pool, path), APR_SUCCESS);
    assert_int_equal(ap_varbuf_cfg_getline(&vb, cfg, 100), APR_ENOSPC);
    ap_cfg_closefile(cfg);
    unlink(path);
}

struct strsrc {
    const char *s;
};

static apr_status_t str_getch(char *ch, void *param)
{
    struct strsrc *src = param;

    if (!*src->s)
        return APR_EOF;
    *ch = *src->s++;
    return APR_SUCCESS;
}

static void custom_reader_char_by_char(void **state)
{
    struct strsrc src = {"  a \\\nb\nlast"};
    ap_configfile_t *cfg;
    char buf[64];
    char ch;

    (void)state;
    cfg = ap_pcfg_open_custom(pool, "mem", &src, str_getch, NULL, NULL);
    assert_int_equal(ap_cfg_getline(buf, sizeof(buf), cfg), APR_SUCCESS);
    assert_string_equal(buf, "a b");
    assert_int_equal(cfg->line_number, 2);
    assert_int_equal(ap_cfg_getline(buf, sizeof(buf), cfg), APR_SUCCESS);
    assert_string_equal(buf, "last");
    assert_int_equal(ap_cfg_getline(buf, sizeof(buf), cfg), APR_EOF);
    assert_int_equal(ap_cfg_closefile(cfg), 0);
    src.s = "x\n";
    assert_int_equal(ap_cfg_getc(&ch, cfg), APR_SUCCESS);
    assert_int_equal(ch, 'x');
    assert_int_equal(ap_cfg_getc(&ch, cfg), APR_SUCCESS);
    assert_int_equal(cfg->line_number, 3);
}

static void openfile_refuses_non_regular(void **state)
{
    ap_configfile_t *cfg = NULL;
    char buf[8];

    (void)state;
    assert_int_equal(ap_pcfg_openfile(&cfg, pool, "/tmp"), APR_EBADF);
    assert_int_equal(ap_pcfg_openfile(&cfg, pool, NULL), APR_EBADF);
    assert_int_not_equal(ap_pcfg_openfile(&cfg, pool, "/nonexistent/x"),
                         APR_SUCCESS);
    assert_int_equal(ap_pcfg_openfile(&cfg, pool, "/dev/null"), APR_SUCCESS);
    assert_int_equal(ap_cfg_getline(buf, sizeof(buf), cfg), APR_EOF);
    ap_cfg_closefile(cfg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(slot_setters_store_at_offset),
        cmocka_unit_test(int_slot_validates),
        cmocka_unit_test(file_slot_and_server_root),
        cmocka_unit_test(getline_trims_joins_and_counts),
        cmocka_unit_test(long_lines_and_varbuf),
        cmocka_unit_test(custom_reader_char_by_char),
        cmocka_unit_test(openfile_refuses_non_regular),
    };

    pool = mc_test_pool();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
