/*
 * The edu test device's register engine (docs/specs/edu.rst in QEMU):
 * identification, liveness, factorial, interrupt status and a DMA engine
 * with a 4 KiB buffer.  The engine is bus-agnostic: its owner supplies the
 * DMA path (a PCI device's bus-master space, or an emulated host's TCE
 * tables for the VFIO host model).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef HW_MISC_EDU_H
#define HW_MISC_EDU_H

#include "qemu/timer.h"

#define EDU_MMIO_SIZE       (1 * 1024 * 1024)
#define EDU_DMA_START       0x40000
#define EDU_DMA_SIZE        4096
#define EDU_VENDOR_ID       0x1234
#define EDU_DEVICE_ID       0x11e8
#define EDU_REVISION        0x10
#define EDU_IDENT           0x010000edu

/* Returns false when the transfer failed (the bus said no). */
typedef bool EduDmaFn(void *opaque, uint64_t addr, void *buf, uint64_t len,
                      bool to_device_memory);

typedef struct EduEngine {
    uint32_t liveness;
    uint32_t fact;
    uint32_t status;
#define EDU_STATUS_COMPUTING    0x01
#define EDU_STATUS_IRQFACT      0x80
    uint32_t irq_status;
#define EDU_FACT_IRQ            0x00000001
#define EDU_DMA_IRQ             0x00000100
    struct {
        uint64_t src, dst, cnt, cmd;
    } dma;
#define EDU_DMA_RUN             0x1
#define EDU_DMA_TO_PCI          0x2     /* direction: buffer -> bus */
#define EDU_DMA_IRQ_ON_DONE     0x4
    uint64_t dma_mask;
    uint8_t dma_buf[EDU_DMA_SIZE];
    QEMUTimer dma_timer;
    EduDmaFn *dma_fn;
    void *opaque;
    const char *name;           /* for logs and traces */
} EduEngine;

void edu_engine_init(EduEngine *e, const char *name, EduDmaFn *dma_fn,
                     void *opaque);
void edu_engine_reset(EduEngine *e);
void edu_engine_finalize(EduEngine *e);
uint64_t edu_engine_read(EduEngine *e, uint64_t addr, unsigned size);
void edu_engine_write(EduEngine *e, uint64_t addr, uint64_t val,
                      unsigned size);

#endif
