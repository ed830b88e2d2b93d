/*
 * The virtual clock and its timers.  With -accel qtest the clock only
 * moves when the qtest client says so (clock_step / clock_set), which is
 * when due timers run; otherwise it follows the host's monotonic time.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef QEMU_TIMER_H
#define QEMU_TIMER_H

typedef void QEMUTimerCB(void *opaque);

typedef struct QEMUTimer {
    int64_t expire_time;        /* -1: not armed */
    QEMUTimerCB *cb;
    void *opaque;
} QEMUTimer;

#define NANOSECONDS_PER_SECOND 1000000000LL
#define SCALE_MS 1000000

void timer_init_ns(QEMUTimer *t, QEMUTimerCB *cb, void *opaque);
void timer_mod(QEMUTimer *t, int64_t expire_ns);
void timer_del(QEMUTimer *t);
bool timer_pending(const QEMUTimer *t);

int64_t qemu_clock_get_ns(void);
/* Advance the virtual clock to 'dest', running timers due on the way. */
void qemu_clock_advance(int64_t dest);
/* Next deadline in ns from now, or -1 when no timer is armed. */
int64_t qemu_clock_deadline_ns(void);
void qemu_clock_set_virtual(bool virtual_only);
bool qemu_clock_is_virtual(void);
void qemu_clock_run_due(void);

#endif
