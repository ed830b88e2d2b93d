/*
 * JSON integers from 2^63 to 2^64 - 1 in json-glib trees, exactly:
 * "DOC: JSON unsigned integers" (util/json-uint.c).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef QEMU_JSON_UINT_H
#define QEMU_JSON_UINT_H

#include <json-glib/json-glib.h>

/* v as an integer node: a plain one up to INT64_MAX, else a tagged one. */
JsonNode *qemu_json_uint_node(uint64_t v);
bool qemu_json_is_uint_tag(JsonNode *n);
/* A non-negative integer or a tagged one. */
bool qemu_json_get_uint(JsonNode *n, uint64_t *v);
/* An integer (tagged or not) as decimal text, else NULL (g_free). */
char *qemu_json_number_text(JsonNode *n);

#endif
