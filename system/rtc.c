/*
 * The guest's time of day (-rtc), read by RTAS get-time-of-day.
 *
 * DOC: -rtc base=utc|localtime|DATE,clock=host|rt|vm
 *
 * base sets where the guest's clock starts: the host's UTC time, the
 * host's local time written as if it were UTC (what a Windows guest
 * expects), or a fixed date "2006-06-17T16:01:21" / "2006-06-17".
 * clock says what it follows from there: host (the host's real-time
 * clock, including its adjustments), rt (the host's monotonic clock,
 * immune to host time changes) or vm (the machine's virtual clock, which
 * under qtest only moves on clock_step).  driftfix=none|slew is accepted
 * as QEMU does on machines without an RTC interrupt to slew (none here).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include <time.h>
#include "qemu/option.h"
#include "qemu/timer.h"
#include "sysemu/sysemu.h"

typedef enum RtcClock { RTC_CLOCK_HOST, RTC_CLOCK_RT, RTC_CLOCK_VM } RtcClock;

static bool rtc_localtime;
static int64_t rtc_offset_s;     /* guest time - host time at start-up */
static RtcClock rtc_clock;
static int64_t rtc_start_real_ns, rtc_start_mono_ns, rtc_start_vm_ns;

static bool rtc_parse_date(const char *s, int64_t *offset, Error **errp)
{
    struct tm tm = { 0 };
    const char *end = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm);
    time_t t;

    if (!end || *end) {
        memset(&tm, 0, sizeof(tm));
        end = strptime(s, "%Y-%m-%d", &tm);
    }
    if (!end || *end || (t = timegm(&tm)) == (time_t)-1) {
        error_setg(errp, "-rtc base=%s: invalid date format (expected "
                   "utc, localtime, 2006-06-17T16:01:21 or 2006-06-17)", s);
        return false;
    }
    *offset = (int64_t)t - (int64_t)time(NULL);
    return true;
}

static bool rtc_parse_clock(const char *v, Error **errp)
{
    if (!v || !strcmp(v, "host")) {
        rtc_clock = RTC_CLOCK_HOST;
    } else if (!strcmp(v, "rt")) {
        rtc_clock = RTC_CLOCK_RT;
    } else if (!strcmp(v, "vm")) {
        rtc_clock = RTC_CLOCK_VM;
    } else {
        error_setg(errp, "-rtc clock=%s: invalid option value (host, rt, "
                   "vm)", v);
        return false;
    }
    return true;
}

bool qemu_rtc_parse(const char *arg, Error **errp)
{
    g_autoptr(GPtrArray) kv = keyval_parse(arg, "base", errp);
    const char *base, *drift;

    if (!kv) {
        error_prepend(errp, "-rtc %s: ", arg);
        return false;
    }
    for (guint i = 0; i < kv->len; i++) {
        const char *key = ((KeyVal *)g_ptr_array_index(kv, i))->key;

        if (strcmp(key, "base") && strcmp(key, "clock") &&
            strcmp(key, "driftfix")) {
            error_setg(errp, "-rtc %s: invalid parameter '%s'", arg, key);
            return false;
        }
    }
    base = keyval_get(kv, "base");
    drift = keyval_get(kv, "driftfix");
    if (drift && strcmp(drift, "none") && strcmp(drift, "slew")) {
        error_setg(errp, "-rtc driftfix=%s: invalid option value", drift);
        return false;
    }
    rtc_localtime = base && !strcmp(base, "localtime");
    rtc_offset_s = 0;
    if (base && strcmp(base, "utc") && !rtc_localtime &&
        !rtc_parse_date(base, &rtc_offset_s, errp)) {
        return false;
    }
    return rtc_parse_clock(keyval_get(kv, "clock"), errp);
}

static int64_t rtc_host_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_REALTIME, &ts);
    return ts.tv_sec * NANOSECONDS_PER_SECOND + ts.tv_nsec;
}

/* Called once the machine exists: rt and vm count from here. */
void qemu_rtc_start(void)
{
    rtc_start_real_ns = rtc_host_ns();
    rtc_start_mono_ns = g_get_monotonic_time() * 1000;
    rtc_start_vm_ns = qemu_clock_get_ns();
}

void qemu_get_timedate(struct tm *tm, long *nsec)
{
    int64_t ns;
    time_t secs;

    switch (rtc_clock) {
    case RTC_CLOCK_RT:
        ns = rtc_start_real_ns + g_get_monotonic_time() * 1000 -
             rtc_start_mono_ns;
        break;
    case RTC_CLOCK_VM:
        ns = rtc_start_real_ns + qemu_clock_get_ns() - rtc_start_vm_ns;
        break;
    default:
        ns = rtc_host_ns();
        break;
    }
    secs = ns / NANOSECONDS_PER_SECOND + rtc_offset_s;
    *nsec = ns % NANOSECONDS_PER_SECOND;
    if (rtc_localtime) {
        localtime_r(&secs, tm);
    } else {
        gmtime_r(&secs, tm);
    }
}
