/*
 * vfio-pci: a host PCI function assigned to the guest.
 *
 * DOC: config space and BAR forwarding
 *
 * The function is reached through a transport (vfio-host.h): host= or
 * sysfsdev= for /dev/vfio, host-emu= for the emulated POWER host.  Its
 * IOMMU group joins the VFIO container of the PHB the device sits on, so
 * the device DMAs through host windows that mirror the guest's.
 *
 * Config space is the device's VFIO config region, except the BAR and
 * expansion ROM registers: their guest-visible addresses are emulated
 * here (the host's own BAR placement means nothing to the guest).  Every
 * other write, including the command register with bus mastering, goes
 * to the device and also through our PCI core, which maps the BARs.
 * A memory BAR is an MMIO region of this device whose accesses become
 * pread/pwrite on the device's BAR region.  Registers travel as PCI
 * does, little-endian, in the region's bytes.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include <linux/vfio.h>
#include "qemu/bswap.h"
#include "qemu/log.h"
#include "hw/pci/pci.h"
#include "hw/qdev-properties.h"
#include "hw/vfio/vfio-common.h"
#include "trace.h"

#define TYPE_VFIO_PCI "vfio-pci"
#define VFIO_PCI_NUM_BARS   PCI_ROM_SLOT

typedef struct VFIOPCIDevice VFIOPCIDevice;

typedef struct VFIOBar {
    VFIOPCIDevice *vdev;
    unsigned index;
    uint64_t offset;            /* of the region in the device fd */
    uint64_t size;
    MemoryRegion mr;
} VFIOBar;

struct VFIOPCIDevice {
    PCIDevice pdev;

    char *host;
    char *sysfsdev;
    char *host_emu;

    VFIOHost *vhost;
    bool vhost_owned;           /* a linux transport we created */
    VFIOGroup *group;
    int fd;
    uint32_t dev_flags;
    uint64_t config_offset;
    uint64_t config_size;
    VFIOBar bars[VFIO_PCI_NUM_BARS];
    uint8_t emulated[PCI_CONFIG_SPACE_SIZE];   /* bytes kept here */
};

#define VFIO_PCI(obj) OBJECT_CHECK(VFIOPCIDevice, (obj), TYPE_VFIO_PCI)

static ssize_t vfio_pci_pread(VFIOPCIDevice *v, void *buf, size_t len,
                              uint64_t off)
{
    return v->vhost->ops->pread(v->vhost, v->fd, buf, len, off);
}

static ssize_t vfio_pci_pwrite(VFIOPCIDevice *v, const void *buf,
                               size_t len, uint64_t off)
{
    return v->vhost->ops->pwrite(v->vhost, v->fd, buf, len, off);
}

/* BARs */

static uint64_t vfio_bar_read(void *opaque, hwaddr addr, unsigned size)
{
    VFIOBar *bar = opaque;
    uint8_t buf[8] = { 0 };
    uint64_t val;

    if (vfio_pci_pread(bar->vdev, buf, size, bar->offset + addr) !=
        (ssize_t)size) {
        qemu_log_mask(LOG_GUEST_ERROR, "vfio-pci: BAR%u read of %u bytes at "
                      "0x%" PRIx64 " failed\n", bar->index, size, addr);
        return ~0ULL >> (64 - size * 8);
    }
    val = ldn_le_p(buf, size);
    trace_vfio_pci_bar_read(bar->index, addr, size, val);
    return val;
}

static void vfio_bar_write(void *opaque, hwaddr addr, uint64_t val,
                           unsigned size)
{
    VFIOBar *bar = opaque;
    uint8_t buf[8];

    stn_le_p(buf, size, val);
    trace_vfio_pci_bar_write(bar->index, addr, size, val);
    if (vfio_pci_pwrite(bar->vdev, buf, size, bar->offset + addr) !=
        (ssize_t)size) {
        qemu_log_mask(LOG_GUEST_ERROR, "vfio-pci: BAR%u write of %u bytes at "
                      "0x%" PRIx64 " failed\n", bar->index, size, addr);
    }
}

