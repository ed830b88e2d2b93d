/*
 * Long guest calls.
 *
 * DOC: long guest calls
 *
 * In QEMU a hypercall runs on its vCPU thread; a monitor command that
 * needs the vCPUs paused (system_reset, stop, migration's switchover,
 * device_add/device_del) waits for it to return.  Without vCPU threads,
 * a call that would hold the main loop for long (an H_STUFF_TCE of a
 * mapped constant over 2^31 entries while a VFIO container listens: one
 * host map per entry) is split instead: the call registers a step
 * function, which the main loop runs one bounded slice at a time from an
 * idle source of default priority, so file descriptors (QMP, HMP,
 * migration channels) are served between slices.  The caller (the qtest
 * client, standing in for the vCPU) gets its answer when finish runs and
 * sends nothing else meanwhile.
 *
 * Ordering: a QMP command that would pause vCPUs waits (its monitor reads
 * nothing more) until the call has ended, through guest_call_when_done();
 * other monitors are served meanwhile.  Whatever else would pause vCPUs
 * (HMP, a migration reaching its switchover, a TCE table change) calls
 * guest_call_drain() first, which runs the remaining slices to the end.
 * Either way the call completes before the reset, stop or switchover,
 * as in QEMU.  On quit the call is abandoned (freed, unanswered): the
 * process is going away.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "sysemu/guest-call.h"
#include "trace.h"

static const GuestCallOps *call_ops;
static void *call_opaque;
static guint call_source;
static bool call_stepping;      /* a slice runs: no drain from within */
static uint64_t call_slices;

typedef struct GuestCallWaiter {
    void (*fn)(void *opaque);
    void *opaque;
} GuestCallWaiter;

static GArray *call_waiters;

/*
 * At a higher priority than the qtest client's resumption (an idle of
 * default-idle priority), so that what waited runs before its next line.
 */
static gboolean guest_call_run_waiters(gpointer unused)
{
    g_autoptr(GArray) w = call_waiters;

    call_waiters = NULL;
    for (guint i = 0; w && i < w->len; i++) {
        GuestCallWaiter *cw = &g_array_index(w, GuestCallWaiter, i);

        cw->fn(cw->opaque);
    }
    return G_SOURCE_REMOVE;
}

void guest_call_when_done(void (*fn)(void *opaque), void *opaque)
{
    GuestCallWaiter w = { fn, opaque };

    if (!call_waiters) {
        call_waiters = g_array_new(false, false, sizeof(GuestCallWaiter));
        if (!call_ops) {
            g_idle_add_full(G_PRIORITY_DEFAULT, guest_call_run_waiters,
                            NULL, NULL);
        }
    }
    g_array_append_val(call_waiters, w);
}

bool guest_call_in_flight(void)
{
    return call_ops != NULL;
}

static void guest_call_end(void)
{
    const GuestCallOps *ops = call_ops;
    void *opaque = call_opaque;

    trace_guest_call_end(call_slices);
    call_ops = NULL;
    call_opaque = NULL;
    if (call_source) {
        g_source_remove(call_source);
        call_source = 0;
    }
    if (call_waiters) {
        g_idle_add_full(G_PRIORITY_DEFAULT, guest_call_run_waiters, NULL,
                        NULL);
    }
    ops->finish(opaque);
}

/* One slice; true when the call ended with it. */
static bool guest_call_step(void)
{
    bool over;

    call_stepping = true;
    over = call_ops->step(call_opaque);
    call_stepping = false;
    call_slices++;
    if (over) {
        guest_call_end();
    }
    return over;
}

static gboolean guest_call_idle(gpointer unused)
{
    if (guest_call_step()) {
        return G_SOURCE_REMOVE;     /* call_source already cleared */
    }
    return G_SOURCE_CONTINUE;
}

void guest_call_start(const GuestCallOps *ops, void *opaque)
{
    g_assert(!call_ops);
    call_ops = ops;
    call_opaque = opaque;
    call_slices = 0;
    trace_guest_call_start();
    call_source = g_idle_add_full(G_PRIORITY_DEFAULT, guest_call_idle,
                                  NULL, NULL);
}

void guest_call_drain(void)
{
    if (!call_ops || call_stepping) {
        return;
    }
    trace_guest_call_drain(call_slices);
    while (!guest_call_step()) {
        continue;
    }
}

void guest_call_abandon(void)
{
    const GuestCallOps *ops = call_ops;
    void *opaque = call_opaque;

    if (!ops || call_stepping) {
        return;
    }
    trace_guest_call_abandon(call_slices);
    if (call_waiters) {
        g_array_free(call_waiters, true);
        call_waiters = NULL;
    }
    call_ops = NULL;
    call_opaque = NULL;
    if (call_source) {
        g_source_remove(call_source);
        call_source = 0;
    }
    ops->abandon(opaque);
}
