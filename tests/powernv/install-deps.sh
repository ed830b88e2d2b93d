#!/bin/sh
# Install the host-side tools that `make check-powernv` needs, on a Debian
# bookworm (or later) x86_64 machine.  Run as root.  Installs only what is
# missing; without root it prints the exact command instead.
#
#   tests/powernv/install-deps.sh
#
# The ppc64el libraries that the cross build of spapr-ddw links with are
# not installed here: fetch.sh downloads them into a private sysroot, so
# dpkg never gets a foreign architecture.
set -e

case "${1:-}" in
'') ;;
-h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
*) echo "install-deps.sh: unknown option '$1'" >&2; exit 2 ;;
esac

host_pkgs="qemu-system-ppc qemu-system-data cpio xz-utils pkg-config
gcc-powerpc64le-linux-gnu libc6-dev-ppc64el-cross linux-libc-dev-ppc64el-cross"

missing_of() {
    for p in $*; do
        st=$(dpkg-query -W -f '${db:Status-Status}' "$p" 2>/dev/null) || st=
        [ "$st" = installed ] || printf '%s ' "$p"
    done
}

need=$(missing_of $host_pkgs)
if [ -z "$need" ]; then
    echo "install-deps: everything is installed"
    exit 0
fi

cmd="apt-get install -y --no-install-recommends $need"
if [ "$(id -u)" != 0 ]; then
    echo "install-deps: missing: $need" >&2
    echo "run as root:" >&2
    echo "  apt-get update && $cmd" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
# A mirror in mid-sync fails one index: go on with the others.
apt-get update -qq || echo "install-deps: warning: apt-get update reported errors" >&2
$cmd
echo "install-deps: installed $need"
