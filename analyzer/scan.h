/*
 * scan.h — `modcert scan`: the analyzer as a library call. mc_scan parses
 * the inputs (in o->jobs threads, one CXIndex each), links them into one
 * module model, runs every check, applies inline suppressions and writes
 * the text or JSON report. Returns the exit status: 0 no findings,
 * 1 findings, 2 incomplete (an input could not be analysed).
 *
 * Thread-safety: mc_scan may run concurrently with itself (no globals).
 */
#ifndef MC_SCAN_H
#define MC_SCAN_H

#include <stdio.h>

enum mc_scan_format { MC_SCAN_TEXT, MC_SCAN_JSON };

struct mc_scan_options {
    enum mc_scan_format format;
    int jobs;                     /* parser threads, >= 1 */
    const char *build_dir;        /* -p: holds compile_commands.json */
    const char *compile_commands; /* --compile-commands FILE */
    const char **files;           /* FILE... (may be empty with a DB) */
    int nfiles;
    const char **extra; /* after `--` */
    int nextra;
    unsigned long long stack_limit; /* bytes */
    const char *output;             /* -o FILE, NULL for stdout */
    int timing;                     /* --time: timings to stderr */
};

int mc_scan(const struct mc_scan_options *o);
int mc_cmd_scan(int argc, char **argv);

#endif
