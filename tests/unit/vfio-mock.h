/*
 * A scripted SPAPR TCE v2 host for in-process VFIO tests: the mock
 * transport keeps host TCE tables as the kernel does (preregistration
 * first, windows placed by slot, page sizes and levels checked) and one
 * edu-like PCI function; helpers drive the guest side of PHB 0 and check
 * that host and guest tables agree.
 *
 * Why a scripted host next to the emulated one (hw/vfio/host-emu/):
 * test-vfio-container.c needs answers no kernel gives on demand: the n-th
 * MAP_DMA failing (fail_map_at: the guest's table must be put back),
 * REGISTER_MEMORY refused (fail_register), a host without v2 (offer_v2:
 * the v1 fallback), windows placed where a test says (place_at) and
 * level counts refused below a minimum (min_levels: the container's level
 * retry).  test-vfio-pci.c and test-vfio-emu.c use only the guest-side
 * helpers (hcalls, RTAS through guest RAM) and the shared PHB 0 set-up;
 * everything they check of a host goes through the emulated host, which
 * models Linux and keeps kernel-shaped tables.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TESTS_UNIT_VFIO_MOCK_H
#define TESTS_UNIT_VFIO_MOCK_H

#include "hw/pci-host/spapr.h"
#include "hw/vfio/vfio-common.h"

#define MOCK_CONTAINER_FD   10
#define MOCK_GROUP_FD       11
#define MOCK_DEVICE_FD      12
#define MOCK_CONFIG_OFFSET  (7ULL << 40)
#define MOCK_BAR0_SIZE      0x1000
#define PHB0_MMIO32         0x100a0000000ULL    /* PCI 0x80000000 */
#define SCRATCH             0x10000000ULL
#define TCE_LIST            0x10001000ULL
#define RAM_SIZE            (4ULL << 30)

typedef struct VMockWin {
    bool used;
    uint64_t start, size;
    unsigned shift, levels;
    GHashTable *tces;           /* page index -> vaddr | perm */
} VMockWin;

typedef struct VMockHost {
    VFIOHost host;
    bool offer_v2;
    uint64_t pgsizes;
    unsigned max_levels;
    int type;
    bool default_pending;
    VMockWin win[2];
    GList *preregs;             /* uint64_t[2] */
    unsigned maps, unmaps, creates;
    unsigned min_levels;        /* fewer levels: -ENOMEM (allocation) */
    uint64_t place_at;          /* non-zero: where the next window goes */
    unsigned fail_map_at;       /* fail the n-th next MAP_DMA */
    int fail_register;          /* -errno for REGISTER_MEMORY */
    unsigned groups;            /* attached to the container */
    unsigned resets;
    uint8_t config[256];
    uint8_t bar0[MOCK_BAR0_SIZE];
} VMockHost;

extern VMockHost vmock;

bool vmock_registered(uint64_t vaddr, uint64_t size);
VMockWin *vmock_win(uint64_t iova);
void vmock_reset(bool v2, uint64_t pgsizes, unsigned levels);
SpaprPhbState *vmock_phb0(void);
target_ulong vmock_hcall(target_ulong op, uint64_t a0, uint64_t a1,
                         uint64_t a2, uint64_t a3);
/* An RTAS call through a scratch buffer in guest RAM; returns status. */
int32_t vmock_rtas(const char *name, int nargs, const uint32_t *args,
                   int nret, uint32_t *rets);
int32_t vmock_rtas_create(uint32_t page_shift, uint32_t window_shift,
                          uint32_t *liobn);
int32_t vmock_rtas_remove(uint32_t liobn);
int32_t vmock_rtas_reset(void);
void vmock_check_tables(void);
void vmock_check_prereg(void);
VFIOGroup *vmock_attach(void);
void vmock_detach(VFIOGroup *g);

/* A macro, so that a failure names the caller's line. */
#define put_tce(liobn, ioba, tce, want) do {                            \
        g_assert_cmpint(vmock_hcall(H_PUT_TCE, liobn, ioba, tce, 0), ==,  \
                        want);                                          \
        vmock_check_tables();                                           \
    } while (0)

#endif
