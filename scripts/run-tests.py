#!/usr/bin/env python3
"""Run GLib test binaries in TAP mode and sum up their results.

    run-tests.py BINARY...

Prints each binary's failures, then a closing line
"tests: N passed, N failed" (and ", N skipped").  Exit status 0 only when
nothing failed.  SPAPR_DDW_SLOW=1 also runs the tests marked slow.
"""
import os
import re
import subprocess
import sys
import time

TAP = re.compile(r"^(ok|not ok)\s+\d+\s*(?:-\s*)?(.*?)(\s+#\s*(SKIP|TODO).*)?$")


def run(binary):
    args = [binary, "--tap", "-k"]
    if os.environ.get("SPAPR_DDW_SLOW"):
        args += ["-m", "slow"]
    t0 = time.time()
    p = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       text=True, timeout=1800)
    passed = failed = skipped = 0
    fails = []
    for line in p.stdout.splitlines():
        m = TAP.match(line)
        if not m:
            continue
        if m.group(4) == "SKIP":
            skipped += 1
        elif m.group(1) == "ok":
            passed += 1
        else:
            failed += 1
            fails.append(m.group(2))
    if p.returncode != 0 and not failed:
        failed += 1
        fails.append("exit status %d" % p.returncode)
    name = os.path.basename(binary)
    print("%-32s %4d passed %4d failed %4d skipped  %.1fs"
          % (name, passed, failed, skipped, time.time() - t0))
    for f in fails:
        print("    FAIL: %s" % f)
    if failed:
        sys.stdout.write("".join("      | " + l + "\n" for l in p.stderr.splitlines()[-30:]))
    return passed, failed, skipped


def main():
    tp = tf = ts = 0
    for b in sys.argv[1:]:
        p, f, s = run(b)
        tp, tf, ts = tp + p, tf + f, ts + s
    print("tests: %d passed, %d failed, %d skipped" % (tp, tf, ts))
    return 1 if tf else 0


if __name__ == "__main__":
    sys.exit(main())
