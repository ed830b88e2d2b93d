/*
 * What the qdev unit tests share: test device types (a device with a
 * property of each kind, a subclass, separate types for -global, a
 * bridge with a child bus, a fixed device, a bus that refuses some
 * addresses) and the log of what their hooks did.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TESTS_UNIT_QDEV_TEST_TYPES_H
#define TESTS_UNIT_QDEV_TEST_TYPES_H

#include "hw/qdev-core.h"

#define TYPE_TEST_DEV "test-qdev-dev"
#define TYPE_TEST_SUBDEV "test-qdev-subdev"
#define TYPE_TEST_GDEV "test-qdev-gdev"
#define TYPE_TEST_GSUBDEV "test-qdev-gsubdev"
#define TYPE_TEST_BRIDGE "test-qdev-bridge"
#define TYPE_TEST_FIXED "test-qdev-fixed"
#define TYPE_TEST_BUS "test-qdev-bus"

typedef struct TestDev {
    DeviceState parent_obj;

    bool flag;
    uint8_t u8;
    uint16_t u16;
    uint32_t u32;
    int32_t i32;
    uint64_t u64;
    uint64_t sz;
    char *str;
    int32_t addr;
    bool fail;
    uint8_t extra;
    BusState *bus;              /* the bridge's child bus */
} TestDev;

#define TEST_DEV(obj) ((TestDev *)(obj))

/* TYPE_TEST_DEV's properties, and those TYPE_TEST_SUBDEV adds. */
extern Property test_dev_props[];
extern Property test_subdev_props[];

/* "what:id;" per realize, unrealize, reset and finalize, in order. */
extern GString *qdev_events;

/*
 * Registers the types (a test binary's own: not from a constructor, so
 * other unit tests linking this file do not see them) and starts the log.
 */
void qdev_test_types_register(void);

#endif
