/*
 * PCI devices and buses.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "hw/pci/pci.h"
#include "hw/qdev-properties.h"
#include "migration/vmstate.h"
#include "trace.h"

PCIBus *pci_root_bus_new(DeviceState *parent, const char *name,
                         MemoryRegion *address_space_mem)
{
    PCIBus *bus = PCI_BUS(qbus_new(TYPE_PCI_BUS, parent, name));

    bus->address_space_mem = address_space_mem;
    return bus;
}

void pci_setup_iommu(PCIBus *bus, PCIIOMMUFunc *fn, void *opaque)
{
    bus->iommu_fn = fn;
    bus->iommu_opaque = opaque;
}

PCIBus *pci_get_bus(const PCIDevice *dev)
{
    return PCI_BUS(dev->qdev.parent_bus);
}

AddressSpace *pci_device_iommu_address_space(PCIDevice *dev)
{
    PCIBus *bus = pci_get_bus(dev);

    return bus->iommu_fn ? bus->iommu_fn(bus, bus->iommu_opaque, dev->devfn)
                         : &address_space_memory;
}

PCIDevice *pci_find_device(PCIBus *bus, int bus_num, int devfn)
{
    /* Only the root bus (number 0) exists: there are no bridges. */
    if (bus_num != 0 || devfn < 0 || devfn > 255) {
        return NULL;
    }
    return bus->devices[devfn];
}

void pci_register_bar(PCIDevice *dev, int region_num, uint8_t type,
                      MemoryRegion *memory)
{
    PCIIORegion *r = &dev->io_regions[region_num];
    uint64_t size = memory_region_size(memory);
    int addr = region_num == PCI_ROM_SLOT ? PCI_ROM_ADDRESS :
               PCI_BASE_ADDRESS_0 + region_num * 4;
    uint64_t wmask = ~(size - 1);

    g_assert(is_power_of_2(size) && region_num >= 0 &&
             region_num < PCI_NUM_REGIONS);
    r->addr = PCI_BAR_UNMAPPED;
    r->size = size;
    r->type = type;
    r->memory = memory;
    pci_set_long(dev->config + addr, type);
    pci_set_long(dev->wmask + addr, (uint32_t)wmask & ~0xfu);
    if (type & PCI_BASE_ADDRESS_MEM_TYPE_64) {
        pci_set_long(dev->wmask + addr + 4, wmask >> 32);
    }
}

static uint64_t pci_bar_raw(PCIDevice *dev, int reg, uint8_t type)
{
    uint64_t v = pci_get_long(dev->config + reg);

    if (type & PCI_BASE_ADDRESS_MEM_TYPE_64) {
        v |= (uint64_t)pci_get_long(dev->config + reg + 4) << 32;
    }
    return v & ~(uint64_t)0xf;
}

/* Where BAR i decodes now, or PCI_BAR_UNMAPPED. */
static uint64_t pci_bar_address(PCIDevice *dev, int i)
{
    PCIIORegion *r = &dev->io_regions[i];
    uint16_t cmd = pci_get_word(dev->config + PCI_COMMAND);
    int reg = PCI_BASE_ADDRESS_0 + i * 4;
    uint64_t addr;

    if ((r->type & PCI_BASE_ADDRESS_SPACE_IO) || !(cmd & PCI_COMMAND_MEMORY)) {
        return PCI_BAR_UNMAPPED;    /* pseries exposes no I/O space */
    }
    addr = pci_bar_raw(dev, reg, r->type);
    /* Unprogrammed (0) or sizing (all ones) BARs do not decode. */
    if (addr == 0 || addr + r->size - 1 < addr ||
        addr == (~(r->size - 1) & (r->type & PCI_BASE_ADDRESS_MEM_TYPE_64 ?
                                   ~(uint64_t)0xf : 0xfffffff0))) {
        return PCI_BAR_UNMAPPED;
    }
    return addr;
}

