/*
 * The PHBs' DMA windows for management: QMP query-spapr-dma-windows and
 * the human monitor's "info spapr-dma" table, built from the same data.
 *
 * DOC: query-spapr-dma-windows
 *
 * One object per PHB, by index:
 *   {"index", "buid", "ddw", "windows": [...], "vfio": null | {...}}
 * Each PHB lists its two TCE tables, enabled or not:
 *   {"liobn", "bus-offset", "page-shift", "size", "enabled", "mapped-tces"}
 * where size is the window's bus span and mapped-tces counts the entries
 * that map a page.  "vfio" describes the host container serving the PHB's
 * DMA address space: {"iommu", "prereg-bytes", "map-ioctls",
 * "unmap-ioctls", "host-windows": [{"bus-offset", "page-shift", "size",
 * "levels"}]}.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "hw/pci-host/spapr.h"
#include "hw/vfio/vfio-spapr-info.h"
#include "monitor/hmp.h"
#include "monitor/qmp.h"

static uint64_t spapr_window_size(uint32_t nb_table, uint32_t page_shift)
{
    if (page_shift >= 64 || nb_table > (UINT64_MAX >> page_shift)) {
        return UINT64_MAX;      /* never for a table the PHB accepted */
    }
    return (uint64_t)nb_table << page_shift;
}

static JsonObject *spapr_window_info(SpaprTceTable *tcet)
{
    JsonObject *o = json_object_new();

    json_object_set_int_member(o, "liobn", tcet->liobn);
    qmp_object_set_uint(o, "bus-offset", tcet->bus_offset);
    json_object_set_int_member(o, "page-shift", tcet->page_shift);
    qmp_object_set_uint(o, "size",
                        spapr_window_size(tcet->nb_table, tcet->page_shift));
    json_object_set_boolean_member(o, "enabled", tcet->nb_table != 0);
    qmp_object_set_uint(o, "mapped-tces", spapr_tce_table_mapped(tcet));
    return o;
}

static JsonNode *spapr_vfio_info(SpaprPhbState *sphb)
{
    VFIOSpaprInfo info = { 0 };
    JsonObject *o;
    JsonArray *wins;

    if (!vfio_spapr_get_info(&sphb->iommu_as, &info)) {
        return json_node_new(JSON_NODE_NULL);
    }
    o = json_object_new();
    wins = json_array_new();
    json_object_set_string_member(o, "iommu", info.iommu ? info.iommu : "");
    qmp_object_set_uint(o, "prereg-bytes", info.prereg_bytes);
    qmp_object_set_uint(o, "map-ioctls", info.map_ioctls);
    qmp_object_set_uint(o, "unmap-ioctls", info.unmap_ioctls);
    for (unsigned i = 0; i < MIN(info.nr_windows, 2u); i++) {
        JsonObject *w = json_object_new();

        qmp_object_set_uint(w, "bus-offset", info.windows[i].bus_offset);
        json_object_set_int_member(w, "page-shift",
                                   info.windows[i].page_shift);
        qmp_object_set_uint(w, "size", info.windows[i].size);
        json_object_set_int_member(w, "levels", info.windows[i].levels);
        json_array_add_object_element(wins, w);
    }
    json_object_set_array_member(o, "host-windows", wins);
    return qmp_node_object(o);
}

static JsonObject *spapr_phb_dma_info(SpaprPhbState *sphb)
{
    JsonObject *o = json_object_new();
    JsonArray *wins = json_array_new();

    json_object_set_int_member(o, "index", sphb->index);
    qmp_object_set_uint(o, "buid", sphb->buid);
    json_object_set_boolean_member(o, "ddw", sphb->ddw_enabled);
    for (int i = 0; i < SPAPR_PCI_DMA_MAX_WINDOWS; i++) {
        if (sphb->tcet[i]) {
            json_array_add_object_element(wins,
                                          spapr_window_info(sphb->tcet[i]));
        }
    }
    json_object_set_array_member(o, "windows", wins);
    json_object_set_member(o, "vfio", spapr_vfio_info(sphb));
    return o;
}

static int spapr_phb_collect(SpaprPhbState *sphb, void *opaque)
{
    g_ptr_array_add(opaque, sphb);
    return 0;
}

static gint spapr_phb_cmp_index(gconstpointer a, gconstpointer b)
{
    const SpaprPhbState *pa = *(SpaprPhbState *const *)a;
    const SpaprPhbState *pb = *(SpaprPhbState *const *)b;

    return pa->index < pb->index ? -1 : pa->index > pb->index;
}

