/*
 * libqtest: drive a spapr-ddw process over the qtest protocol.
 *
 * The binary is $SPAPR_DDW_BIN (default build/spapr-ddw), started with
 * "-qtest stdio" on pipes.  Every helper fails the current GLib test when
 * the process answers something unexpected or dies.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef LIBQTEST_H
#define LIBQTEST_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

typedef struct QTestState QTestState;

/* Defaults: -M pseries-2.7 -m 4G -accel qtest -display none -nodefaults -S */
QTestState *qtest_init(const char *extra_args);
QTestState *qtest_initf(const char *fmt, ...) G_GNUC_PRINTF(1, 2);
/* Only the qtest plumbing is added to args. */
QTestState *qtest_init_bare(const char *args);
/* A connected unix socket; retries while nothing listens yet (bounded). */
int qtest_unix_connect(const char *path);
/*
 * Connects to a machine's -qtest unix:PATH socket (no process of ours),
 * waiting as qtest_unix_connect() does while it starts.
 */
QTestState *qtest_connect(const char *path);
/* Closes the connection; asserts the process then exits with status 0. */
void qtest_quit(QTestState *s);
/* The process's stderr so far. */
char *qtest_stderr(QTestState *s);
pid_t qtest_pid(QTestState *s);

/* Sends a raw line and returns the raw answer line (g_free it). */
char *qtest_raw(QTestState *s, const char *line);
/* Sends a line, asserts the answer starts with OK, returns its words. */
/*
 * A line sent without waiting for its answer, the answer read later, and
 * whether an answer has arrived (not waiting for it): for calls that
 * answer late while monitors are served.
 */
void qtest_send_line(QTestState *s, const char *line);
char *qtest_receive_line(QTestState *s);
bool qtest_answer_arrived(QTestState *s);
/* The next line, or false if the server closed the connection. */
bool qtest_peek_line(QTestState *s, char **line);
gchar **qtest_okf(QTestState *s, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

uint8_t qtest_readb(QTestState *s, uint64_t addr);
uint16_t qtest_readw(QTestState *s, uint64_t addr);
uint32_t qtest_readl(QTestState *s, uint64_t addr);
uint64_t qtest_readq(QTestState *s, uint64_t addr);
void qtest_writeb(QTestState *s, uint64_t addr, uint8_t v);
void qtest_writew(QTestState *s, uint64_t addr, uint16_t v);
void qtest_writel(QTestState *s, uint64_t addr, uint32_t v);
void qtest_writeq(QTestState *s, uint64_t addr, uint64_t v);
void qtest_memread(QTestState *s, uint64_t addr, void *buf, size_t size);
void qtest_memwrite(QTestState *s, uint64_t addr, const void *buf,
                    size_t size);
void qtest_memset(QTestState *s, uint64_t addr, uint8_t v, size_t size);
int64_t qtest_clock_step(QTestState *s, int64_t ns);

/* RTAS by name: returns the qtest result (0, or 2^64-4 if unknown). */
uint64_t qtest_rtas_call(QTestState *s, const char *name, uint32_t nargs,
                         uint64_t args, uint32_t nret, uint64_t rets);
/* hcall: r[0] = r3 (return), r[1..8] = r4..r11. */
void qtest_hcall(QTestState *s, uint64_t opcode, int nargs,
                 const uint64_t *args, uint64_t r[9]);

/*
 * Runs the binary with args (no qtest), waits, returns its exit status;
 * its stderr goes to *err when err is not NULL.
 */
int qtest_run_cmdline(const char *args, char **out, char **err);
const char *qtest_binary(void);
bool qtest_slow_enabled(void);

/*
 * A GSpawnChildSetupFunc for tests that start the binary themselves, with
 * user_data GINT_TO_POINTER(getpid()): the process dies with the test.
 */
void qtest_child_setup(gpointer parent);

#endif
