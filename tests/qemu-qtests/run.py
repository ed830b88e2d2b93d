#!/usr/bin/env python3
"""Runs QEMU 7.2's own qtest programs (built by build.sh) against spapr-ddw.

usage: run.py CACHE_DIR BINARY

libqtest wants QTEST_QEMU_BINARY to end in -system-ppc64: a symlink to
BINARY is made in a private directory.  Each subtest runs alone (-p PATH)
under a timeout, so one hanging case costs only its own result.  Subtests
outside what spapr-ddw models are skipped by path, each with its reason;
everything else must pass.  The last line is
"qemu-qtests: N passed, N failed, N skipped".
"""
import os
import subprocess
import sys
import tempfile

PROGRAMS = ["rtas-test", "device-plug-test", "qos-test",
            "device-introspect-test", "qmp-test", "machine-none-test",
            "qom-test", "test-hmp", "qmp-cmd-test"]

# path (or prefix ending in '/') -> why it is out of scope
OUT_OF_SCOPE = {
    "/ppc64/device-plug/pci-unplug-request":
        "virtio-mouse-pci: a device model spapr-ddw does not have",
    "/ppc64/device-plug/pci-unplug-json-request":
        "virtio-mouse-pci: a device model spapr-ddw does not have",
    "/ppc64/device-plug/spapr-cpu-unplug-request":
        "CPU hotplug: no CPU is emulated",
    "/ppc64/device-plug/spapr-memory-unplug-request":
        "memory hotplug (pc-dimm) is not modelled",
    "/ppc64/qmp/oob":
        "blockdev-add (blkdebug on a FIFO) holds its in-band command: "
        "no block layer is modelled",
    "/ppc64/qmp/preconfig": "--preconfig is not supported",
}

TIMEOUT = 60


def out_of_scope(path):
    for p, why in OUT_OF_SCOPE.items():
        if path == p or (p.endswith("/") and path.startswith(p)):
            return why
    return None


def list_paths(prog, env):
    out = subprocess.run([prog, "-l"], env=env, stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL, text=True,
                         timeout=TIMEOUT).stdout
    return [l.strip() for l in out.splitlines() if l.startswith("/")]


def run_one(prog, path, env):
    try:
        r = subprocess.run([prog, "-p", path], env=env,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           text=True, timeout=TIMEOUT)
    except subprocess.TimeoutExpired as e:
        out = e.stdout.decode() if isinstance(e.stdout, bytes) else \
            (e.stdout or "")
        return False, out + "\n(timed out after %d s)" % TIMEOUT
    ok = r.returncode == 0 and "\nok " in "\n" + r.stdout
    return ok, r.stdout


def main():
    cache, binary = sys.argv[1], os.path.abspath(sys.argv[2])
    qtests = os.path.join(cache, "build", "tests", "qtest")
    tmp = tempfile.mkdtemp(prefix="qemu-qtests-")
    link = os.path.join(tmp, "qemu-system-ppc64")
    os.symlink(binary, link)
    env = dict(os.environ, QTEST_QEMU_BINARY=link)
    passed = failed = 0
    skipped = []
    failures = []
    for name in PROGRAMS:
        prog = os.path.join(qtests, name)
        for path in list_paths(prog, env):
            why = out_of_scope(path)
            if why:
                skipped.append((path, why))
                continue
            ok, out = run_one(prog, path, env)
            print("%s %s %s" % ("PASS" if ok else "FAIL", name, path),
                  flush=True)
            if ok:
                passed += 1
            else:
                failed += 1
                failures.append((path, out))
    for path, out in failures:
        print("--- %s" % path)
        print("\n".join("    | " + l for l in out.strip().splitlines()[-12:]))
    for path, why in skipped:
        print("SKIP %s (out of scope: %s)" % (path, why))
    os.unlink(link)
    os.rmdir(tmp)
    print("qemu-qtests: %d passed, %d failed, %d skipped"
          % (passed, failed, len(skipped)))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
