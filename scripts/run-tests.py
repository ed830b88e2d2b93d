#!/usr/bin/env python3
"""Run GLib test binaries in TAP mode and sum up their results.

    run-tests.py [--timeout SECS] [--timeout-for NAME=SECS]... BINARY...

Prints each binary's failures, then a closing line
"tests: N passed, N failed, N skipped".  Exit status 0 only when nothing
failed.

Each binary runs in a process group of its own.  When it exits, or when
its timeout expires, every process left in that group is killed, so a
child it started (a spapr-ddw holding our output, say) can neither hang
the suite nor outlive it.  A binary fails when it exits non-zero, is
killed, times out, reports a "not ok", reports fewer results than its
TAP plan announced, or reports no TAP result at all.

Timeouts, per binary: --timeout (default 300 s, or $SPAPR_DDW_TEST_TIMEOUT);
slow runs (SPAPR_DDW_SLOW=1, make check-slow) get 1800 s; a binary that
needs more in ordinary runs opts in with --timeout-for NAME=SECS.
"""
import argparse
import ctypes
import os
import re
import select
import signal
import subprocess
import sys
import tempfile
import time

TAP = re.compile(r"^(ok|not ok)\s+\d+\s*(?:-\s*)?(.*?)(\s+#\s*(SKIP|TODO).*)?$")
PLAN = re.compile(r"^1\.\.(\d+)")
DEFAULT_TIMEOUT = 300
SLOW_TIMEOUT = 1800
PR_SET_CHILD_SUBREAPER = 36


def become_subreaper():
    """Orphans of a test (even ones that left its process group) become
    our children, so that we can find and kill them."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    except (OSError, AttributeError):
        pass


def wait_exit(pid, timeout):
    """Waits until pid exits without reaping it (its process group id stays
    ours to kill); False on timeout."""
    try:
        fd = os.pidfd_open(pid)
    except (AttributeError, OSError):
        fd = None
    deadline = time.monotonic() + timeout
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            if fd is not None:
                if select.select([fd], [], [], left)[0]:
                    return True
                continue
            info = os.waitid(os.P_PID, pid,
                             os.WEXITED | os.WNOWAIT | os.WNOHANG)
            if info is not None:
                return True
            time.sleep(min(0.05, left))
    finally:
        if fd is not None:
            os.close(fd)


def kill_group(pgid):
    try:
        os.killpg(pgid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def our_children():
    me = str(os.getpid())
    kids = []
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % d) as f:
                stat = f.read()
        except OSError:
            continue
        # "pid (comm) state ppid ...": comm may hold spaces and parentheses
        rest = stat[stat.rfind(")") + 2:].split()
        if len(rest) > 1 and rest[1] == me:
            kids.append((int(d), stat[stat.find("(") + 1:stat.rfind(")")],
                         rest[0]))
    return kids


def reap_leftovers():
    """Kills and reaps what is left of a test: members of its group that
    were still dying, and escapees reparented to us.  Returns the names of
    the processes that were still running."""
    left = []
    for pid, comm, state in our_children():
        if state != "Z":
            left.append("%s[%d]" % (comm, pid))
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            break
        if pid == 0:
            if not our_children():
                break
            time.sleep(0.01)
    return left


class Result:
    def __init__(self):
        self.passed = self.failed = self.skipped = 0
        self.fails = []
        self.plan = None

    def parse(self, text):
        for line in text.splitlines():
            m = PLAN.match(line)
            if m:
                self.plan = int(m.group(1))
                continue
            m = TAP.match(line)
            if not m:
                continue
            if m.group(4) == "SKIP":
                self.skipped += 1
            elif m.group(1) == "ok":
                self.passed += 1
            else:
                self.failed += 1
                self.fails.append(m.group(2))

    def count(self):
        return self.passed + self.failed + self.skipped

    def fail(self, why):
        self.failed += 1
        self.fails.append(why)


def exit_text(status):
    if status < 0:
        return "killed by signal %d (%s)" % (
            -status, signal.Signals(-status).name)
    return "exit status %d" % status


def run(binary, timeout):
    args = [binary, "--tap", "-k"]
    if os.environ.get("SPAPR_DDW_SLOW"):
        args += ["-m", "slow"]
    t0 = time.time()
    # Output goes to files, not pipes: a process that keeps a copy of the
    # descriptor cannot make us wait for an end of file.
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        p = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=out,
                             stderr=err, start_new_session=True)
        try:
            finished = wait_exit(p.pid, timeout)
        finally:
            kill_group(p.pid)
            status = p.wait()
            left = reap_leftovers()
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode("utf-8", "replace")
        stderr = err.read().decode("utf-8", "replace")
    r = Result()
    r.parse(stdout)
    if not finished:
        r.fail("timed out after %ds (killed with its process group)" % timeout)
    elif status != 0 and not r.failed:
        r.fail(exit_text(status))
    elif r.count() == 0:
        r.fail("no TAP results")
    elif r.plan is not None and r.count() < r.plan:
        r.fail("%d results of the %d planned" % (r.count(), r.plan))
    report(binary, r, time.time() - t0, left, stderr)
    return r


def report(binary, r, elapsed, left, stderr):
    name = os.path.basename(binary)
    print("%-32s %4d passed %4d failed %4d skipped  %.1fs"
          % (name, r.passed, r.failed, r.skipped, elapsed))
    for f in r.fails:
        print("    FAIL: %s" % f)
    if left:
        print("    note: killed what it left running: %s" % " ".join(left))
    if r.failed:
        sys.stdout.write("".join("      | " + l + "\n"
                                 for l in stderr.splitlines()[-30:]))
    sys.stdout.flush()


def timeout_for(args, binary):
    name = os.path.basename(binary)
    for spec in args.timeout_for:
        n, _, secs = spec.partition("=")
        if n == name:
            return float(secs)
    if os.environ.get("SPAPR_DDW_SLOW"):
        return max(args.timeout, SLOW_TIMEOUT)
    return args.timeout


def on_sigterm(signum, frame):
    raise SystemExit(128 + signum)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--timeout", type=float, default=float(
        os.environ.get("SPAPR_DDW_TEST_TIMEOUT", DEFAULT_TIMEOUT)))
    ap.add_argument("--timeout-for", action="append", default=[],
                    metavar="NAME=SECS")
    ap.add_argument("binaries", nargs="*")
    args = ap.parse_args()
    signal.signal(signal.SIGTERM, on_sigterm)
    become_subreaper()
    tp = tf = ts = 0
    for b in args.binaries:
        r = run(b, timeout_for(args, b))
        tp, tf, ts = tp + r.passed, tf + r.failed, ts + r.skipped
    print("tests: %d passed, %d failed, %d skipped" % (tp, tf, ts))
    return 1 if tf else 0


if __name__ == "__main__":
    sys.exit(main())
