/*
 * The emulated POWER host's PCI function: an edu device behind vfio-pci.
 *
 * DOC: emulated vfio-pci device
 *
 * The device fd offers the vfio-pci regions: BAR0 (index 0, 1 MiB, the
 * edu registers and DMA buffer) and config space (index 7, 256 bytes),
 * each at offset index << 40; other BARs and the ROM are empty, there is
 * no VGA region.  Region data is in PCI (little-endian) byte order, as
 * vfio-pci hands it out.  Config space is vfio-pci's virtualized view:
 * identification read-only, command/latency/interrupt line writable, BAR0
 * sizing works; no capabilities.  BAR0 accesses need memory decode
 * enabled (EIO otherwise, as vfio-pci does since Linux 5.8).
 *
 * The edu engine (hw/misc/edu-engine.c, 64-bit DMA mask) does its DMA
 * through the host's TCE tables: each IOMMU page of the bus address is
 * looked up in the window holding it, the entry's permission checked, and
 * the bytes copied to or from the process memory the entry names.  With
 * bus mastering off, or a missing or read-only entry, the page fails:
 * reads give zeros, writes are dropped.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include <linux/pci_regs.h>
#include <linux/vfio.h>
#include "qemu/bswap.h"
#include "exec/memory.h"
#include "internal.h"
#include "trace.h"

#define EMU_BAR0_SIZE       EDU_MMIO_SIZE
#define EMU_SUBSYS_VENDOR   0x1af4
#define EMU_SUBSYS_ID       0x1100
#define EMU_CLASS           0xff00
#define EMU_COMMAND_WMASK   (PCI_COMMAND_IO | PCI_COMMAND_MEMORY | \
                             PCI_COMMAND_MASTER | PCI_COMMAND_PARITY | \
                             PCI_COMMAND_SERR | PCI_COMMAND_INTX_DISABLE)
#define EMU_MIN_PAGE_SHIFT  12

static bool emu_dev_command(VFIOHostEmu *s, uint16_t bit)
{
    return ldn_le_p(&s->dev.config[PCI_COMMAND], 2) & bit;
}

/*
 * One piece of a transfer within one IOMMU page at addr (at most len
 * bytes); returns its length, *ok cleared when it failed.
 */
static uint64_t emu_dev_dma_page(VFIOHostEmu *s, uint64_t addr, uint8_t *p,
                                 uint64_t len, bool to_memory, bool *ok)
{
    EmuContainer *c = s->group_container;
    int need = to_memory ? VFIO_HOST_EMU_TCE_WRITE : VFIO_HOST_EMU_TCE_READ;
    bool master = emu_dev_command(s, PCI_COMMAND_MASTER);
    unsigned shift = EMU_MIN_PAGE_SHIFT;
    uint64_t ua = 0, chunk;
    int perm = 0;
    bool hit = master && c && emu_tce_lookup(c, addr, &ua, &perm, &shift) &&
               (perm & need);

    chunk = MIN(len, (1ULL << shift) - (addr & ((1ULL << shift) - 1)));
    ua += addr & ((1ULL << shift) - 1);
    /*
     * The kernel would hold the pages pinned; a process that unmapped
     * registered memory gets a failed DMA here rather than a SIGSEGV.
     */
    if (hit && emu_range_mapped(ua, chunk)) {
        void *host = (void *)(uintptr_t)ua;

        memcpy(to_memory ? host : p, to_memory ? p : host, chunk);
        if (to_memory) {
            ram_host_written(host, chunk);  /* may be guest RAM */
        }
        return chunk;
    }
    trace_vfio_host_emu_dma_fault(addr, to_memory,
                                  !master ? "bus mastering off" :
                                  hit ? "memory unmapped" :
                                  perm ? "permission" : "no TCE");
    if (!to_memory) {
        memset(p, 0, chunk);
    }
    *ok = false;
    return chunk;
}

/* Bus-side DMA of the edu engine through the host TCE tables. */
static bool emu_dev_dma(void *opaque, uint64_t addr, void *buf, uint64_t len,
                        bool to_memory)
{
    uint8_t *p = buf;
    bool ok = true;

    while (len) {
        uint64_t chunk = emu_dev_dma_page(opaque, addr, p, len, to_memory,
                                          &ok);

        p += chunk;
        len -= chunk;
        addr += chunk;
    }
    return ok;
}

