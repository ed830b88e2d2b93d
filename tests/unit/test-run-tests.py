#!/usr/bin/env python3
"""The test harness cannot hang or lose a failure (scripts/run-tests.py,
libqtest's child handling).  A TAP test program itself, run by make check:

    test-run-tests.py [--tap] [-k]

Each case runs scripts/run-tests.py on a stand-in test binary with a short
timeout and checks what it reports, that it returned within that timeout
plus a margin, and that every process the stand-in started is gone.  The
processes are found by a marker in their environment, unique per case.

The last two cases use a real qtest (build/tests/qtest/qtest-test, next to
$SPAPR_DDW_BIN) with SPAPR_DDW_QTEST_ABORT=1: it aborts with a spapr-ddw
child running and holding its stderr.  Through the runner, the suite still
ends and reports the failure; run directly, the child dies with it.
"""
import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
RUNNER = os.path.join(TOP, "scripts", "run-tests.py")
TIMEOUT = 20        # the runner's per-binary timeout in these cases
MARGIN = 60         # how much later than that the runner may return

# Stand-in test binaries (sh scripts); $1 is --tap.
LEAVES_CHILD = """#!/bin/sh
sleep 1000 &
echo 1..1
echo ok 1 /stand-in/leaves-a-child
"""
HANGS = """#!/bin/sh
echo 1..2
echo ok 1 /stand-in/first
exec sleep 1000
"""
NO_TAP = """#!/bin/sh
echo "this is not TAP"
"""
SHORT_PLAN = """#!/bin/sh
echo 1..3
echo ok 1 /stand-in/one
"""
ESCAPES = """#!/bin/sh
setsid sleep 1000 &
echo 1..1
echo ok 1 /stand-in/escapes
"""
CRASHES = """#!/bin/sh
echo 1..2
echo ok 1 /stand-in/one
sleep 1000 &
kill -ABRT $$
"""


def marked(marker):
    """Live processes whose environment carries the marker."""
    found = []
    key = ("SPAPR_DDW_HARNESS_MARK=" + marker).encode()
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open("/proc/%s/environ" % d, "rb") as f:
                env = f.read()
            with open("/proc/%s/stat" % d) as f:
                state = f.read().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z" and key in env.split(b"\0"):
            found.append(int(d))
    return found


def gone(marker):
    """Waits a bounded while for SIGKILLed processes to finish dying."""
    deadline = time.monotonic() + 10
    while marked(marker) and time.monotonic() < deadline:
        time.sleep(0.05)
    left = marked(marker)
    for pid in left:         # do not leave them to the next case
        os.kill(pid, signal.SIGKILL)
    return not left


def env_with(marker, **extra):
    env = dict(os.environ)
    env["SPAPR_DDW_HARNESS_MARK"] = marker
    env.pop("SPAPR_DDW_SLOW", None)
    env.update(extra)
    return env


def run_runner(binary, timeout=TIMEOUT, **extra):
    """Returns (exit status, output, seconds, no marked process left)."""
    marker = uuid.uuid4().hex
    t0 = time.monotonic()
    p = subprocess.run([sys.executable, RUNNER, "--timeout", str(timeout),
                        binary], env=env_with(marker, **extra),
                       stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, timeout=timeout + MARGIN)
    secs = time.monotonic() - t0
    return p.returncode, p.stdout.decode(errors="replace"), secs, gone(marker)


def stand_in(tmp, name, text):
    path = os.path.join(tmp, name)
    with open(path, "w") as f:
        f.write(text)
    os.chmod(path, 0o755)
    return path


def expect(cond, what, out):
    if not cond:
        raise AssertionError(what + "\n" + out)


def case_leaves_child(tmp):
    rc, out, secs, clean = run_runner(stand_in(tmp, "t", LEAVES_CHILD))
    expect(rc == 0 and "tests: 1 passed, 0 failed" in out, "passes", out)
    expect(secs < TIMEOUT, "does not wait for the child", out)
    expect(clean, "the child is killed", out)


