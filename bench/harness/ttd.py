#!/usr/bin/env python3
"""ttd.py - time to first detection of every unsafe sample module under
`modcert stress --detector tsan`, median of N runs (target: < 5 s of load
each), plus what was detected: a module race at a seeded line, failed
response checks, a crash, a deadlock. Also, with --safe N, every safe
sample under tsan for N requests (expected: zero findings).

Time to first detection = milliseconds from the start of the load to the
first evidence (the first TSan report file, failed response, stub death
or watchdog), as recorded in the report's first_detection_ms.
"""
import argparse
import os
import statistics
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "tests", "harness",
                                "stress"))
from stresslib import (Stress, expected_lines, manifest,  # noqa: E402
                       race_lines)


def evidence(m, rep):
    lines = race_lines(rep, os.path.basename(m["source"]))
    seeded = sorted(lines & expected_lines(m))
    kinds = sorted({f["kind"] for f in rep["findings"]
                    if f.get("in_module")})
    funcs = {e.get("function") for e in m["expected_findings"]}
    in_func = sorted({f["function"] for f in rep["findings"]
                      if f.get("in_module") and f["function"] in funcs})
    return seeded, kinds, in_func


def unsafe(st, runs, requests, seconds):
    rows, over = [], 0
    print("| module | detected (run 1) | race at seeded line | "
          "finding in seeded function | TTD median ms | runs detected "
          "| < 5 s |")
    print("|---|---|---|---|---|---|---|")
    for name, m in sorted(manifest().items()):
        if m["group"] != "unsafe":
            continue
        ttds, first = [], None
        for i in range(runs):
            rc, rep, secs = st.run("%s-%d" % (name, i),
                                   st.sample_args(m, "ttd") +
                                   ["--detector", "tsan", "--requests",
                                    str(requests), "--seconds",
                                    str(seconds), "--threads", "8",
                                    "--perturb", "0.05", "--watchdog",
                                    "2", "--seed", str(1000 + i)],
                                   timeout=600)
            if first is None:
                first = rep
            fd = rep.get("first_detection_ms") if rep else None
            if rep and rep["findings"] and fd is not None:
                ttds.append(fd)
        seeded, kinds, in_func = evidence(m, first) if first else ([], [],
                                                                   [])
        med = statistics.median(ttds) if len(ttds) == runs else None
        ok = med is not None and med < 5000
        over += not ok
        print("| %s | %s | %s | %s | %s | %d/%d | %s |"
              % (name, ", ".join(kinds) or "nothing",
                 ", ".join(map(str, seeded)) or "-",
                 ", ".join(in_func) or "-",
                 "%.0f" % med if med is not None else "n/a",
                 len(ttds), runs, "yes" if ok else "NO"))
        sys.stdout.flush()
    return over


def safe(st, requests):
    bad = 0
    total = 0
    for name, m in sorted(manifest().items()):
        if m["group"] != "safe":
            continue
        rc, rep, secs = st.run("safe-" + name, st.sample_args(m, "safe") +
                               ["--detector", "tsan", "--requests",
                                str(requests), "--seconds", "600",
                                "--threads", "16"], timeout=900)
        n = len(rep["findings"]) if rep else -1
        total += rep["requests"] if rep else 0
        bad += rc != 0 or n != 0
        print("safe %-14s %6d requests %5.1f s  findings %d  exit %d"
              % (name, rep["requests"] if rep else 0, secs, n, rc))
        sys.stdout.flush()
    print("safe: %d requests in all, %d module(s) with findings"
          % (total, bad))
    return bad


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--modcert", required=True)
    ap.add_argument("--modules", required=True)
    ap.add_argument("--work", default="/tmp/modcert-bench-stress")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--requests", type=int, default=3000)
    ap.add_argument("--seconds", type=float, default=10)
    ap.add_argument("--safe", type=int, default=0,
                    help="also run every safe sample for N requests")
    ap.add_argument("--no-unsafe", action="store_true")
    a = ap.parse_args()
    st = Stress(a.modcert, a.modules, a.work)
    over = 0 if a.no_unsafe else unsafe(st, a.runs, a.requests, a.seconds)
    bad = safe(st, a.safe) if a.safe else 0
    return 1 if over or bad else 0


if __name__ == "__main__":
    sys.exit(main())
