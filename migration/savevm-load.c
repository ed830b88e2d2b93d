/*
 * The incoming stream, loaded as it arrives.
 *
 * DOC: streaming load
 *
 * Bytes are fed in pieces of any size (a socket read, a buffer).  After
 * the header, a zlib stream is inflated a chunk at a time; the plain
 * bytes are cut into records, and only an incomplete record is kept
 * between two pieces.  So memory does not grow with the stream:
 *
 * - RAM page records are checked and written into guest RAM at once.
 *   The pages written are remembered (with what a page that was not
 *   blank held before, migration/ram-load.c), and a stream refused at
 *   any point, or abandoned, has them put back.
 * - Device records are read as they arrive into a fresh state struct per
 *   device and validated against the device, which nothing changes
 *   (include/migration/vmstate.h), and kept, all of them together under
 *   MIG_DEVICE_STATE_MAX.  At the end record they are applied; a device
 *   that refuses its state then (a VFIO host rejecting a window) has
 *   every device loaded so far put back from a snapshot taken just
 *   before, and the RAM discarded: a refused stream leaves the
 *   destination as it was.  Each of these walks (validating as records
 *   arrive, applying, putting back) is a load pass of its own, which
 *   validate() sees and which ends with its walk, whatever the outcome.
 * - The plain stream as a whole is bounded by what the source can send
 *   for this RAM size (every precopy round sending all of RAM, plus the
 *   device state): past it a stream is hostile.
 *
 * Counters are 64-bit throughout: a stream of many GiB is ordinary.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include <zlib.h>
#include "qemu/bswap.h"
#include "migration/vmstate.h"
#include "migration/ram.h"
#include "migration/savevm.h"
#include "trace.h"

#define MIG_INFLATE_CHUNK   (64u << 10)
#define MIG_COMPACT_AT      (1u << 20)
/* precopy rounds of the source (migration-outgoing.c), the first included */
#define MIG_MAX_SOURCE_ROUNDS 9

typedef enum MigLoadStage {
    LOAD_HEADER,
    LOAD_RECORDS,
    LOAD_END,           /* end record seen */
    LOAD_DONE,          /* applied */
    LOAD_REFUSED,
} MigLoadStage;

typedef struct MigDeviceRec {
    SaveStateEntry *se;
    uint32_t version;
    size_t len;
    uint8_t body[];
} MigDeviceRec;

struct MigLoad {
    bool apply_ram, apply_devices;
    MigLoadStage stage;
    uint8_t hdr[MIG_HEADER_SIZE];
    unsigned hdr_len;
    bool zlib, z_end;
    z_stream zs;
    GByteArray *pend;           /* an incomplete record */
    size_t pend_pos;
    bool have_layout;
    uint64_t raw_bytes, plain_bytes, plain_limit, rec_offset;
    uint64_t device_bytes, device_limit;
    GPtrArray *devices;         /* MigDeviceRec, stream order */
    VMStateLoadPass *arrival;   /* the pass validating records as they come */
    GHashTable *seen;           /* SaveStateEntry already in the stream */
    RamLoadState ram;
};

static uint64_t savevm_load_plain_limit(uint64_t device_limit)
{
    RamBlockInfo blocks[MIG_RAM_MAX_BLOCKS];
    unsigned n = ram_blocks_collect(blocks);
    uint64_t pages = 0;

    for (unsigned i = 0; i < n; i++) {
        pages += blocks[i].size >> MIG_PAGE_SHIFT;
    }
    pages = MIN(pages, 1ULL << 32);     /* 16 TiB: far below overflow */
    return pages * (MIG_PAGE_SIZE + 9) * MIG_MAX_SOURCE_ROUNDS +
           device_limit + (1u << 20);
}