static const MemoryRegionOps vfio_bar_ops = {
    .read = vfio_bar_read,
    .write = vfio_bar_write,
    .endianness = DEVICE_NATIVE_ENDIAN,
    .valid = { .min_access_size = 1, .max_access_size = 8 },
};

static bool vfio_pci_region_info(VFIOPCIDevice *v, unsigned index,
                                 struct vfio_region_info *info,
                                 Error **errp)
{
    int ret;

    *info = (struct vfio_region_info) {
        .argsz = sizeof(*info),
        .index = index,
    };
    ret = v->vhost->ops->ioctl(v->vhost, v->fd, VFIO_DEVICE_GET_REGION_INFO,
                               info);
    if (ret) {
        error_setg_errno(errp, ret < 0 ? -ret : EIO, "vfio-pci: %s: no "
                         "information on region %u", v->vhost->device_name,
                         index);
        return false;
    }
    return true;
}

/* The BAR's type bits as the device's own config space has them. */
static uint32_t vfio_pci_bar_type(VFIOPCIDevice *v, unsigned i)
{
    uint8_t buf[4] = { 0 };

    vfio_pci_pread(v, buf, 4, v->config_offset + PCI_BASE_ADDRESS_0 + i * 4);
    return ldn_le_p(buf, 4) & 0xf;
}

static bool vfio_pci_setup_bar(VFIOPCIDevice *v, unsigned i, uint32_t type,
                               Error **errp)
{
    struct vfio_region_info info;
    VFIOBar *bar = &v->bars[i];
    g_autofree char *name = NULL;

    if (!vfio_pci_region_info(v, i, &info, errp)) {
        return false;
    }
    if (!info.size) {
        return true;
    }
    if (!is_power_of_2(info.size) || info.size < 16) {
        error_setg(errp, "vfio-pci: %s: BAR%u size 0x%" PRIx64 " is not a "
                   "power of two", v->vhost->device_name, i,
                   (uint64_t)info.size);
        return false;
    }
    *bar = (VFIOBar) {
        .vdev = v, .index = i, .offset = info.offset, .size = info.size,
    };
    name = g_strdup_printf("vfio-bar%u", i);
    memory_region_init_io(&bar->mr, OBJECT(v), &vfio_bar_ops, bar, name,
                          info.size);
    pci_register_bar(&v->pdev, i, type & (PCI_BASE_ADDRESS_MEM_TYPE_64 |
                                          PCI_BASE_ADDRESS_MEM_PREFETCH),
                     &bar->mr);
    return true;
}

static bool vfio_pci_setup_bars(VFIOPCIDevice *v, Error **errp)
{
    for (unsigned i = 0; i < VFIO_PCI_NUM_BARS; i++) {
        uint32_t type = vfio_pci_bar_type(v, i);

        memset(v->emulated + PCI_BASE_ADDRESS_0 + i * 4, 0xff, 4);
        if (type & PCI_BASE_ADDRESS_SPACE_IO) {
            continue;   /* pseries has no I/O space to map it in */
        }
        if (!vfio_pci_setup_bar(v, i, type, errp)) {
            return false;
        }
        if ((type & PCI_BASE_ADDRESS_MEM_TYPE_64) &&
            i + 1 < VFIO_PCI_NUM_BARS) {
            memset(v->emulated + PCI_BASE_ADDRESS_0 + (i + 1) * 4, 0xff, 4);
            i++;
        }
    }
    memset(v->emulated + PCI_ROM_ADDRESS, 0xff, 4);
    return true;
}

/* Config space */

static uint32_t vfio_pci_config_read(PCIDevice *pdev, uint32_t addr, int len)
{
    VFIOPCIDevice *v = VFIO_PCI(pdev);
    uint32_t emu = pci_default_read_config(pdev, addr, len);
    uint8_t buf[4] = { 0 };
    uint32_t mask = 0, phys;

    for (int i = 0; i < len; i++) {
        mask |= (uint32_t)v->emulated[addr + i] << (8 * i);
    }
    if (mask == ~0U >> (32 - 8 * len)) {
        return emu;
    }
    if (vfio_pci_pread(v, buf, len, v->config_offset + addr) != len) {
        qemu_log_mask(LOG_GUEST_ERROR, "vfio-pci: config read at 0x%x "
                      "failed\n", addr);
        return emu;
    }
    phys = ldn_le_p(buf, len);
    trace_vfio_pci_config_read(addr, len, phys);
    return (emu & mask) | (phys & ~mask);
}

