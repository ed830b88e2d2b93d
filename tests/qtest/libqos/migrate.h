/*
 * Two-process migration helpers for qtests (see migrate.c).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef LIBQOS_MIGRATE_H
#define LIBQOS_MIGRATE_H

#include <stdio.h>
#include <json-glib/json-glib.h>
#include "libqtest.h"

#define BUID0           BUID_PHB(0)
#define LIOBN_DEF       LIOBN_PHB(0, 0)
#define LIOBN_DDW       LIOBN_PHB(0, 1)
#define DEF_ENTRIES     8192            /* 32 MiB default window */
#define DDW_SHIFT       16
#define DDW_ENTRIES     8192            /* 512 MiB of 64 KiB pages */
#define DDW_START       (1ULL << 59)
#define EDU_CFG         0x1000          /* addr=2 */
#define TCE_LIST        0x3000000ULL
#define PATTERN_BASE    0x100000ULL
#define PATTERN_PAGES   32
#define DMA_RAM         0x12340000ULL
#define PAGE            4096
#define VFIO_ARGS       "-object vfio-spapr-host-emu,id=h0 " \
                        "-device vfio-pci,host-emu=h0,addr=0"
#define WAIT_TRIES      3000            /* x 10 ms: a bound, not a timing */

#define MACHINE_ARGS \
    "-accel qtest -display none -nodefaults " \
    "-global spapr-pci-host-bridge.dma_win_size=0x2000000 " \
    "-device edu,addr=2,dma_mask=0xffffffffffffffff "

typedef struct MigVm {
    QTestState *qts;
    FILE *qmp;
    char *qmp_path;
} MigVm;

/* -m and -S of the next mig_vm_start() (defaults 512M, paused) */
extern const char *mig_vm_mem;
extern bool mig_vm_paused;

/* QMP: a command's "return" (or "error", *is_error set) node. */
JsonNode *mig_qmp_cmd(FILE *f, const char *json, bool *is_error);
void mig_qmp_ok(FILE *f, const char *json);
/* A string member of a command's return, or "" (g_free it). */
char *mig_qmp_get_str(FILE *f, const char *cmd, const char *member);
char *mig_status(MigVm *vm);            /* query-migrate status */
char *mig_run_status(MigVm *vm);        /* query-status status */
/* Waits (bounded) for completed, failed or cancelled. */
char *mig_wait_end(MigVm *vm);
int64_t mig_ram_transferred(MigVm *vm);

/* A machine with edu at addr=2, a QMP socket in dir, and extra args. */
MigVm *mig_vm_start(const char *dir, const char *name, const char *machine,
                    const char *extra);
void mig_vm_quit(MigVm *vm);
void mig_migrate(MigVm *src, const char *uri);
/* Migrates src into dir/name through exec:cat; returns the path. */
char *mig_save_stream(MigVm *src, const char *dir, const char *name);

/* The guest scenario: patterns in RAM, TCEs in both windows. */
void mig_fill_pattern(uint8_t *buf, uint64_t seed);
void mig_map_progression(QTestState *s, uint32_t liobn, uint64_t ioba,
                         uint64_t shift, uint64_t n, uint64_t first,
                         uint64_t step);
void mig_populate_ram(QTestState *s);
void mig_check_ram(QTestState *s, bool present);
/*
 * A destination that refused its stream: still inmigrate, RAM blank, the
 * default window there and empty, no DDW.
 */
void mig_check_dst_unchanged(MigVm *dst);
void mig_populate_tces(QTestState *s, bool ddw);
void mig_check_tces(QTestState *s, bool ddw);
void mig_compare_window(QTestState *a, QTestState *b, uint32_t liobn,
                        uint64_t start, unsigned shift, uint64_t n);
void mig_compare_page(QTestState *a, QTestState *b, uint64_t addr);
uint64_t mig_be64_at(const uint8_t *p);

char *mig_tmp_dir(void);
void mig_rm_dir(char *dir);     /* and its files; frees dir */

#endif
