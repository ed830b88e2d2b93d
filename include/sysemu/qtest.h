/*
 * The qtest server: a line protocol that drives the machine in place of a
 * CPU.  Machine-specific verbs (rtas, hcall) plug in through one callback.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SYSEMU_QTEST_H
#define SYSEMU_QTEST_H

#include "chardev/char.h"

typedef struct QTestReply QTestReply;

/*
 * A machine verb handler: returns false when words[0] is not its verb.
 * It answers through qtest_reply_ok / qtest_reply_err.
 */
typedef bool QTestCommandCb(QTestReply *r, char **words);

void qtest_set_command_cb(QTestCommandCb *cb);
bool qtest_server_init(const char *spec, const char *logfile, Error **errp);
/* Called when the qtest peer disconnects (the process then quits). */
void qtest_set_close_cb(void (*cb)(void));
void qtest_reply_ok(QTestReply *r, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
void qtest_reply_err(QTestReply *r, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
/*
 * The verb answers later, with qtest_reply_later() ("OK " and fmt); no
 * line is read from the client meanwhile.
 */
void qtest_reply_defer(QTestReply *r);
void qtest_reply_later(const char *fmt, ...) G_GNUC_PRINTF(1, 2);
/* Parses a whole word as an unsigned number in any strtoull base. */
bool qtest_parse_u64(const char *word, uint64_t *out);

#endif
