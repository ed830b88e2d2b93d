/*
 * The virtual clock and its timers.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "qemu/timer.h"

static GList *active_timers;        /* sorted by expire_time */
static int64_t virtual_now;
static bool clock_virtual_only = true;
static int64_t host_offset;

void qemu_clock_set_virtual(bool virtual_only)
{
    clock_virtual_only = virtual_only;
    host_offset = g_get_monotonic_time() * 1000 - virtual_now;
}

bool qemu_clock_is_virtual(void)
{
    return clock_virtual_only;
}

int64_t qemu_clock_get_ns(void)
{
    if (!clock_virtual_only) {
        return g_get_monotonic_time() * 1000 - host_offset;
    }
    return virtual_now;
}

void timer_init_ns(QEMUTimer *t, QEMUTimerCB *cb, void *opaque)
{
    t->expire_time = -1;
    t->cb = cb;
    t->opaque = opaque;
}


static gint timer_cmp(gconstpointer a, gconstpointer b)
{
    const QEMUTimer *x = a, *y = b;

    return x->expire_time < y->expire_time ? -1 :
           x->expire_time > y->expire_time;
}

void timer_del(QEMUTimer *t)
{
    if (t->expire_time >= 0) {
        active_timers = g_list_remove(active_timers, t);
        t->expire_time = -1;
    }
}

void timer_mod(QEMUTimer *t, int64_t expire_ns)
{
    timer_del(t);
    t->expire_time = MAX(expire_ns, 0);
    active_timers = g_list_insert_sorted(active_timers, t, timer_cmp);
}


bool timer_pending(const QEMUTimer *t)
{
    return t->expire_time >= 0;
}

static void run_timers_until(int64_t now)
{
    while (active_timers) {
        QEMUTimer *t = active_timers->data;

        if (t->expire_time > now) {
            break;
        }
        timer_del(t);
        t->cb(t->opaque);
    }
}

void qemu_clock_advance(int64_t dest)
{
    /* Step through each deadline so a timer sees the clock at its time. */
    while (active_timers) {
        QEMUTimer *t = active_timers->data;

        if (t->expire_time > dest) {
            break;
        }
        virtual_now = MAX(virtual_now, t->expire_time);
        run_timers_until(virtual_now);
    }
    virtual_now = MAX(virtual_now, dest);
}

void qemu_clock_run_due(void)
{
    run_timers_until(qemu_clock_get_ns());
}

int64_t qemu_clock_deadline_ns(void)
{
    QEMUTimer *t;

    if (!active_timers) {
        return -1;
    }
    t = active_timers->data;
    return MAX(t->expire_time - qemu_clock_get_ns(), 0);
}
