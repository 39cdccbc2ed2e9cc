#!/usr/bin/env python3
"""stress_tests.py - end-to-end tests of `modcert stress` and `modcert repro`,
one function per CTest test (--test NAME).

Every run is bounded in requests AND seconds, uses a free loopback port
chosen by modcert itself, and keeps its files under --work. modcert stops
the stub it started by pid (SIGTERM, then SIGKILL to its process group).
"""
import argparse
import json
import os
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from stresslib import (SAMPLES, Stress, expected_lines, manifest,  # noqa
                       module_races, race_lines)

ARGS = None
HERE = os.path.dirname(os.path.abspath(__file__))


class Fail(Exception):
    pass


def check(cond, msg):
    if not cond:
        raise Fail(msg)


def stress():
    return Stress(ARGS.modcert, ARGS.modules, ARGS.work)


def check_shape(rep, where):
    """The finding shape docs/stress.md promises (and report/ reads)."""
    for k in ("findings", "requests", "seconds", "complete", "parameters",
              "runs", "exit_status"):
        check(k in rep, "%s: report has no '%s'" % (where, k))
    for f in rep["findings"]:
        for k in ("kind", "file", "line", "function", "symbol", "stacks",
                  "in_module", "profile", "detector", "seed",
                  "threaded_only"):
            check(k in f, "%s: finding %s lacks '%s'" % (where, f, k))
        check(f["kind"] in ("race", "failed-check", "crash", "deadlock",
                            "exit", "timeout"),
              "%s: unknown kind %s" % (where, f["kind"]))
        for st in f["stacks"]:
            for k in ("thread", "access", "hook", "previous", "frames"):
                check(k in st, "%s: stack lacks '%s'" % (where, k))


def sample_run(st, name, detector, requests, extra=(), source=False,
               tag=None):
    m = manifest()[name]
    tag = tag or "%s-%s" % (name, detector)
    rc, rep, secs = st.run(tag, st.sample_args(m, tag, source) +
                           ["--detector", detector, "--requests",
                            str(requests), "--seconds", "15",
                            "--threads", "8"] + list(extra))
    check(rep is not None, "%s: no report written (exit %d):\n%s"
          % (tag, rc, st.last_output))
    check_shape(rep, tag)
    return m, rc, rep, secs


# ---- tests ------------------------------------------------------------------

def t_tsan_unsafe():
    """Representative unsafe samples under tsan: a module race at a seeded
    line, and failed checks where the responses can show the defect. The
    stub perturbs the schedule (seeded) so that strtok's shared state is
    overtaken mid-request, which TSan then sees in the module's accesses."""
    st = stress()
    # (sample, built from source here, wrong answers expected in 800
    # requests: the hash table's lost updates are rarer than that)
    cases = [("counter", True, True), ("strtok", False, True),
             ("global-hash", False, False), ("static-buffer", False, True),
             ("lazy-init", False, True), ("htaccess-global", False, False)]
    for name, source, wrong_answers in cases:
        m, rc, rep, secs = sample_run(st, name, "tsan", 800, source=source,
                                      extra=["--perturb", "0.05"])
        base = os.path.basename(m["source"])
        lines = race_lines(rep, base)
        check(rc == 1, "%s: exit %d, expected 1 (findings)" % (name, rc))
        check(rep["complete"], "%s: incomplete: %s" % (name, rep["note"]))
        check(lines & expected_lines(m),
              "%s: no module race at a seeded line %s (race lines %s)"
              % (name, sorted(expected_lines(m)), sorted(lines)))
        # The host must be race-free itself, or we would blame modules
        # for our bugs (.htaccess merging once raced inside the stub).
        host = [f for f in rep["findings"]
                if f["kind"] == "race" and not f["in_module"]]
        check(not host, "%s: races inside the stub/APR: %s" % (name, host))
        for f in module_races(rep):
            check(len(f["stacks"]) >= 2 and
                  {s["access"] for s in f["stacks"]} <= {"read", "write"},
                  "%s: race without both accesses: %s" % (name, f))
            check(all(s["hook"] for s in f["stacks"]) and
                  # .htaccess directives run inside map_to_storage
                  any(s["hook"] in ("handler", "post_read_request",
                                    "map_to_storage")
                      for s in f["stacks"]),
                  "%s: a racing thread's hook is unknown: %s"
                  % (name, [s["hook"] for s in f["stacks"]]))
            check(f["seed"] == rep["parameters"]["seed"] and
                  f["profile"] == "winnt" and f["detector"] == "tsan",
                  "%s: finding does not record its parameters" % name)
        if wrong_answers:
            check(any(f["kind"] == "failed-check" for f in rep["findings"]),
                  "%s: the responses show the defect, but no failed check"
                  % name)
        if source:
            check(rep["module"]["instrumented"] and
                  rep["module"]["sources"],
                  "%s: sources were not compiled with TSan" % name)
        print("tsan_unsafe: %-14s race lines %s, %d findings, %.1f s"
              % (name, sorted(lines), len(rep["findings"]), secs))


