#!/usr/bin/env python3
"""The conformance kit's DMA scenarios on pseries-7.2 (QEMU 7.2's default
machine): PHB 0's 32-bit MMIO window at 32 TiB + 2 GiB, IOMMU page sizes
4K|64K|2M|16M.

  conformance-7.2.py --record [--qemu qemu-system-ppc64]
        run on real QEMU 7.2, write tests/data/conformance-7.2/*.txt
  conformance-7.2.py --ours build/spapr-ddw
        compare spapr-ddw against the recorded transcripts

The scenario code is the kit's (../shared/conformance, as `make
check-conformance` uses it); only the machine and the window address
change.  Without the kit the comparison is skipped and says why.
"""
import argparse
import difflib
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
KIT = os.path.normpath(os.path.join(HERE, "..", "..", "shared", "conformance"))
DATA = os.path.join(HERE, "data", "conformance-7.2")
MACHINE = "pseries-7.2"
MMIO32_PHB0 = 0x200080000000    # SPAPR_PCI_BASE + 2 GiB (pseries-2.8+)
SCENARIOS = ["dma_default_window", "dma_ddw_window",
             "hcall_default_window", "hcall_ddw_window", "rtas_walk"]


def load_kit():
    sys.path.insert(0, KIT)
    import qtest_client
    import scenarios
    scenarios.MMIO32_PHB0 = MMIO32_PHB0

    def on_7_2(cls):
        start = cls.start

        def start_7_2(self, machine=MACHINE, mem="4G", extra=""):
            return start(self, machine, mem, extra)
        cls.start = start_7_2
        return cls
    table = dict(scenarios.SCENARIOS)
    # The DDW RTAS walk: query answers the page sizes of pseries-4.2+.
    table["rtas_walk"] = lambda target: scenarios.run_walk(target, MACHINE)
    return (table, on_7_2(qtest_client.QemuTarget),
            on_7_2(qtest_client.OursTarget), qtest_client.QTestError)


def transcript(kit, target, name):
    table, _, _, err = kit
    try:
        return list(table[name](target))
    except err as e:
        return ["ERROR %s" % str(e).splitlines()[0][:300]]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ours")
    ap.add_argument("--qemu", default="qemu-system-ppc64")
    ap.add_argument("--record", action="store_true")
    args = ap.parse_args()
    if not os.path.exists(os.path.join(KIT, "scenarios.py")):
        print("SKIP conformance-7.2: the conformance kit (%s) is not present"
              % KIT)
        return 0
    kit = load_kit()
    if args.record:
        for n in SCENARIOS:
            lines = transcript(kit, kit[1](args.qemu), n)
            with open(os.path.join(DATA, n + ".txt"), "w") as f:
                f.write("\n".join(lines) + "\n")
            print("recorded %s (%d lines)" % (n, len(lines)))
        return 0
    passed = failed = 0
    for n in SCENARIOS:
        with open(os.path.join(DATA, n + ".txt")) as f:
            want = f.read().splitlines()
        got = transcript(kit, kit[2](args.ours), n)
        if got == want:
            passed += 1
        else:
            failed += 1
            print("FAIL %s" % n)
            for d in list(difflib.unified_diff(want, got, "qemu-7.2", "ours",
                                               lineterm="", n=1))[:40]:
                print("    " + d)
    print("conformance-7.2: %d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
