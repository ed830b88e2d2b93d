/*
 * VMState: writing and reading device state through the state struct its
 * description names (include/migration/vmstate.h, DOC: VMState contract),
 * and the list of registered sections.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "qemu/bswap.h"
#include "qemu/log.h"
#include "migration/vmstate.h"
#include "trace.h"

#define VMSTATE_SUBSECTION_END  0
#define VMSTATE_SUBSECTION      1
#define VMSTATE_MAX_DEPTH       8

static GList *savevm_handlers;      /* SaveStateEntry, registration order */

static uint64_t vmstate_scalar_ld(VMStateType t, const void *p);
static void vmstate_release(const VMStateDescription *vmsd, void *state);
static void vmstate_save_state(MigWriter *w, const VMStateDescription *vmsd,
                               void *state, const void *live);

/* An EQUAL field is sent from the device, any other from the state. */
static void vmstate_put_field(MigWriter *w, const VMStateField *f,
                              void *state, const void *live)
{
    const void *p = f->equal ? (const uint8_t *)live + f->live_offset
                             : (const uint8_t *)state + f->offset;

    switch (f->type) {
    case VMS_BOOL:
    case VMS_UINT8:
        mig_put_u8(w, vmstate_scalar_ld(f->type, p));
        break;
    case VMS_UINT16:
        mig_put_be16(w, vmstate_scalar_ld(f->type, p));
        break;
    case VMS_UINT32:
        mig_put_be32(w, vmstate_scalar_ld(f->type, p));
        break;
    case VMS_UINT64:
        mig_put_be64(w, vmstate_scalar_ld(f->type, p));
        break;
    case VMS_BUFFER:
        mig_put_bytes(w, p, f->size);
        break;
    case VMS_STRUCT:
        vmstate_save_state(w, f->vmsd, (uint8_t *)state + f->offset, live);
        break;
    case VMS_CUSTOM:
        f->put(w, state, live, f);
        break;
    case VMS_END:
        break;
    }
}

static void vmstate_save_state(MigWriter *w, const VMStateDescription *vmsd,
                               void *state, const void *live)
{
    if (vmsd->export) {
        vmsd->export(state, live);
    }
    for (const VMStateField *f = vmsd->fields; f->type != VMS_END; f++) {
        vmstate_put_field(w, f, state, live);
    }
    for (int i = 0; vmsd->subsections && vmsd->subsections[i]; i++) {
        const VMStateDescription *sub = vmsd->subsections[i];

        if (sub->needed && !sub->needed(live)) {
            continue;
        }
        mig_put_u8(w, VMSTATE_SUBSECTION);
        mig_put_str(w, sub->name);
        mig_put_be32(w, sub->version_id);
        vmstate_save_state(w, sub, state, live);
    }
    mig_put_u8(w, VMSTATE_SUBSECTION_END);
}

void vmstate_save(MigWriter *w, const VMStateDescription *vmsd,
                  const void *live)
{
    void *state = g_malloc0(vmsd->size);

    vmstate_save_state(w, vmsd, state, live);
    vmstate_release(vmsd, state);
    g_free(state);
}

static unsigned vmstate_scalar_size(VMStateType t)
{
    switch (t) {
    case VMS_BOOL:
    case VMS_UINT8:
        return 1;
    case VMS_UINT16:
        return 2;
    case VMS_UINT32:
        return 4;
    default:
        return 8;
    }
}

static uint64_t vmstate_scalar_ld(VMStateType t, const void *p)
{
    switch (t) {
    case VMS_BOOL:
        return *(const bool *)p;
    case VMS_UINT8:
        return *(const uint8_t *)p;
    case VMS_UINT16:
        return *(const uint16_t *)p;
    case VMS_UINT32:
        return *(const uint32_t *)p;
    default:
        return *(const uint64_t *)p;
    }
}

