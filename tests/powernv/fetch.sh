#!/bin/sh
# Fetch the Debian ppc64el packages the PowerNV host boots from, into a
# cache that later runs reuse:
#   - the 6.12 kernel, 4K- and 64K-page flavours (trixie, or
#     bookworm-backports with SPAPR_DDW_POWERNV_SUITE=bookworm-backports)
#   - busybox-static
#   - the ppc64el libraries spapr-ddw links with, and their -dev packages,
#     from this host's own suite (unpacked into a private sysroot by
#     cross-build.sh, never installed: a multiarch install would have to
#     track every amd64 security update, and libfdt-dev cannot be
#     co-installed at all)
#
# apt runs with a configuration of its own under the cache (APT_CONFIG):
# /etc/apt and the dpkg database are never touched.  The kernel version is
# whatever the suite's linux-image-powerpc64le meta package points at when
# the cache is first filled; SPAPR_DDW_POWERNV_REFRESH=1 looks again.
#
# Exit status: 0 fetched (or cached), 77 could not fetch (the caller skips).
set -u

. "$(dirname "$0")/common.sh"

suite=${SPAPR_DDW_POWERNV_SUITE:-trixie}
# libfdt must match the multiarch glib of this host (its libc)
libsuite=$(. /etc/os-release 2>/dev/null; echo "${VERSION_CODENAME:-bookworm}")
A=$PNV_CACHE/apt
D=$PNV_CACHE/debs

# Runtime libraries first, then the -dev packages whose pkg-config files
# (Requires.private included) configure reads.
sysroot_pkgs="zlib1g zlib1g-dev libfdt1 libfdt-dev libffi8 libffi-dev
libpcre2-8-0 libpcre2-dev libblkid1 libblkid-dev libuuid1 uuid-dev
libsepol2 libsepol-dev libselinux1 libselinux1-dev libmount1 libmount-dev
libglib2.0-0 libglib2.0-dev libjson-glib-1.0-0 libjson-glib-dev"

have_all() {
    for f in kernel-4k kernel-64k busybox; do
        [ -s "$D/$f.deb" ] || return 1
    done
    [ -f "$D/sysroot/complete" ]
}

if [ "${SPAPR_DDW_POWERNV_REFRESH:-0}" != 1 ] && have_all; then
    pnv_log "fetch: using cached packages in $D"
    exit 0
fi

mkdir -p "$A/lists/partial" "$A/archives/partial" "$A/etc/parts" \
         "$A/etc/prefs" "$D"
: > "$A/status"
cat > "$A/sources.list" <<EOS
deb [arch=ppc64el signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian $suite main
deb [arch=ppc64el signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian $libsuite main
EOS
cat > "$A/apt.conf" <<EOS
APT::Architecture "ppc64el";
APT::Architectures { "ppc64el"; };
Dir::Etc::sourcelist "$A/sources.list";
Dir::Etc::sourceparts "$A/etc/parts";
Dir::Etc::parts "$A/etc/parts";
Dir::Etc::preferencesparts "$A/etc/prefs";
Dir::State::Lists "$A/lists";
Dir::State::status "$A/status";
Dir::Cache "$A";
Dir::Cache::archives "$A/archives";
Acquire::Languages "none";
APT::Sandbox::User "root";
Acquire::http::Timeout "30";
EOS
export APT_CONFIG="$A/apt.conf"

pnv_log "fetch: apt-get update ($suite + $libsuite, ppc64el, private config $A)"
if ! timeout 300 apt-get -q update >"$A/update.log" 2>&1 ||
   grep -q "^E:" "$A/update.log"; then
    tail -3 "$A/update.log" >&2
    pnv_skip "cannot read the Debian $suite ppc64el package index"
fi

# linux-image-powerpc64le -> linux-image-6.12.N+debX-powerpc64le
kpkg() {
    apt-cache depends "$1" 2>/dev/null |
        sed -n 's/^ *Depends: \(linux-image-[0-9][^ ]*\)$/\1/p' | head -n 1
}
k4=$(kpkg linux-image-powerpc64le)
k64=$(kpkg linux-image-powerpc64le-64k)
case "$k4" in linux-image-6.12.*) ;; *)
    pnv_skip "$suite has no 6.12 ppc64el kernel (found '${k4:-nothing}')" ;;
esac
pnv_log "fetch: kernels $k4 $k64"

get() {   # get NAME PACKAGE: download PACKAGE as $D/NAME.deb
    rm -f "$A/dl"/*.deb
    mkdir -p "$A/dl"
    if ! (cd "$A/dl" && timeout 600 apt-get -q download "$2" \
              >"$A/download.log" 2>&1); then
        tail -3 "$A/download.log" >&2
        pnv_skip "cannot download $2 (ppc64el)"
    fi
    mv "$A/dl"/*.deb "$D/$1.deb"
    pnv_log "fetch: $2 -> $D/$1.deb ($(du -h "$D/$1.deb" | cut -f1))"
}
get busybox busybox-static
mkdir -p "$D/sysroot"
for p in $sysroot_pkgs; do
    [ -s "$D/sysroot/$p.deb" ] || get "sysroot/$p" "$p/$libsuite"
done
touch "$D/sysroot/complete"
get kernel-4k "$k4"
get kernel-64k "$k64"
exit 0
