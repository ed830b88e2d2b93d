/*
 * DDW helpers for qtests: window state probes, bulk TCE mapping through
 * H_PUT_TCE_INDIRECT with the list in guest RAM, and the edu DMA buffer.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef LIBQOS_DDW_H
#define LIBQOS_DDW_H

#include "libqos/edu.h"
#include "libqos/rtas.h"

#define QDDW_LIST_ADDR      0x10100000ULL   /* TCE lists, 4 KiB aligned */
#define QDDW_DMA64_START    (1ULL << 59)
#define QDDW_DEF_WIN_SIZE   0x40000000ULL
#define QDDW_TCE_READ       1ULL
#define QDDW_TCE_WRITE      2ULL

/* Active windows of a DDW PHB, from query's "windows available". */
int qddw_active(QTestState *s, uint64_t buid);
/* Whether ioba is inside an enabled window of liobn (H_GET_TCE works). */
bool qddw_mapped_range(QTestState *s, uint32_t liobn, uint64_t ioba);

/*
 * Maps npages pages of 2^page_shift bytes from ioba to guest address pa
 * (consecutive) with perm, 512 entries per H_PUT_TCE_INDIRECT.  Returns
 * the first failing r3, or H_SUCCESS; *hcalls counts the calls made.
 */
uint64_t qddw_map(QTestState *s, uint32_t liobn, uint64_t ioba,
                  unsigned page_shift, uint64_t pa, uint64_t npages,
                  uint64_t perm, unsigned *hcalls);

/* The edu DMA buffer at offset off, through 8-byte MMIO accesses. */
void qedu_buf_write(QEdu *e, uint64_t off, const uint8_t *data, size_t n);
void qedu_buf_read(QEdu *e, uint64_t off, uint8_t *data, size_t n);

#endif
