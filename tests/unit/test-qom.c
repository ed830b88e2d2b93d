/*
 * QOM: types and inheritance, casts, reference counting and properties
 * (parse and print, access, release order).  The composition tree and
 * user-creatable objects are test-qom-tree.c.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "qom/object.h"
#include "hw/boards.h"
#include "qom-test-types.h"

static void test_types_and_classes(void)
{
    ObjectClass *animal = object_class_by_name(TYPE_ANIMAL);
    ObjectClass *dog = object_class_by_name(TYPE_DOG);
    ObjectClass *puppy = object_class_by_name(TYPE_PUPPY);
    ObjectClass *cat = object_class_by_name(TYPE_CAT);

    g_assert_nonnull(animal);
    g_assert_null(object_class_by_name("test-no-such-type"));
    g_assert_null(object_class_by_name(NULL));
    g_assert_cmpstr(object_class_get_name(puppy), ==, TYPE_PUPPY);
    g_assert_true(object_class_is_abstract(animal));
    g_assert_false(object_class_is_abstract(dog));

    /* Parents, and casts along the chain only. */
    g_assert_true(object_class_get_parent(puppy) == dog);
    g_assert_true(object_class_get_parent(dog) == animal);
    g_assert_true(object_class_get_parent(animal) ==
                  object_class_by_name(TYPE_OBJECT));
    g_assert_null(object_class_get_parent(object_class_by_name(TYPE_OBJECT)));
    g_assert_true(object_class_dynamic_cast(puppy, TYPE_ANIMAL) == puppy);
    g_assert_true(object_class_dynamic_cast(puppy, TYPE_OBJECT) == puppy);
    g_assert_true(object_class_dynamic_cast(puppy, TYPE_PUPPY) == puppy);
    g_assert_null(object_class_dynamic_cast(dog, TYPE_PUPPY));
    g_assert_null(object_class_dynamic_cast(cat, TYPE_DOG));
    g_assert_null(object_class_dynamic_cast(dog, "test-no-such-type"));
    g_assert_null(object_class_dynamic_cast(NULL, TYPE_OBJECT));

    /* Virtual methods and class fields: inherited, overridden, class_data. */
    g_assert_cmpstr(ANIMAL_CLASS(dog)->sound(), ==, "woof");
    g_assert_cmpstr(ANIMAL_CLASS(puppy)->sound(), ==, "woof");
    g_assert_cmpstr(ANIMAL_CLASS(cat)->sound(), ==, "...");
    g_assert_cmpint(ANIMAL_CLASS(puppy)->legs, ==, 4);
    g_assert_cmpint(ANIMAL_CLASS(cat)->legs, ==, 3);
    g_assert_cmpint(ANIMAL_CLASS(animal)->legs, ==, 4);
    /* class_base_init runs for every subclass, once per ancestor. */
    g_assert_cmpint(ANIMAL_CLASS(animal)->base_inits, ==, 0);
    g_assert_cmpint(ANIMAL_CLASS(dog)->base_inits, ==, 1);
    g_assert_cmpint(ANIMAL_CLASS(cat)->base_inits, ==, 1);
    /* The puppy copied the dog's count, then got its own call. */
    g_assert_cmpint(ANIMAL_CLASS(puppy)->base_inits, ==, 2);
}

static void collect_name(ObjectClass *oc, void *opaque)
{
    g_string_append_printf(opaque, "%s,", object_class_get_name(oc));
}

static void test_class_list(void)
{
    g_autoptr(GString) s = g_string_new("");
    g_autoptr(GString) all = g_string_new("");
    GSList *list = object_class_get_list(TYPE_ANIMAL, false);

    /* Sorted by name, abstract types left out unless asked for. */
    g_assert_cmpuint(g_slist_length(list), ==, 3);
    g_slist_free(list);
    object_class_foreach(collect_name, TYPE_ANIMAL, false, s);
    g_assert_cmpstr(s->str, ==, "test-cat,test-dog,test-puppy,");
    object_class_foreach(collect_name, TYPE_ANIMAL, true, all);
    g_assert_cmpstr(all->str, ==,
                    "test-animal,test-cat,test-dog,test-puppy,");
    g_string_truncate(s, 0);
    object_class_foreach(collect_name, TYPE_DOG, false, s);
    g_assert_cmpstr(s->str, ==, "test-dog,test-puppy,");
    /* The machines are there too. */
    g_string_truncate(s, 0);
    object_class_foreach(collect_name, TYPE_MACHINE, false, s);
    g_assert_true(g_str_has_prefix(s->str, "none-machine,pseries-2.10-machine,"));
    g_assert_nonnull(strstr(s->str, ",pseries-2.6-machine,pseries-2.7-machine,"
                            "pseries-2.8-machine,"));
    g_assert_true(g_str_has_suffix(s->str, ",pseries-7.1-machine,"
                                   "pseries-7.2-machine,"));
}

