/*
 * module.c — find or build the module under test (module.h).
 */
#include "module.h"

#include "mc_buf.h"
#include "proc.h"

#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && !strcmp(s + a - b, suffix);
}

static int in_path(const char *prog)
{
    char *out = NULL;
    char *argv[] = {"sh", "-c", "command -v \"$0\"", (char *)prog, NULL};
    int rc = mc_run_capture(argv, 5, &out);
    free(out);
    return rc == 0;
}

const char *mc_module_cc(void)
{
    const char *cc = getenv("MODCERT_CC"); /* startup: CLI phase */
    if (cc && *cc)
        return cc;
    return in_path("clang-19") ? "clang-19" : "cc";
}

static void add_str(char ***arr, size_t *n, const char *s)
{
    *arr = mc_xrealloc(*arr, sizeof(char *) * (*n + 1));
    (*arr)[(*n)++] = mc_xstrdup(s);
}

static int is_c_file(const struct dirent *e)
{
    return ends_with(e->d_name, ".c");
}

static mc_status collect_sources(const char *path, struct mc_module *m,
                                 char *err, size_t errlen)
{
    struct stat st;
    char abs[PATH_MAX];
    if (!realpath(path, abs) || stat(abs, &st) != 0) {
        snprintf(err, errlen, "%s: no such module file or directory", path);
        return MC_ERR_USAGE;
    }
    if (S_ISDIR(st.st_mode)) {
        struct dirent **list = NULL;
        int k = scandir(abs, &list, is_c_file, alphasort);
        for (int i = 0; i < k; ++i) {
            char p[PATH_MAX + 256];
            snprintf(p, sizeof p, "%s/%s", abs, list[i]->d_name);
            add_str(&m->sources, &m->nsources, p);
            free(list[i]);
        }
        free(list);
        if (m->nsources == 0) {
            snprintf(err, errlen, "%s: directory holds no .c file", path);
            return MC_ERR_USAGE;
        }
    } else {
        add_str(&m->sources, &m->nsources, abs);
    }
    return MC_OK;
}

/* apxs -q VAR, split on blanks, appended to argv. */
static void apxs_flags(const char *var, char ***argv, size_t *n)
{
    const char *apxs = getenv("APXS"); /* startup: CLI phase */
    char *out = NULL, *save = NULL;
    char *av[] = {(char *)(apxs && *apxs ? apxs : "apxs"), "-q", (char *)var,
                  NULL};
    if (mc_run_capture(av, 10, &out) == 0)
        for (char *t = strtok_r(out, " \t\n", &save); t;
             t = strtok_r(NULL, " \t\n", &save))
            add_str(argv, n, t);
    free(out);
}

static void free_strv(char **v, size_t n)
{
    for (size_t i = 0; i < n; ++i)
        free(v[i]);
    free(v);
}

static mc_status compile(struct mc_module *m, int tsan, const char *out,
                         const char *cflags, char *err, size_t errlen)
{
    char **argv = NULL, *log = NULL, *save = NULL, *extra;
    size_t n = 0;
    int rc;
    add_str(&argv, &n, mc_module_cc());
    add_str(&argv, &n, "-shared");
    add_str(&argv, &n, "-fPIC");
    add_str(&argv, &n, "-DPIC");
    apxs_flags("CFLAGS", &argv, &n);
    apxs_flags("CPPFLAGS", &argv, &n);
    apxs_flags("EXTRA_CPPFLAGS", &argv, &n);
    apxs_flags("EXTRA_INCLUDES", &argv, &n);
    add_str(&argv, &n, "-g");
    if (tsan) {
        add_str(&argv, &n, "-fsanitize=thread");
        add_str(&argv, &n, "-fno-omit-frame-pointer");
    }
    extra = mc_xstrdup(cflags ? cflags : "");
    for (char *t = strtok_r(extra, " \t", &save); t;
         t = strtok_r(NULL, " \t", &save))
        add_str(&argv, &n, t);
    free(extra);
    add_str(&argv, &n, "-o");
    add_str(&argv, &n, out);
    for (size_t i = 0; i < m->nsources; ++i)
        add_str(&argv, &n, m->sources[i]);
    add_str(&argv, &n, "-Wl,--allow-shlib-undefined");
    argv = mc_xrealloc(argv, sizeof(char *) * (n + 1));
    argv[n] = NULL;
    rc = mc_run_capture(argv, 300, &log);
    if (rc != 0)
        snprintf(err, errlen, "compiling %s%s failed (%s):\n%.1500s",
                 m->sources[0], m->nsources > 1 ? " ..." : "", argv[0],
                 log ? log : "");
    free(log);
    free_strv(argv, n);
    return rc == 0 ? MC_OK : MC_ERR_RUNTIME;
}