static void vmstate_scalar_st(VMStateType t, void *p, uint64_t v)
{
    switch (t) {
    case VMS_BOOL:
        *(bool *)p = v;
        break;
    case VMS_UINT8:
        *(uint8_t *)p = v;
        break;
    case VMS_UINT16:
        *(uint16_t *)p = v;
        break;
    case VMS_UINT32:
        *(uint32_t *)p = v;
        break;
    default:
        *(uint64_t *)p = v;
        break;
    }
}

/* Reads a scalar field; checks EQUAL (against the device), max, bools. */
static bool vmstate_get_scalar(MigReader *r, const VMStateDescription *vmsd,
                               const VMStateField *f, void *state,
                               const void *live, Error **errp)
{
    uint64_t v, cur;
    const uint8_t *b = mig_get_bytes(r, vmstate_scalar_size(f->type));

    if (!b) {
        error_setg(errp, "%s.%s: stream truncated", vmsd->name, f->name);
        return false;
    }
    v = ldn_be_p(b, vmstate_scalar_size(f->type));
    if (f->type == VMS_BOOL && v > 1) {
        error_setg(errp, "%s.%s: %" PRIu64 " is not a boolean", vmsd->name,
                   f->name, v);
        return false;
    }
    if (f->max && v > f->max) {
        error_setg(errp, "%s.%s: %" PRIu64 " exceeds %" PRIu64, vmsd->name,
                   f->name, v, f->max);
        return false;
    }
    if (f->equal) {
        cur = vmstate_scalar_ld(f->type,
                                (const uint8_t *)live + f->live_offset);
        if (v != cur) {
            error_setg(errp, "%s.%s: 0x%" PRIx64 " in the stream, 0x%"
                       PRIx64 " here", vmsd->name, f->name, v, cur);
            return false;
        }
    }
    vmstate_scalar_st(f->type, (uint8_t *)state + f->offset, v);
    return true;
}

/* What a section's reading carries down into its embedded structs. */
typedef struct VMStateLoadCtx {
    MigReader *r;
    VMStateLoadPass *pass;
    const void *live;
} VMStateLoadCtx;

static bool vmstate_load_depth(VMStateLoadCtx *c,
                               const VMStateDescription *vmsd, void *state,
                               int version_id, int depth, Error **errp);

static bool vmstate_get_field(VMStateLoadCtx *c,
                              const VMStateDescription *vmsd,
                              const VMStateField *f, void *state, int depth,
                              Error **errp)
{
    MigReader *r = c->r;
    const uint8_t *b;

    switch (f->type) {
    case VMS_BUFFER:
        b = mig_get_bytes(r, f->size);
        if (!b) {
            error_setg(errp, "%s.%s: stream truncated", vmsd->name, f->name);
            return false;
        }
        memcpy((uint8_t *)state + f->offset, b, f->size);
        return true;
    case VMS_STRUCT:
        return vmstate_load_depth(c, f->vmsd, (uint8_t *)state + f->offset,
                                  f->vmsd->version_id, depth + 1, errp);
    case VMS_CUSTOM:
        return f->get(r, state, f, errp);
    default:
        return vmstate_get_scalar(r, vmsd, f, state, c->live, errp);
    }
}

static const VMStateDescription *
vmstate_find_subsection(const VMStateDescription *vmsd, const char *name)
{
    for (int i = 0; vmsd->subsections && vmsd->subsections[i]; i++) {
        if (!strcmp(vmsd->subsections[i]->name, name)) {
            return vmsd->subsections[i];
        }
    }
    return NULL;
}

static bool vmstate_load_subsections(VMStateLoadCtx *c,
                                     const VMStateDescription *vmsd,
                                     void *state, int depth, Error **errp)
{
    MigReader *r = c->r;

    for (;;) {
        uint8_t tag = mig_get_u8(r);
        const VMStateDescription *sub;
        char name[256];
        uint32_t version;

        if (r->failed) {
            error_setg(errp, "%s: stream truncated", vmsd->name);
            return false;
        }
        if (tag == VMSTATE_SUBSECTION_END) {
            return true;
        }
        if (tag != VMSTATE_SUBSECTION || !mig_get_str(r, name)) {
            error_setg(errp, "%s: bad subsection header", vmsd->name);
            return false;
        }
        sub = vmstate_find_subsection(vmsd, name);
        if (!sub) {
            g_autofree char *esc = g_strescape(name, NULL);  /* peer bytes */

            error_setg(errp, "%s: unknown subsection '%s'", vmsd->name, esc);
            return false;
        }
        version = mig_get_be32(r);
        if (!vmstate_load_depth(c, sub, state, version, depth + 1, errp)) {
            return false;
        }
    }
}

