#!/bin/sh
# Check that the installed kernel UAPI (<linux/vfio.h> from Debian's
# linux-libc-dev) has everything the VFIO code uses.  No kernel header is
# committed to this tree: the system's is the one we build against.
#
#   linux-headers/check-uapi.sh [CC]
cc=${1:-cc}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cat > "$tmp/uapi.c" <<'EOC'
#include <linux/vfio.h>
#include <sys/ioctl.h>
static const unsigned long needed[] = {
    VFIO_GET_API_VERSION, VFIO_CHECK_EXTENSION, VFIO_SET_IOMMU,
    VFIO_GROUP_GET_STATUS, VFIO_GROUP_SET_CONTAINER,
    VFIO_GROUP_UNSET_CONTAINER, VFIO_GROUP_GET_DEVICE_FD,
    VFIO_DEVICE_GET_INFO, VFIO_DEVICE_GET_REGION_INFO,
    VFIO_IOMMU_ENABLE, VFIO_IOMMU_DISABLE, VFIO_IOMMU_MAP_DMA,
    VFIO_IOMMU_UNMAP_DMA, VFIO_IOMMU_SPAPR_TCE_GET_INFO,
    VFIO_IOMMU_SPAPR_REGISTER_MEMORY, VFIO_IOMMU_SPAPR_UNREGISTER_MEMORY,
    VFIO_IOMMU_SPAPR_TCE_CREATE, VFIO_IOMMU_SPAPR_TCE_REMOVE,
    VFIO_SPAPR_TCE_IOMMU, VFIO_SPAPR_TCE_v2_IOMMU, VFIO_EEH_PE_OP,
};
int main(void)
{
    struct vfio_iommu_spapr_tce_info info = { .argsz = sizeof(info) };
    struct vfio_iommu_spapr_tce_create create = { .argsz = sizeof(create) };
    struct vfio_iommu_spapr_tce_remove remove = { .argsz = sizeof(remove) };
    struct vfio_iommu_spapr_register_memory reg = { .argsz = sizeof(reg) };
    (void)info.ddw.pgsizes; (void)create.levels; (void)create.start_addr;
    (void)remove.start_addr; (void)reg.vaddr;
    return (int)(sizeof(needed) / sizeof(needed[0])) != 21;
}
EOC
if ! "$cc" -o "$tmp/uapi" "$tmp/uapi.c" 2>"$tmp/err"; then
    echo "ERROR: <linux/vfio.h> lacks the SPAPR TCE v2 UAPI: install the" \
         "Debian package linux-libc-dev (>= 4.2 headers)" >&2
    sed 's/^/  /' "$tmp/err" | head -5 >&2
    exit 1
fi
echo "linux UAPI: <linux/vfio.h> has the SPAPR TCE v2 interface"