static void emu_cfg_init(EmuDevice *d)
{
    uint8_t *c = d->config, *w = d->wmask;

    memset(c, 0, sizeof(d->config));
    memset(w, 0, sizeof(d->wmask));
    stn_le_p(&c[PCI_VENDOR_ID], 2, EDU_VENDOR_ID);
    stn_le_p(&c[PCI_DEVICE_ID], 2, EDU_DEVICE_ID);
    c[PCI_REVISION_ID] = EDU_REVISION;
    stn_le_p(&c[PCI_CLASS_DEVICE], 2, EMU_CLASS);
    stn_le_p(&c[PCI_SUBSYSTEM_VENDOR_ID], 2, EMU_SUBSYS_VENDOR);
    stn_le_p(&c[PCI_SUBSYSTEM_ID], 2, EMU_SUBSYS_ID);
    c[PCI_INTERRUPT_PIN] = 1;
    stn_le_p(&w[PCI_COMMAND], 2, EMU_COMMAND_WMASK);
    w[PCI_CACHE_LINE_SIZE] = 0xff;
    w[PCI_LATENCY_TIMER] = 0xff;
    w[PCI_INTERRUPT_LINE] = 0xff;
    /* A 32-bit non-prefetchable memory BAR of 1 MiB. */
    stn_le_p(&w[PCI_BASE_ADDRESS_0], 4, ~(uint32_t)(EMU_BAR0_SIZE - 1));
}

void emu_dev_init(VFIOHostEmu *s)
{
    s->dev.engine.dma_mask = UINT64_MAX;
    edu_engine_init(&s->dev.engine, "host-emu-edu", emu_dev_dma, s);
    emu_cfg_init(&s->dev);
}

void emu_dev_reset(VFIOHostEmu *s)
{
    edu_engine_reset(&s->dev.engine);
    emu_cfg_init(&s->dev);
}

void emu_dev_finalize(VFIOHostEmu *s)
{
    edu_engine_finalize(&s->dev.engine);
}

/* Regions */

static ssize_t emu_cfg_rw(EmuDevice *d, uint8_t *buf, size_t len,
                          uint64_t pos, bool write)
{
    if (pos >= EMU_CFG_SIZE || len > EMU_CFG_SIZE - pos) {
        return emu_refuse("config rw", EFAULT, "beyond config space");
    }
    for (size_t i = 0; i < len; i++) {
        uint8_t *c = &d->config[pos + i];
        uint8_t w = d->wmask[pos + i];

        if (write) {
            *c = (*c & ~w) | (buf[i] & w);
        } else {
            buf[i] = *c;
        }
    }
    return len;
}

/* The largest naturally aligned access (8, 4, 2, 1) that fits. */
static unsigned emu_access_size(uint64_t pos, size_t len)
{
    for (unsigned sz = 8; sz > 1; sz >>= 1) {
        if (len >= sz && !(pos & (sz - 1))) {
            return sz;
        }
    }
    return 1;
}

static void emu_bar_access(EduEngine *e, uint8_t *buf, uint64_t pos,
                           unsigned sz, bool write)
{
    /* The DMA buffer is plain bytes; registers are little-endian words. */
    if (pos >= EDU_DMA_START && pos < EDU_DMA_START + EDU_DMA_SIZE) {
        for (unsigned i = 0; i < sz; i++) {
            if (write) {
                edu_engine_write(e, pos + i, buf[i], 1);
            } else {
                buf[i] = edu_engine_read(e, pos + i, 1);
            }
        }
    } else if (write) {
        edu_engine_write(e, pos, ldn_le_p(buf, sz), sz);
    } else {
        stn_le_p(buf, sz, edu_engine_read(e, pos, sz));
    }
}

static ssize_t emu_bar_rw(VFIOHostEmu *s, uint8_t *buf, size_t len,
                          uint64_t pos, bool write)
{
    size_t done = 0;

    if (pos >= EMU_BAR0_SIZE) {
        return emu_refuse("BAR0 rw", EINVAL, "beyond the BAR");
    }
    if (!emu_dev_command(s, PCI_COMMAND_MEMORY)) {
        return emu_refuse("BAR0 rw", EIO, "memory decode disabled");
    }
    len = MIN(len, EMU_BAR0_SIZE - pos);
    while (done < len) {
        unsigned sz = emu_access_size(pos + done, len - done);

        emu_bar_access(&s->dev.engine, buf + done, pos + done, sz, write);
        done += sz;
    }
    return len;
}

