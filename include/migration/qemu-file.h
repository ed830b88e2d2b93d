/*
 * Byte buffers for the migration stream: a growing writer and a bounded
 * reader.  All multi-byte numbers are big-endian on the wire.  A reader
 * that runs past its end (or is told the data is bad) stays failed: every
 * later read returns zeros, so parsers check once at the end of a unit.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MIGRATION_QEMU_FILE_H
#define MIGRATION_QEMU_FILE_H

typedef struct MigWriter {
    GByteArray *buf;
} MigWriter;

typedef struct MigReader {
    const uint8_t *data;
    size_t len;
    size_t pos;
    bool failed;
} MigReader;

void mig_put_u8(MigWriter *w, uint8_t v);
void mig_put_be16(MigWriter *w, uint16_t v);
void mig_put_be32(MigWriter *w, uint32_t v);
void mig_put_be64(MigWriter *w, uint64_t v);
void mig_put_bytes(MigWriter *w, const void *p, size_t len);
/* A string of at most 255 bytes, length-prefixed. */
void mig_put_str(MigWriter *w, const char *s);

void mig_reader_init(MigReader *r, const uint8_t *data, size_t len);
uint8_t mig_get_u8(MigReader *r);
uint32_t mig_get_be32(MigReader *r);
uint64_t mig_get_be64(MigReader *r);
/* Returns a pointer into the data (NULL when fewer than len bytes remain). */
const uint8_t *mig_get_bytes(MigReader *r, size_t len);
/* Copies a length-prefixed string into buf (256 bytes); false if bad. */
bool mig_get_str(MigReader *r, char buf[256]);
size_t mig_remaining(const MigReader *r);

#endif