static void vmstate_release(const VMStateDescription *vmsd, void *state)
{
    for (const VMStateField *f = vmsd->fields; f->type != VMS_END; f++) {
        if (f->type == VMS_STRUCT) {
            vmstate_release(f->vmsd, (uint8_t *)state + f->offset);
        } else if (f->release) {
            f->release(state, f);
        }
    }
    for (int i = 0; vmsd->subsections && vmsd->subsections[i]; i++) {
        vmstate_release(vmsd->subsections[i], state);
    }
}

/* Reads and validates; the device (live) is only read. */
static bool vmstate_load_depth(VMStateLoadCtx *c,
                               const VMStateDescription *vmsd, void *state,
                               int version_id, int depth, Error **errp)
{
    bool ok = true;

    if (depth > VMSTATE_MAX_DEPTH || version_id > vmsd->version_id ||
        version_id < vmsd->minimum_version_id) {
        error_setg(errp, "%s: version %d not supported (%d..%d)", vmsd->name,
                   version_id, vmsd->minimum_version_id, vmsd->version_id);
        return false;
    }
    trace_vmstate_load(vmsd->name, version_id);
    if (vmsd->init) {
        vmsd->init(state, c->live);
    }
    for (const VMStateField *f = vmsd->fields; ok && f->type != VMS_END;
         f++) {
        if (f->version_id <= version_id) {
            ok = vmstate_get_field(c, vmsd, f, state, depth, errp);
        }
    }
    ok = ok && vmstate_load_subsections(c, vmsd, state, depth, errp);
    return ok && (!vmsd->validate ||
                  vmsd->validate(state, c->live, version_id, c->pass, errp));
}

/* post_load: embedded structs first, in field order, then the section. */
static bool vmstate_apply(const VMStateDescription *vmsd, const void *state,
                          void *live, int version_id, Error **errp)
{
    trace_vmstate_apply(vmsd->name, version_id);
    for (const VMStateField *f = vmsd->fields; f->type != VMS_END; f++) {
        if (f->type == VMS_STRUCT && f->version_id <= version_id &&
            !vmstate_apply(f->vmsd, (const uint8_t *)state + f->offset,
                           live, f->vmsd->version_id, errp)) {
            return false;
        }
    }
    return !vmsd->post_load || vmsd->post_load(live, state, version_id, errp);
}

bool vmstate_load_in_pass(VMStateLoadPass *pass, MigReader *r,
                          const VMStateDescription *vmsd, void *live,
                          int version_id, bool apply, Error **errp)
{
    VMStateLoadCtx c = { .r = r, .pass = pass, .live = live };
    void *state = g_malloc0(vmsd->size);
    bool ok = vmstate_load_depth(&c, vmsd, state, version_id, 0, errp);

    if (ok && mig_remaining(r)) {
        error_setg(errp, "%zu bytes left over", mig_remaining(r));
        ok = false;
    }
    ok = ok && (!apply || vmstate_apply(vmsd, state, live, version_id, errp));
    vmstate_release(vmsd, state);
    g_free(state);
    return ok;
}

bool vmstate_load(MigReader *r, const VMStateDescription *vmsd, void *live,
                  int version_id, bool apply, Error **errp)
{
    g_autoptr(VMStateLoadPass) pass = vmstate_pass_new();

    return vmstate_load_in_pass(pass, r, vmsd, live, version_id, apply,
                                errp);
}

/* Load passes: scratch objects by owner, destroyed with the pass. */

struct VMStateLoadPass {
    GHashTable *scratch;        /* owner -> VMStatePassScratch */
};

