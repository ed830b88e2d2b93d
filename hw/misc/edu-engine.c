/*
 * The edu register engine.
 *
 * Register map (offsets in BAR0):
 *   0x00 RO  identification 0x010000ed
 *   0x04 RW  liveness: reads back the bitwise inverse of what was written
 *   0x08 RW  factorial: write n, read n!
 *   0x20 RW  status: 0x01 computing (RO), 0x80 raise interrupt on factorial
 *   0x24 RO  interrupt status; 0x60 WO raise; 0x64 WO acknowledge
 *   0x80 RW  DMA source, 0x88 DMA destination, 0x90 DMA count (64-bit)
 *   0x98 RW  DMA command: 0x1 start, 0x2 buffer->bus (else bus->buffer),
 *            0x4 interrupt when done.  The transfer completes 100 ms of
 *            virtual time later; a command write while one runs is ignored.
 *   0x40000  the 4 KiB DMA buffer, as bus-side DMA addresses of the engine
 * Registers below 0x80 take 4-byte accesses, the DMA registers 4 or 8.
 *
 * A transfer outside the buffer is a guest error: logged and not done
 * (QEMU's edu kills the VM here; a hostile guest must not be able to).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "qemu/log.h"
#include "hw/misc/edu.h"
#include "trace.h"

#define EDU_DMA_TIME_NS     (100 * SCALE_MS)

static bool edu_buffer_range_ok(EduEngine *e, uint64_t start, uint64_t cnt)
{
    if (start < EDU_DMA_START || cnt > EDU_DMA_SIZE ||
        start - EDU_DMA_START > EDU_DMA_SIZE - cnt) {
        qemu_log_mask(LOG_GUEST_ERROR, "%s: DMA range 0x%" PRIx64
                      "+0x%" PRIx64 " outside the buffer 0x%x+0x%x\n",
                      e->name, start, cnt, EDU_DMA_START, EDU_DMA_SIZE);
        return false;
    }
    return true;
}

static uint64_t edu_clamp_addr(EduEngine *e, uint64_t addr)
{
    if (addr & ~e->dma_mask) {
        qemu_log_mask(LOG_GUEST_ERROR, "%s: DMA address 0x%" PRIx64
                      " outside dma_mask 0x%" PRIx64 ", truncated\n",
                      e->name, addr, e->dma_mask);
    }
    return addr & e->dma_mask;
}

static void edu_dma_timer(void *opaque)
{
    EduEngine *e = opaque;
    bool to_bus = e->dma.cmd & EDU_DMA_TO_PCI;
    uint64_t buf_addr = to_bus ? e->dma.src : e->dma.dst;
    uint64_t bus_addr = edu_clamp_addr(e, to_bus ? e->dma.dst : e->dma.src);
    bool ok = false;

    if (!(e->dma.cmd & EDU_DMA_RUN)) {
        return;
    }
    if (edu_buffer_range_ok(e, buf_addr, e->dma.cnt)) {
        ok = e->dma_fn(e->opaque, bus_addr,
                       e->dma_buf + (buf_addr - EDU_DMA_START), e->dma.cnt,
                       to_bus);
    }
    trace_edu_dma_done(e->name, bus_addr, e->dma.cnt, to_bus, ok);
    e->dma.cmd &= ~EDU_DMA_RUN;
    if (e->dma.cmd & EDU_DMA_IRQ_ON_DONE) {
        e->irq_status |= EDU_DMA_IRQ;
    }
}

static uint32_t edu_factorial(uint32_t n)
{
    uint32_t f = 1;

    for (uint32_t i = 2; i <= n && f; i++) {
        f *= i;     /* wraps modulo 2^32, as the reference device does */
    }
    return f;
}

