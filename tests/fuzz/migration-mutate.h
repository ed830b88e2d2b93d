/*
 * Stream mutations shared by the migration load fuzzer and its unit test:
 * bit flips, truncation, interesting 32-bit values, spliced chunks and
 * random tails, all derived from one valid stream.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TESTS_FUZZ_MIGRATION_MUTATE_H
#define TESTS_FUZZ_MIGRATION_MUTATE_H

#include <glib.h>

static inline void mig_fuzz_put_be32(uint8_t *p, uint32_t v)
{
    p[0] = v >> 24;
    p[1] = v >> 16;
    p[2] = v >> 8;
    p[3] = v;
}

/* A mutated copy of good (g_byte_array_unref it). */
static inline GByteArray *mig_fuzz_mutate(GRand *r, const GByteArray *good)
{
    static const uint32_t interesting[] = {
        0, 1, 2, 0x7f, 0x80, 0xff, 0x1000, 0xffff, 0x80000000, 0x80000001,
        0x7fffffff, 0xfffffffe, 0xffffffff,
    };
    GByteArray *b = g_byte_array_sized_new(good->len + 64);
    int rounds = g_rand_int_range(r, 1, 5);

    g_byte_array_append(b, good->data, good->len);
    for (int i = 0; i < rounds && b->len > 8; i++) {
        guint32 at = g_rand_int_range(r, 0, b->len);

        switch (g_rand_int_range(r, 0, 6)) {
        case 0:     /* bit flip */
            b->data[at] ^= 1u << g_rand_int_range(r, 0, 8);
            break;
        case 1:     /* truncation */
            g_byte_array_set_size(b, at);
            break;
        case 2:     /* an interesting number */
            if (at + 4 <= b->len) {
                mig_fuzz_put_be32(b->data + at, interesting[
                    g_rand_int_range(r, 0, G_N_ELEMENTS(interesting))]);
            }
            break;
        case 3: {   /* a chunk copied elsewhere */
            guint32 from = g_rand_int_range(r, 0, b->len);
            guint32 len = MIN((guint32)g_rand_int_range(r, 1, 64),
                              MIN(b->len - from, b->len - at));

            memmove(b->data + at, b->data + from, len);
            break;
        }
        case 4:     /* a random byte */
            b->data[at] = g_rand_int_range(r, 0, 256);
            break;
        default: {  /* random tail */
            guint32 len = g_rand_int_range(r, 1, 32);

            g_byte_array_set_size(b, at);
            for (guint32 j = 0; j < len; j++) {
                uint8_t v = g_rand_int_range(r, 0, 256);

                g_byte_array_append(b, &v, 1);
            }
            break;
        }
        }
    }
    return b;
}

#endif