static JsonArray *spapr_dma_windows(void)
{
    g_autoptr(GPtrArray) phbs = g_ptr_array_new();
    JsonArray *arr = json_array_new();

    spapr_phb_foreach(spapr_phb_collect, phbs);
    g_ptr_array_sort(phbs, spapr_phb_cmp_index);
    for (guint i = 0; i < phbs->len; i++) {
        json_array_add_object_element(arr,
            spapr_phb_dma_info(g_ptr_array_index(phbs, i)));
    }
    return arr;
}

static JsonNode *qmp_query_spapr_dma_windows(JsonObject *args, Error **errp)
{
    return qmp_node_array(spapr_dma_windows());
}

/* "info spapr-dma" */

static uint64_t member_u64(JsonObject *o, const char *name)
{
    uint64_t v = 0;

    qmp_node_get_uint(json_object_get_member(o, name), &v);
    return v;
}

static void hmp_spapr_window(GString *out, JsonObject *w)
{
    hmp_printf(out, "  0x%08" PRIx64 "  0x%016" PRIx64 "  %5" PRIu64
               "  0x%016" PRIx64 "  %-7s  %" PRIu64 "\n",
               member_u64(w, "liobn"), member_u64(w, "bus-offset"),
               member_u64(w, "page-shift"), member_u64(w, "size"),
               json_object_get_boolean_member(w, "enabled") ? "yes" : "no",
               member_u64(w, "mapped-tces"));
}

static void hmp_spapr_vfio(GString *out, JsonObject *v)
{
    JsonArray *wins = json_object_get_array_member(v, "host-windows");

    hmp_printf(out, "  vfio: iommu %s, prereg %" PRIu64 " bytes, %" PRIu64
               " map / %" PRIu64 " unmap ioctls\n",
               json_object_get_string_member(v, "iommu"),
               member_u64(v, "prereg-bytes"), member_u64(v, "map-ioctls"),
               member_u64(v, "unmap-ioctls"));
    for (guint i = 0; i < json_array_get_length(wins); i++) {
        JsonObject *w = json_array_get_object_element(wins, i);

        hmp_printf(out, "  host window 0x%016" PRIx64 " page-shift %" PRIu64
                   " size 0x%" PRIx64 " levels %" PRIu64 "\n",
                   member_u64(w, "bus-offset"), member_u64(w, "page-shift"),
                   member_u64(w, "size"), member_u64(w, "levels"));
    }
}

static void hmp_spapr_phb(GString *out, JsonObject *phb)
{
    JsonArray *wins = json_object_get_array_member(phb, "windows");
    JsonNode *vfio = json_object_get_member(phb, "vfio");

    hmp_printf(out, "PHB %" PRIu64 " buid 0x%" PRIx64 " ddw %s\n",
               member_u64(phb, "index"), member_u64(phb, "buid"),
               json_object_get_boolean_member(phb, "ddw") ? "on" : "off");
    hmp_printf(out, "  %-10s  %-18s  %5s  %-18s  %-7s  %s\n", "LIOBN",
               "BUS-OFFSET", "SHIFT", "SIZE", "ENABLED", "MAPPED-TCES");
    for (guint i = 0; i < json_array_get_length(wins); i++) {
        hmp_spapr_window(out, json_array_get_object_element(wins, i));
    }
    if (JSON_NODE_HOLDS_OBJECT(vfio)) {
        hmp_spapr_vfio(out, json_node_get_object(vfio));
    } else {
        hmp_printf(out, "  vfio: none\n");
    }
}

static void hmp_info_spapr_dma(GString *out)
{
    g_autoptr(JsonArray) phbs = spapr_dma_windows();

    if (!json_array_get_length(phbs)) {
        hmp_printf(out, "no PHB\n");
    }
    for (guint i = 0; i < json_array_get_length(phbs); i++) {
        hmp_spapr_phb(out, json_array_get_object_element(phbs, i));
    }
}

static const QmpCommandInfo spapr_pci_qmp_commands[] = {
    { "query-spapr-dma-windows", qmp_query_spapr_dma_windows, NULL,
      "[SpaprPhbDmaInfo]" },
};

static const QmpSchemaTypeInfo spapr_pci_qmp_types[] = {
    /* vfio: null without a VFIO container, else SpaprVfioInfo's members. */
    { "SpaprPhbDmaInfo", .members = "index:int,buid:uint64,ddw:bool,"
                                    "windows:[SpaprDmaWindowInfo],vfio:any" },
    { "SpaprDmaWindowInfo", .members = "liobn:int,bus-offset:uint64,"
      "page-shift:int,size:uint64,enabled:bool,mapped-tces:uint64" },
};

QMP_COMMANDS(spapr_pci_qmp_commands)
QMP_SCHEMA_TYPES(spapr_pci_qmp_types)

static void spapr_pci_monitor_register(void)
{
    hmp_register_info("spapr-dma", "show the PHBs' DMA windows and VFIO "
                      "containers", hmp_info_spapr_dma);
}

type_init(spapr_pci_monitor_register)
