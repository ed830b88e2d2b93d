/*
 * spapr-ddw main: command line -> machine -> devices -> run loop.
 *
 * Options follow QEMU's syntax.  Every unknown or malformed option or
 * property is reported with a message naming it, and the process exits 1.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include <signal.h>
#include "qemu/cutils.h"
#include "qemu/log.h"
#include "qemu/option.h"
#include "qemu/timer.h"
#include "trace/control.h"
#include "hw/boards.h"
#include "hw/qdev-properties.h"
#include "sysemu/qtest.h"
#include "sysemu/os-posix.h"
#include "sysemu/sysemu.h"
#include "vl-internal.h"

#define SPAPR_DDW_VERSION "7.2.50"

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
    bool start_paused;
    bool help_machine;
} VLConfig;

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
           "-accel qtest          the only accelerator (default)\n"
           "-qtest stdio|unix:PATH|tcp:HOST:PORT  qtest server\n"
           "-qtest-log FILE       log the qtest conversation\n"
           "-qmp unix:PATH,server=on,wait=off  QMP monitor\n"
           "-chardev socket,id=ID,path=PATH,server=on,wait=off\n"
           "-mon chardev=ID,mode=control  QMP monitor on a chardev\n"
           "-incoming tcp:HOST:PORT|unix:PATH|exec:CMD|defer\n"
           "-S                    start paused\n"
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

static void parse_global(const char *optarg)
{
    const char *dot = strchr(optarg, '.');
    const char *eq = dot ? strchr(dot, '=') : NULL;
    GlobalProperty *gp;
    Error *err = NULL;

    if (!dot || !eq || dot == optarg || eq == dot + 1) {
        vl_die("-global %s: expected DRIVER.PROPERTY=VALUE", optarg);
    }
    gp = g_new0(GlobalProperty, 1);
    gp->driver = g_strndup(optarg, dot - optarg);
    gp->property = g_strndup(dot + 1, eq - dot - 1);
    gp->value = g_strdup(eq + 1);
    if (!qdev_global_prop_check_value(gp->driver, gp->property, gp->value,
                                      &err)) {
        vl_die_err(err);
    }
    qdev_prop_register_global(gp);
}

static const char *const accepted_noarg[] = {
    "-nodefaults", "-nographic", "-no-user-config", "-no-reboot",
    "-enable-kvm",
};

static const char *const accepted_arg[] = {
    "-display", "-vga", "-serial", "-smp", "-cpu", "-bios", "-L",
};

static bool option_ignored(const char *opt, const char *next, int *i)
{
    for (size_t k = 0; k < ARRAY_SIZE(accepted_noarg); k++) {
        if (!strcmp(opt, accepted_noarg[k])) {
            if (!strcmp(opt, "-enable-kvm")) {
                vl_die("-enable-kvm: KVM is not supported: spapr-ddw has no "
                       "CPU emulation (use -accel qtest)");
            }
            return true;
        }
    }
    for (size_t k = 0; k < ARRAY_SIZE(accepted_arg); k++) {
        if (!strcmp(opt, accepted_arg[k])) {
            if (!next) {
                vl_die("%s: option requires an argument", opt);
            }
            if (!strcmp(opt, "-display") && strcmp(next, "none")) {
                vl_die("-display %s: only 'none' is supported", next);
            }
            (*i)++;
            return true;
        }
    }
    return false;
}

static bool parse_one(VLConfig *c, const char *opt, const char *arg)
{
    if (!strcmp(opt, "-M") || !strcmp(opt, "-machine")) {
        c->machine_opts = arg;
    } else if (!strcmp(opt, "-m")) {
        c->mem_opts = arg;
    } else if (!strcmp(opt, "-mem-path")) {
        c->mem_path = arg;
    } else if (!strcmp(opt, "-device")) {
        arr_add(&c->devices, arg);
    } else if (!strcmp(opt, "-object")) {
        arr_add(&c->objects, arg);
    } else if (!strcmp(opt, "-global")) {
        arr_add(&c->globals, arg);
    } else if (!strcmp(opt, "-accel")) {
        c->accel = arg;
    } else if (!strcmp(opt, "-qtest")) {
        c->qtest_spec = arg;
    } else if (!strcmp(opt, "-qtest-log")) {
        c->qtest_log = arg;
    } else if (!strcmp(opt, "-trace")) {
        arr_add(&c->traces, arg);
    } else if (!strcmp(opt, "-D")) {
        c->logfile = arg;
    } else if (!strcmp(opt, "-d")) {
        c->logitems = arg;
    } else if (!strcmp(opt, "-name")) {
        qemu_name = arg;
    } else if (!strcmp(opt, "-chardev")) {
        arr_add(&c->chardevs, arg);
    } else if (!strcmp(opt, "-mon")) {
        arr_add(&c->monitors, arg);
    } else if (!strcmp(opt, "-qmp")) {
        arr_add(&c->qmp, arg);
    } else if (!strcmp(opt, "-incoming")) {
        c->incoming = arg;
    } else {
        return false;
    }
    return true;
}

static void parse_args(VLConfig *c, int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        const char *opt = argv[i];
        const char *next = i + 1 < argc ? argv[i + 1] : NULL;

        if (opt[0] == '-' && opt[1] == '-') {
            opt++;      /* --option is the same as -option */
        }
        if (!strcmp(opt, "-help") || !strcmp(opt, "-h")) {
            print_help();
            exit(0);
        } else if (!strcmp(opt, "-version")) {
            printf("spapr-ddw version %s (QEMU-compatible pseries DDW model)\n",
                   SPAPR_DDW_VERSION);
            exit(0);
        } else if (!strcmp(opt, "-S")) {
            c->start_paused = true;
        } else if (!strcmp(opt, "-no-shutdown")) {
            qemu_set_no_shutdown(true);
        } else if (option_ignored(opt, next, &i)) {
            continue;
        } else if (opt[0] != '-') {
            vl_die("%s: unexpected argument (options start with '-')", opt);
        } else if (!next && parse_one(c, opt, "")) {
            vl_die("%s: option requires an argument", opt);
        } else if (!parse_one(c, opt, next)) {
            vl_die("%s: invalid option (see -help)", opt);
        } else {
            i++;
        }
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
    if (!os_setup_signal_handling(&err)) {
        vl_die_err(err);
    }
    parse_args(&c, argc, argv);
    vl_setup_logging(c.logfile, c.logitems, c.traces);
    vl_handle_help(c.machine_opts, c.devices);
    vl_check_accel(c.accel);
    for (guint i = 0; c.globals && i < c.globals->len; i++) {
        parse_global(g_ptr_array_index(c.globals, i));
    }
    vl_create_objects(c.objects);
    vl_create_machine(c.machine_opts, c.mem_opts, c.mem_path);
    vl_create_devices(c.devices);
    vl_machine_done();
    vl_start_servers(c.qtest_spec, c.qtest_log, c.chardevs, c.monitors,
                     c.qmp);
    vl_start(c.start_paused, c.incoming);
}

int qemu_main_loop(void)
{
    return vl_main_loop();
}
