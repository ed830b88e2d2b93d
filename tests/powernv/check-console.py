#!/usr/bin/env python3
"""Decide pass/fail from the console log of one PowerNV host boot.

    check-console.py LOG MACHINE FLAVOUR

The log is everything qemu-system-ppc64 printed (skiboot, the kernel and
/init).  /init (init.sh) and the errno test print PNV- and VE- lines;
kernel messages may sit between them.  One line per check is printed,
then "CONFIG: N passed, N failed"; the exit status is 0 only when every
check passed.
"""
import re
import sys

# VFIO_IOMMU_SPAPR_TCE_GET_INFO as Linux 6.12 reports it on each PHB model
GET_INFO = {
    'powernv8': {'dma32': '0x0+0x80000000', 'flags': '0x1',
                 'pgsizes': '0x11011000', 'windows': '2', 'levels': '5'},
    'powernv9': {'dma32': '0x0+0x80000000', 'flags': '0x1',
                 'pgsizes': '0x40211000', 'windows': '2', 'levels': '5'},
}
PAGE_SIZE = {'4k': 4096, '64k': 65536}


def fields(line):
    """key=value pairs of a PNV-/VE- line."""
    return dict(re.findall(r'(\S+?)=(\S+)', line))


class Checker:
    def __init__(self, name):
        self.name = name
        self.passed = 0
        self.failed = 0

    def check(self, ok, what, detail=''):
        if ok:
            self.passed += 1
        else:
            self.failed += 1
        print('  %s %s%s' % ('ok  ' if ok else 'FAIL', what,
                             ': ' + detail if detail else ''))

    def summary(self):
        print('%s: %d passed, %d failed' % (self.name, self.passed,
                                            self.failed))
        return self.failed == 0


def result_lines(text):
    """PNV-/VE- lines, wherever they start on a console line."""
    out = []
    for raw in text.splitlines():
        m = re.search(r'(PNV|VE|VS)-[A-Z][A-Z0-9-]* ?.*', raw)
        if m:
            out.append(m.group(0).rstrip('\r'))
    return out


def first(lines, prefix):
    for line in lines:
        if line.startswith(prefix):
            return line
    return None


def check_errno(c, lines, machine, flavour):
    info = [fields(l) for l in lines if l.startswith('VE-INFO')]
    merged = {}
    for f in info:
        merged.update(f)
    if 'page-size' in merged:
        c.check(int(merged['page-size']) == PAGE_SIZE[flavour],
                'system page size', merged['page-size'])
    want = GET_INFO.get(machine, {})
    got = {k: merged.get(k) for k in want}
    c.check(got == want, 'GET_INFO', ' '.join(
        '%s=%s' % (k, v) for k, v in got.items()))
    rows = [l for l in lines if l.startswith('VE-ROW')]
    for row in rows:
        if ' FAIL ' in row:
            c.check(False, 'errno row', row[len('VE-ROW '):])
    summary = first(lines, 'VE-SUMMARY')
    if summary is None:
        c.check(False, 'errno table', 'no VE-SUMMARY (test crashed?)')
        return merged
    s = fields(summary)
    c.check(s['failed'] == '0' and int(s['passed']) > 0,
            'errno table', '%s rows passed, %s failed, %s skipped, %s '
            'differ from the documented API' % (s['passed'], s['failed'],
                                               s['skipped'],
                                               s['api-differs']))
    return merged


def check_shared(c, lines):
    """The errno table shared with the emulated host (tests/unit)."""
    summary = first(lines, 'VS-SUMMARY')
    if first(lines, 'PNV-SHARED-END') is None:
        print('  skip shared errno table: no cross-built spapr-ddw')
        return
    for row in lines:
        if row.startswith('VS-ROW') and ' FAIL ' in row:
            c.check(False, 'shared errno row', row[len('VS-ROW '):])
        elif row.startswith('VS-ROW') and (' XFAIL ' in row or
                                           ' SKIP ' in row):
            name, verdict = row.split()[1:3]
            print('  %-5s shared errno row %s (why: vfio-errno-kernel.c)' %
                  ('xfail' if verdict == 'XFAIL' else 'skip', name))
    if summary is None:
        c.check(False, 'shared errno table', 'no VS-SUMMARY (crashed?)')
        return
    s = fields(summary)
    c.check(s['failed'] == '0', 'shared errno table (tests/unit)',
            '%s rows passed, %s failed, %s expected failures, %s not run' %
            (s['passed'], s['failed'], s['xfail'], s.get('skipped', '0')))


def check_spapr(c, lines):
    end = first(lines, 'PNV-SPAPR-END')
    if end is None or 'skipped' in end:
        print('  skip spapr-ddw inside the host: %s' %
              (end[len('PNV-SPAPR-END '):] if end else 'not reached'))
        return
    for line in lines:
        if line.startswith('PNV-SPAPR-LOG') and re.search(
                r'(SKIP|skip|DMA|direct map|passed|failed)', line):
            print('    ' + line[len('PNV-SPAPR-LOG '):])
        if line.startswith('PNV-SPAPR-TEST'):
            f = fields(line)
            c.check(f.get('rc') == '0', 'spapr-ddw ' + line.split()[1],
                    'rc=' + f.get('rc', '?'))


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    log, machine, flavour = sys.argv[1:]
    with open(log, errors='replace') as f:
        text = f.read()
    lines = result_lines(text)
    c = Checker('%s/%s' % (machine, flavour))

    init = first(lines, 'PNV-INIT')
    c.check(init is not None, 'kernel reached /init',
            init[len('PNV-INIT '):] if init else 'see ' + log)
    if init is None:
        return c.summary()
    mods = [l for l in lines if l.startswith('PNV-MODULE')]
    c.check(mods and all(l.endswith(' ok') for l in mods), 'vfio modules',
            ' '.join(l.split()[1] for l in mods))
    bind = fields(first(lines, 'PNV-BIND') or '')
    c.check(bind.get('driver') == 'vfio-pci' and
            bind.get('group', 'none') != 'none', 'edu bound to vfio-pci',
            ' '.join('%s=%s' % kv for kv in bind.items()))
    merged = check_errno(c, lines, machine, flavour)
    warns = fields(first(lines, 'PNV-KERNEL-WARN') or '').get('count')
    c.check(warns is not None and
            warns == merged.get('expected-kernel-warns'),
            'kernel WARNs', '%s logged, %s expected from the (!) rows' %
            (warns, merged.get('expected-kernel-warns')))
    bad = re.findall(r'(Oops: .*|BUG: .*|Kernel panic.*)', text)
    c.check(not bad, 'no kernel Oops, BUG or panic',
            '; '.join(sorted(set(b.strip() for b in bad)))[:300])
    check_shared(c, lines)
    check_spapr(c, lines)
    done = first(lines, 'PNV-DONE')
    c.check(done is not None, 'host powered off cleanly',
            done[len('PNV-DONE '):] if done else 'no PNV-DONE (timeout?)')
    return c.summary()


if __name__ == '__main__':
    sys.exit(0 if main() else 1)