static void pci_update_mappings(PCIDevice *dev)
{
    PCIBus *bus = pci_get_bus(dev);

    memory_region_transaction_begin();
    for (int i = 0; i < PCI_ROM_SLOT; i++) {
        PCIIORegion *r = &dev->io_regions[i];
        uint64_t addr;

        if (!r->size) {
            continue;
        }
        addr = pci_bar_address(dev, i);
        if (addr == r->addr) {
            continue;
        }
        if (r->addr != PCI_BAR_UNMAPPED) {
            memory_region_del_subregion(bus->address_space_mem, r->memory);
        }
        r->addr = addr;
        if (addr != PCI_BAR_UNMAPPED) {
            memory_region_add_subregion_overlap(bus->address_space_mem, addr,
                                                r->memory, 1);
        }
        trace_pci_update_mappings(dev->name, i, addr, r->size);
    }
    memory_region_set_enabled(&dev->bus_master_enable_region,
                              pci_get_word(dev->config + PCI_COMMAND) &
                              PCI_COMMAND_MASTER);
    memory_region_transaction_commit();
}

uint64_t pci_get_bar_addr(PCIDevice *dev, int region_num)
{
    return dev->io_regions[region_num].addr;
}

uint32_t pci_default_read_config(PCIDevice *dev, uint32_t addr, int len)
{
    uint32_t v = 0;

    for (int i = len - 1; i >= 0; i--) {
        v = v << 8 | dev->config[addr + i];     /* registers are LE */
    }
    return v;
}

void pci_default_write_config(PCIDevice *dev, uint32_t addr, uint32_t val,
                              int len)
{
    bool remap = false;

    for (int i = 0; i < len; i++, addr++, val >>= 8) {
        uint8_t wm = dev->wmask[addr], w1c = dev->w1cmask[addr];

        dev->config[addr] = (dev->config[addr] & ~wm) | (val & wm);
        dev->config[addr] &= ~(val & w1c);
        remap |= (addr >= PCI_BASE_ADDRESS_0 && addr < PCI_BASE_ADDRESS_0 + 24)
                 || addr == PCI_COMMAND || addr == PCI_COMMAND + 1;
    }
    if (remap) {
        pci_update_mappings(dev);
    }
}

/* len is 1, 2 or 4 and addr + len stays inside config space (checked). */
uint32_t pci_host_config_read(PCIDevice *dev, uint32_t addr, int len)
{
    PCIDeviceClass *pc = PCI_DEVICE_GET_CLASS(dev);
    uint32_t v = pc->config_read ? pc->config_read(dev, addr, len)
                                 : pci_default_read_config(dev, addr, len);

    trace_pci_cfg_read(dev->name, addr, len, v);
    return v;
}

void pci_host_config_write(PCIDevice *dev, uint32_t addr, uint32_t val,
                           int len)
{
    PCIDeviceClass *pc = PCI_DEVICE_GET_CLASS(dev);

    trace_pci_cfg_write(dev->name, addr, len, val);
    if (pc->config_write) {
        pc->config_write(dev, addr, val, len);
    } else {
        pci_default_write_config(dev, addr, val, len);
    }
}

static void pci_config_init(PCIDevice *dev, PCIDeviceClass *pc)
{
    pci_set_word(dev->config + PCI_VENDOR_ID, pc->vendor_id);
    pci_set_word(dev->config + PCI_DEVICE_ID, pc->device_id);
    dev->config[PCI_REVISION_ID] = pc->revision;
    pci_set_word(dev->config + PCI_CLASS_DEVICE, pc->class_id);
    pci_set_word(dev->config + PCI_SUBSYSTEM_VENDOR_ID,
                 pc->subsystem_vendor_id ? pc->subsystem_vendor_id :
                 PCI_VENDOR_ID_QEMU);
    pci_set_word(dev->config + PCI_SUBSYSTEM_ID, pc->subsystem_id ?
                 pc->subsystem_id : 0x1100);
    pci_set_word(dev->wmask + PCI_COMMAND, PCI_COMMAND_IO |
                 PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER |
                 PCI_COMMAND_INTX_DISABLE);
    dev->wmask[PCI_INTERRUPT_LINE] = 0xff;
    dev->w1cmask[PCI_STATUS + 1] = 0xf9;    /* error bits */
}

