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

#endif
