/*
 * main.c — `modcert scan` command-line parsing only (see docs/scan.md);
 * the work is mc_scan() in driver.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mc_common.h"
#include "scan.h"

static void usage(FILE *out)
{
    fputs("usage: modcert scan [--format text|json] [-j N] [-o FILE]\n"
          "                    [-p BUILD_DIR | --compile-commands FILE]\n"
          "                    [--stack-limit BYTES] [--time]\n"
          "                    [FILE...] [-- EXTRA_COMPILER_FLAGS]\n\n"
          "Static thread-safety analysis of an httpd module's sources. All\n"
          "files are analysed together as one module. Without a database,\n"
          "httpd and APR include paths and defines are added "
          "automatically.\n\n"
          "  --format text|json       clang-style text (default) or JSON\n"
          "  -j N                     parse in N threads (default 1)\n"
          "  -o FILE                  write the findings to FILE\n"
          "  -p BUILD_DIR             use BUILD_DIR/compile_commands.json\n"
          "  --compile-commands FILE  use this compilation database\n"
          "  --stack-limit BYTES      large-stack-frame threshold (128K;\n"
          "                           K and M suffixes)\n"
          "  --time                   print parse and analysis time\n"
          "  FILE...                  sources (with a database: a subset)\n"
          "  -- FLAGS                 extra compiler flags for every file\n\n"
          "Checks and suppressions: docs/scan.md, docs/checks/.\n"
          "exit status: 0 no findings, 1 findings, 2 incomplete "
          "(an input could not be analysed)\n",
          out);
}

static int parse_size(const char *s, unsigned long long *out)
{
    char *end;
    unsigned long long v = strtoull(s, &end, 10);
    if (end == s)
        return -1;
    if (*end == 'k' || *end == 'K')
        v *= 1024, end++;
    else if (*end == 'm' || *end == 'M')
        v *= 1024 * 1024, end++;
    return *end ? -1 : (*out = v, 0);
}

/* Options with a value; returns 1 if argv[*i] was one, -1 on error. */
static int valued(struct mc_scan_options *o, int argc, char **argv, int *i)
{
    const char *opt = argv[*i];
    static const char *const names[] = {
        "--format", "-j", "-p", "--compile-commands", "-o", "--stack-limit"};
    int which = -1;
    for (int k = 0; k < (int)MC_ARRAY_LEN(names); k++) {
        if (!strcmp(opt, names[k]))
            which = k;
    }
    if (which < 0)
        return 0;
    if (*i + 1 >= argc) {
        mc_error("modcert scan", "option '%s' needs a value", opt);
        return -1;
    }
    const char *v = argv[++*i];
    switch (which) {
        case 0:
            if (strcmp(v, "text") && strcmp(v, "json"))
                break;
            o->format = strcmp(v, "json") ? MC_SCAN_TEXT : MC_SCAN_JSON;
            return 1;
        case 1:
            o->jobs = atoi(v);
            if (o->jobs < 1 || o->jobs > 256)
                break;
            return 1;
        case 2:
            o->build_dir = v;
            return 1;
        case 3:
            o->compile_commands = v;
            return 1;
        case 4:
            o->output = v;
            return 1;
        default:
            if (parse_size(v, &o->stack_limit) || !o->stack_limit)
                break;
            return 1;
    }
    mc_error("modcert scan", "bad value '%s' for option '%s'", v, opt);
    return -1;
}

int mc_cmd_scan(int argc, char **argv)
{
    struct mc_scan_options o;
    memset(&o, 0, sizeof o);
    o.jobs = 1;
    o.stack_limit = 128 * 1024;
    const char **files = mc_xcalloc((size_t)argc + 1, sizeof(char *));
    int status = -1;
    for (int i = 1; i < argc && status < 0; i++) {
        const char *a = argv[i];
        int r;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout);
            status = MC_EXIT_OK;
        } else if (!strcmp(a, "--")) {
            o.extra = (const char **)argv + i + 1;
            o.nextra = argc - i - 1;
            break;
        } else if (!strcmp(a, "--time")) {
            o.timing = 1;
        } else if (!strncmp(a, "-j", 2) && a[2]) { /* -jN */
            o.jobs = atoi(a + 2);
            if (o.jobs < 1 || o.jobs > 256) {
                mc_error("modcert scan", "bad value '%s' for option -j", a + 2);
                status = MC_EXIT_INCOMPLETE;
            }
        } else if ((r = valued(&o, argc, argv, &i)) != 0) {
            if (r < 0)
                status = MC_EXIT_INCOMPLETE;
        } else if (a[0] == '-' && a[1]) {
            mc_error("modcert scan", "unknown option '%s' (see --help)", a);
            status = MC_EXIT_INCOMPLETE;
        } else {
            files[o.nfiles++] = a;
        }
    }
    if (status < 0 && o.build_dir && o.compile_commands) {
        mc_error("modcert scan", "give either -p or --compile-commands");
        status = MC_EXIT_INCOMPLETE;
    }
    if (status < 0 && !o.nfiles && !o.build_dir && !o.compile_commands) {
        usage(stderr);
        status = MC_EXIT_INCOMPLETE;
    }
    if (status < 0) {
        o.files = files;
        status = mc_scan(&o);
    }
    free(files);
    return status;
}
