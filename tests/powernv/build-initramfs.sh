#!/bin/sh
# Build the PowerNV host's boot files for one kernel flavour:
#   $PNV_WORK/FLAVOUR/vmlinux and $PNV_WORK/FLAVOUR/initramfs.cpio.gz
#
#   build-initramfs.sh 4k|64k [SPAPR_DDW_BUILDDIR]
#
# The initramfs holds busybox, the vfio modules (decompressed: busybox
# insmod takes plain .ko) in dependency order, /init (init.sh), the errno
# test, and, when a cross build directory is given, spapr-ddw with its
# qtest clients and every shared library they need.
set -eu

. "$(dirname "$0")/common.sh"

flavour=$1
xbuild=${2:-}
D=$PNV_CACHE/debs
K=$PNV_CACHE/kernel-$flavour
W=$PNV_WORK/$flavour
R=$W/root

unpack() {   # unpack DEB DIR: once per DEB
    if [ ! -f "$2/.from" ] || [ "$(cat "$2/.from")" != "$(ls -l "$1")" ]; then
        rm -rf "$2"
        mkdir -p "$2"
        dpkg-deb -x "$1" "$2"
        ls -l "$1" > "$2/.from"
    fi
}
unpack "$D/kernel-$flavour.deb" "$K"
unpack "$D/busybox.deb" "$PNV_CACHE/busybox"

mods=$(ls -d "$K"/lib/modules/* "$K"/usr/lib/modules/* 2>/dev/null | head -n 1)
kver=$(basename "$mods")
rm -rf "$R"
mkdir -p "$R/bin" "$R/lib/modules" "$R/lib64"
cp "$K/boot/vmlinux-$kver" "$W/vmlinux"
cp "$(ls "$PNV_CACHE"/busybox/bin/busybox "$PNV_CACHE"/busybox/usr/bin/busybox \
      2>/dev/null | head -n 1)" "$R/bin/busybox"
cp "$PNV_SRC/init.sh" "$R/init"
chmod 755 "$R/init"

# Module NAME -> its file; its dependencies first (from .modinfo).
mod_file() {
    find "$mods/kernel" -name "$1.ko*" -o -name "$(echo "$1" | tr _ -).ko*" |
        head -n 1
}
mod_deps() {
    xz -dc "$1" | tr '\0' '\n' | sed -n 's/^depends=//p' | tr ',' ' '
}
loaded=" "
add_module() {
    case "$loaded" in *" $1 "*) return 0 ;; esac
    f=$(mod_file "$1")
    [ -n "$f" ] || { echo "build-initramfs: no module $1 in $kver" >&2; exit 1; }
    for dep in $(mod_deps "$f"); do
        add_module "$dep"
    done
    f=$(mod_file "$1")      # the recursion reused $f
    xz -dc "$f" > "$R/lib/modules/$1.ko"
    echo "$1" >> "$R/lib/modules/order"
    loaded="$loaded$1 "
}
for m in vfio vfio_iommu_spapr_tce vfio-pci; do
    add_module "$m"
done

$PNV_CROSS-gcc -std=gnu11 -O2 -Wall -Wextra -Werror \
    -Wno-missing-field-initializers -static -o "$R/bin/vfio-errno-test" \
    "$PNV_SRC/vfio-errno-test.c" "$PNV_SRC/../unit/vfio-errno-table.c"

# spapr-ddw and its qtest clients, dynamically linked: ship the loader,
# libc and the sysroot's libraries in /lib64, where ld64.so.2 looks.
if [ -n "$xbuild" ]; then
    mkdir -p "$R/opt/spapr-ddw"
    cp "$xbuild/spapr-ddw" "$R/opt/spapr-ddw/"
    # The qtest suite is x86's business and grows: none of it by default
    # keeps the boot time bounded (SPAPR_DDW_POWERNV_QTESTS=all for all).
    qtests=${SPAPR_DDW_POWERNV_QTESTS:-}
    [ "$qtests" = all ] && qtests=$(cd "$xbuild/tests/qtest" && ls)
    for t in $qtests; do
        cp "$xbuild/tests/qtest/$t" "$R/opt/spapr-ddw/"
    done
    for t in "$xbuild"/tests/powernv/*; do
        [ -x "$t" ] && cp "$t" "$R/opt/spapr-ddw/"
    done
    libc=/usr/$PNV_CROSS/lib
    cp -L "$libc/ld64.so.2" "$libc/libc.so.6" "$libc/libm.so.6" "$R/lib64/"
    for d in "$PNV_CACHE/sysroot/lib/$PNV_CROSS" \
             "$PNV_CACHE/sysroot/usr/lib/$PNV_CROSS"; do
        find "$d" -maxdepth 1 -name 'lib*.so.*' -exec cp -L {} "$R/lib64/" \;
    done
fi

(cd "$R" && find . | cpio -o -H newc --quiet | gzip -1 > "$W/initramfs.cpio.gz")
echo "$kver" > "$W/kver"
pnv_log "initramfs $flavour: kernel $kver, modules $(echo $loaded)," \
        "$(du -h "$W/initramfs.cpio.gz" | cut -f1)${xbuild:+, with spapr-ddw}"
