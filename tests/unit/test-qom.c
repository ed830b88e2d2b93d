/*
 * QOM: types and inheritance, casts, reference counting, properties
 * (parse and print), the composition tree (children, paths, unparent),
 * and user-creatable objects.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "qom/object.h"
#include "hw/boards.h"

#define TYPE_ANIMAL "test-animal"
#define TYPE_DOG "test-dog"
#define TYPE_PUPPY "test-puppy"
#define TYPE_CAT "test-cat"

typedef struct AnimalClass {
    ObjectClass parent_class;

    const char *(*sound)(void);
    int legs;
    int base_inits;             /* class_base_init calls on this class */
} AnimalClass;

typedef struct Animal {
    Object parent_obj;

    bool alive;
    uint64_t weight;
    char *name;
} Animal;

typedef struct Dog {
    Animal parent_obj;

    int tricks;
} Dog;

static GString *events;         /* what ran, in order */

static void note(const char *what)
{
    g_string_append_printf(events, "%s;", what);
}

static const char *animal_sound(void) { return "..."; }
static const char *dog_sound(void) { return "woof"; }

static bool animal_get_alive(Object *obj)
{
    return ((Animal *)obj)->alive;
}

static void animal_set_alive(Object *obj, bool v, Error **errp)
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

    note("animal_init");
    a->alive = true;
    object_property_add_bool(obj, "alive", animal_get_alive,
                             animal_set_alive);
    object_property_add_uint64_ptr(obj, "weight", &a->weight, false);
    object_property_add_str(obj, "name", animal_get_name, animal_set_name);
}

static void animal_post_init(Object *obj)
{
    note("animal_post_init");
}

static void animal_finalize(Object *obj)
{
    note("animal_finalize");
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
    note("dog_init");
    ((Dog *)obj)->tricks = 1;
}

static void dog_post_init(Object *obj)
{
    note("dog_post_init");
}

static void dog_finalize(Object *obj)
{
    note("dog_finalize");
}

