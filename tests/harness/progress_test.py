#!/usr/bin/env python3
"""progress_test.py - harness_progress: the live progress line of
`modcert load` and `modcert stress` (docs/scenario.md: "a progress line goes
to stderr only when it is a terminal").

On a pseudo-terminal (os.openpty, as a person's terminal) each command must
write at least two '\\r[load] N requests  R req/s  F failed  T s' updates
(~4 Hz) with growing counts, and clear the line before its summary; with
pipes (not a terminal), and with -q on a terminal, no progress at all.

`modcert load` runs against a small keep-alive HTTP/1.1 server in this
script (127.0.0.1, a free port, answering 500 to every 7th request so that
the failure count moves too); `modcert stress` against a stub it starts
itself with mod_hitcount. Every run is bounded in requests AND seconds.
  progress_test.py MODCERT MODULES_DIR WORK_DIR
"""
import http.server
import os
import re
import select
import shutil
import subprocess
import sys
import threading
import time

PROGRESS = re.compile(rb"\r\[load\] (\d+) requests  (\d+) req/s  (\d+) "
                      rb"failed  ([0-9.]+) s")
CLEAR = re.compile(rb"\r {20,}\r")


class Fail(Exception):
    pass


def check(cond, msg):
    if not cond:
        raise Fail(msg)


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as the load client wants
    wbufsize = 65536  # one write per response (no Nagle/delayed-ACK stall)
    disable_nagle_algorithm = True
    count = 0
    lock = threading.Lock()

    def do_GET(self):
        with Handler.lock:
            Handler.count += 1
            n = Handler.count
        status = 500 if n % 7 == 0 else 200
        body = b"ok\n"
        self.send_response(status)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def run(cmd, tty, limit=90):
    """Runs cmd with stdout+stderr on a new pty (tty) or a pipe; returns
    (exit status, bytes written)."""
    if not tty:
        p = subprocess.run(cmd, stdin=subprocess.DEVNULL,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           timeout=limit)
        return p.returncode, p.stdout
    master, slave = os.openpty()
    p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=slave,
                         stderr=slave, close_fds=True)
    os.close(slave)
    out = b""
    deadline = time.time() + limit
    try:
        while time.time() < deadline:
            r, _, _ = select.select([master], [], [], 0.5)
            if not r:
                if p.poll() is not None:
                    break
                continue
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO: the last writer closed the pty
                break
            if not chunk:
                break
            out += chunk
    finally:
        os.close(master)
        if p.poll() is None:
            p.kill()
        p.wait()
    check(time.time() < deadline, "%s: still running after %d s"
          % (cmd[1], limit))
    return p.returncode, out


def check_live(what, out, want_failed):
    ups = [tuple(float(x) for x in m.groups())
           for m in PROGRESS.finditer(out)]
    check(len(ups) >= 2, "%s on a terminal: %d progress updates, want >= 2:"
          " %r" % (what, len(ups), out[-600:]))
    done = [u[0] for u in ups]
    secs = [u[3] for u in ups]
    check(done == sorted(done) and done[-1] > done[0] and
          secs == sorted(secs) and secs[-1] > secs[0],
          "%s: progress does not move: %s" % (what, ups))
    check(all(u[1] > 0 for u in ups if u[0] > 0),
          "%s: no request rate shown: %s" % (what, ups))
    if want_failed:
        check(ups[-1][2] > 0, "%s: failures not counted: %s" % (what, ups))
    last = list(PROGRESS.finditer(out))[-1].end()
    clear = CLEAR.search(out, last)
    check(clear is not None and b"[load]" not in out[clear.end():],
          "%s: the progress line is not cleared before the summary: %r"
          % (what, out[last:last + 300]))
    return ups


def check_quiet(what, out):
    out = out.replace(b"\r\n", b"\n")  # a terminal's own line ends
    check(b"[load]" not in out and b"\r" not in out,
          "%s: progress written although not wanted: %r" % (what, out[:300]))


def test_load(modcert):
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    srv.daemon_threads = True
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    url = "http://127.0.0.1:%d/" % srv.server_address[1]
    # the time bound ends the run: ~6 updates at 4 Hz in 1.5 s
    cmd = [modcert, "load", "--url", url, "-n", "200000", "-d", "1.5",
           "-c", "4", "--seed", "5"]
    try:
        rc, out = run(cmd, True)
        check(rc == 1, "load on a terminal: exit %d (the 500s must fail "
              "checks): %r" % (rc, out[-400:]))
        ups = check_live("modcert load", out, True)
        check(b"requests" in out[CLEAR.search(out).end():],
              "modcert load: no summary after the progress line")
        rc, out = run(cmd, False)
        check(rc == 1 and b"requests" in out, "load piped: exit %d: %r"
              % (rc, out[:300]))
        check_quiet("modcert load piped", out)
        rc, out = run(cmd + ["-q"], True)
        check(rc == 1, "load -q: exit %d" % rc)
        check_quiet("modcert load -q on a terminal", out)
    finally:
        srv.shutdown()
        srv.server_close()
    print("progress: modcert load: %d live updates, last %s, quiet when "
          "piped or -q" % (len(ups), [int(x) for x in ups[-1][:3]]))


def test_stress(modcert, modules, work):
    def cmd(tag, quiet):
        return [modcert, "stress", "--module",
                os.path.join(modules, "mod_hitcount.so"), "--handler",
                "hitcount", "--detector", "none", "--requests", "1000000",
                "--seconds", "2", "--threads", "4", "--workdir",
                os.path.join(work, tag), "--json",
                os.path.join(work, tag + ".json")] + (["-q"] if quiet
                                                      else [])
    rc, out = run(cmd("tty", False), True)
    check(rc == 0, "stress on a terminal: exit %d: %r" % (rc, out[-400:]))
    ups = check_live("modcert stress", out, False)
    rc, out = run(cmd("pipe", False), False)
    check(rc == 0 and b"finding(s)" in out, "stress piped: exit %d: %r"
          % (rc, out[:300]))
    check_quiet("modcert stress piped", out)
    rc, out = run(cmd("quiet", True), True)
    check(rc == 0, "stress -q: exit %d" % rc)
    check_quiet("modcert stress -q on a terminal", out)
    print("progress: modcert stress: %d live updates, last %s, quiet when "
          "piped or -q" % (len(ups), [int(x) for x in ups[-1][:3]]))


def main():
    modcert, modules, work = sys.argv[1:4]
    work = os.path.join(work, "progress")
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    try:
        test_load(modcert)
        test_stress(modcert, modules, work)
    except Fail as e:
        print("FAIL: %s" % e)
        return 1
    print("PASS: progress lines live on a terminal, none otherwise")
    return 0


if __name__ == "__main__":
    sys.exit(main())
