/*
 * QEMU-style option strings: "val,key=val,key=val" with ",," for a comma.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef QEMU_OPTION_H
#define QEMU_OPTION_H

typedef struct KeyVal {
    char *key;
    char *value;
} KeyVal;

/*
 * Parses str into an ordered array of KeyVal.  A leading element without
 * '=' gets implied_key (e.g. "driver" for -device); elsewhere it is an
 * error.  Duplicate keys are an error.
 */
GPtrArray *keyval_parse(const char *str, const char *implied_key,
                        Error **errp);
const char *keyval_get(GPtrArray *kv, const char *key);
/* Removes key and returns its value (caller frees), or NULL. */
char *keyval_take(GPtrArray *kv, const char *key);
/* The -device JSON form: {"driver":"edu","id":"x","addr":"2.0",...}. */
GPtrArray *keyval_parse_json(const char *str, Error **errp);

#endif
