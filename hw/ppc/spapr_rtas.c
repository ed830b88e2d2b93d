/*
 * RTAS: the token table, argument helpers, and the core calls (time of
 * day, power off, reboot, PCI configuration space access).
 *
 * DOC: RTAS calling convention
 *
 * A call names a token and two guest addresses: nargs big-endian 32-bit
 * input cells and nret output cells, the first output being the status
 * (0 success, -1 hardware error, -3 parameter error).  Every handler checks
 * nargs and nret before anything else; rtas_ld/rtas_st also refuse indexes
 * beyond them, and reads or writes that miss guest RAM read as zero or are
 * dropped, so no argument can reach outside the guest.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include <time.h>
#include "qemu/cutils.h"
#include "qemu/log.h"
#include "hw/pci-host/spapr.h"
#include "sysemu/sysemu.h"
#include "trace.h"

typedef struct SpaprRtasCall {
    const char *name;
    SpaprRtasFn *fn;
} SpaprRtasCall;

static SpaprRtasCall rtas_table[RTAS_TOKEN_MAX - RTAS_TOKEN_BASE];

/*
 * Cell n of a buffer at base, or false when it lies past 2^64: a buffer
 * that runs off the top of the address space does not wrap to address 0.
 */
static bool rtas_cell_addr(hwaddr base, unsigned n, hwaddr *addr)
{
    hwaddr last;

    return !uadd64_overflow(base, 4ULL * n, addr) &&
           !uadd64_overflow(*addr, 3, &last);
}

uint32_t rtas_ld(const SpaprRtasArgs *a, unsigned n)
{
    hwaddr addr;

    if (n >= a->nargs || !rtas_cell_addr(a->args, n, &addr)) {
        return 0;
    }
    return address_space_ldl_be(&address_space_memory, addr, NULL);
}

void rtas_st(const SpaprRtasArgs *a, unsigned n, uint32_t val)
{
    hwaddr addr;

    if (n < a->nret && rtas_cell_addr(a->rets, n, &addr)) {
        address_space_stl_be(&address_space_memory, addr, val, NULL);
    }
}

static uint64_t rtas_ldq(const SpaprRtasArgs *a, unsigned n)
{
    return (uint64_t)rtas_ld(a, n) << 32 | rtas_ld(a, n + 1);
}

void spapr_rtas_register(int token, const char *name, SpaprRtasFn *fn)
{
    g_assert(token >= RTAS_TOKEN_BASE && token < RTAS_TOKEN_MAX);
    g_assert(!rtas_table[token - RTAS_TOKEN_BASE].name);
    rtas_table[token - RTAS_TOKEN_BASE].name = name;
    rtas_table[token - RTAS_TOKEN_BASE].fn = fn;
}

bool spapr_rtas_call_by_name(SpaprMachineState *spapr, const char *name,
                             const SpaprRtasArgs *a)
{
    for (size_t i = 0; i < ARRAY_SIZE(rtas_table); i++) {
        if (rtas_table[i].name && !strcmp(rtas_table[i].name, name)) {
            trace_spapr_rtas_call(name, a->nargs, a->nret);
            rtas_table[i].fn(spapr, RTAS_TOKEN_BASE + i, a);
            return true;
        }
    }
    return false;
}

void spapr_rtas_foreach(void (*fn)(const char *name, uint32_t token,
                                   void *opaque), void *opaque)
{
    for (size_t i = 0; i < ARRAY_SIZE(rtas_table); i++) {
        if (rtas_table[i].name) {
            fn(rtas_table[i].name, RTAS_TOKEN_BASE + i, opaque);
        }
    }
}

static void rtas_get_time_of_day(SpaprMachineState *spapr, uint32_t token,
                                 const SpaprRtasArgs *a)
{
    struct tm tm;
    long nsec;

    if (a->nargs != 0 || a->nret != 8) {
        rtas_st(a, 0, RTAS_OUT_PARAM_ERROR);
        return;
    }
    qemu_get_timedate(&tm, &nsec);      /* -rtc base= and clock= */
    rtas_st(a, 0, RTAS_OUT_SUCCESS);
    rtas_st(a, 1, tm.tm_year + 1900);
    rtas_st(a, 2, tm.tm_mon + 1);
    rtas_st(a, 3, tm.tm_mday);
    rtas_st(a, 4, tm.tm_hour);
    rtas_st(a, 5, tm.tm_min);
    rtas_st(a, 6, tm.tm_sec);
    rtas_st(a, 7, nsec);
}

static void rtas_power_off(SpaprMachineState *spapr, uint32_t token,
                           const SpaprRtasArgs *a)
{
    if (a->nargs != 2 || a->nret != 1) {
        rtas_st(a, 0, RTAS_OUT_PARAM_ERROR);
        return;
    }
    rtas_st(a, 0, RTAS_OUT_SUCCESS);
    qemu_system_shutdown_request(SHUTDOWN_CAUSE_GUEST_SHUTDOWN);
}

static void rtas_system_reboot(SpaprMachineState *spapr, uint32_t token,
                               const SpaprRtasArgs *a)
{
    if (a->nargs != 0 || a->nret != 1) {
        rtas_st(a, 0, RTAS_OUT_PARAM_ERROR);
        return;
    }
    rtas_st(a, 0, RTAS_OUT_SUCCESS);
    qemu_system_reset();
}

