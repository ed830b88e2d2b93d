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
 * The loader (savevm-load.c) takes the stream as it arrives: RAM pages
 * are written at once, device sections validated as they come and applied
 * at the end record; a refusal discards what was written.  A stream held
 * in one buffer is read three times instead: a checking pass that
 * changes nothing, then the devices, then RAM.  See docs/devel/migration.md.
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

/*
 * A stream in a buffer, into a destination that may not be blank (tests,
 * fuzzing): a checking pass, then the devices (rolled back if one
 * refuses), and only then RAM, which can no longer be refused.
 */
bool savevm_load_stream(const uint8_t *data, size_t len, Error **errp)
{
    static const unsigned passes[] = {
        MIG_LOAD_CHECK, MIG_LOAD_DEVICES, MIG_LOAD_RAM,
    };

    for (size_t i = 0; i < G_N_ELEMENTS(passes); i++) {
        MigLoad *l = savevm_load_new(passes[i], 0);
        bool ok = savevm_load_feed(l, data, len, errp) &&
                  savevm_load_finish(l, errp);

        savevm_load_free(l);
        if (!ok) {
            return false;
        }
    }
    return true;
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
