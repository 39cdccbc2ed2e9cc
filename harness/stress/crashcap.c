/*
 * crashcap.c — the exit() capture library (module.h): an LD_PRELOAD
 * library, compiled at run time into the work directory, that interposes
 * exit(). When any code in the stub process calls exit() through the PLT (a
 * module does; the stub itself returns from main or calls _exit), it
 * appends "exit CODE" and the raw stack (object path + offset) to
 * $MC_CRASHCAP_DIR/crashcap.PID, then exits. The harness symbolises the
 * frames with llvm-symbolizer (or addr2line).
 */
#include "module.h"

#include "../detectors/detector.h"
#include "mc_buf.h"
#include "mc_file.h"
#include "proc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char crashcap_source[] =
    "#define _GNU_SOURCE\n"
    "#include <dlfcn.h>\n"
    "#include <execinfo.h>\n"
    "#include <fcntl.h>\n"
    "#include <stdio.h>\n"
    "#include <stdlib.h>\n"
    "#include <unistd.h>\n"
    "static char mc_dir[4000];\n"
    "__attribute__((constructor)) static void mc_init(void)\n"
    "{\n"
    "    void *bt[2];\n"
    "    const char *d = getenv(\"MC_CRASHCAP_DIR\");\n"
    "    snprintf(mc_dir, sizeof mc_dir, \"%s\", d ? d : \".\");\n"
    "    backtrace(bt, 2); /* loads libgcc now, not at exit */\n"
    "    /* loaded now: programs this process starts (TSan's symbolizer)\n"
    "     * must not load the preload libraries again */\n"
    "    unsetenv(\"LD_PRELOAD\");\n"
    "}\n"
    "void exit(int code)\n"
    "{\n"
    "    void *bt[64];\n"
    "    char path[4096];\n"
    "    int n = backtrace(bt, 64), fd;\n"
    "    void (*real)(int) = (void (*)(int))dlsym(RTLD_NEXT, \"exit\");\n"
    "    snprintf(path, sizeof path, \"%s/crashcap.%d\", mc_dir,\n"
    "             (int)getpid());\n"
    "    fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0644);\n"
    "    if (fd >= 0) {\n"
    "        dprintf(fd, \"exit %d tid %d\\n\", code, (int)gettid());\n"
    "        for (int i = 1; i < n; ++i) {\n"
    "            Dl_info di;\n"
    "            char *pc = (char *)bt[i] - 1;\n"
    "            if (dladdr(pc, &di) && di.dli_fname)\n"
    "                dprintf(fd, \"frame %s 0x%lx %s\\n\", di.dli_fname,\n"
    "                        (unsigned long)(pc - (char *)di.dli_fbase),\n"
    "                        di.dli_sname ? di.dli_sname : \"?\");\n"
    "        }\n"
    "        close(fd);\n"
    "    }\n"
    "    real(code);\n"
    "    _exit(code);\n"
    "}\n";

/* TSan models of APR objects that are not thread-safe but live in an
 * uninstrumented libapr, where TSan cannot see their accesses: the
 * wrappers are built with -fsanitize=thread (runtime from the TSan host)
 * and tell TSan that a hash table is read or written (or, for apr_cpystrn and
 * apr_snprintf, which bytes are written), then call APR. A
 * module sharing one apr_hash_t between threads without a lock then shows
 * as a data race at the module's call sites. */