uint64_t edu_engine_read(EduEngine *e, uint64_t addr, unsigned size)
{
    if (addr >= EDU_DMA_START && addr < EDU_DMA_START + EDU_DMA_SIZE) {
        uint64_t v = 0;

        if (addr + size > EDU_DMA_START + EDU_DMA_SIZE) {
            return ~0ULL;
        }
        for (unsigned i = 0; i < size; i++) {
            v = v << 8 | e->dma_buf[addr - EDU_DMA_START + i];
        }
        return v;
    }
    if ((addr < 0x80 && size != 4) || (size != 4 && size != 8)) {
        return ~0ULL;
    }
    switch (addr) {
    case 0x00: return EDU_IDENT;
    case 0x04: return e->liveness;
    case 0x08: return e->fact;
    case 0x20: return e->status;
    case 0x24: return e->irq_status;
    case 0x80: return e->dma.src;
    case 0x88: return e->dma.dst;
    case 0x90: return e->dma.cnt;
    case 0x98: return e->dma.cmd;
    default: return ~0ULL;
    }
}

static void edu_dma_reg_write(EduEngine *e, uint64_t *reg, uint64_t val)
{
    /* The engine's registers are frozen while a transfer runs. */
    if (!(e->dma.cmd & EDU_DMA_RUN)) {
        *reg = val;
    }
}

static void edu_ctrl_write(EduEngine *e, uint64_t addr, uint32_t val)
{
    switch (addr) {
    case 0x04:
        e->liveness = ~val;
        break;
    case 0x08:
        if (!(e->status & EDU_STATUS_COMPUTING)) {
            e->fact = edu_factorial(val);
            if (e->status & EDU_STATUS_IRQFACT) {
                e->irq_status |= EDU_FACT_IRQ;
            }
        }
        break;
    case 0x20:
        e->status = (e->status & EDU_STATUS_COMPUTING) |
                    (val & EDU_STATUS_IRQFACT);
        break;
    case 0x60:
        e->irq_status |= val;
        break;
    case 0x64:
        e->irq_status &= ~val;
        break;
    }
}

void edu_engine_write(EduEngine *e, uint64_t addr, uint64_t val,
                      unsigned size)
{
    if (addr >= EDU_DMA_START && addr < EDU_DMA_START + EDU_DMA_SIZE) {
        for (unsigned i = 0; i < size &&
             addr - EDU_DMA_START + i < EDU_DMA_SIZE; i++) {
            e->dma_buf[addr - EDU_DMA_START + i] = val >> (8 * (size - 1 - i));
        }
        return;
    }
    if ((addr < 0x80 && size != 4) || (size != 4 && size != 8)) {
        return;
    }
    switch (addr) {
    case 0x80:
        edu_dma_reg_write(e, &e->dma.src, val);
        break;
    case 0x88:
        edu_dma_reg_write(e, &e->dma.dst, val);
        break;
    case 0x90:
        edu_dma_reg_write(e, &e->dma.cnt, val);
        break;
    case 0x98:
        if ((val & EDU_DMA_RUN) && !(e->dma.cmd & EDU_DMA_RUN)) {
            int64_t now = qemu_clock_get_ns();

            e->dma.cmd = val;
            /* A qtest client may have set the clock near INT64_MAX. */
            timer_mod(&e->dma_timer, now > INT64_MAX - EDU_DMA_TIME_NS ?
                      INT64_MAX : now + EDU_DMA_TIME_NS);
        }
        break;
    default:
        edu_ctrl_write(e, addr, val);
        break;
    }
}

void edu_engine_init(EduEngine *e, const char *name, EduDmaFn *dma_fn,
                     void *opaque)
{
    uint64_t mask = e->dma_mask;

    memset(e, 0, sizeof(*e));
    e->dma_mask = mask;
    e->name = name;
    e->dma_fn = dma_fn;
    e->opaque = opaque;
    timer_init_ns(&e->dma_timer, edu_dma_timer, e);
}

void edu_engine_reset(EduEngine *e)
{
    timer_del(&e->dma_timer);
    e->liveness = e->fact = e->status = e->irq_status = 0;
    memset(&e->dma, 0, sizeof(e->dma));
}

void edu_engine_finalize(EduEngine *e)
{
    timer_del(&e->dma_timer);
}