static void pci_init_bus_master(PCIDevice *dev, PCIBus *bus)
{
    AddressSpace *dma_as = pci_device_iommu_address_space(dev);

    memory_region_init(&dev->bus_master_container, OBJECT(dev),
                       "bus master container", UINT64_MAX);
    memory_region_init_alias(&dev->bus_master_enable_region, OBJECT(dev),
                             "bus master", dma_as->root, 0, UINT64_MAX);
    memory_region_set_enabled(&dev->bus_master_enable_region, false);
    memory_region_add_subregion(&dev->bus_master_container, 0,
                                &dev->bus_master_enable_region);
    address_space_init(&dev->bus_master_as, &dev->bus_master_container,
                       dev->name);
}

static void pci_destroy_bus_master(PCIDevice *dev)
{
    address_space_destroy(&dev->bus_master_as);
    memory_region_del_subregion(&dev->bus_master_container,
                                &dev->bus_master_enable_region);
    memory_region_finalize(&dev->bus_master_enable_region);
    memory_region_finalize(&dev->bus_master_container);
}

static bool pci_bus_check_address(BusState *qbus, DeviceState *qdev,
                                  Error **errp)
{
    PCIBus *bus = PCI_BUS(qbus);
    PCIDevice *dev = PCI_DEVICE(qdev);

    if (dev->devfn < 0) {
        for (int devfn = 0; devfn < 256; devfn += 8) {
            if (!bus->devices[devfn]) {
                dev->devfn = devfn;
                return true;
            }
        }
        error_setg(errp, "PCI bus '%s' is full", qbus->name);
        return false;
    }
    if (bus->devices[dev->devfn]) {
        error_setg(errp, "PCI: slot %d function %d not available for %s, "
                   "in use by %s", PCI_SLOT(dev->devfn), PCI_FUNC(dev->devfn),
                   object_get_typename(OBJECT(dev)),
                   bus->devices[dev->devfn]->name);
        return false;
    }
    return true;
}

static void pci_qdev_realize(DeviceState *qdev, Error **errp)
{
    PCIDevice *dev = PCI_DEVICE(qdev);
    PCIDeviceClass *pc = PCI_DEVICE_GET_CLASS(dev);
    PCIBus *bus = pci_get_bus(dev);
    Error *local_err = NULL;

    snprintf(dev->name, sizeof(dev->name), "%s", object_get_typename(OBJECT(dev)));
    pci_config_init(dev, pc);
    pci_init_bus_master(dev, bus);
    bus->devices[dev->devfn] = dev;
    if (pc->realize) {
        pc->realize(dev, &local_err);
    }
    if (local_err) {
        bus->devices[dev->devfn] = NULL;
        pci_destroy_bus_master(dev);
        error_propagate(errp, local_err);
    }
}

static void pci_qdev_unrealize(DeviceState *qdev)
{
    PCIDevice *dev = PCI_DEVICE(qdev);
    PCIDeviceClass *pc = PCI_DEVICE_GET_CLASS(dev);
    PCIBus *bus = pci_get_bus(dev);

    /* BARs leave the bus first: exit() may finalize their regions. */
    memory_region_transaction_begin();
    for (int i = 0; i < PCI_NUM_REGIONS; i++) {
        if (dev->io_regions[i].addr != PCI_BAR_UNMAPPED &&
            dev->io_regions[i].size) {
            memory_region_del_subregion(bus->address_space_mem,
                                        dev->io_regions[i].memory);
            dev->io_regions[i].addr = PCI_BAR_UNMAPPED;
        }
    }
    memory_region_transaction_commit();
    if (pc->exit) {
        pc->exit(dev);
    }
    pci_destroy_bus_master(dev);
    bus->devices[dev->devfn] = NULL;
}

