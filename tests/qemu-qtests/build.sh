#!/bin/sh
# Configures the smallest QEMU 7.2 ppc64 build of Debian's source (from
# fetch.sh) and builds only the qtest programs that run-qtests.sh runs,
# with their libqos.  Cached: a finished build is reused.
#
# usage: build.sh CACHE_DIR
set -eu

cache=$1
src=$cache/src
bld=$cache/build
PROGRAMS="rtas-test device-plug-test qos-test device-introspect-test \
qmp-test machine-none-test qom-test test-hmp qmp-cmd-test"

stamp=$bld/.built
[ -f "$stamp" ] && exit 0
if [ ! -f "$bld/build.ninja" ]; then
    rm -rf "$bld"
    mkdir -p "$bld"
    (cd "$bld" && "$src/configure" --target-list=ppc64-softmmu \
        --without-default-features --disable-docs --disable-werror \
        --disable-user --disable-tools --enable-fdt=system \
        --disable-install-blobs)
fi
targets=
for p in $PROGRAMS; do
    targets="$targets tests/qtest/$p"
done
ninja -C "$bld" -j "${JOBS:-2}" $targets
touch "$stamp"
