/*
 * The migration stream: header, records, and the loader.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MIGRATION_SAVEVM_H
#define MIGRATION_SAVEVM_H

#include "migration/qemu-file.h"

#define MIG_MAGIC           0x53444457      /* "SDDW" */
#define MIG_VERSION         1
#define MIG_FLAG_ZLIB       1
#define MIG_HEADER_SIZE     12

#define MIG_REC_RAM_BLOCKS  0x01
#define MIG_REC_RAM_PAGE    0x02
#define MIG_REC_DEVICE      0x03
#define MIG_REC_EOF         0x04

void savevm_put_header(MigWriter *w, uint32_t flags);
/* Device sections (every registered one), then the EOF record. */
void savevm_put_devices(MigWriter *w);
/* Loads a whole stream (header included): validates all, then applies. */
bool savevm_load_stream(const uint8_t *data, size_t len, Error **errp);

/*
 * The streaming loader (migration/savevm-load.c): feed the stream in
 * pieces, then finish at its end.  what says what is written:
 * MIG_LOAD_RAM (pages as they arrive), MIG_LOAD_DEVICES (at the end), or
 * neither (a checking pass).  A refusal (false, errp set) is final and has
 * already discarded what the stream wrote; so does freeing a loader that
 * did not finish.  device_limit: 0 for MIG_DEVICE_STATE_MAX.
 */
#define MIG_DEVICE_STATE_MAX    (256ULL << 20)
typedef struct MigLoad MigLoad;
#define MIG_LOAD_CHECK      0
#define MIG_LOAD_RAM        1
#define MIG_LOAD_DEVICES    2
#define MIG_LOAD_ALL        (MIG_LOAD_RAM | MIG_LOAD_DEVICES)
MigLoad *savevm_load_new(unsigned what, uint64_t device_limit);
/* Tests: a smaller cap on the plain stream than this RAM size allows. */
void savevm_load_set_plain_limit(MigLoad *l, uint64_t limit);
/* A lower bound than MIG_RAM_SAVED_MAX on kept page contents (tests). */
void savevm_load_set_saved_limit(MigLoad *l, uint64_t limit);
bool savevm_load_feed(MigLoad *l, const uint8_t *data, size_t len,
                      Error **errp);
bool savevm_load_finish(MigLoad *l, Error **errp);
/* Whether the end record has arrived (finish need not wait for EOF). */
bool savevm_load_ended(const MigLoad *l);
/* Stream bytes fed so far. */
uint64_t savevm_load_bytes(const MigLoad *l);
void savevm_load_free(MigLoad *l);

#endif
