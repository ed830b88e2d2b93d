/*
 * A small QEMU Object Model: types registered at startup, single
 * inheritance with class_init/instance_init, named properties with typed
 * string parsing, and a composition tree of children (QOM paths).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef QOM_OBJECT_H
#define QOM_OBJECT_H

#include "qapi/error.h"

typedef struct TypeImpl *Type;
typedef struct ObjectClass ObjectClass;
typedef struct Object Object;
typedef struct ObjectProperty ObjectProperty;
typedef struct InterfaceClass InterfaceClass;

#define TYPE_OBJECT "object"
#define TYPE_CONTAINER "container"

typedef struct TypeInfo {
    const char *name;
    const char *parent;
    size_t instance_size;
    size_t class_size;
    bool abstract;
    void (*class_init)(ObjectClass *klass, void *data);
    void (*class_base_init)(ObjectClass *klass, void *data);
    void (*instance_init)(Object *obj);
    void (*instance_post_init)(Object *obj);
    void (*instance_finalize)(Object *obj);
    void *class_data;
} TypeInfo;

struct ObjectClass {
    Type type;
    /* User creatable objects (-object, object-add) complete here. */
    bool (*complete)(Object *obj, Error **errp);
    /* Optional one-line description for -device help / -object help. */
    const char *desc;
};

struct Object {
    ObjectClass *class;
    Object *parent;
    GHashTable *properties;   /* name -> ObjectProperty */
    GPtrArray *prop_order;    /* ObjectProperty, in creation order */
    uint32_t ref;
};

/* A property value as read back (qom-get, info qtree). */
typedef enum PropKind {
    PROP_KIND_BOOL,
    PROP_KIND_UINT,
    PROP_KIND_INT,
    PROP_KIND_STR,
} PropKind;

typedef struct PropValue {
    PropKind kind;
    bool b;
    uint64_t u;
    int64_t i;
    char *s;            /* owned; freed by prop_value_clear() */
} PropValue;

typedef bool ObjectPropertyGet(Object *obj, ObjectProperty *prop,
                               PropValue *v, Error **errp);
/* Every property is set from its string form (command line, JSON, QMP). */
typedef bool ObjectPropertySet(Object *obj, ObjectProperty *prop,
                               const char *str, Error **errp);
typedef void ObjectPropertyRelease(Object *obj, ObjectProperty *prop);

struct ObjectProperty {
    char *name;
    char *type;
    char *description;
    char *default_str;
    ObjectPropertyGet *get;
    ObjectPropertySet *set;
    ObjectPropertyRelease *release;
    void *opaque;
};

/* Types */
Type type_register_static(const TypeInfo *info);
ObjectClass *object_class_by_name(const char *typename);
ObjectClass *object_class_dynamic_cast(ObjectClass *klass,
                                       const char *typename);
ObjectClass *object_class_get_parent(ObjectClass *klass);
const char *object_class_get_name(ObjectClass *klass);
bool object_class_is_abstract(ObjectClass *klass);
/* Non-abstract classes deriving from implements_type, sorted by name. */
GSList *object_class_get_list(const char *implements_type,
                              bool include_abstract);
void object_class_foreach(void (*fn)(ObjectClass *klass, void *opaque),
                          const char *implements_type, bool include_abstract,
                          void *opaque);

