/*
 * Migration transports: file descriptors for tcp:, unix: and exec: URIs.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MIGRATION_CHANNEL_H
#define MIGRATION_CHANNEL_H

/* A connected descriptor to write the stream to; -1 with errp set. */
int migration_channel_connect(const char *uri, GPid *child, Error **errp);
/*
 * For tcp:/unix:, a listening socket (*listening = true); for exec:, the
 * command's stdout, already a stream (*listening = false).
 */
int migration_channel_listen(const char *uri, bool *listening, GPid *child,
                             Error **errp);

#endif
