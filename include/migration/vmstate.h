/*
 * Declarative device state for migration, after QEMU's VMState.
 *
 * DOC: VMState contract
 *
 * A VMStateDescription names a state struct of its own (size) and lists
 * its fields with their wire types; the field offsets are into that
 * struct, never into the device.  The state struct is the section's wire
 * image, nothing more: plain values, and what a custom field's get()
 * allocates (freed by its release()).  It holds no pointer into a device.
 *
 * Saving: the saver allocates a zeroed state struct, export(state, live)
 * fills it from the device, and the fields are written from it.  Two
 * exceptions read the device directly, both read-only: an EQUAL field is
 * written from the device member named by its live_offset, and a custom
 * field's put() gets the device too (a TCE table streams its store's runs
 * without copying them).
 *
 * Loading: the loader allocates a zeroed state struct, init(state, live)
 * sets the defaults that absent fields and subsections leave, and the
 * fields are read into it: versions, booleans, max and EQUAL (against the
 * device) are checked as they come.  Then validate(state, live) checks the
 * values as a whole; live is the device, which it only reads.  Validation
 * runs for every section as it arrives and again before applying, and
 * changes nothing, so a stream can be refused at any point with the
 * destination as it was.  Applying calls post_load(live, state), which is
 * the only hook that changes the device: embedded structs' first, in field
 * order, then the section's own.  The state struct is then released.
 *
 * A load pass is one walk over a stream's sections: validating them as
 * they arrive, applying them at the end, or putting them back after a
 * refusal.  validate() gets the pass, where a device type that must check
 * one section against another of the same pass (a PHB's second DMA window
 * against its first, as the stream has it) keeps scratch data of its own
 * (vmstate_pass_scratch()).  The loader owns the pass and frees it, and
 * the scratch data with it, when the pass ends, loaded or refused:
 * nothing a stream brings outlives its pass.
 *
 * VMS_STRUCT embeds another description's state struct at offset; its
 * hooks see the same live object (a QOM parent class's description,
 * PCIDevice inside a PCI device).  A subsection is fields only, stored in
 * its parent's state struct: the parent's hooks cover them.
 *
 * Compatibility: a field added later carries the version that introduced
 * it; optional state goes in a subsection whose needed() decides whether
 * it is sent, so streams for the common case stay loadable by older
 * destinations.  A destination refuses a section whose version is newer
 * than its own or older than minimum_version_id, and an unknown
 * subsection.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MIGRATION_VMSTATE_H
#define MIGRATION_VMSTATE_H

#include "migration/qemu-file.h"

typedef struct VMStateDescription VMStateDescription;
typedef struct VMStateField VMStateField;
typedef struct VMStateLoadPass VMStateLoadPass;

typedef enum VMStateType {
    VMS_END,
    VMS_BOOL,
    VMS_UINT8,
    VMS_UINT16,
    VMS_UINT32,
    VMS_UINT64,
    VMS_BUFFER,         /* size bytes, verbatim */
    VMS_STRUCT,         /* an embedded state struct described by vmsd */
    VMS_CUSTOM,         /* put/get callbacks */
} VMStateType;

struct VMStateField {
    const char *name;
    VMStateType type;
    size_t offset;              /* in the state struct */
    size_t live_offset;         /* EQUAL: the device member it must equal */
    size_t size;                /* VMS_BUFFER */
    int version_id;             /* first section version that has it */
    bool equal;                 /* must equal the destination's value */
    uint64_t max;               /* when non-zero: the largest valid value */
    const VMStateDescription *vmsd;     /* VMS_STRUCT */
    void (*put)(MigWriter *w, const void *state, const void *live,
                const VMStateField *f);
    /* Reads into the state struct; false with errp set. */
    bool (*get)(MigReader *r, void *state, const VMStateField *f,
                Error **errp);
    /* Releases what get() allocated in the state struct. */
    void (*release)(void *state, const VMStateField *f);
};

struct VMStateDescription {
    const char *name;
    int version_id;
    int minimum_version_id;
    size_t size;                /* bytes of the state struct */
    /* Subsections: sent only when needed(live) says so. */
    bool (*needed)(const void *live);
    /* Saving: fills the state struct from the device. */
    void (*export)(void *state, const void *live);
    /* Loading, before the fields: defaults for what the stream may omit. */
    void (*init)(void *state, const void *live);
    /* Checks the loaded state as a whole; changes nothing. */
    bool (*validate)(const void *state, const void *live, int version_id,
                     VMStateLoadPass *pass, Error **errp);
    /* Applies the validated state to the device. */
    bool (*post_load)(void *live, const void *state, int version_id,
                      Error **errp);
    const VMStateField *fields;
    const VMStateDescription *const *subsections;
};