MigLoad *savevm_load_new(unsigned what, uint64_t device_limit)
{
    MigLoad *l = g_new0(MigLoad, 1);

    l->apply_ram = what & MIG_LOAD_RAM;
    l->apply_devices = what & MIG_LOAD_DEVICES;
    l->pend = g_byte_array_new();
    l->devices = g_ptr_array_new_with_free_func(g_free);
    l->seen = g_hash_table_new(NULL, NULL);
    l->arrival = vmstate_pass_new();
    l->device_limit = device_limit ? device_limit : MIG_DEVICE_STATE_MAX;
    l->plain_limit = savevm_load_plain_limit(l->device_limit);
    return l;
}

void savevm_load_set_plain_limit(MigLoad *l, uint64_t limit)
{
    l->plain_limit = MIN(limit, l->plain_limit);
}

void savevm_load_set_saved_limit(MigLoad *l, uint64_t limit)
{
    l->ram.saved_max = MIN(limit, MIG_RAM_SAVED_MAX);
}

bool savevm_load_ended(const MigLoad *l)
{
    return l->stage == LOAD_END && (!l->zlib || l->z_end);
}

uint64_t savevm_load_bytes(const MigLoad *l)
{
    return l->raw_bytes;
}

/* Drops what a refused or abandoned stream wrote. */
static bool savevm_load_refuse(MigLoad *l)
{
    if (l->stage == LOAD_REFUSED) {
        return false;
    }
    trace_migration_load_refused(l->raw_bytes, l->plain_bytes);
    l->stage = LOAD_REFUSED;
    if (l->apply_ram) {
        ram_load_discard(&l->ram);
    }
    ram_load_cleanup(&l->ram);
    g_clear_pointer(&l->arrival, vmstate_pass_free);
    g_ptr_array_set_size(l->devices, 0);
    g_byte_array_set_size(l->pend, 0);
    l->pend_pos = 0;
    return false;
}

void savevm_load_free(MigLoad *l)
{
    if (!l) {
        return;
    }
    if (l->stage != LOAD_DONE) {
        savevm_load_refuse(l);
    }
    if (l->zlib) {
        inflateEnd(&l->zs);
    }
    g_byte_array_unref(l->pend);
    g_ptr_array_unref(l->devices);
    g_hash_table_unref(l->seen);
    vmstate_pass_free(l->arrival);
    g_free(l);
}

static bool savevm_load_header(MigLoad *l, Error **errp)
{
    uint32_t flags = ldl_be_p(l->hdr + 8);

    if (ldl_be_p(l->hdr) != MIG_MAGIC || ldl_be_p(l->hdr + 4) != MIG_VERSION) {
        error_setg(errp, "not a spapr-ddw migration stream of version %d",
                   MIG_VERSION);
        return false;
    }
    if (flags & ~MIG_FLAG_ZLIB) {
        error_setg(errp, "unknown stream flags 0x%x", flags);
        return false;
    }
    if (flags & MIG_FLAG_ZLIB) {
        if (inflateInit(&l->zs) != Z_OK) {
            error_setg(errp, "zlib: cannot initialise");
            return false;
        }
        l->zlib = true;
    }
    l->stage = LOAD_RECORDS;
    return true;
}

