/*
 * QOM introspection shared by QMP, the human monitor and -device help.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef QOM_QOM_QMP_H
#define QOM_QOM_QMP_H

#include <json-glib/json-glib.h>
#include "qom/object.h"

/*
 * ObjectPropertyInfo objects (name, type, description, default-value) of
 * a fresh instance of typename; an unknown type is DeviceNotFound.
 */
JsonArray *qom_type_properties(const char *typename, Error **errp);

#endif