#define VMSTATE_FIELD(_n, _st, _f, _t, _v) { \
    .name = (_n), .type = (_t), .offset = offsetof(_st, _f), \
    .version_id = (_v) }

#define VMSTATE_BOOL(_f, _st)   VMSTATE_FIELD(#_f, _st, _f, VMS_BOOL, 0)
#define VMSTATE_UINT8(_f, _st)  VMSTATE_FIELD(#_f, _st, _f, VMS_UINT8, 0)
#define VMSTATE_UINT16(_f, _st) VMSTATE_FIELD(#_f, _st, _f, VMS_UINT16, 0)
#define VMSTATE_UINT32(_f, _st) VMSTATE_FIELD(#_f, _st, _f, VMS_UINT32, 0)
#define VMSTATE_UINT64(_f, _st) VMSTATE_FIELD(#_f, _st, _f, VMS_UINT64, 0)
#define VMSTATE_UINT32_V(_f, _st, _v) \
    VMSTATE_FIELD(#_f, _st, _f, VMS_UINT32, _v)
#define VMSTATE_BOOL_V(_f, _st, _v) VMSTATE_FIELD(#_f, _st, _f, VMS_BOOL, _v)
/* _f of the state struct _st, sent from and equal to _f of the device _lt */
#define VMSTATE_UINT32_EQUAL(_f, _st, _lt) { \
    .name = #_f, .type = VMS_UINT32, .offset = offsetof(_st, _f), \
    .live_offset = offsetof(_lt, _f), .equal = true }
#define VMSTATE_UINT64_EQUAL(_f, _st, _lt) { \
    .name = #_f, .type = VMS_UINT64, .offset = offsetof(_st, _f), \
    .live_offset = offsetof(_lt, _f), .equal = true }
#define VMSTATE_UINT32_MAX(_f, _st, _max) { \
    .name = #_f, .type = VMS_UINT32, .offset = offsetof(_st, _f), \
    .max = (_max) }
#define VMSTATE_UINT64_MAX(_f, _st, _max) { \
    .name = #_f, .type = VMS_UINT64, .offset = offsetof(_st, _f), \
    .max = (_max) }
#define VMSTATE_BUFFER(_f, _st) { \
    .name = #_f, .type = VMS_BUFFER, .offset = offsetof(_st, _f), \
    .size = sizeof(((_st *)0)->_f) }
#define VMSTATE_STRUCT(_f, _st, _vmsd) { \
    .name = #_f, .type = VMS_STRUCT, .offset = offsetof(_st, _f), \
    .vmsd = &(_vmsd) }
#define VMSTATE_END_OF_LIST() { .type = VMS_END }

/* Writes the section body of the device live. */
void vmstate_save(MigWriter *w, const VMStateDescription *vmsd,
                  const void *live);
/*
 * Reads one section body of version_id (all of r) into a fresh state
 * struct and validates it against live; with apply, post_load() then
 * applies it.  Without apply nothing changes.
 */
bool vmstate_load(MigReader *r, const VMStateDescription *vmsd, void *live,
                  int version_id, bool apply, Error **errp);
/* The same, as one section of the load pass pass (vmstate_load: alone). */
bool vmstate_load_in_pass(VMStateLoadPass *pass, MigReader *r,
                          const VMStateDescription *vmsd, void *live,
                          int version_id, bool apply, Error **errp);

VMStateLoadPass *vmstate_pass_new(void);
/* Ends the pass: every scratch object is destroyed. */
void vmstate_pass_free(VMStateLoadPass *pass);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(VMStateLoadPass, vmstate_pass_free)
/*
 * The scratch object of owner (a device type's description) in this
 * pass: made by create() on first use, destroyed by destroy() when the
 * pass ends.
 */
void *vmstate_pass_scratch(VMStateLoadPass *pass,
                           const VMStateDescription *owner,
                           void *(*create)(void), GDestroyNotify destroy);

/*
 * Sections: (idstr, instance_id) name one device's state in the stream.
 * Devices whose class has a vmsd are registered by qdev at realize with
 * the next free instance id for that name; others register themselves
 * (a TCE table uses its LIOBN).
 */
void vmstate_register(uint32_t instance_id, const VMStateDescription *vmsd,
                      void *opaque);
void vmstate_register_auto(const VMStateDescription *vmsd, void *opaque);
void vmstate_unregister(const VMStateDescription *vmsd, void *opaque);

typedef struct SaveStateEntry {
    char *idstr;
    uint32_t instance_id;
    const VMStateDescription *vmsd;
    void *opaque;
} SaveStateEntry;

/* Calls fn for each registered section in registration order. */
int vmstate_foreach(int (*fn)(SaveStateEntry *se, void *opaque),
                    void *opaque);
SaveStateEntry *vmstate_find(const char *idstr, uint32_t instance_id);

#endif