/* The register number: bits 0-7, plus extended bits 28-31 -> 8-11. */
static uint32_t rtas_pci_cfgaddr(uint32_t arg)
{
    return ((arg >> 20) & 0xf00) | (arg & 0xff);
}

static void finish_read_pci_config(uint64_t buid, uint32_t addr,
                                   uint32_t size, const SpaprRtasArgs *a)
{
    PCIDevice *dev = spapr_pci_find_dev(buid, addr);
    uint32_t reg = rtas_pci_cfgaddr(addr);

    /* A device that exists, an access of 1, 2 or 4 bytes, aligned, inside. */
    if (!dev || (size != 1 && size != 2 && size != 4) || reg % size ||
        reg >= PCI_CONFIG_SPACE_SIZE) {
        qemu_log_mask(LOG_GUEST_ERROR, "read-pci-config: buid 0x%" PRIx64
                      " addr 0x%x size %u: no such device or bad access\n",
                      buid, addr, size);
        rtas_st(a, 0, RTAS_OUT_HW_ERROR);
        return;
    }
    rtas_st(a, 0, RTAS_OUT_SUCCESS);
    rtas_st(a, 1, pci_host_config_read(dev, reg, size));
}

static void finish_write_pci_config(uint64_t buid, uint32_t addr,
                                    uint32_t size, uint32_t val,
                                    const SpaprRtasArgs *a)
{
    PCIDevice *dev = spapr_pci_find_dev(buid, addr);
    uint32_t reg = rtas_pci_cfgaddr(addr);

    if (!dev || (size != 1 && size != 2 && size != 4) || reg % size ||
        reg >= PCI_CONFIG_SPACE_SIZE) {
        qemu_log_mask(LOG_GUEST_ERROR, "write-pci-config: buid 0x%" PRIx64
                      " addr 0x%x size %u: no such device or bad access\n",
                      buid, addr, size);
        rtas_st(a, 0, RTAS_OUT_HW_ERROR);
        return;
    }
    pci_host_config_write(dev, reg, val, size);
    rtas_st(a, 0, RTAS_OUT_SUCCESS);
}

static void rtas_ibm_read_pci_config(SpaprMachineState *spapr, uint32_t token,
                                     const SpaprRtasArgs *a)
{
    if (a->nargs != 4 || a->nret != 2) {
        rtas_st(a, 0, RTAS_OUT_HW_ERROR);
        return;
    }
    finish_read_pci_config(rtas_ldq(a, 1), rtas_ld(a, 0), rtas_ld(a, 3), a);
}

static void rtas_ibm_write_pci_config(SpaprMachineState *spapr,
                                      uint32_t token, const SpaprRtasArgs *a)
{
    if (a->nargs != 5 || a->nret != 1) {
        rtas_st(a, 0, RTAS_OUT_HW_ERROR);
        return;
    }
    finish_write_pci_config(rtas_ldq(a, 1), rtas_ld(a, 0), rtas_ld(a, 3),
                            rtas_ld(a, 4), a);
}

/* The plain forms address the first PHB (index 0). */
static void rtas_read_pci_config(SpaprMachineState *spapr, uint32_t token,
                                 const SpaprRtasArgs *a)
{
    if (a->nargs != 2 || a->nret != 2) {
        rtas_st(a, 0, RTAS_OUT_HW_ERROR);
        return;
    }
    finish_read_pci_config(SPAPR_PCI_BASE_BUID, rtas_ld(a, 0), rtas_ld(a, 1),
                           a);
}

static void rtas_write_pci_config(SpaprMachineState *spapr, uint32_t token,
                                  const SpaprRtasArgs *a)
{
    if (a->nargs != 3 || a->nret != 1) {
        rtas_st(a, 0, RTAS_OUT_HW_ERROR);
        return;
    }
    finish_write_pci_config(SPAPR_PCI_BASE_BUID, rtas_ld(a, 0), rtas_ld(a, 1),
                            rtas_ld(a, 2), a);
}

static void spapr_rtas_register_core(void)
{
    spapr_rtas_register(RTAS_GET_TIME_OF_DAY, "get-time-of-day",
                        rtas_get_time_of_day);
    spapr_rtas_register(RTAS_POWER_OFF, "power-off", rtas_power_off);
    spapr_rtas_register(RTAS_SYSTEM_REBOOT, "system-reboot",
                        rtas_system_reboot);
    spapr_rtas_register(RTAS_READ_PCI_CONFIG, "read-pci-config",
                        rtas_read_pci_config);
    spapr_rtas_register(RTAS_WRITE_PCI_CONFIG, "write-pci-config",
                        rtas_write_pci_config);
    spapr_rtas_register(RTAS_IBM_READ_PCI_CONFIG, "ibm,read-pci-config",
                        rtas_ibm_read_pci_config);
    spapr_rtas_register(RTAS_IBM_WRITE_PCI_CONFIG, "ibm,write-pci-config",
                        rtas_ibm_write_pci_config);
}

type_init(spapr_rtas_register_core)