typedef struct VMStatePassScratch {
    void *data;
    GDestroyNotify destroy;
} VMStatePassScratch;

static void vmstate_pass_scratch_free(gpointer p)
{
    VMStatePassScratch *sc = p;

    sc->destroy(sc->data);
    g_free(sc);
}

VMStateLoadPass *vmstate_pass_new(void)
{
    VMStateLoadPass *pass = g_new0(VMStateLoadPass, 1);

    pass->scratch = g_hash_table_new_full(NULL, NULL, NULL,
                                          vmstate_pass_scratch_free);
    return pass;
}

void vmstate_pass_free(VMStateLoadPass *pass)
{
    if (pass) {
        g_hash_table_unref(pass->scratch);
        g_free(pass);
    }
}

void *vmstate_pass_scratch(VMStateLoadPass *pass,
                           const VMStateDescription *owner,
                           void *(*create)(void), GDestroyNotify destroy)
{
    VMStatePassScratch *sc = g_hash_table_lookup(pass->scratch, owner);

    if (!sc) {
        sc = g_new(VMStatePassScratch, 1);
        sc->data = create();
        sc->destroy = destroy;
        g_hash_table_insert(pass->scratch, (gpointer)owner, sc);
    }
    return sc->data;
}

/*
 * A description's shape, checked once when registered: every one but a
 * subsection names a state struct, and a subsection is fields only (its
 * parent's hooks cover them).
 */
static void vmstate_check_description(const VMStateDescription *vmsd,
                                      bool subsection)
{
    g_assert(subsection || vmsd->size);
    g_assert(!subsection || (!vmsd->export && !vmsd->init &&
                             !vmsd->validate && !vmsd->post_load));
    for (const VMStateField *f = vmsd->fields; f->type != VMS_END; f++) {
        if (f->type == VMS_STRUCT) {
            vmstate_check_description(f->vmsd, false);
        }
    }
    for (int i = 0; vmsd->subsections && vmsd->subsections[i]; i++) {
        vmstate_check_description(vmsd->subsections[i], true);
    }
}

/* Registration */

static uint32_t vmstate_next_instance(const char *idstr)
{
    uint32_t id = 0;

    for (GList *l = savevm_handlers; l; l = l->next) {
        SaveStateEntry *se = l->data;

        if (!strcmp(se->idstr, idstr) && se->instance_id >= id) {
            id = se->instance_id + 1;
        }
    }
    return id;
}

void vmstate_register(uint32_t instance_id, const VMStateDescription *vmsd,
                      void *opaque)
{
    SaveStateEntry *se = g_new0(SaveStateEntry, 1);

    vmstate_check_description(vmsd, false);
    se->idstr = g_strdup(vmsd->name);
    se->instance_id = instance_id;
    se->vmsd = vmsd;
    se->opaque = opaque;
    savevm_handlers = g_list_append(savevm_handlers, se);
}

void vmstate_register_auto(const VMStateDescription *vmsd, void *opaque)
{
    vmstate_register(vmstate_next_instance(vmsd->name), vmsd, opaque);
}

void vmstate_unregister(const VMStateDescription *vmsd, void *opaque)
{
    for (GList *l = savevm_handlers; l; l = l->next) {
        SaveStateEntry *se = l->data;

        if (se->vmsd == vmsd && se->opaque == opaque) {
            savevm_handlers = g_list_delete_link(savevm_handlers, l);
            g_free(se->idstr);
            g_free(se);
            return;
        }
    }
}

int vmstate_foreach(int (*fn)(SaveStateEntry *se, void *opaque),
                    void *opaque)
{
    for (GList *l = savevm_handlers; l; l = l->next) {
        int ret = fn(l->data, opaque);

        if (ret) {
            return ret;
        }
    }
    return 0;
}

SaveStateEntry *vmstate_find(const char *idstr, uint32_t instance_id)
{
    for (GList *l = savevm_handlers; l; l = l->next) {
        SaveStateEntry *se = l->data;

        if (se->instance_id == instance_id && !strcmp(se->idstr, idstr)) {
            return se;
        }
    }
    return NULL;
}