/* The length of the record at p, once its header is there (else 0). */
static bool savevm_record_size(MigLoad *l, const uint8_t *p, size_t avail,
                               uint64_t *need, Error **errp)
{
    uint64_t body, hl;

    *need = 0;
    if (!l->have_layout && p[0] != MIG_REC_RAM_BLOCKS) {
        error_setg(errp, "stream does not start with the RAM layout");
        return false;
    }
    switch (p[0]) {
    case MIG_REC_RAM_BLOCKS:
        if (l->have_layout) {
            error_setg(errp, "RAM layout given twice");
            return false;
        }
        if (avail >= 5) {
            if (ldl_be_p(p + 1) > MIG_RAM_MAX_BLOCKS) {
                error_setg(errp, "RAM: %u blocks in the stream",
                           ldl_be_p(p + 1));
                return false;
            }
            *need = 5 + 16ULL * ldl_be_p(p + 1);
        }
        return true;
    case MIG_REC_RAM_PAGE:
        if (avail >= 9) {
            *need = 9 + ((ldq_be_p(p + 1) & MIG_PAGE_ZERO) ? 0
                                                            : MIG_PAGE_SIZE);
        }
        return true;
    case MIG_REC_DEVICE:
        hl = avail >= 2 ? 2u + p[1] + 12u : UINT64_MAX;
        if (avail < hl) {
            return true;
        }
        body = ldl_be_p(p + hl - 4);
        if (body > l->device_limit - l->device_bytes) {
            error_setg(errp, "device state of more than %" PRIu64 " bytes",
                       l->device_limit);
            return false;
        }
        *need = hl + body;
        return true;
    case MIG_REC_EOF:
        *need = 1;
        return true;
    default:
        error_setg(errp, "unknown record type 0x%x at offset %" PRIu64, p[0],
                   l->rec_offset);
        return false;
    }
}

/* One section body, all of it: validated, then applied with apply. */
static bool savevm_load_section_body(VMStateLoadPass *pass,
                                     SaveStateEntry *se, MigReader *body,
                                     uint32_t version, bool apply,
                                     Error **errp)
{
    return vmstate_load_in_pass(pass, body, se->vmsd, se->opaque, version,
                                apply, errp);
}

/* A device record: validated now, kept for the end. */
static bool savevm_load_device(MigLoad *l, MigReader *r, Error **errp)
{
    char idstr[256];
    g_autofree char *name = NULL;
    uint32_t instance, version, len;
    const uint8_t *data;
    SaveStateEntry *se;
    MigDeviceRec *rec;
    MigReader body;
    Error *err = NULL;

    if (!mig_get_str(r, idstr)) {
        error_setg(errp, "bad device section header");
        return false;
    }
    name = g_strescape(idstr, NULL);    /* the peer's bytes, for humans */
    instance = mig_get_be32(r);
    version = mig_get_be32(r);
    len = mig_get_be32(r);
    data = mig_get_bytes(r, len);
    se = vmstate_find(idstr, instance);
    if (!se) {
        error_setg(errp, "unknown section %s, instance %u", name, instance);
        return false;
    }
    if (!data || !g_hash_table_add(l->seen, se)) {
        error_setg(errp, "section %s.%u %s", name, instance,
                   data ? "appears twice" : "truncated");
        return false;
    }
    trace_migration_load_section(name, instance, version, len, true);
    mig_reader_init(&body, data, len);
    if (!savevm_load_section_body(l->arrival, se, &body, version, false,
                                  &err)) {
        error_setg(errp, "section %s.%u: %s", name, instance,
                   error_get_pretty(err));
        error_free(err);
        return false;
    }
    rec = g_malloc(sizeof(*rec) + len);
    rec->se = se;
    rec->version = version;
    rec->len = len;
    memcpy(rec->body, data, len);
    g_ptr_array_add(l->devices, rec);
    l->device_bytes += len;
    return true;
}

static bool savevm_load_record(MigLoad *l, MigReader *r, Error **errp)
{
    switch (mig_get_u8(r)) {
    case MIG_REC_RAM_BLOCKS:
        l->have_layout = true;
        return ram_load_blocks(&l->ram, r, errp);
    case MIG_REC_RAM_PAGE:
        return ram_load_page(&l->ram, r, !l->apply_ram, errp);
    case MIG_REC_DEVICE:
        return savevm_load_device(l, r, errp);
    default:    /* MIG_REC_EOF: savevm_record_size knows no other */
        l->stage = LOAD_END;
        g_clear_pointer(&l->arrival, vmstate_pass_free);
        return true;
    }
}

