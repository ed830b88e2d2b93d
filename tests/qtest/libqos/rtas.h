/*
 * RTAS and hypercall helpers for qtests: arguments go through a scratch
 * buffer in guest RAM, as a guest's RTAS calls would.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef LIBQOS_RTAS_H
#define LIBQOS_RTAS_H

#include "libqtest.h"

#define QRTAS_SCRATCH       0x10000000ULL   /* args; rets at +0x100 */
#define QRTAS_MAX_CELLS     16
#define QRTAS_UNTOUCHED     0xdeadbeefU

#define BUID_PHB(i)         (0x800000020000000ULL + (i))
#define LIOBN_PHB(i, n)     (0x80000000U | ((i) << 8) | (n))
#define RTAS_SUCCESS        0
#define RTAS_HW_ERROR       -1
#define RTAS_PARAM_ERROR    -3

#define H_SUCCESS_U         0ULL
#define H_FUNCTION_U        ((uint64_t)-2)
#define H_PARAMETER_U       ((uint64_t)-4)
#define H_GET_TCE           0x1C
#define H_PUT_TCE           0x20
#define H_STUFF_TCE         0x138
#define H_PUT_TCE_INDIRECT  0x13C

/*
 * Calls an RTAS function with nargs cells; fills rets[0..nret-1] (cells
 * the call did not write read back as QRTAS_UNTOUCHED).  Returns the
 * qtest answer (0, or 2^64-4 for an unknown name).
 */
uint64_t qrtas_call(QTestState *s, const char *name, int nargs,
                    const uint32_t *args, int nret, uint32_t *rets);

/* DDW helpers: status in rets[0]; returns rets[0] as a signed int. */
int qrtas_query(QTestState *s, uint64_t buid, int nret, uint32_t *rets);
int qrtas_create(QTestState *s, uint64_t buid, uint32_t page_shift,
                 uint32_t window_shift, uint32_t *liobn, uint64_t *start);
int qrtas_remove(QTestState *s, uint32_t liobn);
int qrtas_reset(QTestState *s, uint64_t buid);
int qrtas_read_pci_config(QTestState *s, uint64_t buid, uint32_t addr,
                          uint32_t size, uint32_t *val);
int qrtas_write_pci_config(QTestState *s, uint64_t buid, uint32_t addr,
                           uint32_t size, uint32_t val);

/* TCE hypercalls: return r3; H_GET_TCE's value goes to *tce. */
uint64_t qh_put_tce(QTestState *s, uint64_t liobn, uint64_t ioba,
                    uint64_t tce);
uint64_t qh_get_tce(QTestState *s, uint64_t liobn, uint64_t ioba,
                    uint64_t *tce);
uint64_t qh_stuff_tce(QTestState *s, uint64_t liobn, uint64_t ioba,
                      uint64_t tce, uint64_t npages);
uint64_t qh_put_tce_indirect(QTestState *s, uint64_t liobn, uint64_t ioba,
                             uint64_t list, uint64_t npages);

#endif