static const char tsan_models_source[] =
    "#define _GNU_SOURCE\n"
    "#include <dlfcn.h>\n"
    "#include <stddef.h>\n"
    "void __tsan_read1(void *addr);\n"
    "void __tsan_write1(void *addr);\n"
    "typedef struct apr_hash_t apr_hash_t;\n"
    "typedef struct apr_pool_t apr_pool_t;\n"
    "typedef long apr_ssize_t;\n"
    "typedef void *(*get_fn)(apr_hash_t *, const void *, apr_ssize_t);\n"
    "typedef void (*set_fn)(apr_hash_t *, const void *, apr_ssize_t, const "
    "void *);\n"
    "typedef unsigned int (*count_fn)(apr_hash_t *);\n"
    "typedef void *(*first_fn)(apr_pool_t *, apr_hash_t *);\n"
    "typedef void (*clear_fn)(apr_hash_t *);\n"
    "void *apr_hash_get(apr_hash_t *ht, const void *key, apr_ssize_t klen)\n"
    "{\n"
    "    get_fn real = (get_fn)dlsym(RTLD_NEXT, \"apr_hash_get\");\n"
    "    __tsan_read1(ht);\n"
    "    return real(ht, key, klen);\n"
    "}\n"
    "void apr_hash_set(apr_hash_t *ht, const void *key, apr_ssize_t klen,\n"
    "                  const void *val)\n"
    "{\n"
    "    set_fn real = (set_fn)dlsym(RTLD_NEXT, \"apr_hash_set\");\n"
    "    __tsan_write1(ht);\n"
    "    real(ht, key, klen, val);\n"
    "}\n"
    "unsigned int apr_hash_count(apr_hash_t *ht)\n"
    "{\n"
    "    count_fn real = (count_fn)dlsym(RTLD_NEXT, \"apr_hash_count\");\n"
    "    __tsan_read1(ht);\n"
    "    return real(ht);\n"
    "}\n"
    "void *apr_hash_first(apr_pool_t *p, apr_hash_t *ht)\n"
    "{\n"
    "    first_fn real = (first_fn)dlsym(RTLD_NEXT, \"apr_hash_first\");\n"
    "    __tsan_read1(ht);\n"
    "    return real(p, ht);\n"
    "}\n"
    "void apr_hash_clear(apr_hash_t *ht)\n"
    "{\n"
    "    clear_fn real = (clear_fn)dlsym(RTLD_NEXT, \"apr_hash_clear\");\n"
    "    __tsan_write1(ht);\n"
    "    real(ht);\n"
    "}\n"
    "void __tsan_read_range(void *addr, unsigned long size);\n"
    "void __tsan_write_range(void *addr, unsigned long size);\n"
    "typedef char *(*cpystrn_fn)(char *, const char *, size_t);\n"
    "char *apr_cpystrn(char *dst, const char *src, size_t dst_size)\n"
    "{\n"
    "    cpystrn_fn real = (cpystrn_fn)dlsym(RTLD_NEXT, \"apr_cpystrn\");\n"
    "    size_t n = 0;\n"
    "    while (n + 1 < dst_size && src[n])\n"
    "        ++n;\n"
    "    if (dst_size) {\n"
    "        __tsan_read_range((void *)src, n);\n"
    "        __tsan_write_range(dst, n + 1);\n"
    "    }\n"
    "    return real(dst, src, dst_size);\n"
    "}\n"
    "#include <stdarg.h>\n"
    "typedef int (*vsnprintf_fn)(char *, size_t, const char *, va_list);\n"
    "static void wrote(char *buf, size_t len, int n)\n"
    "{\n"
    "    if (len && n >= 0)\n"
    "        __tsan_write_range(buf, (size_t)n + 1 < len ? (size_t)n + 1 : "
    "len);\n"
    "}\n"
    "int apr_vsnprintf(char *buf, size_t len, const char *format, va_list ap)\n"
    "{\n"
    "    vsnprintf_fn real = (vsnprintf_fn)dlsym(RTLD_NEXT, "
    "\"apr_vsnprintf\");\n"
    "    int n = real(buf, len, format, ap);\n"
    "    wrote(buf, len, n);\n"
    "    return n;\n"
    "}\n"
    "int apr_snprintf(char *buf, size_t len, const char *format, ...)\n"
    "{\n"
    "    vsnprintf_fn real = (vsnprintf_fn)dlsym(RTLD_NEXT, "
    "\"apr_vsnprintf\");\n"
    "    va_list ap;\n"
    "    int n;\n"
    "    va_start(ap, format);\n"
    "    n = real(buf, len, format, ap);\n"
    "    va_end(ap);\n"
    "    wrote(buf, len, n);\n"
    "    return n;\n"
    "}\n";

char *mc_tsan_models_build(const char *dir, char *err, size_t errlen)
{
    struct mc_buf src = MC_BUF_INIT, so = MC_BUF_INIT;
    char *log = NULL;
    int rc = -1;
    mc_buf_printf(&src, "%s/tsanmodels.c", dir);
    mc_buf_printf(&so, "%s/tsanmodels.so", dir);
    if (mc_file_write_atomic(src.data, tsan_models_source,
                             sizeof tsan_models_source - 1) == MC_OK) {
        char *argv[] = {(char *)mc_module_cc(),
                        "-shared",
                        "-fPIC",
                        "-O1",
                        "-g",
                        "-fsanitize=thread",
                        "-o",
                        so.data,
                        src.data,
                        "-ldl",
                        NULL};
        rc = mc_run_capture(argv, 60, &log);
    }
    if (rc != 0) {
        snprintf(err, errlen, "building %s failed: %.300s", so.data,
                 log ? log : "");
        mc_buf_free(&so);
    }
    free(log);
    mc_buf_free(&src);
    return rc == 0 ? mc_buf_steal(&so) : NULL;
}

