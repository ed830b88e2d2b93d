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

# Not a failure: the host cannot run the check.  Exit code 77 = skipped.
pnv_skip() {
    echo "SKIP: $*"
    exit 77
}