static void vfio_pci_config_write(PCIDevice *pdev, uint32_t addr,
                                  uint32_t val, int len)
{
    VFIOPCIDevice *v = VFIO_PCI(pdev);

    uint8_t buf[4];
    int i = 0;

    trace_vfio_pci_config_write(addr, len, val);
    stn_le_p(buf, len, val);
    /* Each run of forwarded bytes as one write. */
    while (i < len) {
        int n = 0;

        while (i + n < len && !v->emulated[addr + i + n]) {
            n++;
        }
        if (n && vfio_pci_pwrite(v, buf + i, n,
                                 v->config_offset + addr + i) != n) {
            qemu_log_mask(LOG_GUEST_ERROR, "vfio-pci: config write at 0x%x "
                          "failed\n", addr + i);
        }
        i += n ? n : 1;
    }
    /* BAR placement and the command register also act here. */
    pci_default_write_config(pdev, addr, val, len);
}

/* Realize and unplug */

static bool vfio_pci_get_transport(VFIOPCIDevice *v, Error **errp)
{
    int n = !!v->host + !!v->sysfsdev + !!v->host_emu;

    if (n != 1) {
        error_setg(errp, "vfio-pci: give exactly one of host=, sysfsdev= or "
                   "host-emu=");
        return false;
    }
    if (v->host_emu) {
        v->vhost = vfio_host_lookup(v->host_emu, errp);
        if (v->vhost && v->vhost->ops->hold) {
            v->vhost->ops->hold(v->vhost);
        }
        return v->vhost;
    }
    v->vhost = vfio_host_linux_new(v->host, v->sysfsdev, errp);
    v->vhost_owned = true;
    return v->vhost;
}

static bool vfio_pci_open_device(VFIOPCIDevice *v, Error **errp)
{
    struct vfio_device_info info = { .argsz = sizeof(info) };
    VFIOHost *h = v->vhost;
    int ret;

    v->fd = h->ops->ioctl(h, v->group->fd, VFIO_GROUP_GET_DEVICE_FD,
                          h->device_name);
    if (v->fd < 0) {
        error_setg_errno(errp, -v->fd, "vfio-pci: cannot get device %s",
                         h->device_name);
        return false;
    }
    ret = h->ops->ioctl(h, v->fd, VFIO_DEVICE_GET_INFO, &info);
    if (ret || !(info.flags & VFIO_DEVICE_FLAGS_PCI) ||
        info.num_regions <= VFIO_PCI_CONFIG_REGION_INDEX) {
        error_setg(errp, "vfio-pci: %s is not a PCI device", h->device_name);
        return false;
    }
    v->dev_flags = info.flags;
    return true;
}

/* The device's config header, BARs aside, becomes our initial copy. */
static bool vfio_pci_load_config(VFIOPCIDevice *v, Error **errp)
{
    struct vfio_region_info info;
    uint8_t cfg[PCI_CONFIG_SPACE_SIZE] = { 0 };

    if (!vfio_pci_region_info(v, VFIO_PCI_CONFIG_REGION_INDEX, &info,
                              errp)) {
        return false;
    }
    if (info.size < 0x40) {
        error_setg(errp, "vfio-pci: %s: config space of 0x%" PRIx64 " bytes",
                   v->vhost->device_name, (uint64_t)info.size);
        return false;
    }
    v->config_offset = info.offset;
    v->config_size = info.size;
    if (vfio_pci_pread(v, cfg, 0x40, info.offset) != 0x40) {
        error_setg(errp, "vfio-pci: %s: cannot read config space",
                   v->vhost->device_name);
        return false;
    }
    memcpy(v->pdev.config, cfg, PCI_BASE_ADDRESS_0);
    memcpy(v->pdev.config + PCI_SUBSYSTEM_VENDOR_ID,
           cfg + PCI_SUBSYSTEM_VENDOR_ID, 4);
    memcpy(v->pdev.config + PCI_CAPABILITY_LIST,
           cfg + PCI_CAPABILITY_LIST, 0x40 - PCI_CAPABILITY_LIST);
    return true;
}

