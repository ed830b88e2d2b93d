/*
 * edu: QEMU's educational PCI device, used here to move bytes by DMA
 * through the PHB's IOMMU windows.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "hw/misc/edu.h"
#include "hw/pci/pci.h"
#include "hw/qdev-properties.h"

#define TYPE_PCI_EDU_DEVICE "edu"

typedef struct EduState {
    PCIDevice pdev;

    uint64_t dma_mask;
    MemoryRegion mmio;
    EduEngine engine;
} EduState;

#define EDU(obj) OBJECT_CHECK(EduState, (obj), TYPE_PCI_EDU_DEVICE)

static uint64_t edu_mmio_read(void *opaque, hwaddr addr, unsigned size)
{
    return edu_engine_read(&EDU(opaque)->engine, addr, size);
}

static void edu_mmio_write(void *opaque, hwaddr addr, uint64_t val,
                           unsigned size)
{
    edu_engine_write(&EDU(opaque)->engine, addr, val, size);
}

static const MemoryRegionOps edu_mmio_ops = {
    .read = edu_mmio_read,
    .write = edu_mmio_write,
    .endianness = DEVICE_NATIVE_ENDIAN,
    .valid = { .min_access_size = 4, .max_access_size = 8 },
};

/* Bus mastering through the PHB: failed pages read as 0, writes drop. */
static bool edu_pci_dma(void *opaque, uint64_t addr, void *buf, uint64_t len,
                        bool to_bus)
{
    PCIDevice *pdev = opaque;
    MemTxResult r = to_bus ? pci_dma_write(pdev, addr, buf, len)
                           : pci_dma_read(pdev, addr, buf, len);

    return r == MEMTX_OK;
}

static void pci_edu_realize(PCIDevice *pdev, Error **errp)
{
    EduState *edu = EDU(pdev);

    edu->engine.dma_mask = edu->dma_mask;
    edu_engine_init(&edu->engine, "edu", edu_pci_dma, pdev);
    pdev->config[PCI_INTERRUPT_PIN] = 1;
    memory_region_init_io(&edu->mmio, OBJECT(edu), &edu_mmio_ops, edu,
                          "edu-mmio", EDU_MMIO_SIZE);
    pci_register_bar(pdev, 0, 0, &edu->mmio);
}

static void pci_edu_exit(PCIDevice *pdev)
{
    EduState *edu = EDU(pdev);

    edu_engine_finalize(&edu->engine);
    memory_region_finalize(&edu->mmio);
}

static void edu_reset(DeviceState *dev)
{
    DeviceClass *parent = DEVICE_CLASS(object_class_by_name(TYPE_PCI_DEVICE));

    edu_engine_reset(&EDU(dev)->engine);
    parent->reset(dev);
}

static Property edu_props[] = {
    /* The reference device can only address 28 bits unless told more. */
    DEFINE_PROP_UINT64("dma_mask", EduState, dma_mask, (1ULL << 28) - 1),
    DEFINE_PROP_END_OF_LIST(),
};

static void edu_class_init(ObjectClass *klass, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(klass);
    PCIDeviceClass *k = PCI_DEVICE_CLASS(klass);

    k->realize = pci_edu_realize;
    k->exit = pci_edu_exit;
    k->vendor_id = EDU_VENDOR_ID;
    k->device_id = EDU_DEVICE_ID;
    k->revision = EDU_REVISION;
    k->class_id = PCI_CLASS_OTHERS;
    dc->reset = edu_reset;
    dc->user_creatable = true;
    dc->category = "misc";
    klass->desc = "QEMU educational PCI device (DMA test engine)";
    device_class_set_props(dc, edu_props);
}

static const TypeInfo edu_types[] = {
    {
        .name = TYPE_PCI_EDU_DEVICE,
        .parent = TYPE_PCI_DEVICE,
        .instance_size = sizeof(EduState),
        .class_init = edu_class_init,
    },
};

DEFINE_TYPES(edu_types)