def t_tsan_safe():
    """Every safe sample: zero races, zero failed checks under tsan."""
    st = stress()
    total = 0
    for name, m in sorted(manifest().items()):
        if m["group"] != "safe":
            continue
        m, rc, rep, secs = sample_run(st, name, "tsan", ARGS.safe_requests)
        check(rc == 0 and not rep["findings"],
              "%s: exit %d, findings %s (note %s)"
              % (name, rc, [(f["kind"], f["file"], f["line"], f["function"])
                            for f in rep["findings"]], rep["note"]))
        check(rep["complete"] and rep["requests"] == ARGS.safe_requests,
              "%s: %s requests, complete %s"
              % (name, rep["requests"], rep["complete"]))
        total += rep["requests"]
        print("tsan_safe: %-14s %d requests, 0 findings, %.1f s"
              % (name, rep["requests"], secs))
    print("tsan_safe: %d requests in all" % total)


def t_valgrind():
    """helgrind and drd catch the counter and hash-table races (sources
    compiled uninstrumented)."""
    st = stress()
    for det in ("helgrind", "drd"):
        for name in ("counter", "global-hash"):
            m, rc, rep, secs = sample_run(st, name, det, 120, source=True,
                                          extra=["--threads", "4"])
            lines = race_lines(rep, os.path.basename(m["source"]))
            check(rc == 1, "%s/%s: exit %d (%s)" % (name, det, rc,
                                                    rep["note"]))
            check(lines & expected_lines(m),
                  "%s/%s: no race at a seeded line %s (got %s)"
                  % (name, det, sorted(expected_lines(m)), sorted(lines)))
            check(all(f["detector"] == det for f in module_races(rep)),
                  "%s/%s: wrong detector name" % (name, det))
            print("valgrind: %s %-12s race lines %s, %.1f s"
                  % (det, name, sorted(lines), secs))


def t_differential():
    """large-stack crashes under winnt (small stack) and not under prefork:
    threaded-only; the counter's race and wrong answers too."""
    st = stress()
    m, rc, rep, secs = sample_run(st, "large-stack", "none", 60,
                                  extra=["--differential", "--threads",
                                         "4"])
    crashes = [f for f in rep["findings"] if f["kind"] == "crash"]
    check(rc == 1 and crashes, "large-stack: no crash (exit %d)" % rc)
    check(all(f["profile"] == "winnt" and f["threaded_only"]
              for f in crashes),
          "large-stack: crash not winnt-only: %s" % crashes)
    check(crashes[0]["function"] == "bigreport_handler" and
          crashes[0]["stacks"][0]["frames"],
          "large-stack: crash without the faulting stack")
    check([r["profile"] for r in rep["runs"]] == ["prefork", "winnt"],
          "large-stack: runs %s" % rep["runs"])
    print("differential: large-stack crash at %s:%s threaded-only"
          % (os.path.basename(crashes[0]["file"] or "?"),
             crashes[0]["line"]))
    m, rc, rep, secs = sample_run(st, "counter", "tsan", 400,
                                  extra=["--differential"])
    races = module_races(rep)
    checks = [f for f in rep["findings"] if f["kind"] == "failed-check"]
    check(races and all(f["threaded_only"] for f in races),
          "counter: race not threaded-only: %s" % races)
    check(checks and all(f["threaded_only"] and f["profile"] == "winnt"
                         for f in checks),
          "counter: failed checks not threaded-only: %s" % checks)
    print("differential: counter %d races, %d failed checks, all "
          "threaded-only" % (len(races), len(checks)))


