#!/bin/sh
# `make check-powernv`: boot Debian's ppc64el 6.12 kernel as a PowerNV
# host under qemu-system-ppc64 (TCG), with QEMU's edu bound to vfio-pci,
# and run in it the VFIO errno table and spapr-ddw with -device vfio-pci.
#
# Environment:
#   SPAPR_DDW_POWERNV_CONFIGS  machine/flavour list (default
#                              "powernv8/4k powernv8/64k powernv9/4k")
#   SPAPR_DDW_POWERNV_TIMEOUT  seconds per boot (default 360)
#   SPAPR_DDW_POWERNV_MEM      PowerNV host RAM (default 4G: spapr-ddw's
#                              2 GiB guest is pinned in it)
#   SPAPR_DDW_POWERNV_CACHE, SPAPR_DDW_POWERNV_WORK: see common.sh
#   SPAPR_DDW_POWERNV_NO_SPAPR=1  skip the cross build of spapr-ddw
#   SPAPR_DDW_POWERNV_DESTRUCTIVE=1  also the errno rows that make Linux
#                              write past a TCE table (may Oops the host)
#   SPAPR_DDW_POWERNV_QTESTS   qtests of tests/qtest run in the host too
#                              (default none; "all", or names)
#   SPAPR_DDW_POWERNV_APPEND   more kernel arguments (pnv.verbose: kernel
#                              messages on the console)
#
#   SPAPR_DDW_POWERNV_SUITES, _KERNEL, _MIRROR, _REFRESH: see fetch.sh
#
# Host packages are installed first (tests/powernv/install-deps.sh: as
# root; otherwise it prints the command and the check fails).  The kernel
# used is printed and recorded with the results in $PNV_WORK/results.
#
# Exit: 0 all passed, 1 failed.  The only skip (exit 0, "SKIP: ..." and
# the reason on the closing line) is a Debian mirror that cannot be
# reached: anything else that keeps the check from running is a failure,
# in CI (CI=true) as on a workstation.
set -u

. "$(dirname "$0")/common.sh"

configs=${SPAPR_DDW_POWERNV_CONFIGS:-powernv8/4k powernv8/64k powernv9/4k}
tmo=${SPAPR_DDW_POWERNV_TIMEOUT:-360}
mem=${SPAPR_DDW_POWERNV_MEM:-4G}
t0=$(date +%s)
results=$PNV_WORK/results

wall() {
    echo "check-powernv: wall $(( $(date +%s) - t0 ))s"
}

# Cannot run: a skip only when the mirror is out of reach, else a failure.
cannot_run() {
    if pnv_index_reachable; then
        echo "check-powernv: FAIL: $* (the Debian index at $(pnv_mirror)" \
             "is reachable: this is not a reason to skip)"
        wall
        echo "check-powernv: 0 passed, 1 failed"
        exit 1
    fi
    echo "SKIP: $* (the Debian mirror $(pnv_mirror) is unreachable)"
    wall
    echo "check-powernv: 0 passed, 0 failed, 1 skipped ($*: Debian mirror unreachable)"
    exit 0
}

fail() {
    echo "check-powernv: FAIL: $*"
    wall
    echo "check-powernv: 0 passed, 1 failed"
    exit 1
}

"$PNV_SRC/install-deps.sh" ||
    cannot_run "the host packages are not installed (tests/powernv/install-deps.sh)"
command -v qemu-system-ppc64 >/dev/null ||
    fail "qemu-system-ppc64 is missing after tests/powernv/install-deps.sh"
for tool in "$PNV_CROSS-gcc" cpio xz dpkg-deb python3; do
    command -v "$tool" >/dev/null ||
        fail "$tool is missing after tests/powernv/install-deps.sh"
done
"$PNV_SRC/fetch.sh"
case $? in
0) ;;
77) cannot_run "the Debian ppc64el package index cannot be read" ;;
*) fail "tests/powernv/fetch.sh found no usable kernel (see above)" ;;
esac
mkdir -p "$PNV_WORK"
kernel=$(cat "$PNV_CACHE/debs/kernel")
echo "$kernel" | sed 's/^/check-powernv: kernel /'
{
    echo "# make check-powernv, $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "$kernel" | sed 's/^/kernel /'
} > "$results"

xbuild=
if [ "${SPAPR_DDW_POWERNV_NO_SPAPR:-0}" != 1 ]; then
    xbuild=$PNV_TOP/build-ppc64le
    "$PNV_SRC/cross-build.sh" "$xbuild" ||
        fail "the cross build of spapr-ddw failed"
fi

append=${SPAPR_DDW_POWERNV_APPEND:-}
[ "${SPAPR_DDW_POWERNV_DESTRUCTIVE:-0}" = 1 ] &&
    append="$append pnv.destructive"
passed=0
failed=0
built=" "
for cfg in $configs; do
    machine=${cfg%/*}
    flavour=${cfg#*/}
    case "$built" in *" $flavour "*) ;; *)
        "$PNV_SRC/build-initramfs.sh" "$flavour" "$xbuild" ||
            fail "building the $flavour initramfs failed"
        built="$built$flavour "
    esac
    W=$PNV_WORK/$flavour
    log=$PNV_WORK/$machine-$flavour.log
    s=$(date +%s)
    timeout "$tmo" qemu-system-ppc64 -M "$machine" -m "$mem" -smp 1 \
        -nographic -kernel "$W/vmlinux" -initrd "$W/initramfs.cpio.gz" \
        -append "console=hvc0 quiet $append" \
        -device edu,dma_mask=0xffffffffffffffff </dev/null >"$log" 2>&1
    rc=$?
    pnv_log "$machine/$flavour: qemu exit $rc after $(( $(date +%s) - s ))s" \
            "(log $log)"
    [ $rc = 124 ] && echo "  FAIL timeout after ${tmo}s"
    if python3 "$PNV_SRC/check-console.py" "$log" "$machine" "$flavour" &&
       [ $rc = 0 ]; then
        passed=$((passed + 1))
        verdict=passed
    else
        failed=$((failed + 1))
        verdict=FAILED
    fi
    echo "$machine/$flavour $verdict $(( $(date +%s) - s ))s" \
         "kernel $(cat "$W/kver")" >> "$results"
done
wall | tee -a "$results"
echo "check-powernv: $passed passed, $failed failed" | tee -a "$results"
echo "check-powernv: results in $results"
[ $failed = 0 ]