static void test_lifecycle(void)
{
    Object *obj;

    g_string_truncate(qom_events, 0);
    obj = object_new(TYPE_PUPPY);
    /* init parent first; post_init child first. */
    g_assert_cmpstr(qom_events->str, ==, "animal_init;dog_init;puppy_init;"
                    "dog_post_init;animal_post_init;");
    g_assert_cmpstr(object_get_typename(obj), ==, TYPE_PUPPY);
    g_assert_true(object_get_class(obj) == object_class_by_name(TYPE_PUPPY));
    g_assert_cmpint(((Dog *)obj)->tricks, ==, 0);
    g_assert_true(((Animal *)obj)->alive);
    g_assert_cmpuint(obj->ref, ==, 1);

    /* Casts. */
    g_assert_true(object_dynamic_cast(obj, TYPE_ANIMAL) == obj);
    g_assert_null(object_dynamic_cast(obj, TYPE_CAT));
    g_assert_null(object_dynamic_cast(NULL, TYPE_CAT));
    g_assert_true(OBJECT_CHECK(Dog, obj, TYPE_DOG) == (Dog *)obj);
    g_assert_cmpstr(ANIMAL_GET_CLASS(obj)->sound(), ==, "woof");

    /* References: finalized when the last one goes, child type first. */
    object_ref(obj);
    object_ref(obj);
    g_string_truncate(qom_events, 0);
    object_unref(obj);
    object_unref(obj);
    g_assert_cmpstr(qom_events->str, ==, "");
    object_unref(obj);
    g_assert_cmpstr(qom_events->str, ==, "dog_finalize;animal_finalize;");
    object_unref(NULL);
}

/* Checked casts and instantiating abstract types are programmer errors. */
static void test_bad_casts(void)
{
    if (g_test_subprocess()) {
        Object *obj = object_new(TYPE_CAT);

        OBJECT_CHECK(Dog, obj, TYPE_DOG);
        return;
    }
    g_test_trap_subprocess(NULL, 0, 0);
    g_test_trap_assert_failed();
    g_test_trap_assert_stderr("*object test-cat is not a test-dog*");
}

static void test_bad_new(void)
{
    if (g_test_subprocess()) {
        object_new(TYPE_ANIMAL);
        return;
    }
    g_test_trap_subprocess(NULL, 0, 0);
    g_test_trap_assert_failed();
}
static void assert_parse_error(Object *obj, const char *name, const char *v,
                               const char *msg)
{
    Error *err = NULL;

    g_assert_false(object_property_parse(obj, name, v, &err));
    g_assert_nonnull(err);
    if (!strstr(error_get_pretty(err), msg)) {
        g_error("%s=%s: '%s', expected '%s'", name, v, error_get_pretty(err),
                msg);
    }
    error_free(err);
}

static void test_properties(void)
{
    Object *obj = object_new(TYPE_DOG);
    Object *pup = object_new(TYPE_PUPPY);
    ObjectProperty *p;
    PropValue v;
    g_autofree char *alive = NULL;
    g_autofree char *weight = NULL;
    g_autofree char *name = NULL;

    p = object_property_find(obj, "weight");
    g_assert_nonnull(p);
    g_assert_cmpstr(p->type, ==, "uint64");
    g_assert_cmpstr(object_property_find(obj, "alive")->type, ==, "bool");
    g_assert_cmpstr(object_property_find(obj, "name")->type, ==, "string");
    g_assert_null(object_property_find(obj, "tail"));

    /* bool: on/off, yes/no, true/false; printed as true/false. */
    g_assert_true(object_property_parse(obj, "alive", "off", NULL));
    alive = qom_print(obj, "alive");
    g_assert_cmpstr(alive, ==, "false");
    g_assert_true(object_property_set_bool(obj, "alive", true, NULL));
    g_assert_true(object_property_get_bool(obj, "alive", NULL));
    g_assert_true(object_property_parse(obj, "alive", "no", NULL));
    g_assert_false(object_property_get_bool(obj, "alive", NULL));
    assert_parse_error(obj, "alive", "maybe", "'maybe'");
    assert_parse_error(obj, "alive", "", "on/off");
    /* A setter's error comes back, and the value stays. */
    assert_parse_error(pup, "alive", "off", "puppies are forever");
    g_assert_true(object_property_get_bool(pup, "alive", NULL));

    /* uint64: any base, size suffixes; printed in decimal. */
    g_assert_true(object_property_parse(obj, "weight", "0x11000", NULL));
    weight = qom_print(obj, "weight");
    g_assert_cmpstr(weight, ==, "69632");
    g_assert_true(object_property_parse(obj, "weight", "4G", NULL));
    g_assert_cmpuint(object_property_get_uint(obj, "weight", NULL), ==,
                     4ULL << 30);
    g_assert_true(object_property_set_uint(obj, "weight", UINT64_MAX, NULL));
    g_assert_cmpuint(((Animal *)obj)->weight, ==, UINT64_MAX);
    assert_parse_error(obj, "weight", "heavy", "'heavy'");
    assert_parse_error(obj, "weight", "-1", "number");
    assert_parse_error(obj, "weight", "16E", "number");
    g_assert_cmpuint(((Animal *)obj)->weight, ==, UINT64_MAX);

    /* string */
    g_assert_true(object_property_set_str(obj, "name", "rex", NULL));
    name = qom_print(obj, "name");
    g_assert_cmpstr(name, ==, "rex");
    g_assert_true(object_property_get(obj, "name", &v, NULL));
    g_assert_cmpint(v.kind, ==, PROP_KIND_STR);
    g_assert_cmpstr(v.s, ==, "rex");
    prop_value_clear(&v);
    g_assert_null(v.s);
    assert_parse_error(obj, "name", "", "empty");

    /* Unknown properties. */
    assert_parse_error(obj, "tail", "1", "Property 'test-dog.tail' not found");
    g_assert_false(object_property_get(obj, "tail", &v, NULL));
    g_assert_null(object_property_print(obj, "tail", NULL));
    g_assert_false(object_property_get_bool(obj, "tail", NULL));
    g_assert_cmpuint(object_property_get_uint(obj, "tail", NULL), ==, 0);

    object_unref(obj);
    object_unref(pup);
}

