/*
 * Strict JSON input over json-glib: "DOC: Strict JSON input"
 * (util/json-strict.c).  Used by QMP and by the command line's JSON form.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef QEMU_JSON_STRICT_H
#define QEMU_JSON_STRICT_H

#include <json-glib/json-glib.h>

/* Deepest nesting a text may have (QMP's framer uses the same bound). */
#define QEMU_JSON_MAX_DEPTH     1024

/*
 * Whether text[0..len) is one RFC 8259 JSON value with no object member
 * given twice; false with *err set ("duplicate key", ...) otherwise.
 */
bool qemu_json_check(const char *text, size_t len, const char **err);
/*
 * In a checked text whose top level is an object: member name's value as
 * text, whitespace outside strings removed (g_free), or NULL.
 */
char *qemu_json_member_text(const char *text, size_t len, const char *name);
/*
 * After the check, with root json-glib's (unsealed) tree of the same
 * text: integer literals above INT64_MAX become tagged uint64 nodes
 * (qemu/json-uint.h), those beyond the 64-bit ranges doubles.
 */
void qemu_json_fix_integers(const char *text, size_t len, JsonNode *root);

#endif
