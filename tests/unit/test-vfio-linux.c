/*
 * The /dev/vfio transport: PCI address parsing, IOMMU group discovery
 * from sysfs, the UAPI structs it passes, and (where /dev/vfio exists) a
 * real container.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include <linux/vfio.h>
#include <sys/stat.h>
#include "hw/vfio/vfio-common.h"

static void test_parse_host(void)
{
    static const char *bad[] = {
        "", "zz", "0000:00:20.0", "00:01.8", "0x00:01.0", " 00:01.0",
        "00:01.0 ", "00000:00:01.0", "0000:000:01.0", "00:01", "-1:01.0",
    };
    Error *err = NULL;
    char *s;

    s = vfio_linux_parse_host("0000:00:01.0", NULL);
    g_assert_cmpstr(s, ==, "0000:00:01.0");
    g_free(s);
    s = vfio_linux_parse_host("1F:1f.7", NULL);
    g_assert_cmpstr(s, ==, "0000:1f:1f.7");
    g_free(s);
    for (unsigned i = 0; i < ARRAY_SIZE(bad); i++) {
        g_assert_null(vfio_linux_parse_host(bad[i], &err));
        g_assert_nonnull(strstr(error_get_pretty(err), "host="));
        error_free(err);
        err = NULL;
    }
    g_assert_null(vfio_linux_parse_host(NULL, &err));
    error_free(err);
}

/* A fake sysfs device directory whose iommu_group points at target. */
static char *fake_sysfs(const char *target)
{
    char *dir = g_dir_make_tmp("vfio-sysfs-XXXXXX", NULL);
    g_autofree char *link = g_build_filename(dir, "iommu_group", NULL);

    g_assert_nonnull(dir);
    if (target) {
        g_assert_cmpint(symlink(target, link), ==, 0);
    }
    return dir;
}

static void drop_sysfs(char *dir)
{
    g_autofree char *link = g_build_filename(dir, "iommu_group", NULL);

    unlink(link);
    rmdir(dir);
    g_free(dir);
}

static void test_group_path(void)
{
    char *dir = fake_sysfs("../../../kernel/iommu_groups/42");
    g_autofree char *path = vfio_linux_group_path(dir, NULL);
    Error *err = NULL;

    g_assert_cmpstr(path, ==, "/dev/vfio/42");
    drop_sysfs(dir);

    dir = fake_sysfs("../../../kernel/iommu_groups/4x");
    g_assert_null(vfio_linux_group_path(dir, &err));
    g_assert_nonnull(strstr(error_get_pretty(err), "not a number"));
    error_free(err);
    err = NULL;
    drop_sysfs(dir);

    dir = fake_sysfs(NULL);
    g_assert_null(vfio_linux_group_path(dir, &err));
    g_assert_nonnull(strstr(error_get_pretty(err), "no IOMMU group"));
    error_free(err);
    drop_sysfs(dir);
}

static void test_host_new(void)
{
    char *dir = fake_sysfs("../../../kernel/iommu_groups/7");
    VFIOHost *h = vfio_host_linux_new(NULL, dir, NULL);
    g_autofree char *base = g_path_get_basename(dir);
    int fd;

    g_assert_cmpstr(h->ops->name, ==, "linux");
    g_assert_cmpstr(h->device_name, ==, base);
    /* The group node does not exist here: -errno, never a crash. */
    if (!g_file_test("/dev/vfio/7", G_FILE_TEST_EXISTS)) {
        fd = h->ops->open_group(h);
        g_assert_cmpint(fd, <, 0);
    }
    vfio_host_linux_free(h);
    drop_sysfs(dir);
}

/* The layouts the container code relies on (kernel UAPI). */
static void test_uapi(void)
{
    g_assert_cmpuint(sizeof(struct vfio_iommu_spapr_tce_create), ==, 40);
    g_assert_cmpuint(offsetof(struct vfio_iommu_spapr_tce_create,
                              start_addr), ==, 32);
    g_assert_cmpuint(sizeof(struct vfio_iommu_spapr_tce_remove), ==, 16);
    g_assert_cmpuint(sizeof(struct vfio_iommu_spapr_register_memory), ==,
                     24);
    g_assert_cmpuint(offsetof(struct vfio_iommu_spapr_tce_info, ddw), ==,
                     16);
    g_assert_cmpuint(sizeof(struct vfio_iommu_type1_dma_map), ==, 32);
    g_assert_cmpuint(sizeof(struct vfio_iommu_type1_dma_unmap), ==, 24);
    g_assert_cmphex(VFIO_IOMMU_SPAPR_TCE_CREATE, ==, _IO(';', 100 + 19));
    g_assert_cmphex(VFIO_IOMMU_SPAPR_REGISTER_MEMORY, ==, _IO(';', 100 + 17));
}

static void test_real_container(void)
{
    char *dir = fake_sysfs("../../../kernel/iommu_groups/0");
    VFIOHost *h = vfio_host_linux_new(NULL, dir, NULL);
    int fd = h->ops->open_container(h);

    if (fd < 0) {
        g_test_skip("no usable /dev/vfio/vfio on this host");
    } else {
        g_assert_cmpint(h->ops->ioctl(h, fd, VFIO_GET_API_VERSION, NULL), ==,
                        VFIO_API_VERSION);
        /* An unknown request on a real fd: -errno. */
        g_assert_cmpint(h->ops->ioctl(h, fd, _IO(';', 99), NULL), <, 0);
        h->ops->close(h, fd);
    }
    vfio_host_linux_free(h);
    drop_sysfs(dir);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/vfio/linux/parse-host", test_parse_host);
    g_test_add_func("/vfio/linux/group-path", test_group_path);
    g_test_add_func("/vfio/linux/host-new", test_host_new);
    g_test_add_func("/vfio/linux/uapi", test_uapi);
    g_test_add_func("/vfio/linux/real-container", test_real_container);
    return g_test_run();
}
