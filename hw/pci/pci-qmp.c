/*
 * QMP query-pci: every PCI bus with its devices, their ids, class, and
 * BARs, in QEMU's shape.  Each sPAPR PHB has its own root bus 0.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "hw/pci/pci.h"
#include "monitor/qmp.h"

static JsonObject *pci_region_info(PCIDevice *dev, int bar)
{
    PCIIORegion *r = &dev->io_regions[bar];
    JsonObject *o = json_object_new();
    bool io = r->type & PCI_BASE_ADDRESS_SPACE_IO;

    json_object_set_int_member(o, "bar", bar);
    json_object_set_string_member(o, "type", io ? "io" : "memory");
    if (r->addr == PCI_BAR_UNMAPPED) {
        json_object_set_int_member(o, "address", -1);
    } else {
        qmp_object_set_uint(o, "address", r->addr);
    }
    qmp_object_set_uint(o, "size", r->size);
    if (!io) {
        json_object_set_boolean_member(o, "prefetch",
                                       r->type & PCI_BASE_ADDRESS_MEM_PREFETCH);
        json_object_set_boolean_member(o, "mem_type_64",
                                       r->type & PCI_BASE_ADDRESS_MEM_TYPE_64);
    }
    return o;
}

static JsonObject *pci_ids_info(PCIDevice *dev)
{
    JsonObject *id = json_object_new();

    json_object_set_int_member(id, "device",
                               pci_get_word(dev->config + PCI_DEVICE_ID));
    json_object_set_int_member(id, "vendor",
                               pci_get_word(dev->config + PCI_VENDOR_ID));
    json_object_set_int_member(id, "subsystem",
                               pci_get_word(dev->config + PCI_SUBSYSTEM_ID));
    json_object_set_int_member(id, "subsystem-vendor",
                               pci_get_word(dev->config +
                                            PCI_SUBSYSTEM_VENDOR_ID));
    return id;
}

static JsonObject *pci_device_info(PCIDevice *dev)
{
    JsonObject *o = json_object_new(), *cls = json_object_new();
    JsonArray *regions = json_array_new();
    uint8_t pin = dev->config[PCI_INTERRUPT_PIN];

    json_object_set_int_member(o, "bus", 0);
    json_object_set_int_member(o, "slot", PCI_SLOT(dev->devfn));
    json_object_set_int_member(o, "function", PCI_FUNC(dev->devfn));
    json_object_set_int_member(cls, "class",
                               pci_get_word(dev->config + PCI_CLASS_DEVICE));
    json_object_set_object_member(o, "class_info", cls);
    json_object_set_object_member(o, "id", pci_ids_info(dev));
    if (pin) {
        json_object_set_int_member(o, "irq_pin", pin);
        json_object_set_int_member(o, "irq", 0);
    }
    json_object_set_string_member(o, "qdev_id",
                                  DEVICE(dev)->id ? DEVICE(dev)->id : "");
    for (int bar = 0; bar < PCI_NUM_REGIONS; bar++) {
        if (dev->io_regions[bar].size) {
            json_array_add_object_element(regions,
                                          pci_region_info(dev, bar));
        }
    }
    json_object_set_array_member(o, "regions", regions);
    return o;
}

static int pci_bus_info(Object *obj, void *opaque)
{
    JsonArray *buses = opaque;
    JsonObject *o;
    JsonArray *devs;
    PCIBus *bus;

    if (!object_dynamic_cast(obj, TYPE_PCI_BUS)) {
        return 0;
    }
    bus = PCI_BUS(obj);
    o = json_object_new();
    devs = json_array_new();
    for (int devfn = 0; devfn < 256; devfn++) {
        if (bus->devices[devfn]) {
            json_array_add_object_element(devs,
                pci_device_info(bus->devices[devfn]));
        }
    }
    json_object_set_int_member(o, "bus", 0);
    json_object_set_array_member(o, "devices", devs);
    json_array_add_object_element(buses, o);
    return 0;
}

static JsonNode *qmp_query_pci(JsonObject *args, Error **errp)
{
    JsonArray *buses = json_array_new();

    object_child_foreach_recursive(object_get_root(), pci_bus_info, buses);
    return qmp_node_array(buses);
}

static const QmpCommandInfo pci_qmp_commands[] = {
    { "query-pci", qmp_query_pci, NULL, "[PciInfo]" },
};

static const QmpSchemaTypeInfo pci_qmp_types[] = {
    { "PciInfo", .members = "bus:int,devices:[PciDeviceInfo]" },
    { "PciDeviceInfo", .members = "bus:int,slot:int,function:int,"
      "class_info:PciDeviceClass,id:PciDeviceId,irq_pin:int?,irq:int?,"
      "qdev_id:str,regions:[PciMemoryRegion]" },
    { "PciDeviceClass", .members = "class:int" },
    { "PciDeviceId", .members = "device:int,vendor:int,subsystem:int?,"
                                "subsystem-vendor:int?" },
    { "PciMemoryRegion", .members = "bar:int,type:str,address:int,size:int,"
                                    "prefetch:bool?,mem_type_64:bool?" },
};

QMP_COMMANDS(pci_qmp_commands)
QMP_SCHEMA_TYPES(pci_qmp_types)
