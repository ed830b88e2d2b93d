/*
 * QOM: the composition tree (children, paths, resolution, unparent,
 * reparenting, duplicate children) and user-creatable objects.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "qom/object.h"
#include "hw/boards.h"
#include "qom-test-types.h"

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
    childpath = qom_print(zoo, "tom");
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
    g_string_truncate(qom_events, 0);
    object_unparent(rex);
    g_assert_cmpstr(qom_events->str, ==, "dog_finalize;animal_finalize;");
    g_assert_null(object_resolve_path_component(zoo, "rex"));
    /* ...and a child someone still holds survives, detached. */
    g_assert_null(bit->parent);
    g_assert_null(object_get_canonical_path(bit));
    g_assert_null(object_get_canonical_path_component(bit));
    g_string_truncate(qom_events, 0);
    object_unref(bit);
    g_assert_cmpstr(qom_events->str, ==, "dog_finalize;animal_finalize;");
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
    qom_test_types_register();
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/qom/children/paths", test_children);
    g_test_add_func("/qom/children/reparent", test_reparent);
    g_test_add_func("/qom/children/duplicate", test_duplicate_child);
    g_test_add_func("/qom/user-creatable", test_user_creatable);
    return g_test_run();
}
