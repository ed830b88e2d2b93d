/*
 * The Linux VFIO transport: /dev/vfio/vfio, /dev/vfio/GROUP, real
 * ioctl(2) and pread(2)/pwrite(2) on the device fd.
 *
 * A device is named either by its PCI address (host=DDDD:BB:DD.F, found
 * under /sys/bus/pci/devices) or by its sysfs directory (sysfsdev=PATH);
 * its IOMMU group is the target of the directory's iommu_group link.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include <fcntl.h>
#include <sys/ioctl.h>
#include <linux/vfio.h>
#include "hw/vfio/vfio-common.h"

#define VFIO_SYSFS_PCI_DEVICES  "/sys/bus/pci/devices"
#define VFIO_DEV_DIR            "/dev/vfio"

typedef struct VFIOHostLinux {
    VFIOHost host;
    char *group_path;
} VFIOHostLinux;

static int vfio_linux_open(const char *path)
{
    int fd = open(path, O_RDWR | O_CLOEXEC);

    return fd < 0 ? -errno : fd;
}

static int vfio_linux_open_container(VFIOHost *h)
{
    return vfio_linux_open(VFIO_DEV_DIR "/vfio");
}

static int vfio_linux_open_group(VFIOHost *h)
{
    return vfio_linux_open(container_of(h, VFIOHostLinux, host)->group_path);
}

static int vfio_linux_ioctl(VFIOHost *h, int fd, unsigned long request,
                            void *arg)
{
    int ret = ioctl(fd, request, arg);

    return ret < 0 ? -errno : ret;
}

static ssize_t vfio_linux_pread(VFIOHost *h, int fd, void *buf, size_t len,
                                off_t offset)
{
    ssize_t ret = pread(fd, buf, len, offset);

    return ret < 0 ? -errno : ret;
}

static ssize_t vfio_linux_pwrite(VFIOHost *h, int fd, const void *buf,
                                 size_t len, off_t offset)
{
    ssize_t ret = pwrite(fd, buf, len, offset);

    return ret < 0 ? -errno : ret;
}

static void vfio_linux_close(VFIOHost *h, int fd)
{
    close(fd);
}

static uint64_t vfio_linux_host_page_size(VFIOHost *h)
{
    return getpagesize();
}

static const VFIOHostOps vfio_linux_ops = {
    .name = "linux",
    .open_container = vfio_linux_open_container,
    .open_group = vfio_linux_open_group,
    .ioctl = vfio_linux_ioctl,
    .pread = vfio_linux_pread,
    .pwrite = vfio_linux_pwrite,
    .close = vfio_linux_close,
    .host_page_size = vfio_linux_host_page_size,
};

/* Hex digits, ':' and '.' only: sscanf alone would take "0x" or spaces. */
static bool vfio_linux_scan_host(const char *s, unsigned *dom, unsigned *bus,
                                 unsigned *slot, unsigned *fn)
{
    size_t len = strlen(s);
    int n = -1;

    if (strspn(s, "0123456789abcdefABCDEF:.") != len) {
        return false;
    }
    if (sscanf(s, "%4x:%2x:%2x.%1u%n", dom, bus, slot, fn, &n) == 4 &&
        n == (int)len) {
        return true;
    }
    *dom = 0;
    n = -1;
    return sscanf(s, "%2x:%2x.%1u%n", bus, slot, fn, &n) == 3 &&
           n == (int)len;
}

char *vfio_linux_parse_host(const char *host, Error **errp)
{
    unsigned dom, bus, slot, fn;

    if (!host || !vfio_linux_scan_host(host, &dom, &bus, &slot, &fn)) {
        error_setg(errp, "vfio-pci: host='%s' is not a PCI address "
                   "(DDDD:BB:DD.F)", host ? host : "");
        return NULL;
    }
    if (slot > 0x1f || fn > 7) {
        error_setg(errp, "vfio-pci: host='%s': slot or function out of "
                   "range", host);
        return NULL;
    }
    return g_strdup_printf("%04x:%02x:%02x.%x", dom, bus, slot, fn);
}

char *vfio_linux_group_path(const char *sysfsdev, Error **errp)
{
    g_autofree char *link = g_build_filename(sysfsdev, "iommu_group", NULL);
    g_autofree char *target = g_file_read_link(link, NULL);
    g_autofree char *group = NULL;
    unsigned long n;
    char *end;

    if (!target) {
        error_setg(errp, "vfio-pci: %s has no IOMMU group (no iommu_group "
                   "link; is the device bound to vfio-pci?)", sysfsdev);
        return NULL;
    }
    group = g_path_get_basename(target);
    errno = 0;
    n = strtoul(group, &end, 10);
    if (errno || end == group || *end || n > INT_MAX) {
        error_setg(errp, "vfio-pci: %s: IOMMU group '%s' is not a number",
                   sysfsdev, group);
        return NULL;
    }
    return g_strdup_printf(VFIO_DEV_DIR "/%lu", n);
}

VFIOHost *vfio_host_linux_new(const char *host, const char *sysfsdev,
                              Error **errp)
{
    g_autofree char *name = NULL;
    g_autofree char *dir = NULL;
    VFIOHostLinux *hl;
    char *group;

    if (sysfsdev) {
        dir = g_strdup(sysfsdev);
        name = g_path_get_basename(sysfsdev);
    } else {
        name = vfio_linux_parse_host(host, errp);
        if (!name) {
            return NULL;
        }
        dir = g_build_filename(VFIO_SYSFS_PCI_DEVICES, name, NULL);
    }
    group = vfio_linux_group_path(dir, errp);
    if (!group) {
        return NULL;
    }
    hl = g_new0(VFIOHostLinux, 1);
    hl->host.ops = &vfio_linux_ops;
    hl->host.device_name = g_steal_pointer(&name);
    hl->group_path = group;
    return &hl->host;
}

void vfio_host_linux_free(VFIOHost *h)
{
    VFIOHostLinux *hl;

    if (!h) {
        return;
    }
    hl = container_of(h, VFIOHostLinux, host);
    g_free(hl->group_path);
    g_free(h->device_name);
    g_free(hl);
}
