/*
 * Stream assembly and loading.
 *
 * DOC: stream format
 *
 * header   be32 magic "SDDW", be32 version (1), be32 flags (bit 0: what
 *          follows is one zlib stream)
 * records  u8 type, then:
 *   0x01 RAM blocks   be32 n, n x (be64 guest address, be64 size); first
 *   0x02 RAM page     be64 address | 1 if zero page, then 4096 bytes unless
 *                     zero
 *   0x03 device       u8 len + idstr, be32 instance id, be32 version,
 *                     be32 body length, body (VMState fields in order,
 *                     then subsections: u8 1, name, be32 version, fields,
 *                     ... and u8 0)
 *   0x04 EOF          nothing may follow
 *
 * The loader reads the stream twice: the first pass checks every record
 * (RAM addresses, device sections through a dry run into scratch copies)
 * and changes nothing; only if the whole stream passes does the second
 * pass write RAM and load devices.  See docs/devel/migration.md.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include <zlib.h>
#include "qemu/bswap.h"
#include "migration/vmstate.h"
#include "migration/ram.h"
#include "migration/migration.h"
#include "migration/savevm.h"
#include "trace.h"

/* A stream may repeat pages across rounds, not grow without bound. */
#define MIG_MAX_PLAIN_EXTRA (256ULL << 20)

void savevm_put_header(MigWriter *w, uint32_t flags)
{
    mig_put_be32(w, MIG_MAGIC);
    mig_put_be32(w, MIG_VERSION);
    mig_put_be32(w, flags);
}

static int savevm_put_section(SaveStateEntry *se, void *opaque)
{
    MigWriter *w = opaque;
    MigWriter body = { .buf = g_byte_array_new() };

    vmstate_save(&body, se->vmsd, se->opaque);
    mig_put_u8(w, MIG_REC_DEVICE);
    mig_put_str(w, se->idstr);
    mig_put_be32(w, se->instance_id);
    mig_put_be32(w, se->vmsd->version_id);
    mig_put_be32(w, body.buf->len);
    mig_put_bytes(w, body.buf->data, body.buf->len);
    trace_migration_save_section(se->idstr, se->instance_id, body.buf->len);
    g_byte_array_unref(body.buf);
    return 0;
}

void savevm_put_devices(MigWriter *w)
{
    vmstate_foreach(savevm_put_section, w);
    mig_put_u8(w, MIG_REC_EOF);
}

static bool savevm_load_section_body(SaveStateEntry *se, MigReader *body,
                                     uint32_t version, bool dry_run,
                                     Error **errp)
{
    const VMStateDescription *vmsd = se->vmsd;
    g_autofree void *scratch = NULL;
    bool ok;

    if (dry_run) {
        scratch = g_memdup2(se->opaque, vmsd->size);
    }
    ok = vmstate_load(body, vmsd, dry_run ? scratch : se->opaque, se->opaque,
                      version, dry_run, errp);
    if (ok && mig_remaining(body)) {
        error_setg(errp, "%zu bytes left over", mig_remaining(body));
        ok = false;
    }
    return ok;
}

/* One device record; seen tracks sections already loaded (no repeats). */
static bool savevm_load_device(MigReader *r, GHashTable *seen, bool dry_run,
                               Error **errp)
{
    char idstr[256];
    uint32_t instance, version, len;
    const uint8_t *data;
    SaveStateEntry *se;
    MigReader body;
    Error *err = NULL;

    if (!mig_get_str(r, idstr)) {
        error_setg(errp, "bad device section header");
        return false;
    }
    instance = mig_get_be32(r);
    version = mig_get_be32(r);
    len = mig_get_be32(r);
    data = mig_get_bytes(r, len);
    if (!data) {
        error_setg(errp, "section %s.%u: truncated", idstr, instance);
        return false;
    }
    se = vmstate_find(idstr, instance);
    if (!se) {
        error_setg(errp, "unknown section %s, instance %u", idstr, instance);
        return false;
    }
    if (!g_hash_table_add(seen, se)) {
        error_setg(errp, "section %s.%u appears twice", idstr, instance);
        return false;
    }
    trace_migration_load_section(idstr, instance, version, len, dry_run);
    mig_reader_init(&body, data, len);
    if (!savevm_load_section_body(se, &body, version, dry_run, &err)) {
        error_setg(errp, "section %s.%u: %s", idstr, instance,
                   error_get_pretty(err));
        error_free(err);
        return false;
    }
    return true;
}

/* One record after the RAM layout. */
static bool savevm_load_record(MigReader *r, uint8_t type, GHashTable *seen,
                               bool dry_run, Error **errp)
{
    switch (type) {
    case MIG_REC_RAM_BLOCKS:
        error_setg(errp, "RAM layout given twice");
        return false;
    case MIG_REC_RAM_PAGE:
        return ram_load_page(r, dry_run, errp);
    case MIG_REC_DEVICE:
        return savevm_load_device(r, seen, dry_run, errp);
    default:
        error_setg(errp, "unknown record type 0x%x at offset %zu", type,
                   r->pos - 1);
        return false;
    }
}

