/*
 * spapr-ddw main: command line -> machine -> devices -> run loop.
 *
 * Options follow QEMU's syntax.  Every unknown or malformed option or
 * property is reported with a message naming it, and the process exits 1.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "qemu/version.h"
#include <signal.h>
#include "qemu/cutils.h"
#include "qemu/log.h"
#include "qemu/option.h"
#include "qemu/timer.h"
#include "trace/control.h"
#include "sysemu/machine-setup.h"
#include "sysemu/qtest.h"
#include "sysemu/os-posix.h"
#include "sysemu/sysemu.h"
#include "vl-internal.h"


typedef struct VLConfig {
    const char *machine_opts;
    const char *mem_opts;
    const char *mem_path;
    const char *qtest_spec;
    const char *qtest_log;
    const char *accel;
    const char *incoming;
    const char *logfile;
    const char *logitems;
    GPtrArray *devices;         /* const char * */
    GPtrArray *objects;
    GPtrArray *globals;
    GPtrArray *traces;
    GPtrArray *chardevs;
    GPtrArray *monitors;        /* "chardev-id" of -mon mode=control */
    GPtrArray *qmp;             /* -qmp specs */
    GPtrArray *procopts;        /* option name, argument: see vl-opts.c */
    const char *pidfile;
    const char *cur_opt;
    bool start_paused;
    bool daemonize;
} VLConfig;

typedef struct VLOption {
    const char *name;           /* without the leading '-' */
    bool has_arg;
    void (*fn)(VLConfig *c, const char *arg);
    const char *params;         /* "name:type,..." or NULL */
} VLOption;

const char *qemu_name;

static QEMU_NORETURN void vl_die(const char *fmt, ...) G_GNUC_PRINTF(1, 2);

static void vl_die(const char *fmt, ...)
{
    va_list ap;
    char *msg;

    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    error_report("%s", msg);
    g_free(msg);        /* exit() skips g_autofree cleanups */
    exit(1);
}

static void vl_die_err(Error *err)
{
    error_report_err(err);
    exit(1);
}

static void print_help(void)
{
    printf("usage: spapr-ddw [options]\n\n"
           "A pseries (sPAPR) machine model with Dynamic DMA Windows,\n"
           "driven by qtest and QMP (no CPU emulation).\n\n"
           "-M|-machine NAME[,dumpdtb=FILE][,memory-backend=ID]  "
           "select the machine (-machine help)\n"
           "-m [size=]SIZE        guest RAM (default 4G, up to 16T)\n"
           "-mem-path PATH        back RAM with a file (hugetlbfs)\n"
           "-object TYPE,id=ID,.. memory-backend-ram|file, "
           "vfio-spapr-host-emu\n"
           "-device DRIVER[,prop=val...] | -device '{\"driver\":...}'\n"
           "                      add a device (-device help, "
           "-device DRIVER,help)\n"
           "-global DRIVER.PROP=VALUE  default for every such device\n"
           "-accel qtest|tcg      accepted names; no vCPU executes under "
           "either\n"
           "-qtest stdio|unix:PATH|tcp:HOST:PORT  qtest server\n"
           "-qtest-log FILE       log the qtest conversation\n"
           "-qmp unix:PATH,server=on,wait=off  QMP monitor\n"
           "-chardev socket,id=ID,path=PATH,server=on,wait=off\n"
           "-mon chardev=ID,mode=control  QMP monitor on a chardev\n"
           "-incoming tcp:HOST:PORT|unix:PATH|exec:CMD|defer\n"
           "-S                    start paused\n"
           "-daemonize            detach once ready (parent exits 0 then)\n"
           "-pidfile FILE         our pid, locked while we run\n"
           "-name [guest=]NAME[,process=P]  -uuid UUID  identity "
           "(query-name, query-uuid)\n"
           "-smp N[,sockets=,cores=,threads=]  -cpu POWER8  "
           "device tree cores\n"
           "-rtc base=utc|localtime|DATE[,clock=host|rt|vm]  RTAS "
           "time of day\n"
           "-boot [order=][,menu=]  /chosen for firmware  -no-shutdown  "
           "a guest power-off stops\n"
           "-overcommit mem-lock=on|off  -msg timestamp=on  "
           "-audiodev none,id=ID\n"
#ifdef CONFIG_SECCOMP
           "-sandbox on[,obsolete=][,elevateprivileges=][,spawn=]"
           "[,resourcecontrol=]  seccomp\n"
#endif
           "-nodefaults, -display none, -nographic  accepted\n"
           "-trace [enable=]PATTERN|events=FILE|file=FILE\n"
           "-d guest_errors,unimp,trace  what to log; -D FILE where\n"
           "-name NAME, -version, -help\n");
}

