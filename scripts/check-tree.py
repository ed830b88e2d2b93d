#!/usr/bin/env python3
"""Checks on the source tree itself, run by `make check`.

    check-tree.py [--root DIR] [CHECK...]

With no CHECK, all of them (what `make check` runs).

- maintainers: every file git tracks matches an F: glob of MAINTAINERS.
- walls: the directories that must not reach into device models
  (docs/devel/architecture.md, "Walls") include no hw/ header, directly or
  through a header of their own layer; the emulated host
  (hw/vfio/host-emu/) includes no hw/ header but its own, its public
  interface and the edu engine it runs.
- links: a relative link in a Markdown file leads to a file of the tree.

Prints one TAP line per check (so scripts/run-tests.py counts them), with
every violation behind '#', and exits 1 when one fails.
"""
import argparse
import fnmatch
import os
import re
import subprocess
import sys

WALLED = ("qom/", "util/", "system/", "migration/", "chardev/",
          "include/qom/", "include/qemu/", "include/sysemu/",
          "include/migration/", "include/chardev/", "include/exec/")
# The emulated host is a host, not part of the machine: of hw/, it sees
# only these (and its own directory).
HOST_EMU = "hw/vfio/host-emu/"
HOST_EMU_HW = ("include/hw/vfio/host-emu.h", "include/hw/vfio/vfio-host.h",
               "include/hw/misc/edu.h")
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)
MDLINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")


def tracked(root):
    out = subprocess.run(["git", "ls-files"], cwd=root, check=True,
                         stdout=subprocess.PIPE, text=True).stdout
    return [f for f in out.splitlines() if os.path.exists(os.path.join(root, f))]


def maintainers_globs(root):
    globs = []
    with open(os.path.join(root, "MAINTAINERS")) as f:
        for line in f:
            if line.startswith("F:"):
                globs.append(line[2:].strip())
    return globs


def covered(path, globs):
    for g in globs:
        if g.endswith("/") and path.startswith(g):
            return True
        if fnmatch.fnmatchcase(path, g):
            return True
    return False


def check_maintainers(root, files):
    globs = maintainers_globs(root)
    return ["%s matches no F: line of MAINTAINERS" % f
            for f in files if not covered(f, globs)]


def resolve(root, src, name):
    """The tracked path an #include "name" in src means, or None."""
    for base in (os.path.dirname(src), "include", "", "tests/qtest"):
        cand = os.path.normpath(os.path.join(base, name))
        if os.path.exists(os.path.join(root, cand)):
            return cand
    return None


def wall_allows(f, target):
    if not target.startswith(("hw/", "include/hw/")):
        return True
    if f.startswith(HOST_EMU):
        return target.startswith(HOST_EMU) or target in HOST_EMU_HW
    return False


def check_walls(root, files):
    bad = []
    for f in files:
        if not f.startswith(WALLED + (HOST_EMU,)) or \
           not f.endswith((".c", ".h")):
            continue
        with open(os.path.join(root, f), errors="replace") as fh:
            text = fh.read()
        for name in INCLUDE.findall(text):
            target = resolve(root, f, name) or name
            if not wall_allows(f, target):
                bad.append("%s includes %s" % (f, name))
    return bad


def check_links(root, files):
    bad = []
    for f in files:
        if not f.endswith(".md"):
            continue
        with open(os.path.join(root, f), errors="replace") as fh:
            text = fh.read()
        for link in MDLINK.findall(text):
            if "://" in link or link.startswith("mailto:"):
                continue
            target = os.path.normpath(os.path.join(os.path.dirname(f), link))
            if target.startswith("..") or \
               not os.path.exists(os.path.join(root, target)):
                bad.append("%s links to %s, outside the tree or missing"
                           % (f, link))
    return bad


DEFAULT = ("maintainers", "walls", "links")
CHECKS = (("maintainers", check_maintainers),
          ("walls", check_walls),
          ("links", check_links))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--root", default=os.path.join(
        os.path.dirname(os.path.abspath(__file__)), ".."))
    ap.add_argument("--tap", action="store_true", help="(always TAP)")
    ap.add_argument("-k", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("-m", help=argparse.SUPPRESS)
    ap.add_argument("checks", nargs="*", choices=[[]] + [c[0] for c in CHECKS])
    args = ap.parse_args()
    root = os.path.abspath(args.root)
    files = tracked(root)
    failed = 0
    wanted = args.checks or DEFAULT
    checks = [c for c in CHECKS if c[0] in wanted]
    print("1..%d" % len(checks))
    for i, (name, fn) in enumerate(checks, 1):
        problems = fn(root, files)
        print("%s %d /tree/%s" % ("not ok" if problems else "ok", i, name))
        for p in problems:
            print("# " + p, flush=True)
        failed += bool(problems)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