char *mc_crashcap_build(const char *dir, char *err, size_t errlen)
{
    struct mc_buf src = MC_BUF_INIT, so = MC_BUF_INIT;
    char *log = NULL;
    int rc;
    mc_buf_printf(&src, "%s/crashcap.c", dir);
    mc_buf_printf(&so, "%s/crashcap.so", dir);
    if (mc_file_write_atomic(src.data, crashcap_source,
                             sizeof crashcap_source - 1) != MC_OK) {
        snprintf(err, errlen, "%s: cannot write", src.data);
        mc_buf_free(&src);
        mc_buf_free(&so);
        return NULL;
    }
    char *argv[] = {(char *)mc_module_cc(),
                    "-shared",
                    "-fPIC",
                    "-O1",
                    "-o",
                    so.data,
                    src.data,
                    "-ldl",
                    NULL};
    rc = mc_run_capture(argv, 60, &log);
    if (rc != 0) {
        snprintf(err, errlen, "building %s failed: %.300s", so.data,
                 log ? log : "");
        mc_buf_free(&so);
    }
    free(log);
    mc_buf_free(&src);
    return rc == 0 ? mc_buf_steal(&so) : NULL;
}

/* "function\nfile:line:col\n\n" per address from llvm-symbolizer. */
static json_t *symbolize(const char *obj, const char *off, const char *sym)
{
    char *out = NULL, fn[512] = "", loc[1024] = "";
    char objarg[4200];
    long line = 0;
    snprintf(objarg, sizeof objarg, "--obj=%s", obj);
    char *argv[] = {"llvm-symbolizer-19", "--no-inlines", objarg, (char *)off,
                    NULL};
    if (mc_run_capture(argv, 20, &out) == 0 && out) {
        char *nl = strchr(out, '\n');
        if (nl) {
            char *colon;
            *nl = 0;
            snprintf(fn, sizeof fn, "%s", out);
            snprintf(loc, sizeof loc, "%s", nl + 1);
            loc[strcspn(loc, "\n")] = 0;
            colon = strchr(loc, ':');
            if (colon) {
                *colon = 0;
                line = strtol(colon + 1, NULL, 10);
            }
        }
    }
    free(out);
    if (!fn[0] || !strcmp(fn, "??"))
        snprintf(fn, sizeof fn, "%s", sym);
    if (!strcmp(loc, "??"))
        loc[0] = 0;
    return mc_det_frame(fn, loc[0] ? loc : NULL, line, obj);
}

json_t *mc_crashcap_read(const char *path, const struct mc_det_ctx *ctx)
{
    char *text, *save = NULL;
    size_t len;
    json_t *f, *st, *frames;
    int code = 0, tid = 0;
    if (mc_file_read(path, &text, &len) != MC_OK)
        return NULL;
    if (sscanf(text, "exit %d tid %d", &code, &tid) != 2) {
        free(text);
        return NULL;
    }
    f = mc_det_finding("exit", "none");
    st = json_object();
    frames = json_array();
    json_object_set_new(st, "thread", json_sprintf("%d", tid));
    json_object_set_new(st, "access", json_string("exit"));
    json_object_set_new(st, "previous", json_false());
    json_object_set_new(st, "frames", frames);
    json_array_append_new(json_object_get(f, "stacks"), st);
    for (char *l = strtok_r(text, "\n", &save); l;
         l = strtok_r(NULL, "\n", &save)) {
        char obj[4096], off[64], sym[512];
        if (sscanf(l, "frame %4095s %63s %511s", obj, off, sym) == 3)
            json_array_append_new(frames, symbolize(obj, off, sym));
    }
    json_object_set_new(f, "exit_code", json_integer(code));
    json_object_set_new(f, "message",
                        json_sprintf("exit(%d) called while serving", code));
    mc_det_finish(f, ctx);
    free(text);
    return f;
}
