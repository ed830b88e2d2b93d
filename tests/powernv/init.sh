#!/bin/busybox sh
# /init of the PowerNV host (tests/powernv): load vfio, bind QEMU's edu to
# vfio-pci, run the errno tables, then spapr-ddw on top of the same device,
# and power off.  Every result line starts with PNV-, VE- or VS- so that
# check-console.py can find it between the kernel's messages.  Kernel
# command line: pnv.destructive (see run.sh), pnv.verbose (kernel messages
# stay on the console), pnv.shell (a shell at the end, not power-off).
/bin/busybox --install -s /bin
export PATH=/bin
mkdir -p /proc /sys /dev /tmp
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
# Keep kernel messages off the console while tests print; dmesg is
# searched for warnings at the end.
grep -q pnv.verbose /proc/cmdline || echo 1 > /proc/sys/kernel/printk

# Rows that make Linux write past a TCE table: only on request
grep -q pnv.destructive /proc/cmdline && export VFIO_ERRNO_DESTRUCTIVE=1
# pnv.skip=ROW,ROW: rows of the shared table not to run
for a in $(cat /proc/cmdline); do
    case $a in pnv.skip=*) export VFIO_ERRNO_SKIP=${a#pnv.skip=} ;; esac
done

uptime() {
    cut -d' ' -f1 /proc/uptime
}
echo "PNV-INIT kernel=$(uname -r) uptime=$(uptime)"

for m in $(cat /lib/modules/order); do
    if insmod "/lib/modules/$m.ko"; then
        echo "PNV-MODULE $m ok"
    else
        echo "PNV-MODULE $m FAILED"
    fi
done

# QEMU's edu: 1234:11e8
bdf=
for d in /sys/bus/pci/devices/*; do
    if [ "$(cat "$d/vendor"):$(cat "$d/device")" = 0x1234:0x11e8 ]; then
        bdf=$(basename "$d")
    fi
done
group=
if [ -n "$bdf" ]; then
    d=/sys/bus/pci/devices/$bdf
    [ -e "$d/driver" ] && echo "$bdf" > "$d/driver/unbind"
    echo vfio-pci > "$d/driver_override"
    echo "$bdf" > /sys/bus/pci/drivers_probe
    group=$(basename "$(readlink "$d/iommu_group")" 2>/dev/null)
    drv=$(basename "$(readlink "$d/driver")" 2>/dev/null)
    echo "PNV-BIND edu=$bdf driver=${drv:-none} group=${group:-none}"
else
    echo "PNV-BIND edu=none"
fi

if [ -n "$group" ] && [ -e "/dev/vfio/$group" ]; then
    echo "PNV-ERRNO-START uptime=$(uptime)"
    /bin/vfio-errno-test "$group" "$bdf"
    echo "PNV-ERRNO-END rc=$? uptime=$(uptime)"
else
    echo "PNV-ERRNO-END rc=skipped (no vfio group for the edu)"
fi

if [ -x /opt/spapr-ddw/spapr-ddw ]; then
    export LD_LIBRARY_PATH=/lib64 SPAPR_DDW_BIN=/opt/spapr-ddw/spapr-ddw
    case $(grep -m1 '^cpu' /proc/cpuinfo) in
    *POWER9*) export PNV_MACHINE=powernv9 ;;
    *) export PNV_MACHINE=powernv8 ;;
    esac
    # The errno table shared with the emulated host, through hw/vfio
    if [ -n "$group" ] && [ -x /opt/spapr-ddw/vfio-errno-kernel ]; then
        /opt/spapr-ddw/vfio-errno-kernel "$bdf"
        echo "PNV-SHARED-END rc=$? uptime=$(uptime)"
    fi
    echo "PNV-SPAPR-START uptime=$(uptime)"
    for t in /opt/spapr-ddw/*-test /opt/spapr-ddw/*-qtest; do
        [ -x "$t" ] || continue
        SPAPR_DDW_VFIO_HOST=$bdf "$t" > /tmp/out 2>&1
        rc=$?
        sed 's/^/PNV-SPAPR-LOG /' /tmp/out
        echo "PNV-SPAPR-TEST $(basename "$t") rc=$rc uptime=$(uptime)"
    done
    echo "PNV-SPAPR-END uptime=$(uptime)"
else
    echo "PNV-SPAPR-END skipped (no cross-built spapr-ddw in this initramfs)"
fi

echo "PNV-KERNEL-WARN count=$(dmesg | grep -c 'WARNING: CPU')"
dmesg | grep -A3 'WARNING: CPU' | sed 's/^/PNV-DMESG /' | head -n 20
echo "PNV-DONE uptime=$(uptime)"
grep -q pnv.shell /proc/cmdline && exec sh
poweroff -f
