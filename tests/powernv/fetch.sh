#!/bin/sh
# Fetch the Debian ppc64el packages the PowerNV host boots from, into a
# cache that later runs reuse:
#   - a Linux 6.12 kernel, 4K- and 64K-page flavours of the same version
#   - busybox-static
#   - the ppc64el libraries spapr-ddw links with, and their -dev packages,
#     from this host's own suite (unpacked into a private sysroot by
#     cross-build.sh, never installed: a multiarch install would have to
#     track every amd64 security update, and libfdt-dev cannot be
#     co-installed at all)
#
# The kernel is picked from what can actually be downloaded: every
# linux-image-6.12.*-powerpc64le package of the suites below is a
# candidate, newest version first, and each is tried (its 4K and its 64K
# flavour) until one downloads.  A suite's index may name a version the
# mirror no longer serves (404): that candidate is skipped, not the run.
# Package names are listed, not resolved through the linux-image-powerpc64le
# meta package: with bookworm in the list (for the libraries) the meta
# package would resolve to bookworm's 6.1, whose vfio-pci cannot probe.
#
#   SPAPR_DDW_POWERNV_SUITES  where kernels come from (default "trixie
#                             trixie-security trixie-updates bookworm-backports")
#   SPAPR_DDW_POWERNV_KERNEL  pin one version: its ABI name (6.12.95+deb12)
#                             or package name; nothing else is tried
#   SPAPR_DDW_POWERNV_MIRROR  default http://deb.debian.org/debian
#   SPAPR_DDW_POWERNV_REFRESH=1  look again even when the cache is full
#
# The kernel used is written to $PNV_CACHE/debs/kernel (one line per
# flavour: package version suite) and printed.  apt runs with a
# configuration of its own under the cache (APT_CONFIG): /etc/apt and the
# dpkg database are never touched.
#
# Exit status: 0 fetched (or cached); 77 the Debian index cannot be read
# (the caller may skip); 1 anything else (the index is there but nothing
# usable downloads: a bug here, or Debian moved on).
set -u

. "$(dirname "$0")/common.sh"

suites=${SPAPR_DDW_POWERNV_SUITES:-${SPAPR_DDW_POWERNV_SUITE:-trixie \
trixie-security trixie-updates bookworm-backports}}
pin=${SPAPR_DDW_POWERNV_KERNEL:-}
pin=${pin#linux-image-}
pin=${pin%-powerpc64le}
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

fail() {
    echo "fetch: FAIL: $*" >&2
    exit 1
}

have_all() {
    for f in kernel-4k kernel-64k busybox; do
        [ -s "$D/$f.deb" ] || return 1
    done
    [ -f "$D/sysroot/complete" ] && [ -s "$D/kernel" ] || return 1
    # A pin asks for that kernel, whatever is cached.
    [ -z "$pin" ] || grep -q "^linux-image-$pin-powerpc64le " "$D/kernel"
}

if [ "${SPAPR_DDW_POWERNV_REFRESH:-0}" != 1 ] && have_all; then
    pnv_log "fetch: using cached packages in $D"
    pnv_log "fetch: kernel $(head -n 1 "$D/kernel") (cached)"
    exit 0
fi

# Private apt configuration: the kernel suites, and this host's suite for
# the sysroot libraries.
apt_setup() {
    mkdir -p "$A/lists/partial" "$A/archives/partial" "$A/etc/parts" \
             "$A/etc/prefs" "$D"
    : > "$A/status"
    key=/usr/share/keyrings/debian-archive-keyring.gpg
    {
        for s in $suites $libsuite; do
            case $s in
            *-security) url=$(pnv_mirror | sed 's,/debian$,/debian-security,') ;;
            *) url=$(pnv_mirror) ;;
            esac
            echo "deb [arch=ppc64el signed-by=$key] $url $s main"
        done
    } | awk '!seen[$0]++' > "$A/sources.list"
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
Acquire::Retries "2";
EOS
}

