/*
 * The DDW fuzzer's shared state: the machine's tables with their shadow
 * copies, the random stream, and what each part (shadow.c, rtas.c,
 * hcall.c, the driver ../spapr-ddw-fuzz.c) offers the others.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TESTS_FUZZ_SPAPR_DDW_FUZZ_H
#define TESTS_FUZZ_SPAPR_DDW_FUZZ_H

#include "tests/fuzz/fuzz-rng.h"
#include "exec/memory.h"
#include "hw/pci-host/spapr.h"

#define RAM_SIZE        (4ULL << 30)
#define SCRATCH         0x1000ULL       /* RTAS args, rets at +0x100 */
#define LIST_AREA       0x100000ULL     /* TCE lists: 16 pages from here */
#define NUM_PHBS        3               /* PHB 2 has ddw=off */
#define MAX_TABLES      (NUM_PHBS * 2)
#define FULL_CHECK      512
#define TOUCH_CHECK     1024
/* The machine's tce-budget, given on the command line (fuzz_setup) */
#define FUZZ_BUDGET_BYTES 268435456
#define FUZZ_BUDGET     ((uint64_t)FUZZ_BUDGET_BYTES)
/*
 * A mapped constant while a listener is there is one host map per entry:
 * a long H_STUFF_TCE of at most this many entries (16 slices).
 */
#define FUZZ_LONG_MAX   (1ULL << 16)

typedef struct FuzzTable {
    SpaprTceTable *tcet;
    int phb;
    GTree *shadow;              /* start -> FuzzExtent, non-zero only */
    uint64_t shadow_nonzero;    /* entries the extents cover */
    uint64_t shadow_valid;      /* of those, with a permission bit */
    GHashTable *host;           /* page -> address | perm, from events */
    IOMMUNotifier n;
} FuzzTable;

typedef struct Fuzz {
    uint64_t rng;
    FuzzTable t[MAX_TABLES];
    int ntables;
    SpaprPhbState *phb[NUM_PHBS];
    PCIDevice *edu;
    uint64_t steps, hcalls, rtas, dmas, resets;
    const char *last_op;        /* for a debugger looking at a failure */
    bool refusing;              /* the notifier refuses some MAP events */
    uint64_t refused;
    uint64_t refused_at_op;     /* fz.refused when the current op began */
    uint64_t created, removed, hw_errors, migrations, no_mem;
    uint64_t huge_stuffs;       /* > FUZZ_LONG_MAX entries, stored whole */
    uint64_t long_calls, long_slices;   /* sliced H_STUFF_TCE jobs */
    struct VFIOHost *host;      /* the VFIO mode's emulated host, or NULL */
    uint64_t vfio_full_checks, vfio_migrate_high_only;
} Fuzz;

extern Fuzz fz;

static inline uint64_t rnd(void)
{
    return fuzz_rng_next(&fz.rng);
}

static inline uint64_t rnd_below(uint64_t n)
{
    return fuzz_rng_below(&fz.rng, n);
}

static inline bool chance(unsigned percent)
{
    return fuzz_rng_chance(&fz.rng, percent);
}

/* Values that tend to break arithmetic. */
static inline uint64_t rnd_edge64(void)
{
    static const uint64_t edges[] = {
        0, 1, 2, 0xfff, 0x1000, 0x7fffffff, 0x80000000, 0xffffffff,
        1ULL << 32, (1ULL << 32) + 1, 1ULL << 59, (1ULL << 59) - 1,
        1ULL << 63, UINT64_MAX, UINT64_MAX - 0xfff, UINT64_MAX - 7,
    };

    return chance(50) ? edges[rnd_below(G_N_ELEMENTS(edges))] : rnd();
}

/* shadow.c: the shadow tables, the notifier's mirror, their checks */
void fuzz_table_add(SpaprTceTable *tcet, int phb);
FuzzTable *table_by_liobn(uint64_t liobn);
uint64_t shadow_get(FuzzTable *t, uint64_t idx);
void shadow_set_range(FuzzTable *t, uint64_t idx, uint64_t n, uint64_t tce);
void shadow_set(FuzzTable *t, uint64_t idx, uint64_t tce);
void table_forget(FuzzTable *t);
void check_entry(FuzzTable *t, uint64_t idx);
void check_counts(FuzzTable *t);
void check_all_entries(FuzzTable *t);
void check_touched(FuzzTable *t, uint64_t idx, uint64_t n);
void replay_check(FuzzTable *t);

/* rtas.c: the DDW RTAS calls and their model */
uint32_t rtas_call(const char *name, uint32_t nargs, const uint32_t *in,
                   uint32_t nret, uint32_t *out, hwaddr args, hwaddr rets);
void check_phb(int i);
void op_rtas(void);

/* hcall.c: the TCE hypercalls, the budget, long calls */
uint32_t rnd_liobn32(void);
uint64_t model_fit(FuzzTable *t, uint64_t ioba, uint64_t n, uint64_t *idx);
uint64_t rnd_ioba(FuzzTable *t);
uint64_t rnd_tce(void);
void op_budget(void);
void op_put_get(bool put);
void op_stuff(void);
void op_indirect(void);
void op_random_hcall(void);

/* vfio.c: the VFIO mode's host-versus-guest checks */
void vfio_check(bool full);
void vfio_check_touched(FuzzTable *t, uint64_t idx, uint64_t n);
uint64_t vfio_mapped_total(void);
bool vfio_only_high_window(void);
bool vfio_refuses(FuzzTable *t, uint64_t fit, const uint64_t *list,
                  uint64_t val);

#endif
