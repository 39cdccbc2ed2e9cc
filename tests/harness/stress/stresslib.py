"""stresslib.py - helpers for the `modcert stress` tests and benches.

Runs `modcert stress` / `modcert repro` on the sample modules described by
sample-modules/manifest.json (their config snippet and scenario) and reads
the JSON report. Every run gets its own work directory under `workroot`.
"""
import json
import os
import subprocess
import time

SRC = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))))
SAMPLES = os.path.join(SRC, "sample-modules")


def manifest():
    with open(os.path.join(SAMPLES, "manifest.json")) as f:
        return {m["name"]: m for m in json.load(f)["modules"]}


class Stress:
    def __init__(self, modcert, modules, workroot):
        self.modcert = modcert
        self.modules = modules
        self.workroot = workroot
        os.makedirs(workroot, exist_ok=True)

    def snippet(self, m, tag):
        """Writes the sample's config snippet; returns its path."""
        path = os.path.join(self.workroot, "%s.%s.conf" % (m["name"], tag))
        with open(path, "w") as f:
            f.write(m["config"].replace("@SAMPLES@", SAMPLES))
        return path

    def sample_args(self, m, tag, source=False):
        mod = (os.path.join(SAMPLES, m["source"]) if source
               else os.path.join(self.modules, m["so"]))
        return ["--module", mod, "--config", self.snippet(m, tag),
                "--scenario", os.path.join(SAMPLES, m["scenario"])]

    def run(self, tag, args, timeout=300, stdin=None):
        """modcert stress ARGS --json W/tag.json --workdir W/tag; returns
        (exit status, report or None, seconds)."""
        work = os.path.join(self.workroot, tag)
        out = os.path.join(self.workroot, tag + ".json")
        if os.path.exists(out):
            os.unlink(out)
        subprocess.run(["rm", "-rf", work], check=False)
        t0 = time.time()
        p = subprocess.run([self.modcert, "stress", "-q", "--workdir", work,
                            "--json", out] + args,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           timeout=timeout)
        secs = time.time() - t0
        rep = None
        if os.path.exists(out):
            with open(out) as f:
                rep = json.load(f)
        self.last_output = p.stdout.decode(errors="replace")
        return p.returncode, rep, secs

    def repro(self, report_path, finding, runs, timeout=600):
        p = subprocess.run([self.modcert, "repro", "-q", "--from",
                            report_path, "--finding", str(finding),
                            "--runs", str(runs), "--json",
                            report_path + ".repro.json"],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           timeout=timeout)
        with open(report_path + ".repro.json") as f:
            return p.returncode, json.load(f), p.stdout.decode()


def module_races(rep):
    return [f for f in rep["findings"]
            if f["kind"] == "race" and f.get("in_module")]


def race_lines(rep, source_base):
    """Module source lines touched by any access of any module race."""
    lines = set()
    for f in module_races(rep):
        for st in f["stacks"]:
            for fr in st["frames"]:
                if fr.get("file") and \
                        os.path.basename(fr["file"]) == source_base:
                    lines.add(fr["line"])
                    break
    return lines


def expected_lines(m):
    return {e["line"] for e in m["expected_findings"]}


def kinds(rep):
    return sorted({f["kind"] for f in rep["findings"]})
