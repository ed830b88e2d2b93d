# Shared settings of the tests/powernv scripts (sourced, not run).
#
# SPAPR_DDW_POWERNV_CACHE  downloads, unpacked kernels, sysroot (default
#                          $HOME/.cache/spapr-ddw-powernv)
# SPAPR_DDW_POWERNV_WORK   initramfs trees, images, console logs
#                          (default $PNV_CACHE/work)

PNV_CACHE=${SPAPR_DDW_POWERNV_CACHE:-${HOME:-/tmp}/.cache/spapr-ddw-powernv}
PNV_WORK=${SPAPR_DDW_POWERNV_WORK:-$PNV_CACHE/work}
PNV_SRC=$(cd "$(dirname "$0")" && pwd)
PNV_TOP=$(cd "$PNV_SRC/../.." && pwd)
PNV_CROSS=${SPAPR_DDW_POWERNV_CROSS:-powerpc64le-linux-gnu}

case "$PNV_CACHE" in
/?*) ;;
*) echo "SPAPR_DDW_POWERNV_CACHE must be an absolute path" >&2; exit 2 ;;
esac

pnv_log() {
    echo "powernv: $*"
}

pnv_mirror() {
    echo "${SPAPR_DDW_POWERNV_MIRROR:-http://deb.debian.org/debian}"
}

# Whether the Debian index answers: the only reason check-powernv may
# skip is that it does not.
pnv_index_reachable() {
    python3 - "$(pnv_mirror)/dists/trixie/InRelease" <<'EOP' 2>/dev/null
import sys, urllib.request
req = urllib.request.Request(sys.argv[1], method="HEAD")
sys.exit(0 if urllib.request.urlopen(req, timeout=30).status == 200 else 1)
EOP
}
