/*
 * Stream byte buffers: big-endian numbers in, bounded reads out.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "qemu/bswap.h"
#include "migration/qemu-file.h"

void mig_put_u8(MigWriter *w, uint8_t v)
{
    g_byte_array_append(w->buf, &v, 1);
}

void mig_put_be16(MigWriter *w, uint16_t v)
{
    uint8_t b[2];

    stw_be_p(b, v);
    g_byte_array_append(w->buf, b, sizeof(b));
}

void mig_put_be32(MigWriter *w, uint32_t v)
{
    uint8_t b[4];

    stl_be_p(b, v);
    g_byte_array_append(w->buf, b, sizeof(b));
}

void mig_put_be64(MigWriter *w, uint64_t v)
{
    uint8_t b[8];

    stq_be_p(b, v);
    g_byte_array_append(w->buf, b, sizeof(b));
}

void mig_put_bytes(MigWriter *w, const void *p, size_t len)
{
    g_byte_array_append(w->buf, p, len);
}

void mig_put_str(MigWriter *w, const char *s)
{
    size_t len = MIN(strlen(s), 255);

    mig_put_u8(w, len);
    mig_put_bytes(w, s, len);
}

void mig_reader_init(MigReader *r, const uint8_t *data, size_t len)
{
    r->data = data;
    r->len = len;
    r->pos = 0;
    r->failed = false;
}

size_t mig_remaining(const MigReader *r)
{
    return r->failed ? 0 : r->len - r->pos;
}

const uint8_t *mig_get_bytes(MigReader *r, size_t len)
{
    const uint8_t *p;

    if (r->failed || len > r->len - r->pos) {
        r->failed = true;
        return NULL;
    }
    p = r->data + r->pos;
    r->pos += len;
    return p;
}

uint8_t mig_get_u8(MigReader *r)
{
    const uint8_t *p = mig_get_bytes(r, 1);

    return p ? *p : 0;
}


uint32_t mig_get_be32(MigReader *r)
{
    const uint8_t *p = mig_get_bytes(r, 4);

    return p ? ldl_be_p(p) : 0;
}

uint64_t mig_get_be64(MigReader *r)
{
    const uint8_t *p = mig_get_bytes(r, 8);

    return p ? ldq_be_p(p) : 0;
}

bool mig_get_str(MigReader *r, char buf[256])
{
    uint8_t len = mig_get_u8(r);
    const uint8_t *p = mig_get_bytes(r, len);

    if (!p) {
        return false;
    }
    memcpy(buf, p, len);
    buf[len] = 0;
    return strlen(buf) == len;     /* no NUL inside a name */
}