/* Loads the whole records in p[0..avail); *used: bytes they took. */
static bool savevm_load_records(MigLoad *l, const uint8_t *p, size_t avail,
                                size_t *used, Error **errp)
{
    size_t pos = 0;
    uint64_t need;

    while (pos < avail) {
        MigReader r;

        if (l->stage == LOAD_END) {
            error_setg(errp, "data after the end record");
            return false;
        }
        if (!savevm_record_size(l, p + pos, avail - pos, &need, errp)) {
            return false;
        }
        if (!need || need > avail - pos) {
            break;
        }
        mig_reader_init(&r, p + pos, need);
        if (!savevm_load_record(l, &r, errp)) {
            return false;
        }
        pos += need;
        l->rec_offset += need;
    }
    *used = pos;
    return true;
}

/* Plain stream bytes: records cut out, an incomplete one kept. */
static bool savevm_load_plain(MigLoad *l, const uint8_t *data, size_t len,
                              Error **errp)
{
    size_t used;

    if (len > l->plain_limit - l->plain_bytes) {
        error_setg(errp, "stream larger than any valid one for this machine "
                   "(%" PRIu64 " bytes)", l->plain_limit);
        return false;
    }
    l->plain_bytes += len;
    if (l->pend_pos == l->pend->len) {
        g_byte_array_set_size(l->pend, 0);
        l->pend_pos = 0;
        if (!savevm_load_records(l, data, len, &used, errp)) {
            return false;
        }
        g_byte_array_append(l->pend, data + used, len - used);
        return true;
    }
    g_byte_array_append(l->pend, data, len);
    if (!savevm_load_records(l, l->pend->data + l->pend_pos,
                             l->pend->len - l->pend_pos, &used, errp)) {
        return false;
    }
    l->pend_pos += used;
    if (l->pend_pos >= MIG_COMPACT_AT || l->pend_pos == l->pend->len) {
        g_byte_array_remove_range(l->pend, 0, l->pend_pos);
        l->pend_pos = 0;
    }
    return true;
}

/* zlib: inflated a chunk at a time, each chunk counted against the cap. */
static bool savevm_load_inflate(MigLoad *l, const uint8_t *data, size_t len,
                                Error **errp)
{
    g_autofree uint8_t *chunk = NULL;
    int ret;

    if (!len) {
        return true;
    }
    if (l->z_end) {
        error_setg(errp, "data after the end of the compressed stream");
        return false;
    }
    chunk = g_malloc(MIG_INFLATE_CHUNK);
    l->zs.next_in = (Bytef *)data;
    l->zs.avail_in = len;
    do {
        l->zs.next_out = chunk;
        l->zs.avail_out = MIG_INFLATE_CHUNK;
        ret = inflate(&l->zs, Z_NO_FLUSH);
        if (ret != Z_OK && ret != Z_STREAM_END && ret != Z_BUF_ERROR) {
            error_setg(errp, "zlib: compressed stream is corrupt");
            return false;
        }
        if (!savevm_load_plain(l, chunk, MIG_INFLATE_CHUNK - l->zs.avail_out,
                               errp)) {
            return false;
        }
    } while (ret == Z_OK && (l->zs.avail_in || !l->zs.avail_out));
    if (ret == Z_STREAM_END) {
        l->z_end = true;
        if (l->zs.avail_in) {
            error_setg(errp, "data after the end of the compressed stream");
            return false;
        }
    }
    return true;
}

bool savevm_load_feed(MigLoad *l, const uint8_t *data, size_t len,
                      Error **errp)
{
    bool ok;

    if (l->stage == LOAD_REFUSED || l->stage == LOAD_DONE) {
        error_setg(errp, "the stream was already %s",
                   l->stage == LOAD_DONE ? "loaded" : "refused");
        return false;
    }
    l->raw_bytes += len;
    if (l->stage == LOAD_HEADER) {
        size_t n = MIN(len, MIG_HEADER_SIZE - l->hdr_len);

        memcpy(l->hdr + l->hdr_len, data, n);
        l->hdr_len += n;
        data += n;
        len -= n;
        if (l->hdr_len < MIG_HEADER_SIZE) {
            return true;
        }
        if (!savevm_load_header(l, errp)) {
            return savevm_load_refuse(l);
        }
    }
    ok = l->zlib ? savevm_load_inflate(l, data, len, errp)
                 : savevm_load_plain(l, data, len, errp);
    return ok || savevm_load_refuse(l);
}

