/*
 * Unix socket listeners (util/qemu-sockets.c): no window between the path
 * appearing and connections being accepted, owner-only mode, no file
 * that is not a socket replaced or removed.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include <sys/socket.h>
#include <sys/stat.h>
#include "qemu/sockets.h"

typedef struct Fixture {
    char *dir, *path;
} Fixture;

static void fixture_setup(Fixture *f, gconstpointer data)
{
    f->dir = g_dir_make_tmp("test-sockets-XXXXXX", NULL);
    g_assert_nonnull(f->dir);
    f->path = g_build_filename(f->dir, "s.sock", NULL);
}

static void fixture_teardown(Fixture *f, gconstpointer data)
{
    g_autoptr(GDir) d = g_dir_open(f->dir, 0, NULL);
    const char *name;

    /* Nothing else may be left next to the socket (no temporary names). */
    while ((name = g_dir_read_name(d))) {
        g_autofree char *p = g_build_filename(f->dir, name, NULL);

        g_assert_cmpstr(name, ==, "s.sock");
        unlink(p);
    }
    rmdir(f->dir);
    g_free(f->path);
    g_free(f->dir);
}

/* A client that connects the moment the path shows up. */
static gpointer eager_client(gpointer data)
{
    const char *path = data;
    struct stat st;
    int fd;

    while (lstat(path, &st) < 0) {
        /* spin: the point is to come as early as possible */
    }
    fd = unix_connect_path(path, NULL);
    if (fd >= 0) {
        close(fd);
    }
    return GINT_TO_POINTER(fd >= 0);
}

static void test_eager_client(Fixture *f, gconstpointer data)
{
    for (int i = 0; i < 200; i++) {
        GThread *t = g_thread_new("client", eager_client, f->path);
        int fd = unix_listen_path(f->path, 1, NULL, NULL);

        g_assert_cmpint(fd, >=, 0);
        g_assert_true(GPOINTER_TO_INT(g_thread_join(t)));
        close(fd);
        g_assert_cmpint(unlink(f->path), ==, 0);
    }
}

static void test_mode(Fixture *f, gconstpointer data)
{
    mode_t old = umask(0);
    struct stat st;
    int fd = unix_listen_path(f->path, 1, NULL, NULL);

    umask(old);
    g_assert_cmpint(fd, >=, 0);
    g_assert_cmpint(lstat(f->path, &st), ==, 0);
    g_assert_true(S_ISSOCK(st.st_mode));
    g_assert_cmpint(st.st_mode & 07777, ==, UNIX_SOCKET_MODE);
    close(fd);
}

static void test_not_a_socket(Fixture *f, gconstpointer data)
{
    g_autoptr(Error) err = NULL;
    g_autofree char *text = NULL;
    g_autofree char *sub = g_build_filename(f->dir, "d", NULL);

    g_assert_true(g_file_set_contents(f->path, "keep me", -1, NULL));
    g_assert_cmpint(unix_listen_path(f->path, 1, NULL, &err), ==, -1);
    g_assert_nonnull(strstr(error_get_pretty(err), "is not a socket"));
    g_assert_true(g_file_get_contents(f->path, &text, NULL, NULL));
    g_assert_cmpstr(text, ==, "keep me");

    /* Nor a directory, nor a symlink (even one to a stale socket). */
    g_assert_cmpint(mkdir(sub, 0700), ==, 0);
    g_assert_cmpint(unix_listen_path(sub, 1, NULL, NULL), ==, -1);
    g_assert_true(g_file_test(sub, G_FILE_TEST_IS_DIR));
    rmdir(sub);
    g_assert_cmpint(symlink("s.sock", sub), ==, 0);
    g_assert_cmpint(unix_listen_path(sub, 1, NULL, NULL), ==, -1);
    g_assert_true(g_file_test(sub, G_FILE_TEST_IS_SYMLINK));
    unlink(sub);
}

static void test_stale_socket(Fixture *f, gconstpointer data)
{
    UnixSocketId id1, id2;
    int fd1 = unix_listen_path(f->path, 1, &id1, NULL);
    int fd2, c;

    g_assert_cmpint(fd1, >=, 0);
    close(fd1);     /* a previous run died: its socket file stays */
    fd2 = unix_listen_path(f->path, 1, &id2, NULL);
    g_assert_cmpint(fd2, >=, 0);
    c = unix_connect_path(f->path, NULL);
    g_assert_cmpint(c, >=, 0);
    close(c);

    /* The old listener's cleanup must not remove the new socket. */
    unix_unlink_path(f->path, &id1);
    g_assert_true(g_file_test(f->path, G_FILE_TEST_EXISTS));
    unix_unlink_path(f->path, &id2);
    g_assert_false(g_file_test(f->path, G_FILE_TEST_EXISTS));
    close(fd2);
}

static void test_unlink_replaced(Fixture *f, gconstpointer data)
{
    UnixSocketId id;
    int fd = unix_listen_path(f->path, 1, &id, NULL);

    g_assert_cmpint(fd, >=, 0);
    g_assert_cmpint(unlink(f->path), ==, 0);
    g_assert_true(g_file_set_contents(f->path, "someone else's", -1, NULL));
    unix_unlink_path(f->path, &id);
    g_assert_true(g_file_test(f->path, G_FILE_TEST_IS_REGULAR));
    close(fd);
}

static void test_bad_paths(void)
{
    g_autofree char *longp = g_strnfill(200, 'x');
    g_autoptr(Error) err = NULL;

    g_assert_cmpint(unix_listen_path("", 1, NULL, NULL), ==, -1);
    g_assert_cmpint(unix_listen_path(longp, 1, NULL, &err), ==, -1);
    g_assert_nonnull(strstr(error_get_pretty(err), "too long"));
    g_assert_cmpint(unix_listen_path("/nonexistent-dir/s", 1, NULL, NULL),
                    ==, -1);
    g_assert_cmpint(unix_connect_path("/nonexistent-dir/s", NULL), ==, -1);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
#define ADD(name, fn) \
    g_test_add(name, Fixture, NULL, fixture_setup, fn, fixture_teardown)
    ADD("/sockets/eager-client", test_eager_client);
    ADD("/sockets/mode", test_mode);
    ADD("/sockets/not-a-socket", test_not_a_socket);
    ADD("/sockets/stale-socket", test_stale_socket);
    ADD("/sockets/unlink-replaced", test_unlink_replaced);
    g_test_add_func("/sockets/bad-paths", test_bad_paths);
    return g_test_run();
}
