/*
 * Long guest calls: a hypercall that continues in bounded slices between
 * main-loop iterations, so monitors are served while it runs.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SYSEMU_GUEST_CALL_H
#define SYSEMU_GUEST_CALL_H

typedef struct GuestCallOps {
    /* Runs one bounded slice; true when the call is over. */
    bool (*step)(void *opaque);
    /* The call is over: answer the guest, free opaque. */
    void (*finish)(void *opaque);
    /* The process ends first: free opaque, answer nobody. */
    void (*abandon)(void *opaque);
} GuestCallOps;

/* At most one call is in flight (its vCPU, the qtest client, waits). */
bool guest_call_in_flight(void);
void guest_call_start(const GuestCallOps *ops, void *opaque);
/*
 * What would pause vCPUs in QEMU (reset, stop, migration's switchover,
 * device hotplug, table changes) first lets the call complete.
 */
void guest_call_drain(void);
/*
 * Runs fn(opaque) from the main loop once the call in flight has ended
 * (after its answer, before the caller's next request is read).
 */
void guest_call_when_done(void (*fn)(void *opaque), void *opaque);
/* On the way out (quit): the call is dropped, nothing more runs. */
void guest_call_abandon(void);

#endif
