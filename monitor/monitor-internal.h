/*
 * Private to monitor/: the JSON message framer, and shared helpers of the
 * QMP and human monitors.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MONITOR_INTERNAL_H
#define MONITOR_INTERNAL_H

#include "qemu/json-strict.h"
#include "monitor/qmp.h"

/* Bounds on one QMP message: a client cannot make the monitor grow more. */
#define QMP_STREAM_MAX_BYTES    (1u << 20)
#define QMP_STREAM_MAX_DEPTH    QEMU_JSON_MAX_DEPTH

/*
 * Called with each complete JSON text, or with text NULL and err set when
 * the input could not be framed (too large, too deep, unbalanced).
 */
typedef void QmpStreamEmit(void *opaque, const char *text, size_t len,
                           const char *err);

typedef struct QmpStream {
    GString *buf;
    uint64_t depth;
    bool in_string, escape;
    char quote;                 /* of the string under way: " or ' */
    bool discard;               /* dropping the rest of a refused message */
    bool recovering;            /* after a lexical error: see qmp-stream.c */
    QmpStreamEmit *emit;
    void *opaque;
} QmpStream;

void qmp_stream_init(QmpStream *s, QmpStreamEmit *emit, void *opaque);
void qmp_stream_feed(QmpStream *s, const uint8_t *buf, size_t len);
void qmp_stream_reset(QmpStream *s);
void qmp_stream_destroy(QmpStream *s);

/* One "name:TYPE" or "name:TYPE?" of an argument or member list. */
typedef struct QmpMember {
    char name[64];
    char type[64];
    bool optional;
} QmpMember;

bool qmp_member_parse(const char *spec, QmpMember *m);
/* Checks a value / an object's members against the schema (errp: why). */
bool qmp_schema_check_value(const char *type, JsonNode *n, const char *name,
                            Error **errp);
bool qmp_schema_check_members(const char *members, JsonObject *obj,
                              const char *prefix, Error **errp);
/* query-qmp-schema's SchemaInfo list, from the registered tables. */
JsonArray *qmp_schema_build(void);
/* Every type named by a command, event or type is known (tests). */
bool qmp_schema_check_tables(Error **errp);

JsonObject *qmp_version_object(void);
char *qmp_node_to_text(JsonNode *node);
/*
 * monitor/qmp-json.c: the strict check of an input text (qemu_json_check:
 * false with *err set, "duplicate key", ...), which also gives the text
 * of the top-level "id" member, whitespace removed (g_free; NULL without
 * one); and valid UTF-8 JSON output for any node.
 */
bool qmp_json_check(const char *text, size_t len, char **id_text,
                    const char **err);
char *qmp_json_to_text(JsonNode *node);
/* Whether the request (a text) is a command that waits for vCPUs. */
bool qmp_request_waits_for_vcpus(const char *text, size_t len);
/* stop and cont for both monitors (autostart while a migration comes in) */
void monitor_vm_stop(void);
void monitor_vm_cont(void);
/*
 * device_del for both monitors (monitor/device-unplug.c): an unplug
 * request, completed at once or at the next machine reset, then
 * DEVICE_DELETED.  monitor_device_added() notes a device_add.
 */
bool monitor_device_del(const char *id, Error **errp);
struct DeviceState;
void monitor_device_added(struct DeviceState *dev);
/* The QMP and human monitors' connections on the chardevs. */
bool monitor_init_qmp(const char *chardev_id, Error **errp);
bool monitor_init_hmp(const char *chardev_id, Error **errp);
/* The chardev of the monitor whose command is running (getfd), or NULL. */
typedef struct Chardev Chardev;
Chardev *monitor_cur_chardev(void);

#endif
