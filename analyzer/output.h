/*
 * output.h — writing a scan's result as clang-style text or JSON
 * (docs/scan.md), and deciding the exit status.
 * Thread-safety: no shared state.
 */
#ifndef MC_OUTPUT_H
#define MC_OUTPUT_H

#include "checks/checks.h"
#include "scan.h"

struct mc_scan_result {
    const struct mc_scan_options *o;
    struct mc_tu *tus;
    size_t ntus;
    struct mc_findings *findings;
    const char *input_errors; /* lines, "" if none */
    double parse_seconds, analysis_seconds;
};

/* Writes the report; returns the exit status (0, 1 or 2). */
int mc_output_write(const struct mc_scan_result *r);

#endif