static void pci_device_reset(DeviceState *qdev)
{
    PCIDevice *dev = PCI_DEVICE(qdev);

    /* Command register and BARs back to zero: nothing decodes. */
    pci_set_word(dev->config + PCI_COMMAND, 0);
    for (int i = 0; i < PCI_ROM_SLOT; i++) {
        if (dev->io_regions[i].size) {
            int reg = PCI_BASE_ADDRESS_0 + i * 4;

            pci_set_long(dev->config + reg, dev->io_regions[i].type);
            if (dev->io_regions[i].type & PCI_BASE_ADDRESS_MEM_TYPE_64) {
                pci_set_long(dev->config + reg + 4, 0);
            }
        }
    }
    pci_update_mappings(dev);
}

static char *pci_bus_get_dev_path(DeviceState *qdev)
{
    PCIDevice *dev = PCI_DEVICE(qdev);

    return g_strdup_printf("%02x.%x", PCI_SLOT(dev->devfn),
                           PCI_FUNC(dev->devfn));
}

/*
 * Migration of config space: every bit the guest cannot write (IDs, BAR
 * types, read-only registers) must match this device, so a stream from a
 * different device or model is refused; then BARs and bus mastering are
 * re-applied from the loaded registers.
 */
static void pci_device_export(void *state, const void *live)
{
    PCIDeviceMigState *s = state;
    const PCIDevice *dev = live;

    memcpy(s->config, dev->config, PCI_CONFIG_SPACE_SIZE);
}

static bool pci_device_validate(const void *state, const void *live,
                                int version_id, VMStateLoadPass *pass,
                                Error **errp)
{
    const PCIDeviceMigState *s = state;
    const PCIDevice *dev = live;

    for (int i = 0; i < PCI_CONFIG_SPACE_SIZE; i++) {
        uint8_t ro = ~(dev->wmask[i] | dev->w1cmask[i]);

        if ((s->config[i] ^ dev->config[i]) & ro) {
            error_setg(errp, "PCI config byte 0x%x: 0x%02x in the stream, "
                       "read-only bits here are 0x%02x", i, s->config[i],
                       dev->config[i] & ro);
            return false;
        }
    }
    return true;
}

static bool pci_device_post_load(void *live, const void *state,
                                 int version_id, Error **errp)
{
    const PCIDeviceMigState *s = state;
    PCIDevice *dev = live;

    memcpy(dev->config, s->config, PCI_CONFIG_SPACE_SIZE);
    pci_update_mappings(dev);
    return true;
}

const VMStateDescription vmstate_pci_device = {
    .name = "PCIDevice",
    .version_id = 2,
    .minimum_version_id = 2,
    .size = sizeof(PCIDeviceMigState),
    .export = pci_device_export,
    .validate = pci_device_validate,
    .post_load = pci_device_post_load,
    .fields = (const VMStateField[]) {
        VMSTATE_BUFFER(config, PCIDeviceMigState),
        VMSTATE_END_OF_LIST()
    },
};

static Property pci_props[] = {
    DEFINE_PROP_PCI_DEVFN("addr", PCIDevice, devfn, -1),
    DEFINE_PROP_END_OF_LIST(),
};

static void pci_device_class_init(ObjectClass *klass, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(klass);

    dc->realize = pci_qdev_realize;
    dc->unrealize = pci_qdev_unrealize;
    dc->reset = pci_device_reset;
    dc->bus_type = TYPE_PCI_BUS;
    dc->hotpluggable = true;
    device_class_set_props(dc, pci_props);
}

static void pci_bus_class_init(ObjectClass *klass, void *data)
{
    BusClass *bc = BUS_CLASS(klass);

    bc->get_dev_path = pci_bus_get_dev_path;
    bc->check_address = pci_bus_check_address;
    bc->hotplug_allowed = true;
}

static const TypeInfo pci_types[] = {
    {
        .name = TYPE_PCI_BUS,
        .parent = TYPE_BUS,
        .instance_size = sizeof(PCIBus),
        .class_init = pci_bus_class_init,
    },
    {
        .name = TYPE_PCI_DEVICE,
        .parent = TYPE_DEVICE,
        .instance_size = sizeof(PCIDevice),
        .class_size = sizeof(PCIDeviceClass),
        .abstract = true,
        .class_init = pci_device_class_init,
    },
};

DEFINE_TYPES(pci_types)
