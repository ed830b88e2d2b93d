/*
 * What the QOM unit tests share: test types (an abstract animal with
 * properties, a dog, a puppy, a cat), the log of what their hooks ran,
 * and printing a property.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TESTS_UNIT_QOM_TEST_TYPES_H
#define TESTS_UNIT_QOM_TEST_TYPES_H

#include "qom/object.h"

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

#define ANIMAL_CLASS(oc) \
    OBJECT_CLASS_CHECK(AnimalClass, (oc), TYPE_ANIMAL)
#define ANIMAL_GET_CLASS(obj) \
    OBJECT_GET_CLASS(AnimalClass, (obj), TYPE_ANIMAL)

/* The setter of an animal's "alive" property. */
void animal_set_alive(Object *obj, bool v, Error **errp);

/* What ran, in order: "what;" each. */
extern GString *qom_events;
void qom_note(const char *what);

/*
 * Registers the types (a test binary's own: not from a constructor, so
 * other unit tests linking this file do not see them) and starts the log.
 */
void qom_test_types_register(void);

/* A property printed; it must print. */
char *qom_print(Object *obj, const char *name);

#endif