static void vfio_pci_release(VFIOPCIDevice *v)
{
    for (unsigned i = 0; i < VFIO_PCI_NUM_BARS; i++) {
        if (v->bars[i].size) {
            memory_region_finalize(&v->bars[i].mr);
            v->bars[i].size = 0;
        }
    }
    if (v->fd >= 0) {
        v->vhost->ops->close(v->vhost, v->fd);
        v->fd = -1;
    }
    if (v->group) {
        vfio_group_put(v->group);
        v->group = NULL;
    }
    if (v->vhost_owned) {
        vfio_host_linux_free(v->vhost);
    } else if (v->vhost && v->vhost->ops->release) {
        v->vhost->ops->release(v->vhost);
    }
    v->vhost = NULL;
    v->vhost_owned = false;
}

static void vfio_pci_realize(PCIDevice *pdev, Error **errp)
{
    VFIOPCIDevice *v = VFIO_PCI(pdev);

    v->fd = -1;
    if (!vfio_pci_get_transport(v, errp)) {
        return;
    }
    v->group = vfio_group_get(v->vhost, pci_device_iommu_address_space(pdev),
                              errp);
    if (!v->group || !vfio_pci_open_device(v, errp) ||
        !vfio_pci_load_config(v, errp) || !vfio_pci_setup_bars(v, errp)) {
        vfio_pci_release(v);
        return;
    }
    trace_vfio_pci_realize(v->vhost->device_name, v->vhost->ops->name);
}

static void vfio_pci_exit(PCIDevice *pdev)
{
    vfio_pci_release(VFIO_PCI(pdev));
}

static void vfio_pci_reset(DeviceState *dev)
{
    DeviceClass *parent = DEVICE_CLASS(object_class_by_name(TYPE_PCI_DEVICE));
    VFIOPCIDevice *v = VFIO_PCI(dev);
    uint8_t cmd[2] = { 0, 0 };

    if (v->vhost) {
        if (v->dev_flags & VFIO_DEVICE_FLAGS_RESET) {
            v->vhost->ops->ioctl(v->vhost, v->fd, VFIO_DEVICE_RESET, NULL);
        }
        /* No decoding, no bus mastering until the guest says so. */
        vfio_pci_pwrite(v, cmd, 2, v->config_offset + PCI_COMMAND);
    }
    parent->reset(dev);
}

static Property vfio_pci_props[] = {
    DEFINE_PROP_STRING("host", VFIOPCIDevice, host),
    DEFINE_PROP_STRING("sysfsdev", VFIOPCIDevice, sysfsdev),
    DEFINE_PROP_STRING("host-emu", VFIOPCIDevice, host_emu),
    DEFINE_PROP_END_OF_LIST(),
};

static void vfio_pci_class_init(ObjectClass *klass, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(klass);
    PCIDeviceClass *k = PCI_DEVICE_CLASS(klass);

    k->realize = vfio_pci_realize;
    k->exit = vfio_pci_exit;
    k->config_read = vfio_pci_config_read;
    k->config_write = vfio_pci_config_write;
    dc->reset = vfio_pci_reset;
    dc->user_creatable = true;
    dc->category = "misc";
    klass->desc = "VFIO-based PCI device assignment";
    device_class_set_props(dc, vfio_pci_props);
}

static const TypeInfo vfio_pci_types[] = {
    {
        .name = TYPE_VFIO_PCI,
        .parent = TYPE_PCI_DEVICE,
        .instance_size = sizeof(VFIOPCIDevice),
        .class_init = vfio_pci_class_init,
    },
};

DEFINE_TYPES(vfio_pci_types)