/* One pass over the records. */
static bool savevm_load_records(MigReader *r, bool dry_run, Error **errp)
{
    g_autoptr(GHashTable) seen = g_hash_table_new(NULL, NULL);

    if (mig_get_u8(r) != MIG_REC_RAM_BLOCKS) {
        error_setg(errp, r->failed ? "stream truncated after its header"
                         : "stream does not start with the RAM layout");
        return false;
    }
    if (!ram_load_blocks(r, errp)) {
        return false;
    }
    for (;;) {
        uint8_t type = mig_get_u8(r);

        if (r->failed) {
            error_setg(errp, "stream truncated (no end record)");
            return false;
        }
        if (type == MIG_REC_EOF) {
            if (mig_remaining(r)) {
                error_setg(errp, "data after the end record");
                return false;
            }
            return true;
        }
        if (!savevm_load_record(r, type, seen, dry_run, errp)) {
            return false;
        }
    }
}

/* Inflates a zlib body, refusing to grow past limit bytes. */
static GByteArray *savevm_inflate(const uint8_t *data, size_t len,
                                  uint64_t limit, Error **errp)
{
    GByteArray *out = g_byte_array_new();
    z_stream zs = { 0 };
    uint8_t chunk[65536];
    int ret;

    if (inflateInit(&zs) != Z_OK) {
        error_setg(errp, "zlib: cannot initialise");
        return g_byte_array_free(out, true), NULL;
    }
    zs.next_in = (Bytef *)data;
    zs.avail_in = len;
    do {
        zs.next_out = chunk;
        zs.avail_out = sizeof(chunk);
        ret = inflate(&zs, Z_NO_FLUSH);
        g_byte_array_append(out, chunk, sizeof(chunk) - zs.avail_out);
        if (out->len > limit) {
            ret = Z_MEM_ERROR;
        }
    } while (ret == Z_OK && (zs.avail_in || !zs.avail_out));
    inflateEnd(&zs);
    if (ret != Z_STREAM_END) {
        error_setg(errp, "zlib: compressed stream is corrupt or truncated");
        g_byte_array_free(out, true);
        return NULL;
    }
    return out;
}

static uint64_t savevm_max_plain_size(void)
{
    RamBlockInfo blocks[MIG_RAM_MAX_BLOCKS];
    unsigned n = ram_blocks_collect(blocks);
    uint64_t ram = 0;

    for (unsigned i = 0; i < n; i++) {
        ram += blocks[i].size;
    }
    return MIN(ram, 1ULL << 40) * 2 + MIG_MAX_PLAIN_EXTRA;
}

bool savevm_load_stream(const uint8_t *data, size_t len, Error **errp)
{
    g_autoptr(GByteArray) plain = NULL;
    MigReader r;
    uint32_t flags;

    mig_reader_init(&r, data, len);
    if (mig_get_be32(&r) != MIG_MAGIC || mig_get_be32(&r) != MIG_VERSION) {
        error_setg(errp, "not a spapr-ddw migration stream of version %d",
                   MIG_VERSION);
        return false;
    }
    flags = mig_get_be32(&r);
    if (r.failed || (flags & ~MIG_FLAG_ZLIB)) {
        error_setg(errp, "unknown stream flags 0x%x", flags);
        return false;
    }
    if (flags & MIG_FLAG_ZLIB) {
        plain = savevm_inflate(data + r.pos, len - r.pos,
                               savevm_max_plain_size(), errp);
        if (!plain) {
            return false;
        }
        mig_reader_init(&r, plain->data, plain->len);
    } else {
        mig_reader_init(&r, data + r.pos, len - r.pos);
    }
    if (!savevm_load_records(&r, true, errp)) {
        return false;
    }
    mig_reader_init(&r, r.data, r.len);
    return savevm_load_records(&r, false, errp);
}

GByteArray *migration_save_to_buffer(bool compress)
{
    MigWriter w = { .buf = g_byte_array_new() };
    GByteArray *out = g_byte_array_new();
    MigWriter hdr = { .buf = out };
    RamSaveState *rs = g_new0(RamSaveState, 1);

    mig_put_u8(&w, MIG_REC_RAM_BLOCKS);
    ram_save_setup(rs, &w);
    ram_save_iterate(rs, &w, SIZE_MAX);
    ram_save_cleanup(rs);
    g_free(rs);
    savevm_put_devices(&w);
    savevm_put_header(&hdr, compress ? MIG_FLAG_ZLIB : 0);
    if (compress) {
        uLongf len = compressBound(w.buf->len);
        size_t at = out->len;

        g_byte_array_set_size(out, at + len);
        compress2(out->data + at, &len, w.buf->data, w.buf->len,
                  Z_DEFAULT_COMPRESSION);
        g_byte_array_set_size(out, at + len);
    } else {
        g_byte_array_append(out, w.buf->data, w.buf->len);
    }
    g_byte_array_unref(w.buf);
    return out;
}

bool migration_load_from_buffer(const uint8_t *data, size_t len,
                                Error **errp)
{
    return savevm_load_stream(data, len, errp);
}