static void test_property_access(void)
{
    Object *obj = object_new(TYPE_DOG);
    uint64_t counter = 7;
    Error *err = NULL;
    PropValue v;

    /* Read-only and write-only properties. */
    object_property_add_uint64_ptr(obj, "counter", &counter, true);
    assert_parse_error(obj, "counter", "1", "read-only");
    g_assert_cmpuint(object_property_get_uint(obj, "counter", NULL), ==, 7);
    object_property_add_bool(obj, "wo", NULL, animal_set_alive);
    g_assert_true(object_property_parse(obj, "wo", "off", NULL));
    g_assert_false(((Animal *)obj)->alive);
    g_assert_false(object_property_get(obj, "wo", &v, &err));
    g_assert_nonnull(strstr(error_get_pretty(err), "not readable"));
    error_free(err);

    /* Deletion: gone, and deleting again is harmless. */
    object_property_del(obj, "counter");
    g_assert_null(object_property_find(obj, "counter"));
    object_property_del(obj, "counter");
    object_property_add_uint64_ptr(obj, "counter", &counter, false);
    g_assert_true(object_property_parse(obj, "counter", "8", NULL));
    g_assert_cmpuint(counter, ==, 8);
    object_unref(obj);
}

static void test_prop_value_to_string(void)
{
    PropValue v = { .kind = PROP_KIND_BOOL, .b = true };
    g_autofree char *b = prop_value_to_string(&v);
    g_autofree char *u = NULL;
    g_autofree char *i = NULL;
    g_autofree char *s = NULL;
    g_autofree char *s0 = NULL;

    g_assert_cmpstr(b, ==, "true");
    v = (PropValue) { .kind = PROP_KIND_UINT, .u = UINT64_MAX };
    u = prop_value_to_string(&v);
    g_assert_cmpstr(u, ==, "18446744073709551615");
    v = (PropValue) { .kind = PROP_KIND_INT, .i = INT64_MIN };
    i = prop_value_to_string(&v);
    g_assert_cmpstr(i, ==, "-9223372036854775808");
    v = (PropValue) { .kind = PROP_KIND_STR, .s = (char *)"x y" };
    s = prop_value_to_string(&v);
    g_assert_cmpstr(s, ==, "x y");
    v = (PropValue) { .kind = PROP_KIND_STR };
    s0 = prop_value_to_string(&v);
    g_assert_cmpstr(s0, ==, "");
}

static void release_note(Object *obj, ObjectProperty *prop)
{
    qom_note(prop->name);
}

/* Properties are released in reverse creation order, before finalize. */
static void test_release_order(void)
{
    Object *obj = object_new(TYPE_CAT);

    object_property_add(obj, "p1", "x", NULL, NULL, release_note, NULL);
    object_property_add(obj, "p2", "x", NULL, NULL, release_note, NULL);
    object_property_add(obj, "p3", "x", NULL, NULL, release_note, NULL);
    object_property_del(obj, "p2");
    g_string_truncate(qom_events, 0);
    object_unref(obj);
    g_assert_cmpstr(qom_events->str, ==, "p3;p1;animal_finalize;");
}

int main(int argc, char **argv)
{
    qom_test_types_register();
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/qom/types", test_types_and_classes);
    g_test_add_func("/qom/class-list", test_class_list);
    g_test_add_func("/qom/lifecycle", test_lifecycle);
    g_test_add_func("/qom/bad-cast", test_bad_casts);
    g_test_add_func("/qom/bad-new", test_bad_new);
    g_test_add_func("/qom/properties/parse-print", test_properties);
    g_test_add_func("/qom/properties/access", test_property_access);
    g_test_add_func("/qom/properties/to-string", test_prop_value_to_string);
    g_test_add_func("/qom/properties/release-order", test_release_order);
    return g_test_run();
}
