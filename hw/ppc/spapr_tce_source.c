/*
 * TCE sources and the run generator (see spapr_tce_source.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "qemu/bswap.h"
#include "hw/ppc/spapr_tce_source.h"

static void source_init(SpaprTceSource *src, SpaprTceSourceKind kind,
                        uint64_t n, uint64_t page_size)
{
    memset(src, 0, sizeof(*src));
    src->kind = kind;
    src->count = n;
    src->page_size = page_size;
}

void spapr_tce_source_list(SpaprTceSource *src, const uint64_t *list,
                           uint64_t n, uint64_t page_size)
{
    source_init(src, TCE_SRC_LIST, n, page_size);
    src->list = list;
}

void spapr_tce_source_list_be(SpaprTceSource *src, const uint8_t *be,
                              uint64_t n, uint64_t page_size)
{
    source_init(src, TCE_SRC_LIST_BE, n, page_size);
    src->be = be;
}

void spapr_tce_source_const(SpaprTceSource *src, uint64_t value, uint64_t n,
                            uint64_t page_size)
{
    source_init(src, TCE_SRC_CONST, n, page_size);
    src->value = value;
}

void spapr_tce_source_prog(SpaprTceSource *src, uint64_t first, uint64_t n,
                           uint64_t page_size)
{
    source_init(src, TCE_SRC_PROG, n, page_size);
    src->value = first;
}

void spapr_tce_source_rewind(SpaprTceSource *src)
{
    src->pos = 0;
}

/*
 * How many entries from i on continue v0 by step (the caller knows entry
 * i + 1 does): the tight loop a direct map spends its time in.
 */
static uint64_t list_extend(const uint64_t *e, uint64_t i, uint64_t n,
                            uint64_t step)
{
    uint64_t k = i + 1;

    while (k < n && spapr_tce_run_follows(e[k - 1], e[k], step)) {
        k++;
    }
    return k - i;
}

static uint64_t list_be_extend(const uint8_t *be, uint64_t i, uint64_t n,
                               uint64_t step)
{
    uint64_t k = i + 1, prev = ldq_be_p(be + i * 8);

    while (k < n) {
        uint64_t v = ldq_be_p(be + k * 8);

        if (!spapr_tce_run_follows(prev, v, step)) {
            break;
        }
        prev = v;
        k++;
    }
    return k - i;
}

static uint64_t list_at(const SpaprTceSource *src, uint64_t i)
{
    return src->kind == TCE_SRC_LIST ? src->list[i] : ldq_be_p(src->be + i * 8);
}

/* A list run from pos: a progression if it continues, else a constant. */
static void list_next(SpaprTceSource *src, SpaprTceRun *run)
{
    uint64_t i = src->pos, v0 = list_at(src, i), step = 0, k = 1;

    if (i + 1 < src->count) {
        uint64_t v1 = list_at(src, i + 1);

        if (spapr_tce_run_follows(v0, v1, src->page_size) || v1 == v0) {
            step = v1 - v0;
            k = src->kind == TCE_SRC_LIST ?
                list_extend(src->list, i, src->count, step) :
                list_be_extend(src->be, i, src->count, step);
        }
    }
    run->start = i;
    run->count = k;
    run->first = v0;
    run->step = step;
}

bool spapr_tce_source_next(SpaprTceSource *src, SpaprTceRun *run)
{
    if (src->pos >= src->count) {
        return false;
    }
    switch (src->kind) {
    case TCE_SRC_LIST:
    case TCE_SRC_LIST_BE:
        list_next(src, run);
        break;
    case TCE_SRC_CONST:
    case TCE_SRC_PROG:
        run->start = 0;
        run->count = src->count;
        run->first = src->value;
        run->step = src->kind == TCE_SRC_PROG && src->count > 1 ?
                    src->page_size : 0;
        break;
    }
    src->pos = run->start + run->count;
    return true;
}

static inline uint64_t list_val(const SpaprTceSource *src, bool be,
                                uint64_t i)
{
    return be ? ldq_be_p(src->be + i * 8) : src->list[i];
}

/* The scan of spapr_tce_source_next_long(); be is a constant per call. */
static inline bool list_next_long(SpaprTceSource *src, bool be, uint64_t min,
                                  SpaprTceRun *run)
{
    uint64_t i = src->pos, n = src->count, ps = src->page_size;
    uint64_t v0 = i < n ? list_val(src, be, i) : 0;

    while (i + 1 < n) {
        uint64_t v1 = list_val(src, be, i + 1), d = v1 - v0, k = 2, last = v1;

        if (d != 0 && !spapr_tce_run_follows(v0, v1, ps)) {
            i++;
            v0 = v1;
            continue;
        }
        while (i + k < n) {
            uint64_t v = list_val(src, be, i + k);

            if (!spapr_tce_run_follows(last, v, d)) {
                break;
            }
            last = v;
            k++;
        }
        if (k >= min) {
            *run = (SpaprTceRun) { i, k, v0, d };
            src->pos = i + k;
            return true;
        }
        i += k;
        v0 = i < n ? list_val(src, be, i) : 0;
    }
    src->pos = n;
    return false;
}

bool spapr_tce_source_next_long(SpaprTceSource *src, uint64_t min,
                                SpaprTceRun *run)
{
    switch (src->kind) {
    case TCE_SRC_LIST:
        return list_next_long(src, false, min, run);
    case TCE_SRC_LIST_BE:
        return list_next_long(src, true, min, run);
    default:
        return spapr_tce_source_next(src, run);
    }
}