/* Puts back devices [0, upto] from their snapshots. */
static void savevm_load_rollback(MigLoad *l, GPtrArray *snaps, guint upto)
{
    g_autoptr(VMStateLoadPass) pass = vmstate_pass_new();

    for (guint i = upto + 1; i-- > 0;) {
        MigDeviceRec *rec = g_ptr_array_index(l->devices, i);
        GByteArray *snap = g_ptr_array_index(snaps, i);
        Error *err = NULL;
        MigReader r;

        trace_migration_load_rollback(rec->se->idstr, rec->se->instance_id);
        mig_reader_init(&r, snap->data, snap->len);
        if (!savevm_load_section_body(pass, rec->se, &r,
                                      rec->se->vmsd->version_id, true,
                                      &err)) {
            error_report("migration: %s.%u could not be restored: %s",
                         rec->se->idstr, rec->se->instance_id,
                         error_get_pretty(err));
            error_free(err);
        }
    }
}

/* Applies the device records; on a refusal, puts everything back. */
static bool savevm_load_apply_devices(MigLoad *l, Error **errp)
{
    g_autoptr(GPtrArray) snaps =
        g_ptr_array_new_with_free_func((GDestroyNotify)g_byte_array_unref);
    g_autoptr(VMStateLoadPass) pass = vmstate_pass_new();

    for (guint i = 0; i < l->devices->len; i++) {
        MigDeviceRec *rec = g_ptr_array_index(l->devices, i);
        MigWriter w = { .buf = g_byte_array_new() };

        vmstate_save(&w, rec->se->vmsd, rec->se->opaque);
        g_ptr_array_add(snaps, w.buf);
    }
    for (guint i = 0; i < l->devices->len; i++) {
        MigDeviceRec *rec = g_ptr_array_index(l->devices, i);
        Error *err = NULL;
        MigReader r;

        trace_migration_load_section(rec->se->idstr, rec->se->instance_id,
                                     rec->version, rec->len, false);
        mig_reader_init(&r, rec->body, rec->len);
        if (!savevm_load_section_body(pass, rec->se, &r, rec->version, true,
                                      &err)) {
            error_setg(errp, "section %s.%u: %s", rec->se->idstr,
                       rec->se->instance_id, error_get_pretty(err));
            error_free(err);
            savevm_load_rollback(l, snaps, i);
            return false;
        }
    }
    return true;
}

bool savevm_load_finish(MigLoad *l, Error **errp)
{
    if (l->stage == LOAD_REFUSED || l->stage == LOAD_DONE) {
        return savevm_load_feed(l, NULL, 0, errp);
    }
    if (l->stage == LOAD_HEADER) {
        error_setg(errp, "not a spapr-ddw migration stream of version %d",
                   MIG_VERSION);
        return savevm_load_refuse(l);
    }
    if (l->stage != LOAD_END) {
        error_setg(errp, l->zlib && !l->z_end
                   ? "zlib: compressed stream is corrupt or truncated"
                   : l->plain_bytes ? "stream truncated (no end record)"
                   : "stream truncated after its header");
        return savevm_load_refuse(l);
    }
    if (l->apply_devices && !savevm_load_apply_devices(l, errp)) {
        return savevm_load_refuse(l);
    }
    trace_migration_load_applied(l->raw_bytes, l->ram.pages_written,
                                 l->device_bytes);
    l->stage = LOAD_DONE;
    ram_load_cleanup(&l->ram);
    g_ptr_array_set_size(l->devices, 0);
    return true;
}
