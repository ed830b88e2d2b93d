/*
 * Character devices for qtest, QMP and monitors: stdio, file, and unix or
 * tcp sockets (client, or server with wait=off), on the GLib main loop.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef CHARDEV_CHAR_H
#define CHARDEV_CHAR_H

typedef struct Chardev Chardev;

typedef enum {
    CHR_EVENT_OPENED,
    CHR_EVENT_CLOSED,
} QEMUChrEvent;

typedef void ChrReadFn(void *opaque, const uint8_t *buf, size_t len);
typedef void ChrEventFn(void *opaque, QEMUChrEvent event);

/*
 * spec: "stdio", "file:PATH", "unix:PATH[,server=on|off][,wait=on|off]",
 * "tcp:HOST:PORT[,server=on|off][,wait=on|off]", or (from -chardev)
 * "socket,path=PATH,..." / "socket,host=H,port=P,...".
 */
Chardev *qemu_chr_new(const char *id, const char *spec, Error **errp);
Chardev *qemu_chr_find(const char *id);
void qemu_chr_set_handlers(Chardev *chr, ChrReadFn *read, ChrEventFn *event,
                           void *opaque);
/*
 * Writes everything, never blocking: what the peer does not take now is
 * queued (see chardev/char.c); false when the peer has gone or was
 * disconnected for not reading.
 */
bool qemu_chr_write_all(Chardev *chr, const void *buf, size_t len);
/* Bytes queued that the peer has not taken yet. */
size_t qemu_chr_pending(Chardev *chr);
/* cb(opaque) runs each time the queue has drained. */
void qemu_chr_set_drained_cb(Chardev *chr, void (*cb)(void *opaque));
/* Flow control: stop (false) or resume reading the peer's input. */
void qemu_chr_accept_input(Chardev *chr, bool on);
bool qemu_chr_is_connected(Chardev *chr);
/*
 * Takes the oldest file descriptor the socket peer passed (SCM_RIGHTS)
 * and not yet taken; -1 if none.  The caller owns it.
 */
int qemu_chr_get_msgfd(Chardev *chr);
/* Every chardev with an id: how it was opened, whether a peer is there. */
typedef void QemuChrInfoFn(const char *label, const char *filename,
                           bool connected, void *opaque);
void qemu_chr_foreach(QemuChrInfoFn *fn, void *opaque);
void qemu_chr_close_all(void);

#endif