static void arr_add(GPtrArray **arr, const char *v)
{
    if (!*arr) {
        *arr = g_ptr_array_new();
    }
    g_ptr_array_add(*arr, (gpointer)v);
}

/* Option handlers: each stores its argument; vl-opts.c validates. */

#define VL_STORE(field) \
    static void opt_##field(VLConfig *c, const char *arg) { c->field = arg; }
#define VL_APPEND(field) \
    static void opt_##field(VLConfig *c, const char *arg) \
    { arr_add(&c->field, arg); }

VL_STORE(machine_opts)
VL_STORE(mem_opts)
VL_STORE(mem_path)
VL_STORE(qtest_spec)
VL_STORE(qtest_log)
VL_STORE(accel)
VL_STORE(incoming)
VL_STORE(logfile)
VL_STORE(logitems)
VL_STORE(pidfile)
VL_APPEND(devices)
VL_APPEND(objects)
VL_APPEND(globals)
VL_APPEND(traces)
VL_APPEND(chardevs)
VL_APPEND(monitors)
VL_APPEND(qmp)

/* Options applied by vl-opts.c: the option name, then its argument. */
static void opt_procopt(VLConfig *c, const char *arg)
{
    arr_add(&c->procopts, c->cur_opt + 1);
    arr_add(&c->procopts, arg);
}

static void opt_paused(VLConfig *c, const char *arg)
{
    c->start_paused = true;
}

static void opt_daemonize(VLConfig *c, const char *arg)
{
    c->daemonize = true;
}

static void opt_no_shutdown(VLConfig *c, const char *arg)
{
    qemu_set_no_shutdown(true);
}

static void opt_enable_kvm(VLConfig *c, const char *arg)
{
    vl_die("-enable-kvm: KVM is not supported: spapr-ddw has no CPU "
           "emulation (use -accel qtest or -accel tcg)");
}

static void opt_display(VLConfig *c, const char *arg)
{
    if (strcmp(arg, "none")) {
        vl_die("-display %s: only 'none' is supported", arg);
    }
}

static void opt_none_only(VLConfig *c, const char *arg)
{
    if (strcmp(arg, "none")) {
        vl_die("%s: only 'none' is supported: the machine has no such "
               "device", arg);
    }
}

static void opt_nothing(VLConfig *c, const char *arg)
{
}

/*
 * Every option the parser accepts.  params lists the keyval parameters
 * (name:type) of the options QEMU describes in query-command-line-options;
 * options whose argument is not keyval have none.
 */
static const VLOption vl_options[] = {
    { "machine", true, opt_machine_opts,
      "type:string,accel:string,dumpdtb:string,memory-backend:string,"
      "usb:boolean,dump-guest-core:boolean" },
    { "M", true, opt_machine_opts, NULL },
    { "m", true, opt_mem_opts, "size:size,slots:number,maxmem:size" },
    { "mem-path", true, opt_mem_path, NULL },
    { "device", true, opt_devices, "driver:string" },
    { "object", true, opt_objects, "qom-type:string,id:string" },
    { "global", true, opt_globals, "driver:string,property:string,"
      "value:string" },
    { "accel", true, opt_accel, "accel:string,thread:string" },
    { "qtest", true, opt_qtest_spec, NULL },
    { "qtest-log", true, opt_qtest_log, NULL },
    { "trace", true, opt_traces, "enable:string,events:string,file:string" },
    { "D", true, opt_logfile, NULL },
    { "d", true, opt_logitems, NULL },
    { "chardev", true, opt_chardevs, "backend:string,id:string,path:string,"
      "host:string,port:string,fd:string,server:boolean,wait:boolean" },
    { "mon", true, opt_monitors, "chardev:string,mode:string,pretty:boolean,"
      "id:string" },
    { "qmp", true, opt_qmp, NULL },
    { "incoming", true, opt_incoming, NULL },
    { "pidfile", true, opt_pidfile, NULL },
    { "daemonize", false, opt_daemonize, NULL },
    { "S", false, opt_paused, NULL },
    { "no-shutdown", false, opt_no_shutdown, NULL },
    { "name", true, opt_procopt, "guest:string,process:string,"
      "debug-threads:boolean" },
    { "uuid", true, opt_procopt, NULL },
    { "overcommit", true, opt_procopt, "mem-lock:boolean,cpu-pm:boolean" },
    { "smp", true, opt_procopt, "cpus:number,maxcpus:number,sockets:number,"
      "dies:number,clusters:number,cores:number,threads:number" },
    { "cpu", true, opt_procopt, NULL },
    { "rtc", true, opt_procopt, "base:string,clock:string,driftfix:string" },
    { "boot", true, opt_procopt, "order:string,once:string,menu:boolean,"
      "strict:boolean,splash:string,splash-time:number,"
      "reboot-timeout:number" },
    { "audiodev", true, opt_procopt, "driver:string,id:string" },
    { "msg", true, opt_procopt, "timestamp:boolean,guest-name:boolean" },
    { "display", true, opt_display, "type:string" },
    { "vga", true, opt_none_only, NULL },
    { "serial", true, opt_none_only, NULL },
    { "nodefaults", false, opt_nothing, NULL },
    { "nographic", false, opt_nothing, NULL },
    { "no-user-config", false, opt_nothing, NULL },
    { "no-reboot", false, opt_nothing, NULL },
    { "enable-kvm", false, opt_enable_kvm, NULL },
#ifdef CONFIG_SECCOMP
    { "sandbox", true, opt_procopt, "enable:boolean,obsolete:string,"
      "elevateprivileges:string,spawn:string,resourcecontrol:string" },
#endif
};