ssize_t emu_dev_rw(VFIOHostEmu *s, void *buf, size_t len, off_t offset,
                   bool write)
{
    uint64_t index, pos;
    ssize_t ret;

    if (offset < 0 || len > SSIZE_MAX) {
        return emu_refuse("region rw", EINVAL, "offset or length");
    }
    index = (uint64_t)offset >> EMU_REGION_SHIFT;
    pos = offset & ((1ULL << EMU_REGION_SHIFT) - 1);
    if (index == VFIO_PCI_CONFIG_REGION_INDEX) {
        ret = emu_cfg_rw(&s->dev, buf, len, pos, write);
    } else if (index == VFIO_PCI_BAR0_REGION_INDEX) {
        ret = emu_bar_rw(s, buf, len, pos, write);
    } else {
        ret = emu_refuse("region rw", EINVAL, "no such region");
    }
    trace_vfio_host_emu_region_rw(offset, len, write, ret);
    return ret;
}

/* Device requests */

static int emu_dev_get_info(struct vfio_device_info *info)
{
    if (info->argsz < offsetof(struct vfio_device_info, num_irqs) +
                      sizeof(info->num_irqs)) {
        return emu_refuse("DEVICE_GET_INFO", EINVAL, "argsz");
    }
    info->flags = VFIO_DEVICE_FLAGS_PCI | VFIO_DEVICE_FLAGS_RESET;
    info->num_regions = VFIO_PCI_NUM_REGIONS;
    info->num_irqs = VFIO_PCI_NUM_IRQS;
    return 0;
}

static int emu_dev_region_info(struct vfio_region_info *r)
{
    if (r->argsz < offsetof(struct vfio_region_info, offset) +
                   sizeof(r->offset)) {
        return emu_refuse("DEVICE_GET_REGION_INFO", EINVAL, "argsz");
    }
    if (r->index >= VFIO_PCI_NUM_REGIONS ||
        r->index == VFIO_PCI_VGA_REGION_INDEX) {
        return emu_refuse("DEVICE_GET_REGION_INFO", EINVAL, "no region");
    }
    r->offset = (uint64_t)r->index << EMU_REGION_SHIFT;
    r->flags = 0;
    r->size = 0;
    r->cap_offset = 0;
    if (r->index == VFIO_PCI_CONFIG_REGION_INDEX) {
        r->size = EMU_CFG_SIZE;
    } else if (r->index == VFIO_PCI_BAR0_REGION_INDEX) {
        r->size = EMU_BAR0_SIZE;
    }
    if (r->size) {
        r->flags = VFIO_REGION_INFO_FLAG_READ | VFIO_REGION_INFO_FLAG_WRITE;
    }
    return 0;
}

static int emu_dev_irq_info(struct vfio_irq_info *irq)
{
    if (irq->argsz < offsetof(struct vfio_irq_info, count) +
                     sizeof(irq->count)) {
        return emu_refuse("DEVICE_GET_IRQ_INFO", EINVAL, "argsz");
    }
    /* A conventional PCI function: no ERR interrupt, no MSI capability. */
    if (irq->index >= VFIO_PCI_NUM_IRQS ||
        irq->index == VFIO_PCI_ERR_IRQ_INDEX) {
        return emu_refuse("DEVICE_GET_IRQ_INFO", EINVAL, "no such index");
    }
    irq->flags = VFIO_IRQ_INFO_EVENTFD;
    irq->count = 0;
    if (irq->index == VFIO_PCI_INTX_IRQ_INDEX) {
        irq->flags |= VFIO_IRQ_INFO_MASKABLE | VFIO_IRQ_INFO_AUTOMASKED;
        irq->count = 1;
    } else if (irq->index == VFIO_PCI_REQ_IRQ_INDEX) {
        irq->count = 1;
    } else {
        irq->flags |= VFIO_IRQ_INFO_NORESIZE;
    }
    return 0;
}

int emu_dev_ioctl(VFIOHostEmu *s, unsigned long req, void *arg)
{
    if (!arg && req != VFIO_DEVICE_RESET) {
        return emu_refuse("device", EFAULT, "no argument");
    }
    switch (req) {
    case VFIO_DEVICE_GET_INFO:
        return emu_dev_get_info(arg);
    case VFIO_DEVICE_GET_REGION_INFO:
        return emu_dev_region_info(arg);
    case VFIO_DEVICE_GET_IRQ_INFO:
        return emu_dev_irq_info(arg);
    case VFIO_DEVICE_RESET:
        /* A function reset; vfio-pci saves and restores config around it. */
        edu_engine_reset(&s->dev.engine);
        return 0;
    default:
        return emu_refuse("device", ENOTTY, "unknown request");
    }
}