static void puppy_init(Object *obj)
{
    note("puppy_init");
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

DEFINE_TYPES(test_types)

#define ANIMAL_CLASS(oc) \
    OBJECT_CLASS_CHECK(AnimalClass, (oc), TYPE_ANIMAL)
#define ANIMAL_GET_CLASS(obj) \
    OBJECT_GET_CLASS(AnimalClass, (obj), TYPE_ANIMAL)

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

    g_string_truncate(events, 0);
    obj = object_new(TYPE_PUPPY);
    /* init parent first; post_init child first. */
    g_assert_cmpstr(events->str, ==, "animal_init;dog_init;puppy_init;"
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
    g_string_truncate(events, 0);
    object_unref(obj);
    object_unref(obj);
    g_assert_cmpstr(events->str, ==, "");
    object_unref(obj);
    g_assert_cmpstr(events->str, ==, "dog_finalize;animal_finalize;");
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

static char *print(Object *obj, const char *name)
{
    Error *err = NULL;
    char *s = object_property_print(obj, name, &err);

    g_assert_null(err);
    return s;
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
    alive = print(obj, "alive");
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
    weight = print(obj, "weight");
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
    name = print(obj, "name");
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
    note(prop->name);
}

/* Properties are released in reverse creation order, before finalize. */
static void test_release_order(void)
{
    Object *obj = object_new(TYPE_CAT);

    object_property_add(obj, "p1", "x", NULL, NULL, release_note, NULL);
    object_property_add(obj, "p2", "x", NULL, NULL, release_note, NULL);
    object_property_add(obj, "p3", "x", NULL, NULL, release_note, NULL);
    object_property_del(obj, "p2");
    g_string_truncate(events, 0);
    object_unref(obj);
    g_assert_cmpstr(events->str, ==, "p3;p1;animal_finalize;");
}

static Object *new_child(Object *parent, const char *name, const char *type)
{
    Object *child = object_new(type);

    object_property_add_child(parent, name, child);
    object_unref(child);
    return child;
}

static int collect_path(Object *child, void *opaque)
{
    g_autofree char *path = object_get_canonical_path(child);

    g_string_append_printf(opaque, "%s,", path);
    return 0;
}

static int stop_at_cat(Object *child, void *opaque)
{
    (*(int *)opaque)++;
    return object_dynamic_cast(child, TYPE_CAT) ? 42 : 0;
}

static void test_children(void)
{
    Object *zoo = container_get(object_get_root(), "/test-zoo/pens");
    Object *rex = new_child(zoo, "rex", TYPE_DOG);
    Object *tom = new_child(zoo, "tom", TYPE_CAT);
    Object *bit = new_child(rex, "bit", TYPE_PUPPY);
    g_autoptr(GString) s = g_string_new("");
    g_autofree char *p_rex = object_get_canonical_path(rex);
    g_autofree char *p_bit = object_get_canonical_path(bit);
    g_autofree char *p_root = object_get_canonical_path(object_get_root());
    g_autofree char *childpath = NULL;
    bool ambiguous;
    int visited = 0;

    /* container_get made the intermediate containers, and finds them. */
    g_assert_true(container_get(object_get_root(), "test-zoo/pens") == zoo);
    g_assert_true(container_get(object_get_root(), "//test-zoo//pens/") ==
                  zoo);
    g_assert_cmpstr(object_get_typename(zoo), ==, TYPE_CONTAINER);
    g_assert_cmpstr(p_rex, ==, "/test-zoo/pens/rex");
    g_assert_cmpstr(p_bit, ==, "/test-zoo/pens/rex/bit");
    g_assert_cmpstr(p_root, ==, "/");
    g_assert_cmpstr(object_get_canonical_path_component(bit), ==, "bit");
    g_assert_null(object_get_canonical_path_component(object_get_root()));
    g_assert_true(bit->parent == rex);
    /* The tree holds the only reference. */
    g_assert_cmpuint(rex->ref, ==, 1);

    /* The child property: type and value. */
    g_assert_cmpstr(object_property_find(zoo, "rex")->type, ==,
                    "child<test-dog>");
    childpath = print(zoo, "tom");
    g_assert_cmpstr(childpath, ==, "/test-zoo/pens/tom");

    /* Absolute, partial and typed resolution. */
    g_assert_true(object_resolve_path("/test-zoo/pens/rex/bit", NULL) == bit);
    g_assert_true(object_resolve_path("/test-zoo//pens/rex/", NULL) == rex);
    g_assert_true(object_resolve_path("/", NULL) == object_get_root());
    g_assert_null(object_resolve_path("/test-zoo/pens/nobody", NULL));
    g_assert_null(object_resolve_path("/test-zoo/pens/rex/alive", NULL));
    g_assert_true(object_resolve_path("bit", &ambiguous) == bit);
    g_assert_false(ambiguous);
    g_assert_true(object_resolve_path_type("/test-zoo/pens/rex", TYPE_ANIMAL,
                                           NULL) == rex);
    g_assert_null(object_resolve_path_type("/test-zoo/pens/rex", TYPE_CAT,
                                           NULL));
    g_assert_null(object_resolve_path("nobody-has-this-name", &ambiguous));
    g_assert_false(ambiguous);
    g_assert_true(object_resolve_path_component(zoo, "tom") == tom);
    g_assert_null(object_resolve_path_component(zoo, "alive"));

    /* Two children called "bit": partial paths become ambiguous... */
    new_child(tom, "bit", TYPE_CAT);
    g_assert_null(object_resolve_path("bit", &ambiguous));
    g_assert_true(ambiguous);
    /* ...unless the type tells them apart. */
    g_assert_true(object_resolve_path_type("bit", TYPE_DOG, &ambiguous) ==
                  bit);
    g_assert_false(ambiguous);

    /* Children in creation order; recursion depth first. */
    object_child_foreach(zoo, collect_path, s);
    g_assert_cmpstr(s->str, ==, "/test-zoo/pens/rex,/test-zoo/pens/tom,");
    g_string_truncate(s, 0);
    object_child_foreach_recursive(zoo, collect_path, s);
    g_assert_cmpstr(s->str, ==, "/test-zoo/pens/rex,/test-zoo/pens/rex/bit,"
                    "/test-zoo/pens/tom,/test-zoo/pens/tom/bit,");
    /* A non-zero return stops the walk and is passed on. */
    g_assert_cmpint(object_child_foreach_recursive(zoo, stop_at_cat,
                                                   &visited), ==, 42);
    g_assert_cmpint(visited, ==, 3);

    /* Unparent: the subtree goes, children before parents... */
    object_ref(bit);
    g_string_truncate(events, 0);
    object_unparent(rex);
    g_assert_cmpstr(events->str, ==, "dog_finalize;animal_finalize;");
    g_assert_null(object_resolve_path_component(zoo, "rex"));
    /* ...and a child someone still holds survives, detached. */
    g_assert_null(bit->parent);
    g_assert_null(object_get_canonical_path(bit));
    g_assert_null(object_get_canonical_path_component(bit));
    g_string_truncate(events, 0);
    object_unref(bit);
    g_assert_cmpstr(events->str, ==, "dog_finalize;animal_finalize;");
    /* Unparenting what has no parent does nothing. */
    object_unparent(object_get_root());
    object_unparent(container_get(object_get_root(), "/test-zoo"));
    g_assert_null(object_resolve_path("/test-zoo", NULL));
}

/* A child can be re-added under a new parent once unparented. */
static void test_reparent(void)
{
    Object *a = container_get(object_get_root(), "/test-a");
    Object *b = container_get(object_get_root(), "/test-b");
    Object *cat = new_child(a, "cat", TYPE_CAT);
    g_autofree char *path = NULL;

    object_ref(cat);
    object_unparent(cat);
    object_property_add_child(b, "cat", cat);
    object_unref(cat);
    path = object_get_canonical_path(cat);
    g_assert_cmpstr(path, ==, "/test-b/cat");
    g_assert_cmpuint(cat->ref, ==, 1);
    object_unparent(a);
    object_unparent(b);
}

/* A second child of the same name, or a second parent, is a bug. */
static void test_duplicate_child(void)
{
    if (g_test_subprocess()) {
        Object *p = container_get(object_get_root(), "/test-dup");

        new_child(p, "x", TYPE_CAT);
        new_child(p, "x", TYPE_CAT);
        return;
    }
    g_test_trap_subprocess(NULL, 0, 0);
    g_test_trap_assert_failed();
}

static void test_user_creatable(void)
{
    GHashTable *props = g_hash_table_new(g_str_hash, g_str_equal);
    Error *err = NULL;
    Object *obj;
    g_autofree char *path = NULL;

    g_hash_table_insert(props, (char *)"size", (char *)"64M");
    obj = user_creatable_add(TYPE_MEMORY_BACKEND_RAM, "ram0", props, &err);
    g_assert_null(err);
    g_assert_nonnull(obj);
    path = object_get_canonical_path(obj);
    g_assert_cmpstr(path, ==, "/objects/ram0");
    g_assert_true(object_resolve_path_type("ram0", TYPE_MEMORY_BACKEND,
                                           NULL) == obj);
    g_assert_cmpuint(MEMORY_BACKEND(obj)->size, ==, 64ULL << 20);
    g_assert_true(MEMORY_BACKEND(obj)->allocated);

    /* Same id again; bad types; bad ids; a failing property. */
    g_assert_null(user_creatable_add(TYPE_MEMORY_BACKEND_RAM, "ram0", props,
                                     &err));
    g_assert_nonnull(strstr(error_get_pretty(err), "'ram0' already exists"));
    g_clear_pointer(&err, error_free);
    g_assert_null(user_creatable_add(TYPE_MEMORY_BACKEND, "x", props, &err));
    g_clear_pointer(&err, error_free);
    g_assert_null(user_creatable_add(TYPE_DOG, "x", props, &err));
    g_clear_pointer(&err, error_free);
    g_assert_null(user_creatable_add("test-nope", "x", props, &err));
    g_clear_pointer(&err, error_free);
    g_assert_null(user_creatable_add(TYPE_MEMORY_BACKEND_RAM, NULL, props,
                                     &err));
    g_clear_pointer(&err, error_free);
    g_assert_null(user_creatable_add(TYPE_MEMORY_BACKEND_RAM, "9x", props,
                                     &err));
    g_clear_pointer(&err, error_free);
    g_hash_table_insert(props, (char *)"share", (char *)"perhaps");
    g_assert_null(user_creatable_add(TYPE_MEMORY_BACKEND_RAM, "ram1", props,
                                     &err));
    g_assert_nonnull(strstr(error_get_pretty(err), "ram1"));
    g_clear_pointer(&err, error_free);
    g_assert_null(object_resolve_path("/objects/ram1", NULL));
    /* complete() failing: no size. */
    g_hash_table_remove_all(props);
    g_assert_null(user_creatable_add(TYPE_MEMORY_BACKEND_RAM, "ram2", props,
                                     &err));
    g_assert_nonnull(strstr(error_get_pretty(err), "size"));
    g_clear_pointer(&err, error_free);
    g_assert_null(user_creatable_add(TYPE_MEMORY_BACKEND_RAM, "ram3", NULL,
                                     &err));
    g_clear_pointer(&err, error_free);

    /* In use (someone holds a reference): can not be deleted. */
    object_ref(obj);
    g_assert_false(user_creatable_del("ram0", &err));
    g_assert_nonnull(strstr(error_get_pretty(err), "in use"));
    g_clear_pointer(&err, error_free);
    object_unref(obj);
    g_assert_true(user_creatable_del("ram0", &err));
    g_assert_null(object_resolve_path("/objects/ram0", NULL));
    g_assert_false(user_creatable_del("ram0", &err));
    g_assert_nonnull(strstr(error_get_pretty(err), "not found"));
    g_clear_pointer(&err, error_free);
    g_hash_table_unref(props);
}

int main(int argc, char **argv)
{
    events = g_string_new("");
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
    g_test_add_func("/qom/children/paths", test_children);
    g_test_add_func("/qom/children/reparent", test_reparent);
    g_test_add_func("/qom/children/duplicate", test_duplicate_child);
    g_test_add_func("/qom/user-creatable", test_user_creatable);
    return g_test_run();
}
