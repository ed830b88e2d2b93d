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
# Exit: 0 all passed or skipped (a "SKIP: ..." line says why), 1 failed.
set -u

. "$(dirname "$0")/common.sh"

configs=${SPAPR_DDW_POWERNV_CONFIGS:-powernv8/4k powernv8/64k powernv9/4k}
tmo=${SPAPR_DDW_POWERNV_TIMEOUT:-360}
mem=${SPAPR_DDW_POWERNV_MEM:-4G}
t0=$(date +%s)

skip() {
    echo "SKIP: $*"
    echo "check-powernv: 0 passed, 0 failed, 1 skipped"
    exit 0
}

command -v qemu-system-ppc64 >/dev/null ||
    skip "qemu-system-ppc64 is missing (tests/powernv/install-deps.sh)"
for tool in "$PNV_CROSS-gcc" cpio xz dpkg-deb python3; do
    command -v "$tool" >/dev/null ||
        skip "$tool is missing (tests/powernv/install-deps.sh)"
done
"$PNV_SRC/fetch.sh"
case $? in
0) ;;
77) skip "the ppc64el packages cannot be fetched (see above)" ;;
*) echo "check-powernv: fetch failed"; exit 1 ;;
esac

xbuild=
if [ "${SPAPR_DDW_POWERNV_NO_SPAPR:-0}" != 1 ]; then
    xbuild=$PNV_TOP/build-ppc64le
    if ! "$PNV_SRC/cross-build.sh" "$xbuild"; then
        echo "check-powernv: cross build of spapr-ddw failed"
        exit 1
    fi
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
        "$PNV_SRC/build-initramfs.sh" "$flavour" "$xbuild" || exit 1
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
    else
        failed=$((failed + 1))
    fi
done
echo "check-powernv: wall $(( $(date +%s) - t0 ))s"
echo "check-powernv: $passed passed, $failed failed"
[ $failed = 0 ]