# One suite's index failing (not published yet, mid-sync) is survivable;
# none readable means the mirror is out of reach.
apt_update() {
    pnv_log "fetch: apt-get update (ppc64el:" \
            "$(echo $suites $libsuite | tr ' ' '\n' | awk '!seen[$0]++' |
               tr '\n' ' '); private config $A)"
    timeout 300 apt-get -q update >"$A/update.log" 2>&1
    if ! ls "$A"/lists/*_Packages* >/dev/null 2>&1; then
        tail -3 "$A/update.log" >&2
        pnv_log "fetch: cannot read the Debian package index ($(pnv_mirror))"
        exit 77
    fi
    grep -E "^(E|W):" "$A/update.log" | sed 's/^/powernv: fetch: apt: /' | head -5
}

get() {   # get NAME PACKAGE[=VERSION]: download it as $D/NAME.deb
    rm -rf "$A/dl"
    mkdir -p "$A/dl"
    if ! (cd "$A/dl" && timeout 900 apt-get -q download "$2" \
              >"$A/download.log" 2>&1); then
        pnv_log "fetch: $2: does not download:" \
                "$(grep -m1 '^E:' "$A/download.log" |
                   sed 's/ *\[IP:.*//; s/.*  \([0-9][0-9][0-9] \)/\1/' |
                   cut -c1-160)"
        return 1
    fi
    mv "$A/dl"/*.deb "$D/$1.deb"
    pnv_log "fetch: $2 -> $D/$1.deb ($(du -h "$D/$1.deb" | cut -f1))"
}

# "ABI VERSION SUITE" for every 6.12 4K kernel in the index, newest first
# (the pin, if any, alone).
kernel_candidates() {
    apt-cache search --names-only '^linux-image-6\.12\.[0-9]+.*-powerpc64le$' |
    sed -n 's/^linux-image-\(6\.12\.[^ ]*\)-powerpc64le - .*/\1/p' |
    while read -r abi; do
        [ -z "$pin" ] || [ "$abi" = "$pin" ] || continue
        apt-cache madison "linux-image-$abi-powerpc64le" |
        awk -v abi="$abi" -F'|' '{ gsub(/ /, "", $2); split($3, w, " ");
                                   split(w[2], s, "/");
                                   print abi, $2, s[1] }'
    done | sort -k2,2Vr -k3,3 | awk '!seen[$1 " " $2]++'
}

fetch_kernel() {
    cands=$(kernel_candidates)
    [ -n "$cands" ] || fail "no ${pin:-6.12} ppc64el kernel in the index of" \
                            "$suites (see $A/update.log)"
    pnv_log "fetch: kernel candidates, newest first:" \
            "$(echo "$cands" | awk '{ printf "%s%s (%s)", (NR > 1 ? ", " : ""), $2, $3 }')"
    echo "$cands" | while read -r abi ver suite; do
        k4=linux-image-$abi-powerpc64le
        k64=$k4-64k
        get kernel-4k.new "$k4=$ver" && get kernel-64k.new "$k64=$ver" ||
            continue
        mv "$D/kernel-4k.new.deb" "$D/kernel-4k.deb"
        mv "$D/kernel-64k.new.deb" "$D/kernel-64k.deb"
        printf '%s %s %s\n%s %s %s\n' "$k4" "$ver" "$suite" \
               "$k64" "$ver" "$suite" > "$D/kernel"
        exit 3      # found (the loop runs in a subshell)
    done
    [ $? = 3 ]
}

apt_setup
export APT_CONFIG="$A/apt.conf"
apt_update

get busybox busybox-static || fail "busybox-static does not download"
mkdir -p "$D/sysroot"
for p in $sysroot_pkgs; do
    [ -s "$D/sysroot/$p.deb" ] || get "sysroot/$p" "$p/$libsuite" ||
        fail "$p ($libsuite, ppc64el) does not download"
done
touch "$D/sysroot/complete"
fetch_kernel || fail "none of the ${pin:-6.12} kernel candidates downloads"
pnv_log "fetch: kernel $(head -n 1 "$D/kernel")"
exit 0
