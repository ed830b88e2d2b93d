/*
 * PCI: buses, devices, configuration space, BARs, and DMA through the
 * device's bus-master address space.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef HW_PCI_PCI_H
#define HW_PCI_PCI_H

#include "exec/memory.h"
#include "hw/qdev-core.h"

#define TYPE_PCI_DEVICE "pci-device"
#define TYPE_PCI_BUS "PCI"

#define PCI_CONFIG_SPACE_SIZE   0x100
#define PCI_NUM_REGIONS         7
#define PCI_ROM_SLOT            6
#define PCI_DEVFN(slot, fn)     ((((slot) & 0x1f) << 3) | ((fn) & 0x07))
#define PCI_SLOT(devfn)         (((devfn) >> 3) & 0x1f)
#define PCI_FUNC(devfn)         ((devfn) & 0x07)

#define PCI_VENDOR_ID           0x00
#define PCI_DEVICE_ID           0x02
#define PCI_COMMAND             0x04
#define  PCI_COMMAND_IO         0x1
#define  PCI_COMMAND_MEMORY     0x2
#define  PCI_COMMAND_MASTER     0x4
#define  PCI_COMMAND_INTX_DISABLE 0x400
#define PCI_STATUS              0x06
#define  PCI_STATUS_CAP_LIST    0x10
#define PCI_REVISION_ID         0x08
#define PCI_CLASS_PROG          0x09
#define PCI_CLASS_DEVICE        0x0a
#define PCI_HEADER_TYPE         0x0e
#define PCI_BASE_ADDRESS_0      0x10
#define  PCI_BASE_ADDRESS_SPACE_IO      0x01
#define  PCI_BASE_ADDRESS_MEM_TYPE_64   0x04
#define  PCI_BASE_ADDRESS_MEM_PREFETCH  0x08
#define PCI_SUBSYSTEM_VENDOR_ID 0x2c
#define PCI_SUBSYSTEM_ID        0x2e
#define PCI_ROM_ADDRESS         0x30
#define PCI_CAPABILITY_LIST     0x34
#define PCI_INTERRUPT_LINE      0x3c
#define PCI_INTERRUPT_PIN       0x3d

#define PCI_CLASS_OTHERS        0xff00
#define PCI_VENDOR_ID_QEMU      0x1234

#define PCI_BAR_UNMAPPED        (~(uint64_t)0)

typedef struct PCIBus PCIBus;

OBJECT_DECLARE_TYPE(PCIDevice, PCIDeviceClass, PCI_DEVICE)

typedef struct PCIIORegion {
    uint64_t addr;              /* PCI_BAR_UNMAPPED when not mapped */
    uint64_t size;
    uint8_t type;
    MemoryRegion *memory;
} PCIIORegion;

struct PCIDeviceClass {
    DeviceClass parent_class;

    void (*realize)(PCIDevice *dev, Error **errp);
    void (*exit)(PCIDevice *dev);
    uint32_t (*config_read)(PCIDevice *dev, uint32_t addr, int len);
    void (*config_write)(PCIDevice *dev, uint32_t addr, uint32_t val,
                         int len);
    uint16_t vendor_id;
    uint16_t device_id;
    uint8_t revision;
    uint16_t class_id;
    uint16_t subsystem_vendor_id;
    uint16_t subsystem_id;
};

struct PCIDevice {
    DeviceState qdev;

    int32_t devfn;              /* property "addr"; -1: first free slot */
    uint8_t config[PCI_CONFIG_SPACE_SIZE];
    uint8_t wmask[PCI_CONFIG_SPACE_SIZE];   /* guest-writable bits */
    uint8_t w1cmask[PCI_CONFIG_SPACE_SIZE]; /* write-1-to-clear bits */
    PCIIORegion io_regions[PCI_NUM_REGIONS];

    /* DMA: an alias of the bus's IOMMU root, enabled by bus mastering. */
    MemoryRegion bus_master_container;
    MemoryRegion bus_master_enable_region;
    AddressSpace bus_master_as;
    char name[64];
};

typedef AddressSpace *PCIIOMMUFunc(PCIBus *bus, void *opaque, int devfn);

struct PCIBus {
    BusState qbus;

    PCIDevice *devices[256];
    MemoryRegion *address_space_mem;
    PCIIOMMUFunc *iommu_fn;
    void *iommu_opaque;
};

#define PCI_BUS(obj) OBJECT_CHECK(PCIBus, (obj), TYPE_PCI_BUS)

PCIBus *pci_root_bus_new(DeviceState *parent, const char *name,
                         MemoryRegion *address_space_mem);
/*
 * Config space state, for VMSTATE_STRUCT in a PCI device's vmsd: its
 * state struct is PCIDeviceMigState.
 */
typedef struct PCIDeviceMigState {
    uint8_t config[PCI_CONFIG_SPACE_SIZE];
} PCIDeviceMigState;

extern const VMStateDescription vmstate_pci_device;

void pci_setup_iommu(PCIBus *bus, PCIIOMMUFunc *fn, void *opaque);
void pci_register_bar(PCIDevice *dev, int region_num, uint8_t type,
                      MemoryRegion *memory);
uint64_t pci_get_bar_addr(PCIDevice *dev, int region_num);
PCIBus *pci_get_bus(const PCIDevice *dev);
/* The address space the device's DMA enters (its PHB's IOMMU root). */
AddressSpace *pci_device_iommu_address_space(PCIDevice *dev);
PCIDevice *pci_find_device(PCIBus *bus, int bus_num, int devfn);

/* Config space as the host bridge sees it (little-endian registers). */
uint32_t pci_host_config_read(PCIDevice *dev, uint32_t addr, int len);
void pci_host_config_write(PCIDevice *dev, uint32_t addr, uint32_t val,
                           int len);
uint32_t pci_default_read_config(PCIDevice *dev, uint32_t addr, int len);
void pci_default_write_config(PCIDevice *dev, uint32_t addr, uint32_t val,
                              int len);

static inline void pci_set_word(uint8_t *config, uint16_t val)
{
    config[0] = val;
    config[1] = val >> 8;
}

static inline void pci_set_long(uint8_t *config, uint32_t val)
{
    pci_set_word(config, val);
    pci_set_word(config + 2, val >> 16);
}

static inline uint16_t pci_get_word(const uint8_t *config)
{
    return config[0] | config[1] << 8;
}

static inline uint32_t pci_get_long(const uint8_t *config)
{
    return pci_get_word(config) | (uint32_t)pci_get_word(config + 2) << 16;
}

static inline AddressSpace *pci_get_address_space(PCIDevice *dev)
{
    return &dev->bus_master_as;
}

static inline MemTxResult pci_dma_read(PCIDevice *dev, uint64_t addr,
                                       void *buf, uint64_t len)
{
    return address_space_read(&dev->bus_master_as, addr,
                              MEMTXATTRS_UNSPECIFIED, buf, len);
}

static inline MemTxResult pci_dma_write(PCIDevice *dev, uint64_t addr,
                                        const void *buf, uint64_t len)
{
    return address_space_write(&dev->bus_master_as, addr,
                               MEMTXATTRS_UNSPECIFIED, buf, len);
}

#endif