/* nm output lines "ADDR T name"; fills functions and the module symbol. */
/* One nm listing: functions (local ones too, for telling module frames
 * from host frames) and the module structure. */
static void scan_nm(struct mc_module *m, int dynamic)
{
    char *out = NULL, *save = NULL;
    char *argv[] = {"nm", "--defined-only", m->so, NULL, NULL};
    if (dynamic) {
        argv[2] = "-D";
        argv[3] = m->so;
    }
    if (mc_run_capture(argv, 20, &out) != 0) {
        free(out);
        return;
    }
    for (char *l = strtok_r(out, "\n", &save); l;
         l = strtok_r(NULL, "\n", &save)) {
        char addr[64], type, name[512];
        if (sscanf(l, "%63s %c %511s", addr, &type, name) != 3)
            continue;
        if ((type == 'T' || type == 't') && !dynamic)
            add_str(&m->functions, &m->nfunctions, name);
        else if ((type == 'D' || type == 'B') && ends_with(name, "_module") &&
                 !m->symbol)
            m->symbol = mc_xstrdup(name);
    }
    free(out);
}

/* The symbol table when there is one; a stripped module (as Debian ships
 * them) keeps only its dynamic symbols, where the module structure is. */
static void read_symbols(struct mc_module *m)
{
    scan_nm(m, 0);
    if (!m->symbol)
        scan_nm(m, 1);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* <name>.so -> <name>.tsan.so when it exists. */
static char *tsan_twin(const char *so)
{
    struct mc_buf b = MC_BUF_INIT;
    if (ends_with(so, ".tsan.so"))
        return mc_xstrdup(so);
    mc_buf_append(&b, so, strlen(so) - 3);
    mc_buf_puts(&b, ".tsan.so");
    if (access(b.data, R_OK) == 0)
        return mc_buf_steal(&b);
    mc_buf_free(&b);
    return NULL;
}

static mc_status prebuilt(const char *path, int tsan, struct mc_module *m,
                          char *err, size_t errlen)
{
    char abs[PATH_MAX];
    if (!realpath(path, abs)) {
        snprintf(err, errlen, "%s: no such module file", path);
        return MC_ERR_USAGE;
    }
    m->so_plain = mc_xstrdup(abs);
    m->so = tsan ? tsan_twin(abs) : NULL;
    m->instrumented = m->so != NULL;
    if (!m->so)
        m->so = mc_xstrdup(abs);
    if (tsan && !m->instrumented)
        mc_warn("modcert stress",
                "%s is not built with -fsanitize=thread and has no .tsan.so "
                "twin: TSan cannot see races inside it (give its sources)",
                path);
    return MC_OK;
}

mc_status mc_module_prepare(const char *path, int tsan, const char *workdir,
                            const char *cflags, struct mc_module *m, char *err,
                            size_t errlen)
{
    mc_status st;
    memset(m, 0, sizeof *m);
    if (ends_with(path, ".so")) {
        st = prebuilt(path, tsan, m, err, errlen);
    } else {
        char out[PATH_MAX];
        st = collect_sources(path, m, err, errlen);
        snprintf(out, sizeof out, "%s/module%s.so", workdir,
                 tsan ? ".tsan" : "");
        if (st == MC_OK)
            st = compile(m, tsan, out, cflags, err, errlen);
        if (st == MC_OK) {
            m->so = mc_xstrdup(out);
            m->instrumented = tsan;
        }
    }
    if (st != MC_OK)
        return st;
    read_symbols(m);
    if (m->nfunctions)
        qsort(m->functions, m->nfunctions, sizeof(char *), cmp_str);
    if (!m->symbol) {
        snprintf(err, errlen,
                 "%s: no module structure (a defined '*_module' symbol) "
                 "found",
                 m->so);
        return MC_ERR_USAGE;
    }
    m->handler = mc_xstrndup(m->symbol, strlen(m->symbol) - 7);
    return MC_OK;
}

void mc_module_free(struct mc_module *m)
{
    free(m->so);
    free(m->so_plain);
    free(m->symbol);
    free(m->handler);
    free_strv(m->sources, m->nsources);
    free_strv(m->functions, m->nfunctions);
    memset(m, 0, sizeof *m);
}