def case_hangs(tmp):
    rc, out, secs, clean = run_runner(stand_in(tmp, "t", HANGS), timeout=2)
    expect(rc == 1 and "timed out after 2s" in out, "times out", out)
    expect("tests: 1 passed, 1 failed" in out, "counts the timeout", out)
    expect(clean, "the hung process is killed", out)


def case_no_tap(tmp):
    rc, out, secs, clean = run_runner(stand_in(tmp, "t", NO_TAP))
    expect(rc == 1 and "FAIL: no TAP results" in out, "fails", out)


def case_short_plan(tmp):
    rc, out, secs, clean = run_runner(stand_in(tmp, "t", SHORT_PLAN))
    expect(rc == 1 and "FAIL: 1 results of the 3 planned" in out, "fails",
           out)


def case_escapes(tmp):
    rc, out, secs, clean = run_runner(stand_in(tmp, "t", ESCAPES))
    expect(rc == 0 and secs < TIMEOUT, "passes at once", out)
    expect(clean, "a process in a session of its own is killed too", out)


def case_crashes(tmp):
    rc, out, secs, clean = run_runner(stand_in(tmp, "t", CRASHES))
    expect(rc == 1 and "killed by signal 6 (SIGABRT)" in out, "fails", out)
    expect(secs < TIMEOUT and clean, "ends at once, child killed", out)


def qtest_binary():
    b = os.environ.get("SPAPR_DDW_BIN", "build/spapr-ddw")
    return os.path.join(os.path.dirname(os.path.abspath(b)),
                        "tests", "qtest", "qtest-test")


def case_qtest_abort_runner(tmp):
    rc, out, secs, clean = run_runner(qtest_binary(),
                                      SPAPR_DDW_QTEST_ABORT="1")
    expect(rc == 1 and "SIGABRT" in out and
           "SPAPR_DDW_QTEST_ABORT: deliberate failure" in out,
           "reports the failure", out)
    expect(secs < TIMEOUT, "ends before the timeout", out)
    expect(clean, "no spapr-ddw left", out)


def case_qtest_abort_alone(tmp):
    """Without the runner: libqtest's child dies with the test."""
    marker = uuid.uuid4().hex
    with tempfile.TemporaryFile() as errf:
        p = subprocess.run([qtest_binary(), "--tap", "-k"],
                           env=env_with(marker, SPAPR_DDW_QTEST_ABORT="1"),
                           stdin=subprocess.DEVNULL,
                           stdout=subprocess.DEVNULL, stderr=errf,
                           start_new_session=True, timeout=TIMEOUT + MARGIN)
        errf.seek(0)
        err = errf.read().decode(errors="replace")
    expect(p.returncode == -signal.SIGABRT, "the test aborts", err)
    expect("deliberate failure" in err, "the child held stderr", err)
    expect(gone(marker), "its spapr-ddw child died with it", err)


CASES = [
    ("/run-tests/leaves-a-child", case_leaves_child),
    ("/run-tests/hangs", case_hangs),
    ("/run-tests/no-tap", case_no_tap),
    ("/run-tests/short-plan", case_short_plan),
    ("/run-tests/escapes-its-group", case_escapes),
    ("/run-tests/crashes", case_crashes),
    ("/run-tests/qtest-aborts", case_qtest_abort_runner),
    ("/libqtest/child-dies-with-test", case_qtest_abort_alone),
]


def main():
    print("1..%d" % len(CASES))
    failed = 0
    for i, (name, fn) in enumerate(CASES, 1):
        with tempfile.TemporaryDirectory() as tmp:
            try:
                fn(tmp)
                print("ok %d %s" % (i, name))
            except Exception as e:     # report it and go on, as -k does
                failed += 1
                print("not ok %d %s" % (i, name))
                sys.stderr.write("%s: %s\n" % (name, e))
        sys.stdout.flush()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
