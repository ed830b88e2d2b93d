#!/usr/bin/env python3
"""Guest-visible equality of DMA through VFIO with DMA of an emulated edu.

Runs the shared DMA conformance scenarios (../shared/conformance) on our
binary with the emulated edu replaced by an edu-compatible function of an
emulated POWER host, assigned with vfio-pci, and compares each transcript
line for line with the one recorded on real QEMU 7.2.

    tests/vfio-conformance.py BUILD/spapr-ddw [--shared DIR]

Exit status 0 only when every scenario matches.
"""
import argparse
import difflib
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
EDU = "-device edu,dma_mask=0xffffffffffffffff"
VFIO = "-object vfio-spapr-host-emu,id=h0 -device vfio-pci,host-emu=h0"
SCENARIOS = ["dma_default_window", "dma_ddw_window"]


class VfioTarget:
    """OursTarget, with the assigned function where the edu was."""

    def __init__(self, inner):
        self.inner = inner
        self.name = inner.name

    def start(self, extra="", **kw):
        if EDU not in extra:
            raise RuntimeError("scenario does not use the edu device")
        return self.inner.start(extra=extra.replace(EDU, VFIO), **kw)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binary")
    ap.add_argument("--shared", default=os.path.join(HERE, "..", "..",
                                                     "shared"))
    args = ap.parse_args()
    conf = os.path.join(os.path.abspath(args.shared), "conformance")
    sys.path.insert(0, conf)
    from qtest_client import OursTarget, QTestError  # noqa: E402
    from scenarios import SCENARIOS as ALL  # noqa: E402

    passed = failed = 0
    for name in SCENARIOS:
        with open(os.path.join(conf, "expected", name + ".txt")) as f:
            want = f.read().splitlines()
        try:
            got = list(ALL[name](VfioTarget(OursTarget(args.binary))))
        except QTestError as e:
            got = ["ERROR %s" % str(e).splitlines()[0][:300]]
        if got == want:
            passed += 1
            print("PASS %s" % name)
        else:
            failed += 1
            print("FAIL %s" % name)
            for d in list(difflib.unified_diff(want, got, "qemu", "vfio",
                                               lineterm="", n=1))[:40]:
                print("    " + d)
    print("vfio conformance: %d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
