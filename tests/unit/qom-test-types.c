/*
 * What the QOM unit tests share (tests/unit/qom-test-types.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "qom/object.h"
#include "qom-test-types.h"

GString *qom_events;

void qom_note(const char *what)
{
    g_string_append_printf(qom_events, "%s;", what);
}

static const char *animal_sound(void) { return "..."; }
static const char *dog_sound(void) { return "woof"; }

static bool animal_get_alive(Object *obj)
{
    return ((Animal *)obj)->alive;
}

void animal_set_alive(Object *obj, bool v, Error **errp)
{
    if (!v && !strcmp(object_get_typename(obj), TYPE_PUPPY)) {
        error_setg(errp, "puppies are forever");
        return;
    }
    ((Animal *)obj)->alive = v;
}

static char *animal_get_name(Object *obj)
{
    return g_strdup(((Animal *)obj)->name ? ((Animal *)obj)->name : "");
}

static void animal_set_name(Object *obj, const char *v, Error **errp)
{
    if (!*v) {
        error_setg(errp, "a name can not be empty");
        return;
    }
    g_free(((Animal *)obj)->name);
    ((Animal *)obj)->name = g_strdup(v);
}

static void animal_class_init(ObjectClass *oc, void *data)
{
    AnimalClass *ac = (AnimalClass *)oc;

    ac->sound = animal_sound;
    ac->legs = 4;
}

static void animal_class_base_init(ObjectClass *oc, void *data)
{
    ((AnimalClass *)oc)->base_inits++;
}

static void animal_init(Object *obj)
{
    Animal *a = (Animal *)obj;

    qom_note("animal_init");
    a->alive = true;
    object_property_add_bool(obj, "alive", animal_get_alive,
                             animal_set_alive);
    object_property_add_uint64_ptr(obj, "weight", &a->weight, false);
    object_property_add_str(obj, "name", animal_get_name, animal_set_name);
}

static void animal_post_init(Object *obj)
{
    qom_note("animal_post_init");
}

static void animal_finalize(Object *obj)
{
    qom_note("animal_finalize");
    g_free(((Animal *)obj)->name);
}

static void dog_class_init(ObjectClass *oc, void *data)
{
    AnimalClass *ac = (AnimalClass *)oc;

    /* The parent's class_init already ran: its values are inherited. */
    g_assert_cmpint(ac->legs, ==, 4);
    ac->sound = dog_sound;
}

static void dog_init(Object *obj)
{
    qom_note("dog_init");
    ((Dog *)obj)->tricks = 1;
}

static void dog_post_init(Object *obj)
{
    qom_note("dog_post_init");
}

static void dog_finalize(Object *obj)
{
    qom_note("dog_finalize");
}

static void puppy_init(Object *obj)
{
    qom_note("puppy_init");
    /* Parents initialised first. */
    g_assert_cmpint(((Dog *)obj)->tricks, ==, 1);
    ((Dog *)obj)->tricks = 0;
}

static void cat_class_init(ObjectClass *oc, void *data)
{
    ((AnimalClass *)oc)->legs = GPOINTER_TO_INT(data);
}

static const TypeInfo test_types[] = {
    {
        .name = TYPE_ANIMAL,
        .parent = TYPE_OBJECT,
        .abstract = true,
        .instance_size = sizeof(Animal),
        .class_size = sizeof(AnimalClass),
        .class_init = animal_class_init,
        .class_base_init = animal_class_base_init,
        .instance_init = animal_init,
        .instance_post_init = animal_post_init,
        .instance_finalize = animal_finalize,
    },
    {
        .name = TYPE_DOG,
        .parent = TYPE_ANIMAL,
        .instance_size = sizeof(Dog),
        .class_init = dog_class_init,
        .instance_init = dog_init,
        .instance_post_init = dog_post_init,
        .instance_finalize = dog_finalize,
    },
    {
        /* No sizes: both come from the parent. */
        .name = TYPE_PUPPY,
        .parent = TYPE_DOG,
        .instance_init = puppy_init,
    },
    {
        .name = TYPE_CAT,
        .parent = TYPE_ANIMAL,
        .class_init = cat_class_init,
        .class_data = GINT_TO_POINTER(3),
    },
};


void qom_test_types_register(void)
{
    qom_events = g_string_new("");
    for (size_t i = 0; i < G_N_ELEMENTS(test_types); i++) {
        type_register_static(&test_types[i]);
    }
}

char *qom_print(Object *obj, const char *name)
{
    Error *err = NULL;
    char *s = object_property_print(obj, name, &err);

    g_assert_null(err);
    return s;
}
