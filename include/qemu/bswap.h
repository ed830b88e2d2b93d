/*
 * Big-endian load/store helpers (the guest is big-endian PAPR).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef QEMU_BSWAP_H
#define QEMU_BSWAP_H

static inline uint16_t lduw_be_p(const void *p)
{
    const uint8_t *b = p;
    return (uint16_t)(b[0] << 8 | b[1]);
}

static inline uint32_t ldl_be_p(const void *p)
{
    const uint8_t *b = p;
    return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
           (uint32_t)b[2] << 8 | b[3];
}

static inline uint64_t ldq_be_p(const void *p)
{
    return (uint64_t)ldl_be_p(p) << 32 | ldl_be_p((const uint8_t *)p + 4);
}

static inline void stw_be_p(void *p, uint16_t v)
{
    uint8_t *b = p;
    b[0] = v >> 8;
    b[1] = v;
}

static inline void stl_be_p(void *p, uint32_t v)
{
    uint8_t *b = p;
    b[0] = v >> 24;
    b[1] = v >> 16;
    b[2] = v >> 8;
    b[3] = v;
}

static inline void stq_be_p(void *p, uint64_t v)
{
    stl_be_p(p, v >> 32);
    stl_be_p((uint8_t *)p + 4, v);
}

static inline uint64_t ldn_le_p(const void *p, unsigned size)
{
    const uint8_t *b = p;
    uint64_t v = 0;
    for (unsigned i = size; i > 0; i--) {
        v = v << 8 | b[i - 1];
    }
    return v;
}

static inline void stn_le_p(void *p, unsigned size, uint64_t v)
{
    uint8_t *b = p;
    for (unsigned i = 0; i < size; i++) {
        b[i] = v >> (8 * i);
    }
}

static inline uint64_t ldn_be_p(const void *p, unsigned size)
{
    const uint8_t *b = p;
    uint64_t v = 0;
    for (unsigned i = 0; i < size; i++) {
        v = v << 8 | b[i];
    }
    return v;
}

static inline void stn_be_p(void *p, unsigned size, uint64_t v)
{
    uint8_t *b = p;
    for (unsigned i = 0; i < size; i++) {
        b[size - 1 - i] = v >> (8 * i);
    }
}

#endif