#define DEFINE_TYPES(type_array)                                   \
    static void do_qemu_init_##type_array(void)                    \
    {                                                              \
        for (size_t i_ = 0; i_ < ARRAY_SIZE(type_array); i_++) {   \
            type_register_static(&type_array[i_]);                 \
        }                                                          \
    }                                                              \
    type_init(do_qemu_init_##type_array)

/* Objects */
Object *object_new(const char *typename);
void object_ref(Object *obj);
void object_unref(Object *obj);
const char *object_get_typename(const Object *obj);
ObjectClass *object_get_class(Object *obj);
Object *object_dynamic_cast(Object *obj, const char *typename);
/* Checked casts are for the model's own invariants, never guest input. */
Object *object_dynamic_cast_assert(Object *obj, const char *typename);
ObjectClass *object_class_dynamic_cast_assert(ObjectClass *klass,
                                              const char *typename);

#define OBJECT(obj) ((Object *)(obj))
#define OBJECT_CLASS(klass) ((ObjectClass *)(klass))
#define OBJECT_CHECK(type, obj, name) \
    ((type *)object_dynamic_cast_assert(OBJECT(obj), (name)))
#define OBJECT_CLASS_CHECK(class_type, klass, name) \
    ((class_type *)object_class_dynamic_cast_assert(OBJECT_CLASS(klass), (name)))
#define OBJECT_GET_CLASS(class_type, obj, name) \
    OBJECT_CLASS_CHECK(class_type, object_get_class(OBJECT(obj)), name)

#define OBJECT_DECLARE_SIMPLE_TYPE(InstanceType, MODULE_OBJ_NAME)        \
    typedef struct InstanceType InstanceType;                            \
    static inline InstanceType *MODULE_OBJ_NAME(const void *obj)         \
    {                                                                    \
        return OBJECT_CHECK(InstanceType, obj, TYPE_##MODULE_OBJ_NAME);  \
    }

#define OBJECT_DECLARE_TYPE(InstanceType, ClassType, MODULE_OBJ_NAME)    \
    typedef struct InstanceType InstanceType;                            \
    typedef struct ClassType ClassType;                                  \
    static inline InstanceType *MODULE_OBJ_NAME(const void *obj)         \
    {                                                                    \
        return OBJECT_CHECK(InstanceType, obj, TYPE_##MODULE_OBJ_NAME);  \
    }                                                                    \
    static inline ClassType *MODULE_OBJ_NAME##_GET_CLASS(const void *obj) \
    {                                                                    \
        return OBJECT_GET_CLASS(ClassType, obj, TYPE_##MODULE_OBJ_NAME); \
    }                                                                    \
    static inline ClassType *MODULE_OBJ_NAME##_CLASS(const void *klass)  \
    {                                                                    \
        return OBJECT_CLASS_CHECK(ClassType, klass,                      \
                                  TYPE_##MODULE_OBJ_NAME);               \
    }

/* Properties */
ObjectProperty *object_property_add(Object *obj, const char *name,
                                    const char *type,
                                    ObjectPropertyGet *get,
                                    ObjectPropertySet *set,
                                    ObjectPropertyRelease *release,
                                    void *opaque);
ObjectProperty *object_property_find(Object *obj, const char *name);
void object_property_del(Object *obj, const char *name);
bool object_property_parse(Object *obj, const char *name, const char *str,
                           Error **errp);
bool object_property_get(Object *obj, const char *name, PropValue *v,
                         Error **errp);
/* The value as a string ("true", "0x11000" is printed as decimal), or NULL. */
char *object_property_print(Object *obj, const char *name, Error **errp);
bool object_property_get_bool(Object *obj, const char *name, Error **errp);
uint64_t object_property_get_uint(Object *obj, const char *name,
                                  Error **errp);
bool object_property_set_bool(Object *obj, const char *name, bool value,
                              Error **errp);
bool object_property_set_uint(Object *obj, const char *name, uint64_t value,
                              Error **errp);
bool object_property_set_str(Object *obj, const char *name,
                             const char *value, Error **errp);
void prop_value_clear(PropValue *v);
char *prop_value_to_string(const PropValue *v);

/* Bool / uint64 properties backed by a field or by accessors. */
void object_property_add_bool(Object *obj, const char *name,
                              bool (*get)(Object *),
                              void (*set)(Object *, bool, Error **));
void object_property_add_uint64_ptr(Object *obj, const char *name,
                                    uint64_t *v, bool read_only);
void object_property_add_str(Object *obj, const char *name,
                             char *(*get)(Object *),
                             void (*set)(Object *, const char *, Error **));

/* Composition tree */
void object_property_add_child(Object *obj, const char *name, Object *child);
void object_unparent(Object *obj);
Object *object_resolve_path(const char *path, bool *ambiguous);
Object *object_resolve_path_component(Object *parent, const char *part);
Object *object_resolve_path_type(const char *path, const char *typename,
                                 bool *ambiguous);
char *object_get_canonical_path(const Object *obj);
const char *object_get_canonical_path_component(const Object *obj);
int object_child_foreach(Object *obj, int (*fn)(Object *child, void *opaque),
                         void *opaque);
int object_child_foreach_recursive(Object *obj,
                                   int (*fn)(Object *child, void *opaque),
                                   void *opaque);
Object *object_get_root(void);
Object *object_get_objects_root(void);
Object *container_get(Object *root, const char *path);

/* -object TYPE,id=ID,... : create, set properties, complete, attach. */
Object *user_creatable_add(const char *type, const char *id,
                           GHashTable *props, Error **errp);
bool user_creatable_del(const char *id, Error **errp);

#endif