def failure_run(st, mod, detector, kind, extra=()):
    tag = "%s-%s" % (mod, detector)
    so = os.path.join(ARGS.modules, "mod_%s.so" % mod)
    rc, rep, secs = st.run(tag, ["--module", so, "--detector", detector,
                                 "--requests", "400", "--seconds", "15",
                                 "--threads", "4"] + list(extra))
    check(rep is not None, "%s: no report (exit %d)" % (tag, rc))
    check_shape(rep, tag)
    hits = [f for f in rep["findings"] if f["kind"] == kind]
    check(rc == 1, "%s: exit %d, expected 1: %s" % (tag, rc,
                                                    st.last_output))
    check(hits, "%s: no %s finding: %s" % (tag, kind, rep["findings"]))
    f = hits[0]
    check(f["in_module"] and f["file"] and
          os.path.basename(f["file"]) == "mod_%s.c" % mod and f["line"],
          "%s: %s not placed in the module: %s" % (tag, kind, f))
    check(f["stacks"] and f["stacks"][0]["frames"],
          "%s: %s without stacks" % (tag, kind))
    print("failures: %-20s %s at %s:%s in %s, %.1f s"
          % (tag, kind, os.path.basename(f["file"]), f["line"],
             f["function"], secs))
    return rep


def t_failures():
    """Test-only modules: segfault, deadlock, exit() each give a finding
    with stacks, a written report and exit status 1; an interrupted run
    and a stub that cannot start give a report and exit status 2."""
    st = stress()
    failure_run(st, "mcsegv", "tsan", "crash")
    failure_run(st, "mcsegv", "none", "crash")
    rep = failure_run(st, "mcdeadlock", "none", "deadlock",
                      ["--watchdog", "2"])
    check(len(rep["findings"][0]["stacks"]) >= 4,
          "deadlock: not every thread's stack")
    failure_run(st, "mcexit", "tsan", "exit")
    failure_run(st, "mcexit", "none", "exit")
    # cut short by SIGINT: report written, incomplete, exit 2
    out = os.path.join(ARGS.work, "interrupted.json")
    so = os.path.join(ARGS.modules, "mod_atomichits.so")
    conf = os.path.join(ARGS.work, "atomic.conf")
    with open(conf, "w") as f:
        f.write(manifest()["atomic-counter"]["config"])
    p = subprocess.Popen([ARGS.modcert, "stress", "-q", "--module", so,
                          "--config", conf, "--scenario",
                          os.path.join(SAMPLES, "scenarios",
                                       "atomic-counter.json"),
                          "--detector", "none", "--requests", "0",
                          "--seconds", "30", "--json", out, "--workdir",
                          os.path.join(ARGS.work, "interrupted")],
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    # SIGINT 3 s into the stub's life (not the tool's: on a loaded machine
    # the stub may take a while to appear), so that the load has requests
    deadline = time.time() + 30
    while not stub_pids(os.path.join(ARGS.work, "interrupted")) and \
            time.time() < deadline and p.poll() is None:
        time.sleep(0.1)
    time.sleep(3)
    p.send_signal(signal.SIGINT)
    try:
        p.wait(30)
    except subprocess.TimeoutExpired:
        p.kill()
        raise Fail("SIGINT did not end modcert stress within 30 s")
    with open(out) as f:
        rep = json.load(f)
    check(p.returncode == 2 and rep["complete"] is False and
          rep["interrupted"] is True and rep["exit_status"] == 2,
          "interrupted: exit %d, report %s" % (p.returncode,
                                               {k: rep[k] for k in (
                                                   "complete",
                                                   "interrupted")}))
    check(rep["requests"] > 0, "interrupted: no requests recorded")
    print("failures: SIGINT after 3 s: exit 2, %d requests in the report"
          % rep["requests"])
    # a configuration the stub refuses: report, exit 2, the reason
    bad = os.path.join(ARGS.work, "bad.conf")
    with open(bad, "w") as f:
        f.write("NoSuchDirective on\n")
    rc, rep, secs = st.run("badconf", ["--module", so, "--config", bad,
                                       "--detector", "none", "--requests",
                                       "10", "--seconds", "5"])
    check(rc == 2 and rep and rep["complete"] is False and
          "NoSuchDirective" in (rep["note"] or ""),
          "badconf: exit %d, note %s" % (rc, rep and rep["note"]))
    print("failures: refused config: exit 2, note names the directive")


def t_timeout():
    """A request that hangs in the module past the load client's patience
    while the server keeps serving (mod_mchang: its 5th request sleeps
    60 s): a `timeout` finding placed at the hanging line with the hung
    thread's stack, not a deadlock; exit 1, the report written, and the
    run ends at its own bounds instead of waiting out the hang."""
    st = stress()
    src = os.path.join(HERE, "..", "modules", "mod_mchang.c")
    with open(src) as f:
        hang_line = [i + 1 for i, text in enumerate(f)
                     if "the hang:" in text][0]
    for det in ("none", "tsan"):
        tag = "mchang-" + det
        so = os.path.join(ARGS.modules, "mod_mchang.so")
        rc, rep, secs = st.run(tag, ["--module", so, "--detector", det,
                                     "--requests", "2000", "--seconds", "3",
                                     "--threads", "4"])
        check(rep is not None, "%s: no report (exit %d):\n%s"
              % (tag, rc, st.last_output))
        check_shape(rep, tag)
        check(rc == 1 and rep["exit_status"] == 1,
              "%s: exit %d, expected 1: %s" % (tag, rc, st.last_output))
        kinds = sorted({f["kind"] for f in rep["findings"]})
        check(kinds == ["timeout"],
              "%s: finding kinds %s, expected only a timeout (the server "
              "was neither dead nor deadlocked): %s"
              % (tag, kinds, rep["findings"]))
        f = rep["findings"][0]
        check(f["in_module"] and f["file"] and
              os.path.basename(f["file"]) == "mod_mchang.c" and
              f["line"] == hang_line and f["function"] == "wait_for_nothing",
              "%s: timeout not placed at mod_mchang.c:%d: %s:%s in %s"
              % (tag, hang_line, f["file"], f["line"], f["function"]))
        check(f["stacks"] and all(s["hook"] == "handler"
                                  for s in f["stacks"]) and
              any(fr["function"] == "mchang_handler"
                  for fr in f["stacks"][0]["frames"]),
              "%s: the hung thread's stack is missing: %s"
              % (tag, f["stacks"]))
        check(f["request"] == "get" and "timeout" == f["check"] and
              f["occurrences"] == 1 and
              "neither dead nor deadlocked" in f["message"],
              "%s: finding does not say what was waited for: %s" % (tag, f))
        check(rep["complete"] and 0 < rep["requests"] <= 2000,
              "%s: complete %s, %s requests (note %s)"
              % (tag, rep["complete"], rep["requests"], rep["note"]))
        raw = [n for _, _, names in os.walk(os.path.join(ARGS.work, tag))
               for n in names if n.startswith("stacks.")]
        check(raw, "%s: no raw stacks.PID.txt kept" % tag)
        # 3 s of load + 2 s drain + stacks + a 1 s stop: far below the
        # module's 60 s hang, also on a loaded machine
        check(secs < 45, "%s: took %.1f s: the hang was waited out"
              % (tag, secs))
        print("timeout: %-13s timeout at mod_mchang.c:%d in %s, %d "
              "requests, %.1f s" % (tag, f["line"], f["function"],
                                    rep["requests"], secs))


def t_repro():
    """modcert repro replays the recorded seed: the lazy-init and
    static-buffer wrong answers reproduce in at least 4 of 5 runs."""
    st = stress()
    for name in ("lazy-init", "static-buffer"):
        tag = "repro-" + name
        m, rc, rep, secs = sample_run(st, name, "none", 300, tag=tag,
                                      extra=["--seed", "42", "--perturb",
                                             "0.05"])
        idx = [i + 1 for i, f in enumerate(rep["findings"])
               if f["kind"] == "failed-check"]
        check(idx, "%s: no failed check to replay" % name)
        rc, res, out = st.repro(os.path.join(ARGS.work, tag + ".json"),
                                idx[0], 5)
        check(res["reproduced"] >= 4 and rc == 1,
              "%s: reproduced in %d of 5 runs (exit %d): %s"
              % (name, res["reproduced"], rc, out))
        print("repro: %s finding #%d reproduced in %d of 5 runs"
              % (name, idx[0], res["reproduced"]))


def t_suppress():
    """A suppression file accepts findings with a reason; entries without
    a reason are errors; stale entries show 0 matches."""
    st = stress()
    sup = os.path.join(ARGS.work, "counter.supp")
    with open(sup, "w") as f:
        f.write("# accepted for the test\n"
                "race:hit_count  the hit counter is approximate by design\n"
                "crash:no_such_function  stale entry\n"
                "race:missing_reason\n")
    m, rc, rep, secs = sample_run(st, "counter", "tsan", 400,
                                  extra=["--suppressions", sup])
    check(not module_races(rep) and rep["suppressed"],
          "suppress: races not suppressed: %s" % rep["findings"])
    check(all(f["suppression"]["reason"].startswith("the hit counter")
              for f in rep["suppressed"]),
          "suppress: suppressed finding without its reason")
    ent = {e["pattern"]: e for e in rep["suppressions"]}
    check(ent["hit_count"]["matched"] >= 1 and
          ent["no_such_function"]["matched"] == 0,
          "suppress: match counts %s" % rep["suppressions"])
    check(any("reason" in e for e in rep.get("suppression_errors", [])),
          "suppress: entry without a reason not reported")
    check(rc == 1 and rep["findings"],
          "suppress: the failed checks must remain (exit %d)" % rc)
    print("suppress: %d suppressed, %d kept"
          % (len(rep["suppressed"]), len(rep["findings"])))


def stub_pids(tag):
    """Pids of modcert-stub processes whose command line names tag."""
    out = subprocess.run(["pgrep", "-f", "modcert-stub.*" + tag],
                         capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


def t_orphan():
    """A stress process killed outright (SIGKILL: no cleanup of its own)
    must not leave its stub serving: the stub follows it down."""
    work = os.path.join(ARGS.work, "orphan-run")
    os.makedirs(work)
    cmd = [ARGS.modcert, "stress", "--module",
           os.path.join(ARGS.modules, "mod_hitcount.so"),
           "--handler", "hitcount", "--detector", "none",
           "--requests", "10000000", "--seconds", "60", "-q",
           "--workdir", work, "--json", os.path.join(work, "r.json")]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        deadline = time.time() + 20
        while not stub_pids(work) and time.time() < deadline:
            time.sleep(0.1)
        check(stub_pids(work), "the stub never started under %s" % work)
        time.sleep(0.5)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        deadline = time.time() + 15
        while stub_pids(work) and time.time() < deadline:
            time.sleep(0.2)
        left = stub_pids(work)
        for pid in left:
            os.kill(pid, signal.SIGKILL)
        check(not left, "stub pids %s outlived their stress process" % left)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    print("orphan: the stub exited after its stress process was killed")


TESTS = {n[2:]: f for n, f in globals().items() if n.startswith("t_")}


def main():
    global ARGS
    ap = argparse.ArgumentParser()
    ap.add_argument("--modcert", required=True)
    ap.add_argument("--modules", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--safe-requests", type=int, default=1500)
    ap.add_argument("--test", required=True, choices=sorted(TESTS))
    ARGS = ap.parse_args()
    ARGS.work = os.path.join(ARGS.work, ARGS.test)
    subprocess.run(["rm", "-rf", ARGS.work], check=False)
    os.makedirs(ARGS.work)
    t0 = time.time()
    try:
        TESTS[ARGS.test]()
    except Fail as e:
        print("FAIL %s: %s" % (ARGS.test, e))
        return 1
    print("PASS %s (%.1f s)" % (ARGS.test, time.time() - t0))
    return 0


if __name__ == "__main__":
    sys.exit(main())
