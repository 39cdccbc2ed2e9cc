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
#include "http_log.h"
#include "util_mutex.h"
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
                        "TestCount wants a whole number");
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

static char *make_tmpdir(void)
{
    char *dir = apr_pstrdup(pool, "/tmp/mc_stubapi_dir_XXXXXX");

    assert_non_null(mkdtemp(dir));
    return dir;
}

static void mutex_registry_and_directive(void **state)
{
    apr_pool_t *pconf = NULL;
    cmd_parms p = parms_for("Mutex", 0);
    char *dir = make_tmpdir();
    server_rec s;
    apr_global_mutex_t *gm = NULL;
    apr_proc_mutex_t *pm = NULL;
    const char *name = NULL;

    (void)state;
    memset(&s, 0, sizeof(s));
    apr_pool_create(&pconf, pool);
    p.pool = p.temp_pool = pconf;
    ap_mutex_init(pconf);
    assert_int_equal(
        ap_mutex_register(pconf, "test-shm", NULL, APR_LOCK_DEFAULT, 0),
        APR_SUCCESS);
    assert_int_equal(
        ap_mutex_register(pconf, "opt-lock", NULL, APR_LOCK_DEFAULT,
                          AP_MUTEX_ALLOW_NONE | AP_MUTEX_DEFAULT_NONE),
        APR_SUCCESS);
    assert_int_equal(
        ap_mutex_register(pconf, "bad", NULL, APR_LOCK_DEFAULT, 64),
        APR_EINVAL);
    /* unknown type, unknown mechanism, "none" where not allowed */
    assert_string_equal(ap_set_mutex(&p, NULL, "flock nosuch"),
                        "Mutex type nosuch is not valid");
    assert_non_null(ap_set_mutex(&p, NULL, "bogus test-shm"));
    assert_string_equal(ap_set_mutex(&p, NULL, "none test-shm"),
                        "mutex test-shm cannot be turned off (none)");
    assert_non_null(ap_set_mutex(&p, NULL, "flock:/nonexistent/dir test-shm"));
    mc_test_context_error = "not allowed in <VirtualHost>";
    assert_string_equal(ap_set_mutex(&p, NULL, "flock test-shm"),
                        "not allowed in <VirtualHost>");
    mc_test_context_error = NULL;
    assert_null(ap_set_mutex(
        &p, NULL,
        apr_pstrcat(pconf, "flock:", dir, " Test-Shm OmitPID", NULL)));
    /* file-based lock: <dir>/<type>-<instance>, no pid with OmitPID */
    assert_int_equal(
        ap_global_mutex_create(&gm, &name, "test-shm", "inst", &s, pconf, 0),
        APR_SUCCESS);
    assert_non_null(gm);
    assert_string_equal(name, apr_pstrcat(pconf, dir, "/test-shm-inst", NULL));
    assert_int_equal(apr_global_mutex_lock(gm), APR_SUCCESS);
    assert_int_equal(apr_global_mutex_unlock(gm), APR_SUCCESS);
    /* DEFAULT_NONE: no mutex unless configured */
    assert_int_equal(
        ap_proc_mutex_create(&pm, NULL, "opt-lock", NULL, &s, pconf, 0),
        APR_SUCCESS);
    assert_null(pm);
    assert_int_equal(
        ap_proc_mutex_create(&pm, NULL, "unregistered", NULL, &s, pconf, 0),
        APR_EINVAL);
    /* "Mutex sysvsem default" applies to types not set explicitly */
    assert_int_equal(ap_mutex_register(pconf, "other", NULL, APR_LOCK_FLOCK, 0),
                     APR_SUCCESS);
    assert_null(ap_set_mutex(&p, NULL, "sysvsem default"));
    assert_int_equal(
        ap_proc_mutex_create(&pm, &name, "other", NULL, &s, pconf, 0),
        APR_SUCCESS);
    assert_int_equal(apr_proc_mutex_mech(pm), APR_LOCK_SYSVSEM);
    assert_null(name);
    apr_pool_destroy(pconf);
    rmdir(dir);
}

static void parse_mutex_arguments(void **state)
{
    apr_lockmech_e mech = APR_LOCK_DEFAULT;
    const char *file = "unset";

    (void)state;
    ap_server_root = "/srv/root";
    assert_int_equal(ap_parse_mutex("fcntl:locks", pool, &mech, &file),
                     APR_SUCCESS);
    assert_int_equal(mech, APR_LOCK_FCNTL);
    assert_string_equal(file, "/srv/root/locks");
    assert_int_equal(ap_parse_mutex("default", pool, &mech, &file),
                     APR_SUCCESS);
    assert_null(file);
    assert_int_equal(ap_parse_mutex("none", pool, &mech, &file), APR_ENOLOCK);
    assert_int_equal(ap_parse_mutex("magic", pool, &mech, &file), APR_ENOTIMPL);
}

static void pid_files_and_runtime_dir(void **state)
{
    char *dir = make_tmpdir();
    pid_t pid = 0;
    char *path;

    (void)state;
    ap_server_root = dir;
    ap_log_pid(pool, "test.pid");
    path = apr_pstrcat(pool, dir, "/test.pid", NULL);
    assert_int_equal(ap_read_pid(pool, "test.pid", &pid), APR_SUCCESS);
    assert_int_equal(pid, getpid());
    ap_remove_pid(pool, "test.pid");
    assert_int_not_equal(access(path, F_OK), 0);
    assert_int_not_equal(ap_read_pid(pool, path, &pid), APR_SUCCESS);
    assert_string_equal(ap_runtime_dir_relative(pool, "x.sock"),
                        apr_pstrcat(pool, dir, "/x.sock", NULL));
    ap_runtime_dir = "/run/mc";
    assert_string_equal(ap_runtime_dir_relative(pool, "x.sock"),
                        "/run/mc/x.sock");
    ap_runtime_dir = NULL;
    ap_server_root = "/srv/root";
    rmdir(dir);
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
        cmocka_unit_test(mutex_registry_and_directive),
        cmocka_unit_test(parse_mutex_arguments),
        cmocka_unit_test(pid_files_and_runtime_dir),
    };

    pool = mc_test_pool();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