void qemu_cmdline_options_foreach(QemuCmdlineOptionFn *fn, void *opaque)
{
    for (size_t i = 0; i < ARRAY_SIZE(vl_options); i++) {
        if (vl_options[i].params) {
            fn(vl_options[i].name, vl_options[i].params, opaque);
        }
    }
}

static const VLOption *vl_find_option(const char *name)
{
    for (size_t i = 0; i < ARRAY_SIZE(vl_options); i++) {
        if (!strcmp(vl_options[i].name, name)) {
            return &vl_options[i];
        }
    }
    return NULL;
}

static void parse_args(VLConfig *c, int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        const char *opt = argv[i];
        const VLOption *o;

        if (opt[0] == '-' && opt[1] == '-') {
            opt++;      /* --option is the same as -option */
        }
        if (!strcmp(opt, "-help") || !strcmp(opt, "-h")) {
            print_help();
            exit(0);
        } else if (!strcmp(opt, "-version")) {
            printf("spapr-ddw version %s (QEMU-compatible pseries DDW model)\n",
                   QEMU_VERSION);
            exit(0);
        } else if (opt[0] != '-') {
            vl_die("%s: unexpected argument (options start with '-')", opt);
        }
        o = vl_find_option(opt + 1);
        if (!o) {
            vl_die("%s: invalid option (see -help)", opt);
        }
        if (o->has_arg && i + 1 >= argc) {
            vl_die("%s: option requires an argument", opt);
        }
        if (o->has_arg) {
            i++;
        }
        c->cur_opt = opt;
        o->fn(c, o->has_arg ? argv[i] : "");
    }
}

/* A daemon has no terminal: stdio chardevs have nowhere to go. */
static void vl_check_daemonize(VLConfig *c)
{
    bool stdio = c->qtest_spec && !strcmp(c->qtest_spec, "stdio");

    for (guint i = 0; c->qmp && i < c->qmp->len; i++) {
        stdio |= !strcmp(g_ptr_array_index(c->qmp, i), "stdio");
    }
    for (guint i = 0; c->chardevs && i < c->chardevs->len; i++) {
        stdio |= g_str_has_prefix(g_ptr_array_index(c->chardevs, i), "stdio");
    }
    if (stdio) {
        vl_die("-daemonize: stdio is not available in daemon mode (a "
               "-qtest, -qmp or -chardev uses it)");
    }
}

/*
 * Builds the machine from a command line, exiting 1 with a message on any
 * error.  main() then runs qemu_main_loop(); benchmarks and in-process
 * tests call this and drive the machine directly.
 */
void qemu_init(int argc, char **argv)
{
    VLConfig c = { 0 };
    Error *err = NULL;

    signal(SIGPIPE, SIG_IGN);
    error_set_progname("spapr-ddw");
    parse_args(&c, argc, argv);
    vl_setup_logging(c.logfile, c.logitems, c.traces);
    machine_setup_help(c.machine_opts, c.devices);
    vl_apply_options(c.procopts);
    vl_check_accel(c.accel, c.machine_opts);
    if (c.daemonize) {
        vl_check_daemonize(&c);
    }
    if ((c.daemonize && !os_daemonize(&err)) ||
        !os_setup_signal_handling(&err) ||
        (c.pidfile && !qemu_pidfile_open(c.pidfile, &err))) {
        vl_die_err(err);
    }
    for (guint i = 0; c.globals && i < c.globals->len; i++) {
        machine_setup_global(g_ptr_array_index(c.globals, i));
    }
    vl_create_objects(c.objects);
    machine_setup_create(c.machine_opts, c.mem_opts, c.mem_path);
    vl_create_devices(c.devices);
    machine_setup_done();
    vl_apply_late_options();
    vl_start_servers(c.qtest_spec, c.qtest_log, c.chardevs, c.monitors,
                     c.qmp);
    vl_start(c.start_paused, c.incoming);
    if (!os_setup_post(&err)) {
        vl_die_err(err);
    }
}

int qemu_main_loop(void)
{
    return vl_main_loop();
}
