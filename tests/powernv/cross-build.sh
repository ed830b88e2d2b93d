#!/bin/sh
# Cross-build spapr-ddw and its qtest clients for ppc64le.
#
#   cross-build.sh [BUILDDIR]          (default: build-ppc64le in the tree)
#
# The ppc64el libraries come from the packages fetch.sh downloaded,
# unpacked into $PNV_CACHE/sysroot; configure finds them through
# PKG_CONFIG_SYSROOT_DIR/PKG_CONFIG_LIBDIR, libfdt (no .pc file) through
# --extra-cflags/--extra-ldflags.  Nothing is installed on the host.
# __SANE_USERSPACE_TYPES__ gives ppc64 the x86_64 __u64 (unsigned long
# long) instead of unsigned long, so printf formats of <linux/vfio.h>
# fields mean the same on both.
set -eu

. "$(dirname "$0")/common.sh"

B=${1:-$PNV_TOP/build-ppc64le}
S=$PNV_CACHE/sysroot
T=$PNV_CROSS
debs=$PNV_CACHE/debs/sysroot

stamp=$(ls -l "$debs"/*.deb | sort | cksum)
if [ ! -f "$S/.from" ] || [ "$(cat "$S/.from")" != "$stamp" ]; then
    rm -rf "$S"
    mkdir -p "$S"
    for d in "$debs"/*.deb; do
        dpkg-deb -x "$d" "$S"
    done
    echo "$stamp" > "$S/.from"
    rm -f "$B/config.mak"
fi

if [ ! -f "$B/config.mak" ]; then
    libdirs="$S/usr/lib/$T:$S/lib/$T"
    (cd "$PNV_TOP" &&
     PKG_CONFIG_SYSROOT_DIR=$S \
     PKG_CONFIG_LIBDIR=$S/usr/lib/$T/pkgconfig:$S/usr/share/pkgconfig \
     ./configure --cc="$T-gcc" --builddir="$B" \
         --extra-cflags="-I$S/usr/include -D__SANE_USERSPACE_TYPES__" \
         --extra-ldflags="-L$S/usr/lib/$T -L$S/lib/$T -Wl,-rpath-link,$libdirs")
fi
pnv_log "cross-building spapr-ddw for ppc64le in $B"
make -C "$PNV_TOP" -j2 BUILD="$B" powernv-bins >"$B/cross-build.log" 2>&1 || {
    tail -20 "$B/cross-build.log" >&2
    echo "cross-build: failed, see $B/cross-build.log" >&2
    exit 1
}
