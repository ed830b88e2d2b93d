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
#include "migration/vmstate.h"

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

/*
 * Migration: registers, the DMA buffer and a pending DMA's remaining
 * time (the destination's virtual clock differs).  Register values need
 * no range check here: the engine checks the buffer range when the DMA
 * runs, as it does for guest-written values.
 */
#define EDU_MIG_MAX_DUE_NS  (100 * SCALE_MS + 1)

/* The section's state struct: the engine's registers as the wire has them. */
typedef struct EduMigState {
    PCIDeviceMigState pdev;
    uint64_t dma_mask;
    struct {
        uint32_t liveness, fact, status, irq_status;
        struct {
            uint64_t src, dst, cnt, cmd;
        } dma;
        uint8_t dma_buf[EDU_DMA_SIZE];
    } engine;
    uint64_t dma_due_ns;        /* 0: no DMA pending; else ns left + 1 */
} EduMigState;

static void edu_export(void *state, const void *live)
{
    EduMigState *s = state;
    const EduEngine *e = &((const EduState *)live)->engine;
    const QEMUTimer *t = &e->dma_timer;

    s->engine.liveness = e->liveness;
    s->engine.fact = e->fact;
    s->engine.status = e->status;
    s->engine.irq_status = e->irq_status;
    s->engine.dma.src = e->dma.src;
    s->engine.dma.dst = e->dma.dst;
    s->engine.dma.cnt = e->dma.cnt;
    s->engine.dma.cmd = e->dma.cmd;
    memcpy(s->engine.dma_buf, e->dma_buf, EDU_DMA_SIZE);
    s->dma_due_ns = timer_pending(t) ?
        MAX(t->expire_time - qemu_clock_get_ns(), 0) + 1 : 0;
}

/* A running DMA always has its completion pending, and only then. */
static bool edu_validate(const void *state, const void *live, int version_id,
                         VMStateLoadPass *pass, Error **errp)
{
    const EduMigState *s = state;

    if (!(s->engine.dma.cmd & EDU_DMA_RUN) != !s->dma_due_ns) {
        error_setg(errp, "edu: DMA command 0x%" PRIx64 " disagrees with "
                   "its pending completion", s->engine.dma.cmd);
        return false;
    }
    return true;
}

static bool edu_post_load(void *live, const void *state, int version_id,
                          Error **errp)
{
    const EduMigState *s = state;
    EduEngine *e = &((EduState *)live)->engine;

    e->liveness = s->engine.liveness;
    e->fact = s->engine.fact;
    e->status = s->engine.status;
    e->irq_status = s->engine.irq_status;
    e->dma.src = s->engine.dma.src;
    e->dma.dst = s->engine.dma.dst;
    e->dma.cnt = s->engine.dma.cnt;
    e->dma.cmd = s->engine.dma.cmd;
    memcpy(e->dma_buf, s->engine.dma_buf, EDU_DMA_SIZE);
    timer_del(&e->dma_timer);
    if (s->dma_due_ns) {
        timer_mod(&e->dma_timer, qemu_clock_get_ns() + s->dma_due_ns - 1);
    }
    return true;
}

static const VMStateDescription vmstate_edu = {
    .name = "edu",
    .version_id = 1,
    .minimum_version_id = 1,
    .size = sizeof(EduMigState),
    .export = edu_export,
    .validate = edu_validate,
    .post_load = edu_post_load,
    .fields = (const VMStateField[]) {
        VMSTATE_STRUCT(pdev, EduMigState, vmstate_pci_device),
        VMSTATE_UINT64_EQUAL(dma_mask, EduMigState, EduState),
        VMSTATE_UINT32(engine.liveness, EduMigState),
        VMSTATE_UINT32(engine.fact, EduMigState),
        VMSTATE_UINT32(engine.status, EduMigState),
        VMSTATE_UINT32(engine.irq_status, EduMigState),
        VMSTATE_UINT64(engine.dma.src, EduMigState),
        VMSTATE_UINT64(engine.dma.dst, EduMigState),
        VMSTATE_UINT64(engine.dma.cnt, EduMigState),
        VMSTATE_UINT64(engine.dma.cmd, EduMigState),
        VMSTATE_BUFFER(engine.dma_buf, EduMigState),
        VMSTATE_UINT64_MAX(dma_due_ns, EduMigState, EDU_MIG_MAX_DUE_NS),
        VMSTATE_END_OF_LIST()
    },
};

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
    dc->vmsd = &vmstate_edu;
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
