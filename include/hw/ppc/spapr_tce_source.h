/*
 * Where TCEs come from: a list the guest wrote (H_PUT_TCE_INDIRECT), one
 * value repeated (H_PUT_TCE, H_STUFF_TCE), a progression (a migrated run,
 * a direct map), or a list read from a migration stream (big-endian).
 * One generator cuts any of them into maximal runs; a run is either a
 * progression (each entry the previous plus the page size) or a constant.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef HW_PPC_SPAPR_TCE_SOURCE_H
#define HW_PPC_SPAPR_TCE_SOURCE_H

/*
 * count entries from start: first, first + step, ...  step is 0 (a
 * constant) or the table's page size (a progression).
 */
typedef struct SpaprTceRun {
    uint64_t start;
    uint64_t count;
    uint64_t first;
    uint64_t step;
} SpaprTceRun;

/*
 * Whether next follows prev in a run of this step: a progression never
 * wraps past 2^64 (a stream could not carry it, an extent would hold zero).
 */
static inline bool spapr_tce_run_follows(uint64_t prev, uint64_t next,
                                         uint64_t step)
{
    return next == prev + step && (!step || next > prev);
}

static inline uint64_t spapr_tce_run_value(const SpaprTceRun *r, uint64_t i)
{
    return r->first + i * r->step;
}

typedef enum SpaprTceSourceKind {
    TCE_SRC_LIST,               /* host-order uint64_t array */
    TCE_SRC_LIST_BE,            /* big-endian bytes, 8 per entry */
    TCE_SRC_CONST,
    TCE_SRC_PROG,
} SpaprTceSourceKind;

typedef struct SpaprTceSource {
    SpaprTceSourceKind kind;
    uint64_t count;             /* entries */
    uint64_t page_size;         /* the progression step */
    const uint64_t *list;
    const uint8_t *be;
    uint64_t value;             /* CONST; PROG: the first entry */
    uint64_t pos;               /* generator position */
} SpaprTceSource;

void spapr_tce_source_list(SpaprTceSource *src, const uint64_t *list,
                           uint64_t n, uint64_t page_size);
void spapr_tce_source_list_be(SpaprTceSource *src, const uint8_t *be,
                              uint64_t n, uint64_t page_size);
void spapr_tce_source_const(SpaprTceSource *src, uint64_t value, uint64_t n,
                            uint64_t page_size);
/* The caller checks first + (n - 1) * page_size does not wrap. */
void spapr_tce_source_prog(SpaprTceSource *src, uint64_t first, uint64_t n,
                           uint64_t page_size);
/* Rewinds the generator. */
void spapr_tce_source_rewind(SpaprTceSource *src);
/*
 * The next maximal run (start relative to the source), false at the end.
 * A list costs one comparison per entry; a constant or progression is a
 * single run however long.
 */
bool spapr_tce_source_next(SpaprTceSource *src, SpaprTceRun *run);
/*
 * The next run of at least min entries of a list, the same runs as
 * spapr_tce_source_next() cuts, skipping shorter ones in a tight loop
 * (whoever stores the list writes those entries as they are).  A
 * constant or progression is its one run, whatever its length.
 */
bool spapr_tce_source_next_long(SpaprTceSource *src, uint64_t min,
                                SpaprTceRun *run);

#endif
